"""TOPSIS ranking of customers, its cross-check against other methods, and its managerial reading.

TOPSIS (Hwang & Yoon 1981, *Multiple Attribute Decision Making*, Springer, pp. 128-134) ranks
alternatives by their relative closeness to the ideal solution::

    r_ij = normalise(x_ij)                    vector: x_ij / sqrt(sum_i x_ij^2)
                                              min-max: (x_ij - min_j) / (max_j - min_j)
    v_ij = w_j r_ij
    v+_j = best v_ij over i, v-_j = worst     (max for a benefit criterion, min for a cost one)
    D+_i = sqrt(sum_j (v_ij - v+_j)^2)        distance to the ideal (paper: S_i*)
    D-_i = sqrt(sum_j (v_ij - v-_j)^2)        distance to the anti-ideal (paper: S_i-)
    C_i  = D-_i / (D+_i + D-_i)               closeness, in [0, 1], larger is better

Both normalisations are a per-column scale ``s_j`` of the raw values (``1 / sqrt(sum x^2)`` or
``1 / (max - min)``), and the ideal of a scaled column is the scaled best raw value, so
``(v_ij - v+_j)^2 = (w_j s_j)^2 (x_ij - x+_j)^2``. The kernel therefore computes the squared raw
deviations once and gets the squared distances for any number of weight vectors as one matrix
product ``dev^2 @ (w s)^2``: the form the sensitivity analysis batches. It equals pymcdm's TOPSIS
with the same normalisation (whose cost variants ``1 - r`` and ``(max - x) / (max - min)`` give the
same distances) to rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from mcda_ckm.errors import CkmError, DataError
from mcda_ckm.model.matrix import (
    DecisionMatrix,
    _array_where,
    _check_normalization,
    _ranges,
    column_min_max,
)

if TYPE_CHECKING:
    from mcda_ckm.model.tree import CriteriaTree

TIE_TOLERANCE = 1e-12
"""Closeness coefficients this close (absolute) are a tie, broken by input order: rounding in the
matrix product can make two customers with identical values differ in the last bits."""


# --- the kernel (plain arrays, no validation) -----------------------------------------------


class Deviations(NamedTuple):
    """What the kernel needs from a decision matrix, independent of the weights.

    ``to_ideal[i, j] = (x_ij - x+_j)^2`` and ``to_anti_ideal[i, j] = (x_ij - x-_j)^2`` in raw
    units, and ``scale2[j] = s_j^2``, the squared normalisation factor of column j (0 for a
    constant column under min-max, which then adds nothing). Only their products matter: for
    data whose squares would overflow or underflow, a column is first scaled by a power of two
    (see :func:`_balanced`).
    """

    to_ideal: np.ndarray
    to_anti_ideal: np.ndarray
    scale2: np.ndarray


def _deviations(
    values: np.ndarray,
    directions: np.ndarray,
    normalization: str,
    lo: np.ndarray | None = None,
    hi: np.ndarray | None = None,
) -> Deviations:
    """Squared deviations of every cell from its column's ideal and anti-ideal, and the scale.

    Assumes finite values (and, for "vector", non-negative columns that are not all zero).
    Allocates two arrays the size of ``values`` and no temporaries of that size.
    """
    if lo is None or hi is None:
        lo, hi = column_min_max(values)
    values, lo, hi = _balanced(values, lo, hi)
    benefit = directions > 0
    ideal = np.where(benefit, hi, lo)
    anti = np.where(benefit, lo, hi)
    to_ideal = np.subtract(values, ideal)
    np.square(to_ideal, out=to_ideal)
    to_anti = np.subtract(values, anti)
    np.square(to_anti, out=to_anti)
    if normalization == "vector":
        scale2 = 1.0 / np.einsum("ij,ij->j", values, values)
    else:
        span = hi - lo
        scale2 = np.divide(1.0, span * span, out=np.zeros_like(span), where=span > 0)
    return Deviations(to_ideal, to_anti, scale2)


def _balanced(
    values: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The values with each column scaled by a power of two so that its largest magnitude lies in
    [0.5, 1), when some column is so large or small that its squares would overflow or underflow.

    Closeness does not change when a column is scaled by a positive constant (under both
    normalisations), and a power of two scales exactly; common data is returned as is.
    """
    top = np.maximum(np.abs(lo), np.abs(hi))
    if np.all((top == 0) | ((top > 2.0**-300) & (top < 2.0**300))):
        return values, lo, hi
    exponent = np.where(top > 0, np.frexp(top)[1], 0)
    return np.ldexp(values, -exponent), np.ldexp(lo, -exponent), np.ldexp(hi, -exponent)


