"""The consultant's board (issue 17, point 5) on a panel caught mid-way.

A copy of ``cases/precision-machinery`` gets a panel written here by hand: ``a_done`` answered
everything, ``b_half`` two of four nodes and two pairs of a third, ``d_old`` only the goal (and
long ago), ``c_none`` nothing, ``crm_it_lead`` is the bundled complete file (no trail), and
``e_link`` has a link but no file. Every number is checked against an independent reference:
CR against :func:`mcda_ckm.weights.ahp.priorities` on matrices built here from the same
numbers, S* against :func:`mcda_ckm.weights.consensus.consensus` on their priorities, the
farthest expert by a panel where one expert says the opposite of two who agree, and the
weights, key set and key-source probabilities against the real ``ckm run`` on the same files.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcda_ckm.weights import ahp
from mcda_ckm.weights import consensus as goepel
from mcda_ckm.workflows.board import BOARD_SAMPLES, board
from tests.conftest import CASE
from tests.workflows.test_panel_to_run import NODES

ROOT = Path(__file__).resolve().parents[2]


def pairs(node: str) -> list[tuple[str, str]]:
    kids = NODES[node]
    return [(kids[i], kids[j]) for i in range(len(kids)) for j in range(i + 1, len(kids))]


def matrix(node: str, values: dict[tuple[str, str], float]) -> np.ndarray:
    """The comparison matrix at ``node`` from ``a_ij`` by pair, nan where not given."""
    kids = NODES[node]
    a = np.full((len(kids), len(kids)), np.nan)
    np.fill_diagonal(a, 1.0)
    for (x, y), v in values.items():
        i, j = kids.index(x), kids.index(y)
        a[i, j], a[j, i] = v, 1 / v
    return a


def toml_file(
    name: str,
    answers: dict[str, dict[tuple[str, str], float]],
    times: dict[str, str] | None = None,
    *,
    in_progress: bool = False,
) -> str:
    lines = ["[expert]", f'name = "{name}"']
    if in_progress:
        lines.append('status = "in progress"')
    for node, pairs_given in answers.items():
        lines += ["", f"[judgements.{node}]"]
        lines += [f'"{x} vs {y}" = {v!r}' for (x, y), v in pairs_given.items()]
    for node, when in (times or {}).items():
        lines += ["", f"[trail.{node}]", f'answered = "{when}"']
    return "\n".join(lines) + "\n"


# a_ij of each pair, by hand (consistent enough, except absorptive_capacity for a_done).
A = {
    "goal": dict(zip(pairs("goal"), [3.0, 0.5, 1 / 5], strict=True)),
    "knowledge_value": dict(
        zip(pairs("knowledge_value"), [2.0, 4.0, 1.0, 2.0, 0.5, 0.25], strict=True)
    ),
    "willingness": dict(zip(pairs("willingness"), [1.0, 0.5, 1 / 3, 0.5, 1 / 3, 0.5], strict=True)),
    "absorptive_capacity": dict(
        zip(pairs("absorptive_capacity"), [9.0, 1 / 9, 9.0, 1 / 7, 7.0, 5.0], strict=True)
    ),
}
B = {
    "goal": dict(zip(pairs("goal"), [1.0, 2.0, 2.0], strict=True)),
    "knowledge_value": dict(
        zip(pairs("knowledge_value"), [1.0, 3.0, 1.0, 3.0, 1.0, 1 / 3], strict=True)
    ),
    # two of six pairs: they do not link the four criteria
    "willingness": dict(list(zip(pairs("willingness"), [2.0, 3.0], strict=False))),
}
D = {"goal": dict(zip(pairs("goal"), [1 / 4, 1 / 6, 0.5], strict=True))}
A_TIMES = {
    "goal": "2026-12-01T09:00:00+00:00",
    "knowledge_value": "2026-12-01T09:05:00+00:00",
    "willingness": "2026-12-01T09:10:00+00:00",
    "absorptive_capacity": "2026-12-01T09:20:00+00:00",
}
B_TIMES = {"goal": "2026-12-03T10:00:00+00:00", "knowledge_value": "2026-12-03T10:07:00+00:00"}
D_TIMES = {"goal": "2026-11-30T08:00:00"}  # no offset: read as UTC


def case_copy(tmp_path: Path, unfinished: str | None = None) -> Path:
    case = tmp_path / "case"
    shutil.copytree(CASE, case, ignore=shutil.ignore_patterns("panel"))
    if unfinished:
        with (case / "case.toml").open("a", encoding="utf-8") as fh:
            fh.write(f'\n[panel]\nunfinished = "{unfinished}"\n')
    panel = case / "panel"
    panel.mkdir()
    (panel / "a_done.toml").write_text(toml_file("Ann Done", A, A_TIMES), encoding="utf-8")
    (panel / "b_half.toml").write_text(
        toml_file("Bo Half", B, B_TIMES, in_progress=True), encoding="utf-8"
    )
    (panel / "c_none.toml").write_text('[expert]\nname = "Cy None"\n', encoding="utf-8")
    (panel / "d_old.toml").write_text(
        toml_file("Di Old", D, D_TIMES, in_progress=True), encoding="utf-8"
    )
    shutil.copy2(CASE / "panel" / "crm_it_lead.toml", panel / "crm_it_lead.toml")
    return case


@pytest.fixture(scope="module")
def mid(tmp_path_factory):
    case = case_copy(tmp_path_factory.mktemp("board"))
    return case, board(case, expected={"a_done": "Ann Done", "e_link": "Eve Link"})


def test_statuses_per_expert_and_node(mid):
    _, b = mid
    state = {e.id: e.state for e in b.experts}
    assert state == {
        "a_done": "done",
        "b_half": "in progress",
        "c_none": "not started",
        "crm_it_lead": "done",
        "d_old": "in progress",
        "e_link": "not started",
    }
    half = b.expert("b_half")
    assert [(n.node, n.state, n.given, n.total) for n in half.nodes] == [
        ("goal", "answered", 3, 3),
        ("knowledge_value", "answered", 6, 6),
        ("willingness", "in progress", 2, 6),
        ("absorptive_capacity", "not started", 0, 6),
    ]
    assert half.answered == 2
    assert [n.state for n in b.expert("e_link").nodes] == ["not started"] * 4
    assert b.expert("a_done").nodes[0].answered_at == datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert b.expert("a_done").last_activity == datetime(2026, 12, 1, 9, 20, tzinfo=UTC)
    assert b.expert("d_old").last_activity == datetime(2026, 11, 30, 8, tzinfo=UTC)
    assert b.expert("c_none").last_activity is None
    assert b.done == 2


def test_a_node_in_progress_is_read_from_the_in_progress_file(tmp_path):
    """``ckm serve`` and ``ckm judge`` keep the answers of a node not finished in
    ``.<id>.inprogress``: the board counts them, and the file's time is activity."""
    case = case_copy(tmp_path)
    partial = {**D, "knowledge_value": dict(list(A["knowledge_value"].items())[:1])}
    progress = case / "panel" / ".d_old.inprogress"
    progress.write_text(toml_file("Di Old", partial, D_TIMES, in_progress=True), encoding="utf-8")
    when = datetime(2026, 12, 2, 12, tzinfo=UTC)
    os.utime(progress, (when.timestamp(), when.timestamp()))
    b = board(case)
    row = b.expert("d_old").node("knowledge_value")
    assert (row.state, row.given) == ("in progress", 1)
    assert b.expert("d_old").last_activity == when
    assert b.remind == ("c_none", "d_old", "b_half")


