"""Combination of the panel's weights with objective ones: linear, multiplicative, game theory."""

from __future__ import annotations

import numpy as np
import pytest
from pymcdm import weights as pw

from mcda_ckm.errors import CkmError
from mcda_ckm.weights.combine import RULES, combine, combine_rows, game_theory_coefficients


def test_linear_by_hand() -> None:
    """alpha = 0.3: 0.3 (0.5, 0.3, 0.2) + 0.7 (0.1, 0.6, 0.3) = (0.22, 0.51, 0.27)."""
    r = combine([0.5, 0.3, 0.2], [0.1, 0.6, 0.3], "linear", alpha=0.3, criteria=["a", "b", "c"])
    np.testing.assert_allclose(r.weights, [0.22, 0.51, 0.27], atol=1e-15)
    np.testing.assert_allclose(r.coefficients, [0.3, 0.7])
    assert (r.rule, r.alpha, r.parts) == ("linear", 0.3, ("ahp", "objective"))
    assert r.as_dict()["b"] == pytest.approx(0.51)


def test_linear_ends_are_the_parts() -> None:
    a, o = [0.5, 0.3, 0.2], [0.1, 0.6, 0.3]
    np.testing.assert_allclose(combine(a, o, alpha=1.0).weights, a, atol=1e-15)
    np.testing.assert_allclose(combine(a, o, alpha=0.0).weights, o, atol=1e-15)


def test_multiplicative_by_hand() -> None:
    """(0.5*0.1, 0.3*0.6, 0.2*0.3) = (0.05, 0.18, 0.06), sum 0.29 -> (5, 18, 6) / 29."""
    r = combine([0.5, 0.3, 0.2], [0.1, 0.6, 0.3], "multiplicative")
    np.testing.assert_allclose(r.weights, np.array([5, 18, 6]) / 29, atol=1e-15)
    assert r.coefficients.size == 0 and r.alpha is None


def test_multiplicative_matches_pymcdm_idocriw_synthesis() -> None:
    """pymcdm's IDOCRIW combines entropy W and CILOS q as (q * W) / sum(q * W)."""
    rng = np.random.default_rng(0)
    x = rng.uniform(1, 10, size=(8, 4))
    types = np.ones(4)
    w_entropy = pw.entropy_weights(x)
    q_cilos = pw.cilos_weights(x, types)
    r = combine(q_cilos, w_entropy, "multiplicative")
    np.testing.assert_allclose(r.weights, pw.idocriw_weights(x, types), atol=1e-12)


def test_game_theory_two_methods_by_hand() -> None:
    """w1 = (0.6, 0.3, 0.1), w2 = (0.2, 0.3, 0.5) (Lai et al. 2015's formulation).

    Gram: w1.w1 = .36 + .09 + .01 = .46, w1.w2 = .12 + .09 + .05 = .26, w2.w2 = .04 + .09 + .25
    = .38. First-order conditions: .46 a1 + .26 a2 = .46 and .26 a1 + .38 a2 = .38.
    det = .46 * .38 - .26^2 = .1072; a1 = (.46 * .38 - .26 * .38) / .1072 = .076 / .1072,
    a2 = (.46 * .38 - .26 * .46) / .1072 = .0552 / .1072. Normalised: a1* = .076 / .1312
    = 95/164, a2* = .0552 / .1312 = 69/164. w = (95 w1 + 69 w2) / 164
    = (57 + 13.8, 28.5 + 20.7, 9.5 + 34.5) / 164 = (70.8, 49.2, 44) / 164.
    """
    r = combine([0.6, 0.3, 0.1], [0.2, 0.3, 0.5], "game_theory", names=("ahp", "entropy"))
    np.testing.assert_allclose(r.coefficients, [95 / 164, 69 / 164], atol=1e-15)
    np.testing.assert_allclose(r.weights, np.array([70.8, 49.2, 44.0]) / 164, atol=1e-15)
    assert r.parts == ("ahp", "entropy")