def _distances(dev: Deviations, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Squared distances to the ideal and anti-ideal for one or many weight vectors.

    ``weights`` of shape (n,) gives two arrays of shape (m,); of shape (s, n), two of (s, m).
    """
    factors = np.square(weights) * dev.scale2  # (w_j s_j)^2, shape (n,) or (s, n)
    d_plus2 = factors @ dev.to_ideal.T if factors.ndim == 2 else dev.to_ideal @ factors
    d_minus2 = factors @ dev.to_anti_ideal.T if factors.ndim == 2 else dev.to_anti_ideal @ factors
    return d_plus2, d_minus2


def _closeness(d_plus2: np.ndarray, d_minus2: np.ndarray) -> tuple[np.ndarray, ...]:
    """(closeness, d_plus, d_minus) from squared distances, in place: consumes its arguments."""
    d_plus = np.sqrt(d_plus2, out=d_plus2)
    d_minus = np.sqrt(d_minus2, out=d_minus2)
    total = d_plus + d_minus
    closeness = np.divide(d_minus, total, out=total)
    return closeness, d_plus, d_minus


def _topsis(
    values: np.ndarray,
    weights: np.ndarray,
    directions: np.ndarray,
    normalization: str = "vector",
) -> np.ndarray:
    """TOPSIS closeness for one weight vector (n,) -> (m,), or many (s, n) -> (s, m).

    No validation: ``values`` finite (m, n) float64, weights >= 0, directions +1/-1, and the
    values suitable for ``normalization`` (see
    :func:`mcda_ckm.model.matrix.check_for_normalization`).
    When every weighted criterion is constant, closeness is 0/0 = NaN.
    """
    dev = _deviations(values, directions, normalization)
    with np.errstate(invalid="ignore"):
        return _closeness(*_distances(dev, np.asarray(weights, dtype=np.float64)))[0]


def _contributions(
    dev: Deviations, weights: np.ndarray, d_plus2: np.ndarray, d_minus2: np.ndarray
) -> Contributions:
    """Shares of each criterion in each customer's squared distances, computed in place of
    ``dev`` (which is consumed)."""
    factors = np.square(weights) * dev.scale2
    out = []
    for squares, total in ((dev.to_ideal, d_plus2), (dev.to_anti_ideal, d_minus2)):
        np.multiply(squares, factors, out=squares)
        np.divide(squares, total[:, None], out=squares, where=total[:, None] > 0)
        squares[total == 0] = 0.0
        out.append(squares)
    return Contributions(to_ideal=out[0], to_anti_ideal=out[1])


# --- the public ranking ---------------------------------------------------------------------


@dataclass(frozen=True)
class Contributions:
    """Where each customer's distances come from.

    Attributes
    ----------
    to_ideal : numpy.ndarray
        Shape (m, n): ``(v_ij - v+_j)^2 / D+_i^2``, the share of criterion j in customer i's
        squared distance to the ideal. Rows sum to 1 (all 0 for a customer that is the ideal).
    to_anti_ideal : numpy.ndarray
        Shape (m, n): the same for the distance to the anti-ideal.
    """

    to_ideal: np.ndarray
    to_anti_ideal: np.ndarray


@dataclass(frozen=True)
class Ranking:
    """The result of :func:`rank`.

    Attributes
    ----------
    closeness : numpy.ndarray
        Shape (m,): ``C_i = D-_i / (D+_i + D-_i)`` in [0, 1], larger is better.
    d_plus, d_minus : numpy.ndarray
        Shape (m,): weighted Euclidean distances to the ideal and to the anti-ideal.
    ranks : numpy.ndarray
        Shape (m,), int: 1 = best. Every rank is distinct: ties are broken by input order.
    order : numpy.ndarray
        Shape (m,), int: customer indices from best to worst (``ranks[order] == 1..m``).
    top_k : numpy.ndarray
        Indices of the ``k`` key sources, best first (empty when ``k`` is None).
    k : int or None
    ties : tuple of tuple of int
        Groups of customer indices whose closeness is equal (within :data:`TIE_TOLERANCE`), each
        in input order, which is also their rank order.
    contributions : Contributions or None
        Per customer and criterion, shares of the squared distances (None if not asked for).
    weights : numpy.ndarray
        The weights used, scaled to sum to 1 (TOPSIS closeness does not depend on their scale).
    normalization : str
    ids, criteria : tuple of str or None
        Names of the customers and criteria, when ranked from a :class:`DecisionMatrix`.
    """

    closeness: np.ndarray
    d_plus: np.ndarray
    d_minus: np.ndarray
    ranks: np.ndarray
    order: np.ndarray
    top_k: np.ndarray
    k: int | None
    ties: tuple[tuple[int, ...], ...]
    contributions: Contributions | None
    weights: np.ndarray
    normalization: str
    ids: tuple[str, ...] | None = None
    criteria: tuple[str, ...] | None = None

    @property
    def key_sources(self) -> tuple[str, ...]:
        """Ids (or indices as strings) of the top-k customers, best first."""
        return tuple(self._name(int(i)) for i in self.top_k)

    @property
    def tie_at_cutoff(self) -> bool:
        """Whether a tie straddles the top-k cut, so that input order decided a key source."""
        if self.k is None:
            return False
        inside = set(self.top_k.tolist())
        return any(inside & set(g) and set(g) - inside for g in self.ties)

    def _name(self, i: int) -> str:
        return self.ids[i] if self.ids is not None else str(i)


def _order(closeness: np.ndarray) -> tuple[np.ndarray, tuple[tuple[int, ...], ...]]:
    """Indices best first, ties (within TIE_TOLERANCE) in input order, and the tie groups."""
    order = np.argsort(-closeness)
    ordered = closeness[order]
    tied = (ordered[:-1] - ordered[1:]) <= TIE_TOLERANCE
    if not tied.any():
        return order, ()
    # Re-sort only the positions inside tie groups, by (group, input index).
    group = np.concatenate(([0], np.cumsum(~tied)))
    inside = np.zeros(order.size, dtype=bool)
    inside[:-1] |= tied
    inside[1:] |= tied
    at = np.flatnonzero(inside)
    order[at] = order[at][np.lexsort((order[at], group[at]))]
    edges = np.flatnonzero(np.diff(np.concatenate(([0], tied.view(np.int8), [0]))))
    ties = tuple(
        tuple(order[a : b + 1].tolist()) for a, b in zip(edges[::2], edges[1::2], strict=True)
    )
    return order, ties


def _check_weights(weights: Any, n: int, criteria: Sequence[str] | None) -> np.ndarray:
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (n,):
        raise CkmError(
            f"{w.size} weights for {n} criteria",
            where="weights",
            hint="Give one weight per indicator, in the tree's leaf order",
        )
    bad = np.flatnonzero(~np.isfinite(w) | (w < 0))
    if bad.size:
        j = int(bad[0])
        name = criteria[j] if criteria is not None else f"index {j}"
        raise CkmError(
            f"weight of {name} is {float(w[j])!r}; weights must be finite and >= 0",
            where="weights",
        )
    total = w.sum()
    if total <= 0:
        raise CkmError("every weight is 0", where="weights", hint="Give some criterion a weight")
    return w / total


def _check_directions(directions: Any, n: int) -> np.ndarray:
    d = np.asarray(directions)
    if d.shape != (n,) or not np.all((d == 1) | (d == -1)):
        raise CkmError(
            f"directions must be {n} values of +1 (benefit) or -1 (cost), got {d.tolist()}",
            where="directions",
        )
    return d.astype(np.int64)


def rank(
    matrix: DecisionMatrix | Any,
    weights: Any,
    directions: Any = None,
    normalization: str = "vector",
    top_k: int | None = None,
    *,
    contributions: bool = True,
) -> Ranking:
    """Rank customers by TOPSIS closeness to the ideal customer.

    Parameters
    ----------
    matrix : DecisionMatrix or array_like, shape (m, n)
        Raw values; a DecisionMatrix also gives names for errors and results.
    weights : array_like, shape (n,)
        Criterion weights (the AHP global weights), >= 0; scaled to sum to 1.
    directions : array_like, shape (n,), optional
        +1 benefit, -1 cost; default the matrix's own (all benefit for a plain array).
    normalization : {"vector", "minmax"}
        Vector normalisation (Hwang & Yoon 1981, the default) needs values >= 0; min-max takes
        any values.
    top_k : int, optional
        How many key sources to name (1..m).
    contributions : bool
        Whether to compute the per-criterion shares of the distances (two more arrays the size
        of the matrix; needed by :func:`reading`).

    Returns
    -------
    Ranking

    Raises
    ------
    DataError
        On a NaN or infinite value, values the normalisation cannot take, or when every weighted
        criterion is constant (nothing to rank on).
    CkmError
        On bad weights, directions, normalisation name or top_k.

    Examples
    --------
    Hwang & Yoon (1981, pp. 131-134), fighter aircraft; the 4th criterion (cost) is a cost:

    >>> x = [
    ...     [2.0, 1500, 20000, 5.5, 5, 9],
    ...     [2.5, 2700, 18000, 6.5, 3, 5],
    ...     [1.8, 2000, 21000, 4.5, 7, 7],
    ...     [2.2, 1800, 20000, 5.0, 5, 5],
    ... ]
    >>> r = rank(x, [0.2, 0.1, 0.1, 0.1, 0.2, 0.3], [1, 1, 1, -1, 1, 1], top_k=1)
    >>> r.closeness.round(3), r.ranks
    (array([0.643, 0.268, 0.614, 0.312]), array([1, 4, 2, 3]))
    """
    if isinstance(matrix, DecisionMatrix):
        values = matrix.values
        where, path, criteria, ids = matrix.where, matrix.path, matrix.criteria, matrix.ids
        directions = matrix.directions if directions is None else directions
    else:
        values = np.asarray(matrix, dtype=np.float64)
        if values.ndim != 2:
            raise DataError(
                f"the decision matrix must be 2-D (customers x criteria), got shape {values.shape}"
            )
        where, path, criteria, ids = _array_where, None, None, None
    m, n = values.shape
    w = _check_weights(weights, n, criteria)
    d = np.ones(n, dtype=np.int64) if directions is None else _check_directions(directions, n)
    if top_k is not None and (isinstance(top_k, bool) or not 1 <= int(top_k) <= m):
        raise CkmError(f"top_k = {top_k!r}, must be between 1 and {m}", where="top_k")
    lo, hi = _check_normalization(
        values,
        normalization,
        ranges=_ranges(values, where, path),
        where=where,
        criteria=criteria,
        path=path,
    )
    if not np.any((hi > lo) & (w > 0)):
        raise DataError(
            "every weighted criterion has the same value for every customer: nothing to rank on",
            path=path,
            hint="Check the customers file, or give weight to an indicator that varies",
        )
    dev = _deviations(values, d, normalization, lo, hi)
    d_plus2, d_minus2 = _distances(dev, w)
    shares = _contributions(dev, w, d_plus2, d_minus2) if contributions else None
    del dev
    closeness, d_plus, d_minus = _closeness(d_plus2, d_minus2)
    order, ties = _order(closeness)
    ranks = np.empty(m, dtype=np.int64)
    ranks[order] = np.arange(1, m + 1)
    k = None if top_k is None else int(top_k)
    return Ranking(
        closeness=closeness,
        d_plus=d_plus,
        d_minus=d_minus,
        ranks=ranks,
        order=order,
        top_k=order[: k or 0].copy(),
        k=k,
        ties=ties,
        contributions=shares,
        weights=w,
        normalization=normalization,
        ids=ids,
        criteria=criteria,
    )


# --- cross-check against other methods ------------------------------------------------------

CORRELATIONS: tuple[str, ...] = ("weighted_spearman", "ws_rank_similarity", "kendall_tau")
"""The rank correlation coefficients of :func:`cross_check`, from ``pymcdm.correlations``:
weighted Spearman r_w and the WS rank similarity (Sałabun & Urbaniak 2020), which weigh
agreement at the top more, and Kendall's tau."""

PROMETHEE_LIMIT = 2000
"""PROMETHEE II compares every pair of customers (m^2 x n memory): cross-checks stop here."""


def kendall_tau_a(x: np.ndarray, y: np.ndarray) -> float:
    """Kendall's tau-a, ``2 / (n (n - 1)) * sum_{i<j} sign(x_i - x_j) sign(y_i - y_j)``.

    The same coefficient as ``pymcdm.correlations.kendall_tau`` (tested equal), vectorised: pymcdm
    loops over the n^2 pairs in Python, 2 s for 2,000 customers against 0.05 s here (measured on
    this project's 2-core machine).
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = len(x)
    if n < 2:
        return float("nan")
    sx = np.sign(x[:, None] - x[None, :])
    sy = np.sign(y[:, None] - y[None, :])
    return float(np.einsum("ij,ij->", sx, sy) / (n * (n - 1)))


@dataclass(frozen=True)
class CrossCheck:
    """The same weights through several MCDA methods, and how far their rankings agree.

    Attributes
    ----------
    methods : tuple of str
        "TOPSIS", "VIKOR", "PROMETHEE II", "WSM".
    scores : dict of str to numpy.ndarray
        Each method's preference values as pymcdm defines them: TOPSIS closeness, VIKOR Q (lower
        is better), PROMETHEE II net flow, WSM weighted sum of min-max normalised values.
    ranks : dict of str to numpy.ndarray
        Each method's ranks, 1 = best, ties broken by input order.
    correlations : dict of str to numpy.ndarray
        For each coefficient of :data:`CORRELATIONS`, a (methods x methods) matrix computed on
        fractional ranks (tied customers share the mean rank). WS is not symmetric: entry
        [a, b] takes method a as the reference.
    top_k : dict of str to tuple of str
        Each method's k key sources (ids), best first.
    k : int
    same_key_sources : bool
        Whether every method names the same set of k key sources.
    verdict : str
        One plain sentence for a report.
    """

    methods: tuple[str, ...]
    scores: dict[str, np.ndarray]
    ranks: dict[str, np.ndarray]
    correlations: dict[str, np.ndarray]
    top_k: dict[str, tuple[str, ...]]
    k: int
    same_key_sources: bool
    verdict: str


def _ordinal_ranks(scores: np.ndarray, larger_is_better: bool) -> np.ndarray:
    order, _ = _order(scores if larger_is_better else -scores)
    ranks = np.empty(scores.size, dtype=np.int64)
    ranks[order] = np.arange(1, scores.size + 1)
    return ranks


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def cross_check(
    matrix: DecisionMatrix,
    weights: Any,
    directions: Any = None,
    top_k: int = 5,
    normalization: str = "vector",
) -> CrossCheck:
    """Rank with TOPSIS, VIKOR, PROMETHEE II and WSM under the same weights and compare.

    TOPSIS is :func:`rank`; the others are pymcdm 1.4's ``VIKOR(v=0.5)`` on raw values (Opricovic
    & Tzeng 2004), ``PROMETHEE_II("usual")`` (Brans & Vincke 1985, usual preference function) and
    ``WSM(minmax_normalization)``. VIKOR skips constant criteria, which it cannot normalise and
    which carry no information (its Q does not change with a uniform scale of the weights).

    Parameters
    ----------
    matrix : DecisionMatrix
    weights, directions, normalization
        As for :func:`rank` (the normalisation applies to TOPSIS).
    top_k : int
        How many key sources each method names.

    Returns
    -------
    CrossCheck

    Raises
    ------
    CkmError
        As :func:`rank`, or with more than :data:`PROMETHEE_LIMIT` customers.
    """
    if not isinstance(matrix, DecisionMatrix):
        matrix = DecisionMatrix.from_array(matrix)
    m, n = matrix.shape
    if m > PROMETHEE_LIMIT:
        raise CkmError(
            f"{m} customers: PROMETHEE II would compare {m * m:,} pairs",
            hint=f"Cross-check at most {PROMETHEE_LIMIT} customers (e.g. the top of the TOPSIS "
            "ranking)",
        )
    topsis = rank(matrix, weights, directions, normalization, top_k, contributions=False)
    w, d = (
        topsis.weights,
        _check_directions(matrix.directions if directions is None else directions, n),
    )
    from pymcdm import correlations as corr
    from pymcdm.helpers import correlation_matrix, rankdata
    from pymcdm.methods import PROMETHEE_II, VIKOR, WSM
    from pymcdm.normalizations import minmax_normalization

    values = np.asarray(matrix.values)
    varying = values.max(axis=0) > values.min(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        q = VIKOR(v=0.5)(values[:, varying], w[varying], d[varying], validation=False)
    q = np.nan_to_num(q, nan=0.0)  # a Q term whose range is 0 carries no information
    scores = {
        "TOPSIS": topsis.closeness,
        "VIKOR": q,
        "PROMETHEE II": PROMETHEE_II("usual")(values, w, d, validation=False),
        "WSM": WSM(minmax_normalization)(values, w, d, validation=False),
    }
    better_high = {"TOPSIS": True, "VIKOR": False, "PROMETHEE II": True, "WSM": True}
    methods = tuple(scores)
    ranks = {name: _ordinal_ranks(s, better_high[name]) for name, s in scores.items()}
    fractional = np.array([rankdata(s, reverse=better_high[name]) for name, s in scores.items()])
    functions = {
        "weighted_spearman": corr.weighted_spearman,
        "ws_rank_similarity": corr.rank_similarity_coef,
        "kendall_tau": kendall_tau_a,
    }
    with np.errstate(invalid="ignore", divide="ignore"):
        correlations = {
            name: correlation_matrix(fractional, functions[name]) for name in CORRELATIONS
        }
    k = int(top_k)
    tops = {name: tuple(matrix.ids[i] for i in np.argsort(r)[:k]) for name, r in ranks.items()}
    sets = {name: frozenset(t) for name, t in tops.items()}
    same = len(set(sets.values())) == 1
    tau = float(np.nanmin(correlations["kendall_tau"])) if m > 1 else 1.0
    if same:
        verdict = (
            f"The {k} key sources are the same whichever method is used "
            f"({_join(list(methods))}); the rankings agree with Kendall's tau >= {tau:.2f}."
        )
    else:
        common = frozenset.intersection(*sets.values())
        disputed = sorted(
            frozenset.union(*sets.values()) - common,
            key=lambda c: ranks["TOPSIS"][matrix.ids.index(c)],
        )
        parts = [
            f"{c} is key only under {_join([nm for nm in methods if c in sets[nm]])}"
            for c in disputed
        ]
        verdict = (
            f"The key sources depend on the method: the methods agree on {len(common)} of {k}, "
            + "; ".join(parts)
            + f" (Kendall's tau between methods >= {tau:.2f})."
        )
    return CrossCheck(
        methods=methods,
        scores=scores,
        ranks=ranks,
        correlations=correlations,
        top_k=tops,
        k=k,
        same_key_sources=same,
        verdict=verdict,
    )


# --- the managerial reading -----------------------------------------------------------------

LEVERS: dict[str, str] = {
    "willingness": "raise willingness to share through trust-building and incentives "
    "(knowledge flowing back)",
    "absorptive_capacity": "raise absorptive capacity: more touchpoints, staff training and "
    "motivation, IT support (CRM, data mining)",
    "knowledge_value": "its knowledge is worth little to us: target a different customer",
}
"""The levers of Huang, Han & Meng (2008, conclusion) for a customer weak on a dimension, keyed by
the dimension ids of ``criteria/ckm-huang2008.toml``."""

KEY_VALUE_LEVER = (
    "it is key for its willingness and our capacity to absorb, not for the size of its "
    "knowledge value: keep it, and check each year that its value potentials still justify "
    "the effort"
)
"""The reading of a key source whose weak dimension is knowledge value: the seed's lever for
low knowledge value (a different target) applies to customers outside the key set."""

GENERIC_LEVER = "improve {label}, where most of its distance to the ideal lies"
"""The lever for a dimension of another tree."""


WEAK_RULES: tuple[str, ...] = ("closeness", "share")
"""How :func:`reading` picks a customer's weak dimension (see there)."""


