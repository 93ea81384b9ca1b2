"""Tests of mcda_ckm.sensitivity: sweeps, exact tolerances against a fine grid, judgement
tolerance, sampling and SMAA against pymcdm as the oracle."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymcdm.methods import TOPSIS
from pymcdm.normalizations import minmax_normalization, vector_normalization

from mcda_ckm import sensitivity as S
from mcda_ckm.errors import CkmError
from mcda_ckm.model.case import load_case
from mcda_ckm.model.matrix import load_customers
from mcda_ckm.model.tree import flat_tree
from mcda_ckm.sensitivity import intervals, judgements
from mcda_ckm.weights.panel import evaluate
from tests.conftest import CASE


@pytest.fixture(scope="module")
def bundled():
    case = load_case(CASE)
    panel = evaluate(case.tree, case.experts)
    dm = load_customers(case.file("customers"), case.tree)
    p = S.problem(case.tree, panel.local_weights, dm.values, dm.directions, dm.ids, 5)
    return case, panel, dm, p


def random_problem(seed: int, m: int = 30, k: int = 5, normalization: str = "vector"):
    rng = np.random.default_rng(seed)
    tree = flat_tree([f"c{j}" for j in range(6)], ["benefit"] * 5 + ["cost"])
    w = rng.dirichlet(np.ones(6))
    x = rng.uniform(1, 100, size=(m, 6))
    p = S.problem(
        tree, {"goal": w}, x, tree.directions, [f"a{i}" for i in range(m)], k, normalization
    )
    return p, x, w, tree


@pytest.mark.parametrize("normalization", ["vector", "minmax"])
def test_batched_closeness_equals_pymcdm_per_sample(normalization):
    """The batched kernel against pymcdm's TOPSIS, one call per weight vector, within 1e-9."""
    p, x, _, tree = random_problem(3, normalization=normalization)
    weights = np.random.default_rng(4).dirichlet(np.ones(6), size=50)
    got = p.closeness(weights)
    norm = vector_normalization if normalization == "vector" else minmax_normalization
    oracle = TOPSIS(normalization_function=norm)
    for s, w in enumerate(weights):
        np.testing.assert_allclose(got[s], oracle(x, w, tree.directions), atol=1e-9)


def test_weight_line_rescales_siblings_in_proportion(bundled):
    """Triantaphyllou & Sánchez (1997): set the node's weight to t, siblings * (1-t)/(1-t0)."""
    _, panel, _, p = bundled
    base, slope, t0, gp = S.weight_line(p, "willingness")
    local = dict(p.local)
    w = local["goal"].copy()
    t = 0.6
    w = w * (1 - t) / (1 - t0)
    w[1] = t
    local["goal"] = w
    np.testing.assert_allclose(base + t * slope, p.tree.compose(local), rtol=1e-12)
    np.testing.assert_allclose(base + t0 * slope, panel.global_weights, rtol=1e-12)
    assert gp == 1


def test_sweep_shape_and_current_point(bundled):
    _, _, _, p = bundled
    sw = S.sweep(p, "trust", np.linspace(0, 1, 11))
    assert sw.closeness.shape == (11, len(p.ids))
    np.testing.assert_allclose(sw.weights.sum(axis=1), 1, rtol=1e-12)


def key_set_on_grid(p, node, ts):
    base, slope, _, _ = S.weight_line(p, node)
    return [frozenset(p.top(base + t * slope)) for t in ts]


@pytest.mark.parametrize("node", ["knowledge_value", "willingness", "trust", "it_support"])
def test_tolerance_matches_a_fine_grid(bundled, node):
    """Inside the interval the key set is the current one at every point of a 20,001-point
    grid; just outside each finite end it is not."""
    _, _, _, p = bundled
    tol = S.tolerance(p, node)
    key = frozenset(p.top(p.weights))
    ts = np.linspace(0, 1, 20001)
    inside = ts[(ts > tol.key_low.t + 1e-9) & (ts < tol.key_high.t - 1e-9)]
    assert all(s == key for s in key_set_on_grid(p, node, inside))
    for bound, step in ((tol.key_low, -1e-7), (tol.key_high, 1e-7)):
        if bound.leaves is not None:
            after = key_set_on_grid(p, node, [bound.t + step])[0]
            ids = {p.ids[i] for i in after}
            assert bound.enters in ids and bound.leaves not in ids


def test_tolerance_top_customer(bundled):
    _, _, _, p = bundled
    tol = S.tolerance(p, "knowledge_value")
    top = p.top(p.weights, 1)
    base, slope, _, _ = S.weight_line(p, "knowledge_value")
    for t in np.linspace(tol.top_low.t + 1e-6, tol.top_high.t - 1e-6, 200):
        assert p.top(base + t * slope, 1) == top


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000))
def test_tolerance_random_problems_against_grid(seed):
    p, *_ = random_problem(seed, m=12, k=3)
    key = frozenset(p.top(p.weights))
    for node in ("c0", "c5"):
        tol = S.tolerance(p, node, grid=401)
        ts = np.linspace(tol.key_low.t, tol.key_high.t, 3001)[1:-1]
        assert all(s == key for s in key_set_on_grid(p, node, ts))


