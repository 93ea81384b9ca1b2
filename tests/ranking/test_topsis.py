"""Tests of mcda_ckm.ranking.topsis: published examples, pymcdm as oracle, properties (the
cross-check and the managerial reading are tested in test_crosscheck.py and test_reading.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mcda_ckm.errors import CkmError, DataError
from mcda_ckm.model.matrix import DecisionMatrix, load_customers
from mcda_ckm.model.tree import load_tree
from mcda_ckm.ranking import topsis
from mcda_ckm.ranking.topsis import rank
from tests.conftest import FIGHTER, ROOT

FIGHTER_X = np.array(
    [
        [2.0, 1500, 20000, 5.5, 5, 9],
        [2.5, 2700, 18000, 6.5, 3, 5],
        [1.8, 2000, 21000, 4.5, 7, 7],
        [2.2, 1800, 20000, 5.0, 5, 5],
    ]
)
FIGHTER_W = np.array([0.2, 0.1, 0.1, 0.1, 0.2, 0.3])
FIGHTER_D = np.array([1, 1, 1, -1, 1, 1])


def pymcdm_topsis(values, weights, directions, normalization):
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import minmax_normalization, vector_normalization

    function = {"vector": vector_normalization, "minmax": minmax_normalization}[normalization]
    *_, d_minus, d_plus, closeness = TOPSIS(function)._method(
        np.asarray(values, float), np.asarray(weights, float), np.asarray(directions)
    )
    return closeness, d_plus, d_minus


def random_problem(seed, m=40, n=7, negative=False):
    rng = np.random.default_rng(seed)
    low = -50.0 if negative else 0.0
    values = rng.uniform(low, 100.0, (m, n)) * rng.uniform(0.01, 1000.0, n)
    weights = rng.dirichlet(np.ones(n))
    directions = rng.choice([-1, 1], n)
    return values, weights, directions


# --- published examples ---------------------------------------------------------------------


def test_hwang_yoon_1981_fighter_aircraft():
    """Hwang & Yoon (1981), Multiple Attribute Decision Making, Springer, pp. 131-134: closeness
    0.643, 0.268, 0.614, 0.312 (vector normalisation, cost = 4th criterion); A1 is chosen."""
    r = rank(FIGHTER_X, FIGHTER_W, FIGHTER_D, top_k=1)
    np.testing.assert_allclose(r.closeness, [0.643, 0.268, 0.614, 0.312], atol=1e-3)
    np.testing.assert_array_equal(r.ranks, [1, 4, 2, 3])
    np.testing.assert_array_equal(r.order, [0, 2, 3, 1])
    assert r.top_k.tolist() == [0] and r.ties == ()


def test_fighter_validation_case_from_files():
    """The bundled validation case reproduces Hwang & Yoon (1981), pp. 131-134."""
    tree = load_tree(ROOT / "criteria" / "hwang-yoon-1981-fighter.toml")
    m = load_customers(FIGHTER / "customers.csv", tree)
    r = rank(m, FIGHTER_W, top_k=1)
    np.testing.assert_allclose(r.closeness, [0.643, 0.268, 0.614, 0.312], atol=1e-3)
    assert r.key_sources == ("A1",)


def test_tzeng_huang_2011():
    """Tzeng & Huang (2011), Multiple Attribute Decision Making: Methods and Applications, CRC
    Press, as used in scikit-criteria's tests/agg/test_topsis.py::test_TOPSIS_tzeng2011multiple:
    all benefit, vector normalisation, closeness 0.5037, 0.6581, 0.7482, 0.3340."""
    r = rank([[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]], [0.3, 0.4, 0.3])
    np.testing.assert_allclose(r.closeness, [0.5037, 0.6581, 0.7482, 0.3340], atol=1e-4)
    np.testing.assert_array_equal(r.ranks, [3, 2, 1, 4])


# --- pymcdm as oracle -----------------------------------------------------------------------


@pytest.mark.parametrize("normalization", ["vector", "minmax"])
@pytest.mark.parametrize("seed", range(8))
def test_equals_pymcdm(seed, normalization):
    values, weights, directions = random_problem(seed, negative=normalization == "minmax")
    r = rank(values, weights, directions, normalization)
    closeness, d_plus, d_minus = pymcdm_topsis(values, weights, directions, normalization)
    np.testing.assert_allclose(r.closeness, closeness, rtol=0, atol=1e-12)
    np.testing.assert_allclose(r.d_plus, d_plus, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(r.d_minus, d_minus, rtol=1e-12, atol=1e-15)


def test_minmax_constant_column_equals_pymcdm():
    """pymcdm's min-max normalisation maps a constant column to ones: it adds no distance."""
    values, weights, directions = random_problem(99, m=12, n=4)
    values[:, 2] = 7.0
    r = rank(values, weights, directions, "minmax")
    closeness, *_ = pymcdm_topsis(values, weights, directions, "minmax")
    np.testing.assert_allclose(r.closeness, closeness, rtol=0, atol=1e-12)


