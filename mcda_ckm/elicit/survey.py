"""Questionnaires answered in an online survey tool, read from its CSV export.

**Survey CSV** (:func:`read_survey_csv`): one row per respondent, a ``respondent`` (or ``name``)
column, optional ``role`` and ``weight``, and one column per pair headed ``"<first> vs
<second>"`` (criterion ids, optionally led by ``"<node>: "``) whose cells are answers as typed
in ``ckm judge``: ``moderate``, ``3``, ``1/3``, ``B strong``. Other columns (timestamps, e-mail)
are ignored.

Every error is a :class:`~mcda_ckm.elicit.imported.QuestionnaireError` naming the file, the row
and the column, and what to do.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

from mcda_ckm.elicit.imported import ImportedExpert, Problems, QuestionnaireError, check_linked
from mcda_ckm.elicit.panelfiles import slug
from mcda_ckm.model import scale
from mcda_ckm.model.judgements import Judgement
from mcda_ckm.model.tree import CriteriaTree

__all__ = ["read_survey_csv"]


_NAME_COLUMNS = ("respondent", "name", "expert")


def read_survey_csv(
    path: str | Path, tree: CriteriaTree, *, bipolar: bool = False
) -> list[ImportedExpert]:
    """Read an online survey's CSV export: one row per respondent, one column per pair.

    Each cell is read by :func:`mcda_ckm.model.scale.read_answer`; ``bipolar`` declares an
    export of -9..+9 sliders (``-x`` is B over A with intensity ``x``), without it a negative
    cell is an error.

    Raises
    ------
    QuestionnaireError
        Naming the file, the row (the header is row 1) and the column: an empty file, no
        respondent column, a pair column that does not name two sibling criteria or names a
        pair twice, an answer not on the scale, a blank or repeated respondent, a bad weight,
        a respondent with no answer, a node whose answers do not link all its criteria.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise QuestionnaireError("file not found", path=path, hint="Check the path") from None
    except UnicodeDecodeError:
        raise QuestionnaireError(
            "not UTF-8 text", path=path, hint="Export the survey as CSV in UTF-8"
        ) from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise QuestionnaireError("empty file: no header row", path=path, where="row 1")
    try:
        dialect: Any = csv.Sniffer().sniff(lines[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(lines, dialect))
    header = [h.strip() for h in rows[0]]
    lower = [h.lower() for h in header]
    name_col = next((lower.index(c) for c in _NAME_COLUMNS if c in lower), None)
    if name_col is None:
        raise QuestionnaireError(
            "no respondent column",
            path=path,
            where="row 1",
            hint="Head the column of names 'respondent' (or 'name')",
        )
    role_col = lower.index("role") if "role" in lower else None
    weight_col = lower.index("weight") if "weight" in lower else None
    pairs: dict[int, tuple[str, str, str]] = {}
    seen: dict[tuple[str, frozenset[str]], str] = {}
    for k, head in enumerate(header):
        if " vs " not in f"{head} ":
            continue
        where = f'row 1, column "{head}"'
        key = head.split(":", 1)[1] if ":" in head else head
        parts = [p.strip() for p in key.split(" vs ")]
        if len(parts) != 2 or not all(parts):
            raise QuestionnaireError(
                'a pair column must be headed "<first> vs <second>"', path=path, where=where
            )
        a, b = parts
        for crit in (a, b):
            if crit not in tree.graph or crit == tree.root:
                raise QuestionnaireError(
                    f"unknown criterion {crit!r}",
                    path=path,
                    where=where,
                    hint="Use the criterion ids of the tree: "
                    + ", ".join(n for n in tree.nodes if n != tree.root),
                )
        node = tree.parent(a)
        if a == b or tree.parent(b) != node:
            raise QuestionnaireError(
                f"{a!r} and {b!r} are not two criteria under the same node",
                path=path,
                where=where,
                hint="Only siblings are compared",
            )
        if ":" in head and head.split(":", 1)[0].strip() != node:
            raise QuestionnaireError(
                f"{a!r} and {b!r} sit under {node!r}, not {head.split(':', 1)[0].strip()!r}",
                path=path,
                where=where,
            )
        pair_key = (str(node), frozenset((a, b)))
        if pair_key in seen:
            raise QuestionnaireError(
                f'the pair {a} / {b} already has the column "{seen[pair_key]}"',
                path=path,
                where=where,
                hint="Keep one column per pair",
            )
        seen[pair_key] = head
        pairs[k] = (str(node), a, b)
    if not pairs:
        raise QuestionnaireError(
            'no pair columns (headed "<first> vs <second>")',
            path=path,
            where="row 1",
            hint="Name each question's column after the two criteria ids it compares",
        )
    out: list[ImportedExpert] = []
    ids: dict[str, int] = {}
    problems = Problems(path)
    for line, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        try:
            got = _read_row(
                path,
                tree,
                header,
                pairs,
                cells,
                line,
                ids,
                problems,
                bipolar,
                name_col,
                role_col,
                weight_col,
            )
        except QuestionnaireError as exc:
            problems.add(exc)
            continue
        if got is not None:
            out.append(got)
    problems.raise_if_any()
    if not out:
        raise QuestionnaireError("no respondent rows", path=path, where="row 2")
    return out


def _read_row(
    path: Path,
    tree: CriteriaTree,
    header: list[str],
    pairs: dict[int, tuple[str, str, str]],
    cells: list[str],
    line: int,
    ids: dict[str, int],
    problems: Problems,
    bipolar: bool,
    name_col: int,
    role_col: int | None,
    weight_col: int | None,
) -> ImportedExpert | None:
    """One respondent's row; an answer off the scale goes to ``problems`` (the row is then
    left out), a problem with the row itself is raised."""
    row = [*cells, *[""] * (len(header) - len(cells))]
    name = row[name_col].strip()
    if not name or not slug(name):
        raise QuestionnaireError(
            "no respondent name",
            path=path,
            where=f'row {line}, column "{header[name_col]}"',
            hint="Give every respondent a name (it names the judgement file)",
        )
    ident = slug(name)
    if ident in ids:
        raise QuestionnaireError(
            f"respondent {name!r} is already in row {ids[ident]}",
            path=path,
            where=f'row {line}, column "{header[name_col]}"',
            hint="Keep one row per respondent (the latest answers)",
        )
    ids[ident] = line
    weight = 1.0
    if weight_col is not None and row[weight_col].strip():
        try:
            weight = float(row[weight_col])
        except ValueError:
            weight = math.nan
        if not (math.isfinite(weight) and weight > 0):
            raise QuestionnaireError(
                f"weight {row[weight_col]!r} must be a positive number",
                path=path,
                where=f'row {line}, column "{header[weight_col]}"',
            )
    judgements = []
    bad = 0
    for k, (node, a, b) in pairs.items():
        cell = row[k].strip()
        if not cell:
            continue
        try:
            value = scale.read_answer(cell, bipolar=bipolar)
        except scale.AnswerError as exc:
            bad += 1
            problems.add(
                QuestionnaireError(
                    exc.message,
                    path=path,
                    where=f'row {line}, column "{header[k]}"',
                    hint=exc.hint,
                )
            )
            continue
        judgements.append(Judgement(node, a, b, value, f'[judgements.{node}] "{a} vs {b}"'))
    if bad:
        return None
    if not judgements:
        raise QuestionnaireError(
            f"respondent {name!r} answered no pair",
            path=path,
            where=f"row {line}",
            hint="Delete the row of an empty response",
        )
    check_linked(tree, judgements, path, {n: f"row {line}" for n in tree.inner_nodes})
    meta = {
        "name": name,
        "role": row[role_col].strip() if role_col is not None else "",
        "weight": weight,
    }
    return ImportedExpert(ident, meta, tuple(judgements), f"{path.name}, row {line}")
