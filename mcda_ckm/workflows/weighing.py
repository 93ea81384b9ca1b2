"""The panel's weights beside the data's own: AHP, objective and combined weights side by side.

The applied studies of key customers set objective weights (entropy, CRITIC, standard deviation)
beside the panel's AHP weights and combine them by a named rule (组合赋权). Which customers come
out as key sources can hang on that choice, so :func:`weigh` gives, for one case:

* the three weight vectors per indicator and composed to the dimensions (a dimension's weight is
  the sum of its leaves', :func:`mcda_ckm.weights.objective.dimension_weights`);
* each vector's key set (the top ``k`` by TOPSIS closeness, the tie rule of the ranking) and the
  overlaps of the sets;
* the sweep of the linear rule's share ``alpha`` over [0, 1]: the segments of alpha on which the
  key set is constant, with the exact ends found by the root-finding of the weight tolerances
  (:func:`mcda_ckm.sensitivity.intervals.line_bound`): along ``w(alpha) = w_obj + alpha (w_ahp -
  w_obj)`` the margin ``min_{i in S} C_i - max_{j not in S} C_j`` is scanned on a grid and its
  first sign change located by Brent's method to 1e-14;
* under the linear rule, the exact interval of alpha around the setting within which the
  combined key set holds.

**Which weights rank** (issue 16, point 2): ``objective = "none"`` (the default) computes nothing
here and the panel's weights rank, as before; an objective without ``combine`` is shown beside the
panel's weights, which still rank; with ``combine`` set, the combined weights rank the customers
(TOPSIS, cross-check, tolerances, SMAA).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from mcda_ckm.errors import CkmError
from mcda_ckm.model.matrix import DecisionMatrix
from mcda_ckm.model.settings import RankingSettings, WeightSettings
from mcda_ckm.model.tree import CriteriaTree
from mcda_ckm.ranking.tiers import (
    Tiers,
    TierStability,
    pooled,
    stability,
    stability_from_probability,
    tiers_by_closeness,
    tiers_by_kmeans,
    tiers_by_probability,
)
from mcda_ckm.sensitivity.intervals import Bound, line_bound
from mcda_ckm.sensitivity.problem import Problem, problem
from mcda_ckm.weights.combine import CombinedWeights, combine
from mcda_ckm.weights.objective import (
    ObjectiveWeights,
    dimension_weights,
    likert_scales,
    objective_weights,
)

__all__ = ["AlphaSegment", "Weighing", "alpha_sweep", "customer_tiers", "weigh"]

SWEEP_STEP = 1e-9
"""How far past a root the next segment's key set is read (roots are found to 1e-14)."""


@dataclass(frozen=True)
class AlphaSegment:
    """An interval of the linear rule's alpha on which the key set is constant.

    Attributes
    ----------
    low, high : float
        The ends (0 and 1 at the ends of the range).
    key : tuple of str
        The key set on the segment, best first at its middle.
    leaves, enters : str or None
        At ``high``: the customer that drops out of the set and the one that takes its place
        (None at alpha = 1).
    """

    low: float
    high: float
    key: tuple[str, ...]
    leaves: str | None = None
    enters: str | None = None


