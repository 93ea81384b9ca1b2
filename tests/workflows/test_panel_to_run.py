"""Issue 14's definition of done, end to end through the real ``ckm`` CLI: a bipolar survey
export, a long table, a Chinese workbook and an interrupted terminal session all reach
``ckm weights`` / ``ckm run`` with what the expert meant, or a clear error.

Each test works on a copy of ``cases/precision-machinery`` whose panel folder is replaced by
what the test imports. The meant numbers are written by hand from Saaty's scale (1 equal,
3 moderate, 5 strong, 7 very strong, 9 extreme; 2, 4, 6, 8 in between; "B over A x" is
1/x), and the weights are checked against :func:`mcda_ckm.weights.ahp.priorities` applied to
a matrix built here by hand from those numbers.
"""

from __future__ import annotations

import json
import shutil
from fractions import Fraction
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner, Result

from mcda_ckm.cli.main import app
from mcda_ckm.model.judgements import load_expert
from mcda_ckm.model.tree import CriteriaTree, load_tree
from mcda_ckm.weights.ahp import priorities
from tests.conftest import CASE, HUANG

runner = CliRunner()

# The tree's inner nodes and their criteria, in the tree's order (Huang, Han & Meng 2008).
NODES = {
    "goal": ["knowledge_value", "willingness", "absorptive_capacity"],
    "knowledge_value": [
        "base_potential",
        "growth_potential",
        "networking_potential",
        "learning_potential",
    ],
    "willingness": [
        "active_contact_frequency",
        "passive_acceptance_rate",
        "trust",
        "perceived_benefit",
    ],
    "absorptive_capacity": [
        "source_diversity",
        "prior_knowledge",
        "employee_motivation",
        "it_support",
    ],
}

# Saaty's verbal scale in Chinese, as the zh workbook's drop-down lists it, with the number each
# word means (written here by hand, not taken from the code).
ZH_MEANT = {
    "同等重要": 1,
    "同等至稍微重要": 2,
    "稍微重要": 3,
    "稍微至明显重要": 4,
    "明显重要": 5,
    "明显至强烈重要": 6,
    "强烈重要": 7,
}


@pytest.fixture
def case(tmp_path: Path) -> Path:
    """A copy of the demonstration case with its bundled tree beside it."""
    shutil.copytree(CASE, tmp_path / "cases" / CASE.name)
    (tmp_path / "criteria").mkdir()
    shutil.copy(HUANG, tmp_path / "criteria" / HUANG.name)
    return tmp_path / "cases" / CASE.name


@pytest.fixture
def tree() -> CriteriaTree:
    return load_tree(HUANG)


def empty_panel(case: Path) -> Path:
    panel = case / "panel"
    shutil.rmtree(panel)
    panel.mkdir()
    return panel


def invoke(*args: object, input: str | None = None) -> Result:
    return runner.invoke(app, [str(a) for a in args], input=input)


def flat(text: str) -> str:
    """Text with rich's line wrapping undone."""
    return " ".join(text.split())


def matrix(criteria: list[str], meant: dict[tuple[str, str], float]) -> np.ndarray:
    """The reciprocal matrix of one node from ``meant[(a, b)]`` = how much a over b."""
    n = len(criteria)
    a = np.ones((n, n))
    for (x, y), v in meant.items():
        i, j = criteria.index(x), criteria.index(y)
        a[i, j], a[j, i] = v, 1 / v
    return a


def saved(path: Path, tree: CriteriaTree) -> dict[tuple[str, str, str], float]:
    """The judgements of a written judgement file, keyed (node, first, second)."""
    return {(j.node, j.first, j.second): j.value for j in load_expert(path, tree).judgements}


def assert_meant(
    got: dict[tuple[str, str, str], float], meant: dict[tuple[str, str, str], float]
) -> None:
    """Every meant judgement is in the file, in either orientation, to 1e-12."""
    for (node, a, b), v in meant.items():
        if (node, a, b) in got:
            assert got[(node, a, b)] == pytest.approx(v, rel=1e-12, abs=0), (node, a, b)
        else:
            assert got[(node, b, a)] == pytest.approx(1 / v, rel=1e-12, abs=0), (node, a, b)
    assert len(got) == len(meant)


def assert_weights(
    data: dict, expert: str, node: str, meant: dict[tuple[str, str, str], float]
) -> None:
    """The expert's local weights at ``node`` equal priorities() of the hand-built matrix."""
    criteria = NODES[node]
    pairs = {(a, b): v for (n, a, b), v in meant.items() if n == node}
    expected = priorities(matrix(criteria, pairs)).weights
    got = data["nodes"][node]["experts"][expert]["weights"]
    np.testing.assert_allclose([got[c] for c in criteria], expected, rtol=0, atol=1e-12)


