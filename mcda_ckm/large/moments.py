"""Column sums for objective weights, accumulated chunk by chunk in the stream engine's pass 1.

What :func:`mcda_ckm.weights.objective.weights_from_moments` needs, and no more for the method
asked: entropy the column sums ``S_j`` and ``T_j = sum x ln x``; std the centred sums of squares;
CRITIC the whole co-moment matrix.

Chunks are merged by the pairwise update of Chan, Golub & LeVeque (1979, "Updating formulae and
a pairwise algorithm for computing sample variances", Stanford CS report 79-773):
``M = M_a + M_b + delta delta^T n_a n_b / n`` with ``delta = mean_b - mean_a``. Within a chunk
the values are first shifted by the first chunk's means (``K``), so that the chunk's
``X'^T X' - s s^T / m`` (one matrix product) does not lose the precision that raw sums of squares
and cross-products lose to cancellation when the columns sit far from 0. The sums ``S`` and
``T`` are kept per chunk and added by :func:`math.fsum`, so that the result does not depend on the
chunking. Every chunk is computed in scratch arrays reused from chunk to chunk (fresh pages are
what a pass mostly pays for, see :mod:`mcda_ckm.large.prepare`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = ["ColumnMoments"]

BLOCK = 16_384
"""Values of a column taken at a time for ``x ln x`` (128 KiB: the core's L2 cache holds them
between the three operations)."""

TINY = np.finfo(np.float64).tiny
"""``x ln max(x, TINY)`` is ``x ln x`` for every normal x > 0 and exactly 0 at x = 0 (the
limit), without a mask or a second array."""


class ColumnMoments:
    """The sums one objective weighting method needs, over the chunks added so far."""

    def __init__(self, method: str, n: int) -> None:
        self.method = method
        self.n = n
        self.count = 0
        self.sums: list[np.ndarray] = []
        self.xlogx: list[np.ndarray] = []
        self.mean = np.zeros(n)
        self.shift: np.ndarray | None = None
        self.comoment = np.zeros((n, n)) if method == "critic" else np.zeros(n)
        self.buffer = np.empty(0)
        self.block = np.empty((0, 0))

    def add(self, columns: Sequence[np.ndarray], lows: np.ndarray | None = None) -> None:
        """Fold one chunk's columns (equal lengths, float64) in; ``lows``, the chunk's column
        minima when known, spare entropy the guard against ``ln 0`` on positive columns."""
        m = len(columns[0]) if columns else 0
        if not m:
            return
        if self.method == "entropy":
            self.add_entropy(columns, m, lows)
            return
        if self.shift is None:
            self.shift = np.array([np.mean(c) for c in columns])
        k = self.shift
        if self.method == "std":
            s, m_b = self.add_std(columns, k, m)
        else:
            # One shifted copy and one matrix product (BLAS): each value is read from memory
            # once, which is what a pass over a large chunk pays for.
            if self.block.shape[0] < m:
                self.block = np.empty((m, self.n), order="F")
            x = self.block[:m]
            for j, c in enumerate(columns):
                np.subtract(c, k[j], out=x[:, j])
            s = x.sum(axis=0)
            m_b = x.T @ x - np.outer(s, s) / m
        mean_b = k + s / m
        n_a, n = self.count, self.count + m
        delta = mean_b - self.mean
        if self.method == "critic":
            self.comoment += m_b + np.outer(delta, delta) * (n_a * m / n)
        else:
            self.comoment += m_b + delta * delta * (n_a * m / n)
        self.mean = self.mean + delta * (m / n)
        self.count = n

    def add_std(
        self, columns: Sequence[np.ndarray], k: np.ndarray, m: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per column the shifted sum and centred sum of squares of one chunk, a cache-sized
        block at a time (no BLAS call per block: each wakes its threads)."""
        if self.buffer.size < BLOCK:
            self.buffer = np.empty(BLOCK)
        s, q = np.zeros(self.n), np.zeros(self.n)
        for j, c in enumerate(columns):
            for a in range(0, m, BLOCK):
                part = c[a : a + BLOCK]
                buf = self.buffer[: len(part)]
                np.subtract(part, k[j], out=buf)
                s[j] += float(np.sum(buf))
                np.square(buf, out=buf)
                q[j] += float(np.sum(buf))
        return s, q - s * s / m

    def add_entropy(
        self, columns: Sequence[np.ndarray], m: int, lows: np.ndarray | None = None
    ) -> None:
        """``S_j`` and ``T_j`` of one chunk, a cache-sized block at a time: ``x ln x`` takes
        three operations per value, and on a chunk of many rows each would otherwise stream
        the column from memory again."""
        if self.buffer.size < BLOCK:
            self.buffer = np.empty(BLOCK)
        sums, t = np.zeros(self.n), np.zeros(self.n)
        for j, c in enumerate(columns):
            s_j = t_j = 0.0
            positive = lows is not None and lows[j] >= TINY
            for a in range(0, m, BLOCK):
                part = c[a : a + BLOCK]
                buf = self.buffer[: len(part)]
                if positive:
                    np.log(part, out=buf)
                else:
                    np.maximum(part, TINY, out=buf)
                    np.log(buf, out=buf)
                # multiply and sum, not np.dot: a BLAS call per block wakes its threads
                np.multiply(part, buf, out=buf)
                t_j += float(np.sum(buf))
                s_j += float(np.sum(part))
            sums[j], t[j] = s_j, t_j
        self.sums.append(sums)
        self.xlogx.append(t)
        self.count += m

    def column_sums(self) -> np.ndarray:
        """``S_j``, by :func:`math.fsum` of the chunks' sums (entropy)."""
        return np.array([math.fsum(s[j] for s in self.sums) for j in range(self.n)])

    def column_xlogx(self) -> np.ndarray:
        """``T_j = sum x ln x``, by :func:`math.fsum` of the chunks' sums (entropy)."""
        return np.array([math.fsum(s[j] for s in self.xlogx) for j in range(self.n)])

    def matrix(self) -> np.ndarray:
        """The co-moment matrix (n x n; std: its diagonal as a diagonal matrix)."""
        return self.comoment if self.comoment.ndim == 2 else np.diag(self.comoment)