@dataclass(frozen=True)
class Weighing:
    """AHP, objective and combined weights side by side, with their key sets.

    Attributes
    ----------
    settings : WeightSettings
    criteria : tuple of str
        The indicators (the tree's leaves).
    ahp : numpy.ndarray
        The panel's global weights (or the case's fixed weights).
    objective : ObjectiveWeights
        With its warnings (constant columns, shifted codings).
    combined : CombinedWeights or None
        None when ``settings.combine`` is None.
    dimensions : dict of str to dict of str to float
        Per vector ("ahp", "objective", "combined"), the weights summed to the dimensions.
    key_sets : dict of str to tuple of str
        Per vector, the top ``k`` customers by TOPSIS closeness, best first.
    overlaps : dict of str to tuple of str
        Per pair of vectors ("ahp & objective", ...) and for all three, the customers in both
        (all) key sets, in the first set's order.
    sweep : tuple of AlphaSegment
        The linear rule's key set over alpha in [0, 1] (alpha = the panel's share).
    interval : AlphaSegment or None
        Under the linear rule, the exact interval of alpha around ``settings.alpha`` within
        which the combined key set holds.
    k : int
    ranks_with : str
        ``"combined"`` when the combined weights rank, else ``"ahp"``.
    """

    settings: WeightSettings
    criteria: tuple[str, ...]
    ahp: np.ndarray
    objective: ObjectiveWeights
    combined: CombinedWeights | None
    dimensions: dict[str, dict[str, float]]
    key_sets: dict[str, tuple[str, ...]]
    overlaps: dict[str, tuple[str, ...]]
    sweep: tuple[AlphaSegment, ...]
    interval: AlphaSegment | None
    k: int
    ranks_with: str

    @property
    def vectors(self) -> dict[str, np.ndarray]:
        """The weight vectors by name, in leaf order."""
        out = {"ahp": self.ahp, "objective": self.objective.weights}
        if self.combined is not None:
            out["combined"] = self.combined.weights
        return out

    @property
    def weights(self) -> np.ndarray:
        """The weights that rank the customers."""
        return self.combined.weights if self.combined is not None else self.ahp


def key_of(p: Problem, weights: np.ndarray) -> tuple[str, ...]:
    return tuple(p.ids[i] for i in p.top(weights))


def alpha_sweep(
    p: Problem, ahp: np.ndarray, objective: np.ndarray, *, grid: int = 2001
) -> tuple[AlphaSegment, ...]:
    """The segments of alpha in [0, 1] with a constant key set under the linear rule.

    ``w(alpha) = objective + alpha (ahp - objective)``; from alpha = 0 each segment's end is the
    first root of the key-set margin (:func:`mcda_ckm.sensitivity.intervals.line_bound`), and the
    next segment's set is read just past it.
    """
    base = np.asarray(objective, dtype=np.float64)
    slope = np.asarray(ahp, dtype=np.float64) - base
    out: list[AlphaSegment] = []
    low = 0.0
    while True:
        members = np.array(p.top(base + low * slope))
        bound: Bound = line_bound(p, base, slope, members, low, 1.0, grid=grid)
        key = tuple(p.ids[i] for i in members)
        if bound.leaves is None or bound.t >= 1.0:
            out.append(AlphaSegment(low, 1.0, key))
            return tuple(out)
        out.append(AlphaSegment(low, bound.t, key, bound.leaves, bound.enters))
        low = min(1.0, max(bound.t + SWEEP_STEP, low + SWEEP_STEP))


def alpha_interval(
    p: Problem, ahp: np.ndarray, objective: np.ndarray, alpha: float, *, grid: int = 2001
) -> AlphaSegment:
    """The exact interval of alpha around ``alpha`` within which the key set at ``alpha``
    holds; ``leaves``/``enters`` name the swap at the upper end."""
    base = np.asarray(objective, dtype=np.float64)
    slope = np.asarray(ahp, dtype=np.float64) - base
    members = np.array(p.top(base + alpha * slope))
    low = line_bound(p, base, slope, members, alpha, 0.0, grid=grid)
    high = line_bound(p, base, slope, members, alpha, 1.0, grid=grid)
    key = tuple(p.ids[i] for i in members)
    return AlphaSegment(low.t, high.t, key, high.leaves, high.enters)


