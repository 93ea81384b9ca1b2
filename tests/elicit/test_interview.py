"""Tests of mcda_ckm.elicit.interview (the questionnaire's logic, resume, panel status) and of
judgements.dump_expert / save_expert (the files it writes)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcda_ckm.elicit.interview import (
    AnswerError,
    Check,
    Done,
    Question,
    load_setup,
    parse_answer,
    question_text,
    start,
)
from mcda_ckm.elicit.panelfiles import expert_path, open_expert, progress_path, save, slug
from mcda_ckm.elicit.status import panel_status
from mcda_ckm.errors import CaseError, CkmError
from mcda_ckm.model import scale
from mcda_ckm.model.judgements import Judgement, dump_expert, load_expert, load_panel, save_expert
from mcda_ckm.weights import ahp
from tests.conftest import CASE, FIGHTER, HUANG

# Zhou Min's knowledge_value answers (cases/precision-machinery/panel/sales_director.toml): a
# cycle base > growth > networking > base, CR 0.217 under saaty-1980.
CYCLE = [2, 1 / 3, 3, 2, 5, 4]
# Answers from consistent weights (4, 2, 2, 1): every judgement w_i / w_j on the scale.
CONSISTENT = [2, 2, 4, 1, 2, 2]


@pytest.fixture
def case(tmp_path: Path) -> Path:
    """A copy of the bundled case (and its tree) in tmp_path."""
    shutil.copytree(CASE, tmp_path / "cases" / CASE.name)
    (tmp_path / "criteria").mkdir()
    shutil.copy(HUANG, tmp_path / "criteria" / HUANG.name)
    return tmp_path / "cases" / CASE.name


def answer_all(iv, values):
    for v in values:
        assert isinstance(iv.step, Question), iv.step
        iv = iv.answer(v)
    return iv


# -- parse_answer ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("moderate", 3),
        ("Very Strong", 7),
        ("strong to very strong", 6),
        ("3", 3),
        ("1/3", 1 / 3),
        ("0.5", 0.5),
        ("A moderate", 3),
        ("a: 5", 5),
        ("B strong", 1 / 5),
        ("b 4", 1 / 4),
        ("B3", 1 / 3),
        ("equal", 1),
        ("b equal", 1),
    ],
)
def test_parse_answer_forms(text, value):
    assert parse_answer(text) == pytest.approx(value)


@given(st.sampled_from(sorted(scale.WORDS)), st.sampled_from(["A", "B", "a", "b", ""]))
def test_parse_answer_word_and_side(word, side):
    v = parse_answer(f"{side} {word}")
    expected = scale.WORDS[word]
    assert v == pytest.approx(1 / expected if side.lower() == "b" else expected)


def test_parse_answer_error_empty():
    with pytest.raises(AnswerError, match=r"no answer given\. Answer with a word"):
        parse_answer("  ")


def test_parse_answer_error_side_only():
    with pytest.raises(AnswerError, match="'B' says which criterion but not how much more"):
        parse_answer("B")


def test_parse_answer_error_unknown_word():
    with pytest.raises(AnswerError, match="'very much' is not on the scale"):
        parse_answer("very much")


def test_parse_answer_error_zero():
    with pytest.raises(AnswerError, match="'0' must be positive"):
        parse_answer("0")


def test_parse_answer_error_off_scale():
    with pytest.raises(AnswerError, match="'12' is outside Saaty's scale 1/9 to 9"):
        parse_answer("12")


def test_question_text_names_node_and_both_criteria(huang):
    q = question_text(huang, "goal", "willingness", "absorptive_capacity")
    assert q == (
        "For key customer knowledge source, how much more important is Willingness to share "
        "knowledge (A) than Absorptive capacity (B)?"
    )
    assert "客户的知识交流意愿" in question_text(
        huang, "goal", "willingness", "absorptive_capacity", "zh"
    )


# -- the session -------------------------------------------------------------------------------


def test_fresh_session_asks_first_pair_of_root(huang):
    iv = start(huang)
    assert iv.step == Question("goal", "knowledge_value", "willingness", 1, 3)
    assert (iv.answered, iv.total) == (0, 21)


def test_consistent_node_is_checked_then_next_node(huang):
    iv = answer_all(start(huang), [3, 2, 1 / 2])
    step = iv.step
    assert isinstance(step, Check) and step.node == "goal" and step.consistent
    assert step.suggestion is None
    np.testing.assert_allclose(step.priorities.weights.sum(), 1.0)
    iv = iv.accept()
    assert iv.step == Question("knowledge_value", "base_potential", "growth_potential", 1, 6)


def test_inconsistent_node_names_judgement_and_value_from_diagnose(huang):
    """The suggestion is ahp.diagnose's first revision (Saaty 2003; Harker 1987)."""
    iv = answer_all(start(huang).answer(3).answer(2).answer(0.5).accept(), CYCLE)
    step = iv.step
    assert isinstance(step, Check) and not step.consistent
    assert step.priorities.cr == pytest.approx(0.2165, abs=1e-4)
    m = np.ones((4, 4))
    for (i, j), v in zip([(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)], CYCLE, strict=True):
        m[i, j], m[j, i] = v, 1 / v
    top = ahp.diagnose(m)[0]
    s = step.suggestion
    assert (s.first, s.second) == ("base_potential", "growth_potential")
    assert (s.current, s.suggested, s.value_after) == (top.current, top.suggested, top.value_after)


