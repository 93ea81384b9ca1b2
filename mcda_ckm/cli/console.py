"""The one place that talks to the terminal: stdout for data, stderr for messages, progress and
errors, and the exit codes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape

from mcda_ckm.errors import CkmError

__all__ = ["EXIT_INPUT", "EXIT_INTERRUPTED", "err", "friendly_errors", "out", "progress"]

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)

EXIT_INPUT = 2


@contextmanager
def friendly_errors() -> Iterator[None]:
    try:
        yield
    except CkmError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(EXIT_INPUT) from None
    except OSError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(EXIT_INPUT) from None


@contextmanager
def progress(quiet: bool, label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar on stderr when it is a terminal, else nothing."""
    if quiet or not err.is_terminal:
        yield None
        return
    from rich.progress import Progress

    with Progress(console=err, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


EXIT_INTERRUPTED = 130
"""Exit code of a command stopped by Ctrl-C or the end of input (128 + SIGINT)."""
