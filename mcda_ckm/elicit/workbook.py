"""Questionnaires as Excel workbooks: one per expert, written out and read back in.

**Workbook** (one ``.xlsx`` per expert, written by :func:`export_workbook`)::

    Instructions   what to do, the verbal scale, and the expert's details (B3:B9):
                   questionnaire | case | tree | expert id | name | role | weight
    <node>         one sheet per inner node of the tree: the node id in B2, a header in row 6,
                   then one row per pair from row 7: # | Criterion A | Criterion B |
                   More important (A or B, drop-down) | How much more (verbal scale, drop-down)
                   | A id | B id (hidden), and below, the criteria with their descriptions in
                   English and Chinese.

An answer is "A"/"B" with a word of Saaty's scale (or a number 1-9); "equal" needs no side; a
row left blank is a missing pair, which the AHP completes as long as the node's answers link
all its criteria (Harker 1987). This is the layout of the BPMSG AHP Excel template (Goepel 2013),
with the intensity in words as in Saaty (1980), Table 1.1.

Every error is a :class:`~mcda_ckm.elicit.imported.QuestionnaireError` naming the workbook, the
sheet and the cell, and what to do.
"""

from __future__ import annotations

import math
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from mcda_ckm.elicit.imported import (
    ImportedExpert,
    Problems,
    QuestionnaireError,
    cell_text,
    check_linked,
)
from mcda_ckm.elicit.interview import Setup, start
from mcda_ckm.elicit.panelfiles import expert_path, slug
from mcda_ckm.errors import CkmError
from mcda_ckm.files import check_file, write_file
from mcda_ckm.model import scale
from mcda_ckm.model.judgements import ExpertJudgements, Judgement, load_expert
from mcda_ckm.model.tree import CriteriaTree
from mcda_ckm.weights.panel import Suggestion

__all__ = ["MARKER", "export_panel", "export_workbook", "read_workbook", "sheet_names"]


MARKER = "ckm questionnaire 1"
"""The value of Instructions!B3 that marks a workbook as written by :func:`export_workbook`."""

INSTRUCTIONS = "Instructions"
HEADER_ROW = 6
FIRST_ROW = 7
NODE_CELL = "B2"
COL_SIDE, COL_INTENSITY, COL_A, COL_B = "D", "E", "F", "G"
_META_KEYS = ("questionnaire", "case", "tree", "expert id", "name", "role", "weight")
META_KEYS_ZH = {
    "问卷": "questionnaire",
    "案例": "case",
    "指标树": "tree",
    "专家编号": "expert id",
    "姓名": "name",
    "职务": "role",
    "权重": "weight",
}
"""The Instructions sheet's keys in a Chinese workbook (read back as their English keys)."""
SIDES = ("A", "B")


# -- writing ---------------------------------------------------------------------------------


def _label(tree: CriteriaTree, node: str, lang: str) -> str:
    en, zh = tree.label(node, "en"), tree.attr(node, "label_zh", "")
    if lang == "zh" and zh:
        return str(zh)
    if lang == "both" and zh:
        return f"{en} / {zh}"
    return en


def sheet_names(tree: CriteriaTree) -> dict[str, str]:
    """The sheet of each inner node: its id, cut to Excel's 31 characters, made unique."""
    bad = str.maketrans({c: "_" for c in "[]:*?/\\"})
    out: dict[str, str] = {}
    used = {INSTRUCTIONS.lower()}
    for node in tree.inner_nodes:
        base = node.translate(bad)[:31] or "node"
        name, k = base, 2
        while name.lower() in used:
            name = f"{base[: 31 - len(str(k)) - 1]}~{k}"
            k += 1
        used.add(name.lower())
        out[node] = name
    return out


def _answer_cells(value: float) -> tuple[str, str | float]:
    side = "A" if value >= 1 else "B"
    v = value if value >= 1 else 1 / value
    r = round(v)
    if math.isclose(v, r, rel_tol=1e-9) and r in scale.NAMES:
        return ("" if r == 1 else side), scale.NAMES[r]
    return side, float(v)


def _save_atomic(wb: Any, path: Path) -> Path:
    return write_file(path, wb.save, kind="questionnaire")


