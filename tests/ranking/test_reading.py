"""Tests of mcda_ckm.ranking.reading: weak and strong dimensions and the seed's levers
(moved from test_topsis.py; the sentences are written by mcda_ckm.report.narrative)."""

from __future__ import annotations

import numpy as np
import pytest

from mcda_ckm.errors import CkmError
from mcda_ckm.model.matrix import DecisionMatrix
from mcda_ckm.model.tree import flat_tree
from mcda_ckm.ranking.reading import reading
from mcda_ckm.ranking.topsis import rank
from mcda_ckm.report.narrative import lever, summary
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
