"""The key sources of a stream of scores: the top k kept exactly across chunks, and the full
rank column by an out-of-core bucket sort, both by the one tie rule of
:func:`mcda_ckm.ranking.topsis.tie_order`.
"""

from __future__ import annotations

import math
import shutil
import tempfile
from pathlib import Path

import numpy as np

from mcda_ckm.large.chunks import CHUNK_ROWS, Chunk, as_arrow
from mcda_ckm.large.write import Writer
from mcda_ckm.ranking.topsis import (
    KEY_MARGIN,
    KeyCandidates,
    best_first,
    pick_key_sets,
    select_candidates,
)

__all__ = ["TopK"]

TOP_MARGIN = KEY_MARGIN
"""Candidates for the top-k are kept down to this far (in closeness) below the current k-th
(:data:`mcda_ckm.ranking.topsis.KEY_MARGIN`)."""


class TopK:
    """The k best of a stream of (closeness, input index), by the one tie rule
    (:func:`mcda_ckm.ranking.topsis.tie_order`), holding only the candidates
    (:func:`mcda_ckm.ranking.topsis.select_candidates`: within ``margin`` of the current k-th)
    and their distances."""

    def __init__(self, k: int, margin: float = TOP_MARGIN) -> None:
        self.k, self.margin = k, margin
        self.c = np.empty(0)
        self.index = np.empty(0, dtype=np.int64)
        self.distances = np.empty((0, 2))  # d_plus, d_minus of each candidate

    def add(
        self, c: np.ndarray, index: np.ndarray, d_plus: np.ndarray, d_minus: np.ndarray
    ) -> None:
        """Fold in a chunk's closeness, input indices and distances: the chunk's own
        candidates first, then those of the chunk and of the chunks before together (the merge
        of :func:`mcda_ckm.ranking.topsis.merge_candidates`)."""
        keep = self._candidates(c)
        c = np.concatenate([self.c, c[keep]])
        index = np.concatenate([self.index, index[keep]])
        dist = np.concatenate([self.distances, np.column_stack([d_plus[keep], d_minus[keep]])])
        keep = self._candidates(c)
        self.c, self.index, self.distances = c[keep], index[keep], dist[keep]

    def _candidates(self, c: np.ndarray) -> np.ndarray:
        """Positions of the candidates among closeness values ``c``."""
        at = np.arange(c.size, dtype=np.int64)
        kept = select_candidates(c[None], at[None], self.k, self.margin).rows[0]
        return kept[kept < c.size]

    def result(self) -> tuple[np.ndarray, tuple[tuple[int, ...], ...], bool, bool]:
        """(positions in the candidate arrays best first, tie groups as input indices, tie at
        cut-off, exact): ``exact`` is False when the tie group at the cut may reach below the
        candidates (run again with a wider margin)."""
        by_input = np.argsort(self.index, kind="stable")
        c = self.c[by_input]
        order, ties = best_first(c)
        k = min(self.k, c.size)
        top = set(order[:k].tolist())
        groups = [g for g in ties if top & set(g)]
        cand = KeyCandidates(c[None], self.index[by_input][None])
        exact = bool(pick_key_sets(cand, k, self.margin)[1][0])
        straddle = any(set(g) - top for g in groups)
        tie_groups = tuple(tuple(int(self.index[by_input[i]]) for i in g) for g in groups)
        return by_input[order[:k]], tie_groups, straddle, exact


def add_top(
    top: TopK,
    kept: dict[int, tuple[str, str]],
    chunk: Chunk,
    closeness: np.ndarray,
    d_plus: np.ndarray,
    d_minus: np.ndarray,
) -> None:
    """Fold a chunk's scores into ``top`` and remember the id and name of every new candidate."""
    top.add(closeness, chunk.index, d_plus, d_minus)
    first = int(chunk.index[0])
    new = [i for i in top.index.tolist() if i >= first and i not in kept]
    if not new:
        return
    at = [i - first for i in new]
    ids = ids_at(chunk, np.array(at, dtype=np.int64))
    names = [str(chunk.names[i].as_py()) for i in at] if chunk.names is not None else ids
    for i, cid, name in zip(new, ids, names, strict=True):
        kept[i] = (cid, str(name))


def ids_at(chunk: Chunk, at: np.ndarray) -> list[str]:
    """The ids of the chunk's rows at positions ``at``, as text."""
    assert chunk.ids is not None
    # Element by element: a few candidates per chunk, and Array.take would import
    # pyarrow.compute (slow to import) for them.
    return [str(chunk.ids[int(i)].as_py()) for i in np.asarray(at).tolist()]


BUCKET_ROWS = 1 << 22
"""Target rows per closeness bucket (and per range of the rank column): 64 MB of (closeness,
index) pairs."""


