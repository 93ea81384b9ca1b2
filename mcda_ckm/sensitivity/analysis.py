"""Sensitivity: how the ranking, and above all the set of key sources, moves with the weights.

Four analyses, all on the TOPSIS kernel of :mod:`mcda_ckm.ranking.topsis`, which computes closeness
for
many weight vectors at once:

- :func:`sweep` moves one node's local weight over [0, 1], its siblings rescaled in proportion
  (Triantaphyllou & Sánchez 1997, change-and-renormalise), and recomputes the ranking;
- :func:`tolerances` finds, for every node, the exact interval of its local weight within which the
  top-k set (and the top customer) stays, by root-finding on closeness differences;
- :func:`judgement_tolerances` moves every judgement step by step on the Saaty scale until the
  top-k set changes;
- :func:`smaa` estimates SMAA-2 rank acceptability indices, key-source probabilities, central
  weight vectors and confidence factors (Lahdelma & Salminen 2001) from sampled weights
  (:func:`sample_weights`: the panel resampled, uniform on the simplex, or around the AHP weights).
"""

from __future__ import annotations

import itertools
import math
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from scipy.optimize import brentq

from mcda_ckm.errors import CkmError
from mcda_ckm.model import scale
from mcda_ckm.model.judgements import ExpertJudgements, Judgement
from mcda_ckm.model.tree import CriteriaTree
from mcda_ckm.ranking.topsis import (
    Deviations,
    best_first,
    closeness_of,
    deviations,
    distances,
    key_sets,
)
from mcda_ckm.weights import ahp
from mcda_ckm.weights.panel import PanelResult, evaluate_node

Source = Literal["panel", "uniform", "around"]
SOURCES: tuple[str, ...] = ("panel", "uniform", "around")
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Problem:
    """What the sensitivity analyses need: the tree, its local weights and the customers.

    Build it with :func:`problem`.

    Attributes
    ----------
    tree : CriteriaTree
    local : dict of str to numpy.ndarray
        Local weights of every inner node (its children, in tree order).
    weights : numpy.ndarray
        The global leaf weights composed from ``local``.
    deviations : Deviations
        The decision matrix as the TOPSIS kernel needs it (independent of the weights).
    ids : tuple of str
        Customer ids, in matrix order.
    k : int
        How many key sources.
    normalization : str
    """

    tree: CriteriaTree
    local: dict[str, np.ndarray]
    weights: np.ndarray
    deviations: Deviations
    ids: tuple[str, ...]
    k: int
    normalization: str

    def closeness(self, weights: np.ndarray) -> np.ndarray:
        """TOPSIS closeness for one (n,) or many (s, n) weight vectors."""
        with np.errstate(invalid="ignore", divide="ignore"):
            d_plus2, d_minus2 = distances(self.deviations, np.asarray(weights, dtype=float))
            return closeness_of(d_plus2, d_minus2)[0]

    def top(self, weights: np.ndarray, k: int | None = None) -> tuple[int, ...]:
        """Indices of the top-k customers for one weight vector, best first, by the tie rule of
        :func:`mcda_ckm.ranking.topsis.rank` (:func:`mcda_ckm.ranking.topsis.tie_order`)."""
        order, _ = best_first(self.closeness(weights))
        return tuple(int(i) for i in order[: k or self.k])


def problem(
    tree: CriteriaTree,
    local: Mapping[str, np.ndarray],
    values: np.ndarray,
    directions: np.ndarray,
    ids: Sequence[str],
    k: int,
    normalization: str = "vector",
) -> Problem:
    """Assemble a :class:`Problem` (values must already be validated, e.g. by ``topsis.rank``).

    Raises
    ------
    CkmError
        When ``k`` is not between 1 and the number of customers, or ``local`` misses a node.
    """
    values = np.asarray(values, dtype=float)
    if not 1 <= k <= len(values):
        raise CkmError(f"top_k = {k}, must be between 1 and {len(values)}")
    missing = [n for n in tree.inner_nodes if n not in local]
    if missing:
        raise CkmError(f"no local weights for nodes {missing}")
    local = {n: np.asarray(local[n], dtype=float) for n in tree.inner_nodes}
    return Problem(
        tree=tree,
        local=local,
        weights=tree.compose(local),
        deviations=deviations(values, np.asarray(directions), normalization),
        ids=tuple(ids),
        k=k,
        normalization=normalization,
    )


# ---------------------------------------------------------------- weight sweeps


