"""Objective weights: entropy, CRITIC and standard deviation, against pymcdm and by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pymcdm import weights as pw

from mcda_ckm.errors import CkmError, DataError
from mcda_ckm.model.matrix import DecisionMatrix
from mcda_ckm.model.tree import CriteriaTree
from mcda_ckm.weights.objective import (
    METHODS,
    dimension_weights,
    likert_scales,
    objective_weights,
)

PYMCDM = {
    "entropy": pw.entropy_weights,
    "critic": pw.critic_weights,
    "std": pw.standard_deviation_weights,
}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("seed", range(5))
def test_equal_to_pymcdm_on_positive_data(method: str, seed: int) -> None:
    """pymcdm 1.4 (``pymcdm.weights``) as oracle, on strictly positive data where all agree."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.5, 100, size=(int(rng.integers(3, 40)), int(rng.integers(2, 13))))
    got = objective_weights(x, method).weights
    np.testing.assert_allclose(got, PYMCDM[method](x), rtol=0, atol=1e-12)
    assert got.sum() == pytest.approx(1.0, abs=1e-12)


def test_entropy_by_hand_with_a_zero_and_a_constant() -> None:
    """Two customers, columns a = (1, 3), b = (2, 2), c = (0, 2.5).

    p_a = (1/4, 3/4), E_a = -(1/ln 2)(1/4 ln 1/4 + 3/4 ln 3/4), d_a = 1 - E_a (= 0.18872...).
    b is constant: p_b = (1/2, 1/2), E_b = 1, d_b = 0, weight 0 with a warning.
    c: p_c = (0, 1), with 0 ln 0 = 0 (the limit), E_c = 0, d_c = 1.
    w = (d_a, 0, 1) / (d_a + 1). pymcdm refuses the zero of c, so this is the reference.
    """
    e_a = -(0.25 * math.log(0.25) + 0.75 * math.log(0.75)) / math.log(2)
    d_a = 1 - e_a
    r = objective_weights([[1, 2, 0], [3, 2, 2.5]], "entropy", criteria=["a", "b", "c"])
    np.testing.assert_allclose(r.weights, [d_a / (d_a + 1), 0, 1 / (d_a + 1)], atol=1e-15)
    assert [(w.code, w.criterion) for w in r.warnings] == [("constant", "b")]
    assert "weight is 0" in r.warnings[0].message


def test_critic_by_hand() -> None:
    """Diakoulaki et al. (1995) on three customers: a = (0, 1, 2), b = (0, 2, 1), c = (2, 0, 1).

    Min-max: r_a = (0, .5, 1), r_b = (0, 1, .5), r_c = (1, 0, .5); each sample std s = 0.5.
    Deviations from the mean .5: a (-.5, 0, .5), b (-.5, .5, 0), c (.5, -.5, 0), each with
    sum of squares .5, so rho_ab = .25/.5 = .5, rho_ac = -.25/.5 = -.5, rho_bc = -.5/.5 = -1.
    C_a = .5 (0 + .5 + 1.5) = 1, C_b = .5 (.5 + 0 + 2) = 1.25, C_c = .5 (1.5 + 2 + 0) = 1.75;
    sum 4, so w = (.25, .3125, .4375).
    """
    r = objective_weights([[0, 0, 2], [1, 2, 0], [2, 1, 1]], "critic")
    np.testing.assert_allclose(r.weights, [0.25, 0.3125, 0.4375], atol=1e-15)


def test_std_by_hand() -> None:
    """a = (1, 3): s = sqrt(2); b = (0, 4): s = 2 sqrt(2); w = (1/3, 2/3)."""
    r = objective_weights([[1, 0], [3, 4]], "std")
    np.testing.assert_allclose(r.weights, [1 / 3, 2 / 3], atol=1e-15)


def test_entropy_is_scale_but_not_shift_invariant() -> None:
    """Multiplying a column leaves entropy weights alone; adding 1 (0-4 -> 1-5) changes them."""
    x = np.array([[0, 3, 10.0], [1, 4, 30], [4, 2, 20], [2, 4, 50], [3, 0, 40]])
    base = objective_weights(x, "entropy").weights
    scaled = x * np.array([7.0, 1, 0.1])
    np.testing.assert_allclose(objective_weights(scaled, "entropy").weights, base, atol=1e-12)
    shifted = x + np.array([1.0, 1, 0])
    moved = objective_weights(shifted, "entropy").weights
    assert np.abs(moved - base).max() > 0.05
    for method in ("critic", "std"):  # both shift-invariant
        np.testing.assert_allclose(
            objective_weights(shifted, method).weights,
            objective_weights(x, method).weights,
            atol=1e-12,
        )