class RankSink:
    """Ranks of every customer without holding the scores: (closeness, index) pairs go to
    bucket files by closeness (edges from the quantiles of the first chunk); each bucket, from
    the best down, is ordered by :func:`mcda_ckm.ranking.topsis.best_first` with the tie chain
    at its low end carried into the next (so a tie across an edge is still broken by input
    order); the ranks go to files by index range, and a last pass joins them to the scores."""

    def __init__(self, m: int, parent: Path) -> None:
        self.m = m
        self.folder = Path(tempfile.mkdtemp(prefix=".ckm-ranks-", dir=parent))
        self.scores_path = self.folder / "scores.parquet"
        self.edges: np.ndarray | None = None
        self.record = np.dtype([("c", np.float64), ("i", np.int64)])

    def add(self, closeness: np.ndarray, index: np.ndarray) -> None:
        if self.edges is None:
            buckets = max(1, min(4096, math.ceil(self.m / BUCKET_ROWS)))
            q = np.quantile(closeness, np.linspace(0, 1, buckets + 1)[1:-1])
            self.edges = np.unique(q)
        b = np.searchsorted(self.edges, closeness, side="right")
        order = np.argsort(b, kind="stable")
        cuts = np.flatnonzero(np.diff(b[order])) + 1
        for part in np.split(order, cuts):
            if part.size:
                rec = np.empty(part.size, self.record)
                rec["c"], rec["i"] = closeness[part], index[part]
                with open(self.folder / f"c{int(b[part[0]]):05d}", "ab") as fh:
                    rec.tofile(fh)

    def _ranks(self) -> None:
        """Write (index, rank) pairs to range files r{index // BUCKET_ROWS}."""
        pair = np.dtype([("i", np.int64), ("r", np.int64)])
        assert self.edges is not None
        carry = np.empty(0, self.record)
        next_rank = 1

        def emit(rec: np.ndarray, ranks: np.ndarray) -> None:
            out = np.empty(rec.size, pair)
            out["i"], out["r"] = rec["i"], ranks
            ranges = out["i"] // BUCKET_ROWS
            order = np.argsort(ranges, kind="stable")
            cuts = np.flatnonzero(np.diff(ranges[order])) + 1
            for part in np.split(order, cuts):
                if part.size:
                    with open(self.folder / f"r{int(ranges[part[0]]):07d}", "ab") as fh:
                        out[part].tofile(fh)

        for b in range(self.edges.size, -1, -1):
            name = self.folder / f"c{b:05d}"
            rec = np.fromfile(name, self.record) if name.exists() else np.empty(0, self.record)
            if carry.size:
                rec = np.concatenate([carry, rec])
                rec = rec[np.argsort(rec["i"], kind="stable")]
            if not rec.size:
                continue
            order, ties = best_first(rec["c"])
            held = 1
            if ties and order[-1] in ties[-1]:
                held = len(ties[-1])
            done = order[:-held]
            emit(rec[done], next_rank + np.arange(done.size))
            next_rank += done.size
            carry = rec[order[-held:]]
        if carry.size:
            order, _ = best_first(carry["c"])
            emit(carry[order], next_rank + np.arange(carry.size))

    def finish(self, out: Path) -> None:
        """Join the ranks to the scores and write ``out`` (rank first)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        self._ranks()
        pair = np.dtype([("i", np.int64), ("r", np.int64)])
        loaded: dict[int, np.ndarray] = {}

        def ranks_of(start: int, stop: int) -> np.ndarray:
            out_ranks = np.empty(stop - start, np.int64)
            for r in range(start // BUCKET_ROWS, (stop - 1) // BUCKET_ROWS + 1):
                if r not in loaded:
                    if len(loaded) > 1:
                        loaded.clear()
                    dense = np.zeros(BUCKET_ROWS, np.int64)
                    p = np.fromfile(self.folder / f"r{r:07d}", pair)
                    dense[p["i"] - r * BUCKET_ROWS] = p["r"]
                    loaded[r] = dense
                lo = max(start, r * BUCKET_ROWS)
                hi = min(stop, (r + 1) * BUCKET_ROWS)
                out_ranks[lo - start : hi - start] = loaded[r][
                    lo - r * BUCKET_ROWS : hi - r * BUCKET_ROWS
                ]
            return out_ranks

        writer = None
        ok = False
        try:
            start = 0
            with pq.ParquetFile(self.scores_path, pre_buffer=False) as pf:
                for batch in pf.iter_batches(batch_size=CHUNK_ROWS):
                    stop = start + batch.num_rows
                    table = pa.Table.from_batches([batch])
                    table = table.add_column(0, "rank", as_arrow(ranks_of(start, stop)))
                    if writer is None:
                        writer = Writer(out, table.schema)
                    writer.write(table)
                    start = stop
            ok = True
        finally:
            if writer is not None:
                writer.close(ok)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
