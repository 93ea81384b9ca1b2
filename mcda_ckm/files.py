"""Outputs written whole or not at all, and never over anything ckm did not write.

Every command that writes an output (the report folder of ``ckm run`` and ``ckm report``, the
scores of ``ckm rank --out``, the workbooks of ``ckm questionnaire export``) goes through this
module. The case's own files (judgement files) are written with :func:`write_text`: atomic, but
without the ownership rule, since the case is where they belong.

What an output may replace
--------------------------
Folders (reports; the Parquet parts of ``ckm rank --engine dask``)
    ckm writes ``.ckm-manifest.json`` into every folder it makes: the kind of output, the
    command, the version, the time, and the size and SHA-256 of every file (:func:`fingerprint`).
    ``out`` is written when it does not exist, is an empty folder, or is a folder ckm wrote whose
    files are all as ckm wrote them (each one listed in the manifest and unchanged; files that
    operating systems drop into folders, :data:`OS_LITTER`, are ignored). Refused, with nothing
    touched, by :class:`~mcda_ckm.errors.OutputError` naming the path as the user gave it:

    - a file, or a symbolic link, where the folder goes;
    - a folder holding anything else: no manifest, a file not in it, a file changed since;
    - the root folder, the home folder, the current folder;
    - the case folder, an input file, or any folder that contains one of them (``protect``).
Single files (``ckm rank --out scores.csv`` or ``.parquet``, questionnaire workbooks)
    ckm writes a hidden sidecar ``.NAME.ckm.json`` beside each file, with the same fields (CSV has
    no room for a marker, and a workbook's marker cell survives an expert's answers: only the
    fingerprint tells a filled questionnaire saved over the exported one). ``out`` is written when
    it does not exist or is a file ckm wrote and nobody changed since. Refused: a folder, a
    symbolic link, a file without a sidecar or changed since, an input of the run.

Crash safety
------------
The output is written into a hidden temporary beside ``out`` (``.NAME.ckm-tmp-XXXXXXXX``),
flushed to disk (``fsync``), then put in place in one step: a file by ``rename``; a folder by
exchanging it with the old one (Linux ``renameat2(RENAME_EXCHANGE)``, macOS
``renamex_np(RENAME_SWAP)``), after which the old one, now under the temporary name, is deleted.
At every instant ``out`` holds a complete output, the old or the new, even if the process is
killed. Where the system cannot exchange (other systems, file systems without the call) the old
folder is renamed aside before the new one is renamed in; a kill between the two renames leaves
no ``out``, and the next run puts the old one back before it starts.

The temporaries of killed runs are removed by the next run into the same ``out``: they are
recognised by their name and, for folders, by the marker :data:`TEMP_MARK` or a manifest in
them; a folder with neither is left alone.

Locking
-------
A run holds an exclusive ``fcntl.flock`` on ``.NAME.ckm-lock`` beside ``out`` from its checks to
the swap (the stream engine: for the whole pass that writes the scores). A second run into the
same ``out`` waits up to :data:`LOCK_WAIT` seconds, then stops with an OutputError naming the
process that holds the lock. The lock file is removed on release. Where ``fcntl`` does not exist
(Windows) no lock is taken.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from mcda_ckm.errors import OutputError
from mcda_ckm.version import __version__

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]  # no lock where flock does not exist

__all__ = [
    "LOCK_WAIT",
    "MANIFEST",
    "OutputFile",
    "OutputFolder",
    "check_file",
    "check_folder",
    "csv_cell",
    "fingerprint",
    "usual_mode",
    "write_file",
    "write_folder",
    "write_text",
]

MANIFEST = ".ckm-manifest.json"
"""The file in every output folder that says ckm wrote it, and what it wrote."""

TEMP_MARK = ".ckm-temp"
"""A file in a temporary folder while it is being written or deleted (so that the next run
knows it may delete it)."""

FORMAT = 1
"""Version of the manifest and sidecar layout."""

LOCK_WAIT = 30.0
"""Seconds a run waits for another run writing the same output before it stops."""

FULL_HASH_BYTES = 64 << 20
"""Files up to this size are hashed whole; larger ones (the scores of a big base) by their first
and last :data:`END_BYTES` and their size: reading gigabytes again would double the cost of
writing them, and an edit to a Parquet or CSV file changes its size or its footer."""

END_BYTES = 8 << 20

OS_LITTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
"""Files an operating system drops into a folder that was opened: they hold no user data."""

RENAME_EXCHANGE = 2  # linux/fs.h
RENAME_SWAP = 2  # macOS sys/stdio.h
AT_FDCWD = -100


# --- recognising what ckm wrote --------------------------------------------------------------


def fingerprint(path: str | Path) -> dict[str, Any]:
    """Size and SHA-256 of a file (whole up to :data:`FULL_HASH_BYTES`, else both ends)."""
    size = os.stat(path).st_size
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        if size <= FULL_HASH_BYTES:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        else:
            digest.update(fh.read(END_BYTES))
            fh.seek(size - END_BYTES)
            digest.update(fh.read(END_BYTES))
    return {"bytes": size, "sha256": digest.hexdigest()}


def files_in(folder: Path) -> list[str]:
    """Every entry that is not a folder (files, links), as POSIX paths relative to ``folder``."""
    found: list[str] = []

    def walk(here: Path, prefix: str) -> None:
        with os.scandir(here) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    walk(Path(entry.path), f"{prefix}{entry.name}/")
                else:
                    found.append(prefix + entry.name)

    walk(folder, "")
    return sorted(found)


def read_record(path: Path) -> dict[str, Any] | None:
    """A manifest or sidecar written by ckm, or None (absent, unreadable, another layout)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (
        isinstance(data, dict)
        and isinstance(data.get("ckm"), str)
        and data.get("format") == FORMAT
        and isinstance(data.get("files"), dict)
    ):
        return data
    return None