def export_workbook(
    setup: Setup,
    path: str | Path,
    expert_id: str,
    meta: Mapping[str, Any],
    judgements: Iterable[Judgement] = (),
    *,
    lang: str = "both",
) -> Path:
    """Write one expert's questionnaire workbook (atomically) and return its path.

    Parameters
    ----------
    setup : Setup
        The case (tree, name).
    path : str or Path
        The ``.xlsx`` to write.
    expert_id : str
        The stem of the judgement file the answers will go to.
    meta : mapping
        ``name``, ``role``, ``weight`` written on the Instructions sheet.
    judgements : iterable of Judgement
        Answers to prefill (for a review); blank by default.
    lang : {"both", "en", "zh"}
        Language of the criteria labels (descriptions are always given in both).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    if lang not in ("both", "en", "zh"):
        raise CkmError(f"unknown language {lang!r}", hint="Use both, en or zh")
    tree = setup.tree
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    fill = PatternFill("solid", fgColor="FFF2CC")
    given = ExpertJudgements(expert_id, "", "", 1.0, tuple(judgements))
    alert = PatternFill("solid", fgColor="F4CCCC")
    flags = call_back(setup, given)
    wb = Workbook()
    ws = wb.active
    ws.title = INSTRUCTIONS
    zh = lang == "zh"
    ws["A1"] = (
        f"AHP 调查问卷：{tree.title_zh or tree.title}" if zh else f"AHP questionnaire: {tree.title}"
    )
    ws["A1"].font = Font(bold=True, size=14)
    if tree.title_zh and not zh:
        ws["A2"] = tree.title_zh
    values = [
        MARKER,
        setup.name,
        tree.id,
        expert_id,
        meta.get("name", ""),
        meta.get("role", ""),
        meta.get("weight", 1),
    ]
    keys = list(META_KEYS_ZH) if zh else list(_META_KEYS)
    for k, (key, value) in enumerate(zip(keys, values, strict=True)):
        ws.cell(row=3 + k, column=1, value=key).font = bold
        cell = ws.cell(row=3 + k, column=2, value=value)
        if key in ("name", "role", "姓名", "职务"):
            cell.fill = fill
    text = [
        "How to answer",
        "Each of the following sheets compares the criteria under one node of the tree, two at "
        "a time. For each row, choose in column D which criterion is more important (A or B) "
        "and in column E how much more, on Saaty's verbal scale below (or type a number 1-9). "
        'For "equal" no side is needed.',
        "Leave a row blank if you cannot judge that pair; the others must still link every "
        "criterion of the sheet. Do not rename or delete sheets, and do not edit the hidden "
        "columns F and G. Fill in your name and role above (yellow cells), save, and send the "
        "file back.",
        "填写说明：每个工作表比较同一节点下的两两指标。D 列选择哪一个更重要（A 或 B），"
        "E 列选择重要程度（下表的语言标度，或 1-9 的数字）；“equal”（同等重要）无需选择 A/B。"
        "无法判断的行可留空。请勿修改工作表名称和隐藏列。",
    ]
    if zh:
        text = [
            "填写说明",
            "以下每个工作表比较树中同一节点下的指标，每次两个。每一行在 D 列选择哪个指标更重要"
            "（A 或 B），在 E 列选择重要程度（下表的语言标度，或填 1-9 的数字）。“同等重要”无需"
            "选择 A/B。",
            "无法判断的行可留空，但其余回答仍须把该工作表的所有指标联系起来。请勿重命名或删除工作"
            "表，请勿修改隐藏的 F、G 列。请在上方黄色单元格填写姓名和职务，保存后发回。",
        ]
    row = 3 + len(_META_KEYS) + 1
    for k, line in enumerate(text):
        cell = ws.cell(row=row + k, column=1, value=line)
        cell.alignment = wrap
        if k == 0:
            cell.font = bold
        else:
            ws.merge_cells(start_row=row + k, start_column=1, end_row=row + k, end_column=4)
            ws.row_dimensions[row + k].height = 48
    row += len(text) + 1
    scale_heads = (
        ("语言标度", "数值", "含义", "English")
        if zh
        else ("verbal scale", "value", "meaning", "中文")
    )
    for col, head in enumerate(scale_heads, start=1):
        ws.cell(row=row, column=col, value=head).font = bold
    for word, value in scale.WORDS.items():
        row += 1
        meaning = (
            "the two contribute equally"
            if value == 1
            else "intermediate value"
            if value % 2 == 0
            else f"A is {word}ly more important than B"
        )
        meaning_zh = (
            "两者同等重要"
            if value == 1
            else "相邻判断的中间值"
            if value % 2 == 0
            else f"A 比 B {scale.NAMES_ZH[value]}"
        )
        shown, other = (scale.NAMES_ZH[value], word) if zh else (word, scale.NAMES_ZH[value])
        ws.cell(row=row, column=1, value=shown)
        ws.cell(row=row, column=2, value=value)
        ws.cell(row=row, column=3, value=meaning_zh if zh else meaning)
        ws.cell(row=row, column=4, value=other)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 40
    ws.column_dimensions["D"].width = 30

    words = ",".join(scale.WORDS_ZH if zh else scale.WORDS)
    for node, title in sheet_names(tree).items():
        ns = wb.create_sheet(title)
        ns["A1"] = _label(tree, node, "both")
        ns["A1"].font = Font(bold=True, size=13)
        ns["A2"] = "节点" if zh else "node"
        ns[NODE_CELL] = node
        ns["A3"] = (
            f"For {tree.label(node).lower()}: of each pair, which criterion is more important "
            "(A or B), and how much more?"
        )
        if zh:
            ns["A1"] = _label(tree, node, "zh")
            ns["A3"] = (
                f"就“{tree.label(node, 'zh')}”而言，每一对指标中哪一个更重要（A 或 B），重要多少？"
            )
        elif tree.attr(node, "label_zh"):
            ns["A4"] = (
                f"就“{tree.attr(node, 'label_zh')}”而言，每一对指标中哪一个更重要，重要多少？"
            )
        heads = (
            ("#", "指标 A", "指标 B", "哪个更重要", "重要程度", "A 编号", "B 编号")
            if zh
            else (
                "#",
                "Criterion A",
                "Criterion B",
                "More important",
                "How much more",
                "A id",
                "B id",
            )
        )
        for col, head in enumerate(heads, start=1):
            c = ns.cell(row=HEADER_ROW, column=col, value=head)
            c.font = bold
        kids = tree.children(node)
        pairs = [(kids[i], kids[j]) for i in range(len(kids)) for j in range(i + 1, len(kids))]
        side_dv = DataValidation(type="list", formula1='"A,B"', allow_blank=True)
        side_dv.error, side_dv.errorTitle = "Choose A or B", "More important"
        side_dv.prompt, side_dv.promptTitle = "Which criterion is more important: A or B?", "A/B"
        if zh:
            side_dv.error, side_dv.errorTitle = "请选择 A 或 B", "哪个更重要"
            side_dv.prompt, side_dv.promptTitle = "哪个指标更重要：A 还是 B？", "A/B"
        word_dv = DataValidation(
            type="list", formula1=f'"{words}"', allow_blank=True, errorStyle="warning"
        )
        word_dv.error, word_dv.errorTitle = "Choose a word of the scale, or 1-9", "How much more"
        word_dv.prompt, word_dv.promptTitle = "How much more important (Saaty's scale)", "Scale"
        if zh:
            word_dv.error, word_dv.errorTitle = "请从语言标度中选择，或填 1-9", "重要程度"
            word_dv.prompt, word_dv.promptTitle = "重要多少（Saaty 标度）", "标度"
        ns.add_data_validation(side_dv)
        ns.add_data_validation(word_dv)
        flag = flags.get(node)
        if flag is not None:
            ns["A5"] = (
                "请复核（一致性超过阈值），建议修改："
                if zh
                else "Please revisit (over the consistency threshold); the change that helps most: "
            ) + scale.revision(
                flag.current,
                flag.suggested,
                _label(tree, flag.first, lang),
                _label(tree, flag.second, lang),
                "CR",
                flag.value_after,
            )
            ns["A5"].font = Font(bold=True, color="C00000")
            ns.cell(row=HEADER_ROW, column=8, value="建议值" if zh else "suggested").font = bold
        for k, (a, b) in enumerate(pairs):
            r = FIRST_ROW + k
            ns.cell(row=r, column=1, value=k + 1)
            if flag is not None and {a, b} == {flag.first, flag.second}:
                implied = flag.suggested if a == flag.first else 1 / flag.suggested
                side, intensity = _answer_cells(implied)
                ns.cell(row=r, column=8, value=f"{side} {intensity}".strip()).fill = alert
                for letter in "ABC":
                    ns[f"{letter}{r}"].fill = alert
            ns.cell(row=r, column=2, value=_label(tree, a, lang))
            ns.cell(row=r, column=3, value=_label(tree, b, lang))
            ns[f"{COL_A}{r}"] = a
            ns[f"{COL_B}{r}"] = b
            for letter in (COL_SIDE, COL_INTENSITY):
                ns[f"{letter}{r}"].fill = fill
            m = given.matrix(tree, node) if given.answered(tree, node) else None
            if m is not None and not math.isnan(m[kids.index(a), kids.index(b)]):
                side, intensity = _answer_cells(float(m[kids.index(a), kids.index(b)]))
                ns[f"{COL_SIDE}{r}"] = side or None
                ns[f"{COL_INTENSITY}{r}"] = intensity
        last = FIRST_ROW + len(pairs) - 1
        side_dv.add(f"{COL_SIDE}{FIRST_ROW}:{COL_SIDE}{last}")
        word_dv.add(f"{COL_INTENSITY}{FIRST_ROW}:{COL_INTENSITY}{last}")
        g = last + 3
        desc_heads = (
            ("指标", "Criterion", "说明", "Description")
            if zh
            else ("Criterion", "指标", "Description", "说明")
        )
        for col, head in enumerate(desc_heads, start=2):
            ns.cell(row=g, column=col, value=head).font = bold
        for k, kid in enumerate(kids, start=1):
            ns.cell(row=g + k, column=1, value=kid)
            cols = [
                tree.label(kid, "en"),
                tree.attr(kid, "label_zh", ""),
                tree.attr(kid, "description", ""),
                tree.attr(kid, "description_zh", ""),
            ]
            if zh:
                cols = [cols[1], cols[0], cols[3], cols[2]]
            for col, value in enumerate(cols, start=2):
                ns.cell(row=g + k, column=col, value=value).alignment = wrap
        for letter, width in zip("ABCDEFG", (6, 34, 34, 16, 24, 48, 48), strict=True):
            ns.column_dimensions[letter].width = width
        ns.column_dimensions[COL_A].hidden = True
        ns.column_dimensions[COL_B].hidden = True
        ns.freeze_panes = f"A{FIRST_ROW}"
    return _save_atomic(wb, Path(path))


def call_back(setup: Setup, given: ExpertJudgements) -> dict[str, Suggestion]:
    """The nodes a prefilled (call-back) workbook flags: each node whose answers are over the
    threshold, with the judgement most out of line and the value the others imply
    (:meth:`mcda_ckm.elicit.interview.Interview.suggestion`)."""
    tree = setup.tree
    if not given.judgements:
        return {}
    o = setup.options
    iv = start(
        tree,
        given.judgements,
        method=o["method"],
        ri_table=o["ri_table"],
        rule=o["rule"],
        completion=o["completion"],
    )
    out: dict[str, Suggestion] = {}
    for node in tree.inner_nodes:
        if not iv.complete(node):
            continue
        if not iv.priorities(node).consistent:
            s = iv.suggestion(node)
            if s is not None:
                out[node] = s
    return out


def export_panel(
    setup: Setup,
    out: str | Path,
    experts: Sequence[str] = (),
    *,
    prefill: bool = False,
    lang: str = "both",
) -> list[Path]:
    """One workbook per expert in folder ``out``: the experts named (new or in the panel), or
    every expert of the panel, or one blank ``expert.xlsx`` when the panel is empty.

    Parameters
    ----------
    prefill : bool
        Fill in the answers already in the experts' judgement files (for a review).
    """
    out = Path(out)
    chosen: list[tuple[str, dict[str, Any], tuple[Judgement, ...]]] = []
    names = list(experts)
    if not names and setup.panel.is_dir():
        names = [p.stem for p in sorted(setup.panel.glob("*.toml"))]
    for name in names:
        path = expert_path(setup.panel, name)
        if path.exists():
            e = load_expert(path, setup.tree)
            meta = {"name": e.name, "role": e.role, "weight": e.weight}
            chosen.append((path.stem, meta, e.judgements if prefill else ()))
        else:
            chosen.append((path.stem, {"name": name, "role": "", "weight": 1}, ()))
    if not chosen:
        chosen.append(("expert", {"name": "", "role": "", "weight": 1}, ()))
    for stem, _, _ in chosen:  # refuse before any workbook is written
        check_file(out / f"{stem}.xlsx")
    return [
        export_workbook(setup, out / f"{stem}.xlsx", stem, meta, given, lang=lang)
        for stem, meta, given in chosen
    ]


# -- reading ---------------------------------------------------------------------------------


def read_workbook(path: str | Path, tree: CriteriaTree) -> ImportedExpert:
    """Read one filled questionnaire workbook.

    Raises
    ------
    QuestionnaireError
        Naming the workbook, the sheet and the cell: not an .xlsx file, not a ckm
        questionnaire, made for another tree, a bad expert id or weight, a node sheet missing
        or unknown, a pair edited in the hidden columns or given twice, a side other than A/B,
        a side without an intensity or an intensity > 1 without a side, an intensity off the
        scale, a node whose answers do not link all its criteria.
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    if not path.is_file():
        raise QuestionnaireError("file not found", path=path, hint="Check the path")
    try:
        wb = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise QuestionnaireError(
            f"not an Excel workbook (.xlsx) that can be read ({type(exc).__name__})",
            path=path,
            hint="Save the questionnaire as an Excel workbook (.xlsx) and send that file",
        ) from None
    if INSTRUCTIONS not in wb.sheetnames:
        raise QuestionnaireError(
            f"not a ckm questionnaire: no sheet {INSTRUCTIONS!r}",
            path=path,
            hint="Import workbooks written by 'ckm questionnaire export'",
        )
    ws = wb[INSTRUCTIONS]
    cells: dict[str, tuple[str, Any]] = {}
    for row in range(1, 30):
        key = cell_text(ws.cell(row=row, column=1).value).lower()
        key = META_KEYS_ZH.get(key, key)
        if key in _META_KEYS and key not in cells:
            cells[key] = (f"B{row}", ws.cell(row=row, column=2).value)
    if cell_text(cells.get("questionnaire", ("B3", None))[1]) != MARKER:
        raise QuestionnaireError(
            f"not a ckm questionnaire: cell B3 should read {MARKER!r}",
            path=path,
            where=f"sheet {INSTRUCTIONS!r}, cell {cells.get('questionnaire', ('B3', None))[0]}",
            hint="Import workbooks written by 'ckm questionnaire export'",
        )
    ref, tree_id = cells.get("tree", ("B5", None))
    if cell_text(tree_id) != tree.id:
        raise QuestionnaireError(
            f"made for the criteria tree {cell_text(tree_id)!r}, but this case uses {tree.id!r}",
            path=path,
            where=f"sheet {INSTRUCTIONS!r}, cell {ref}",
            hint="Export a questionnaire from this case and have it filled again",
        )
    ref, raw_id = cells.get("expert id", ("B6", None))
    expert_id = slug(cell_text(raw_id) or path.stem)
    if not expert_id:
        raise QuestionnaireError(
            f"expert id {cell_text(raw_id)!r} cannot name a judgement file",
            path=path,
            where=f"sheet {INSTRUCTIONS!r}, cell {ref}",
            hint="Write the expert's id in letters and digits",
        )
    ref, raw_weight = cells.get("weight", ("B9", None))
    weight: Any = 1.0 if raw_weight in (None, "") else raw_weight
    try:
        weight = float(str(weight).strip()) if not isinstance(weight, bool) else math.nan
    except ValueError:
        weight = math.nan
    if not (math.isfinite(weight) and weight > 0):
        raise QuestionnaireError(
            f"weight {raw_weight!r} must be a positive number",
            path=path,
            where=f"sheet {INSTRUCTIONS!r}, cell {ref}",
            hint="Expert weights are relative: 1 for an ordinary member, 2 for a double vote",
        )
    meta = {
        "name": cell_text(cells.get("name", ("", None))[1]) or expert_id,
        "role": cell_text(cells.get("role", ("", None))[1]),
        "weight": weight,
    }

    sheets: dict[str, str] = {}
    for name in wb.sheetnames:
        if name == INSTRUCTIONS:
            continue
        node = cell_text(wb[name][NODE_CELL].value)
        where = f"sheet {name!r}, cell {NODE_CELL}"
        if node not in tree.inner_nodes:
            raise QuestionnaireError(
                f"{node!r} is not a node of the tree with criteria to compare",
                path=path,
                where=where,
                hint=f"The node ids are {', '.join(tree.inner_nodes)}; do not edit cell "
                f"{NODE_CELL}",
            )
        if node in sheets:
            raise QuestionnaireError(
                f"node {node!r} already has sheet {sheets[node]!r}",
                path=path,
                where=where,
                hint="Keep one sheet per node",
            )
        sheets[node] = name
    for node in tree.inner_nodes:
        if node not in sheets:
            raise QuestionnaireError(
                f"no sheet for node {node!r} ({tree.label(node)})",
                path=path,
                hint="Do not delete sheets: export the questionnaire again",
            )
    judgements: list[Judgement] = []
    problems = Problems(path)
    for node, name in sheets.items():
        ns = wb[name]
        kids = tree.children(node)
        seen: dict[frozenset[str], int] = {}
        for r in range(FIRST_ROW, FIRST_ROW + 200):
            a, b = cell_text(ns[f"{COL_A}{r}"].value), cell_text(ns[f"{COL_B}{r}"].value)
            if not a and not b:
                break
            for col, crit in ((COL_A, a), (COL_B, b)):
                if crit not in kids:
                    raise QuestionnaireError(
                        f"{crit!r} is not a criterion under {node!r}",
                        path=path,
                        where=f"sheet {name!r}, cell {col}{r}",
                        hint=f"Do not edit the hidden columns {COL_A}:{COL_B}; export again",
                    )
            if a == b or frozenset((a, b)) in seen:
                raise QuestionnaireError(
                    f"the pair {a} / {b} is "
                    + (
                        "a criterion with itself"
                        if a == b
                        else f"already in row {seen[frozenset((a, b))]}"
                    ),
                    path=path,
                    where=f"sheet {name!r}, cell {COL_A}{r}",
                    hint="Keep one row per pair; do not copy rows",
                )
            seen[frozenset((a, b))] = r
            try:
                value = _read_answer(ns, r, path, name, tree, a, b)
            except QuestionnaireError as exc:
                problems.add(exc)
                continue
            if value is not None:
                judgements.append(Judgement(node, a, b, value, f'[judgements.{node}] "{a} vs {b}"'))
    if not problems.errors:
        try:
            check_linked(tree, judgements, path, {n: f"sheet {s!r}" for n, s in sheets.items()})
        except QuestionnaireError as exc:
            problems.add(exc)
    problems.raise_if_any()
    return ImportedExpert(expert_id, meta, tuple(judgements), path.name)


