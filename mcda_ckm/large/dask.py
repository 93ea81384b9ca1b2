"""The same two-pass ranking on a Dask cluster, for customer bases that outgrow one machine.

The input is partitioned Parquet: a folder of ``.parquet`` files (taken in name order) or one
file (split by row groups); input order, which breaks ties, is that order. Every partition is a
task on the cluster (``distributed``): pass 1 returns its column statistics and its first
invalid rows, and sends its id hashes to hash buckets checked for duplicates by other tasks;
the client combines the statistics with :func:`math.fsum` (as :mod:`mcda_ckm.large.stream`), so the
numbers do not depend on the partitioning. Pass 2 scores every partition with the kernel of
:mod:`mcda_ckm.ranking.topsis`, writes ``part-NNNNN.parquet`` into the output folder, and returns
its
top-k candidates, merged on the client with the tie rule of :func:`mcda_ckm.ranking.topsis.rank`.
Key-source probabilities (:func:`key_probabilities_dask`) take the per-sample top k of every
partition and merge them across partitions.

Workers need mcda_ckm installed and the files on a path they all see (a shared file system).
Without a scheduler address, :func:`connect` starts a ``distributed.LocalCluster``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from mcda_ckm.errors import CkmError, DataError
from mcda_ckm.files import OutputFolder
from mcda_ckm.large.chunks import CHUNK_ROWS, Layout, read_layout
from mcda_ckm.large.ids import first_empty_id, hash_ids, nonempty_hashes
from mcda_ckm.large.prepare import (
    Stats,
    chunk_stats,
    file_scales,
    raise_first_error,
    weights_and_directions,
)
from mcda_ckm.large.read import parquet_chunks
from mcda_ckm.large.sampling import KeyProbabilities, probabilities_of
from mcda_ckm.large.stream import StreamRanking
from mcda_ckm.large.topk import TOP_MARGIN, TopK, add_top, ids_at
from mcda_ckm.large.write import result_table
from mcda_ckm.model.matrix import NORMALIZATIONS
from mcda_ckm.ranking.topsis import (
    KEY_MARGIN,
    KeyCandidates,
    deviations,
    merge_candidates,
    pick_key_sets,
    sample_candidates,
    score_columns,
)

__all__ = ["connect", "criteria_of", "key_probabilities_dask", "rank_dask"]

if TYPE_CHECKING:
    from distributed import Client

    from mcda_ckm.model.tree import CriteriaTree, Scale

HASH_BUCKETS = 16
"""Buckets of the duplicate-id check: each holds about 1/16 of the ids' hashes."""