@pytest.mark.parametrize("normalization", ["vector", "minmax"])
def test_batched_kernel_equals_pymcdm_per_weight_vector(normalization):
    values, _, directions = random_problem(7, m=60, n=12)
    many = np.random.default_rng(8).dirichlet(np.ones(12), size=25)
    batched = topsis._topsis(values, many, directions, normalization)
    assert batched.shape == (25, 60)
    for w, row in zip(many, batched, strict=True):
        np.testing.assert_allclose(
            row, pymcdm_topsis(values, w, directions, normalization)[0], rtol=0, atol=1e-9
        )
    np.testing.assert_allclose(
        batched[3], topsis._topsis(values, many[3], directions, normalization), atol=1e-15
    )


@pytest.mark.parametrize("normalization", ["vector", "minmax"])
@pytest.mark.parametrize("scale", [1.0, 2.0**400])
def test_blocked_scorer_equals_pymcdm(monkeypatch, normalization, scale):
    """The bounded-memory engines' scorer (score_columns: columns in blocks of 7 rows, with the
    whole matrix's statistics) against pymcdm, also on columns so large that the kernel scales
    them by a power of two (pymcdm sees the unscaled values: closeness is scale-invariant)."""
    monkeypatch.setattr(topsis, "SCORE_BLOCK", 7)
    values, weights, directions = random_problem(3, negative=normalization == "minmax")
    x = values * scale
    lo, hi = x.min(axis=0), x.max(axis=0)
    scale2 = topsis.deviations(x, directions, normalization).scale2
    w = np.asarray(weights) / np.sum(weights)
    columns = [np.ascontiguousarray(x[:, j]) for j in range(x.shape[1])]
    closeness, *_ = topsis.score_columns(columns, directions, lo, hi, scale2, w)
    expected, *_ = pymcdm_topsis(values, weights, directions, normalization)
    np.testing.assert_allclose(closeness, expected, rtol=0, atol=1e-12)


def test_weights_are_scaled_to_sum_to_one():
    a = rank(FIGHTER_X, FIGHTER_W, FIGHTER_D)
    b = rank(FIGHTER_X, FIGHTER_W * 40, FIGHTER_D)
    np.testing.assert_allclose(a.closeness, b.closeness, rtol=1e-14)
    np.testing.assert_allclose(b.weights, FIGHTER_W, rtol=1e-15)


# --- ties, top-k, contributions -------------------------------------------------------------


def test_ties_are_broken_by_input_order_and_reported():
    values = [[1.0, 1.0], [3.0, 1.0], [3.0, 1.0], [0.0, 0.0], [3.0, 1.0]]
    r = rank(values, [0.5, 0.5], top_k=2)
    assert r.ties == ((1, 2, 4),)
    assert r.ranks[[1, 2, 4]].tolist() == [1, 2, 3]
    assert r.top_k.tolist() == [1, 2] and r.tie_at_cutoff


