"""Tests of the long-table importer (issue 14, point 5): expert, node, a, b, value."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from mcda_ckm.elicit.imported import QuestionnaireError
from mcda_ckm.elicit.longtable import read_long_table
from mcda_ckm.elicit.questionnaire import read_files
from mcda_ckm.model.judgements import ExpertJudgements

HEAD = "expert,node,a,b,value\n"
GOAL_LI = (
    "Li Na,goal,knowledge_value,willingness,3\n"
    "Li Na,goal,absorptive_capacity,knowledge_value,2\n"  # reversed orientation
    "Li Na,goal,willingness,absorptive_capacity,B moderate\n"
)


def test_long_table_either_orientation(huang, tmp_path):
    path = tmp_path / "answers.csv"
    gao_rows = (
        "Gao Yu,,knowledge_value,willingness,稍微重要\nGao Yu,,willingness,absorptive_capacity,1\n"
    )
    path.write_text(HEAD + GOAL_LI + gao_rows, "utf-8")
    li, gao = read_long_table(path, huang)
    m = ExpertJudgements(li.id, "", "", 1.0, li.judgements).matrix(huang, "goal")
    # knowledge_value, willingness, absorptive_capacity
    assert m[0, 1] == pytest.approx(3)
    assert m[0, 2] == pytest.approx(1 / 2)  # absorptive over knowledge value 2
    assert m[1, 2] == pytest.approx(1 / 3)
    assert gao.judgements[0].node == "goal" and gao.judgements[0].value == 3


def test_long_table_pair_twice_in_reverse_is_an_error(huang, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text(HEAD + GOAL_LI + "Li Na,goal,willingness,knowledge_value,2\n", "utf-8")
    with pytest.raises(QuestionnaireError, match=r"row 5, column \"a\": the pair .* row 2"):
        read_long_table(path, huang)


def test_long_table_reports_every_error(huang, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text(
        HEAD + "Li,goal,knowledge_value,cheese,3\nLi,goal,knowledge_value,willingness,-3\n",
        "utf-8",
    )
    with pytest.raises(QuestionnaireError, match="2 problems") as exc:
        read_long_table(path, huang)
    assert "unknown criterion 'cheese'" in str(exc.value)
    assert "'-3' is negative" in str(exc.value)


def test_long_table_xlsx_through_read_files(huang, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["expert", "node", "a", "b", "value", "weight"])
    for row in GOAL_LI.strip().splitlines():
        ws.append([*row.split(","), 2])
    wb.save(tmp_path / "answers.xlsx")
    (e,) = read_files([tmp_path / "answers.xlsx"], huang)
    assert e.meta["weight"] == 2 and len(e.judgements) == 3
