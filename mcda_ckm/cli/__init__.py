"""The ``ckm`` command line: the only part that prints, prompts or exits.

console (stdout/stderr, errors, exit codes), options (typed options shared by the commands,
choices generated from the library's tuples), one module per group of commands.
"""

__all__: list[str] = []