def test_no_tie_at_cutoff_when_the_tie_is_inside():
    r = rank([[3.0, 1.0], [3.0, 1.0], [0.0, 0.0]], [0.5, 0.5], top_k=2)
    assert r.ties == ((0, 1),) and not r.tie_at_cutoff


def test_key_sources_are_named_from_the_matrix():
    m = DecisionMatrix.from_array(FIGHTER_X, ids=["A1", "A2", "A3", "A4"], directions=FIGHTER_D)
    assert rank(m, FIGHTER_W, top_k=2).key_sources == ("A1", "A3")


def test_contributions_are_shares_of_the_squared_distances():
    r = rank(FIGHTER_X, FIGHTER_W, FIGHTER_D)
    c = r.contributions
    np.testing.assert_allclose(c.to_ideal.sum(axis=1), 1.0, rtol=1e-14)
    np.testing.assert_allclose(c.to_anti_ideal.sum(axis=1), 1.0, rtol=1e-14)
    # By hand for A1 on maneuverability: (0.3 * (9 - 9) / norm)^2 = 0 -> no share to the ideal.
    assert c.to_ideal[0, 5] == 0.0
    norm = np.sqrt((FIGHTER_X**2).sum(axis=0))
    v = FIGHTER_X / norm * FIGHTER_W
    ideal = np.where(FIGHTER_D > 0, v.max(axis=0), v.min(axis=0))
    np.testing.assert_allclose(
        c.to_ideal[1], (v[1] - ideal) ** 2 / r.d_plus[1] ** 2, rtol=1e-12, atol=1e-16
    )


def test_the_ideal_customer_has_no_distance_to_share():
    r = rank([[3.0, 3.0], [1.0, 2.0], [2.0, 1.0]], [0.5, 0.5])
    assert r.d_plus[0] == 0.0 and r.closeness[0] == 1.0
    assert (r.contributions.to_ideal[0] == 0).all()


def test_without_contributions():
    assert rank(FIGHTER_X, FIGHTER_W, FIGHTER_D, contributions=False).contributions is None


# --- errors ---------------------------------------------------------------------------------


def test_nan_value():
    values = FIGHTER_X.copy()
    values[2, 1] = np.nan
    with pytest.raises(DataError, match=r"customer index 2, criterion index 1: value is NaN"):
        rank(values, FIGHTER_W, FIGHTER_D)


def test_negative_value_under_vector_says_use_minmax():
    m = DecisionMatrix.from_array([[1.0, -2.0], [2.0, 3.0]], criteria=["trust", "clv"])
    with pytest.raises(DataError, match=r'customer "A1", column "clv": -2 is negative.*"minmax"'):
        rank(m, [0.5, 0.5])
    rank(m, [0.5, 0.5], normalization="minmax")


def test_weights_of_wrong_length():
    with pytest.raises(CkmError, match=r"weights: 5 weights for 6 criteria"):
        rank(FIGHTER_X, FIGHTER_W[:5], FIGHTER_D)


def test_negative_weight():
    m = DecisionMatrix.from_array([[1.0, 2.0], [2.0, 3.0]], criteria=["trust", "clv"])
    with pytest.raises(CkmError, match=r"weight of clv is -0\.5; weights must be finite and >= 0"):
        rank(m, [1.5, -0.5])


def test_bad_directions():
    with pytest.raises(CkmError, match=r"directions: directions must be 6 values of \+1"):
        rank(FIGHTER_X, FIGHTER_W, [1, 1, 1, 0, 1, 1])


def test_top_k_out_of_range():
    with pytest.raises(CkmError, match=r"top_k: top_k = 5, must be between 1 and 4"):
        rank(FIGHTER_X, FIGHTER_W, FIGHTER_D, top_k=5)


def test_nothing_to_rank_on():
    with pytest.raises(DataError, match="every weighted criterion has the same value"):
        rank([[1.0, 5.0], [2.0, 5.0]], [0.0, 1.0])


# --- properties -----------------------------------------------------------------------------