def _read_answer(
    ns: Any, r: int, path: Path, sheet: str, tree: CriteriaTree, a: str, b: str
) -> float | None:
    raw_side = ns[f"{COL_SIDE}{r}"].value
    raw = ns[f"{COL_INTENSITY}{r}"].value
    side_text, text = cell_text(raw_side), cell_text(raw)
    if not side_text and not text:
        return None
    cell = f"sheet {sheet!r}, cell {COL_INTENSITY}{r}"
    if not text:
        raise QuestionnaireError(
            f"says {side_text} is more important but not how much",
            path=path,
            where=cell,
            hint=f"Choose a word of the scale in column {COL_INTENSITY}, or clear column "
            f"{COL_SIDE} to leave the pair out",
        )
    hint = "Choose from the drop-down: " + ", ".join(scale.WORDS) + " (or type 1-9)"
    value: float | None
    if isinstance(raw, bool):
        value = None
    elif isinstance(raw, int | float):
        value = float(raw)
    else:
        try:
            value = scale.read_answer(text)
        except scale.AnswerError as exc:
            raise QuestionnaireError(
                exc.message, path=path, where=cell, hint=exc.hint or hint
            ) from None
    if value is None or not math.isfinite(value):
        raise QuestionnaireError(f"{text!r} is not on the scale", path=path, where=cell, hint=hint)
    if not 1 - scale.RTOL <= value <= 9 * (1 + scale.RTOL):
        raise QuestionnaireError(
            f"{text!r} is outside 1-9: the intensity says how much more, the side which",
            path=path,
            where=cell,
            hint=f"Write the intensity 1-9 in column {COL_INTENSITY} and A or B in column "
            f"{COL_SIDE}",
        )
    if math.isclose(value, 1.0, rel_tol=scale.RTOL):
        return 1.0
    names = {
        "A": {"a", a.lower(), tree.label(a).lower(), str(tree.attr(a, "label_zh", "")).lower()},
        "B": {"b", b.lower(), tree.label(b).lower(), str(tree.attr(b, "label_zh", "")).lower()},
    }
    side = next((s for s, ok in names.items() if side_text.lower() in ok - {""}), None)
    if side is None:
        raise QuestionnaireError(
            f"{side_text!r} is not A or B" if side_text else "does not say which is more important",
            path=path,
            where=f"sheet {sheet!r}, cell {COL_SIDE}{r}",
            hint=f"Choose A ({tree.label(a)}) or B ({tree.label(b)}) from the drop-down",
        )
    return value if side == "A" else 1.0 / value
