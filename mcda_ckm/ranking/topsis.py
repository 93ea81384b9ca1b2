"""TOPSIS ranking of customers: the one kernel, the one tie rule, and the checked front end.

TOPSIS (Hwang & Yoon 1981, *Multiple Attribute Decision Making*, Springer, pp. 128-134) ranks
alternatives by their relative closeness to the ideal solution::

    r_ij = normalise(x_ij)                    vector: x_ij / sqrt(sum_i x_ij^2)
                                              min-max: (x_ij - min_j) / (max_j - min_j)
    v_ij = w_j r_ij
    v+_j = best v_ij over i, v-_j = worst     (max for a benefit criterion, min for a cost one)
    D+_i = sqrt(sum_j (v_ij - v+_j)^2)        distance to the ideal (paper: S_i*)
    D-_i = sqrt(sum_j (v_ij - v-_j)^2)        distance to the anti-ideal (paper: S_i-)
    C_i  = D-_i / (D+_i + D-_i)               closeness, in [0, 1], larger is better

Both normalisations are a per-column scale ``s_j`` of the raw values (``1 / sqrt(sum x^2)`` or
``1 / (max - min)``), and the ideal of a scaled column is the scaled best raw value, so
``(v_ij - v+_j)^2 = (w_j s_j)^2 (x_ij - x+_j)^2``. The kernel therefore computes the squared raw
deviations once and gets the squared distances for any number of weight vectors as one matrix
product ``dev^2 @ (w s)^2``: the form the sensitivity analysis batches. It equals pymcdm's TOPSIS
with the same normalisation (whose cost variants ``1 - r`` and ``(max - x) / (max - min)`` give the
same distances) to rounding.

Every front end goes through this module: :func:`rank` (one weight vector, in memory), the
sensitivity analysis (many weight vectors: :func:`distances` and :func:`key_sets`), and the
bounded-memory engines (:func:`score_columns`, the blocked scorer with a whole file's
statistics, and the key-set candidates merged across chunks). The key set of every one of them
is chosen by one tie rule, :func:`tie_order`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from mcda_ckm.errors import CkmError, DataError
from mcda_ckm.model.matrix import (
    DecisionMatrix,
    array_where,
    check_normalization,
    column_min_max,
    ranges_of,
)

__all__ = [
    "KEY_MARGIN",
    "TIE_TOLERANCE",
    "Contributions",
    "Deviations",
    "KeyCandidates",
    "Ranking",
    "best_first",
    "closeness_of",
    "deviations",
    "distances",
    "key_sets",
    "merge_candidates",
    "pick_key_sets",
    "rank",
    "sample_candidates",
    "score_columns",
    "select_candidates",
    "tie_order",
]

TIE_TOLERANCE = 1e-12
"""Closeness coefficients this close (absolute) are a tie, broken by input order: the front ends
compute closeness by different floating-point paths that agree only to rounding, so two
customers with identical values can differ in the last bits (see :func:`tie_order`)."""


# --- the kernel (plain arrays, no validation) -----------------------------------------------


class Deviations(NamedTuple):
    """What the kernel needs from a decision matrix, independent of the weights.

    ``to_ideal[i, j] = (x_ij - x+_j)^2`` and ``to_anti_ideal[i, j] = (x_ij - x-_j)^2`` in raw
    units, and ``scale2[j] = s_j^2``, the squared normalisation factor of column j (0 for a
    constant column under min-max, which then adds nothing). Only their products matter: for
    data whose squares would overflow or underflow, a column is first scaled by a power of two
    (see :func:`balance_scales`).
    """

    to_ideal: np.ndarray
    to_anti_ideal: np.ndarray
    scale2: np.ndarray


def deviations(
    values: np.ndarray,
    directions: np.ndarray,
    normalization: str,
    lo: np.ndarray | None = None,
    hi: np.ndarray | None = None,
    scale2: np.ndarray | None = None,
) -> Deviations:
    """Squared deviations of every cell from its column's ideal and anti-ideal, and the scale.

    Assumes finite values (and, for "vector", non-negative columns that are not all zero).
    Allocates two arrays the size of ``values`` and no temporaries of that size. ``lo``, ``hi``
    (raw column extremes) and ``scale2`` (in the units of :func:`balance_scales`) default to
    those of ``values``; the bounded-memory engines pass the whole file's, so that a chunk is
    scored as part of the file and not normalised on its own.
    """
    if lo is None or hi is None:
        lo, hi = column_min_max(values)
    values, lo, hi = balance_scales(values, lo, hi)
    benefit = directions > 0
    ideal = np.where(benefit, hi, lo)
    anti = np.where(benefit, lo, hi)
    to_ideal = np.subtract(values, ideal)
    np.square(to_ideal, out=to_ideal)
    to_anti = np.subtract(values, anti)
    np.square(to_anti, out=to_anti)
    if scale2 is None:
        if normalization == "vector":
            scale2 = 1.0 / np.einsum("ij,ij->j", values, values)
        else:
            span = hi - lo
            scale2 = np.divide(1.0, span * span, out=np.zeros_like(span), where=span > 0)
    return Deviations(to_ideal, to_anti, scale2)


def balance_scales(
    values: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The values with each column scaled by a power of two so that its largest magnitude lies in
    [0.5, 1), when some column is so large or small that its squares would overflow or underflow.

    Closeness does not change when a column is scaled by a positive constant (under both
    normalisations), and a power of two scales exactly; common data is returned as is.
    """
    top = np.maximum(np.abs(lo), np.abs(hi))
    if np.all((top == 0) | ((top > 2.0**-300) & (top < 2.0**300))):
        return values, lo, hi
    exponent = np.where(top > 0, np.frexp(top)[1], 0)
    return np.ldexp(values, -exponent), np.ldexp(lo, -exponent), np.ldexp(hi, -exponent)


