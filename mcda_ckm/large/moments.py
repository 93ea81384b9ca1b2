"""Column sums for objective weights, accumulated chunk by chunk in the stream engine's pass 1.

What :func:`mcda_ckm.weights.objective.weights_from_moments` needs, and no more for the method
asked: entropy the column sums ``S_j`` and ``T_j = sum x ln x``; std the centred sums of squares;
CRITIC the whole co-moment matrix. Chunks are merged by the pairwise update of Chan, Golub &
LeVeque (1979, "Updating formulae and a pairwise algorithm for computing sample variances"):
``M = M_a + M_b + delta delta^T n_a n_b / n`` with ``delta = mean_b - mean_a``, which does not
lose the precision that raw sums of squares and cross-products lose to cancellation; the sums
``S`` and ``T`` are kept per chunk and added by :func:`math.fsum`, so that the result does not
depend on the chunking.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = ["ColumnMoments"]


class ColumnMoments:
    """The sums one objective weighting method needs, over the chunks added so far."""

    def __init__(self, method: str, n: int) -> None:
        self.method = method
        self.n = n
        self.count = 0
        self.sums: list[np.ndarray] = []
        self.xlogx: list[np.ndarray] = []
        self.mean = np.zeros(n)
        self.comoment = np.zeros((n, n)) if method == "critic" else np.zeros(n)

    def add(self, columns: Sequence[np.ndarray]) -> None:
        """Fold one chunk's columns (equal lengths, float64) in."""
        m = len(columns[0]) if columns else 0
        if not m:
            return
        if self.method == "entropy":
            self.sums.append(np.array([np.sum(c) for c in columns]))
            t = np.empty(self.n)
            for j, c in enumerate(columns):
                positive = c[c > 0]
                t[j] = np.dot(positive, np.log(positive))
            self.xlogx.append(t)
            self.count += m
            return
        x = np.column_stack(columns)
        mean_b = x.mean(axis=0)
        centred = x - mean_b
        if self.method == "critic":
            m_b = centred.T @ centred
        else:
            m_b = np.einsum("ij,ij->j", centred, centred)
        n_a, n = self.count, self.count + m
        delta = mean_b - self.mean
        if self.method == "critic":
            self.comoment += m_b + np.outer(delta, delta) * (n_a * m / n)
        else:
            self.comoment += m_b + delta * delta * (n_a * m / n)
        self.mean = self.mean + delta * (m / n)
        self.count = n

    def column_sums(self) -> np.ndarray:
        return np.array([math.fsum(s[j] for s in self.sums) for j in range(self.n)])

    def column_xlogx(self) -> np.ndarray:
        return np.array([math.fsum(s[j] for s in self.xlogx) for j in range(self.n)])

    def matrix(self) -> np.ndarray:
        """The co-moment matrix (n x n; std: its diagonal as a diagonal matrix)."""
        return self.comoment if self.comoment.ndim == 2 else np.diag(self.comoment)
