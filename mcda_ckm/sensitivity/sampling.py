"""Sampled weight vectors for SMAA: the panel's disagreement carried through the hierarchy, no
preference information (uniform on the simplex), or noise around the AHP weights.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from mcda_ckm.errors import CkmError
from mcda_ckm.model import scale
from mcda_ckm.model.settings import SOURCES, Source
from mcda_ckm.model.tree import CriteriaTree
from mcda_ckm.sensitivity.problem import Problem
from mcda_ckm.weights import ahp
from mcda_ckm.weights.panel import PanelResult

__all__ = ["SOURCES", "Source", "sample_weights"]


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