# Customer data: 0 or magnitudes from 1e-6 to 1e6 (a subnormal value scaled by 0.5 can become 0,
# which changes the problem rather than testing the property).
finite = st.one_of(st.just(0.0), st.floats(1e-6, 1e6))
problems = st.integers(2, 12).flatmap(
    lambda m: st.integers(1, 6).flatmap(
        lambda n: st.tuples(
            arrays(np.float64, (m, n), elements=finite),
            arrays(np.float64, (n,), elements=st.floats(0.01, 1.0)),
            arrays(np.int64, (n,), elements=st.sampled_from([-1, 1])),
        )
    )
)


def _rankable(values, normalization="vector"):
    spread = values.max(axis=0) > values.min(axis=0)
    nonzero = values.max(axis=0) > 0 if normalization == "vector" else True
    return bool(np.any(spread)) and bool(np.all(nonzero))


@settings(max_examples=150, deadline=None)
@given(problems, st.sampled_from(["vector", "minmax"]))
def test_closeness_is_in_unit_interval(problem, normalization):
    values, weights, directions = problem
    assume(_rankable(values, normalization))
    r = rank(values, weights, directions, normalization)
    assert np.all((r.closeness >= 0) & (r.closeness <= 1))
    assert sorted(r.ranks.tolist()) == list(range(1, values.shape[0] + 1))


@settings(max_examples=100, deadline=None)
@given(problems, st.floats(1e-3, 1e3), st.data())
def test_scaling_a_column_keeps_vector_ranks(problem, factor, data):
    values, weights, directions = problem
    assume(_rankable(values))
    j = data.draw(st.integers(0, values.shape[1] - 1))
    scaled = values.copy()
    scaled[:, j] *= factor
    a, b = rank(values, weights, directions), rank(scaled, weights, directions)
    np.testing.assert_allclose(a.closeness, b.closeness, atol=1e-9)
    gaps = np.diff(np.sort(a.closeness))
    assume(np.all((gaps == 0) | (gaps > 1e-9)))  # no near-tie that rounding could flip
    np.testing.assert_array_equal(a.ranks, b.ranks)


@settings(max_examples=100, deadline=None)
@given(problems, st.randoms(use_true_random=False))
def test_permuting_customers_permutes_closeness(problem, random):
    values, weights, directions = problem
    assume(_rankable(values))
    perm = np.array(random.sample(range(values.shape[0]), values.shape[0]))
    a, b = rank(values, weights, directions), rank(values[perm], weights, directions)
    np.testing.assert_allclose(b.closeness, a.closeness[perm], atol=1e-12)


@settings(max_examples=150, deadline=None)
@given(
    problems,
    st.data(),
    st.sampled_from(["vector", "minmax"]),
)
def test_dominated_customer_never_outranks_its_dominator(problem, data, normalization):
    values, weights, directions = problem
    m, n = values.shape
    i = data.draw(st.integers(0, m - 1), label="dominator")
    step = data.draw(arrays(np.float64, (n,), elements=st.floats(0.0, 100.0)), label="step")
    j = data.draw(st.integers(0, n - 1), label="strict criterion")
    step[j] = max(step[j], 1.0)
    dominated = values[i] - directions * step  # worse on every criterion, strictly on one
    at = data.draw(st.integers(0, m), label="position")
    x = np.insert(values, at, dominated, axis=0)
    if normalization == "vector":
        x = x - np.minimum(x.min(axis=0), 0)  # vector normalisation needs values >= 0
    assume(_rankable(x, normalization))
    dominator = i + (i >= at)
    r = rank(x, weights, directions, normalization)
    # Exactly, C(dominator) > C(dominated); within TIE_TOLERANCE the two are a reported tie,
    # broken by input order.
    assert r.closeness[dominator] >= r.closeness[at] - topsis.TIE_TOLERANCE
    tied = any(dominator in group and at in group for group in r.ties)
    assert r.ranks[dominator] < r.ranks[at] or tied