# -- 1. a bipolar survey export --------------------------------------------------------------

# Two respondents' -9..+9 sliders for every pair of the tree; a negative cell is B over A.
BIPOLAR = {
    "Li Na": [3, -2, 1, 2, -3, 1, 4, -2, -1, 1, 2, 3, -2, 1, 2, -3, 1, 2, 2, -1, 1],
    "Gao Yu": [-4, 1, 2, 1, 1, -2, 2, 3, 1, -5, 1, 1, 2, 1, -2, 1, 1, 3, 2, 1, -2],
}


def all_pairs() -> list[tuple[str, str, str]]:
    return [(n, a, b) for n, cs in NODES.items() for a, b in combinations(cs, 2)]


def test_bipolar_survey_export_reaches_weights(case, tree, tmp_path):
    """A -x cell of a bipolar export means B over A with intensity x: 1/x in the file and in
    the weights (not x, as issue 14 found it read)."""
    empty_panel(case)
    pairs = all_pairs()
    header = "respondent,timestamp," + ",".join(f"{n}: {a} vs {b}" for n, a, b in pairs)
    rows = [
        f"{name},2026-03-01 10:00," + ",".join(str(v) for v in values)
        for name, values in BIPOLAR.items()
    ]
    csv = tmp_path / "survey export.csv"
    csv.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    r = invoke("questionnaire", "import", case, csv, "--scale", "bipolar")
    assert r.exit_code == 0, r.stderr
    r = invoke("weights", case, "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert [e["id"] for e in data["experts"]] == ["gao_yu", "li_na"]
    for name, expert in (("Li Na", "li_na"), ("Gao Yu", "gao_yu")):
        meant = {p: (v if v > 0 else 1 / -v) for p, v in zip(pairs, BIPOLAR[name], strict=True)}
        assert_meant(saved(case / "panel" / f"{expert}.toml", tree), meant)
        for node in NODES:
            assert_weights(data, expert, node, meant)
    # the pair with a negative cell, spelled out: Li Na's goal "knowledge_value vs
    # absorptive_capacity" = -2 means absorptive capacity twice as important
    li = saved(case / "panel" / "li_na.toml", tree)
    assert li[("goal", "knowledge_value", "absorptive_capacity")] == pytest.approx(0.5, abs=1e-15)


def test_survey_negative_cell_without_bipolar_is_a_clear_error(case, tmp_path):
    """Without ``--scale bipolar`` a negative cell is refused (exit 2), naming the file and
    saying how to write "B over A"; nothing is written."""
    panel = empty_panel(case)
    csv = tmp_path / "slider export.csv"
    csv.write_text(
        "respondent,knowledge_value vs willingness,knowledge_value vs absorptive_capacity,"
        "willingness vs absorptive_capacity\nLi Na,3,-2,1\n",
        encoding="utf-8",
    )
    r = invoke("questionnaire", "import", case, csv)
    assert r.exit_code == 2
    text = flat(r.stderr)
    assert "slider export.csv" in text
    assert 'row 2, column "knowledge_value vs absorptive_capacity"' in text
    assert "'-2' is negative" in text
    assert 'To say B is more important write "B 2" or "1/2"' in text
    assert "--scale bipolar" in text
    assert list(panel.iterdir()) == []


# -- 2. a long table -------------------------------------------------------------------------


def test_long_table_reaches_weights(case, tree, tmp_path):
    """A consultant's long table (expert, node, a, b, value); one row gives its pair in the
    reverse orientation (b over a), which must be read as 1/value of the tree's a vs b."""
    empty_panel(case)
    values = [3, "1/2", 1, 2, "1/3", 1, 4, "1/2", 1, 1, 2, 3, "1/2", 1, 2, "1/3", 1, 2, 2, 1, 1]
    rows = ["expert,node,a,b,value"]
    meant: dict[tuple[str, str, str], float] = {}
    for (node, a, b), v in zip(all_pairs(), values, strict=True):
        x = float(Fraction(str(v)))
        if (node, a, b) == ("knowledge_value", "base_potential", "learning_potential"):
            # learning over base, 3: written the other way round
            rows.append(f"Wu Fang,{node},{b},{a},3")
            x = 1 / 3
        else:
            rows.append(f"Wu Fang,{node},{a},{b},{v}")
        meant[(node, a, b)] = x
    table = tmp_path / "answers.csv"
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    r = invoke("questionnaire", "import", case, table)
    assert r.exit_code == 0, r.stderr
    assert "6 of 6 pairs answered, 0 missing" in flat(r.stderr)
    assert_meant(saved(case / "panel" / "wu_fang.toml", tree), meant)
    r = invoke("weights", case, "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert [e["id"] for e in data["experts"]] == ["wu_fang"]
    for node in NODES:
        assert_weights(data, "wu_fang", node, meant)
    # one expert: the group's local weights are hers
    kv = data["nodes"]["knowledge_value"]["weights"]
    expected = priorities(
        matrix(
            NODES["knowledge_value"],
            {(a, b): v for (n, a, b), v in meant.items() if n == "knowledge_value"},
        )
    ).weights
    np.testing.assert_allclose([kv[c] for c in NODES["knowledge_value"]], expected, atol=1e-12)


# -- 3. a Chinese workbook -------------------------------------------------------------------


def test_chinese_workbook_reaches_weights(case, tree, tmp_path):
    """The zh workbook, filled with the words of its own drop-downs, is read as meant:
    稍微重要 is 3, and B with 明显重要 is 1/5."""
    empty_panel(case)
    out = tmp_path / "sent"
    r = invoke("questionnaire", "export", case, "--lang", "zh", "-e", "Li Na", "--out", out)
    assert r.exit_code == 0, r.stderr
    path = out / "li_na.xlsx"
    wb = load_workbook(path)
    words = list(ZH_MEANT)
    meant: dict[tuple[str, str, str], float] = {}
    k = 0
    for node in NODES:
        ws = wb[node]
        (dv,) = [dv for dv in ws.data_validations.dataValidation if "E" in str(dv.sqref)]
        offered = dv.formula1.strip('"').split(",")
        row = 7
        while ws.cell(row=row, column=6).value:
            a, b = ws.cell(row=row, column=6).value, ws.cell(row=row, column=7).value
            word = words[k % len(words)]
            assert word in offered, (word, offered)
            side = "B" if k % 3 == 1 else "A"
            ws.cell(row=row, column=4).value = side
            ws.cell(row=row, column=5).value = word
            meant[(node, a, b)] = ZH_MEANT[word] if side == "A" else 1 / ZH_MEANT[word]
            row, k = row + 1, k + 1
    assert len(meant) == 21
    wb.save(path)
    r = invoke("questionnaire", "import", case, path)
    assert r.exit_code == 0, r.stderr
    got = saved(case / "panel" / "li_na.toml", tree)
    assert_meant(got, meant)
    # spelled out: the goal's first pair is A 同等重要 (1), the second B 同等至稍微重要 (1/2),
    # the third A 稍微重要 (3)
    assert got[("goal", "willingness", "absorptive_capacity")] == pytest.approx(3, abs=1e-15)
    assert got[("goal", "knowledge_value", "absorptive_capacity")] == pytest.approx(0.5)
    r = invoke("weights", case, "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    for node in NODES:
        assert_weights(data, "li_na", node, meant)


# -- 4. an interrupted terminal session ------------------------------------------------------

GOAL = ["moderate", "2", "B 2"]  # consistent
KNOWLEDGE_HALF = ["equal to moderate", "B moderate"]  # stops here: input runs out

PANEL = ["crm_it_lead", "rd_director", "sales_director", "service_manager"]


def test_interrupted_judge_session_left_out_of_run_unless_included(case, tmp_path):
    """Wang Li stops half-way through ``ckm judge``: ``ckm run`` leaves her out and names her
    on stderr; with ``[panel] unfinished = "include"`` she is counted."""
    script = "".join(f"{a}\n" for a in (*GOAL, *KNOWLEDGE_HALF))
    first = invoke("judge", case, "-e", "Wang Li", input=script)
    assert first.exit_code == 130, first.stderr
    r = invoke("run", case, "--json", "--samples", "100", "--out", tmp_path / "rep")
    assert r.exit_code == 0, r.stderr
    assert "Wang Li" in flat(r.stderr) and "left out" in flat(r.stderr)
    data = json.loads(r.stdout)
    assert [e["id"] for e in data["panel"]["experts"]] == PANEL
    assert [e["id"] for e in data["panel_quality"]["in_progress"]] == ["wang_li"]
    assert data["panel_quality"]["in_progress_excluded"] is True

    with (case / "case.toml").open("a", encoding="utf-8") as f:
        f.write('\n[panel]\nunfinished = "include"\n')
    r = invoke("run", case, "--json", "--samples", "100", "--out", tmp_path / "rep2")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert [e["id"] for e in data["panel"]["experts"]] == sorted([*PANEL, "wang_li"])
    assert data["panel_quality"]["in_progress_excluded"] is False
    assert "Wang Li" in flat(r.stderr) and "included for the nodes answered" in flat(r.stderr)
    # counted at the goal, where she answered
    assert "wang_li" in data["panel"]["nodes"]["goal"]["experts"]
