"""Pass 1 of the bounded-memory engines: the file's column statistics and every validation
rule of the in-memory path.

Per column the minimum, the maximum and the sum of squares (pairwise summation within a chunk,
then :func:`math.fsum` of the per-chunk partials, so that the result does not depend on the
chunking), and the rules of :func:`mcda_ckm.model.matrix.load_customers` and
:func:`mcda_ckm.ranking.topsis.rank` with the file's row number (header = row 1; for Parquet,
the row its record would have in a CSV export with a header line), raised in the in-memory
path's order (:func:`raise_first_error`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mcda_ckm.errors import DataError
from mcda_ckm.large.chunks import Chunk, Layout, NeedExact, first_stray, read_layout, stray_error
from mcda_ckm.large.ids import IdCheck, first_duplicate
from mcda_ckm.large.moments import ColumnMoments
from mcda_ckm.large.read import csv_exact_chunks, csv_fast_chunks, parquet_chunks, prefetched
from mcda_ckm.model.matrix import check_scales, direction_signs
from mcda_ckm.ranking.topsis import balance_scales, check_directions, check_weights

if TYPE_CHECKING:
    from mcda_ckm.model.tree import CriteriaTree, Scale


__all__ = []


@dataclass
class Stats:
    """What pass 1 accumulates, per chunk (and per Dask partition, combined by
    :mod:`mcda_ckm.large.dask`)."""

    n: int
    count: int = 0
    lo: np.ndarray = field(default_factory=lambda: np.empty(0))
    hi: np.ndarray = field(default_factory=lambda: np.empty(0))
    partials: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    first_negative: dict[int, tuple[int, float]] = field(default_factory=dict)
    empty_id: int | None = None
    bad_cell: tuple[int, str, str, str] | None = None
    stray: tuple[int, int] | None = None
    off_scale: DataError | None = None  # the first value off its declared scale
    scratch: np.ndarray = field(default_factory=lambda: np.empty(0))
    moments: ColumnMoments | None = None  # objective weights' sums, when asked (issue 16)

    def __post_init__(self) -> None:
        self.lo = np.full(self.n, np.inf)
        self.hi = np.full(self.n, -np.inf)


def chunk_stats(
    stats: Stats,
    chunk: Chunk,
    criteria: Sequence[str],
    check_negative: bool,
    scales: Sequence[Scale | None] = (),
    path: Path | None = None,
):
    """Fold one chunk into ``stats`` (pass 1); with ``scales`` (the tree's, in ``criteria``
    order), keep the first value off its scale as :func:`mcda_ckm.model.matrix.check_scales`
    reports it."""
    stats.count += len(chunk.index)
    if chunk.stray is not None and stats.stray is None:
        stats.stray = chunk.stray
    if chunk.bad_cell is not None and stats.bad_cell is None:
        stats.bad_cell = chunk.bad_cell
    if stats.bad_cell is not None or not len(chunk.index):
        return
    sums, exps = np.zeros(len(criteria)), np.zeros(len(criteria), dtype=np.int64)
    chunk_lo, chunk_hi = np.empty(len(criteria)), np.empty(len(criteria))
    m = len(chunk.index)
    if stats.scratch.size < m:
        stats.scratch = np.empty(m)
    # One scratch array for the squares of every column of every chunk: fresh memory is what a
    # pass mostly pays for on a VM (page faults; benchmarks/README.md).
    squares = stats.scratch[:m]
    for j, name in enumerate(criteria):
        col = chunk.columns[name]
        if chunk.extremes is not None and name in chunk.extremes:
            lo, hi = chunk.extremes[name]
        else:
            lo, hi = float(col.min()), float(col.max())
        chunk_lo[j], chunk_hi[j] = lo, hi
        stats.lo[j] = min(stats.lo[j], lo)
        stats.hi[j] = max(stats.hi[j], hi)
        top = max(abs(lo), abs(hi))
        if top == 0 or 2.0**-300 < top < 2.0**300:
            sums[j] = np.sum(np.square(col, out=squares))  # numpy's pairwise summation
        else:
            exps[j] = math.frexp(top)[1]
            np.ldexp(col, -exps[j], out=squares)
            sums[j] = np.sum(np.square(squares, out=squares))
        if check_negative and lo < 0 and j not in stats.first_negative:
            i = int(np.argmax(col < 0))
            stats.first_negative[j] = (int(chunk.rows[i]), float(col[i]))
        if stats.moments is not None:  # while the column is in the cache
            stats.moments.add_column(j, col, lo)
    stats.partials.append((sums, exps))
    if stats.moments is not None:
        stats.moments.end_chunk(m)
    if scales and stats.off_scale is None:
        stats.off_scale = _off_scale(chunk, criteria, scales, (chunk_lo, chunk_hi), path)


def _off_scale(
    chunk: Chunk,
    criteria: Sequence[str],
    scales: Sequence[Scale | None],
    ranges: tuple[np.ndarray, np.ndarray],
    path: Path | None,
) -> DataError | None:
    """The error of :func:`mcda_ckm.model.matrix.check_scales` on the chunk, or None. The
    chunk's column extremes are judged first (NaN never occurs: pass 1 has checked the cells),
    and the chunk's values stacked for check_scales (a copy) only when one is off its scale.
    Chunks come in file order, so the first chunk with an error holds the file's first."""
    lo, hi = ranges
    if all(
        s is None or ((s.low is None or lo[j] >= s.low) and (s.high is None or hi[j] <= s.high))
        for j, s in enumerate(scales)
    ):
        return None  # the common case: no copy of the chunk

    def where(i: int, j: int | None = None) -> str:
        place = f"row {int(chunk.rows[i])}"
        return place if j is None else f'{place}, column "{criteria[j]}"'

    values = np.column_stack([chunk.columns[c] for c in criteria])
    try:
        check_scales(values, scales, ranges=ranges, where=where, path=path)
    except DataError as exc:
        return exc
    return None