def test_likert_coded_from_zero_is_flagged_under_entropy_only() -> None:
    x = np.array([[0, 3.5], [1, 4.2], [4, 2.0], [2, 4.4], [3, 1.0]])
    r = objective_weights(x, "entropy", criteria=["trust", "clv"])
    assert [(w.code, w.criterion) for w in r.warnings] == [("likert_shift", "trust")]
    assert "0-4 or 1-5" in r.warnings[0].message
    assert objective_weights(x, "critic").warnings == ()
    assert objective_weights(x + np.array([1.0, 0]), "entropy").warnings == ()


def test_values_outside_the_declared_scale_are_flagged(huang: CriteriaTree) -> None:
    scales = likert_scales(huang)
    assert scales["trust"] == (1.0, 7.0)
    assert "base_potential" not in scales
    x = np.array([[0, 1.0], [6, 2], [3, 4]])
    r = objective_weights(x, "entropy", criteria=["trust", "x"], scales=scales)
    assert [(w.code, w.criterion) for w in r.warnings] == [("likert_shift", "trust")]
    assert "declared scale is 1..7" in r.warnings[0].message
    ok = objective_weights(
        x + np.array([1.0, 0]), "entropy", criteria=["trust", "x"], scales=scales
    )
    assert ok.warnings == ()


@pytest.mark.parametrize("method", METHODS)
def test_constant_column_gets_zero_weight_never_nan(method: str) -> None:
    rng = np.random.default_rng(7)
    x = rng.uniform(1, 10, size=(12, 4))
    x[:, 2] = 5.0
    r = objective_weights(x, method, criteria=["a", "b", "c", "d"])
    assert r.weights[2] == 0.0
    assert np.all(np.isfinite(r.weights))
    assert [(w.code, w.criterion) for w in r.warnings if w.code == "constant"] == [
        ("constant", "c")
    ]
    rest = np.delete(x, 2, axis=1)
    np.testing.assert_allclose(np.delete(r.weights, 2), PYMCDM[method](rest), atol=1e-12)


def test_one_varying_column_takes_all_the_weight() -> None:
    r = objective_weights([[1, 2], [1, 5], [1, 3]], "critic")
    np.testing.assert_array_equal(r.weights, [0.0, 1.0])


def test_negative_value_under_entropy_is_an_error_naming_the_column() -> None:
    with pytest.raises(DataError, match=r"customer #2, column 'margin': negative value -3"):
        objective_weights([[1, 2], [2, -3]], "entropy", criteria=["a", "margin"])
    r = objective_weights([[1, 2], [2, -3]], "critic", criteria=["a", "margin"])
    assert np.all(np.isfinite(r.weights))


def test_nothing_varies_is_an_error() -> None:
    with pytest.raises(DataError, match="no column varies"):
        objective_weights([[1, 2], [1, 2]], "std")


def test_entropy_all_zero_column_is_constant() -> None:
    r = objective_weights([[0, 1], [0, 2]], "entropy", criteria=["none", "x"])
    np.testing.assert_array_equal(r.weights, [0.0, 1.0])
    assert r.warnings[0].criterion == "none"


def test_bad_inputs() -> None:
    with pytest.raises(CkmError, match="unknown objective weighting method 'gini'"):
        objective_weights([[1, 2], [3, 4]], "gini")
    with pytest.raises(DataError, match="at least two customers"):
        objective_weights([[1, 2]], "std")
    with pytest.raises(DataError, match=r"column 'b': value nan"):
        objective_weights([[1, 2], [3, np.nan]], "std", criteria=["a", "b"])
    with pytest.raises(DataError, match="3 criteria names for 2 columns"):
        objective_weights([[1, 2], [3, 4]], "std", criteria=["a", "b", "c"])


def test_decision_matrix_and_dimensions(huang: CriteriaTree) -> None:
    """A dimension's weight is the sum of its leaves' weights."""
    rng = np.random.default_rng(3)
    x = rng.uniform(1, 7, size=(20, len(huang.leaves)))
    matrix = DecisionMatrix.from_array(x, criteria=huang.leaves)
    r = objective_weights(matrix, "critic")
    assert r.criteria == huang.leaves
    dims = r.dimensions(huang)
    assert list(dims) == ["knowledge_value", "willingness", "absorptive_capacity"]
    w = r.as_dict()
    for dim, total in dims.items():
        leaves = [leaf for leaf in huang.leaves if huang.dimension_of(leaf) == dim]
        assert len(leaves) == 4
        assert total == pytest.approx(sum(w[leaf] for leaf in leaves), abs=1e-15)
    assert sum(dims.values()) == pytest.approx(1.0, abs=1e-12)
    local = huang.decompose(r.weights)
    np.testing.assert_allclose(local["goal"], list(dims.values()), atol=1e-12)


def test_dimension_weights_need_the_leaves(huang: CriteriaTree) -> None:
    with pytest.raises(CkmError, match=r"missing \[.*'trust'"):
        dimension_weights({"base_potential": 1.0}, huang)