def record(kind: str, command: str, files: dict[str, Any]) -> dict[str, Any]:
    return {
        "ckm": kind,
        "format": FORMAT,
        "version": __version__,
        "command": command,
        "written": datetime.now(UTC).isoformat(),
        "files": files,
    }


def listing(names: list[str], most: int = 5) -> str:
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def foreign_content(folder: Path) -> str | None:
    """Why ``folder`` is not a folder ckm wrote and nobody changed, or None when it is (or is
    empty)."""
    names = [n for n in files_in(folder) if Path(n).name not in OS_LITTER]
    if not names:
        return None
    manifest = read_record(folder / MANIFEST)
    if manifest is None:
        return (
            f"holds files ckm did not write ({listing(names)}) and no {MANIFEST}"
            if MANIFEST not in names
            else f"holds a {MANIFEST} ckm cannot read"
        )
    listed: dict[str, Any] = manifest["files"]
    foreign = [n for n in names if n != MANIFEST and n not in listed]
    if foreign:
        return f"holds files ckm did not write: {listing(foreign)}"
    changed = [n for n in names if n != MANIFEST and fingerprint(folder / n) != listed[n]]
    if changed:
        return f"holds files changed since ckm wrote them: {listing(changed)}"
    return None


# --- checks ---------------------------------------------------------------------------------


def refuse(out: Path, why: str, hint: str) -> OutputError:
    return OutputError(f"will not write here: {why}", path=out, hint=hint)


FOLDER_HINT = "Choose a new or empty folder, or a report folder ckm wrote"
FILE_HINT = "Choose a new file name, or a file ckm wrote"


def check_place(out: Path, protect: Iterable[str | Path], hint: str) -> None:
    """Refuse the root, home and current folders, and anything that is or holds a protected
    path."""
    real = Path(os.path.realpath(out))
    if real == Path(real.anchor):
        raise refuse(out, "it is the root folder", hint)
    if real == Path(os.path.realpath(Path.home())):
        raise refuse(out, "it is your home folder", hint)
    if real == Path(os.path.realpath(Path.cwd())):
        raise refuse(out, "it is the current folder", hint)
    for p in protect:
        inside = Path(os.path.realpath(p))
        if inside == real:
            what = "folder" if inside.is_dir() else "file"
            raise refuse(out, f"it is an input {what} of this run", hint)
        if real in inside.parents:
            raise refuse(out, f"it contains {p}, an input of this run", hint)
    if out.is_symlink():
        raise refuse(out, "it is a symbolic link", f"Give the path it points to. {hint}")


def check_folder(out: str | Path, *, protect: Iterable[str | Path] = ()) -> None:
    """Raise :class:`OutputError` unless ``out`` may receive an output folder (see the module's
    rules); touches nothing.

    Parameters
    ----------
    out : str or Path
        The folder as the user gave it (error messages name it so).
    protect : iterable of str or Path
        The case folder and the input files of the run: ``out`` may be none of them and
        contain none of them.
    """
    out = Path(out)
    check_place(out, protect, FOLDER_HINT)
    if not out.exists():
        return
    if not out.is_dir():
        raise refuse(out, "it is a file, and a folder goes here", FOLDER_HINT)
    why = foreign_content(out)
    if why is not None:
        raise refuse(
            out,
            f"the folder {why}",
            "Move those files away, or choose a new or empty folder, or a report folder ckm wrote",
        )