def distances(
    dev: Deviations,
    weights: np.ndarray,
    out: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Squared distances to the ideal and anti-ideal for one or many weight vectors.

    ``weights`` of shape (n,) gives two arrays of shape (m,); of shape (s, n), two of (s, m);
    into ``out`` when given.
    """
    factors = np.square(weights) * dev.scale2  # (w_j s_j)^2, shape (n,) or (s, n)
    d_plus2, d_minus2 = (None, None) if out is None else out
    if factors.ndim == 2:
        return (
            np.matmul(factors, dev.to_ideal.T, out=d_plus2),
            np.matmul(factors, dev.to_anti_ideal.T, out=d_minus2),
        )
    return (
        np.matmul(dev.to_ideal, factors, out=d_plus2),
        np.matmul(dev.to_anti_ideal, factors, out=d_minus2),
    )


def closeness_of(
    d_plus2: np.ndarray, d_minus2: np.ndarray, out: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(closeness, d_plus, d_minus) from squared distances, in place: consumes its arguments
    (the closeness goes to ``out`` when given)."""
    d_plus = np.sqrt(d_plus2, out=d_plus2)
    d_minus = np.sqrt(d_minus2, out=d_minus2)
    total = np.add(d_plus, d_minus, out=out)
    closeness = np.divide(d_minus, total, out=total)
    return closeness, d_plus, d_minus


SCORE_BLOCK = 1 << 13
"""Rows scored at a time by :func:`score_columns`: its (n, block) scratch arrays stay in cache."""


def score_columns(
    columns: Sequence[np.ndarray],
    directions: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    scale2: np.ndarray,
    weights: np.ndarray,
    out: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(closeness, d_plus, d_minus) of rows given as columns, with a whole file's statistics:
    the blocked scorer of the bounded-memory engines.

    ``lo``, ``hi`` are the file's raw column extremes and ``scale2`` its squared normalisation
    factors in the units of :func:`balance_scales` (a chunk's own would normalise the chunk on
    its own). The arithmetic is that of :func:`deviations`, :func:`distances` and
    :func:`closeness_of`, which it calls on blocks of :data:`SCORE_BLOCK` rows: the squared
    deviations of a block are written as (n, block), each column contiguous, so that the block
    seen transposed is the (block, n) matrix of ``deviations`` and the same matrix-vector
    product sums over the criteria. No (rows, n) matrix is stacked from the columns and no
    temporary larger than a block is allocated; fresh memory is what a pass over a large file
    mostly pays for. ``out`` (three arrays of the rows' length) lets a caller reuse its memory.
    """
    n = len(columns)
    m = columns[0].size if n else 0
    _, blo, bhi = balance_scales(np.empty((0, n)), lo, hi)
    scaled = not (np.array_equal(blo, lo) and np.array_equal(bhi, hi))
    top = np.maximum(np.abs(lo), np.abs(hi))
    shift = (-np.where(top > 0, np.frexp(top)[1], 0)).tolist() if scaled else None
    benefit = directions > 0
    ideal = np.where(benefit, bhi, blo).tolist()
    anti = np.where(benefit, blo, bhi).tolist()
    closeness, d_plus, d_minus = (np.empty(m), np.empty(m), np.empty(m)) if out is None else out
    size = min(m, SCORE_BLOCK)
    scratch = (np.empty((n, size)), np.empty((n, size)))
    x_scaled = np.empty(size) if scaled else None
    for a in range(0, m, SCORE_BLOCK):
        b = min(a + SCORE_BLOCK, m)
        blocks = scratch if b - a == size else (np.empty((n, b - a)), np.empty((n, b - a)))
        for j, col in enumerate(columns):
            x = col[a:b]
            if shift is not None and x_scaled is not None:
                x = np.ldexp(x, shift[j], out=x_scaled[: b - a])
            for block, target in zip(blocks, (ideal[j], anti[j]), strict=True):
                row = block[j]
                np.subtract(x, target, out=row)
                np.square(row, out=row)
        dev = Deviations(blocks[0].T, blocks[1].T, scale2)
        distances(dev, weights, out=(d_plus[a:b], d_minus[a:b]))
        closeness_of(d_plus[a:b], d_minus[a:b], out=closeness[a:b])
    return closeness, d_plus, d_minus


def _topsis(
    values: np.ndarray,
    weights: np.ndarray,
    directions: np.ndarray,
    normalization: str = "vector",
) -> np.ndarray:
    """TOPSIS closeness for one weight vector (n,) -> (m,), or many (s, n) -> (s, m).

    No validation: ``values`` finite (m, n) float64, weights >= 0, directions +1/-1, and the
    values suitable for ``normalization`` (see
    :func:`mcda_ckm.model.matrix.check_for_normalization`).
    When every weighted criterion is constant, closeness is 0/0 = NaN.
    """
    dev = deviations(values, directions, normalization)
    with np.errstate(invalid="ignore"):
        return closeness_of(*distances(dev, np.asarray(weights, dtype=np.float64)))[0]


def _contributions(
    dev: Deviations, weights: np.ndarray, d_plus2: np.ndarray, d_minus2: np.ndarray
) -> Contributions:
    """Shares of each criterion in each customer's squared distances, computed in place of
    ``dev`` (which is consumed)."""
    factors = np.square(weights) * dev.scale2
    out = []
    for squares, total in ((dev.to_ideal, d_plus2), (dev.to_anti_ideal, d_minus2)):
        np.multiply(squares, factors, out=squares)
        np.divide(squares, total[:, None], out=squares, where=total[:, None] > 0)
        squares[total == 0] = 0.0
        out.append(squares)
    return Contributions(to_ideal=out[0], to_anti_ideal=out[1])


# --- the public ranking ---------------------------------------------------------------------


@dataclass(frozen=True)
class Contributions:
    """Where each customer's distances come from.

    Attributes
    ----------
    to_ideal : numpy.ndarray
        Shape (m, n): ``(v_ij - v+_j)^2 / D+_i^2``, the share of criterion j in customer i's
        squared distance to the ideal. Rows sum to 1 (all 0 for a customer that is the ideal).
    to_anti_ideal : numpy.ndarray
        Shape (m, n): the same for the distance to the anti-ideal.
    """

    to_ideal: np.ndarray
    to_anti_ideal: np.ndarray


@dataclass(frozen=True)
class Ranking:
    """The result of :func:`rank`.

    Attributes
    ----------
    closeness : numpy.ndarray
        Shape (m,): ``C_i = D-_i / (D+_i + D-_i)`` in [0, 1], larger is better.
    d_plus, d_minus : numpy.ndarray
        Shape (m,): weighted Euclidean distances to the ideal and to the anti-ideal.
    ranks : numpy.ndarray
        Shape (m,), int: 1 = best. Every rank is distinct: ties are broken by input order.
    order : numpy.ndarray
        Shape (m,), int: customer indices from best to worst (``ranks[order] == 1..m``).
    top_k : numpy.ndarray
        Indices of the ``k`` key sources, best first (empty when ``k`` is None).
    k : int or None
    ties : tuple of tuple of int
        Groups of customer indices whose closeness is equal (within :data:`TIE_TOLERANCE`), each
        in input order, which is also their rank order.
    contributions : Contributions or None
        Per customer and criterion, shares of the squared distances (None if not asked for).
    weights : numpy.ndarray
        The weights used, scaled to sum to 1 (TOPSIS closeness does not depend on their scale).
    normalization : str
    ids, criteria : tuple of str or None
        Names of the customers and criteria, when ranked from a :class:`DecisionMatrix`.
    """

    closeness: np.ndarray
    d_plus: np.ndarray
    d_minus: np.ndarray
    ranks: np.ndarray
    order: np.ndarray
    top_k: np.ndarray
    k: int | None
    ties: tuple[tuple[int, ...], ...]
    contributions: Contributions | None
    weights: np.ndarray
    normalization: str
    ids: tuple[str, ...] | None = None
    criteria: tuple[str, ...] | None = None

    @property
    def key_sources(self) -> tuple[str, ...]:
        """Ids (or indices as strings) of the top-k customers, best first."""
        return tuple(self._name(int(i)) for i in self.top_k)

    @property
    def tie_at_cutoff(self) -> bool:
        """Whether a tie straddles the top-k cut, so that input order decided a key source."""
        if self.k is None:
            return False
        inside = set(self.top_k.tolist())
        return any(inside & set(g) and set(g) - inside for g in self.ties)

    def _name(self, i: int) -> str:
        return self.ids[i] if self.ids is not None else str(i)


def tie_order(
    closeness: np.ndarray, index: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """THE tie rule: positions best first, for one array of closeness (m,) or, row by row, many
    (s, q).

    Sorted by closeness, larger first; values whose gap to the next is at most
    :data:`TIE_TOLERANCE` form one tie group (chained: a run of such gaps is one group), and
    inside a group the smaller input ``index`` (default: the position) comes first. NaN counts
    as tied with its neighbour (it arises only when every weighted criterion is constant, for
    every customer at once: then all are tied and input order decides).

    Why a tolerance and not an exact order: the front ends compute the same closeness by
    different floating-point paths (a matrix-vector product for one weight vector, a
    matrix-matrix product for many, blocks of a chunk in the stream, ``1 / (1 + sqrt(D+^2 /
    D-^2))`` in the batched top-k), which agree to a few units in the last place (about 1e-16),
    not exactly. Under an exact order, rounding would decide the order of identical customers,
    differently in each path, so the key set that the sensitivity analysis protects could
    differ from the one the ranking reports. A tolerance 10^4 times the rounding and far below
    any difference that means something makes every path give the same order.

    Returns
    -------
    order : numpy.ndarray
        Positions into ``closeness``, best first (same shape).
    tied : numpy.ndarray of bool
        Shape (..., q - 1): whether the entries at ``order[..., p]`` and ``order[..., p + 1]``
        are in one tie group.
    """
    one = closeness.ndim == 1
    c = np.atleast_2d(closeness)
    s, q = c.shape
    order = np.argsort(-c, axis=1)
    ordered = np.take_along_axis(c, order, axis=1)
    with np.errstate(invalid="ignore"):  # -inf - -inf (padding) and NaN: tied
        tied = ~((ordered[:, :-1] - ordered[:, 1:]) > TIE_TOLERANCE)
    if tied.any():
        # Re-sort only the positions inside tie groups, by (group, input index); group numbers
        # run on across rows, so one flat sort serves every row.
        starts = np.ones((s, q), dtype=bool)
        starts[:, 1:] = ~tied
        group = np.cumsum(starts.ravel())
        inside = np.zeros((s, q), dtype=bool)
        inside[:, :-1] |= tied
        inside[:, 1:] |= tied
        at = np.flatnonzero(inside)
        flat = order.ravel()
        key = (
            flat[at]
            if index is None
            else np.take_along_axis(np.atleast_2d(index), order, axis=1).ravel()[at]
        )
        flat[at] = flat[at][np.lexsort((key, group[at]))]
        order = flat.reshape(s, q)
    if one:
        return order[0], tied[0]
    return order, tied


def best_first(closeness: np.ndarray) -> tuple[np.ndarray, tuple[tuple[int, ...], ...]]:
    """Indices best first by :func:`tie_order` (the one tie rule), and the tie groups, each in
    input order."""
    order, tied = tie_order(closeness)
    if not tied.any():
        return order, ()
    edges = np.flatnonzero(np.diff(np.concatenate(([0], tied.view(np.int8), [0]))))
    ties = tuple(
        tuple(order[a : b + 1].tolist()) for a, b in zip(edges[::2], edges[1::2], strict=True)
    )
    return order, ties


# --- key sets: the top k by the one rule, for many weight vectors and across chunks ----------


KEY_MARGIN = 1e-9
"""Candidates for a key set are kept down to this far (in closeness) below the k-th best: far
more than :data:`TIE_TOLERANCE`, so that any tie group reaching the cut is seen whole (checked,
by :func:`pick_key_sets`; a caller widens the margin when not)."""


class KeyCandidates(NamedTuple):
    """Per weight vector (row), the customers that can be in its key set.

    ``closeness`` and ``rows`` (their input indices) have shape (s, q); a weight vector with
    fewer candidates is padded with closeness -inf and input index :data:`PAD_INDEX`. Every
    customer left out has a closeness below the k-th best minus the margin.
    """

    closeness: np.ndarray
    rows: np.ndarray


PAD_INDEX = np.iinfo(np.int64).max


def select_candidates(
    closeness: np.ndarray, index: np.ndarray, k: int, margin: float = KEY_MARGIN
) -> KeyCandidates:
    """The entries of each row within ``margin`` of the row's k-th largest closeness.

    ``closeness`` and ``index`` of shape (s, q). Used to prune a row of scores to its
    candidates, and to merge the candidates of two chunks (concatenated): an entry within the
    margin of the merged k-th is within it of every partial k-th, so no candidate is lost.
    """
    c = closeness
    nan = np.isnan(c)
    if nan.any():
        c = np.where(nan, -np.inf, c)
    s, q = c.shape
    if q <= k:
        return KeyCandidates(c, np.asarray(index, dtype=np.int64))
    kth = np.partition(c, q - k, axis=1)[:, q - k]
    keep = c >= (kth - margin)[:, None]
    counts = keep.sum(axis=1)
    width = int(counts.max())
    rows, cols = np.nonzero(keep)
    slot = np.arange(rows.size) - np.repeat(np.cumsum(counts) - counts, counts)
    out_c = np.full((s, width), -np.inf)
    out_i = np.full((s, width), PAD_INDEX, dtype=np.int64)
    out_c[rows, slot] = c[rows, cols]
    out_i[rows, slot] = np.asarray(index)[rows, cols]
    return KeyCandidates(out_c, out_i)


def merge_candidates(
    a: KeyCandidates, b: KeyCandidates, k: int, margin: float = KEY_MARGIN
) -> KeyCandidates:
    """The candidates of two parts of the customers (two chunks, two partitions) together."""
    return select_candidates(
        np.concatenate([a.closeness, b.closeness], axis=1),
        np.concatenate([a.rows, b.rows], axis=1),
        k,
        margin,
    )


def sample_candidates(
    dev: Deviations,
    weights: np.ndarray,
    k: int,
    index: np.ndarray | None = None,
    margin: float = KEY_MARGIN,
) -> KeyCandidates:
    """The key-set candidates of every weight vector (s, n) over the customers of ``dev``.

    The customers are first ordered by ``D+^2 / D-^2``: ``C = 1 / (1 + sqrt(D+^2 / D-^2))``
    decreases with that ratio, so no square root is taken over the whole (s, m) array. The k
    best are found by k passes of argmin (for small k several times faster than argpartition
    and a sort) and one more pass gives the best of the rest: when it is more than
    ``margin`` below the k-th in closeness, the k are the candidates; only the other rows
    are scanned whole (:func:`select_candidates`).
    """
    m = dev.to_ideal.shape[0]
    idx = np.arange(m, dtype=np.int64) if index is None else np.asarray(index, dtype=np.int64)
    d_plus2, d_minus2 = distances(dev, np.atleast_2d(weights))
    s = d_plus2.shape[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.divide(d_plus2, d_minus2, out=d_plus2)
    if (k + 1) * 4 > m:
        with np.errstate(invalid="ignore"):
            c = 1.0 / (1.0 + np.sqrt(ratio))
        return select_candidates(c, np.broadcast_to(idx, c.shape), k, margin)
    rows = np.arange(s)
    top = np.empty((s, k), dtype=np.intp)
    best = np.empty((s, k))
    for r in range(k):
        top[:, r] = np.argmin(ratio, axis=1)
        best[:, r] = ratio[rows, top[:, r]]
        ratio[rows, top[:, r]] = np.inf
    rest = ratio[rows, np.argmin(ratio, axis=1)]  # argmin and a gather: faster than min
    with np.errstate(invalid="ignore"):
        c_top = 1.0 / (1.0 + np.sqrt(best))
        c_rest = 1.0 / (1.0 + np.sqrt(rest))
    scan = ~(c_top.min(axis=1) - c_rest > margin)  # NaN: scanned
    out = KeyCandidates(np.where(np.isnan(c_top), -np.inf, c_top), idx[top])
    if not scan.any():
        return out
    sub = np.flatnonzero(scan)
    for r in range(k):
        ratio[sub, top[sub, r]] = best[sub, r]
    with np.errstate(invalid="ignore"):
        c = 1.0 / (1.0 + np.sqrt(ratio[sub]))
    wide = select_candidates(c, np.broadcast_to(idx, c.shape), k, margin)
    width = max(k, wide.closeness.shape[1])
    out_c = np.full((s, width), -np.inf)
    out_i = np.full((s, width), PAD_INDEX, dtype=np.int64)
    out_c[:, :k], out_i[:, :k] = out.closeness, out.rows
    out_c[sub] = -np.inf
    out_i[sub] = PAD_INDEX
    out_c[sub, : wide.closeness.shape[1]] = wide.closeness
    out_i[sub, : wide.closeness.shape[1]] = wide.rows
    return KeyCandidates(out_c, out_i)


def pick_key_sets(
    cand: KeyCandidates, k: int, margin: float = KEY_MARGIN
) -> tuple[np.ndarray, np.ndarray]:
    """The key set of every row by :func:`tie_order`: (input indices (s, k) best first, exact).

    ``exact[r]`` is False when the tie group at row r's cut reaches within
    :data:`TIE_TOLERANCE` of the candidates' floor (the k-th best minus ``margin``), so that a
    customer left out could belong to it: compute again with a wider margin.
    """
    c, index = cand.closeness, cand.rows
    s, q = c.shape
    kk = min(k, q)
    order, tied = tie_order(c, index)
    top = np.take_along_axis(index, order[:, :kk], axis=1)
    if q <= kk:
        return top, np.ones(s, dtype=bool)
    ordered = np.take_along_axis(c, order, axis=1)
    starts = np.ones((s, q), dtype=bool)
    starts[:, 1:] = ~tied
    group = np.cumsum(starts, axis=1)
    at_cut = group[:, kk - 1 : kk] == group
    low = np.where(at_cut, ordered, np.inf).min(axis=1)
    kth = -np.partition(-c, kk - 1, axis=1)[:, kk - 1]
    floor = kth - margin
    exact = (low - floor > TIE_TOLERANCE) | np.isneginf(floor)
    return top, exact


def key_sets(dev: Deviations, weights: np.ndarray, k: int) -> np.ndarray:
    """The key set (top k, best first) of every weight vector (s, n): shape (s, k).

    By the one tie rule (:func:`tie_order`), as :func:`rank` orders one weight vector: the
    candidates of :func:`sample_candidates`, then :func:`pick_key_sets`; a row whose tie
    group at the cut runs past the candidates is ranked whole by :func:`best_first`.
    """
    w = np.atleast_2d(weights)
    top, exact = pick_key_sets(sample_candidates(dev, w, k), k)
    for r in np.flatnonzero(~exact):
        with np.errstate(invalid="ignore", divide="ignore"):
            c = closeness_of(*distances(dev, w[r]))[0]
        top[r] = best_first(c)[0][: top.shape[1]]
    return top


def check_weights(weights: Any, n: int, criteria: Sequence[str] | None) -> np.ndarray:
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (n,):
        raise CkmError(
            f"{w.size} weights for {n} criteria",
            where="weights",
            hint="Give one weight per indicator, in the tree's leaf order",
        )
    bad = np.flatnonzero(~np.isfinite(w) | (w < 0))
    if bad.size:
        j = int(bad[0])
        name = criteria[j] if criteria is not None else f"index {j}"
        raise CkmError(
            f"weight of {name} is {float(w[j])!r}; weights must be finite and >= 0",
            where="weights",
        )
    total = w.sum()
    if total <= 0:
        raise CkmError("every weight is 0", where="weights", hint="Give some criterion a weight")
    return w / total


def check_directions(directions: Any, n: int) -> np.ndarray:
    d = np.asarray(directions)
    if d.shape != (n,) or not np.all((d == 1) | (d == -1)):
        raise CkmError(
            f"directions must be {n} values of +1 (benefit) or -1 (cost), got {d.tolist()}",
            where="directions",
        )
    return d.astype(np.int64)


def rank(
    matrix: DecisionMatrix | Any,
    weights: Any,
    directions: Any = None,
    normalization: str = "vector",
    top_k: int | None = None,
    *,
    contributions: bool = True,
) -> Ranking:
    """Rank customers by TOPSIS closeness to the ideal customer.

    Parameters
    ----------
    matrix : DecisionMatrix or array_like, shape (m, n)
        Raw values; a DecisionMatrix also gives names for errors and results.
    weights : array_like, shape (n,)
        Criterion weights (the AHP global weights), >= 0; scaled to sum to 1.
    directions : array_like, shape (n,), optional
        +1 benefit, -1 cost; default the matrix's own (all benefit for a plain array).
    normalization : {"vector", "minmax"}
        Vector normalisation (Hwang & Yoon 1981, the default) needs values >= 0; min-max takes
        any values.
    top_k : int, optional
        How many key sources to name (1..m).
    contributions : bool
        Whether to compute the per-criterion shares of the distances (two more arrays the size
        of the matrix; needed by :func:`reading`).

    Returns
    -------
    Ranking

    Raises
    ------
    DataError
        On a NaN or infinite value, values the normalisation cannot take, or when every weighted
        criterion is constant (nothing to rank on).
    CkmError
        On bad weights, directions, normalisation name or top_k.

    Examples
    --------
    Hwang & Yoon (1981, pp. 131-134), fighter aircraft; the 4th criterion (cost) is a cost:

    >>> x = [
    ...     [2.0, 1500, 20000, 5.5, 5, 9],
    ...     [2.5, 2700, 18000, 6.5, 3, 5],
    ...     [1.8, 2000, 21000, 4.5, 7, 7],
    ...     [2.2, 1800, 20000, 5.0, 5, 5],
    ... ]
    >>> r = rank(x, [0.2, 0.1, 0.1, 0.1, 0.2, 0.3], [1, 1, 1, -1, 1, 1], top_k=1)
    >>> r.closeness.round(3), r.ranks
    (array([0.643, 0.268, 0.614, 0.312]), array([1, 4, 2, 3]))
    """
    if isinstance(matrix, DecisionMatrix):
        values = matrix.values
        where, path, criteria, ids = matrix.where, matrix.path, matrix.criteria, matrix.ids
        directions = matrix.directions if directions is None else directions
    else:
        values = np.asarray(matrix, dtype=np.float64)
        if values.ndim != 2:
            raise DataError(
                f"the decision matrix must be 2-D (customers x criteria), got shape {values.shape}"
            )
        where, path, criteria, ids = array_where, None, None, None
    m, n = values.shape
    w = check_weights(weights, n, criteria)
    d = np.ones(n, dtype=np.int64) if directions is None else check_directions(directions, n)
    if top_k is not None and (isinstance(top_k, bool) or not 1 <= int(top_k) <= m):
        raise CkmError(f"top_k = {top_k!r}, must be between 1 and {m}", where="top_k")
    lo, hi = check_normalization(
        values,
        normalization,
        ranges=ranges_of(values, where, path),
        where=where,
        criteria=criteria,
        path=path,
    )
    if not np.any((hi > lo) & (w > 0)):
        raise DataError(
            "every weighted criterion has the same value for every customer: nothing to rank on",
            path=path,
            hint="Check the customers file, or give weight to an indicator that varies",
        )
    dev = deviations(values, d, normalization, lo, hi)
    d_plus2, d_minus2 = distances(dev, w)
    shares = _contributions(dev, w, d_plus2, d_minus2) if contributions else None
    del dev
    closeness, d_plus, d_minus = closeness_of(d_plus2, d_minus2)
    order, ties = best_first(closeness)
    ranks = np.empty(m, dtype=np.int64)
    ranks[order] = np.arange(1, m + 1)
    k = None if top_k is None else int(top_k)
    return Ranking(
        closeness=closeness,
        d_plus=d_plus,
        d_minus=d_minus,
        ranks=ranks,
        order=order,
        top_k=order[: k or 0].copy(),
        k=k,
        ties=ties,
        contributions=shares,
        weights=w,
        normalization=normalization,
        ids=ids,
        criteria=criteria,
    )