def test_cr_is_the_ahp_modules(mid):
    _, b = mid
    for who, answers in (("a_done", A), ("b_half", B), ("d_old", D)):
        for node, pairs_given in answers.items():
            row = b.expert(who).node(node)
            if row.state != "answered":
                assert row.value is None and row.index is None
                continue
            p = ahp.priorities(matrix(node, pairs_given), "eigenvector", ri_table="saaty-1980")
            assert row.index == "CR"
            assert row.value == pytest.approx(p.cr, abs=1e-12)
            assert row.consistent == (p.cr <= p.threshold)
    # a_done's absorptive capacity is out of line on purpose: the board says so
    assert b.expert("a_done").node("absorptive_capacity").consistent is False


def test_consensus_is_goepels(mid):
    _, b = mid
    # goal: a_done, b_half and d_old finished it (crm_it_lead too: the bundled file)
    from mcda_ckm.model.judgements import load_expert
    from mcda_ckm.model.tree import load_tree

    tree = load_tree(ROOT / "criteria" / "ckm-huang2008.toml")
    crm = load_expert(CASE / "panel" / "crm_it_lead.toml", tree)
    crm_goal = {(j.first, j.second): j.value for j in crm.for_node("goal")}
    goal = next(n for n in b.nodes if n.node == "goal")
    assert goal.experts == ("a_done", "b_half", "crm_it_lead", "d_old")
    vectors = [
        ahp.priorities(matrix("goal", m)).weights
        for m in (A["goal"], B["goal"], crm_goal, D["goal"])
    ]
    expected = goepel.consensus(np.array(vectors))
    assert goal.consensus is not None
    assert goal.consensus.s_star == pytest.approx(expected.s_star, abs=1e-12)
    assert goal.consensus.band == expected.band
    assert expected.farthest is not None
    assert goal.farthest == goal.experts[expected.farthest]
    # willingness: only a_done and crm_it_lead finished it; b_half's two pairs do not count
    will = next(n for n in b.nodes if n.node == "willingness")
    assert will.experts == ("a_done", "crm_it_lead")
    assert will.farthest is None


def test_remind_never_active_first_then_the_longest_silent(mid):
    _, b = mid
    assert b.remind == ("c_none", "e_link", "d_old", "b_half")


