"""The objective weights' types, guards and their computation from column sums.

Kept apart from :mod:`mcda_ckm.weights.objective` (which computes CRITIC and std by pymcdm) so
that the stream engine, which needs only :func:`weights_from_moments`, does not import pymcdm
and with it pandas. See :mod:`mcda_ckm.weights.objective` for the formulas and their sources.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from mcda_ckm.errors import CkmError, DataError

if TYPE_CHECKING:
    from mcda_ckm.model.tree import CriteriaTree

__all__ = [
    "METHODS",
    "ObjectiveWeights",
    "WeightWarning",
    "dimension_weights",
    "likert_scales",
    "weights_from_moments",
]

METHODS: tuple[str, ...] = ("entropy", "critic", "std")
"""The objective weighting methods, by the names used in settings and on the command line."""

SOURCES: dict[str, str] = {
    "entropy": "Shannon entropy weights (Hwang & Yoon 1981, pp. 52-54)",
    "critic": "CRITIC (Diakoulaki, Mavrotas & Papayannakis 1995)",
    "std": "standard-deviation weights (Diakoulaki, Mavrotas & Papayannakis 1995)",
}

LIKERT_MAX_POINTS = 11
"""A column of at most this many distinct integers in [0, 10] looks like a rating item."""


@dataclass(frozen=True)
class WeightWarning:
    """Something about one column that the user should know before trusting its weight.

    Attributes
    ----------
    code : str
        ``"constant"`` (the column does not vary: weight 0), ``"likert_shift"`` (the coding's
        origin looks shifted; entropy depends on it).
    criterion : str
        The column.
    message : str
        What was found and why it matters, in plain words.
    """

    code: str
    criterion: str
    message: str


@dataclass(frozen=True)
class ObjectiveWeights:
    """Objective weights of the indicator leaves.

    Attributes
    ----------
    method : str
        One of :data:`METHODS`.
    criteria : tuple of str
        The columns, in the matrix's order.
    weights : numpy.ndarray
        One weight per criterion, >= 0, summing to 1 (read-only).
    warnings : tuple of WeightWarning
        The guards that fired, one per column and problem.
    source : str
        The method and its reference, for reports.
    """

    method: str
    criteria: tuple[str, ...]
    weights: np.ndarray
    warnings: tuple[WeightWarning, ...] = ()
    source: str = ""

    def as_dict(self) -> dict[str, float]:
        """The weights keyed by criterion."""
        return {c: float(w) for c, w in zip(self.criteria, self.weights, strict=True)}

    def warnings_to_dict(self) -> list[dict[str, str]]:
        """The guards as plain data for JSON."""
        return [
            {"code": w.code, "criterion": w.criterion, "message": w.message} for w in self.warnings
        ]

    def dimensions(self, tree: CriteriaTree) -> dict[str, float]:
        """The weights summed to the dimensions of ``tree`` (see :func:`dimension_weights`)."""
        return dimension_weights(self.as_dict(), tree)


# --- the guards -------------------------------------------------------------------------


def likert_scales(tree: CriteriaTree) -> dict[str, tuple[float, float]]:
    """The declared rating scale of each leaf whose ``scale`` attribute is ``likertN``.

    A ``likertN`` leaf is taken as coded 1..N, the usual coding (Likert 1932 numbered the
    answers from 1).

    >>> from mcda_ckm.model.tree import flat_tree
    >>> likert_scales(flat_tree(["a", "b"]))
    {}
    """
    out: dict[str, tuple[float, float]] = {}
    for leaf in tree.leaves:
        found = re.fullmatch(r"likert(\d+)", str(tree.attr(leaf, "scale", "")).strip().lower())
        if found:
            out[leaf] = (1.0, float(found.group(1)))
    return out


def shift_warning(
    name: str, column: np.ndarray, declared: tuple[float, float] | None
) -> WeightWarning | None:
    """A ``likert_shift`` warning if the column's coding looks shifted, else None."""
    lo, hi = float(column.min()), float(column.max())
    why = (
        "entropy weights do not change when a column is multiplied by a constant but do when a "
        "constant is added, so the same answers coded 0-4 or 1-5 get different weights"
    )
    if declared is not None:
        if lo < declared[0] or hi > declared[1]:
            return WeightWarning(
                "likert_shift",
                name,
                f"values run {lo:g}..{hi:g} but the declared scale is "
                f"{declared[0]:g}..{declared[1]:g}; {why}. Recode the column to its scale",
            )
        return None
    integer = bool(np.all(column == np.round(column)))
    if integer and lo == 0 and hi <= 10 and np.unique(column).size <= LIKERT_MAX_POINTS:
        return WeightWarning(
            "likert_shift",
            name,
            f"integer values {lo:g}..{hi:g} look like a rating item coded from 0; {why}. "
            "If it is a rating item, code it from 1 as answered; if it is a count, ignore this",
        )
    return None


