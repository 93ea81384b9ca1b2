"""The pipelines that tie the parts together: a case's study (``ckm run``) and ranking a file
(``ckm rank``).
"""

__all__: list[str] = []
