"""Weight sweeps: one node's local weight moved over [0, 1], its siblings rescaled in
proportion (Triantaphyllou & Sánchez 1997, change-and-renormalise), every customer's closeness
recomputed along the way.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from mcda_ckm.errors import CkmError
from mcda_ckm.model.tree import CriteriaTree
from mcda_ckm.sensitivity.problem import Problem

__all__ = ["Sweep", "sweep", "weight_line"]


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