@dataclass(frozen=True)
class Reading:
    """Why each customer ranks where it does, by dimension and indicator, and what to do.

    Attributes
    ----------
    ranking : Ranking
    dimensions : tuple of str
        The children of the tree's root (the indicators themselves in a one-level tree).
    labels : dict of str to str
        Label of every dimension and indicator, in the language asked for.
    criteria : tuple of str
        The indicators (columns of the ``indicator_*`` arrays).
    indicator_to_ideal, indicator_to_anti_ideal : numpy.ndarray
        Shape (m, n): each indicator's share of the customer's squared distance to the ideal /
        anti-ideal (:class:`Contributions`).
    dimension_to_ideal, dimension_to_anti_ideal : numpy.ndarray
        Shape (m, len(dimensions)): the same summed over each dimension's indicators.
    dimension_closeness : numpy.ndarray
        Shape (m, len(dimensions)): the TOPSIS closeness of the customer on each dimension's
        indicators alone, ``D-_ik / (D+_ik + D-_ik)`` (0 = the worst customer on every indicator
        of the dimension, 1 = the best; NaN when all its indicators are constant).
    weak_rule : str
        "closeness" or "share" (see :func:`reading`).
    weak_dimension : tuple of (str or None)
        Per customer, its weak dimension under ``weak_rule`` (None for a customer that is the
        ideal on every weighted indicator).
    strong_dimension : tuple of (str or None)
        Per customer, the dimension with the largest share of its distance to the anti-ideal:
        what sets it apart from the worst.
    levers : tuple of str
        Per customer, what to do about its weak dimension ("" when it has none).
    """

    ranking: Ranking
    dimensions: tuple[str, ...]
    labels: dict[str, str]
    criteria: tuple[str, ...]
    indicator_to_ideal: np.ndarray
    indicator_to_anti_ideal: np.ndarray
    dimension_to_ideal: np.ndarray
    dimension_to_anti_ideal: np.ndarray
    dimension_closeness: np.ndarray
    weak_rule: str
    weak_dimension: tuple[str | None, ...]
    strong_dimension: tuple[str | None, ...]
    levers: tuple[str, ...]

    def summary(self, i: int) -> str:
        """One or two plain sentences on customer ``i``: its rank, and its weak spot and lever.

        Examples
        --------
        >>> from mcda_ckm.model.tree import flat_tree
        >>> r = rank([[3.0, 1.0], [1.0, 3.0], [2.0, 2.0]], [0.7, 0.3], top_k=1)
        >>> reading(flat_tree(["clv", "trust"]), r).summary(0)
        '0 ranks 1 of 3 (closeness 0.700). Its weak dimension is trust (closeness 0.00 on it \
alone, 100% of its distance to the ideal): improve trust, where most of its distance to the ideal \
lies.'
        """
        r = self.ranking
        text = (
            f"{r._name(i)} ranks {int(r.ranks[i])} of {r.ranks.size} "
            f"(closeness {float(r.closeness[i]):.3f})."
        )
        weak = self.weak_dimension[i]
        if weak is None:
            return text + " It is the ideal customer on every weighted indicator."
        k = self.dimensions.index(weak)
        return (
            f"{text} Its weak dimension is {self.labels[weak]} (closeness "
            f"{float(self.dimension_closeness[i, k]):.2f} on it alone, "
            f"{float(self.dimension_to_ideal[i, k]):.0%} of its distance to the ideal): "
            f"{self.levers[i]}."
        )

    def records(self) -> list[dict[str, Any]]:
        """One plain dict per customer (for JSON and tables), in input order."""
        r = self.ranking

        def by_dimension(row: np.ndarray) -> dict[str, float | None]:
            return {
                d: (None if v != v else v)
                for d, v in zip(self.dimensions, row.tolist(), strict=True)
            }

        return [
            {
                "id": r._name(i),
                "rank": int(r.ranks[i]),
                "closeness": float(r.closeness[i]),
                "weak_dimension": self.weak_dimension[i],
                "strong_dimension": self.strong_dimension[i],
                "lever": self.levers[i],
                "dimension_closeness": by_dimension(self.dimension_closeness[i]),
                "to_ideal": by_dimension(self.dimension_to_ideal[i]),
                "to_anti_ideal": by_dimension(self.dimension_to_anti_ideal[i]),
            }
            for i in range(r.ranks.size)
        ]