def sidecar_of(out: Path) -> Path:
    return out.parent / f".{out.name}.ckm.json"


def check_file(out: str | Path, *, protect: Iterable[str | Path] = ()) -> None:
    """Raise :class:`OutputError` unless ``out`` may receive an output file (see the module's
    rules); touches nothing. Parameters as for :func:`check_folder`."""
    out = Path(out)
    check_place(out, protect, FILE_HINT)
    if not out.exists():
        return
    if out.is_dir():
        raise refuse(out, "it is a folder, and a file goes here", FILE_HINT)
    side = read_record(sidecar_of(out))
    if side is None:
        raise refuse(out, "the file exists and ckm did not write it", FILE_HINT)
    accepted = [side["files"].get(out.name), side.get("previous")]
    if fingerprint(out) not in accepted:
        raise refuse(
            out,
            "the file was changed since ckm wrote it",
            "Move it away, or choose a new file name",
        )


# --- the machinery: lock, temporaries, swap --------------------------------------------------


class Lock:
    """An exclusive ``flock`` on ``.NAME.ckm-lock`` beside ``out``, waited for up to ``wait``
    seconds; the file is removed on release (a waiter that then holds a removed file sees it
    and takes the new one)."""

    def __init__(self, out: Path, wait: float) -> None:
        self.path = out.parent / f".{out.name}.ckm-lock"
        self.fd: int | None = None
        if fcntl is None:  # pragma: no cover - Windows
            return
        deadline = time.monotonic() + wait
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(fd, 32).decode("ascii", "replace").strip() or "?"
                os.close(fd)
                if time.monotonic() >= deadline:
                    raise OutputError(
                        f"another ckm run (process {holder}) is writing here; waited {wait:g} s",
                        path=out,
                        hint="Wait for it to finish, or choose another output",
                    ) from None
                time.sleep(0.05)
                continue
            try:
                mine, now = os.fstat(fd), os.stat(self.path)
                same = (mine.st_dev, mine.st_ino) == (now.st_dev, now.st_ino)
            except FileNotFoundError:
                same = False
            if not same:  # released and removed between our open and our flock
                os.close(fd)
                continue
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            self.fd = fd
            return

    def release(self) -> None:
        if self.fd is None:
            return
        self.path.unlink(missing_ok=True)
        os.close(self.fd)
        self.fd = None


def temp_prefix(out: Path) -> str:
    return f".{out.name}.ckm-tmp-"


def sync(path: str | Path) -> None:
    """Flush a file, or a folder's entries (POSIX), to disk."""
    if os.name != "posix" and os.path.isdir(path):  # pragma: no cover - Windows
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_folder(folder: Path) -> None:
    """Delete a temporary or replaced folder so that a kill midway leaves it recognisable: the
    marker is written first and removed last."""
    try:
        (folder / TEMP_MARK).touch()
    except FileNotFoundError:
        return
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name == TEMP_MARK:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
    (folder / TEMP_MARK).unlink()
    folder.rmdir()


def clean_leftovers(out: Path) -> None:
    """Remove the temporaries of earlier runs into ``out`` that were killed (under the lock).

    A folder is removed when it holds :data:`TEMP_MARK`, is empty, or holds a ckm manifest (an
    old output replaced just before the kill); if ``out`` is missing (a kill between the two
    renames of the fallback), a complete old output is renamed back instead. Anything else with
    the name is left alone.
    """
    prefix = temp_prefix(out)
    with os.scandir(out.parent) as entries:
        found = [Path(e.path) for e in entries if e.name.startswith(prefix)]
    for p in found:
        if p.is_symlink() or not p.is_dir():
            if p.is_file() and not p.is_symlink():
                p.unlink()
            continue
        names = os.listdir(p)
        if names and TEMP_MARK not in names and read_record(p / MANIFEST) is None:
            continue
        if names and TEMP_MARK not in names and not os.path.lexists(out):
            if foreign_content(p) is None:
                os.rename(p, out)
                continue
        remove_folder(p)