def _below(tree: CriteriaTree, local: Mapping[str, np.ndarray], node: str) -> np.ndarray:
    """Leaf weights of ``node``'s subtree with ``node`` itself at weight 1 (zeros elsewhere)."""
    leaves = tree.leaves
    out = np.zeros(len(leaves))
    stack = [(node, 1.0)]
    while stack:
        x, w = stack.pop()
        kids = tree.children(x)
        if not kids:
            out[leaves.index(x)] = w
        for child, lw in zip(kids, local.get(x, ()), strict=False):
            stack.append((child, w * float(lw)))
    return out


def weight_line(p: Problem, node: str) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Global weights as a function of ``node``'s local weight ``t``.

    Setting ``node``'s local weight to ``t`` and rescaling its siblings by ``(1 - t) / (1 - t0)``
    keeps their ratios (Triantaphyllou & Sánchez 1997); every global weight is then affine in
    ``t``: ``g(t) = base + t * slope``.

    Returns
    -------
    base, slope : numpy.ndarray
        So that ``g(t) = base + t * slope``.
    t0 : float
        The current local weight.
    parent_weight : float
        The parent's global weight (an indicator's global weight is ``parent_weight * t``).
    """
    tree = p.tree
    parent = tree.parent(node)
    if parent is None:
        raise CkmError("the goal has no weight to move", where=node)
    sibs = tree.children(parent)
    i = sibs.index(node)
    w = p.local[parent]
    t0 = float(w[i])
    path = tree.path_to(parent)
    gp = math.prod(
        float(p.local[a][tree.children(a).index(b)]) for a, b in itertools.pairwise(path)
    )
    own = gp * _below(tree, p.local, node)
    others = np.zeros_like(own)
    rest = 1.0 - t0
    for j, sib in enumerate(sibs):
        if j == i:
            continue
        share = w[j] / rest if rest > 1e-15 else 1.0 / (len(sibs) - 1)
        others += gp * share * _below(tree, p.local, sib)
    under_parent = gp * _below(tree, p.local, parent)
    fixed = p.weights - under_parent
    fixed[np.abs(fixed) < 1e-15] = 0.0
    # g(t) = fixed + t * own + (1 - t) * others
    return fixed + others, own - others, t0, gp


@dataclass(frozen=True)
class Sweep:
    """Closeness along a weight path.

    Attributes
    ----------
    node : str
    t : numpy.ndarray
        Local weights of ``node``, shape (g,).
    weights : numpy.ndarray
        Global weights at each ``t``, shape (g, n).
    closeness : numpy.ndarray
        Shape (g, m).
    t0 : float
        The current local weight.
    """

    node: str
    t: np.ndarray
    weights: np.ndarray
    closeness: np.ndarray
    t0: float


def sweep(p: Problem, node: str, t: np.ndarray | None = None) -> Sweep:
    """Move ``node``'s local weight over ``t`` (default 201 points on [0, 1]) and recompute
    the closeness of every customer."""
    t = np.linspace(0.0, 1.0, 201) if t is None else np.asarray(t, dtype=float)
    base, slope, t0, _ = weight_line(p, node)
    weights = base[None, :] + t[:, None] * slope[None, :]
    np.clip(weights, 0.0, None, out=weights)
    return Sweep(node=node, t=t, weights=weights, closeness=p.closeness(weights), t0=t0)


# ---------------------------------------------------------------- exact tolerance intervals


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


# ---------------------------------------------------------------- judgement tolerance


@dataclass(frozen=True)
class JudgementTolerance:
    """How far one judgement can move on the Saaty scale before the key set changes.

    Attributes
    ----------
    expert : str
        The expert's id, or ``"group"`` for the panel's aggregated judgement.
    node, first, second : str
    value : float
        The judgement (first over second).
    steps_up, steps_down : int or None
        How many steps up (towards 9, more for ``first``) or down (towards 1/9) it can move
        without changing the top-k set; None when the set holds to the end of the scale.
    changes_up, changes_down : tuple of str
        The top-k set just past that point (empty when it never changes).
    """

    expert: str
    node: str
    first: str
    second: str
    value: float
    steps_up: int | None
    steps_down: int | None
    changes_up: tuple[str, ...] = ()
    changes_down: tuple[str, ...] = ()

    @property
    def slack(self) -> int:
        """The smaller number of steps (17 when it never changes): small = the result hangs
        on this judgement."""
        return min(17 if s is None else s for s in (self.steps_up, self.steps_down))


def _with_value(e: ExpertJudgements, j: Judgement, value: float) -> ExpertJudgements:
    js = tuple(replace(x, value=value) if x is j else x for x in e.judgements)
    return replace(e, judgements=js)


def judgement_tolerances(
    p: Problem,
    panel: PanelResult,
    *,
    progress: Progress | None = None,
) -> list[JudgementTolerance]:
    """Move every judgement of every expert (and of the aggregated panel) one Saaty step at a
    time, up and down, until the top-k set changes.

    Each move re-runs the AHP at that judgement's node only (with the panel's settings), composes
    the global weights and recomputes TOPSIS. The result is sorted with the judgements the key
    set hangs on first.
    """
    experts = list(panel.experts)
    opts = {
        "method": panel.method,
        "ri_table": panel.ri_table,
        "rule": panel.rule,
        "completion": panel.completion,
    }
    base_key = set(p.top(p.weights))
    out: list[JudgementTolerance] = []
    jobs = [(k, j) for k, e in enumerate(experts) for j in e.judgements]
    groups = [
        (node, i, j)
        for node, res in panel.nodes.items()
        for i in range(len(res.criteria))
        for j in range(i + 1, len(res.criteria))
    ]
    total = len(jobs) + (len(groups) if panel.aggregation == "aij" else 0)

    def key_after(node: str, local_node: np.ndarray) -> tuple[str, ...]:
        local = dict(p.local)
        local[node] = local_node
        return tuple(p.ids[i] for i in p.top(p.tree.compose(local)))

    def walk(value: float, weights_at: Callable[[float], np.ndarray], node: str) -> tuple:
        s0 = scale.steps(value)
        res: list[object] = []
        for direction in (1, -1):
            steps, changed = None, ()
            for step in range(1, 17):
                s = s0 + direction * step
                if abs(s) > 8:
                    break
                after = key_after(node, weights_at(scale.from_steps(s)))
                if set(after) != {p.ids[i] for i in base_key}:
                    steps, changed = step - 1, after
                    break
            res += [steps, changed]
        return tuple(res)

    done = 0
    for k, j in jobs:
        e = experts[k]

        def weights_at(v: float, k: int = k, e: ExpertJudgements = e, j: Judgement = j):
            trial = [*experts[:k], _with_value(e, j, v), *experts[k + 1 :]]
            return evaluate_node(
                p.tree,
                trial,
                j.node,
                aggregation=panel.aggregation,  # type: ignore[arg-type]
                policy=panel.policy,  # type: ignore[arg-type]
                diagnose=False,
                **opts,
            ).weights

        up, ch_up, down, ch_down = walk(j.value, weights_at, j.node)
        out.append(
            JudgementTolerance(e.id, j.node, j.first, j.second, j.value, up, down, ch_up, ch_down)
        )
        done += 1
        if progress:
            progress(done, total)
    if panel.aggregation == "aij":
        for node, i, jj in groups:
            res = panel.nodes[node]
            g = res.group.matrix

            def group_at(v: float, g: np.ndarray = g, i: int = i, jj: int = jj) -> np.ndarray:
                m = g.copy()
                m[i, jj], m[jj, i] = v, 1 / v
                return ahp.priorities(m, **opts).weights  # type: ignore[arg-type]

            value = float(g[i, jj])
            up, ch_up, down, ch_down = walk(value, group_at, node)
            out.append(
                JudgementTolerance(
                    "group",
                    node,
                    res.criteria[i],
                    res.criteria[jj],
                    value,
                    up,
                    down,
                    ch_up,
                    ch_down,
                )
            )
            done += 1
            if progress:
                progress(done, total)
    out.sort(key=lambda r: (r.slack, r.expert == "group", r.expert, r.node))
    return out


# ---------------------------------------------------------------- sampling weights


def _compose_batch(tree: CriteriaTree, local: Mapping[str, np.ndarray]) -> np.ndarray:
    """Global weights for sampled local weights: local[node] of shape (s, children)."""
    s = next(iter(local.values())).shape[0]
    glob = {tree.root: np.ones(s)}
    for node in tree.inner_nodes:
        for c, child in enumerate(tree.children(node)):
            glob[child] = glob[node] * local[node][:, c]
    w = np.stack([glob[leaf] for leaf in tree.leaves], axis=1)
    return w / w.sum(axis=1, keepdims=True)


def _half_steps(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Log-bounds of the scale's resolution around each judgement: the geometric midpoints to
    the neighbouring scale values (the ends of the scale are not exceeded)."""
    logs = np.log(scale.VALUES)
    pos = np.clip(np.searchsorted(logs, np.log(values) - 1e-9), 0, len(logs) - 1)
    lv = np.log(values)
    lo = np.where(pos > 0, (lv + logs[np.maximum(pos - 1, 0)]) / 2, lv)
    hi = np.where(pos < len(logs) - 1, (lv + logs[np.minimum(pos + 1, len(logs) - 1)]) / 2, lv)
    return lo, hi


