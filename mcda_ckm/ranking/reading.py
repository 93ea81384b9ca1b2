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
    "KEY_VALUE_LEVER",
    "LEVERS",
    "LEVER_IDS",
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

GENERIC_LEVER = "generic"
"""The lever for a dimension of another tree: improve that dimension."""

LEVER_IDS: tuple[str, ...] = (*LEVERS.values(), KEY_VALUE_LEVER, GENERIC_LEVER)
"""Every lever id :func:`reading` gives."""


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
    levers : tuple of (str or None)
        Per customer, the id of the lever for its weak dimension (one of :data:`LEVER_IDS`;
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
    weak_rule: str
    weak_dimension: tuple[str | None, ...]
    strong_dimension: tuple[str | None, ...]
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
                "lever": self.levers[i],
                "dimension_closeness": by_dimension(self.dimension_closeness[i]),
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
    support; low knowledge value -> a different target (:data:`LEVERS`; a key source weak on
    knowledge value gets :data:`KEY_VALUE_LEVER`).

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
        None
        if dim is None
        else KEY_VALUE_LEVER
        if dim == "knowledge_value" and i in key
        else LEVERS.get(dim, GENERIC_LEVER)
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
