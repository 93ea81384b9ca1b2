"""A consultant's own spreadsheet: the panel's answers as a long table, one row per answer.

**Long table** (CSV, or the first sheet of an ``.xlsx``): a header row with the columns
``expert``, ``node`` (optional: the parent of ``a`` and ``b`` is used when it is absent or
blank), ``a``, ``b`` and ``value``, and optionally ``role`` and ``weight`` (the first value
given for an expert counts). ``value`` says how much more important ``a`` is than ``b``, read
as every answer is (:func:`mcda_ckm.model.scale.read_answer`): ``3``, ``1/5``, ``moderate``,
``稍微重要``, ``B strong``; with ``bipolar``, a -9..+9 number. A pair may come in either
orientation (``a, b`` or ``b, a``), but only once per expert and node.

Every problem of the file is reported at once (:class:`~mcda_ckm.elicit.imported.Problems`),
each naming the row and the column.
"""

from __future__ import annotations

import csv
import math
import zipfile
from pathlib import Path
from typing import Any

from mcda_ckm.elicit.imported import (
    ImportedExpert,
    Problems,
    QuestionnaireError,
    cell_text,
    check_linked,
)
from mcda_ckm.elicit.panelfiles import slug
from mcda_ckm.model import scale
from mcda_ckm.model.judgements import Judgement
from mcda_ckm.model.tree import CriteriaTree

__all__ = ["COLUMNS", "is_long_table", "read_long_table"]

COLUMNS: tuple[str, ...] = ("expert", "a", "b", "value")
"""The columns a long table must have (``node``, ``role``, ``weight`` are optional)."""


def read_rows(path: Path) -> list[list[str]]:
    """The table's rows as text (header first), from a CSV or an .xlsx's first sheet."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            wb = load_workbook(path, data_only=True, read_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
            raise QuestionnaireError(
                f"not an Excel workbook (.xlsx) that can be read ({type(exc).__name__})",
                path=path,
                hint="Save the table as an Excel workbook (.xlsx) or as CSV",
            ) from None
        ws = wb.worksheets[0]
        return [[cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise QuestionnaireError("file not found", path=path, hint="Check the path") from None
    except UnicodeDecodeError:
        raise QuestionnaireError(
            "not UTF-8 text", path=path, hint="Save the table as CSV in UTF-8"
        ) from None
    lines = text.splitlines()
    if not lines:
        return []
    try:
        dialect: Any = csv.Sniffer().sniff(lines[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[c.strip() for c in row] for row in csv.reader(lines, dialect)]


def is_long_table(header: list[str]) -> bool:
    """Whether a header row is a long table's (it has every one of :data:`COLUMNS`)."""
    lower = {h.strip().lower() for h in header}
    return all(c in lower for c in COLUMNS)


def read_long_table(
    path: str | Path, tree: CriteriaTree, *, bipolar: bool = False
) -> list[ImportedExpert]:
    """Read a long table (one row per answer) into one expert per ``expert`` value.

    Raises
    ------
    QuestionnaireError
        Naming the file, the row (the header is row 1) and the column: no header or a missing
        column; then, all at once: a blank expert, an unknown node or criterion, two criteria
        that are not siblings under the node, a pair given twice for an expert (in either
        orientation), an answer off the scale, a bad weight, a node whose answers do not link
        all its criteria.
    """
    path = Path(path)
    rows = read_rows(path)
    if not rows or not any(rows[0]):
        raise QuestionnaireError("empty file: no header row", path=path, where="row 1")
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise QuestionnaireError(
            f"no column {', '.join(missing)}",
            path=path,
            where="row 1",
            hint="A long table has the columns expert, node, a, b, value (node optional)",
        )
    col = {
        name: header.index(name) for name in (*COLUMNS, "node", "role", "weight") if name in header
    }
    problems = Problems(path)
    experts: dict[str, dict[str, Any]] = {}
    for line, cells in enumerate(rows[1:], start=2):
        if not any(cells):
            continue
        row = [*cells, *[""] * (len(header) - len(cells))]

        def at(name: str, row: list[str] = row) -> str:
            return row[col[name]] if name in col else ""

        def where(name: str, line: int = line) -> str:
            return f'row {line}, column "{rows[0][col[name]].strip()}"'

        try:
            name = at("expert")
            if not slug(name):
                raise QuestionnaireError(
                    "no expert name",
                    path=path,
                    where=where("expert"),
                    hint="Name every row's expert",
                )
            a, b = at("a"), at("b")
            for key, crit in (("a", a), ("b", b)):
                if crit not in tree.graph or crit == tree.root:
                    raise QuestionnaireError(
                        f"unknown criterion {crit!r}",
                        path=path,
                        where=where(key),
                        hint="Use the criterion ids of the tree: "
                        + ", ".join(n for n in tree.nodes if n != tree.root),
                    )
            node = at("node") or str(tree.parent(a))
            if node not in tree.inner_nodes:
                raise QuestionnaireError(
                    f"{node!r} is not a node with criteria to compare",
                    path=path,
                    where=where("node"),
                    hint=f"The node ids are {', '.join(tree.inner_nodes)}",
                )
            kids = tree.children(node)
            if a == b or a not in kids or b not in kids:
                raise QuestionnaireError(
                    f"{a!r} and {b!r} are not two criteria under {node!r}",
                    path=path,
                    where=where("a"),
                    hint=f"Criteria under {node}: {', '.join(kids)}",
                )
            try:
                value = scale.read_answer(at("value"), bipolar=bipolar)
            except scale.AnswerError as exc:
                raise QuestionnaireError(
                    exc.message, path=path, where=where("value"), hint=exc.hint
                ) from None
            e = experts.setdefault(
                slug(name),
                {"name": name, "role": at("role"), "weight": at("weight"), "rows": {}, "j": []},
            )
            pair = (node, frozenset((a, b)))
            if pair in e["rows"]:
                raise QuestionnaireError(
                    f"the pair {a} / {b} of {name} is already in row {e['rows'][pair]}",
                    path=path,
                    where=where("a"),
                    hint="Keep one row per expert and pair",
                )
            e["rows"][pair] = line
            e["j"].append(Judgement(node, a, b, value, f'[judgements.{node}] "{a} vs {b}"'))
        except QuestionnaireError as exc:
            problems.add(exc)
    out: list[ImportedExpert] = []
    for ident, e in experts.items():
        weight = 1.0
        if e["weight"]:
            try:
                weight = float(e["weight"])
            except ValueError:
                weight = math.nan
            if not (math.isfinite(weight) and weight > 0):
                problems.add(
                    QuestionnaireError(
                        f"weight {e['weight']!r} of {e['name']} must be a positive number",
                        path=path,
                        where='column "weight"',
                    )
                )
                continue
        first = min(e["rows"].values())
        try:
            check_linked(tree, e["j"], path, {n: f"expert {e['name']!r}" for n in tree.inner_nodes})
        except QuestionnaireError as exc:
            problems.add(exc)
            continue
        meta = {"name": e["name"], "role": e["role"], "weight": weight}
        out.append(ImportedExpert(ident, meta, tuple(e["j"]), f"{path.name}, from row {first}"))
    problems.raise_if_any()
    if not out:
        raise QuestionnaireError("no answer rows", path=path, where="row 2")
    return out