def sample_weights(
    p: Problem,
    n_samples: int,
    source: Source = "panel",
    *,
    seed: int = 0,
    panel: PanelResult | None = None,
    spread: float = 0.2,
) -> np.ndarray:
    """Sample global weight vectors, shape (n_samples, n).

    Parameters
    ----------
    source : {"panel", "uniform", "around"}
        ``"panel"``: the panel's disagreement carried through the hierarchy: each sample draws
        the experts with replacement (bootstrap, expert weights kept), moves every judgement
        log-uniformly within the scale's resolution (to the midpoints with its neighbouring
        scale values), and runs the AHP (the panel's method and aggregation; experts excluded
        by the panel stay excluded) into global weights. ``"uniform"``: uniform on the simplex,
        no preference information (Dirichlet(1, ..., 1); Lahdelma & Salminen 2001).
        ``"around"``: the AHP weights times ``exp(spread * z)``, ``z`` standard normal,
        renormalised (``spread`` 0.2 is about +-20%).
    seed : int
        Seed of numpy's default generator: the same seed gives the same samples.
    panel : PanelResult
        Required for ``"panel"``.
    """
    if source not in SOURCES:
        raise CkmError(f"unknown source {source!r}", hint=f"Use one of {', '.join(SOURCES)}")
    if n_samples < 1:
        raise CkmError(f"n_samples = {n_samples}, must be >= 1")
    rng = np.random.default_rng(seed)
    n = len(p.weights)
    if source == "uniform":
        return rng.dirichlet(np.ones(n), size=n_samples)
    if source == "around":
        if spread < 0:
            raise CkmError(f"spread = {spread}, must be >= 0")
        w = p.weights * np.exp(spread * rng.standard_normal((n_samples, n)))
        return w / w.sum(axis=1, keepdims=True)
    if panel is None:
        raise CkmError("sampling from the panel needs the panel's result")
    tree = p.tree
    experts = panel.experts
    k = len(experts)
    lam = np.array([e.weight for e in experts])
    draws = rng.integers(0, k, size=(n_samples, k))
    counts = np.zeros((n_samples, k))
    np.add.at(counts, (np.arange(n_samples)[:, None], draws), 1.0)
    local: dict[str, np.ndarray] = {}
    for node in tree.inner_nodes:
        res = panel.nodes[node]
        n_c = len(res.criteria)
        included = {r.expert for r in res.experts if not r.excluded}
        base = np.stack([e.matrix(tree, node) for e in experts])  # (k, n, n)
        use = np.array([e.id in included for e in experts])
        iu = np.triu_indices(n_c, 1)
        upper = base[:, iu[0], iu[1]]  # (k, pairs)
        known = ~np.isnan(upper)
        lo, hi = _half_steps(np.where(known, upper, 1.0))
        u = rng.random((n_samples, *upper.shape))
        logs = np.where(known, lo + u * (hi - lo), np.nan)  # (s, k, pairs)
        wk = counts * lam * use  # (s, k)
        if res.experts and not wk.any(axis=1).all():
            # A draw without any included expert: fall back to the whole included panel.
            empty = ~wk.any(axis=1)
            wk[empty] = lam * use
        if panel.aggregation == "aij":
            kw = np.where(known[None], wk[:, :, None], 0.0)
            tot = kw.sum(axis=1)
            with np.errstate(invalid="ignore"):
                agg = np.where(known[None], logs, 0.0)
                mean = (agg * kw).sum(axis=1) / tot  # (s, pairs)
            mats = np.full((n_samples, n_c, n_c), np.nan)
            mats[:, iu[0], iu[1]] = np.exp(mean)
            mats[:, iu[1], iu[0]] = np.exp(-mean)
            idx = np.arange(n_c)
            mats[:, idx, idx] = 1.0
            local[node] = ahp.priorities_batch(mats, panel.method)
        else:
            mats = np.full((n_samples, k, n_c, n_c), np.nan)
            mats[:, :, iu[0], iu[1]] = np.exp(logs)
            mats[:, :, iu[1], iu[0]] = np.exp(-logs)
            idx = np.arange(n_c)
            mats[:, :, idx, idx] = 1.0
            answered = np.array([e.answered(tree, node) for e in experts])
            pr = np.zeros((n_samples, k, n_c))
            pr[:, answered] = ahp.priorities_batch(mats[:, answered], panel.method)
            ww = wk * answered
            agg = (pr * ww[:, :, None]).sum(axis=1)
            local[node] = agg / agg.sum(axis=1, keepdims=True)
    return _compose_batch(tree, local)


