"""Tests of mcda_ckm.ranking.crosscheck: TOPSIS against VIKOR, PROMETHEE II and WSM on the same
weights, and the vectorised Kendall's tau against pymcdm (moved from test_topsis.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcda_ckm.errors import CkmError
from mcda_ckm.model.matrix import DecisionMatrix
from mcda_ckm.ranking import crosscheck
from mcda_ckm.ranking.crosscheck import cross_check
from mcda_ckm.report.narrative import cross_check_verdict

# --- cross-check ----------------------------------------------------------------------------


def test_cross_check_agrees_on_a_clear_case():
    """Five customers each better than the next on every criterion: every method must agree."""
    x = np.array([[9, 90, 9.0], [7, 70, 8], [5, 50, 7], [3, 30, 6], [1, 10, 5]])
    m = DecisionMatrix.from_array(x, ids=list("ABCDE"))
    cc = cross_check(m, [0.5, 0.3, 0.2], top_k=2)
    assert cc.methods == ("TOPSIS", "VIKOR", "PROMETHEE II", "WSM")
    assert cc.same_key_sources and all(t == ("A", "B") for t in cc.top_k.values())
    for name in crosscheck.CORRELATIONS:
        np.testing.assert_allclose(cc.correlations[name], np.ones((4, 4)))
    assert cross_check_verdict(cc).startswith(
        "The 2 key sources are the same whichever method is used"
    )


def test_cross_check_reports_disagreement():
    """A compromise customer (C) is first under TOPSIS but not under PROMETHEE II, whose usual
    preference function only counts wins."""
    x = np.array([[10.0, 0.0], [0.0, 10.0], [6.0, 6.0], [9.0, 1.0], [1.0, 9.0]])
    m = DecisionMatrix.from_array(x, ids=list("ABCDE"))
    cc = cross_check(m, [0.5, 0.5], top_k=1)
    assert cc.top_k["TOPSIS"] == ("C",)
    assert not cc.same_key_sources
    assert cross_check_verdict(cc).startswith("The key sources depend on the method")
    assert "C is key only under" in cross_check_verdict(cc)


def test_cross_check_skips_constant_criteria_in_vikor():
    x = np.array([[9, 5, 9.0], [7, 5, 8], [5, 5, 7]])
    cc = cross_check(DecisionMatrix.from_array(x), [0.4, 0.3, 0.3], top_k=1)
    assert cc.ranks["VIKOR"].tolist() == [1, 2, 3]


def test_cross_check_refuses_huge_problems():
    x = np.random.default_rng(1).random((crosscheck.PROMETHEE_LIMIT + 1, 2))
    with pytest.raises(CkmError, match="PROMETHEE II would compare"):
        cross_check(DecisionMatrix.from_array(x), [0.5, 0.5])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 6), min_size=2, max_size=30), st.randoms(use_true_random=False))
def test_kendall_tau_a_equals_pymcdm(x, random):
    """Our vectorised tau-a against pymcdm.correlations.kendall_tau (the oracle), ties included."""
    from pymcdm.correlations import kendall_tau

    y = list(x)
    random.shuffle(y)
    assert crosscheck.kendall_tau_a(np.array(x), np.array(y)) == pytest.approx(
        kendall_tau(np.array(x, dtype=float), np.array(y, dtype=float)), abs=1e-12
    )
