"""The one reader of TOML files (case.toml, criteria trees, judgement files).

TOML is UTF-8 by definition (TOML 1.0, "Spec": "A TOML file must be a valid UTF-8 encoded
Unicode document"). Windows editors add a byte-order mark, which ``tomllib`` reads as an
"Invalid statement": it is accepted here. Any other encoding (a file saved as GBK by a Chinese
Notepad, or as latin-1) is refused with the file's name and how to save it again, and so is a
path that cannot be read at all (a symlink loop, a folder, no permission): every failure is an
error of the family the caller names, never an internal error.
"""

from __future__ import annotations

import errno
import tomllib
from pathlib import Path
from typing import Any

from mcda_ckm.errors import CkmError

__all__ = ["read_bytes", "read_toml"]

SAVE_AS_UTF8 = (
    "Save the file as UTF-8 (in Notepad: Save as, Encoding UTF-8; in VS Code: "
    "'Save with Encoding', UTF-8)"
)


def unreadable(path: Path, exc: OSError, error: type[CkmError]) -> CkmError:
    """The error for a path that cannot be opened, saying why in words a user can act on."""
    if isinstance(exc, FileNotFoundError):
        return error("file not found", path=path, hint="Check the path")
    if exc.errno == errno.ELOOP:
        return error(
            "the path is a loop of symbolic links",
            path=path,
            hint="Point the link at the real file (ls -l shows where it leads)",
        )
    if isinstance(exc, IsADirectoryError):
        return error("is a folder, not a file", path=path, hint="Give the file inside it")
    if isinstance(exc, PermissionError):
        return error(
            "cannot be read (permission denied)",
            path=path,
            hint="Give yourself read permission (chmod u+r), or copy the file",
        )
    return error(f"cannot be read ({exc.strerror or exc})", path=path, hint="Check the path")


def read_bytes(path: Path, error: type[CkmError]) -> bytes:
    """The bytes of ``path``; any failure to read them is an ``error`` naming the path."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise unreadable(path, exc, error) from None


def read_toml(path: str | Path, error: type[CkmError]) -> dict[str, Any]:
    """The tables of a TOML file, UTF-8 with or without a byte-order mark.

    Parameters
    ----------
    path : str or Path
    error : type of CkmError
        The error raised on any problem (``CaseError`` for case.toml, ``TreeError`` for a tree,
        ``JudgementError`` for a judgement file).

    Raises
    ------
    error
        The file is missing or unreadable (naming why: symlink loop, folder, permission), is
        not UTF-8 (naming the byte and how to save it as UTF-8), or is not valid TOML (naming
        the line and column, from ``tomllib``).

    Examples
    --------
    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> p = Path(folder, "a.toml")
    >>> _ = p.write_bytes(b"\\xef\\xbb\\xbf[case]\\nname = 'x'\\n")
    >>> read_toml(p, CkmError)
    {'case': {'name': 'x'}}
    """
    path = Path(path)
    raw = read_bytes(path, error)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(
            f"not UTF-8 text: byte {exc.start + 1} (0x{raw[exc.start]:02x}) is not UTF-8 "
            "(a file saved as GBK, GB18030 or latin-1?)",
            path=path,
            hint=SAVE_AS_UTF8,
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"not valid TOML ({exc})", path=path, hint="Fix the syntax") from None
