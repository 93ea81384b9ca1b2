"""The panel's AHP weights combined with objective ones by a named rule (组合赋权).

Three rules, each with its source:

* ``"linear"``: ``w = alpha w_ahp + (1 - alpha) w_obj``, ``alpha`` in [0, 1], the share given to
  the panel (the additive synthesis of subjective and objective weights; e.g. Ma, Fan & Huang
  1999, "A subjective and objective integrated approach to determine attribute weights",
  *European Journal of Operational Research* 112(2), 397-404, which chooses ``alpha`` by
  optimisation).
* ``"multiplicative"``: ``w_j = w_ahp_j w_obj_j / sum_k w_ahp_k w_obj_k``, the normalised
  product (the multiplicative synthesis used by IDOCRIW in pymcdm, ``(q * W) / sum(q * W)``).
* ``"game_theory"``: the game-theory combination weighting (博弈论组合赋权), as formulated in,
  e.g., Lai, Chen, Chen, Wang, Wu & Zhao (2015), "A fuzzy comprehensive evaluation model for flood
  risk based on the combination weight of game theory", *Natural Hazards* 77(2), 1243-1259. With L
  basic weight vectors ``w_1 .. w_L`` (rows), look for ``w = sum_k a_k w_k`` that deviates least
  from each of them::

      min || sum_k a_k w_k - w_l ||_2     for l = 1 .. L

  whose first-order conditions are the linear system ``G a = diag(G)``, ``G_lk = w_l . w_k``
  (the Gram matrix). The coefficients are normalised as ``a*_k = |a_k| / sum |a_k|`` and
  ``w = sum_k a*_k w_k``. A singular ``G`` (two identical vectors) is solved by least squares
  with the minimum-norm solution, which shares the coefficient equally.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mcda_ckm.errors import CkmError

__all__ = ["RULES", "CombinedWeights", "combine", "combine_rows", "game_theory_coefficients"]

RULES: tuple[str, ...] = ("linear", "multiplicative", "game_theory")
"""The combination rules, by the names used in settings and on the command line."""

SUM_TOLERANCE = 1e-6
"""How far from 1 a weight vector's sum may be (rounding in files written to 6 decimals)."""


@dataclass(frozen=True)
class CombinedWeights:
    """Weights combined from the panel's and an objective method's.

    Attributes
    ----------
    rule : str
        One of :data:`RULES`.
    criteria : tuple of str
        The criteria, in the order of ``weights``.
    weights : numpy.ndarray
        The combined weights, >= 0, summing to 1 (read-only).
    parts : tuple of str
        The names of the combined vectors (e.g. ``("ahp", "entropy")``).
    coefficients : numpy.ndarray
        Each part's coefficient: ``(alpha, 1 - alpha)`` for linear, the normalised ``a*_k`` for
        game theory, empty for multiplicative (read-only).
    alpha : float or None
        The linear rule's share of the panel; None for the other rules.
    """

    rule: str
    criteria: tuple[str, ...]
    weights: np.ndarray
    parts: tuple[str, ...]
    coefficients: np.ndarray
    alpha: float | None = None

    def as_dict(self) -> dict[str, float]:
        """The weights keyed by criterion."""
        return {c: float(w) for c, w in zip(self.criteria, self.weights, strict=True)}


def check_vector(
    weights: Mapping[str, float] | Any,
    name: str,
    criteria: tuple[str, ...] | None,
) -> tuple[np.ndarray, tuple[str, ...] | None]:
    """One weight vector as an array in ``criteria`` order, checked finite, >= 0, sum 1."""
    if isinstance(weights, Mapping):
        keys = tuple(str(k) for k in weights)
        if criteria is not None and set(keys) != set(criteria):
            raise CkmError(
                f"the {name} weights lack {sorted(set(criteria) - set(keys))} and add "
                f"{sorted(set(keys) - set(criteria))}",
                where=name,
                hint="Give every vector the same criteria",
            )
        order = criteria if criteria is not None else keys
        w = np.array([float(weights[c]) for c in order], dtype=np.float64)
        criteria = order
    else:
        w = np.asarray(weights, dtype=np.float64)
        if w.ndim != 1:
            raise CkmError(
                f"the {name} weights must be one vector, got shape {w.shape}", where=name
            )
    bad = np.flatnonzero(~np.isfinite(w) | (w < 0))
    if bad.size:
        j = int(bad[0])
        label = criteria[j] if criteria is not None else f"index {j}"
        raise CkmError(
            f"the {name} weight of {label} is {float(w[j])}; weights must be finite and >= 0",
            where=name,
        )
    total = float(w.sum())
    if abs(total - 1.0) > SUM_TOLERANCE:
        raise CkmError(
            f"the {name} weights sum to {total:.6g}, not 1",
            where=name,
            hint="Normalise them (divide each by their sum) before combining",
        )
    return w, criteria


def game_theory_coefficients(vectors: np.ndarray) -> np.ndarray:
    """The normalised game-theory coefficients ``a*_k`` of the rows of ``vectors``.

    Solves ``G a = diag(G)`` with ``G = W W^T`` (Lai et al. 2015) and returns ``|a| / sum |a|``.

    >>> game_theory_coefficients(np.array([[0.5, 0.5], [0.5, 0.5]])).round(12).tolist()
    [0.5, 0.5]
    """
    gram = vectors @ vectors.T
    a = np.linalg.lstsq(gram, np.diag(gram), rcond=None)[0]
    a = np.abs(a)
    return a / a.sum()


