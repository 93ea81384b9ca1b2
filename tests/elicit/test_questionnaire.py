"""Tests of mcda_ckm.elicit.questionnaire: the Excel round trip, the survey CSV import, and one test
per import error rule, each pinning the message with its workbook, sheet and cell."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from mcda_ckm.elicit.imported import QuestionnaireError, write_experts
from mcda_ckm.elicit.interview import load_setup
from mcda_ckm.elicit.questionnaire import read_files
from mcda_ckm.elicit.survey import read_survey_csv
from mcda_ckm.elicit.workbook import (
    MARKER,
    export_panel,
    export_workbook,
    read_workbook,
    sheet_names,
)
from mcda_ckm.model import scale
from mcda_ckm.model.judgements import ExpertJudgements, load_expert, load_panel
from tests.conftest import CASE, HUANG


@pytest.fixture
def case(tmp_path: Path) -> Path:
    shutil.copytree(CASE, tmp_path / "cases" / CASE.name)
    (tmp_path / "criteria").mkdir()
    shutil.copy(HUANG, tmp_path / "criteria" / HUANG.name)
    return tmp_path / "cases" / CASE.name


@pytest.fixture
def setup(case):
    return load_setup(case)


def fill(path: Path, expert: ExpertJudgements, tree, *, numbers: bool = False) -> Path:
    """Fill a blank workbook as an expert would: side A/B and a word (or a number) per pair."""
    wb = load_workbook(path)
    for ws in wb.worksheets[1:]:
        node = ws["B2"].value
        m = expert.matrix(tree, node) if expert.answered(tree, node) else None
        kids = tree.children(node)
        r = 7
        while ws[f"F{r}"].value:
            a, b = ws[f"F{r}"].value, ws[f"G{r}"].value
            v = np.nan if m is None else m[kids.index(a), kids.index(b)]
            if not math.isnan(v):
                side, k = ("A", v) if v >= 1 else ("B", 1 / v)
                k = round(k)
                ws[f"D{r}"] = None if k == 1 else side
                ws[f"E{r}"] = k if numbers else scale.NAMES[k]
            r += 1
    wb.save(path)
    return path


def same_matrices(a: ExpertJudgements, b: ExpertJudgements, tree) -> bool:
    return all(
        np.allclose(a.matrix(tree, n), b.matrix(tree, n), equal_nan=True) for n in tree.inner_nodes
    )


def judged(imported) -> ExpertJudgements:
    return ExpertJudgements(imported.id, "", "", 1.0, imported.judgements)


# -- export --------------------------------------------------------------------------------------


def test_export_layout(setup, tmp_path):
    (path,) = export_panel(setup, tmp_path / "q", ["Wang Li"])
    assert path.name == "wang_li.xlsx"
    wb = load_workbook(path)
    assert wb.sheetnames == [
        "Instructions",
        "goal",
        "knowledge_value",
        "willingness",
        "absorptive_capacity",
    ]
    ins = wb["Instructions"]
    assert (ins["B3"].value, ins["B5"].value, ins["B6"].value, ins["B7"].value) == (
        MARKER,
        "ckm-huang2008",
        "wang_li",
        "Wang Li",
    )
    ws = wb["knowledge_value"]
    assert ws["B2"].value == "knowledge_value"
    assert [ws.cell(6, c).value for c in range(1, 8)] == [
        "#",
        "Criterion A",
        "Criterion B",
        "More important",
        "How much more",
        "A id",
        "B id",
    ]
    assert ws["B7"].value == "Base potential / 基础潜力"
    assert (ws["F12"].value, ws["G12"].value, ws["F13"].value) == (
        "networking_potential",
        "learning_potential",
        None,
    )
    assert ws.column_dimensions["F"].hidden and ws.column_dimensions["G"].hidden
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["D7:D12"] == '"A,B"'
    assert lists["E7:E12"] == '"' + ",".join(scale.WORDS) + '"'
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("present value of its net cash flows" in t for t in texts)  # English description
    assert any("净现金流折现" in t for t in texts)  # Chinese description


def test_export_defaults_to_every_panel_expert_and_blank(setup, tmp_path):
    paths = export_panel(setup, tmp_path)
    assert sorted(p.stem for p in paths) == sorted(p.stem for p in setup.panel.glob("*.toml"))
    e = read_workbook(paths[0], setup.tree)
    assert e.judgements == () and e.meta["name"] == "Xu Tao"


def test_export_empty_panel_gives_one_template(setup, tmp_path):
    for p in setup.panel.glob("*.toml"):
        p.unlink()
    (path,) = export_panel(setup, tmp_path)
    assert path.name == "expert.xlsx"


def test_sheet_names_are_valid_and_unique(huang):
    names = sheet_names(huang)
    assert list(names.values()) == list(huang.inner_nodes)
    assert all(len(n) <= 31 for n in names.values())


def test_export_unknown_language(setup, tmp_path):
    from mcda_ckm.errors import CkmError

    with pytest.raises(CkmError, match=r"unknown language 'fr'\. Use both, en or zh"):
        export_workbook(setup, tmp_path / "x.xlsx", "x", {}, lang="fr")


# -- round trip -------------------------------------------------------------------------------


@pytest.mark.parametrize("numbers", [False, True])
def test_round_trip_gives_the_judgement_files(setup, tmp_path, numbers):
    """Export blank -> fill with openpyxl from the TOML files -> import: the same judgements
    (Liu Yang's left-out pair stays missing)."""
    experts = load_panel([setup.panel], setup.tree)
    paths = export_panel(setup, tmp_path / "q")
    for path, e in zip(paths, experts, strict=True):
        fill(path, e, setup.tree, numbers=numbers)
        got = read_workbook(path, setup.tree)
        assert got.id == e.id
        assert dict(got.meta) == {"name": e.name, "role": e.role, "weight": e.weight}
        assert len(got.judgements) == len(e.judgements)
        assert same_matrices(judged(got), e, setup.tree)


def test_round_trip_prefilled_and_written_back(setup, tmp_path):
    paths = export_panel(setup, tmp_path / "q", prefill=True)
    imported = read_files(paths, setup.tree)
    before = {e.id: e for e in load_panel([setup.panel], setup.tree)}
    written = write_experts(setup, imported, force=True)
    assert len(written) == 4
    for p in written:
        after = load_expert(p, setup.tree)
        assert same_matrices(after, before[p.stem], setup.tree)
        assert after.weight == before[p.stem].weight


def test_blank_node_is_left_out(setup, tmp_path):
    e = load_expert(setup.panel / "rd_director.toml", setup.tree)
    (path,) = export_panel(setup, tmp_path, ["rd_director"])
    fill(path, e, setup.tree)
    wb = load_workbook(path)
    for r in range(7, 13):
        wb["willingness"][f"D{r}"] = wb["willingness"][f"E{r}"] = None
    wb.save(path)
    got = judged(read_workbook(path, setup.tree))
    assert not got.answered(setup.tree, "willingness")
    assert len(got.judgements) == 15


def test_side_by_label_and_equal_without_side(setup, tmp_path):
    (path,) = export_panel(setup, tmp_path, ["x"])
    wb = load_workbook(path)
    ws = wb["goal"]
    ws["D7"], ws["E7"] = "Willingness to share knowledge", "strong"  # B by its label
    ws["D8"], ws["E8"] = None, "equal"
    ws["D9"], ws["E9"] = "b", 3
    wb.save(path)
    got = judged(read_workbook(path, setup.tree)).matrix(setup.tree, "goal")
    assert (
        got[0, 1] == pytest.approx(1 / 5) and got[0, 2] == 1 and got[1, 2] == pytest.approx(1 / 3)
    )


def test_write_experts_refuses_to_replace_without_force(setup, tmp_path):
    (path,) = export_panel(setup, tmp_path, ["rd_director"], prefill=True)
    imported = read_files([path], setup.tree)
    with pytest.raises(
        QuestionnaireError,
        match=r"rd_director\.toml: the judgement file rd_director\.toml exists already\. "
        r"Use --force to replace it with the answers from rd_director\.xlsx",
    ):
        write_experts(setup, imported)


# -- workbook errors, one rule each ------------------------------------------------------------


@pytest.fixture
def blank(setup, tmp_path):
    """A workbook for a new expert with the goal sheet answered."""
    (path,) = export_panel(setup, tmp_path / "q", ["Wang Li"])
    wb = load_workbook(path)
    for r, (side, word) in enumerate([("A", "moderate"), ("A", "strong"), ("B", 2)], start=7):
        wb["goal"][f"D{r}"], wb["goal"][f"E{r}"] = side, word
    wb.save(path)
    return path


def edit(path: Path, sheet: str, **cells) -> Path:
    wb = load_workbook(path)
    for ref, value in cells.items():
        wb[sheet][ref] = value
    wb.save(path)
    return path


def test_blank_fixture_imports(blank, setup):
    got = read_workbook(blank, setup.tree)
    assert got.id == "wang_li" and len(got.judgements) == 3


def test_error_workbook_not_found(setup, tmp_path):
    with pytest.raises(QuestionnaireError, match=r"nope\.xlsx: file not found"):
        read_workbook(tmp_path / "nope.xlsx", setup.tree)


def test_error_not_an_xlsx(setup, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("name,answer\n", encoding="utf-8")
    with pytest.raises(
        QuestionnaireError,
        match=r"fake\.xlsx: not an Excel workbook \(\.xlsx\) that can be read \(BadZipFile\)",
    ):
        read_workbook(path, setup.tree)


def test_error_no_instructions_sheet(blank, setup):
    wb = load_workbook(blank)
    wb["Instructions"].title = "Intro"
    wb.save(blank)
    with pytest.raises(
        QuestionnaireError, match=r"wang_li\.xlsx: not a ckm questionnaire: no sheet 'Instructions'"
    ):
        read_workbook(blank, setup.tree)


def test_error_marker(blank, setup):
    edit(blank, "Instructions", B3="something else")
    with pytest.raises(
        QuestionnaireError,
        match=r"wang_li\.xlsx: sheet 'Instructions', cell B3: not a ckm questionnaire: "
        r"cell B3 should read 'ckm questionnaire 1'",
    ):
        read_workbook(blank, setup.tree)


def test_error_other_tree(blank, setup):
    edit(blank, "Instructions", B5="ckm-zou2006")
    with pytest.raises(
        QuestionnaireError,
        match=r"sheet 'Instructions', cell B5: made for the criteria tree 'ckm-zou2006', but "
        r"this case uses 'ckm-huang2008'",
    ):
        read_workbook(blank, setup.tree)


def test_error_expert_id(blank, setup):
    edit(blank, "Instructions", B6="!!!")
    with pytest.raises(
        QuestionnaireError,
        match=r"sheet 'Instructions', cell B6: expert id '!!!' cannot name a judgement file",
    ):
        read_workbook(blank, setup.tree)


@pytest.mark.parametrize("weight", ["two", 0, -1])
def test_error_weight(blank, setup, weight):
    edit(blank, "Instructions", B9=weight)
    with pytest.raises(
        QuestionnaireError,
        match=rf"sheet 'Instructions', cell B9: weight {weight!r} must be a positive number",
    ):
        read_workbook(blank, setup.tree)


def test_error_unknown_node_cell(blank, setup):
    edit(blank, "willingness", B2="wilingness")
    with pytest.raises(
        QuestionnaireError,
        match=r"wang_li\.xlsx: sheet 'willingness', cell B2: 'wilingness' is not a node of the "
        r"tree with criteria to compare",
    ):
        read_workbook(blank, setup.tree)


def test_error_two_sheets_for_a_node(blank, setup):
    edit(blank, "willingness", B2="goal")
    with pytest.raises(
        QuestionnaireError,
        match=r"sheet 'willingness', cell B2: node 'goal' already has sheet 'goal'",
    ):
        read_workbook(blank, setup.tree)


def test_error_missing_node_sheet(blank, setup):
    wb = load_workbook(blank)
    del wb["absorptive_capacity"]
    wb.save(blank)
    with pytest.raises(
        QuestionnaireError,
        match=r"wang_li\.xlsx: no sheet for node 'absorptive_capacity' \(Absorptive capacity\)",
    ):
        read_workbook(blank, setup.tree)


def test_error_hidden_id_edited(blank, setup):
    edit(blank, "goal", G8="trust")
    with pytest.raises(
        QuestionnaireError,
        match=r"sheet 'goal', cell G8: 'trust' is not a criterion under 'goal'\. Do not edit "
        r"the hidden columns F:G",
    ):
        read_workbook(blank, setup.tree)


def test_error_pair_twice(blank, setup):
    edit(blank, "goal", F9="knowledge_value", G9="willingness")
    with pytest.raises(
        QuestionnaireError,
        match=r"sheet 'goal', cell F9: the pair knowledge_value / willingness is already in "
        r"row 7",
    ):
        read_workbook(blank, setup.tree)


def test_error_side_not_a_or_b(blank, setup):
    edit(blank, "goal", D8="C")
    with pytest.raises(QuestionnaireError, match=r"sheet 'goal', cell D8: 'C' is not A or B"):
        read_workbook(blank, setup.tree)


def test_error_intensity_without_side(blank, setup):
    edit(blank, "goal", D8=None)
    with pytest.raises(
        QuestionnaireError, match=r"sheet 'goal', cell D8: does not say which is more important"
    ):
        read_workbook(blank, setup.tree)


def test_error_side_without_intensity(blank, setup):
    edit(blank, "goal", E8=None)
    with pytest.raises(
        QuestionnaireError,
        match=r"sheet 'goal', cell E8: says A is more important but not how much",
    ):
        read_workbook(blank, setup.tree)


def test_error_intensity_not_on_scale(blank, setup):
    edit(blank, "goal", E8="a lot")
    with pytest.raises(
        QuestionnaireError, match=r"sheet 'goal', cell E8: 'a lot' is not on the scale"
    ):
        read_workbook(blank, setup.tree)


@pytest.mark.parametrize("value", [0.5, 12, "1/3"])
def test_error_intensity_outside_1_to_9(blank, setup, value):
    edit(blank, "goal", E8=value)
    with pytest.raises(
        QuestionnaireError,
        match=r"sheet 'goal', cell E8: '.*' is outside 1-9: the intensity says how much more",
    ):
        read_workbook(blank, setup.tree)


def test_error_node_not_linked(blank, setup):
    edit(blank, "knowledge_value", D7="A", E7="moderate", D12="B", E12="strong")
    with pytest.raises(
        QuestionnaireError,
        match=r"wang_li\.xlsx: sheet 'knowledge_value': the answers for knowledge_value do not "
        r"link all its criteria \(unlinked groups: base_potential, growth_potential \| "
        r"networking_potential, learning_potential\)",
    ):
        read_workbook(blank, setup.tree)


def test_error_unknown_file_kind(setup, tmp_path):
    with pytest.raises(QuestionnaireError, match=r"x\.ods: unknown kind of file '\.ods'"):
        read_files([tmp_path / "x.ods"], setup.tree)


def test_error_same_expert_twice(blank, setup, tmp_path):
    other = tmp_path / "copy.xlsx"
    shutil.copy(blank, other)
    with pytest.raises(
        QuestionnaireError,
        match=r"copy\.xlsx: expert 'wang_li' is already read from wang_li\.xlsx",
    ):
        read_files([blank, other], setup.tree)


# -- survey CSV --------------------------------------------------------------------------------

HEADER = (
    "Timestamp,respondent,role,weight,knowledge_value vs willingness,"
    "goal: knowledge_value vs absorptive_capacity,willingness vs absorptive_capacity,"
    "growth_potential vs base_potential\n"
)
# Two goal pairs link its three criteria.
G = "knowledge_value vs willingness,knowledge_value vs absorptive_capacity"


def survey(tmp_path: Path, text: str, name: str = "survey.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_survey_reads_every_respondent(setup, tmp_path):
    path = survey(
        tmp_path,
        HEADER
        + "2024-05-01,Wang Li,CTO,2,moderate,B strong,1/2,\n"
        + "2024-05-02,Li Na,,,3,2,equal,\n",
    )
    wang, li = read_survey_csv(path, setup.tree)
    assert (wang.id, dict(wang.meta)) == (
        "wang_li",
        {"name": "Wang Li", "role": "CTO", "weight": 2},
    )
    m = judged(wang).matrix(setup.tree, "goal")
    assert (m[0, 1], m[0, 2], m[1, 2]) == (3, pytest.approx(0.2), 0.5)
    assert not judged(wang).answered(setup.tree, "knowledge_value")  # blank cell: left out
    assert li.source == "survey.csv, row 3"
    assert judged(li).matrix(setup.tree, "goal")[1, 2] == 1


def test_survey_semicolons_and_bom(setup, tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(
        "\ufeffname;knowledge_value vs willingness;willingness vs absorptive_capacity\n"
        "Zhou;strong;B 3\n",
        encoding="utf-8",
    )
    (zhou,) = read_survey_csv(path, setup.tree)
    assert zhou.id == "zhou" and [j.value for j in zhou.judgements] == [5, pytest.approx(1 / 3)]


def test_survey_written_files_load(setup, tmp_path):
    path = survey(tmp_path, HEADER + "x,Wang Li,CTO,2,moderate,B strong,1/2,\n")
    (p,) = write_experts(setup, read_files([path], setup.tree))
    e = load_expert(p, setup.tree)
    assert (e.name, e.role, e.weight, len(e.judgements)) == ("Wang Li", "CTO", 2, 3)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"survey\.csv: row 1: empty file: no header row"),
        ("who,a vs b\n", r"survey\.csv: row 1: no respondent column"),
        ("respondent,score\nx,1\n", r"row 1: no pair columns \(headed \"<first> vs <second>\"\)"),
        (
            "respondent,knowledge_value vs \nx,1\n",
            r'row 1, column "knowledge_value vs": a pair column must be headed',
        ),
        (
            "respondent,knowledge_value vs cheese\nx,1\n",
            r'row 1, column "knowledge_value vs cheese": unknown criterion \'cheese\'',
        ),
        (
            "respondent,knowledge_value vs trust\nx,1\n",
            r"'knowledge_value' and 'trust' are not two criteria under the same node",
        ),
        (
            "respondent,willingness: knowledge_value vs willingness\nx,1\n",
            r"'knowledge_value' and 'willingness' sit under 'goal', not 'willingness'",
        ),
        (
            "respondent,knowledge_value vs willingness,willingness vs knowledge_value\nx,1,1\n",
            r'column "willingness vs knowledge_value": the pair willingness / knowledge_value '
            r'already has the column "knowledge_value vs willingness"',
        ),
        (
            "respondent,knowledge_value vs willingness\nx,lots\n",
            r"row 2, column \"knowledge_value vs willingness\": 'lots' is not on the scale",
        ),
        (
            f"respondent,{G}\n,3,3\n",
            r'row 2, column "respondent": no respondent name',
        ),
        (
            f"respondent,{G}\nLi,3,3\nli,2,2\n",
            r"row 3, column \"respondent\": respondent 'li' is already in row 2",
        ),
        (
            f"respondent,weight,{G}\nLi,-2,3,3\n",
            r"row 2, column \"weight\": weight '-2' must be a positive number",
        ),
        (
            f"respondent,{G}\nLi,,\n",
            r"row 2: respondent 'Li' answered no pair\. Delete the row",
        ),
        (
            "respondent,base_potential vs growth_potential,networking_potential vs "
            "learning_potential\nLi,3,3\n",
            r"row 2: the answers for knowledge_value do not link all its criteria",
        ),
        ("respondent,knowledge_value vs willingness\n", r"row 2: no respondent rows"),
    ],
)
def test_survey_error_rules(setup, tmp_path, text, message):
    with pytest.raises(QuestionnaireError, match=message):
        read_survey_csv(survey(tmp_path, text), setup.tree)


def test_survey_error_not_utf8(setup, tmp_path):
    path = tmp_path / "survey.csv"
    path.write_bytes("respondent,knowledge_value vs willingness\nZoë,3\n".encode("latin-1"))
    with pytest.raises(QuestionnaireError, match=r"survey\.csv: not UTF-8 text"):
        read_survey_csv(path, setup.tree)


# -- one reading of an answer (issue 14, point 1) ----------------------------------------------


def test_survey_negative_cell_is_refused_not_inverted(setup, tmp_path):
    csv = tmp_path / "s.csv"
    csv.write_text("respondent,knowledge_value vs willingness\nLi,-3\n", encoding="utf-8")
    with pytest.raises(QuestionnaireError, match=r"row 2, column .*'-3' is negative.*B 3"):
        read_survey_csv(csv, setup.tree)


def test_survey_bipolar_export(setup, tmp_path):
    csv = tmp_path / "s.csv"
    csv.write_text(
        "respondent,knowledge_value vs willingness,knowledge_value vs absorptive_capacity,"
        "willingness vs absorptive_capacity\nLi,-3,5,0\n",
        encoding="utf-8",
    )
    (e,) = read_survey_csv(csv, setup.tree, bipolar=True)
    assert [j.value for j in e.judgements] == pytest.approx([1 / 3, 5, 1])


def test_survey_chinese_words(setup, tmp_path):
    csv = tmp_path / "s.csv"
    csv.write_text(
        "respondent,knowledge_value vs willingness,knowledge_value vs absorptive_capacity\n"
        "Li,稍微重要,B 明显重要\n",
        encoding="utf-8",
    )
    (e,) = read_survey_csv(csv, setup.tree)
    assert [j.value for j in e.judgements] == pytest.approx([3, 1 / 5])


def test_workbook_text_negative_refused_and_chinese_word_read(setup, tmp_path):
    (path,) = export_panel(setup, tmp_path, ["Li"])
    wb = load_workbook(path)
    wb["goal"]["D7"], wb["goal"]["E7"] = "A", "-5"
    wb.save(path)
    with pytest.raises(QuestionnaireError, match=r"cell E7: '-5' is negative"):
        read_workbook(path, setup.tree)
    wb["goal"]["D7"], wb["goal"]["E7"] = "B", "稍微重要"
    wb["goal"]["D8"], wb["goal"]["E8"] = "A", "明显重要"
    wb.save(path)
    e = read_workbook(path, setup.tree)
    assert e.judgements[0].value == pytest.approx(1 / 3)


def test_workbook_instructions_list_the_chinese_words(setup, tmp_path):
    (path,) = export_panel(setup, tmp_path, ["Li"])
    listed = {c.value for row in load_workbook(path)["Instructions"].iter_rows() for c in row}
    assert set(scale.WORDS_ZH) <= listed


def test_judgement_file_negative_string_refused(setup, tmp_path):
    path = tmp_path / "e.toml"
    path.write_text('[judgements.goal]\n"knowledge_value vs willingness" = "-3"\n', "utf-8")
    with pytest.raises(Exception, match=r"'-3' is negative"):
        load_expert(path, setup.tree)


# -- issue 14 point 5: imports ------------------------------------------------------------------


def test_survey_reports_every_error_at_once(setup, tmp_path):
    csv = tmp_path / "s.csv"
    csv.write_text(
        "respondent,knowledge_value vs willingness,knowledge_value vs absorptive_capacity\n"
        "Li,hugely,3\nGao,3,-2\nWu,1/3,2\n",
        encoding="utf-8",
    )
    with pytest.raises(QuestionnaireError, match=r"2 problems") as exc:
        read_survey_csv(csv, setup.tree)
    text = str(exc.value)
    assert "row 2, column \"knowledge_value vs willingness\": 'hugely' is not on the scale" in text
    assert "row 3, column \"knowledge_value vs absorptive_capacity\": '-2' is negative" in text


def test_problems_are_capped_with_a_count(setup, tmp_path):
    from mcda_ckm.elicit.imported import MAX_SHOWN

    csv = tmp_path / "s.csv"
    rows = "".join(f"R{k},bad\n" for k in range(MAX_SHOWN + 5))
    csv.write_text("respondent,knowledge_value vs willingness\n" + rows, encoding="utf-8")
    with pytest.raises(QuestionnaireError, match=rf"{MAX_SHOWN + 5} problems") as exc:
        read_survey_csv(csv, setup.tree)
    assert "... and 5 more" in str(exc.value)
    assert str(exc.value).count("is not on the scale") == MAX_SHOWN


def test_workbook_reports_every_error_at_once(setup, tmp_path):
    (path,) = export_panel(setup, tmp_path, ["Li"])
    wb = load_workbook(path)
    wb["goal"]["D7"], wb["goal"]["E7"] = "A", "hugely"
    wb["willingness"]["D8"], wb["willingness"]["E8"] = "C", "strong"
    wb.save(path)
    with pytest.raises(QuestionnaireError, match="2 problems") as exc:
        read_workbook(path, setup.tree)
    assert "sheet 'goal', cell E7" in str(exc.value)
    assert "sheet 'willingness', cell D8" in str(exc.value)


def test_untouched_init_template_is_replaced_without_force(tmp_path):
    from mcda_ckm.model.scaffold import scaffold

    folder = tmp_path / "c"
    scaffold(folder, experts=["Li Na"])
    s = load_setup(folder)
    csv = tmp_path / "s.csv"
    csv.write_text(
        "respondent,knowledge_value vs willingness,knowledge_value vs absorptive_capacity\n"
        "Li Na,3,5\n",
        encoding="utf-8",
    )
    (written,) = write_experts(s, read_survey_csv(csv, s.tree))
    assert load_expert(written, s.tree).judgements[0].value == 3
    # once it holds answers it is no longer a template: --force is needed again
    with pytest.raises(QuestionnaireError, match="exists already"):
        write_experts(s, read_survey_csv(csv, s.tree))


# -- issue 14 point 6: Chinese ------------------------------------------------------------------


def test_zh_workbook_is_in_chinese_and_reads_back(setup, tmp_path):
    (path,) = export_panel(setup, tmp_path, ["Li"], lang="zh")
    wb = load_workbook(path)
    ins = wb["Instructions"]
    assert ins["A1"].value.startswith("AHP 调查问卷")
    assert [ins.cell(row=r, column=1).value for r in range(3, 10)] == [
        "问卷",
        "案例",
        "指标树",
        "专家编号",
        "姓名",
        "职务",
        "权重",
    ]
    goal = wb["goal"]
    assert [goal.cell(row=6, column=c).value for c in range(2, 6)] == [
        "指标 A",
        "指标 B",
        "哪个更重要",
        "重要程度",
    ]
    (word_dv,) = [dv for dv in goal.data_validations.dataValidation if "E" in str(dv.sqref)]
    assert "稍微重要" in word_dv.formula1 and "moderate" not in word_dv.formula1
    goal["D7"], goal["E7"] = "A", "稍微重要"
    goal["D8"], goal["E8"] = "B", "明显重要"
    wb.save(path)
    e = read_workbook(path, setup.tree)
    assert [j.value for j in e.judgements] == pytest.approx([3, 1 / 5])
    assert e.id == "li"


def test_call_back_workbook_flags_node_and_pair_with_implied_value(setup, tmp_path):
    """Issue 14 point 7: Zhou Min's knowledge_value node (CR 0.217) is flagged; the revision
    is phrased as everywhere else; the suggested value sits beside the pair."""
    (path,) = export_panel(setup, tmp_path, ["sales_director"], prefill=True)
    ws = load_workbook(path)["knowledge_value"]
    assert ws["A5"].value.startswith("Please revisit")
    assert "; CR after this change" in ws["A5"].value
    flagged = [r for r in range(7, 13) if ws.cell(row=r, column=8).value]
    assert len(flagged) == 1
    assert (
        ws["A5"].value.endswith(
            "Base potential over Growth potential, equal to moderate (2) -> Growth potential over "
            "Base potential, moderate (3); CR after this change 0.040"
        )
        or "->" in ws["A5"].value
    )
    assert load_workbook(path)["goal"]["A5"].value is None
    e = read_workbook(path, setup.tree)  # the extra column is not read back
    assert len(e.judgements) == 21