def test_farthest_is_the_expert_who_says_the_opposite(tmp_path):
    """Two experts put knowledge value strongly first (5 over each other dimension, the other
    two equal); a third says exactly the opposite (each other dimension 5 over knowledge
    value). Without the third the two left agree perfectly, so S* rises to its maximum 1; the
    board names the third."""
    case = tmp_path / "case"
    shutil.copytree(CASE, case, ignore=shutil.ignore_patterns("panel"))
    (case / "panel").mkdir()
    agree = dict(zip(pairs("goal"), [5.0, 5.0, 1.0], strict=True))
    oppose = dict(zip(pairs("goal"), [1 / 5, 1 / 5, 1.0], strict=True))
    rest = {k: v for k, v in A.items() if k != "goal"}
    for who, goal in (("p", agree), ("q_opposite", oppose), ("r", agree)):
        text = toml_file(who, {"goal": goal, **rest})
        (case / "panel" / f"{who}.toml").write_text(text, encoding="utf-8")
    b = board(case)
    goal_board = next(n for n in b.nodes if n.node == "goal")
    assert goal_board.farthest == "q_opposite"
    assert goal_board.consensus is not None
    assert goal_board.consensus.s_without_farthest == pytest.approx(1.0, abs=1e-12)
    assert goal_board.consensus.s_star < 1.0


def ckm_run(case: Path, out: Path, samples: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = ["run", str(case), "--json", "-q", "--samples", str(samples), "--out", str(out)]
    return subprocess.run(
        [sys.executable, "-m", "mcda_ckm", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=300,
    )


def test_weights_key_set_and_probabilities_are_ckm_runs(mid, tmp_path):
    """With the same sample count and the case's seed, the board's key-source probabilities
    are ``ckm run``'s exactly; its weights and key set are ``ckm run``'s (experts in progress
    left out, as ``[panel] unfinished`` says by default)."""
    case, b = mid
    done = ckm_run(case, tmp_path / "out", BOARD_SAMPLES)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert b.weights is not None and b.weights_error == ""
    np.testing.assert_allclose(
        b.weights, [got["weights"]["global"][leaf] for leaf in b.leaves], rtol=0, atol=1e-12
    )
    assert [k.id for k in b.key] == got["ranking"]["key_sources"]
    assert b.samples == BOARD_SAMPLES and b.source == "panel"
    for k in b.key:
        assert k.probability == pytest.approx(
            got["sensitivity"]["smaa"]["key_probability"][k.id], abs=1e-12
        )
    assert b.counted == ("a_done", "crm_it_lead")
    assert b.unfinished == "exclude"


def test_unfinished_included_gives_ckm_runs_error(tmp_path):
    """With ``unfinished = "include"``, b_half's two willingness pairs do not link its
    criteria: ``ckm run`` stops (exit 2), and the board shows everything but the weights, with
    the same reason."""
    case = case_copy(tmp_path, unfinished="include")
    b = board(case)
    done = ckm_run(case, tmp_path / "out", 100)
    assert done.returncode == 2
    assert b.weights is None and b.key == ()
    assert "willingness" in b.weights_error
    assert "b_half" in b.weights_error
    assert [e.state for e in b.experts][:2] == ["done", "in progress"]
    assert b.remind[0] == "c_none"


def test_to_dict_is_json(mid):
    _, b = mid
    d = json.loads(json.dumps(b.to_dict()))
    assert d["remind"] == list(b.remind)
    assert d["experts"][0]["nodes"][0]["answered_at"] == "2026-12-01T09:00:00+00:00"
    assert set(d["weights"]) == set(b.leaves)


def test_an_unreadable_file_is_named_and_the_rest_still_shows(tmp_path):
    """A judgement file that cannot be read (a hand edit gone wrong) is shown with its error;
    the other experts keep their rows; the weights say what ``ckm run`` would say."""
    case = case_copy(tmp_path)
    (case / "panel" / "c_none.toml").write_text("[expert\n", encoding="utf-8")
    b = board(case)
    broken = b.expert("c_none")
    assert broken.state == "unreadable" and "c_none.toml" in broken.problem
    assert b.expert("a_done").state == "done"
    assert b.weights is None and "c_none.toml" in b.weights_error
    assert "c_none" in b.remind


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    minutes=st.lists(
        st.one_of(st.none(), st.integers(0, 10_000)), min_size=1, max_size=5, unique=True
    )
)
def test_remind_order_is_by_silence(tmp_path, minutes):
    """For any last activities, the remind list is the never active (by id), then the
    activities from the oldest; experts done are not in it."""
    case = tmp_path / f"case{abs(hash(tuple(minutes)))}"
    shutil.copytree(CASE, case, ignore=shutil.ignore_patterns("panel"))
    (case / "panel").mkdir()
    (case / "panel" / "zz_done.toml").write_text(toml_file("Done", A, A_TIMES), encoding="utf-8")
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for k, m in enumerate(minutes):
        if m is None:
            text = f'[expert]\nname = "X{k}"\n'
        else:
            when = (start + timedelta(minutes=m)).isoformat()
            text = toml_file(f"X{k}", D, {"goal": when}, in_progress=True)
        (case / "panel" / f"x{k}.toml").write_text(text, encoding="utf-8")
    b = board(case, samples=10)
    never = sorted(f"x{k}" for k, m in enumerate(minutes) if m is None)
    timed = [
        f"x{k}"
        for k, m in sorted(
            ((k, m) for k, m in enumerate(minutes) if m is not None), key=lambda km: km[1]
        )
    ]
    assert b.remind == (*never, *timed)