def file_scales(
    stats: Stats, normalization: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(lo, hi, sum of squares, s_j^2) as :func:`mcda_ckm.ranking.topsis.deviations` has them for
    the
    whole matrix: in the units of :func:`mcda_ckm.ranking.topsis.balance_scales`."""
    n = stats.n
    _, blo, bhi = balance_scales(np.empty((0, n)), stats.lo, stats.hi)
    balanced = not np.array_equal(blo, stats.lo) or not np.array_equal(bhi, stats.hi)
    top = np.maximum(np.abs(stats.lo), np.abs(stats.hi))
    exponent = np.where(top > 0, np.frexp(top)[1], 0) if balanced else np.zeros(n, np.int64)
    sums = np.array(
        [
            math.fsum(
                math.ldexp(float(s[j]), 2 * (int(e[j]) - int(exponent[j])))
                for s, e in stats.partials
            )
            for j in range(n)
        ]
    )
    if normalization == "vector":
        with np.errstate(divide="ignore"):
            scale2 = 1.0 / sums
    else:
        span = bhi - blo
        scale2 = np.divide(1.0, span * span, out=np.zeros_like(span), where=span > 0)
    return blo, bhi, sums, scale2


def _pass1(
    layout: Layout,
    source: Callable[..., Iterator[Chunk]],
    chunk_rows: int,
    normalization: str,
    on_chunk: Callable[[], None],
    counter: list[int],
    want: str = "all",
    scales: Sequence[Scale | None] = (),
    objective: str | None = None,
) -> tuple[Stats, np.ndarray]:
    """Statistics of every criteria column, the first value off its ``scales`` and (unless
    ``want`` is "numbers") the first empty id and the hashes of duplicated ids."""
    criteria = layout.criteria
    stats = Stats(len(criteria))
    if objective is not None:
        stats.moments = ColumnMoments(objective, len(criteria))
    ids = IdCheck()
    try:
        for chunk in source(layout, chunk_rows, want, counter):
            chunk_stats(stats, chunk, criteria, normalization == "vector", scales, layout.path)
            if chunk.ids is not None:
                ids.add(chunk)
            on_chunk()
        stats.empty_id, duplicated = ids.result(lambda: source(layout, chunk_rows, "ids", [0]))
    finally:
        ids.close()
    return stats, duplicated


def raise_first_error(
    layout: Layout,
    stats: Stats,
    duplicate: tuple[int, str, int] | None,
    weights: np.ndarray,
    normalization: str,
) -> None:
    """Raise the error the in-memory path would raise first, if any."""
    path = layout.path
    if stats.stray is not None:
        raise stray_error(path, *stats.stray)
    if stats.count == 0:
        raise DataError(
            "no customers (only a header)",
            path=path,
            where=f"row {layout.header_line + 1}",
            hint="Add one row per customer",
        )
    id_errors = []
    if stats.empty_id is not None:
        id_errors.append((stats.empty_id, "empty"))
    if duplicate is not None:
        id_errors.append((duplicate[0], "duplicate"))
    if id_errors:
        row, kind = min(id_errors)
        if kind == "empty":
            raise DataError(
                "empty id",
                path=path,
                where=f'row {row}, column "id"',
                hint="Give every customer an id",
            )
        assert duplicate is not None
        raise DataError(
            f'duplicate id "{duplicate[1]}" (first on row {duplicate[2]})',
            path=path,
            where=f'row {row}, column "id"',
            hint="Give each customer its own id, or merge the two rows",
        )
    if stats.bad_cell is not None:
        row, name, message, hint = stats.bad_cell
        raise DataError(message, path=path, where=f'row {row}, column "{name}"', hint=hint)
    if stats.off_scale is not None:  # load_customers checks the scales after the cells
        raise stats.off_scale
    criteria = layout.criteria
    if normalization == "vector":
        for j in range(len(criteria)):
            if j in stats.first_negative:
                row, value = stats.first_negative[j]
                raise DataError(
                    f"{value:g} is negative; vector normalisation "
                    "(x / sqrt(sum x^2)) needs values >= 0",
                    path=path,
                    where=f'row {row}, column "{criteria[j]}"',
                    hint='Use normalization "minmax", which takes any values',
                )
        zero = np.flatnonzero(stats.hi == 0)
        if zero.size:
            raise DataError(
                "every value is 0, so vector normalisation would divide by zero",
                path=path,
                where=f'column "{criteria[int(zero[0])]}"',
                hint='Use normalization "minmax", or drop the indicator (it carries no '
                "information)",
            )
    if not np.any((stats.hi > stats.lo) & (weights > 0)):
        raise DataError(
            "every weighted criterion has the same value for every customer: nothing to rank on",
            path=path,
            hint="Check the customers file, or give weight to an indicator that varies",
        )


@dataclass(frozen=True)
class Prepared:
    layout: Layout
    source: Callable[..., Iterator[Chunk]]
    stats: Stats
    weights: np.ndarray
    d: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    sums: np.ndarray
    scale2: np.ndarray
    ids_checked: bool = True


def prepare(
    path: Path,
    weights: Any,
    tree: CriteriaTree | None,
    directions: Any,
    normalization: str,
    chunk_rows: int,
    tick: Callable[[], None],
    counter: list[int],
    defer_ids: bool = False,
    objective: str | None = None,
) -> Prepared:
    """Pass 1: the header, the weights and directions, the statistics; raises the first error
    of the in-memory path.

    With ``defer_ids``, a Parquet file's ids are not read here but checked (empty, repeated)
    by the caller as pass 2 reads them (:class:`IdCheck`, then :func:`raise_id_error`): pass 1
    then reads the numbers alone, as Polars' and DuckDB's do, which saves decoding the ids a
    second time. With ``objective`` (a method of :mod:`mcda_ckm.weights.objective`), the
    sums it needs are accumulated in the same pass (``stats.moments``). The errors stay those
    of the in-memory path, in its order: when the numbers have an error, the ids are checked
    here first (the in-memory path reports them first).
    """
    layout, pending = read_layout(path, tree)
    if pending is not None:  # read_table checks the rows' widths before load_customers' rules
        raise first_stray(path, len(layout.columns), layout.encoding) or pending
    w, d = weights_and_directions(weights, directions, tree, layout.criteria)
    source = prefetched(parquet_chunks if layout.kind == "parquet" else csv_fast_chunks)
    defer = defer_ids and layout.kind == "parquet"
    scales = tree.scales if tree is not None else ()
    try:
        stats, duplicated = _pass1(
            layout,
            source,
            chunk_rows,
            normalization,
            tick,
            counter,
            "numbers" if defer else "all",
            scales,
            objective,
        )
        exact_needed = layout.kind == "csv" and (
            stats.bad_cell is not None or stats.empty_id is not None or duplicated.size > 0
        )
    except NeedExact:
        exact_needed = True
    if exact_needed:
        source = prefetched(csv_exact_chunks)
        counter[0] = 0
        stats, duplicated = _pass1(
            layout, source, chunk_rows, normalization, tick, counter, "all", scales, objective
        )
    if defer:
        try:
            raise_first_error(layout, stats, None, w, normalization)
        except DataError:
            defer = False
            ids = IdCheck()
            try:
                for chunk in source(layout, chunk_rows, "ids", [0]):
                    ids.add(chunk)
                stats.empty_id, duplicated = ids.result(
                    lambda: source(layout, chunk_rows, "ids", [0])
                )
            finally:
                ids.close()
    duplicate = first_duplicate(layout, source, chunk_rows, duplicated) if duplicated.size else None
    raise_first_error(layout, stats, duplicate, w, normalization)
    _, _, sums, scale2 = file_scales(stats, normalization)
    return Prepared(
        layout, source, stats, w, d, stats.lo, stats.hi, sums, scale2, ids_checked=not defer
    )


def file_stamp(path: Path) -> tuple[int, int]:
    """The size and modification time of a file: unchanged between the passes, or an error
    ((-1, -1) once the file is gone)."""
    try:
        info = path.stat()
    except OSError:
        return -1, -1
    return info.st_size, info.st_mtime_ns


def weights_and_directions(
    weights: Any, directions: Any, tree: CriteriaTree | None, criteria: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Checked weights (scaled to sum 1) and directions (+1/-1): ``directions`` if given, else
    the tree's, else every criterion a benefit."""
    n = len(criteria)
    w = check_weights(weights, n, criteria)
    if directions is None:
        d = tree.directions if tree is not None else np.ones(n, dtype=np.int64)
    else:
        d = check_directions(direction_signs(directions), n)
    return w, np.asarray(d, dtype=np.int64)


def raise_id_error(
    prep: Prepared,
    empty: int | None,
    duplicated: np.ndarray,
    chunk_rows: int,
    normalization: str,
) -> None:
    """After a pass 2 that checked the ids (``defer_ids``): raise the first id error, if any
    (``empty`` and ``duplicated`` from :meth:`IdCheck.result`)."""
    if empty is None and not duplicated.size:
        return
    prep.stats.empty_id = empty
    duplicate = (
        first_duplicate(prep.layout, prep.source, chunk_rows, duplicated)
        if duplicated.size
        else None
    )
    raise_first_error(prep.layout, prep.stats, duplicate, prep.weights, normalization)
