"""AHP, objective and combined weights side by side (issue 16 points 2-4): the alpha sweep against
a hand-derived example and a brute-force grid with pymcdm's TOPSIS as oracle."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from pymcdm.methods import TOPSIS
from pymcdm.normalizations import vector_normalization

from mcda_ckm.errors import CkmError
from mcda_ckm.model.case import load_case
from mcda_ckm.model.matrix import DecisionMatrix
from mcda_ckm.model.settings import WeightSettings
from mcda_ckm.model.tree import flat_tree
from mcda_ckm.sensitivity.problem import problem
from mcda_ckm.weights.combine import combine
from mcda_ckm.weights.objective import objective_weights
from mcda_ckm.workflows.study import run_study
from mcda_ckm.workflows.weighing import alpha_sweep, weigh
from tests.conftest import CASE


def two_by_two():
    tree = flat_tree(["c1", "c2"])
    x = np.array([[4.0, 1.0], [1.0, 2.0]])
    p = problem(tree, tree.decompose(np.array([0.5, 0.5])), x, tree.directions, ("A", "B"), 1)
    return p


def test_alpha_sweep_two_customers_by_hand():
    """A = (4, 1), B = (1, 2), both benefit, vector normalisation, k = 1.

    r_A - r_B on c1: a = 3/sqrt(17); on c2: b = 1/sqrt(5) in B's favour. Each customer is ideal
    on one criterion and anti-ideal on the other, so d+_A = w2 b, d-_A = w1 a and
    C_A = w1 a / (w1 a + w2 b), C_B = 1 - C_A: A leads while w1 a > (1 - w1) b, i.e.
    w1 > w1* = b / (a + b). With AHP (0.2, 0.8) and objective (0.6, 0.4),
    w1(alpha) = 0.6 - 0.4 alpha, so A leads for alpha < alpha* = (0.6 - w1*) / 0.4 and B after.
    """
    a, b = 3 / math.sqrt(17), 1 / math.sqrt(5)
    alpha_star = (0.6 - b / (a + b)) / 0.4
    assert 0.54 < alpha_star < 0.56
    segments = alpha_sweep(two_by_two(), np.array([0.2, 0.8]), np.array([0.6, 0.4]))
    assert [s.key for s in segments] == [("A",), ("B",)]
    assert segments[0].low == 0.0 and segments[1].high == 1.0
    assert segments[0].high == pytest.approx(alpha_star, abs=1e-12)
    assert (segments[0].leaves, segments[0].enters) == ("A", "B")


def oracle_key(x: np.ndarray, w: np.ndarray, k: int) -> frozenset[int]:
    """The top k by pymcdm's TOPSIS (vector normalisation), an independent implementation."""
    pref = TOPSIS(normalization_function=vector_normalization)(x, w, np.ones(x.shape[1]))
    return frozenset(np.argsort(-pref, kind="stable")[:k].tolist())


@pytest.mark.parametrize("seed", range(3))
def test_alpha_sweep_against_a_fine_grid(seed):
    """Every grid point of alpha (step 1e-4) away from a segment end has its segment's key set
    by pymcdm's TOPSIS, and the sets on the two sides of each end differ."""
    rng = np.random.default_rng(seed)
    m, n, k = 25, 4, 4
    x = rng.uniform(1, 10, size=(m, n))
    tree = flat_tree([f"c{j}" for j in range(n)])
    ids = tuple(str(i) for i in range(m))
    p = problem(tree, tree.decompose(np.full(n, 1 / n)), x, tree.directions, ids, k)
    ahp = rng.dirichlet(np.ones(n))
    obj = objective_weights(x, "entropy").weights
    segments = alpha_sweep(p, ahp, obj)
    assert segments[0].low == 0.0 and segments[-1].high == 1.0
    for left, right in itertools.pairwise(segments):
        assert left.high == pytest.approx(right.low, abs=2e-9)
        assert set(left.key) != set(right.key)
    grid = np.linspace(0, 1, 10_001)
    checked = 0
    for seg in segments:
        inside = grid[(grid > seg.low + 1e-6) & (grid < seg.high - 1e-6)]
        want = frozenset(int(i) for i in seg.key)
        for alpha in inside[:: max(1, len(inside) // 400)]:
            w = alpha * ahp + (1 - alpha) * obj
            assert oracle_key(x, w, k) == want, (alpha, seg)
            checked += 1
    assert checked > 300


def test_weigh_on_the_bundled_case_composes_and_combines():
    case = load_case(CASE)
    study = run_study(case, with_sensitivity=False)
    ws = WeightSettings("critic", "linear", 0.3)
    w = weigh(case.tree, study.weights, study.matrix, ws, k=5)
    ref_obj = objective_weights(study.matrix, "critic").weights
    np.testing.assert_allclose(w.objective.weights, ref_obj, atol=1e-15)
    np.testing.assert_allclose(w.combined.weights, 0.3 * study.weights + 0.7 * ref_obj, atol=1e-15)
    for name, vector in w.vectors.items():
        dims = w.dimensions[name]
        assert sum(dims.values()) == pytest.approx(1.0, abs=1e-12)
        for dim, total in dims.items():
            inside = [case.tree.dimension_of(leaf) == dim for leaf in case.tree.leaves]
            assert total == pytest.approx(float(vector[inside].sum()), abs=1e-15)
    assert w.key_sets["ahp"] == study.ranking.key_sources
    # the interval around alpha holds the combined key set, and is the sweep's segment there
    assert w.interval is not None and w.interval.low <= 0.3 <= w.interval.high
    assert set(w.interval.key) == set(w.key_sets["combined"])
    seg = next(s for s in w.sweep if s.low <= 0.3 <= s.high)
    assert seg.low == pytest.approx(w.interval.low, abs=2e-9)
    assert seg.high == pytest.approx(w.interval.high, abs=2e-9)
    both = w.overlaps["ahp & objective"]
    assert set(both) == set(w.key_sets["ahp"]) & set(w.key_sets["objective"])


def test_default_objective_none_ranks_as_before_and_combine_ranks_combined():
    case = load_case(CASE)
    before = run_study(case, with_sensitivity=False)
    assert before.weighing is None
    shown = run_study(case, with_sensitivity=False, weights=WeightSettings("entropy"))
    np.testing.assert_array_equal(shown.weights, before.weights)  # shown beside, AHP ranks
    assert shown.ranking.key_sources == before.ranking.key_sources
    assert shown.weighing is not None and shown.weighing.ranks_with == "ahp"
    mixed = run_study(case, samples=300, weights=WeightSettings("std", "game-theory"))
    ref = combine(before.weights, objective_weights(before.matrix, "std").weights, "game_theory")
    np.testing.assert_allclose(mixed.weights, ref.weights, atol=1e-15)
    assert mixed.ranking.key_sources == mixed.weighing.key_sets["combined"]
    assert mixed.sensitivity is not None and mixed.sensitivity.judgements == []


def test_weigh_needs_an_objective():
    tree = flat_tree(["a", "b"])
    dm = DecisionMatrix.from_array(np.array([[1.0, 2], [2, 1]]), criteria=tree.leaves)
    with pytest.raises(CkmError, match="no objective weighting method"):
        weigh(tree, [0.5, 0.5], dm, WeightSettings(), k=1)
