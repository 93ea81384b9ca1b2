"""Tolerance intervals of the weights: for every node, the exact interval of its local weight
within which the key set (and the top customer) stays, by root-finding on closeness differences
along the weight line of :func:`mcda_ckm.sensitivity.sweeps.weight_line`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import NamedTuple

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


SCREEN_LEVELS = (1, 8, 64, 512)
"""Subintervals of the segment at each round of :func:`_candidates`: each round bounds only the
customers the previous, coarser one kept."""

SCREEN_SLACK = 1e-12
"""Added to every bound of :func:`_candidates` (relative to the quadratic's coefficients, and to
closeness): the bounds are computed by another sum than the kernel's, so they may differ from it
by rounding (about 1e-15); the slack keeps the screen on the safe side."""


class Line(NamedTuple):
    """A node's weight line ``w(t) = base + t * slope`` and the squared distances along it.

    With those weights, TOPSIS's squared distance to the ideal is ``d+^2(t) = sum_j
    to_ideal_ij * s_j^2 * w_j(t)^2 = a_i + b_i t + c_i t^2`` (the same for the anti-ideal), with
    ``c_i >= 0``: a convex quadratic in ``t`` for every customer. ``plus`` and ``minus`` hold
    the coefficients (a, b, c), shape (3, m).
    """

    base: np.ndarray
    slope: np.ndarray
    plus: np.ndarray
    minus: np.ndarray


def _line(p: Problem, node: str) -> tuple[Line, float, float]:
    """The weight line of ``node`` (:func:`weight_line`) with its quadratics, ``t0`` and the
    parent's global weight."""
    base, slope, t0, gp = weight_line(p, node)
    return _quadratics(p, base, slope), t0, gp


def _quadratics(p: Problem, base: np.ndarray, slope: np.ndarray) -> Line:
    """The line ``base + t slope`` with every customer's squared distances along it."""
    dev = p.deviations
    f = dev.scale2 * np.stack([base * base, 2.0 * base * slope, slope * slope])  # (3, n)
    return Line(base, slope, f @ dev.to_ideal.T, f @ dev.to_anti_ideal.T)


