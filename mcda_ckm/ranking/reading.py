"""The managerial reading of a ranking: each customer's closeness per dimension of the tree, its
strong and weak dimension, and the seed's lever for the weak one (Huang, Han & Meng 2008)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from mcda_ckm.errors import CkmError
from mcda_ckm.ranking.topsis import Ranking

if TYPE_CHECKING:
    from mcda_ckm.model.tree import CriteriaTree

__all__ = [
    "GENERIC_LEVER",
    "HOLD_LEVER",
    "KEY_VALUE_LEVER",
    "LEVERS",
    "LEVER_IDS",
    "MATERIAL_SHARE",
    "VALUE_GAP_LEVER",
    "WEAK_RULES",
    "Reading",
    "customer_id",
    "reading",
]

LEVERS: dict[str, str] = {
    "willingness": "trust_incentives",
    "absorptive_capacity": "absorptive",
    "knowledge_value": "other_target",
}
"""The levers of Huang, Han & Meng (2008, conclusion) for a customer weak on a dimension, keyed by
the dimension ids of ``criteria/ckm-huang2008.toml``: low willingness -> trust-building and
incentives; low absorptive capacity -> touchpoints, staff training and motivation, IT support; low
knowledge value -> a different target. Values are lever ids, worded by
:mod:`mcda_ckm.report.narrative`."""

KEY_VALUE_LEVER = "keep_key"
"""The lever of a key source whose weak dimension is knowledge value: the seed's lever for low
knowledge value (a different target) applies to customers outside the key set, so a key source
is kept and its value potentials checked each year."""

VALUE_GAP_LEVER = "value_gap"
"""The lever of a key source whose gap lies mostly in knowledge value while its weakest
dimension is another one: it is not key *despite* low value (that is :data:`KEY_VALUE_LEVER`),
its value is simply short of the best accounts; keep it and check its value potentials."""

GENERIC_LEVER = "generic"
"""The lever for a dimension of another tree: improve that dimension."""

HOLD_LEVER = "hold"
"""The lever of a customer whose distance to the ideal lies in its strength (no other dimension
holds :data:`MATERIAL_SHARE` of it): the seed's levers are for weak spots, and a customer
cannot be told to fix what sets it apart, so: keep the relationship as it is."""

LEVER_IDS: tuple[str, ...] = (
    *LEVERS.values(),
    KEY_VALUE_LEVER,
    VALUE_GAP_LEVER,
    GENERIC_LEVER,
    HOLD_LEVER,
)
"""Every lever id :func:`reading` gives."""


WEAK_RULES: tuple[str, ...] = ("percentile", "closeness", "share")
"""How :func:`reading` picks a customer's weak dimension (see there); "percentile" is the
default and the one the reports use."""

MATERIAL_SHARE = 0.25
"""The smallest share of a customer's squared distance to the ideal that a dimension must hold
for the lever to aim at it: improving a dimension that holds less than a quarter of the gap
cannot move the customer much. With four dimensions or fewer at least one holds a quarter."""


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
    dimension_percentile : numpy.ndarray
        Shape (m, len(dimensions)): the share of the *other* customers whose closeness on the
        dimension is lower than this customer's, ties counting half (0 = below every other
        customer, 1 = above every other; NaN for a constant dimension). Strength and weakness
        are read from it, so they are relative to the other customers.
    weak_rule : str
        "percentile", "closeness" or "share" (see :func:`reading`).
    weak_dimension : tuple of (str or None)
        Per customer, its weak dimension under ``weak_rule`` (None for a customer that is the
        ideal on every weighted indicator).
    strong_dimension : tuple of (str or None)
        Per customer, the dimension with its highest percentile, never its weak dimension (None
        when no other dimension stands higher than the weak one).
    lever_dimension : tuple of (str or None)
        Per customer, the dimension the lever aims at: the lowest-percentile dimension, other
        than its strength, that holds at least :data:`MATERIAL_SHARE` of its distance to the
        ideal (None when there is none: the gap lies in its strength).
    levers : tuple of (str or None)
        Per customer, the id of the lever for its lever dimension (one of :data:`LEVER_IDS`;
        None when it has none). :mod:`mcda_ckm.report.narrative` words it.
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
    dimension_percentile: np.ndarray
    weak_rule: str
    weak_dimension: tuple[str | None, ...]
    strong_dimension: tuple[str | None, ...]
    lever_dimension: tuple[str | None, ...]
    levers: tuple[str | None, ...]

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
                "id": customer_id(r, i),
                "rank": int(r.ranks[i]),
                "closeness": float(r.closeness[i]),
                "weak_dimension": self.weak_dimension[i],
                "strong_dimension": self.strong_dimension[i],
                "lever_dimension": self.lever_dimension[i],
                "lever": self.levers[i],
                "dimension_closeness": by_dimension(self.dimension_closeness[i]),
                "dimension_percentile": by_dimension(self.dimension_percentile[i]),
                "to_ideal": by_dimension(self.dimension_to_ideal[i]),
                "to_anti_ideal": by_dimension(self.dimension_to_anti_ideal[i]),
            }
            for i in range(r.ranks.size)
        ]


def customer_id(ranking: Ranking, i: int) -> str:
    """The id of customer ``i`` of a ranking (its index as text when the ranking has no ids)."""
    return ranking.ids[i] if ranking.ids is not None else str(i)


def _argmax_or_none(shares: np.ndarray, names: Sequence[str]) -> tuple[str | None, ...]:
    best = np.argmax(shares, axis=1)
    has = shares.sum(axis=1) > 0
    return tuple(names[b] if h else None for b, h in zip(best.tolist(), has.tolist(), strict=True))


def percentiles(closeness: np.ndarray) -> np.ndarray:
    """Each customer's percentile on each column among the other customers.

    ``p_ik = (#{j != i: c_jk < c_ik} + #{j != i: c_jk = c_ik} / 2) / (m - 1)``, the mid-rank
    percentile (ties count half), so 0 is below every other customer and 1 above every other.
    A column that is NaN (a constant dimension) stays NaN; with one customer every value is 0.5.

    >>> percentiles(np.array([[0.2], [0.9], [0.5], [0.5]])).ravel().tolist()
    [0.0, 1.0, 0.5, 0.5]
    """
    m = closeness.shape[0]
    if m < 2:
        return np.where(np.isnan(closeness), np.nan, 0.5)
    # By sorting each column (O(m log m)), not by comparing every pair of customers: a whole
    # CRM base would need an m x m array per dimension.
    out = np.empty(closeness.shape, dtype=float)
    for k in range(closeness.shape[1]):
        col = closeness[:, k]
        ordered = np.sort(col)  # NaN last: never counted below or equal
        below = np.searchsorted(ordered, col, side="left")
        equal = np.searchsorted(ordered, col, side="right") - below - 1  # not itself
        out[:, k] = (below + equal / 2) / (m - 1)
    return np.where(np.isnan(closeness), np.nan, out)


def strong_and_weak(
    pct: np.ndarray, closeness: np.ndarray, has: np.ndarray
) -> tuple[list[int | None], list[int | None]]:
    """Per customer, the column index of its weakness (lowest percentile, ties to the lower
    closeness, then the first) and of its strength (highest percentile among the others, and
    only when it stands strictly higher than the weakness)."""
    weak: list[int | None] = []
    strong: list[int | None] = []
    for i in range(pct.shape[0]):
        cols = [k for k in range(pct.shape[1]) if not np.isnan(pct[i, k])]
        if not cols:
            weak.append(None)
            strong.append(None)
            continue
        w = min(cols, key=lambda k: (pct[i, k], closeness[i, k], k))
        rest = [k for k in cols if k != w and pct[i, k] > pct[i, w]]
        s = max(rest, key=lambda k: (pct[i, k], closeness[i, k], -k)) if rest else None
        weak.append(w if has[i] else None)
        strong.append(s)
    return weak, strong


def reading(
    tree: CriteriaTree, ranking: Ranking, lang: str = "en", weak_rule: str = "percentile"
) -> Reading:
    """The managerial reading of a ranking: contributions by dimension and indicator, weak spots
    and the seed's levers.

    Each indicator's share of a customer's squared distance to the ideal is
    ``(v_ij - v+_j)^2 / D+_i^2`` (the shares sum to 1); a dimension's share is the sum over its
    indicators, and its closeness is TOPSIS on its indicators alone,
    ``D-_ik / (D+_ik + D-_ik)`` with ``D+_ik^2`` the part of ``D+_i^2`` from dimension k.

    The weak dimension is, under ``weak_rule``:

    ``"percentile"`` (default)
        the dimension on which the customer stands lowest *relative to the other customers*:
        the lowest percentile of its dimension closeness among all customers (ties to the
        lower closeness). Its strength is the dimension with the highest percentile, never the
        same one. Reading both from the same percentiles is what keeps the advice consistent:
        a customer cannot be told it is set apart by the dimension it is weakest on;
    ``"closeness"``
        the dimension on which the customer stands lowest between the worst and the best
        customer (lowest dimension closeness; weights within the dimension apply);
    ``"share"``
        the dimension with the largest share of its weighted distance to the ideal. Under vector
        normalisation a dimension whose indicators spread widely (money, with one large account)
        holds the largest share for nearly every customer, so this names the same dimension for
        all (all 34 customers of the bundled case).

    The lever aims at the lowest-percentile dimension, other than the strength, that holds at
    least :data:`MATERIAL_SHARE` of the customer's squared distance to the ideal (usually the
    weak dimension), so the advice points where the gap is. Its wording follows Huang, Han &
    Meng (2008, conclusion): low willingness -> trust and incentives; low absorptive capacity ->
    touchpoints, staff training and motivation, IT support; low knowledge value -> a different
    target (:data:`LEVERS`; a key source whose lever dimension is knowledge value gets
    :data:`KEY_VALUE_LEVER`).

    Parameters
    ----------
    tree : CriteriaTree
        The tree whose leaves are the ranking's criteria.
    ranking : Ranking
        From :func:`rank` with ``contributions=True``.
    lang : {"en", "zh"}
        Language of the labels.
    weak_rule : {"percentile", "closeness", "share"}

    Raises
    ------
    CkmError
        If the ranking has no contributions, its criteria are not the tree's leaves, or the rule
        is unknown.
    """
    if weak_rule not in WEAK_RULES:
        raise CkmError(
            f"unknown weak_rule {weak_rule!r}", hint='Use "percentile", "closeness" or "share"'
        )
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
    pct = percentiles(closeness)
    has = (ranking.d_plus > 0) & np.isfinite(np.where(np.isnan(closeness), np.inf, closeness)).any(
        axis=1
    )
    weak_k, strong_k = strong_and_weak(pct, closeness, has)
    if weak_rule == "share":
        weak = _argmax_or_none(to_ideal, dimensions)
    elif weak_rule == "closeness":
        filled = np.where(np.isnan(closeness), np.inf, closeness)
        lowest = np.argmin(filled, axis=1)
        has_c = (ranking.d_plus > 0) & np.isfinite(filled.min(axis=1))
        weak = tuple(
            dimensions[k] if h else None
            for k, h in zip(lowest.tolist(), has_c.tolist(), strict=True)
        )
    else:
        weak = tuple(None if k is None else dimensions[k] for k in weak_k)
    strong = tuple(
        None if k is None or dimensions[k] == weak[i] else dimensions[k]
        for i, k in enumerate(strong_k)
    )
    lever_dims: list[str | None] = []
    for i in range(len(weak)):
        if weak[i] is None:
            lever_dims.append(None)
            continue
        cands = [
            k
            for k, d in enumerate(dimensions)
            if d != strong[i] and to_ideal[i, k] >= MATERIAL_SHARE and not np.isnan(pct[i, k])
        ]
        best = min(cands, key=lambda k: (pct[i, k], closeness[i, k], k)) if cands else None
        lever_dims.append(None if best is None else dimensions[best])
    labels = {node: tree.label(node, lang) for node in (*dimensions, *leaves)}
    key = set(ranking.top_k.tolist())
    levers = tuple(
        (None if weak[i] is None else HOLD_LEVER)
        if dim is None
        else (KEY_VALUE_LEVER if weak[i] == dim else VALUE_GAP_LEVER)
        if dim == "knowledge_value" and i in key
        else LEVERS.get(dim, GENERIC_LEVER)
        for i, dim in enumerate(lever_dims)
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
        dimension_percentile=pct,
        weak_rule=weak_rule,
        weak_dimension=weak,
        strong_dimension=strong,
        lever_dimension=tuple(lever_dims),
        levers=levers,
    )
