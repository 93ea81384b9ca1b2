"""Tests of mcda_ckm.ranking.reading: weak and strong dimensions and the seed's levers
(moved from test_topsis.py; the sentences are written by mcda_ckm.report.narrative)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mcda_ckm.errors import CkmError
from mcda_ckm.model.case import load_case
from mcda_ckm.model.matrix import DecisionMatrix
from mcda_ckm.model.tree import flat_tree
from mcda_ckm.ranking.reading import MATERIAL_SHARE, percentiles, reading
from mcda_ckm.ranking.topsis import rank
from mcda_ckm.report.narrative import lever, percent, summary
from mcda_ckm.workflows.study import run_study
from tests.conftest import CASE, FIGHTER
from tests.ranking.test_topsis import FIGHTER_D, FIGHTER_W, FIGHTER_X

# --- the managerial reading -----------------------------------------------------------------


def test_reading_names_the_weak_dimension_and_the_seeds_lever(huang):
    """Customer B equals the best customer A except on willingness, where it is the worst:
    all of its distance to the ideal lies in willingness (Huang, Han & Meng 2008, conclusion:
    raise willingness through trust and incentives)."""
    rng = np.random.default_rng(3)
    x = rng.uniform(1, 5, (6, 12))
    x[0] = 6.0  # A is the ideal customer
    x[1] = 6.0
    x[1, 4:8] = 0.5  # B: worst willingness
    x[2] = 6.0
    x[2, 8:12] = 0.5  # C: worst absorptive capacity
    x[3] = 6.0
    x[3, 0:4] = 0.5  # D: worst knowledge value
    m = DecisionMatrix.from_array(x, ids=list("ABCDEF"), criteria=huang.leaves)
    rd = reading(huang, rank(m, np.full(12, 1 / 12), top_k=2))
    assert rd.dimensions == ("knowledge_value", "willingness", "absorptive_capacity")
    assert rd.weak_dimension[:4] == (None, "willingness", "absorptive_capacity", "knowledge_value")
    np.testing.assert_allclose(rd.dimension_to_ideal[1], [0, 1, 0], atol=1e-12)
    assert lever(rd, 1).startswith("raise willingness to share through trust-building")
    assert lever(rd, 2).startswith("raise absorptive capacity: more touchpoints")
    assert lever(rd, 3) == "its knowledge is worth little to us: target a different customer"
    assert summary(rd, 0).endswith("It is the ideal customer on every weighted indicator.")
    assert (
        "Its weak dimension is Willingness to share knowledge (closeness 0.00 on it alone, "
        "100% of its distance to the ideal): raise willingness" in summary(rd, 1)
    )
    np.testing.assert_allclose(rd.dimension_closeness[1], [1, 0, 1], atol=1e-12)
    np.testing.assert_allclose(rd.dimension_to_ideal[4:].sum(axis=1), 1.0, rtol=1e-12)
    record = rd.records()[1]
    assert record["id"] == "B" and record["weak_dimension"] == "willingness"


def test_reading_with_another_tree_uses_the_generic_lever():
    tree = flat_tree(["clv", "trust"])
    r = rank([[3.0, 1.0], [1.0, 3.0], [2.0, 2.0]], [0.7, 0.3])
    rd = reading(tree, r)
    assert rd.weak_dimension == ("trust", "clv", "clv")
    assert lever(rd, 1) == "improve clv, where most of its distance to the ideal lies"


def test_weak_dimension_rules_differ():
    """Customer 1 is at 0.4 of the way from worst to best on a (40 in 0..100) and the worst on b
    (1 in 1..10), but a carries 0.9 of the weight and the wider normalised gap, so a holds most of
    its distance to the ideal: the "share" rule names a, the "closeness" rule b."""
    tree = flat_tree(["a", "b"])
    r = rank([[100.0, 10.0], [40.0, 1.0], [0.0, 9.9]], [0.9, 0.1])
    by_share = reading(tree, r, weak_rule="share")
    by_closeness = reading(tree, r)
    assert by_share.weak_dimension[1] == "a" and by_closeness.weak_dimension[1] == "b"
    np.testing.assert_allclose(by_closeness.dimension_closeness[1], [0.4, 0.0], atol=1e-12)


def test_unknown_weak_rule():
    r = rank([[3.0, 1.0], [1.0, 3.0]], [0.5, 0.5])
    with pytest.raises(CkmError, match=r"unknown weak_rule 'worst'"):
        reading(flat_tree(["a", "b"]), r, weak_rule="worst")


def test_reading_rejects_a_ranking_of_another_tree(huang):
    r = rank(FIGHTER_X, FIGHTER_W, FIGHTER_D)
    with pytest.raises(CkmError, match=r'are not the leaves of tree "ckm-huang2008"'):
        reading(huang, r)


def test_reading_needs_contributions():
    r = rank([[3.0, 1.0], [1.0, 3.0]], [0.5, 0.5], contributions=False)
    with pytest.raises(CkmError, match=r"no contributions\. Call rank\(\.\.\., contributions=True"):
        reading(flat_tree(["a", "b"]), r)


# --- strength and weakness relative to the other customers (issue 15, point 2) ---------------


def test_strength_and_weakness_known_by_construction(huang):
    """Customer S has the best willingness of all six customers and the worst knowledge value;
    every other dimension is in the middle. Relative to the others, its strength is
    willingness and its weakness knowledge value, whatever the weights; its gap lies in
    knowledge value, so that is where the lever aims."""
    x = np.full((6, 12), 3.0)
    for k in range(6):
        x[k] += 0.2 * k  # the others differ a little, on everything
    x[0, 0:4] = 0.5  # S: worst knowledge value
    x[0, 4:8] = 9.0  # S: best willingness
    x[0, 8:12] = 3.5  # S: middle absorptive capacity
    m = DecisionMatrix.from_array(x, ids=list("SABCDE"), criteria=huang.leaves)
    rd = reading(huang, rank(m, np.full(12, 1 / 12), top_k=2))
    assert rd.strong_dimension[0] == "willingness"
    assert rd.weak_dimension[0] == "knowledge_value"
    assert rd.lever_dimension[0] == "knowledge_value"
    np.testing.assert_allclose(rd.dimension_percentile[0], [0.0, 1.0, 0.4], atol=1e-12)
    text = summary(rd, 0)
    assert "Its weak dimension is Customer knowledge value" in text


def test_lever_skips_a_weak_dimension_holding_little_of_the_gap():
    """Customer 1 is the lowest of four on c (closeness 0 there), but c carries 2% of the
    weight, so c holds a tiny share of its distance to the ideal; b (its second-lowest, 90% of
    the weight) holds nearly all of it, so the lever aims at b, and the sentence quotes both
    shares (each supports its clause). Its strength a is never the lever's target."""
    tree = flat_tree(["a", "b", "c"])
    x = [[5.0, 10.0, 5.0], [9.0, 4.0, 1.0], [1.0, 2.0, 2.0], [2.0, 9.0, 3.0]]
    r = rank(x, [0.08, 0.9, 0.02], top_k=1)
    rd = reading(tree, r)
    assert rd.strong_dimension[1] == "a" and rd.weak_dimension[1] == "c"
    assert rd.lever_dimension[1] == "b"
    share_c, share_b = rd.dimension_to_ideal[1, 2], rd.dimension_to_ideal[1, 1]
    assert share_c < MATERIAL_SHARE <= share_b
    text = summary(rd, 1)
    assert share_c < 0.01 and share_b > 0.99
    assert f"it holds only {percent(share_c)} of its distance" in text
    assert f"b holds {percent(share_b)}: improve b, where most of its distance" in text
    assert "the lowest of all customers on it" in text