def test_game_theory_identical_vectors_share_equally() -> None:
    w = np.array([0.2, 0.3, 0.5])
    np.testing.assert_allclose(game_theory_coefficients(np.vstack([w, w])), [0.5, 0.5])
    np.testing.assert_allclose(combine(w, w, "game_theory").weights, w, atol=1e-15)


def test_game_theory_three_vectors_satisfy_the_first_order_conditions() -> None:
    rng = np.random.default_rng(5)
    w = rng.dirichlet(np.ones(6), size=3)
    a = np.linalg.solve(w @ w.T, np.diag(w @ w.T))
    coefficients = game_theory_coefficients(w)
    np.testing.assert_allclose(coefficients, np.abs(a) / np.abs(a).sum(), atol=1e-12)


def test_mappings_are_matched_by_name() -> None:
    r = combine({"a": 0.6, "b": 0.4}, {"b": 0.8, "a": 0.2}, alpha=0.5)
    assert r.as_dict() == pytest.approx({"a": 0.4, "b": 0.6})


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"rule": "geometric"}, "unknown combination rule 'geometric'"),
        ({"rule": "linear"}, r"needs alpha in \[0, 1\], got None"),
        ({"rule": "linear", "alpha": 1.5}, r"needs alpha in \[0, 1\], got 1.5"),
        ({"rule": "game_theory", "alpha": 0.5}, "takes none"),
    ],
)
def test_rule_and_alpha_are_checked(kwargs: dict, match: str) -> None:
    with pytest.raises(CkmError, match=match):
        combine([0.5, 0.5], [0.5, 0.5], **kwargs)


def test_vectors_are_checked() -> None:
    with pytest.raises(CkmError, match="2 ahp weights but 3 objective weights"):
        combine([0.5, 0.5], [0.2, 0.3, 0.5], alpha=0.5)
    with pytest.raises(CkmError, match=r"objective weight of index 1 is -0\.1"):
        combine([0.5, 0.5], [1.1, -0.1], alpha=0.5)
    with pytest.raises(CkmError, match=r"ahp weights sum to 0\.9, not 1\. Normalise"):
        combine([0.5, 0.4], [0.5, 0.5], alpha=0.5)
    with pytest.raises(CkmError, match=r"objective weights lack \['b'\] and add \['c'\]"):
        combine({"a": 0.5, "b": 0.5}, {"a": 0.5, "c": 0.5}, alpha=0.5)
    with pytest.raises(CkmError, match="product is all zero"):
        combine([1.0, 0.0], [0.0, 1.0], "multiplicative")


@pytest.mark.parametrize("rule", RULES)
def test_results_are_frozen_and_sum_to_one(rule: str) -> None:
    r = combine([0.6, 0.3, 0.1], [0.2, 0.3, 0.5], rule, alpha=0.4 if rule == "linear" else None)
    assert r.weights.sum() == pytest.approx(1.0, abs=1e-15)
    with pytest.raises(ValueError, match="read-only"):
        r.weights[0] = 1.0


@pytest.mark.parametrize("rule", [*RULES, "game-theory"])
def test_combine_rows_is_combine_on_every_row(rule: str) -> None:
    """The SMAA samples of the panel carried to the combined weights: row by row the same as
    :func:`combine` (the game-theory rule's 2 x 2 system solved in closed form)."""
    rng = np.random.default_rng(11)
    rows = rng.dirichlet(np.ones(5), size=40)
    rows[0] = [0.1, 0.2, 0.3, 0.2, 0.2]  # identical to the objective vector: equal shares
    obj = np.array([0.1, 0.2, 0.3, 0.2, 0.2])
    alpha = 0.35 if rule == "linear" else None
    got = combine_rows(rows, obj, rule, alpha)
    for row, out in zip(rows, got, strict=True):
        np.testing.assert_allclose(out, combine(row, obj, rule, alpha=alpha).weights, atol=1e-12)