def _argmax_or_none(shares: np.ndarray, names: Sequence[str]) -> tuple[str | None, ...]:
    best = np.argmax(shares, axis=1)
    has = shares.sum(axis=1) > 0
    return tuple(names[b] if h else None for b, h in zip(best.tolist(), has.tolist(), strict=True))


def reading(
    tree: CriteriaTree, ranking: Ranking, lang: str = "en", weak_rule: str = "closeness"
) -> Reading:
    """The managerial reading of a ranking: contributions by dimension and indicator, weak spots
    and the seed's levers.

    Each indicator's share of a customer's squared distance to the ideal is
    ``(v_ij - v+_j)^2 / D+_i^2`` (the shares sum to 1); a dimension's share is the sum over its
    indicators, and its closeness is TOPSIS on its indicators alone,
    ``D-_ik / (D+_ik + D-_ik)`` with ``D+_ik^2`` the part of ``D+_i^2`` from dimension k.

    The weak dimension is, under ``weak_rule``:

    ``"closeness"`` (default)
        the dimension on which the customer stands lowest between the worst and the best
        customer (lowest dimension closeness; weights within the dimension apply);
    ``"share"``
        the dimension with the largest share of its weighted distance to the ideal. Under vector
        normalisation a dimension whose indicators spread widely (money, with one large account)
        holds the largest share for nearly every customer, so this names the same dimension for
        all (all 34 customers of the bundled case).

    Its lever follows Huang, Han & Meng (2008, conclusion): low willingness -> trust and
    incentives; low absorptive capacity -> touchpoints, staff training and motivation, IT
    support; low knowledge value -> a different target (:data:`LEVERS`).

    Parameters
    ----------
    tree : CriteriaTree
        The tree whose leaves are the ranking's criteria.
    ranking : Ranking
        From :func:`rank` with ``contributions=True``.
    lang : {"en", "zh"}
        Language of the labels.
    weak_rule : {"closeness", "share"}

    Raises
    ------
    CkmError
        If the ranking has no contributions, its criteria are not the tree's leaves, or the rule
        is unknown.
    """
    if weak_rule not in WEAK_RULES:
        raise CkmError(f"unknown weak_rule {weak_rule!r}", hint='Use "closeness" or "share"')
    if ranking.contributions is None:
        raise CkmError(
            "the ranking has no contributions", hint="Call rank(..., contributions=True)"
        )
    leaves = tuple(tree.leaves)
    criteria = ranking.criteria if ranking.criteria is not None else leaves
    if tuple(criteria) != leaves or ranking.contributions.to_ideal.shape[1] != len(leaves):
        raise CkmError(
            f"the ranking's criteria {list(criteria)} are not the leaves of tree "
            f'"{tree.id}" {list(leaves)}',
            hint="Rank the matrix loaded with this tree",
        )
    dimensions = tuple(tree.children(tree.root))
    member = np.zeros((len(leaves), len(dimensions)))
    for j, leaf in enumerate(leaves):
        member[j, dimensions.index(tree.dimension_of(leaf))] = 1.0
    c = ranking.contributions
    to_ideal = c.to_ideal @ member
    to_anti = c.to_anti_ideal @ member
    d_plus = np.sqrt(to_ideal * np.square(ranking.d_plus)[:, None])
    d_minus = np.sqrt(to_anti * np.square(ranking.d_minus)[:, None])
    with np.errstate(invalid="ignore"):
        closeness = d_minus / (d_plus + d_minus)
    if weak_rule == "share":
        weak = _argmax_or_none(to_ideal, dimensions)
    else:
        filled = np.where(np.isnan(closeness), np.inf, closeness)
        lowest = np.argmin(filled, axis=1)
        has = (ranking.d_plus > 0) & np.isfinite(filled.min(axis=1))
        weak = tuple(
            dimensions[k] if h else None for k, h in zip(lowest.tolist(), has.tolist(), strict=True)
        )
    labels = {node: tree.label(node, lang) for node in (*dimensions, *leaves)}
    key = set(ranking.top_k.tolist())
    levers = tuple(
        ""
        if dim is None
        else KEY_VALUE_LEVER
        if dim == "knowledge_value" and i in key
        else LEVERS.get(dim, GENERIC_LEVER.format(label=labels[dim]))
        for i, dim in enumerate(weak)
    )
    return Reading(
        ranking=ranking,
        dimensions=dimensions,
        labels=labels,
        criteria=leaves,
        indicator_to_ideal=c.to_ideal,
        indicator_to_anti_ideal=c.to_anti_ideal,
        dimension_to_ideal=to_ideal,
        dimension_to_anti_ideal=to_anti,
        dimension_closeness=closeness,
        weak_rule=weak_rule,
        weak_dimension=weak,
        strong_dimension=_argmax_or_none(to_anti, dimensions),
        levers=levers,
    )
