"""Tolerance intervals of the weights: for every node, the exact interval of its local weight
within which the key set (and the top customer) stays, by root-finding on closeness differences
along the weight line of :func:`mcda_ckm.sensitivity.sweeps.weight_line`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import brentq

from mcda_ckm.ranking.topsis import Deviations
from mcda_ckm.sensitivity.problem import Problem
from mcda_ckm.sensitivity.sweeps import weight_line

__all__ = ["Bound", "Tolerance", "line_bound", "tolerance", "tolerances"]


@dataclass(frozen=True)
class Bound:
    """One end of a tolerance interval.

    Attributes
    ----------
    t : float
        The local weight where the set changes (0 or 1 when it never changes on that side).
    leaves : str or None
        The customer that drops out there (None when nothing changes up to the end).
    enters : str or None
        The customer that takes its place.
    """

    t: float
    leaves: str | None = None
    enters: str | None = None


@dataclass(frozen=True)
class Tolerance:
    """Within which interval of a node's local weight the result stays.

    Attributes
    ----------
    node : str
    t0 : float
        The current local weight.
    parent_weight : float
        The parent's global weight: for an indicator, global weight = ``parent_weight * t``.
    key_low, key_high : Bound
        The top-k set is unchanged for ``key_low.t < t < key_high.t``.
    top_low, top_high : Bound
        The same for the top customer.
    """

    node: str
    t0: float
    parent_weight: float
    key_low: Bound
    key_high: Bound
    top_low: Bound
    top_high: Bound

    @property
    def width(self) -> float:
        """Width of the key-set interval: small means the key set hangs on this weight."""
        return self.key_high.t - self.key_low.t


def _margin(p: Problem, members: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """g(W) = min closeness inside ``members`` - max closeness outside, per weight vector."""
    inside = np.zeros(len(p.ids), dtype=bool)
    inside[members] = True

    def g(weights: np.ndarray) -> np.ndarray:
        c = np.atleast_2d(p.closeness(weights))
        return c[:, inside].min(axis=1) - c[:, ~inside].max(axis=1)

    return g


def _candidates(
    p: Problem, line: tuple[np.ndarray, np.ndarray], inside: np.ndarray, ts: np.ndarray
) -> np.ndarray:
    """Customers that can matter for the margin on ``ts``: the members, and every outsider whose
    closeness comes within twice the largest step-to-step closeness change of the weakest member
    somewhere on a coarse grid. The rest stay far below the set on the whole segment, so the
    fine scan can leave them out (its result is checked against a fine grid in the tests)."""
    base, slope = line
    m = len(p.ids)
    coarse = np.linspace(ts[0], ts[-1], 201)
    best = np.full(m, -np.inf)
    step = 0.0
    prev = None
    block = max(8, 2_000_000 // max(m, 1))
    for start in range(0, len(coarse), block):
        part = coarse[start : start + block]
        c = np.atleast_2d(p.closeness(base[None, :] + part[:, None] * slope[None, :]))
        floor = c[:, inside].min(axis=1)
        best = np.maximum(best, (c - floor[:, None]).max(axis=0))
        both = c if prev is None else np.vstack([prev, c])
        if len(both) > 1:
            step = max(step, float(np.nanmax(np.abs(np.diff(both, axis=0)))))
        prev = c[-1:]
    return inside | (best > -(2 * step + 1e-9))


def _bound(
    p: Problem,
    line: tuple[np.ndarray, np.ndarray],
    members: np.ndarray,
    t0: float,
    end: float,
    grid: int,
) -> Bound:
    base, slope = line
    inside = np.zeros(len(p.ids), dtype=bool)
    inside[members] = True
    if inside.all():
        return Bound(end)
    ts = np.linspace(t0, end, grid)
    keep = _candidates(p, line, inside, ts)
    if not keep.all():
        dev = p.deviations
        p = replace(
            p,
            deviations=Deviations(dev.to_ideal[keep], dev.to_anti_ideal[keep], dev.scale2),
            ids=tuple(i for i, k in zip(p.ids, keep, strict=True) if k),
        )
        inside = inside[keep]
        members = np.flatnonzero(inside)
        if inside.all():
            return Bound(end)
    g = _margin(p, members)
    # Scan in blocks (memory ~ block x customers) and stop at the first sign change.
    block = max(8, 2_000_000 // max(len(p.ids), 1))
    j = -1
    for start in range(0, grid, block):
        part = ts[start : start + block]
        cross = np.flatnonzero(g(base[None, :] + part[:, None] * slope[None, :]) < 0)
        if cross.size:
            j = start + int(cross[0])
            break
    if j < 0:
        return Bound(end)
    if j == 0:
        return Bound(t0, *_swap(p, inside, base + t0 * slope))

    def f(t: float) -> float:
        return float(g(base + t * slope)[0])

    root = brentq(f, ts[j - 1], ts[j], xtol=1e-14, rtol=1e-14)
    return Bound(float(root), *_swap(p, inside, base + ts[j] * slope))


def _swap(p: Problem, inside: np.ndarray, weights: np.ndarray) -> tuple[str, str]:
    c = p.closeness(weights)
    idx = np.arange(len(c))
    out = idx[inside][np.argmin(c[inside])]
    enters = idx[~inside][np.argmax(c[~inside])]
    return p.ids[int(out)], p.ids[int(enters)]


def tolerance(p: Problem, node: str, *, grid: int = 2001) -> Tolerance:
    """The exact interval of ``node``'s local weight within which the key set stays.

    The margin ``g(t) = min_{i in S} C_i(t) - max_{j not in S} C_j(t)`` of the current top-k set
    ``S`` is scanned on a grid of ``grid`` points from ``t0`` to each end of [0, 1]; the first
    sign change is located by Brent's method (to 1e-14), and the pair of customers that swap
    there is named. The same is done for the top customer alone.
    """
    base, slope, t0, gp = weight_line(p, node)
    line = (base, slope)
    w0 = base + t0 * slope
    key = np.array(p.top(w0))
    first = key[:1]
    return Tolerance(
        node=node,
        t0=t0,
        parent_weight=gp,
        key_low=_bound(p, line, key, t0, 0.0, grid),
        key_high=_bound(p, line, key, t0, 1.0, grid),
        top_low=_bound(p, line, first, t0, 0.0, grid),
        top_high=_bound(p, line, first, t0, 1.0, grid),
    )


def tolerances(p: Problem, *, grid: int = 2001) -> list[Tolerance]:
    """:func:`tolerance` for every node but the goal, in tree order."""
    return [tolerance(p, n, grid=grid) for n in p.tree.nodes if n != p.tree.root]


def line_bound(
    p: Problem,
    base: np.ndarray,
    slope: np.ndarray,
    members: np.ndarray,
    t0: float,
    end: float,
    *,
    grid: int = 2001,
) -> Bound:
    """Where, going from ``t0`` towards ``end``, the customers ``members`` stop being the top
    set along the weights ``base + t slope``: the root-finding of :func:`tolerance` on any line
    of weight vectors (e.g. the combination of two weight vectors by a share ``alpha``)."""
    return _bound(p, (base, slope), np.asarray(members), t0, end, grid)