def dimension_weights(weights: Mapping[str, float], tree: CriteriaTree) -> dict[str, float]:
    """Leaf weights summed to the dimensions (the root's children) of ``tree``.

    A dimension's weight is the sum of its leaves' weights: the inverse of hierarchic
    composition for any weights, so that ``tree.compose(tree.decompose(w)) == w`` (Saaty 1980,
    ch. 2).

    Raises
    ------
    CkmError
        When the weights' criteria are not exactly the tree's leaves.
    """
    leaves = set(tree.leaves)
    given = set(weights)
    if given != leaves:
        missing = sorted(leaves - given)
        extra = sorted(given - leaves)
        raise CkmError(
            f"weights do not match the tree's leaves (missing {missing}, unknown {extra})",
            where="weights",
            hint="Compute the weights over the case's customers, whose columns are the leaves",
        )
    out = {child: 0.0 for child in tree.children(tree.root)}
    for leaf in tree.leaves:
        out[tree.dimension_of(leaf)] += float(weights[leaf])
    return out


def weights_from_moments(
    method: str,
    criteria: Sequence[str],
    count: int,
    lo: np.ndarray,
    hi: np.ndarray,
    sums: np.ndarray,
    xlogx: np.ndarray | None = None,
    comoment: np.ndarray | None = None,
    scales: Mapping[str, tuple[float, float]] | None = None,
    path: Any = None,
) -> ObjectiveWeights:
    """Objective weights from column sums, for a file read once in chunks (the stream engine).

    The same weights as :func:`objective_weights` on the whole matrix, from what one pass can
    accumulate (``m`` = ``count`` rows):

    * **entropy** needs ``S_j = sum_i x_ij`` and ``T_j = sum_i x_ij ln x_ij`` (0 ln 0 = 0).
      With ``p_ij = x_ij / S_j``: ``sum_i p_ij ln p_ij = sum_i (x_ij / S_j)(ln x_ij - ln S_j)
      = T_j / S_j - ln S_j`` (as ``sum_i x_ij / S_j = 1``), so
      ``E_j = -(T_j / S_j - ln S_j) / ln m``.
    * **std** needs the centred sums of squares ``M_jj = sum_i (x_ij - mean_j)^2``:
      ``s_j = sqrt(M_jj / (m - 1))``.
    * **CRITIC** needs the co-moments ``M_jk = sum_i (x_ij - mean_j)(x_ik - mean_k)`` and the
      ranges: min-max normalisation divides a column by ``hi_j - lo_j`` after a shift, so the
      normalised sample std is ``s_j / (hi_j - lo_j)`` and Pearson's ``rho_jk =
      M_jk / sqrt(M_jj M_kk)`` is unchanged by it.

    ``comoment`` is the n x n co-moment matrix (its diagonal is enough for std). Guards as in
    :func:`objective_weights`: a negative value under entropy is an error, a constant column
    gets weight 0 with a warning; a shifted coding is flagged against the declared ``scales``
    only (integrality and the distinct values are not known from sums).
    """
    names = tuple(criteria)
    if count < 2:
        raise DataError(
            f"{count} customer(s): objective weights measure how customers differ",
            path=path,
            hint="Give at least two customers",
        )
    if method == "entropy" and (lo < 0).any():
        j = int(np.flatnonzero(lo < 0)[0])
        raise DataError(
            f"negative value {lo[j]:g}: entropy weights read each column as shares of its "
            "total (p_ij = x_ij / sum x_ij), which a negative value makes meaningless",
            path=path,
            where=f"column {names[j]!r}",
            hint="Use CRITIC or std weights, which any real values suit",
        )
    varies = hi > lo
    if method == "entropy":
        varies &= sums > 0
    warnings = [
        WeightWarning(
            "constant",
            names[j],
            f"every customer has {lo[j]:g}: the column does not tell customers apart, so its "
            "objective weight is 0",
        )
        for j in np.flatnonzero(~varies).tolist()
    ]
    if method == "entropy":
        for j in np.flatnonzero(varies).tolist():
            flag = shift_warning(names[j], np.array([lo[j], hi[j]]), (scales or {}).get(names[j]))
            if flag is not None and (scales or {}).get(names[j]) is not None:
                warnings.append(flag)
    if not varies.any():
        raise DataError(
            "no column varies across customers, so no objective weights exist", path=path
        )
    v = np.flatnonzero(varies)
    if method == "entropy":
        assert xlogx is not None
        s, t = sums[v], xlogx[v]
        diversity = 1.0 + (t / s - np.log(s)) / np.log(count)
        part = diversity / diversity.sum()
    else:
        assert comoment is not None
        diag = np.diag(comoment)[v]
        std = np.sqrt(diag / (count - 1))
        if method == "std":
            part = std / std.sum()
        elif v.size == 1:
            part = np.ones(1)
        else:
            m2 = comoment[np.ix_(v, v)]
            rho = m2 / np.sqrt(np.outer(diag, diag))
            c = std / (hi[v] - lo[v]) * (1.0 - rho).sum(axis=0)
            part = c / c.sum()
    weights = np.zeros(len(names))
    weights[v] = part
    weights.flags.writeable = False
    return ObjectiveWeights(method, names, weights, tuple(warnings), SOURCES[method])
