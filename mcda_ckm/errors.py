"""The exception family of mcda_ckm.

Every error raised on bad input carries where it happened (the file, and the place in it: a node,
an entry, a row, a cell) and what to do about it, so the CLI can print one clear line and exit
non-zero without a traceback. The library raises; only the CLI prints.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "CaseError",
    "CkmError",
    "ConsistencyError",
    "DataError",
    "IncompleteMatrixError",
    "JudgementError",
    "OutputError",
    "TreeError",
]


class CkmError(Exception):
    """Base of every error mcda_ckm raises on bad input.

    Parameters
    ----------
    message : str
        What is wrong, in plain words.
    path : str or Path, optional
        The file the error was found in.
    where : str, optional
        The place in that file (a node id, an entry key, ``row 7, column "trust"``...).
    hint : str, optional
        What the user should do to fix it.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        where: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.path = None if path is None else Path(path)
        self.where = where
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        parts = []
        if self.path is not None:
            parts.append(str(self.path))
        if self.where:
            parts.append(self.where)
        text = ": ".join([*parts, self.message]) if parts else self.message
        if self.hint:
            text += f". {self.hint}"
        return text


class TreeError(CkmError):
    """A criteria tree file is malformed (cycle, several roots, duplicate id, no direction)."""


class JudgementError(CkmError):
    """An expert judgement file has a bad entry (unknown node, non-siblings, value off scale...)."""


class IncompleteMatrixError(CkmError):
    """A node's comparisons do not link all its criteria, so no priorities can be derived.

    Attributes
    ----------
    groups : list of list of str
        The groups of criteria that are linked among themselves but not to each other.
    """

    def __init__(
        self,
        message: str,
        *,
        groups: list[list[str]],
        path: str | Path | None = None,
        where: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.groups = groups
        super().__init__(message, path=path, where=where, hint=hint)


class ConsistencyError(CkmError):
    """An expert is over the consistency threshold and the case's policy is to stop.

    Attributes
    ----------
    cr : float
        The consistency ratio found.
    threshold : float
        The threshold it exceeds.
    """

    def __init__(
        self,
        message: str,
        *,
        cr: float,
        threshold: float,
        path: str | Path | None = None,
        where: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.cr = cr
        self.threshold = threshold
        super().__init__(message, path=path, where=where, hint=hint)


class CaseError(CkmError):
    """A case folder or its settings file is incomplete or wrong."""


class DataError(CkmError):
    """A data file (customers, cash flows) or a decision matrix has a bad value or layout.

    ``where`` names the row (1-based line of the file, the header being row 1) and the column.
    """


class OutputError(CkmError):
    """An output cannot be written where asked: the path holds something ckm did not write (or
    the case itself), another run is writing it, or it cannot be written at all.

    ``path`` is the output as the user gave it, never a temporary.
    """