def test_apply_suggestion_rechecks_and_becomes_consistent(huang):
    iv = answer_all(start(huang).answer(3).answer(2).answer(0.5).accept(), CYCLE)
    iv = iv.apply_suggestion()
    step = iv.step
    assert isinstance(step, Check) and step.consistent
    assert iv.value("knowledge_value", "base_potential", "growth_potential") == pytest.approx(1 / 3)


def test_revise_asks_the_pair_again_with_current_answer(huang):
    iv = answer_all(start(huang).answer(3).answer(2).answer(0.5).accept(), CYCLE)
    iv = iv.revise("growth_potential", "base_potential")
    q = iv.step
    assert q == Question(
        "knowledge_value", "base_potential", "growth_potential", 1, 6, current=2.0, revising=True
    )
    iv = iv.answer(1 / 3)
    assert isinstance(iv.step, Check) and iv.step.consistent
    # the revised pair stays in its place in the node
    first = next(j for j in iv.answers if j.node == "knowledge_value")
    assert first.second == "growth_potential"


def test_keep_accepts_an_inconsistent_node(huang):
    iv = answer_all(start(huang).answer(3).answer(2).answer(0.5).accept(), CYCLE).accept()
    assert iv.step.node == "willingness"
    assert "knowledge_value" in iv.checked