@cache
def libc() -> Any:
    return ctypes.CDLL(None, use_errno=True)


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one step; False where the system or file system cannot."""
    try:
        lib = libc()
    except OSError:  # pragma: no cover - no C library to load
        return False
    if sys.platform.startswith("linux"):
        fn = getattr(lib, "renameat2", None)  # glibc >= 2.28
        if fn is None:
            return False
        fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        fn.restype = ctypes.c_int
        rc = fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    elif sys.platform == "darwin":  # pragma: no cover - macOS
        fn = getattr(lib, "renamex_np", None)
        if fn is None:
            return False
        fn.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        fn.restype = ctypes.c_int
        rc = fn(os.fsencode(a), os.fsencode(b), RENAME_SWAP)
    else:  # pragma: no cover - other systems
        return False
    if rc == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(new: Path, out: Path) -> Path | None:
    """Put the complete folder ``new`` at ``out``; return the folder now holding the old
    output (under a temporary name, for the caller to delete), if there was one."""
    if not os.path.lexists(out):
        os.rename(new, out)
        return None
    if exchange(new, out):
        return new
    aside = out.parent / f"{temp_prefix(out)}{secrets.token_hex(4)}"
    os.rename(out, aside)
    os.rename(new, out)
    return aside


def cannot_write(out: Path, exc: OSError) -> OutputError:
    """An OSError during writing, told about the path the user gave (not the temporary)."""
    return OutputError(
        f"cannot write here: {exc.strerror or exc}",
        path=out,
        hint="Check the free space and your permission to write there, or choose another output",
    )


def claim(
    out: Path,
    check: Callable[..., None],
    protect: list[str | Path],
    wait: float,
    make_tmp: Callable[[], Path],
) -> tuple[Lock, Path]:
    """The start of every write: check ``out``, take its lock, clean leftovers of killed runs,
    check again (now that no other run can write) and make the temporary to write into. The
    lock is released on any failure; file-system errors name ``out``, never the temporary."""
    check(out, protect=protect)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        lock = Lock(out, wait)
    except OSError as exc:
        raise cannot_write(out, exc) from exc
    try:
        clean_leftovers(out)
        check(out, protect=protect)
        tmp = make_tmp()
        usual_mode(tmp)
    except OSError as exc:
        lock.release()
        raise cannot_write(out, exc) from exc
    except BaseException:
        lock.release()
        raise
    return lock, tmp


class OutputFolder:
    """An output folder being written: checked, locked, leftovers cleaned, and a temporary folder
    :attr:`tmp` to fill; :meth:`commit` puts it in place, :meth:`abort` drops it.

    Parameters
    ----------
    out : str or Path
        The folder as the user gave it.
    protect : iterable of str or Path
        The case folder and input files (see :func:`check_folder`).
    kind : str
        What the folder is (``"report"``, ``"scores"``), written into the manifest.
    command : str
        The command line, written into the manifest.
    wait : float
        Seconds to wait for another run writing ``out``.

    Raises
    ------
    OutputError
        When ``out`` may not be written (see the module's rules), another run holds it past
        ``wait``, or its parent cannot be written.
    """

    def __init__(
        self,
        out: str | Path,
        *,
        protect: Iterable[str | Path] = (),
        kind: str = "report",
        command: str = "",
        wait: float = LOCK_WAIT,
    ) -> None:
        self.out = Path(out)
        self.kind, self.command = kind, command

        def make_tmp() -> Path:
            tmp = Path(tempfile.mkdtemp(prefix=temp_prefix(self.out), dir=self.out.parent))
            (tmp / TEMP_MARK).touch()
            return tmp

        self.lock, self.tmp = claim(self.out, check_folder, list(protect), wait, make_tmp)

    def reset(self) -> None:
        """Empty the temporary folder (to write it again)."""
        with os.scandir(self.tmp) as entries:
            for entry in entries:
                if entry.name == TEMP_MARK:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)

    def commit(self) -> Path:
        """Write the manifest, flush, and swap the folder into place; returns ``out``."""
        try:
            names = [n for n in files_in(self.tmp) if n not in (TEMP_MARK, MANIFEST)]
            for n in names:
                sync(self.tmp / n)
            files = {n: fingerprint(self.tmp / n) for n in names}
            text = json.dumps(record(self.kind, self.command, files), indent=1, ensure_ascii=False)
            with open(self.tmp / MANIFEST, "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            (self.tmp / TEMP_MARK).unlink()
            for sub in {str(Path(n).parent) for n in names} | {"."}:
                sync(self.tmp / sub)
            old = swap_in(self.tmp, self.out)
        except OSError as exc:
            self.abort()
            raise cannot_write(self.out, exc) from exc
        except BaseException:
            self.abort()
            raise
        try:  # the new output is in place: nothing below can make it wrong
            sync(self.out.parent)
            if old is not None:
                remove_folder(old)
        except OSError:
            pass  # the next run removes the old folder
        finally:
            self.lock.release()
        return self.out

    def abort(self) -> None:
        """Delete the temporary folder and release the lock."""
        try:
            if self.tmp.exists():
                remove_folder(self.tmp)
        except OSError:
            pass  # the next run removes it
        finally:
            self.lock.release()


class OutputFile:
    """An output file being written: checked, locked, leftovers cleaned, and a temporary file
    :attr:`tmp` (same suffix) to write; :meth:`commit` puts it in place with its sidecar,
    :meth:`abort` drops it. Parameters and errors as for :class:`OutputFolder`."""

    def __init__(
        self,
        out: str | Path,
        *,
        protect: Iterable[str | Path] = (),
        kind: str = "file",
        command: str = "",
        wait: float = LOCK_WAIT,
    ) -> None:
        self.out = Path(out)
        self.kind, self.command = kind, command

        def make_tmp() -> Path:
            fd, tmp = tempfile.mkstemp(
                prefix=temp_prefix(self.out), suffix=self.out.suffix, dir=self.out.parent
            )
            os.close(fd)
            return Path(tmp)

        self.lock, self.tmp = claim(self.out, check_file, list(protect), wait, make_tmp)

    def write_sidecar(self, files: dict[str, Any], previous: dict[str, Any] | None) -> None:
        """Replace the sidecar through a temporary named like the others (so a kill leaves
        nothing the next run does not remove)."""
        data = record(self.kind, self.command, files) | {"previous": previous}
        fd, tmp = tempfile.mkstemp(
            prefix=temp_prefix(self.out), suffix=".json", dir=self.out.parent
        )
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            usual_mode(tmp)
            os.replace(tmp, sidecar_of(self.out))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def commit(self) -> Path:
        """Flush, then: sidecar accepting the old and the new file, rename, sidecar of the new
        file only (a kill between any two steps leaves a file its sidecar accepts)."""
        try:
            sync(self.tmp)
            new = {self.out.name: fingerprint(self.tmp)}
            old = fingerprint(self.out) if self.out.is_file() else None
            self.write_sidecar(new, old)
            os.replace(self.tmp, self.out)
        except OSError as exc:
            self.abort()
            raise cannot_write(self.out, exc) from exc
        except BaseException:
            self.abort()
            raise
        try:  # the new file is in place, and its sidecar accepts it
            sync(self.out.parent)
            self.write_sidecar(new, None)
        except OSError:
            pass
        finally:
            self.lock.release()
        return self.out

    def abort(self) -> None:
        """Delete the temporary file and release the lock."""
        try:
            self.tmp.unlink(missing_ok=True)
        finally:
            self.lock.release()


def write_folder(
    out: str | Path,
    write: Callable[[Path], object],
    *,
    protect: Iterable[str | Path] = (),
    kind: str = "report",
    command: str = "",
    wait: float = LOCK_WAIT,
) -> Path:
    """Write an output folder: ``write`` fills a temporary folder, which then replaces ``out``
    in one step (see the module's rules). A failure leaves ``out`` as it was.

    Raises
    ------
    OutputError
        See :class:`OutputFolder`; also an OSError of ``write`` (told about ``out``).
    """
    target = OutputFolder(out, protect=protect, kind=kind, command=command, wait=wait)
    try:
        write(target.tmp)
    except OSError as exc:
        target.abort()
        raise cannot_write(target.out, exc) from exc
    except BaseException:
        target.abort()
        raise
    return target.commit()


def write_file(
    out: str | Path,
    write: Callable[[Path], object],
    *,
    protect: Iterable[str | Path] = (),
    kind: str = "file",
    command: str = "",
    wait: float = LOCK_WAIT,
) -> Path:
    """Write an output file: ``write`` writes a temporary file (same suffix), which then
    replaces ``out`` (see the module's rules). A failure leaves ``out`` as it was."""
    target = OutputFile(out, protect=protect, kind=kind, command=command, wait=wait)
    try:
        write(target.tmp)
    except OSError as exc:
        target.abort()
        raise cannot_write(target.out, exc) from exc
    except BaseException:
        target.abort()
        raise
    return target.commit()


def usual_mode(path: str | Path) -> None:
    """Give a file or folder made by mkstemp/mkdtemp (private: 0600/0700) the mode the user's
    umask gives new files, before it is renamed into place."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, (0o777 if os.path.isdir(path) else 0o666) & ~mask)


def write_text(path: Path, text: str) -> None:
    """Write a file through a temporary file and a rename (for the case's own files, which
    have no ownership rule)."""
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
