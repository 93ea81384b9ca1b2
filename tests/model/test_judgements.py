"""Tests of mcda_ckm.model.judgements: the file format, and one test per bad-input rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from mcda_ckm.errors import JudgementError
from mcda_ckm.model import scale
from mcda_ckm.model.judgements import load_expert, load_panel
from tests.conftest import CASE

GOAL = "[judgements.goal]\n"


def expert(write, body: str, head: str = ""):
    return write("e.toml", head + body)


def test_bundled_panel_loads(huang):
    experts = load_panel([CASE / "panel"], huang)
    assert len(experts) == 4
    assert {e.role for e in experts} >= {"R&D director"}
    rd = next(e for e in experts if e.role == "R&D director")
    assert rd.weight == 2


def test_numbers_words_fractions_and_preferred(write, huang):
    path = expert(
        write,
        GOAL
        + '"knowledge_value vs willingness" = "very strong"\n'
        + '"knowledge_value vs absorptive_capacity" = "1/3"\n'
        + '"willingness vs absorptive_capacity" = '
        + '{ preferred = "absorptive_capacity", intensity = "moderate to strong" }\n',
        '[expert]\nname = "Li"\nrole = "Sales"\nweight = 1.5\n',
    )
    e = load_expert(path, huang)
    assert (e.name, e.role, e.weight) == ("Li", "Sales", 1.5)
    m = e.matrix(huang, "goal")
    assert m[0, 1] == 7 and m[1, 0] == pytest.approx(1 / 7)
    assert m[0, 2] == pytest.approx(1 / 3)
    assert m[1, 2] == pytest.approx(1 / 4) and m[2, 1] == pytest.approx(4)


def test_missing_pair_is_nan(write, huang):
    e = load_expert(expert(write, GOAL + '"knowledge_value vs willingness" = 2\n'), huang)
    m = e.matrix(huang, "goal")
    assert np.isnan(m[0, 2]) and np.isnan(m[2, 0]) and m[0, 1] == 2


def test_scale_words_all_values():
    """Saaty (1980), Table 1.1: the verbal scale."""
    assert [scale.WORDS[w] for w in ("equal", "moderate", "strong", "very strong", "extreme")] == [
        1,
        3,
        5,
        7,
        9,
    ]
    assert scale.word_value("Very-Strong to Extreme") == 8


def test_error_unknown_node(write, huang):
    with pytest.raises(JudgementError, match=r'e\.toml: \[judgements\.nope\]: unknown node "nope"'):
        load_expert(expert(write, "[judgements.nope]\n'a vs b' = 1\n"), huang)


def test_error_leaf_as_node(write, huang):
    with pytest.raises(JudgementError, match=r'"trust" is an indicator \(a leaf\)'):
        load_expert(expert(write, "[judgements.trust]\n'a vs b' = 1\n"), huang)


def test_error_unknown_criterion(write, huang):
    path = expert(write, GOAL + '"knowledge_value vs cheese" = 3\n')
    with pytest.raises(
        JudgementError, match=r'\[judgements\.goal\] "knowledge_value vs cheese": unknown criterion'
    ):
        load_expert(path, huang)


def test_error_not_siblings(write, huang):
    path = expert(write, GOAL + '"knowledge_value vs trust" = 3\n')
    with pytest.raises(
        JudgementError, match=r'"trust" is not a child of "goal" \(it sits under "willingness"\)'
    ):
        load_expert(path, huang)


def test_error_self_comparison(write, huang):
    path = expert(write, GOAL + '"willingness vs willingness" = 1\n')
    with pytest.raises(JudgementError, match='compares "willingness" with itself'):
        load_expert(path, huang)


@pytest.mark.parametrize("value", ["10", "0.1", '"1/10"'])
def test_error_off_scale(write, huang, value):
    path = expert(write, GOAL + f'"knowledge_value vs willingness" = {value}\n')
    with pytest.raises(JudgementError, match=r"outside Saaty's scale \[1/9, 9\]"):
        load_expert(path, huang)


@pytest.mark.parametrize("value", ["0", "-3"])
def test_error_zero_or_negative(write, huang, value):
    path = expert(write, GOAL + f'"knowledge_value vs willingness" = {value}\n')
    with pytest.raises(JudgementError, match="must be positive"):
        load_expert(path, huang)


def test_error_nan(write, huang):
    path = expert(write, GOAL + '"knowledge_value vs willingness" = nan\n')
    with pytest.raises(JudgementError, match="value is NaN"):
        load_expert(path, huang)


def test_error_unknown_word(write, huang):
    path = expert(write, GOAL + '"knowledge_value vs willingness" = "huge"\n')
    with pytest.raises(JudgementError, match=r"'huge' is not on the scale\. Use a number"):
        load_expert(path, huang)


@pytest.mark.parametrize(
    "second", ['"knowledge_value vs willingness" = 3', '"willingness vs knowledge_value" = "1/3"']
)
def test_error_pair_given_twice(write, huang, second):
    """Twice, in either order, whether or not the two agree."""
    path = expert(write, GOAL + '"knowledge_value vs willingness" = 3\n' + second + "\n")
    with pytest.raises(JudgementError, match=r"already judged at|a pair is judged twice"):
        load_expert(path, huang)


def test_error_preferred_not_in_pair(write, huang):
    path = expert(
        write,
        GOAL + '"knowledge_value vs willingness" = { preferred = "trust", intensity = 3 }\n',
    )
    with pytest.raises(JudgementError, match='preferred = "trust" is neither'):
        load_expert(path, huang)


def test_error_bad_weight(write, huang):
    path = expert(write, "", "[expert]\nweight = -1\n")
    with pytest.raises(JudgementError, match=r"\[expert\] weight: weight -1 must be a positive"):
        load_expert(path, huang)


def test_error_bad_key(write, huang):
    path = expert(write, GOAL + '"knowledge_value and willingness" = 3\n')
    with pytest.raises(JudgementError, match='key must name two criteria as "<first> vs <second>"'):
        load_expert(path, huang)


# -- issue 14 point 3 / issue 13 point 4: panel integrity ---------------------------------------


def test_same_expert_in_two_files_is_an_error_naming_both(tmp_path, huang):
    from mcda_ckm.model.judgements import load_panel

    src = Path(CASE) / "panel" / "rd_director.toml"
    shutil.copy(src, tmp_path / "rd_director.toml")
    shutil.copy(src, tmp_path / "rd_director (copy).toml")
    with pytest.raises(JudgementError, match=r"two judgement files for one expert") as exc:
        load_panel([tmp_path], huang)
    assert "rd_director.toml" in str(exc.value) and "rd_director (copy).toml" in str(exc.value)


def test_unknown_expert_key_has_did_you_mean(write, huang):
    path = expert(write, GOAL + '"knowledge_value vs willingness" = 3\n', "[expert]\nwieght = 2\n")
    with pytest.raises(JudgementError, match=r"\[expert\] wieght: unknown key 'wieght' \(did you"):
        load_expert(path, huang)


def test_unknown_table_has_did_you_mean(write, huang):
    path = expert(write, '[judgement.goal]\n"knowledge_value vs willingness" = 3\n')
    with pytest.raises(JudgementError, match=r"unknown table \[judgement\] \(did you mean"):
        load_expert(path, huang)


def test_status_in_progress_is_read(write, huang):
    head = '[expert]\nstatus = "in progress"\n'
    path = expert(write, GOAL + '"knowledge_value vs willingness" = 3\n', head)
    assert load_expert(path, huang).in_progress


def test_trail_round_trip_and_unknown_key(tmp_path, huang):
    from mcda_ckm.model.judgements import Judgement, Revised, Trail, save_expert

    trail = Trail(
        (("goal", "2026-01-02T03:04:05+00:00"),),
        (Revised("goal", "knowledge_value", "willingness", 5.0, 0.5, "2026-01-02T03:05:00+00:00"),),
    )
    j = [Judgement("goal", "knowledge_value", "willingness", 0.5, "")]
    path = save_expert(tmp_path / "e.toml", {"name": "Li"}, j, huang, trail=trail)
    assert load_expert(path, huang).trail == trail
    text = path.read_text(encoding="utf-8").replace("answered =", "anwsered =")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(JudgementError, match=r"\[trail.goal\] anwsered: unknown key .*did you"):
        load_expert(path, huang)
