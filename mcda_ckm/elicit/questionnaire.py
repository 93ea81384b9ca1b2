"""Filled questionnaires read by kind of file: Excel workbooks (:mod:`mcda_ckm.elicit.workbook`),
online-survey CSV exports (:mod:`mcda_ckm.elicit.survey`) and long tables of answers, CSV or
XLSX (:mod:`mcda_ckm.elicit.longtable`, recognised by their header), every expert once.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from mcda_ckm.elicit.imported import ImportedExpert, QuestionnaireError
from mcda_ckm.elicit.longtable import is_long_table, read_long_table, read_rows
from mcda_ckm.elicit.survey import read_survey_csv
from mcda_ckm.elicit.workbook import read_workbook
from mcda_ckm.model.tree import CriteriaTree

__all__ = ["read_files"]


def long_table(path: Path) -> bool:
    """Whether a file's first row is a long table's header (expert, a, b, value)."""
    try:
        rows = read_rows(path)
    except QuestionnaireError:
        return False  # the file's own reader says what is wrong with it
    return bool(rows) and is_long_table(rows[0])


def read_files(
    paths: Iterable[str | Path], tree: CriteriaTree, *, bipolar: bool = False
) -> list[ImportedExpert]:
    """Read workbooks (``.xlsx``) and survey exports (``.csv``); every expert once.

    ``bipolar`` declares survey exports on a -9..+9 scale (see
    :func:`mcda_ckm.model.scale.read_answer`); workbooks have a side column and never are.

    Raises
    ------
    QuestionnaireError
        From a bad file, an unknown extension, or the same expert in two files.
    """
    out: list[ImportedExpert] = []
    where: dict[str, str] = {}
    for p in map(Path, paths):
        suffix = p.suffix.lower()
        if suffix in (".xlsx", ".xlsm", ".csv", ".tsv", ".txt") and long_table(p):
            got = read_long_table(p, tree, bipolar=bipolar)
        elif suffix in (".xlsx", ".xlsm"):
            got = [read_workbook(p, tree)]
        elif suffix in (".csv", ".tsv", ".txt"):
            got = read_survey_csv(p, tree, bipolar=bipolar)
        else:
            raise QuestionnaireError(
                f"unknown kind of file {p.suffix or '(no extension)'!r}",
                path=p,
                hint="Import Excel workbooks (.xlsx) or survey exports (.csv)",
            )
        for e in got:
            if e.id in where:
                raise QuestionnaireError(
                    f"expert {e.id!r} is already read from {where[e.id]}",
                    path=p,
                    hint="Import each expert once",
                )
            where[e.id] = e.source
        out.extend(got)
    return out