def test_judgement_tolerance(bundled):
    """Moving a judgement by one step more than its tolerance changes the key set (checked by
    re-running the whole panel), and by its tolerance does not."""
    case, panel, _, p = bundled
    out = S.judgement_tolerances(p, panel)
    n_given = sum(len(e.judgements) for e in case.experts)
    assert len(out) == n_given + sum(
        len(r.criteria) * (len(r.criteria) - 1) // 2 for r in panel.nodes.values()
    )
    assert out[0].slack <= out[-1].slack
    row = next(r for r in out if r.expert != "group" and r.steps_up is not None)
    e = next(x for x in case.experts if x.id == row.expert)
    j = next(
        x for x in e.judgements if (x.node, x.first, x.second) == (row.node, row.first, row.second)
    )
    from mcda_ckm.model import scale

    def key_with(v):
        trial = [judgements._with_value(x, j, v) if x is e else x for x in case.experts]
        w = evaluate(case.tree, trial).global_weights
        return {p.ids[i] for i in p.top(w)}

    base = {p.ids[i] for i in p.top(p.weights)}
    s0 = scale.steps(j.value)
    assert key_with(scale.from_steps(s0 + row.steps_up)) == base
    assert key_with(scale.from_steps(s0 + row.steps_up + 1)) == set(row.changes_up)


def test_sampling_is_seeded(bundled):
    _, panel, _, p = bundled
    for source in S.SOURCES:
        a = S.sample_weights(p, 200, source, seed=7, panel=panel)
        b = S.sample_weights(p, 200, source, seed=7, panel=panel)
        np.testing.assert_array_equal(a, b)
        np.testing.assert_allclose(a.sum(axis=1), 1, rtol=1e-12)
        assert (a >= 0).all()
    c = S.sample_weights(p, 200, "uniform", seed=8)
    assert not np.array_equal(c, S.sample_weights(p, 200, "uniform", seed=7))


def test_panel_samples_center_on_the_panel(bundled):
    """Bootstrapping experts and moving judgements within the scale's resolution keeps the
    samples around the panel's weights."""
    _, panel, _, p = bundled
    w = S.sample_weights(p, 4000, "panel", seed=1, panel=panel)
    np.testing.assert_allclose(w.mean(axis=0), panel.global_weights, rtol=0.25)


def test_smaa_against_a_loop_over_pymcdm(bundled):
    """Rank acceptability, key probability and central weights recomputed sample by sample
    with pymcdm's TOPSIS as the oracle (Lahdelma & Salminen 2001 definitions)."""
    _, _, dm, p = bundled
    w = S.sample_weights(p, 300, "uniform", seed=3)
    res = S.smaa(p, w, chunk=64)
    oracle = TOPSIS(normalization_function=vector_normalization)
    m, k = len(p.ids), p.k
    acc = np.zeros((m, k))
    first_sum = np.zeros((m, w.shape[1]))
    first_n = np.zeros(m)
    for ws in w:
        c = oracle(dm.values, ws, dm.directions)
        order = np.argsort(-c, kind="stable")[:k]
        acc[order, np.arange(k)] += 1
        first_sum[order[0]] += ws
        first_n[order[0]] += 1
    np.testing.assert_allclose(res.rank_acceptability, acc / len(w))
    np.testing.assert_allclose(res.key_probability, acc.sum(axis=1) / len(w))
    won = first_n > 0
    np.testing.assert_allclose(res.central_weights[won], first_sum[won] / first_n[won, None])
    assert np.isnan(res.central_weights[~won]).all() and np.isnan(res.confidence[~won]).all()
    assert res.key_probability.sum() == pytest.approx(k)


def test_smaa_fixed_weights_is_deterministic(bundled):
    """All samples equal to the AHP weights: the current key set has probability 1."""
    _, _, _, p = bundled
    res = S.smaa(p, np.tile(p.weights, (10, 1)))
    key = p.top(p.weights)
    assert set(np.flatnonzero(res.key_probability == 1)) == set(key)
    assert res.confidence[key[0]] == 1


def test_bad_source_and_k():
    p, *_ = random_problem(1)
    with pytest.raises(CkmError, match="unknown source 'x'"):
        S.sample_weights(p, 10, "x")  # type: ignore[arg-type]
    with pytest.raises(CkmError, match="top_k = 0"):
        S.problem(p.tree, p.local, np.ones((3, 6)), p.tree.directions, "abc", 0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_candidate_screen_does_not_change_the_tolerance(seed, monkeypatch):
    """The exact bounds with the outsiders screened out equal those computed with everyone."""
    p, *_ = random_problem(seed, m=400, k=5)
    fast = [S.tolerance(p, n) for n in ("c0", "c3", "c5")]
    monkeypatch.setattr(intervals, "_candidates", lambda p, line, inside, ts: np.ones_like(inside))
    slow = [S.tolerance(p, n) for n in ("c0", "c3", "c5")]
    assert fast == slow