def _range(q: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least and greatest value of the convex quadratics ``q`` (3, m) on each [lo, hi] (k,):
    at an end, or at the vertex ``-b / 2c`` when it lies inside; widened by the slack."""
    a, b, c = q[0], q[1], q[2]
    at_lo = a + lo[:, None] * (b + lo[:, None] * c)
    at_hi = a + hi[:, None] * (b + hi[:, None] * c)
    least = np.minimum(at_lo, at_hi)
    greatest = np.maximum(at_lo, at_hi)
    with np.errstate(divide="ignore", invalid="ignore"):
        vertex = -b / (2.0 * c)
        within = (vertex > lo[:, None]) & (vertex < hi[:, None])
        np.minimum(least, np.where(within, a - b * b / (4.0 * c), least), out=least)
    slack = SCREEN_SLACK * (np.abs(a) + np.abs(b) + np.abs(c))
    return np.maximum(least - slack, 0.0), greatest + slack


def _closeness_range(
    plus: np.ndarray, minus: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Bounds (k, m) of the closeness ``d- / (d+ + d-)`` on each [lo, hi]: it grows with d- and
    falls with d+, so the extremes of the two distances bound it (nan where both can be 0)."""
    p_low, p_high = np.sqrt(_range(plus, lo, hi))
    m_low, m_high = np.sqrt(_range(minus, lo, hi))
    with np.errstate(divide="ignore", invalid="ignore"):
        return m_low / (p_high + m_low), m_high / (p_low + m_high)


def _candidates(p: Problem, line: Line, inside: np.ndarray, ts: np.ndarray) -> np.ndarray:
    """Customers that can matter for the margin on the segment ``ts[0]``..``ts[-1]``: the
    members, and every outsider whose closeness can reach the weakest member's somewhere on it.

    Exact, not a sampling: on a subinterval, each squared distance is a convex quadratic in
    ``t`` (:class:`Line`) whose extremes are known in closed form, so an outsider's
    greatest possible closeness and each member's least one are bounded there. An outsider
    whose bound stays below the weakest member's on every subinterval is below the whole set on
    the whole segment and cannot change the margin's sign, nor its zeros. Rounds of finer
    subintervals (:data:`SCREEN_LEVELS`) bound only the outsiders the coarser round kept, in
    blocks that bound the memory.
    """
    plus, minus = line.plus, line.minus
    members = np.flatnonzero(inside)
    alive = np.flatnonzero(~inside)
    for k in SCREEN_LEVELS:
        if alive.size == 0:
            break
        edges = np.linspace(ts[0], ts[-1], k + 1)
        lo, hi = np.minimum(edges[:-1], edges[1:]), np.maximum(edges[:-1], edges[1:])
        floor = _closeness_range(plus[:, members], minus[:, members], lo, hi)[0].min(axis=1)
        floor = floor[:, None] - SCREEN_SLACK
        near = np.empty(alive.size, dtype=bool)
        block = max(1, 1_000_000 // k)
        for start in range(0, alive.size, block):
            part = alive[start : start + block]
            top = _closeness_range(plus[:, part], minus[:, part], lo, hi)[1]
            # "not below" rather than "above": a nan bound keeps the customer.
            near[start : start + block] = (~(top < floor)).any(axis=0)
        alive = alive[near]
    keep = inside.copy()
    keep[alive] = True
    return keep


FIRST_PIECE = 32
"""Grid points of the first piece :func:`_bound` screens and scans; each next piece is twice as
long. The key set usually changes near the current weight, where few customers compete, so the
first pieces are screened down to a handful."""


def _bound(p: Problem, line: Line, members: np.ndarray, t0: float, end: float, grid: int) -> Bound:
    """The first point from ``t0`` towards ``end`` where the set ``members`` changes.

    The grid from ``t0`` to ``end`` is taken in pieces of growing length; on each, the customers
    that cannot reach the set there are screened out (:func:`_candidates`, exact), and the margin
    of the rest is scanned for its first sign change.
    """
    inside = np.zeros(len(p.ids), dtype=bool)
    inside[members] = True
    if inside.all():
        return Bound(end)
    ts = np.linspace(t0, end, grid)
    start, size = 0, FIRST_PIECE
    while start < grid:
        stop = min(grid, start + size)
        # The piece's points, and the step before its first one (a sign change found there is
        # bracketed by that step).
        found = _scan(p, line, inside, ts, max(start - 1, 0), start, stop)
        if found is not None:
            return found
        start, size = stop, 2 * size
    return Bound(end)


def _scan(
    p: Problem, line: Line, inside: np.ndarray, ts: np.ndarray, first: int, start: int, stop: int
) -> Bound | None:
    """The bound at the first sign change of the margin on ``ts[start:stop]`` (None when there
    is none), its customers screened on ``ts[first:stop]``."""
    keep = _candidates(p, line, inside, ts[first:stop])
    if not keep.all():
        dev = p.deviations
        p = replace(
            p,
            deviations=Deviations(dev.to_ideal[keep], dev.to_anti_ideal[keep], dev.scale2),
            ids=tuple(i for i, k in zip(p.ids, keep, strict=True) if k),
        )
        inside = inside[keep]
        if inside.all():
            return None
    g = _margin(p, np.flatnonzero(inside))
    base, slope = line.base, line.slope
    # Scan in blocks (memory ~ block x customers) and stop at the first sign change.
    block = max(8, 2_000_000 // max(len(p.ids), 1))
    j = -1
    for at in range(start, stop, block):
        part = ts[at : min(at + block, stop)]
        cross = np.flatnonzero(g(base[None, :] + part[:, None] * slope[None, :]) < 0)
        if cross.size:
            j = at + int(cross[0])
            break
    if j < 0:
        return None
    if j == 0:
        return Bound(float(ts[0]), *_swap(p, inside, base + ts[0] * slope))

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
    line, t0, gp = _line(p, node)
    w0 = line.base + t0 * line.slope
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
    line = _quadratics(p, np.asarray(base, dtype=float), np.asarray(slope, dtype=float))
    return _bound(p, line, np.asarray(members), t0, end, grid)