@contextmanager
def connect(scheduler: str | None = None, n_workers: int = 2) -> Iterator[Client]:
    """A client of the scheduler at ``scheduler`` (``tcp://host:8786``), or of a new
    ``LocalCluster`` of ``n_workers`` single-threaded worker processes."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise CkmError(
            "the dask engine needs dask.distributed",
            hint='Install it with pip install "mcda_ckm[dask]"',
        ) from None
    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with (
        LocalCluster(n_workers=n_workers, threads_per_worker=1, dashboard_address=None) as lc,
        Client(lc) as client,
    ):
        yield client


@dataclass(frozen=True)
class _Part:
    path: Path
    row_groups: tuple[int, ...] | None
    rows: int


def _partitions(path: Path) -> list[_Part]:
    import pyarrow.parquet as pq

    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".parquet", ".pq"))
        if not files:
            raise DataError(
                "no .parquet files in the folder", path=path, hint="Give a partitioned Parquet"
            )
        return [_Part(f, None, pq.ParquetFile(f).metadata.num_rows) for f in files]
    if not path.is_file():
        raise DataError("file not found", path=path, hint="Check the path")
    meta = pq.ParquetFile(path).metadata
    return [_Part(path, (g,), meta.row_group(g).num_rows) for g in range(meta.num_row_groups)]


def criteria_of(path: str | Path) -> list[str]:
    """The indicator columns (other than id and name) of a Parquet file or folder."""
    first = _partitions(Path(path))[0].path
    layout, _ = read_layout(first, None)
    return [c for c in layout.columns if c not in ("id", "name")]


def _layout_for(part: _Part, layout: Layout) -> Layout:
    return replace(layout, path=part.path)


def _part_pass1(
    part: _Part,
    start: int,
    layout: Layout,
    normalization: str,
    scales: tuple[Scale | None, ...] = (),
) -> tuple[Stats, tuple[np.ndarray, ...]]:
    """Statistics of one partition (rows numbered from ``start``), its first value off its
    ``scales`` (the tree's: the same check as the stream's) and its id hashes, split into
    :data:`HASH_BUCKETS` buckets by their top bits."""
    stats = Stats(len(layout.criteria))
    hashes = []
    lay = _layout_for(part, layout)
    for chunk in parquet_chunks(lay, CHUNK_ROWS, "all", [0], part.row_groups, start):
        chunk_stats(stats, chunk, layout.criteria, normalization == "vector", scales, part.path)
        if len(chunk.index):
            if stats.empty_id is None:
                stats.empty_id = first_empty_id(chunk)
            if chunk.ids is not None:
                hashes.append(nonempty_hashes(chunk.ids))
    h = np.sort(np.concatenate(hashes)) if hashes else np.empty(0, np.uint64)
    bits = int(np.log2(HASH_BUCKETS))
    edges = np.searchsorted(h, np.arange(1, HASH_BUCKETS, dtype=np.uint64) << np.uint64(64 - bits))
    return stats, tuple(np.split(h, edges))


def _bucket_duplicates(*parts: np.ndarray) -> np.ndarray:
    h = np.sort(np.concatenate(parts)) if parts else np.empty(0, np.uint64)
    return np.unique(h[1:][h[1:] == h[:-1]])


def _part_duplicates(
    part: _Part, start: int, layout: Layout, duplicated: np.ndarray
) -> list[tuple[int, str]]:
    """(row, id) of every id in the partition whose hash is among ``duplicated``."""
    found = []
    lay = _layout_for(part, layout)
    for chunk in parquet_chunks(lay, CHUNK_ROWS, "ids", [0], part.row_groups, start):
        if chunk.ids is None:
            continue
        mask = np.isin(hash_ids(chunk.ids), duplicated)  # nulls: empty or 0, skipped
        for i in np.flatnonzero(mask).tolist():
            value = chunk.ids[i].as_py()
            if value not in (None, ""):
                found.append((int(chunk.rows[i]), str(value)))
    return found


def _combine(parts: list[Stats], n: int) -> Stats:
    total = Stats(n)
    for st in parts:
        total.count += st.count
        total.lo = np.minimum(total.lo, st.lo)
        total.hi = np.maximum(total.hi, st.hi)
        total.partials.extend(st.partials)
        for j, (row, value) in st.first_negative.items():
            if j not in total.first_negative or row < total.first_negative[j][0]:
                total.first_negative[j] = (row, value)
        if st.empty_id is not None and (total.empty_id is None or st.empty_id < total.empty_id):
            total.empty_id = st.empty_id
        if total.off_scale is None:  # parts come in file order: the first one's is the file's
            total.off_scale = st.off_scale
        if st.bad_cell is not None and (
            total.bad_cell is None or st.bad_cell[0] < total.bad_cell[0]
        ):
            total.bad_cell = st.bad_cell
    return total


@dataclass(frozen=True)
class _Prepared:
    layout: Layout
    parts: list[_Part]
    starts: list[int]
    stats: Stats
    weights: np.ndarray
    d: np.ndarray
    sums: np.ndarray
    scale2: np.ndarray


def _prepare(
    client: Client,
    path: Path,
    weights: Any,
    tree: CriteriaTree | None,
    directions: Any,
    normalization: str,
) -> _Prepared:
    """Pass 1 on the cluster; raises the first error of the in-memory path."""
    if normalization not in NORMALIZATIONS:
        raise CkmError(
            f"unknown normalization {normalization!r}",
            hint='Use "vector" (the default) or "minmax"',
        )
    parts = _partitions(path)
    layout, _ = read_layout(parts[0].path, tree)
    for part in parts[1:]:
        other, _ = read_layout(part.path, tree)
        if other.columns != layout.columns:
            raise DataError(
                f"the columns differ from those of {parts[0].path.name}",
                path=part.path,
                where="row 1 (header)",
                hint="Write every partition with the same columns",
            )
    layout = replace(layout, path=path)
    w, d = weights_and_directions(weights, directions, tree, layout.criteria)
    starts = list(np.cumsum([0] + [p.rows for p in parts[:-1]]).tolist())
    futures = client.map(
        _part_pass1,
        parts,
        starts,
        layout=layout,
        normalization=normalization,
        scales=tuple(tree.scales) if tree is not None else (),
        pure=False,
    )
    import operator

    buckets = [
        client.submit(
            _bucket_duplicates,
            *[
                client.submit(operator.getitem, client.submit(operator.getitem, f, 1), b)
                for f in futures
            ],
        )
        for b in range(HASH_BUCKETS)
    ]
    parts_stats = [cast(Stats, client.submit(operator.getitem, f, 0).result()) for f in futures]
    stats = _combine(parts_stats, len(layout.criteria))
    duplicated = np.unique(np.concatenate(client.gather(buckets)))
    duplicate = None
    if duplicated.size:
        found = sorted(
            pair
            for got in client.gather(
                client.map(
                    _part_duplicates,
                    parts,
                    starts,
                    layout=layout,
                    duplicated=duplicated,
                    pure=False,
                )
            )
            for pair in got
        )
        seen: dict[str, int] = {}
        for row, cid in found:
            if cid in seen:
                duplicate = (row, cid, seen[cid])
                break
            seen[cid] = row
    raise_first_error(layout, stats, duplicate, w, normalization)
    _, _, sums, scale2 = file_scales(stats, normalization)
    return _Prepared(layout, parts, starts, stats, w, d, sums, scale2)


def _part_pass2(
    part: _Part,
    start: int,
    number: int,
    layout: Layout,
    prep: dict[str, Any],
    folder: str | None,
    k: int,
    margin: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[int, tuple[str, str]]]:
    """Score one partition, write it to ``folder/part-NNNNN.parquet``, return its top-k
    candidates (closeness, index, d_plus, d_minus, ids)."""
    import pyarrow.parquet as pq

    top = TopK(k, margin)
    kept: dict[int, tuple[str, str]] = {}
    writer = None
    lay = _layout_for(part, layout)
    try:
        for chunk in parquet_chunks(lay, CHUNK_ROWS, "scores", [0], part.row_groups, start):
            if not len(chunk.index):
                continue
            columns = [chunk.columns[c] for c in layout.criteria]
            scores = score_columns(
                columns, prep["d"], prep["lo"], prep["hi"], prep["scale2"], prep["w"]
            )
            add_top(top, kept, chunk, *scores)
            if folder is not None:
                table = result_table(chunk, *scores)
                if writer is None:
                    writer = pq.ParquetWriter(
                        os.path.join(folder, f"part-{number:05d}.parquet"),
                        table.schema,
                        use_dictionary=False,
                    )
                writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    names = {i: kept[int(i)] for i in top.index.tolist()}
    return top.c, top.index, top.distances, names


def rank_dask(
    path: str | Path,
    weights: Any,
    tree: CriteriaTree | None = None,
    *,
    client: Client,
    directions: Any = None,
    normalization: str = "vector",
    top_k: int = 5,
    out: str | Path | None = None,
) -> StreamRanking:
    """Rank a partitioned Parquet customer base on a Dask cluster; the same numbers as
    :func:`mcda_ckm.large.stream.rank_stream` and :func:`mcda_ckm.ranking.topsis.rank`.

    Parameters
    ----------
    path : str or Path
        A folder of ``.parquet`` files or one ``.parquet`` file (partitioned by row group).
    weights, tree, directions, normalization, top_k
        As for :func:`mcda_ckm.large.stream.rank_stream`.
    client : distributed.Client
        See :func:`connect`.
    out : str or Path, optional
        A folder (created; replaced atomically) for ``part-NNNNN.parquet`` files with ``id``,
        ``name``, ``closeness``, ``d_plus``, ``d_minus`` in input order.

    Returns
    -------
    mcda_ckm.large.StreamRanking
    """
    path = Path(path)
    if isinstance(top_k, bool) or int(top_k) < 1:
        raise CkmError(f"top_k = {top_k!r}, must be >= 1", where="top_k")
    prep = _prepare(client, path, weights, tree, directions, normalization)
    k = min(int(top_k), prep.stats.count)
    shared = {
        "d": prep.d,
        "lo": prep.stats.lo,
        "hi": prep.stats.hi,
        "scale2": prep.scale2,
        "w": prep.weights,
        "normalization": normalization,
    }
    folder, target = None, None
    if out is not None:
        target = OutputFolder(out, protect=[path], kind="scores")  # checks, lock, temporary
        folder = str(target.tmp)
    try:
        margin = TOP_MARGIN
        while True:
            results = client.gather(
                client.map(
                    _part_pass2,
                    prep.parts,
                    prep.starts,
                    range(len(prep.parts)),
                    layout=prep.layout,
                    prep=shared,
                    folder=folder,
                    k=k,
                    margin=margin,
                    pure=False,
                )
            )
            top = TopK(k, margin)
            names: dict[int, tuple[str, str]] = {}
            for c, index, data, kept in results:
                if c.size:
                    top.add(c, index, data[:, 0], data[:, 1])
                names.update(kept)
            positions, ties, straddle, exact = top.result()
            if exact:
                break
            margin *= 1000
            if target is not None:
                target.reset()
        if target is not None:
            target.commit()
            target = None
    finally:
        if target is not None:
            target.abort()
    rows = top.index[positions]
    lo, hi = prep.stats.lo, prep.stats.hi
    return StreamRanking(
        path=path,
        out=None if out is None else Path(out),
        customers=prep.stats.count,
        criteria=prep.layout.criteria,
        weights=prep.weights,
        directions=prep.d,
        normalization=normalization,
        lo=lo,
        hi=hi,
        sum_squares=prep.sums,
        constant_columns=tuple(
            c for c, a, b in zip(prep.layout.criteria, lo, hi, strict=True) if a == b
        ),
        k=k,
        top_rows=rows,
        top_ids=tuple(names[int(i)][0] for i in rows),
        top_names=tuple(names[int(i)][1] for i in rows),
        top_closeness=top.c[positions],
        top_d_plus=top.distances[positions, 0],
        top_d_minus=top.distances[positions, 1],
        ties=ties,
        tie_at_cutoff=straddle,
    )


def _part_samples(
    part: _Part,
    start: int,
    layout: Layout,
    prep: dict[str, Any],
    samples: np.ndarray,
    k: int,
    margin: float,
) -> tuple[KeyCandidates | None, dict[int, str]]:
    """Per sample, the key-set candidates of one partition
    (:func:`mcda_ckm.ranking.topsis.sample_candidates`), and their ids."""
    best = None
    ids: dict[int, str] = {}
    lay = _layout_for(part, layout)
    for chunk in parquet_chunks(lay, CHUNK_ROWS, "scores", [0], part.row_groups, start):
        if not len(chunk.index):
            continue
        values = np.stack([chunk.columns[c] for c in layout.criteria]).T
        dev = deviations(
            values, prep["d"], prep["normalization"], prep["lo"], prep["hi"], prep["scale2"]
        )
        got = sample_candidates(dev, samples, k, chunk.index, margin)
        best = got if best is None else merge_candidates(best, got, k, margin)
        first = int(chunk.index[0])
        rows = best.rows
        new = np.unique(rows[(rows >= first) & (rows < first + len(chunk.index))])
        ids.update(zip(new.tolist(), ids_at(chunk, new - first), strict=True))
    return best, ids


def key_probabilities_dask(
    path: str | Path,
    samples: np.ndarray,
    tree: CriteriaTree | None = None,
    *,
    client: Client,
    k: int = 5,
    directions: Any = None,
    normalization: str = "vector",
) -> KeyProbabilities:
    """Key-source probabilities of the whole base on the cluster: the per-sample key-set
    candidates of every partition, merged across partitions, then the key sets by the one tie
    rule (as :func:`mcda_ckm.large.sampling.key_probabilities`)."""
    samples = np.asarray(samples, dtype=np.float64)
    prep = _prepare(client, Path(path), samples.mean(axis=0), tree, directions, normalization)
    shared = {
        "d": prep.d,
        "lo": prep.stats.lo,
        "hi": prep.stats.hi,
        "scale2": prep.scale2,
        "normalization": normalization,
    }
    kk = min(k, prep.stats.count)
    [scattered] = client.scatter([samples], broadcast=True)
    from distributed import as_completed  # an optional dependency, imported on use

    margin = KEY_MARGIN
    while True:
        futures = client.map(
            _part_samples,
            prep.parts,
            prep.starts,
            layout=prep.layout,
            prep=shared,
            samples=scattered,
            k=kk,
            margin=margin,
            pure=False,
        )
        best = None
        ids: dict[int, str] = {}
        for future in as_completed(futures):
            got, names = future.result()
            if got is not None:
                best = got if best is None else merge_candidates(best, got, kk, margin)
            ids.update(names)
        assert best is not None
        top, exact = pick_key_sets(best, kk, margin)
        if exact.all():
            return probabilities_of(top, ids, kk)
        margin *= 1000
