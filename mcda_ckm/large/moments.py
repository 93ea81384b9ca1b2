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
    """The sums one objective weighting method needs, over the chunks added so far.

    Fed a column at a time (:meth:`add_column`, then :meth:`end_chunk`), right after pass 1 has
    read the same column for its own statistics: the column is then still in the processor's
    cache, which reading all the chunk's columns again later would not find.
    """

    def __init__(self, method: str, n: int) -> None:
        self.method = method
        self.n = n
        self.count = 0
        self.sums: list[np.ndarray] = []
        self.xlogx: list[np.ndarray] = []
        self.mean = np.zeros(n)
        self.shift = np.full(n, np.nan)
        self.comoment = np.zeros((n, n)) if method == "critic" else np.zeros(n)
        self.buffer = np.empty(BLOCK)
        self.block = np.empty((0, 0))
        self.part_s = np.zeros(n)
        self.part_t = np.zeros(n)

    def add(self, columns: Sequence[np.ndarray], lows: np.ndarray | None = None) -> None:
        """Fold one chunk's columns (equal lengths, float64) in; ``lows``, the chunk's column
        minima when known, spare entropy the guard against ``ln 0`` on positive columns."""
        for j, c in enumerate(columns):
            self.add_column(j, c, None if lows is None else float(lows[j]))
        self.end_chunk(len(columns[0]) if columns else 0)

    def add_column(self, j: int, c: np.ndarray, low: float | None = None) -> None:
        """Column ``j`` of the current chunk (``low``: its minimum, when known)."""
        m = len(c)
        if not m:
            return
        if self.method == "entropy":
            self.part_s[j], self.part_t[j] = entropy_sums(c, self.buffer, low)
            return
        if np.isnan(self.shift[j]):  # the first chunk's mean: the shift of every chunk
            self.shift[j] = float(np.mean(c))
        k = self.shift[j]
        if self.method == "std":
            self.part_s[j], self.part_t[j] = shifted_sums(c, k, self.buffer)
            return
        if self.block.shape[0] < m:
            self.block = np.empty((m, self.n), order="F")
        np.subtract(c, k, out=self.block[:m, j])

    def end_chunk(self, m: int) -> None:
        """Close the current chunk of ``m`` rows (every column added)."""
        if not m:
            return
        if self.method == "entropy":
            self.sums.append(self.part_s.copy())
            self.xlogx.append(self.part_t.copy())
            self.count += m
            return
        if self.method == "std":
            s = self.part_s.copy()
            m_b = self.part_t - s * s / m
        else:
            # one matrix product (BLAS) over the shifted chunk
            x = self.block[:m]
            s = x.sum(axis=0)
            m_b = x.T @ x - np.outer(s, s) / m
        mean_b = self.shift + s / m
        n_a, n = self.count, self.count + m
        delta = mean_b - self.mean
        if self.method == "critic":
            self.comoment += m_b + np.outer(delta, delta) * (n_a * m / n)
        else:
            self.comoment += m_b + delta * delta * (n_a * m / n)
        self.mean = self.mean + delta * (m / n)
        self.count = n

    def column_sums(self) -> np.ndarray:
        """``S_j``, by :func:`math.fsum` of the chunks' sums (entropy)."""
        return np.array([math.fsum(s[j] for s in self.sums) for j in range(self.n)])

    def column_xlogx(self) -> np.ndarray:
        """``T_j = sum x ln x``, by :func:`math.fsum` of the chunks' sums (entropy)."""
        return np.array([math.fsum(s[j] for s in self.xlogx) for j in range(self.n)])

    def matrix(self) -> np.ndarray:
        """The co-moment matrix (n x n; std: its diagonal as a diagonal matrix)."""
        return self.comoment if self.comoment.ndim == 2 else np.diag(self.comoment)


def entropy_sums(c: np.ndarray, buffer: np.ndarray, low: float | None) -> tuple[float, float]:
    """``sum x`` and ``sum x ln x`` of a column, a cache-sized block at a time (``x ln x``
    takes three operations per value; no BLAS call per block: each wakes its threads)."""
    s = t = 0.0
    positive = low is not None and low >= TINY
    for a in range(0, len(c), BLOCK):
        part = c[a : a + BLOCK]
        buf = buffer[: len(part)]
        if positive:
            np.log(part, out=buf)
        else:
            np.maximum(part, TINY, out=buf)
            np.log(buf, out=buf)
        np.multiply(part, buf, out=buf)
        t += float(np.sum(buf))
        s += float(np.sum(part))
    return s, t


def shifted_sums(c: np.ndarray, k: float, buffer: np.ndarray) -> tuple[float, float]:
    """``sum (x - k)`` and ``sum (x - k)^2`` of a column, a cache-sized block at a time."""
    s = q = 0.0
    for a in range(0, len(c), BLOCK):
        part = c[a : a + BLOCK]
        buf = buffer[: len(part)]
        np.subtract(part, k, out=buf)
        s += float(np.sum(buf))
        np.square(buf, out=buf)
        q += float(np.sum(buf))
    return s, q