# ---------------------------------------------------------------- SMAA-2


@dataclass(frozen=True)
class Acceptability:
    """SMAA-2 results (Lahdelma & Salminen 2001, Operations Research 49(3), 444-454).

    Attributes
    ----------
    rank_acceptability : numpy.ndarray
        Shape (m, k): ``b_i^r``, the share of samples in which customer i takes rank r (1..k).
    key_probability : numpy.ndarray
        Shape (m,): share of samples in which customer i is in the top k.
    central_weights : numpy.ndarray
        Shape (m, n): the mean weight vector of the samples in which i ranks first (nan where
        i never ranks first).
    confidence : numpy.ndarray
        Shape (m,): 1 when i ranks first under its own central weights, 0 when not, nan when it
        never ranks first. The criteria values are exact here, so SMAA-2's confidence factor
        (the probability of ranking first with the central weights) is 0 or 1.
    n_samples, seed : int
    source : str
    """

    rank_acceptability: np.ndarray
    key_probability: np.ndarray
    central_weights: np.ndarray
    confidence: np.ndarray
    n_samples: int
    seed: int | None
    source: str


def smaa(
    p: Problem,
    weights: np.ndarray,
    *,
    chunk: int = 512,
    workers: int = 2,
    seed: int | None = None,
    source: str = "given",
    progress: Progress | None = None,
) -> Acceptability:
    """Rank acceptability, key-source probability, central weights and confidence factors.

    The closeness of every customer under every sampled weight vector is computed in chunks of
    ``chunk`` samples by the batched TOPSIS kernel (squared distances as one matrix product), on
    ``workers`` threads, so memory stays at about ``2 * workers * chunk * m`` floats whatever
    the number of samples.

    Parameters
    ----------
    weights : numpy.ndarray
        Shape (s, n), e.g. from :func:`sample_weights`.
    seed, source : int and str
        Recorded in the result.
    """
    w_all = np.asarray(weights, dtype=float)
    s, n = w_all.shape
    m, k = len(p.ids), p.k
    starts = list(range(0, s, chunk))
    done = [0]
    lock = threading.Lock()

    def work(start: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        w = w_all[start : start + chunk]
        top = key_sets(p.deviations, w, k)
        counts = np.bincount((top * k + np.arange(k)).ravel(), minlength=m * k)
        first = top[:, 0]
        first_n = np.bincount(first, minlength=m)
        first_sum = np.stack(
            [np.bincount(first, weights=w[:, j], minlength=m) for j in range(n)], axis=1
        )
        if progress:
            with lock:
                done[0] += len(w)
                progress(done[0], s)
        return counts, first_n, first_sum

    # numpy releases the GIL in the matrix products, the division and argmin, so threads run
    # the chunks side by side (benchmarks/bench_sensitivity.py).
    with ThreadPoolExecutor(max_workers=min(workers, len(starts))) as pool:
        parts = list(pool.map(work, starts))
    counts = sum(x[0] for x in parts)
    first_n = sum(x[1] for x in parts)
    first_sum = sum(x[2] for x in parts)
    acc = counts.reshape(m, k) / s
    with np.errstate(invalid="ignore"):
        central = first_sum / first_n[:, None]
    confidence = np.full(m, np.nan)
    winners = np.flatnonzero(first_n)
    if winners.size:
        c = np.atleast_2d(p.closeness(central[winners]))
        confidence[winners] = (np.argmax(c, axis=1) == winners).astype(float)
    return Acceptability(
        rank_acceptability=acc,
        key_probability=acc.sum(axis=1),
        central_weights=central,
        confidence=confidence,
        n_samples=s,
        seed=seed,
        source=source,
    )