def test_whole_questionnaire_reaches_done(huang):
    iv = start(huang)
    for node in huang.inner_nodes:
        n = len(huang.children(node))
        values = CONSISTENT if n == 4 else [3, 2, 0.5]
        iv = answer_all(iv, values[: n * (n - 1) // 2]).accept()
    assert iv.step == Done(21)
    assert iv.complete_nodes() == huang.inner_nodes


def test_resume_asks_only_missing_pairs_and_skips_finished_nodes(huang):
    rd = load_expert(CASE / "panel" / "rd_director.toml", huang)
    partial = [j for j in rd.judgements if j.node != "willingness"][:-2]
    iv = start(huang, partial)
    assert iv.step == Question(
        "willingness", "active_contact_frequency", "passive_acceptance_rate", 1, 6
    )
    assert {"goal", "knowledge_value"} <= iv.checked
    remaining = [t for t in iv.todo if t[0] == "absorptive_capacity"]
    assert remaining == [
        ("absorptive_capacity", "prior_knowledge", "it_support"),
        ("absorptive_capacity", "employee_motivation", "it_support"),
    ]


def test_resume_shows_check_of_finished_inconsistent_node(huang):
    zhou = load_expert(CASE / "panel" / "sales_director.toml", huang)
    step = start(huang, zhou.judgements).step
    assert isinstance(step, Check) and step.node == "knowledge_value" and not step.consistent


def test_review_asks_every_pair_showing_current(huang):
    rd = load_expert(CASE / "panel" / "rd_director.toml", huang)
    iv = start(huang, rd.judgements, review=["goal"])
    q = iv.step
    assert q.node == "goal" and q.current == pytest.approx(3)
    iv = iv.keep_current().keep_current().keep_current().accept()
    assert iv.step == Done(21)
    assert iv.answers == rd.judgements


def test_review_unknown_node():
    from mcda_ckm.model.tree import load_tree

    with pytest.raises(CkmError, match="unknown node\\(s\\) to review: trust"):
        start(load_tree(HUANG), review=["trust"])


def test_error_answer_when_a_check_is_pending(huang):
    iv = answer_all(start(huang), [3, 2, 0.5])
    with pytest.raises(CkmError, match="no question is pending \\(the step is Check\\)"):
        iv.answer(3)


def test_error_accept_when_a_question_is_pending(huang):
    with pytest.raises(CkmError, match="no node check is pending \\(the step is Question\\)"):
        start(huang).accept()


def test_error_keep_current_without_answer(huang):
    with pytest.raises(AnswerError, match="this pair has no answer yet to keep"):
        start(huang).keep_current()


def test_error_revise_pair_of_another_node(huang):
    iv = answer_all(start(huang), [3, 2, 0.5])
    with pytest.raises(AnswerError, match="trust / base_potential is not a pair of goal"):
        iv.revise("trust", "base_potential")


def test_error_apply_suggestion_on_consistent_node(huang):
    iv = answer_all(start(huang), [3, 2, 0.5])
    with pytest.raises(AnswerError, match="there is no suggestion to apply at this node"):
        iv.apply_suggestion()


def test_error_answer_not_positive(huang):
    with pytest.raises(AnswerError, match="-1 is not a positive number"):
        start(huang).answer(-1)


# -- files -------------------------------------------------------------------------------------


def test_dump_round_trips_every_bundled_expert(tmp_path, huang):
    for e in load_panel([CASE / "panel"], huang):
        path = tmp_path / f"{e.id}.toml"
        path.write_text(dump_expert(e, e.judgements, huang), encoding="utf-8")
        back = load_expert(path, huang)
        assert back.judgements == e.judgements
        assert (back.name, back.role, back.weight, back.note) == (e.name, e.role, e.weight, e.note)


def test_dump_writes_words_and_preferred_tables(huang):
    js = [
        Judgement("goal", "knowledge_value", "willingness", 5.0, ""),
        Judgement("goal", "knowledge_value", "absorptive_capacity", 1 / 4, ""),
        Judgement("goal", "willingness", "absorptive_capacity", 2.5, ""),
    ]
    text = dump_expert({"name": 'A "quoted" 名字', "weight": 2}, js, huang, header="from a test")
    assert text.startswith("# from a test\n\n[expert]\n")
    assert 'name = "A \\"quoted\\" 名字"' in text and "weight = 2" in text
    assert '"knowledge_value vs willingness" = "strong"' in text
    assert (
        '"knowledge_value vs absorptive_capacity" = '
        '{ preferred = "absorptive_capacity", intensity = "moderate to strong" }'
    ) in text
    assert '"willingness vs absorptive_capacity" = 2.5' in text


_VALUES = st.one_of(
    st.sampled_from([float(v) for v in scale.VALUES]),
    st.floats(min_value=1 / 9, max_value=9, allow_nan=False),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_VALUES, min_size=6, max_size=6), st.lists(st.booleans(), min_size=6, max_size=6))
def test_dump_load_round_trip_property(tmp_path_factory, values, flips):
    """Any values in [1/9, 9], either orientation: load_expert(dump_expert(x)) == x."""
    from mcda_ckm.model.tree import load_tree

    tree = load_tree(HUANG)
    kids = tree.children("knowledge_value")
    pairs = [(kids[i], kids[j]) for i in range(4) for j in range(i + 1, 4)]
    js = []
    for pair, v, flip in zip(pairs, values, flips, strict=True):
        a, b = pair[::-1] if flip else pair
        js.append(
            Judgement("knowledge_value", a, b, v, f'[judgements.knowledge_value] "{a} vs {b}"')
        )
    path = tmp_path_factory.mktemp("dump") / "x.toml"
    save_expert(path, {"name": "x", "weight": 1.5}, js, tree)
    back = load_expert(path, tree)
    assert back.judgements == tuple(js) and back.weight == 1.5


def test_expert_path_by_id_by_name_and_new(case):
    panel = case / "panel"
    assert expert_path(panel, "sales_director") == panel / "sales_director.toml"
    assert expert_path(panel, "zhou min") == panel / "sales_director.toml"
    assert expert_path(panel, "Wang Li") == panel / "wang_li.toml"
    with pytest.raises(CaseError, match="'!!' cannot name a judgement file"):
        expert_path(panel, "!!")


def test_slug():
    assert slug("Dr. Chen-Jianguo ") == "dr_chen-jianguo"


def test_save_keeps_file_valid_and_progress_beside_it(case):
    setup = load_setup(case)
    ef = open_expert(setup, "Wang Li", role="CTO")
    iv = start(setup.tree, ef.answers, **setup.options)
    iv = answer_all(iv, [3, 2, 0.5]).accept()
    iv = answer_all(iv, [2, 2])  # two of six pairs of knowledge_value
    save(ef, iv)
    saved = load_expert(ef.path, setup.tree)
    assert {j.node for j in saved.judgements} == {"goal"}  # only finished nodes
    assert saved.role == "CTO"
    assert progress_path(ef.path).name == ".wang_li.inprogress"
    assert ef.progress.exists()
    # the panel loader does not see the in-progress file
    assert len(load_panel([setup.panel], setup.tree)) == 5
    again = open_expert(setup, "Wang Li")
    assert again.resumed and len(again.answers) == 5
    iv2 = start(setup.tree, again.answers, **setup.options)
    assert iv2.step.number == 3 and iv2.step.node == "knowledge_value"
    save(again, iv2, finished=True)
    assert not again.progress.exists()


def test_save_keeps_nodes_of_the_file_not_finished_now(case):
    """An imported file with a left-out pair keeps that node until it is finished."""
    setup = load_setup(case)
    ef = open_expert(setup, "service_manager")
    before = load_expert(ef.path, setup.tree)
    iv = start(setup.tree, ef.answers, **setup.options)
    assert iv.step.node == "willingness"  # the left-out pair is asked
    save(ef, iv)
    after = load_expert(ef.path, setup.tree)
    assert after.judgements == before.judgements
    assert after.path.read_text(encoding="utf-8").startswith("# ")  # comments kept


def test_load_setup_errors(tmp_path):
    with pytest.raises(CaseError, match=r"case\.toml: no case\.toml here"):
        load_setup(tmp_path)
    with pytest.raises(CaseError, match=r"\[weights\]: this case has fixed \[weights\]"):
        load_setup(FIGHTER)
    (tmp_path / "case.toml").write_text('[case]\ntree = "t.toml"\n[ahp]\nri_table = "x"\n')
    (tmp_path / "t.toml").write_text(HUANG.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(CaseError, match=r"\[ahp\] ri_table: 'x' is not a choice"):
        load_setup(tmp_path)


# -- panel status ------------------------------------------------------------------------------


def test_panel_status_of_bundled_case():
    status = panel_status(load_setup(CASE))
    kv = {e.expert: e for e in status.nodes["knowledge_value"].experts}
    assert kv["sales_director"].state == "over"
    assert kv["sales_director"].priorities.cr == pytest.approx(0.2165, abs=1e-4)
    will = {e.expert: e for e in status.nodes["willingness"].experts}
    assert (will["service_manager"].answered, will["service_manager"].total) == (5, 6)
    calls = status.call_back()
    assert ("knowledge_value", "CR 0.217 over 0.08") in calls["sales_director"]
    assert ("willingness", "1 pair(s) left out (completed)") in calls["service_manager"]
    assert "rd_director" not in calls or all("farthest" in r for _, r in calls["rd_director"])
    cons = status.nodes["goal"].consensus
    assert cons is not None and 0 <= cons.s_star <= 1


def test_panel_status_unfinished_expert_and_session_in_progress(case):
    setup = load_setup(case)
    (setup.panel / "new.toml").write_text(
        '[expert]\nname = "New"\n[judgements.knowledge_value]\n'
        '"base_potential vs growth_potential" = 2\n',
        encoding="utf-8",
    )
    (setup.panel / ".new.inprogress").write_text("", encoding="utf-8")
    status = panel_status(setup)
    assert status.in_progress == ("new",)
    kv = {e.expert: e for e in status.nodes["knowledge_value"].experts}
    assert kv["new"].state == "unlinked"
    goal = {e.expert: e for e in status.nodes["goal"].experts}
    assert goal["new"].state == "none"
    assert ("goal", "not answered") in status.call_back()["new"]


def test_parse_answer_negative_is_refused_not_inverted():
    """Issue 14: ``ckm judge`` saved -3 as "A moderately over B"."""
    with pytest.raises(AnswerError, match=r"'-3' is negative.*\"B 3\""):
        parse_answer("-3")
