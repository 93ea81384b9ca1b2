"""Output files written atomically: a temporary file or folder beside the target, renamed into
place only when complete, so a failed run never leaves half a file or destroys a good one."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np


def write_folder(out: Path, write: Callable[[Path], None]) -> Path:
    """Write a report folder atomically.

    ``write`` fills a temporary folder beside ``out``; only when it returns is the old ``out``
    (if any) moved aside and the new one renamed into place, so a failed run leaves no partial
    report and never destroys the previous one.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    usual_mode(tmp)
    try:
        write(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
        os.replace(out, old / out.name)
    os.replace(tmp, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return out


def usual_mode(path: str | Path) -> None:
    """Give a file or folder made by mkstemp/mkdtemp (private: 0600/0700) the mode the user's
    umask gives new files, before it is renamed into place."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, (0o777 if os.path.isdir(path) else 0o666) & ~mask)


def write_text(path: Path, text: str) -> None:
    """Write a file through a temporary file and a rename."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    usual_mode(tmp)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (OWASP CSV injection): text
    starting with = + - @ (or a tab / carriage return) gets a leading apostrophe; numbers stay.

    >>> csv_cell("=HYPERLINK(1)"), csv_cell(-0.5), csv_cell("ACME")
    ("'=HYPERLINK(1)", '-0.5', 'ACME')
    """
    if isinstance(value, int | float | np.integer | np.floating):
        return repr(float(value)) if isinstance(value, float | np.floating) else str(value)
    text = str(value)
    return "'" + text if text.startswith(CSV_TRIGGERS) else text