def overlaps_of(key_sets: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    names = list(key_sets)
    for a, b in combinations(names, 2):
        other = set(key_sets[b])
        out[f"{a} & {b}"] = tuple(i for i in key_sets[a] if i in other)
    if len(names) > 2:
        common = set.intersection(*(set(key_sets[n]) for n in names[1:]))
        out[" & ".join(names)] = tuple(i for i in key_sets[names[0]] if i in common)
    return out


def weigh(
    tree: CriteriaTree,
    ahp: Any,
    matrix: DecisionMatrix,
    settings: WeightSettings,
    *,
    k: int,
    normalization: str = "vector",
    grid: int = 2001,
) -> Weighing:
    """AHP, objective and combined weights of a case side by side (see the module docstring).

    Parameters
    ----------
    tree : CriteriaTree
    ahp : array_like
        The panel's global weights in leaf order (>= 0, summing to 1).
    matrix : DecisionMatrix
        The customers (after any CLV column is computed), columns = the tree's leaves.
    settings : WeightSettings
        ``objective`` must not be "none".
    k : int
        How many key sources (clamped to the customers).
    normalization : str
        Of the TOPSIS ranking that gives the key sets.

    Raises
    ------
    CkmError
        ``objective = "none"``; anything :func:`objective_weights` or :func:`combine` refuses.
    """
    if settings.objective == "none":
        raise CkmError(
            "no objective weighting method chosen",
            where="[weights] objective",
            hint='Set objective = "entropy", "critic" or "std" (or --objective)',
        )
    w_ahp = np.asarray(ahp, dtype=np.float64)
    w_ahp = w_ahp / w_ahp.sum()
    obj = objective_weights(matrix, settings.objective, scales=likert_scales(tree))
    combined = None
    if settings.rule is not None:
        combined = combine(
            w_ahp,
            obj.weights,
            settings.rule,
            alpha=settings.alpha if settings.rule == "linear" else None,
            criteria=tree.leaves,
            names=("ahp", settings.objective),
        )
    k = min(int(k), len(matrix.ids))
    p = problem(
        tree,
        tree.decompose(w_ahp),
        matrix.values,
        matrix.directions,
        matrix.ids,
        k,
        normalization,
    )
    vectors = {"ahp": w_ahp, "objective": obj.weights}
    if combined is not None:
        vectors["combined"] = combined.weights
    key_sets = {name: key_of(p, w) for name, w in vectors.items()}
    dims = {
        name: dimension_weights(dict(zip(tree.leaves, w.tolist(), strict=True)), tree)
        for name, w in vectors.items()
    }
    interval = None
    if settings.rule == "linear":
        interval = alpha_interval(p, w_ahp, obj.weights, settings.alpha, grid=grid)
    return Weighing(
        settings=settings,
        criteria=tree.leaves,
        ahp=w_ahp,
        objective=obj,
        combined=combined,
        dimensions=dims,
        key_sets=key_sets,
        overlaps=overlaps_of(key_sets),
        sweep=alpha_sweep(p, w_ahp, obj.weights, grid=grid),
        interval=interval,
        k=k,
        ranks_with="combined" if combined is not None else "ahp",
    )


TIER_BATCH = 512
"""Samples whose closeness is computed at once for the tiers' stability (memory ~ batch x m)."""


def customer_tiers(
    settings: RankingSettings,
    closeness: np.ndarray,
    ids: tuple[str, ...],
    *,
    key_probability: np.ndarray | None = None,
    problem_: Problem | None = None,
    samples: np.ndarray | None = None,
) -> tuple[Tiers, TierStability | None] | None:
    """Customers split by the ``[ranking] tiers`` rule, with their stability under the SMAA
    samples (None when ``tiers = "none"``, or "probability" without samples).

    * ``"closeness"`` and ``"kmeans"``: the rule's thresholds (kmeans: the cuts found on the
      ranking's closeness) applied to every sample's closeness (``problem_`` and ``samples``,
      computed :data:`TIER_BATCH` samples at a time); a customer's stability is the share of
      samples that put it in its tier.
    * ``"probability"``: on ``key_probability``; stability is key / not key only (a key
      customer's probability of being key, another's of not being key).
    """
    if settings.tiers == "none":
        return None
    key_at, potential_at = settings.thresholds
    if settings.tiers == "probability":
        if key_probability is None or samples is None:
            return None
        t = tiers_by_probability(key_probability, key_at, potential_at, ids=ids)
        return t, stability_from_probability(t, key_probability, len(samples))
    if settings.tiers == "kmeans":
        t = tiers_by_kmeans(closeness, ids=ids)
    else:
        t = tiers_by_closeness(closeness, key_at, potential_at, ids=ids)
    if problem_ is None or samples is None or not len(samples):
        return t, None
    parts = [
        stability(t, np.atleast_2d(problem_.closeness(samples[i : i + TIER_BATCH])))
        for i in range(0, len(samples), TIER_BATCH)
    ]
    return t, pooled(parts)