def test_percentiles_are_mid_ranks_among_the_others():
    """Hand-derived: among 0.1, 0.5, 0.5, 0.9 the first is below all three others (0), the
    two ties are above one and level with one (1.5 / 3 = 0.5), the last above all (1)."""
    p = percentiles(np.array([[0.1], [0.5], [0.5], [0.9]]))
    np.testing.assert_allclose(p.ravel(), [0.0, 0.5, 0.5, 1.0])


def test_random_customers_never_get_one_dimension_for_both(huang):
    rng = np.random.default_rng(11)
    for _ in range(20):
        m = DecisionMatrix.from_array(
            rng.uniform(1, 7, (15, 12)), ids=[f"C{k}" for k in range(15)], criteria=huang.leaves
        )
        rd = reading(huang, rank(m, rng.dirichlet(np.ones(12)), top_k=3))
        for s, w in zip(rd.strong_dimension, rd.weak_dimension, strict=True):
            assert s is None or s != w


@pytest.mark.parametrize("case", [CASE, FIGHTER], ids=["precision-machinery", "fighter"])
def test_bundled_cases_read_consistently(case):
    """On every bundled case: no customer has the same dimension as strength and weakness, and
    no lever aims at a dimension holding under MATERIAL_SHARE of the customer's gap."""
    study = run_study(load_case(case), samples=50)
    rd = study.reading
    for i, (s, w) in enumerate(zip(rd.strong_dimension, rd.weak_dimension, strict=True)):
        assert s is None or s != w, study.matrix.ids[i]
        lever_dim = rd.lever_dimension[i]
        if lever_dim is not None:
            k = rd.dimensions.index(lever_dim)
            assert rd.dimension_to_ideal[i, k] >= MATERIAL_SHARE, study.matrix.ids[i]
            assert lever_dim != s
        text = summary(rd, i, tree=study.case.tree)
        if "where most of its distance to the ideal lies" in text:
            assert rd.dimension_to_ideal[i, rd.dimensions.index(lever_dim)] >= 0.5


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 30), st.integers(1, 4)),
        elements=st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.9, 1.0, np.nan]),
    )
)
def test_percentiles_equal_the_pairwise_definition(closeness):
    """The sorted computation equals its docstring's formula, counted pair by pair (ties half,
    NaN never below or equal), on columns with ties and NaN."""
    m = closeness.shape[0]
    got = percentiles(closeness)
    for i in range(m):
        for k in range(closeness.shape[1]):
            c = closeness[i, k]
            if np.isnan(c):
                assert np.isnan(got[i, k])
                continue
            if m == 1:
                assert got[i, k] == 0.5
                continue
            others = np.delete(closeness[:, k], i)
            expected = ((others < c).sum() + (others == c).sum() / 2) / (m - 1)
            assert got[i, k] == pytest.approx(expected, abs=1e-15)