def combine(
    ahp: Mapping[str, float] | Any,
    objective: Mapping[str, float] | Any,
    rule: str = "linear",
    *,
    alpha: float | None = None,
    criteria: Sequence[str] | None = None,
    names: tuple[str, str] = ("ahp", "objective"),
) -> CombinedWeights:
    """Combine the panel's weights with objective ones by ``rule``.

    Parameters
    ----------
    ahp, objective : mapping of criterion to weight, or array_like
        Two weight vectors over the same criteria, each >= 0 and summing to 1. Mappings are
        matched by name; arrays by position.
    rule : {"linear", "multiplicative", "game_theory"}
        See the module docstring for the formulas and sources.
    alpha : float, optional
        The linear rule's share of the panel, in [0, 1] (required for ``"linear"``, refused by
        the others).
    criteria : sequence of str, optional
        Names for array inputs (default ``C1 .. Cn``); mappings bring their own.
    names : (str, str)
        The parts' names in the result (e.g. ``("ahp", "entropy")``).

    Returns
    -------
    CombinedWeights

    Raises
    ------
    CkmError
        An unknown rule, a missing or out-of-range alpha, vectors of different lengths or
        criteria, a negative or non-finite weight, a sum other than 1, or (multiplicative) no
        criterion weighted by both.

    Examples
    --------
    >>> r = combine([0.6, 0.4], [0.2, 0.8], "linear", alpha=0.5)
    >>> r.as_dict()  # doctest: +ELLIPSIS
    {'C1': 0.4..., 'C2': 0.6...}
    """
    rule = rule.replace("-", "_")  # "game-theory", as case.toml and the CLI spell it
    if rule not in RULES:
        raise CkmError(
            f"unknown combination rule {rule!r}",
            where="rule",
            hint=f"Use one of {', '.join(RULES)}",
        )
    if rule == "linear":
        if alpha is None or not np.isfinite(alpha) or not 0.0 <= alpha <= 1.0:
            raise CkmError(
                f"the linear rule needs alpha in [0, 1], got {alpha!r}",
                where="alpha",
                hint="alpha is the panel's share: 1 keeps the AHP weights, 0 the objective ones",
            )
    elif alpha is not None:
        raise CkmError(
            f"alpha is the linear rule's parameter; the {rule} rule takes none",
            where="alpha",
            hint="Drop alpha or use rule = linear",
        )
    names_in = tuple(criteria) if criteria is not None else None
    w_ahp, names_in = check_vector(ahp, names[0], names_in)
    w_obj, names_in = check_vector(objective, names[1], names_in)
    if w_ahp.shape != w_obj.shape:
        raise CkmError(
            f"{w_ahp.size} {names[0]} weights but {w_obj.size} {names[1]} weights",
            where="weights",
            hint="Give both vectors one weight per indicator, in the same order",
        )
    n = w_ahp.size
    labels = names_in if names_in is not None else tuple(f"C{j + 1}" for j in range(n))
    if len(labels) != n:
        raise CkmError(f"{len(labels)} criteria names for {n} weights", where="criteria")
    if rule == "linear":
        assert alpha is not None
        coefficients = np.array([alpha, 1.0 - alpha])
        w = alpha * w_ahp + (1.0 - alpha) * w_obj
    elif rule == "multiplicative":
        coefficients = np.empty(0)
        product = w_ahp * w_obj
        if product.sum() <= 0:
            raise CkmError(
                "no criterion has weight in both vectors, so their product is all zero",
                where="weights",
                hint="Use the linear or game_theory rule",
            )
        w = product / product.sum()
    else:
        coefficients = game_theory_coefficients(np.vstack([w_ahp, w_obj]))
        w = coefficients @ np.vstack([w_ahp, w_obj])
    w = w / w.sum()
    w.flags.writeable = False
    coefficients.flags.writeable = False
    return CombinedWeights(rule, labels, w, tuple(names), coefficients, alpha)


def combine_rows(
    ahp: np.ndarray, objective: np.ndarray, rule: str, alpha: float | None = None
) -> np.ndarray:
    """:func:`combine` applied to every row of ``ahp`` (s x n) with one objective vector.

    Used to carry the SMAA samples of the panel's weights over to the combined weights (each
    sampled panel is combined with the customers' objective weights by the same rule). Rows are
    assumed valid (>= 0, sum 1); a multiplicative row with no common support stays all zero.

    >>> combine_rows(np.array([[0.6, 0.4], [0.2, 0.8]]), np.array([0.5, 0.5]), "linear", 0.5)
    array([[0.55, 0.45],
           [0.35, 0.65]])
    """
    rule = rule.replace("-", "_")
    a = np.atleast_2d(np.asarray(ahp, dtype=np.float64))
    o = np.asarray(objective, dtype=np.float64)
    if rule == "linear":
        assert alpha is not None
        return alpha * a + (1.0 - alpha) * o[None, :]
    if rule == "multiplicative":
        product = a * o[None, :]
        total = product.sum(axis=1, keepdims=True)
        return np.divide(product, total, out=np.zeros_like(product), where=total > 0)
    # game theory per row: the 2 x 2 Gram system G c = diag(G), solved in closed form where
    # G is regular, else equal shares (the minimum-norm solution of identical vectors)
    g11 = np.einsum("ij,ij->i", a, a)
    g12 = a @ o
    g22 = float(o @ o)
    det = g11 * g22 - g12 * g12
    regular = det > 1e-15 * np.maximum(g11 * g22, 1e-300)
    safe = np.where(regular, det, 1.0)
    c1 = np.where(regular, np.abs((g11 * g22 - g12 * g22) / safe), 0.5)
    c2 = np.where(regular, np.abs((g11 * g22 - g12 * g11) / safe), 0.5)
    total = c1 + c2
    return (c1 / total)[:, None] * a + (c2 / total)[:, None] * o[None, :]
