"""Reading one value of a settings file: its type, its range, its choices with a "did you mean",
and memory sizes; warnings for valid but implausible values.

Shared by every reader of settings (``case.toml``'s tables in :mod:`mcda_ckm.model.settings`,
``[indicators]`` in :mod:`mcda_ckm.model.sources`, the tree and the judgement files), so that
every error names the file, the table and the key in the same words.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcda_ckm.errors import CaseError, CkmError

__all__ = [
    "DEFAULT_MEMORY_FRACTION",
    "SettingWarning",
    "as_table",
    "check_keys",
    "choice",
    "did_you_mean",
    "in_range",
    "machine_memory",
    "memory_budget",
    "parse_memory",
    "real_number",
    "text",
    "whole_number",
]


DEFAULT_MEMORY_FRACTION = 0.5
"""The share of the machine's memory ``ckm run`` may plan to use (``--max-memory`` changes it):
half leaves room for the operating system, the desktop and other programs, so that a case too
large for memory is refused before it makes the machine swap."""


def machine_memory() -> int | None:
    """The machine's physical memory in bytes (``sysconf``, else ``/proc/meminfo``'s
    MemTotal), or None where neither is available."""
    import os

    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        pass
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


_UNITS = {"": 1, "b": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}


def parse_memory(text: str, where: str = "--max-memory") -> int | None:
    """A memory size as written on the command line, in bytes; None for ``0`` or ``none``
    (no budget).

    ``4G``, ``4GiB``, ``512M``, ``2.5g`` (binary units: 1G = 2**30 bytes), a plain number of
    bytes, or a share of the machine's memory such as ``80%``.

    Raises
    ------
    CkmError
        Naming ``where``, for anything else.

    Examples
    --------
    >>> parse_memory("4G"), parse_memory("512MiB"), parse_memory("none")
    (4294967296, 536870912, None)
    """
    raw = text.strip().lower().replace(" ", "")
    if raw in ("0", "none", "off"):
        return None
    try:
        if raw.endswith("%"):
            share = float(raw[:-1]) / 100
            total = machine_memory()
            if not 0 < share <= 1 or total is None:
                raise ValueError(raw)
            return int(share * total)
        number = raw.removesuffix("ib").removesuffix("b")
        unit = number[-1] if number and number[-1] in _UNITS else ""
        value = float(number[: len(number) - len(unit)]) * _UNITS[unit]
        if not math.isfinite(value) or value <= 0:
            raise ValueError(raw)
        return int(value)
    except (ValueError, IndexError, KeyError):
        raise CkmError(
            f"{text!r} is not a memory size",
            where=where,
            hint="Write a size such as 4G, 512M or 80% (of the machine's memory), or 0 for no "
            "limit",
        ) from None


def memory_budget(max_memory: int | None = None) -> int | None:
    """The memory ``ckm run`` may plan to use: ``max_memory`` bytes if given, else
    :data:`DEFAULT_MEMORY_FRACTION` of :func:`machine_memory` (None if unknown)."""
    if max_memory is not None:
        return max_memory
    total = machine_memory()
    return None if total is None else int(DEFAULT_MEMORY_FRACTION * total)


@dataclass(frozen=True)
class SettingWarning:
    """A valid but implausible setting: the file, the place and what was probably meant.

    Warnings are data: the library returns them (``Case.warnings``) and the CLI prints them.
    """

    message: str
    path: Path | None = None
    where: str | None = None

    def __str__(self) -> str:
        parts = [str(p) for p in (self.path, self.where) if p]
        return ": ".join([*parts, self.message])


# -- checks shared by the readers (plain names: used by mcda_ckm.model.case too) --------------


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``" (did you mean 'x'?)"`` for the closest choice, or ``""`` (difflib's ratio >= 0.6)."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_keys(
    table: Mapping[str, Any], known: Iterable[str], section: str, path: Path | None
) -> None:
    """Refuse a key of ``[section]`` that is not in ``known``, naming it, with a did-you-mean."""
    known = tuple(known)
    for key in table:
        if key not in known:
            raise CaseError(
                f"unknown key {key!r}{did_you_mean(key, known)}",
                path=path,
                where=f"[{section}] {key}",
                hint=f"The keys of [{section}] are {', '.join(known)}",
            )


def choice(value: Any, choices: tuple[str, ...], where: str, path: Path | None = None) -> Any:
    """``value`` if it is one of ``choices``, else a :class:`CaseError` naming the place."""
    if isinstance(value, str) and value in choices:
        return value
    shown = repr(value) if isinstance(value, str) else f"{value!r} (not text)"
    mean = did_you_mean(value, choices) if isinstance(value, str) else ""
    raise CaseError(
        f"{shown} is not a choice{mean}",
        path=path,
        where=where,
        hint=f"Use one of {', '.join(choices)}",
    )


def whole_number(
    value: Any,
    where: str,
    path: Path | None = None,
    *,
    low: int | None = None,
    high: int | None = None,
) -> int:
    """``value`` if it is an integer (not a bool, not 2.7, not text) within ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, int):
        kind = "text" if isinstance(value, str) else type(value).__name__
        raise CaseError(
            f"{value!r} is not a whole number ({kind})",
            path=path,
            where=where,
            hint="Write a whole number without quotes, e.g. 5",
        )
    in_range(value, where, path, low=low, high=high)
    return value


def real_number(
    value: Any,
    where: str,
    path: Path | None = None,
    *,
    low: float | None = None,
    high: float | None = None,
) -> float:
    """``value`` as a float if it is a finite number (int or float, not a bool, not text)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        kind = "text" if isinstance(value, str) else type(value).__name__
        raise CaseError(
            f"{value!r} is not a finite number ({kind})",
            path=path,
            where=where,
            hint="Write a number without quotes, e.g. 0.08",
        )
    in_range(value, where, path, low=low, high=high)
    return float(value)


def in_range(
    value: float,
    where: str,
    path: Path | None,
    *,
    low: float | None = None,
    high: float | None = None,
) -> None:
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = (
            f"between {low:,} and {high:,}"
            if low is not None and high is not None
            else f">= {low:,}"
            if low is not None
            else f"<= {high:,}"
        )
        raise CaseError(f"{value!r} is out of range: must be {bounds}", path=path, where=where)


def text(value: Any, where: str, path: Path | None = None) -> str:
    """``value`` if it is a string."""
    if not isinstance(value, str):
        raise CaseError(
            f"{value!r} is not text", path=path, where=where, hint='Put the value in quotes: "..."'
        )
    return value


def as_table(value: Any, section: str, path: Path | None) -> Mapping[str, Any]:
    """``value`` if it is a TOML table (``[section]``), else an error naming it."""
    if not isinstance(value, dict):
        raise CaseError(
            f"{section} must be a table, got {value!r}",
            path=path,
            where=f"[{section}]",
            hint=f"Write [{section}] on its own line, then its keys, one per line",
        )
    return value
