"""Ranking a whole customer base in bounded memory: two-pass streaming TOPSIS over CSV or Parquet.

TOPSIS normalises every column by a statistic of the whole column (Hwang & Yoon 1981, p. 131:
``x_ij / sqrt(sum_i x_ij^2)``, or the column's range), and its ideal and anti-ideal are column
extremes. Calling a TOPSIS chunk by chunk would therefore normalise each chunk on its own and give
other numbers. Here the file is read twice, one chunk of rows at a time:

1. **statistics and validation**: per column the minimum, the maximum and the sum of squares
   (pairwise summation within a chunk, then :func:`math.fsum` of the per-chunk partials, so the
   result does not depend on the chunking), and every rule of the in-memory path
   (:func:`mcda_ckm.model.matrix.load_customers`, :func:`mcda_ckm.ranking.topsis.rank`) with the
   file's row
   number (header = row 1, as in :class:`mcda_ckm.model.matrix.DecisionMatrix`; for Parquet, the row
   its record would have in a CSV export with a header line). Duplicate ids are found with a
   64-bit hash of every id, held in memory up to 128 MB and beyond that spilled to disk in
   hash buckets, then confirmed on the ids themselves; ids in ascending order are distinct by
   their order and need no hash (:class:`_IdCheck`). For Parquet, pass 1 reads the numbers
   only and the ids are checked as pass 2 reads them (a failed check keeps no output), with
   the in-memory path's order of errors kept (see :func:`_prepare`).
2. **scores**: the kernel of :mod:`mcda_ckm.ranking.topsis` (``deviations``, ``distances``,
   ``closeness_of``) with the global statistics, closeness and distances written to Parquet or
   CSV chunk by chunk in input order; the top-k kept exactly across chunks, ranked with the tie
   rule of :func:`mcda_ckm.ranking.topsis.rank` (closeness within ``TIE_TOLERANCE`` is a tie,
   broken by
   input order). A full rank column is optional (:func:`_full_ranks`: an out-of-core bucket
   sort).

I/O engine: pyarrow (``ParquetFile.iter_batches`` over a memory map, a window of row groups at
a time, and its streaming CSV reader). Measured on 10^7 x 12 Parquet (benchmarks/bench_stream.py,
2 cores) against Polars' two streaming passes and DuckDB's one statement on the same file;
pyarrow is also what Polars, DuckDB and Dask exchange data through, so it is the one runtime
dependency. ``pre_buffer=True`` (pyarrow's default) makes ``iter_batches`` hold the whole file;
Polars buffers everything when the column sums are computed in the query that uses them;
DuckDB's ``sum()`` over doubles changes in the last bits from run to run (its threads add in any
order), while :func:`math.fsum` of the partials does not. On a VM, fresh memory is what a pass
mostly pays for (page faults): the code below reads through a map, reuses its scratch arrays
and keeps temporaries to cache-sized blocks for that reason.
"""

from __future__ import annotations

import io
import math
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mcda_ckm.errors import CkmError, DataError
from mcda_ckm.model.matrix import (
    MISSING_HINT,
    NORMALIZATIONS,
    NUMBER_HINT,
    check_header,
    csv_rows,
    direction_words,
    tree_mismatch,
)
from mcda_ckm.ranking.topsis import (
    KEY_MARGIN,
    KeyCandidates,
    balance_scales,
    best_first,
    check_directions,
    check_weights,
    deviations,
    merge_candidates,
    pick_key_sets,
    sample_candidates,
    score_columns,
    select_candidates,
)

if TYPE_CHECKING:
    import pyarrow as pa

    from mcda_ckm.model.tree import CriteriaTree

Progress = Callable[[int, int], None]

CHUNK_ROWS = 500_000
"""Rows per chunk: about 50 MB of values for 12 indicators, and a peak of some 0.4 GB."""

PARQUET_BUFFER = 1 << 20
"""Bytes of Parquet read at a time per column (``ParquetFile(buffer_size=...)``)."""

TOP_MARGIN = KEY_MARGIN
"""Candidates for the top-k are kept down to this far (in closeness) below the current k-th
(:data:`mcda_ckm.ranking.topsis.KEY_MARGIN`)."""

AUTO_STREAM_BYTES = 64 * 2**20
"""``ckm rank`` streams a CSV file from this size on (and every Parquet file)."""

_INFINITE_HINT = "Write a finite number (check for a division by zero upstream)"


# --- the result -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StreamRanking:
    """The result of :func:`rank_stream` (and :func:`mcda_ckm.large.dask.rank_dask`).

    Attributes
    ----------
    path : Path
        The customers file (or Parquet folder).
    out : Path or None
        The file (or folder) written: one row per customer in input order with ``id``, ``name``
        (when the input has one), ``closeness``, ``d_plus``, ``d_minus`` and, with full ranks,
        ``rank`` first.
    customers : int
    criteria : tuple of str
    weights : numpy.ndarray
        Scaled to sum to 1.
    directions : numpy.ndarray
        +1 benefit, -1 cost.
    normalization : str
    lo, hi : numpy.ndarray
        Column minima and maxima.
    sum_squares : numpy.ndarray
        Column sums of squares (of the values scaled as
        :func:`mcda_ckm.ranking.topsis.balance_scales` does).
    constant_columns : tuple of str
    k : int
    top_rows : numpy.ndarray
        Input indices (0-based) of the k best customers, best first.
    top_ids, top_names : tuple of str
    top_closeness, top_d_plus, top_d_minus : numpy.ndarray
    ties : tuple of tuple of int
        Tie groups (input indices, in input order) that reach into the top k.
    tie_at_cutoff : bool
        Whether a tie straddles the cut, so that input order decided a key source.
    full_ranks : bool
        Whether ``out`` has a rank column.
    """

    path: Path
    out: Path | None
    customers: int
    criteria: tuple[str, ...]
    weights: np.ndarray
    directions: np.ndarray
    normalization: str
    lo: np.ndarray
    hi: np.ndarray
    sum_squares: np.ndarray
    constant_columns: tuple[str, ...]
    k: int
    top_rows: np.ndarray
    top_ids: tuple[str, ...]
    top_names: tuple[str, ...]
    top_closeness: np.ndarray
    top_d_plus: np.ndarray
    top_d_minus: np.ndarray
    ties: tuple[tuple[int, ...], ...]
    tie_at_cutoff: bool
    full_ranks: bool = False

    @property
    def key_sources(self) -> tuple[str, ...]:
        """Ids of the top-k customers, best first."""
        return self.top_ids

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: the settings, the statistics and the top k with their ranks."""
        return {
            "file": str(self.path),
            "out": None if self.out is None else str(self.out),
            "customers": self.customers,
            "criteria": dict(zip(self.criteria, self.weights.tolist(), strict=True)),
            "directions": direction_words(self.criteria, self.directions),
            "normalization": self.normalization,
            "constant_columns": list(self.constant_columns),
            "key_sources": list(self.top_ids),
            "tie_at_cutoff": self.tie_at_cutoff,
            "top": [
                {
                    "rank": r + 1,
                    "row": int(self.top_rows[r]),
                    "id": self.top_ids[r],
                    "name": self.top_names[r],
                    "closeness": float(self.top_closeness[r]),
                    "d_plus": float(self.top_d_plus[r]),
                    "d_minus": float(self.top_d_minus[r]),
                }
                for r in range(len(self.top_ids))
            ],
        }


# --- reading: the layout of the file, and its chunks ------------------------------------------


class _NeedExact(Exception):
    """The fast CSV reader met something only the exact (csv module) reader can judge."""


@dataclass(frozen=True)
class _Layout:
    path: Path
    kind: str  # "csv" or "parquet"
    columns: tuple[str, ...]  # every column, in file order
    criteria: tuple[str, ...]  # in the tree's leaf order
    has_name: bool
    header_line: int = 1
    size: int = 0  # bytes (CSV) or rows (Parquet): the unit of progress
    parquet_rows: int | None = None

    @property
    def in_file_order(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if c in self.criteria)


@dataclass
class _Chunk:
    """Rows of the file: 0-based input indices ``index``, file rows ``rows``, stripped ids
    (Arrow), names (Arrow or None), the criteria columns (file order) as float64 arrays; and
    the first bad cell found in it (row, column, message, hint), if any."""

    index: np.ndarray
    rows: np.ndarray
    ids: pa.Array | None  # None when not read (pass 1 of a Parquet file: see _prepare)
    names: pa.Array | None
    columns: dict[str, np.ndarray]
    bad_cell: tuple[int, str, str, str] | None = None
    stray: tuple[int, int] | None = None  # (row, 1-based column) of a value without header
    extremes: dict[str, tuple[float, float]] | None = None  # (min, max) per column, if known


def _csv_rows(path: Path, counter: list[int] | None = None) -> Iterator[tuple[int, list[str]]]:
    """:func:`mcda_ckm.model.matrix.csv_rows`, its bytes counted into ``counter[0]``."""
    return csv_rows(path, io.BufferedReader(_CountingReader(path, counter), 1 << 20))


class _CountingReader(io.RawIOBase):
    """A raw binary file that adds the bytes it reads to ``counter[0]`` (for progress)."""

    def __init__(self, path: Path, counter: list[int] | None) -> None:
        self._fh = open(path, "rb")
        self._counter = counter if counter is not None else [0]

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._fh.readinto(buffer)
        self._counter[0] += n or 0
        return n

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)
        self._counter[0] += len(data)
        return data

    def close(self) -> None:
        self._fh.close()
        super().close()


def _layout(path: Path, tree: CriteriaTree | None) -> tuple[_Layout, DataError | None]:
    """Read the header and check it as :func:`mcda_ckm.model.matrix.load_customers` does.

    Returns the layout and, for CSV, a header-level error that the in-memory path would only
    raise after scanning the rows for values without a header (raised by the caller after that
    scan).
    """
    if not path.is_file():
        raise DataError("file not found", path=path, hint="Check the path")
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        try:
            meta = pq.ParquetFile(path).metadata
        except Exception as exc:  # pyarrow raises ArrowInvalid, OSError...
            raise DataError(
                f"not a readable Parquet file ({exc})",
                path=path,
                hint="Write it again with pyarrow, Polars, DuckDB or Spark",
            ) from None
        columns = tuple(meta.schema.to_arrow_schema().names)
        seen: dict[str, int] = {}
        for k, name in enumerate(columns):
            if name in seen:
                raise DataError(
                    f'column "{name}" appears twice (columns {seen[name] + 1} and {k + 1})',
                    path=path,
                    where="row 1 (header)",
                    hint="Keep one of them",
                )
            seen[name] = k
        layout = _Layout(path, "parquet", columns, (), False, 1, meta.num_rows, meta.num_rows)
        pending = _check_header(layout, tree)
        if pending is not None:
            raise pending
        return _with_criteria(layout, tree), None
    if suffix not in (".csv", ".txt"):
        raise DataError(
            f"unsupported file type {suffix or '(none)'!r}",
            path=path,
            hint="Use a .csv file (comma-separated, UTF-8) or a .parquet file",
        )
    header_line, header = 0, []
    for line, cells in _csv_rows(path):
        if any(cells):
            header_line, header = line, cells
            break
    if not header_line:
        raise DataError(
            "the file is empty", path=path, hint="Write a header row and one row per customer"
        )
    check_header(header, path, header_line)
    layout = _Layout(path, "csv", tuple(header), (), False, header_line, path.stat().st_size)
    pending = _check_header(layout, tree)
    return (layout if pending else _with_criteria(layout, tree)), pending


def _with_criteria(layout: _Layout, tree: CriteriaTree | None) -> _Layout:
    criteria = (
        tuple(tree.leaves)
        if tree is not None
        else tuple(c for c in layout.columns if c not in ("id", "name"))
    )
    return _replace(layout, criteria=criteria, has_name="name" in layout.columns)


def _replace(layout: _Layout, **changes: Any) -> _Layout:
    import dataclasses

    return dataclasses.replace(layout, **changes)


def _check_header(layout: _Layout, tree: CriteriaTree | None) -> DataError | None:
    """The header rules of :func:`mcda_ckm.model.matrix.load_customers`, as an error or None."""

    header, path, where = layout.columns, layout.path, f"row {layout.header_line} (header)"
    if "id" not in header:
        return DataError(
            'no "id" column', path=path, where=where, hint='Name the column of customer ids "id"'
        )
    if tree is None:
        if not [c for c in header if c not in ("id", "name")]:
            return DataError(
                "no indicator columns besides id and name",
                path=path,
                where=where,
                hint="Add one column per indicator",
            )
        return None
    return tree_mismatch(header, tree, path, where)


def _first_stray(path: Path, width: int) -> DataError | None:
    """The first row with a value beyond the header's columns (read_table's rule)."""
    rows = _csv_rows(path)
    for _, cells in rows:
        if any(cells):
            break
    for line, cells in rows:
        if len(cells) > width:
            extra = [k for k in range(width, len(cells)) if cells[k]]
            if extra:
                return _stray_error(path, line, extra[0] + 1)
    return None


def _stray_error(path: Path, line: int, column: int) -> DataError:
    return DataError(
        f"a value in column {column}, which has no header",
        path=path,
        where=f"row {line}",
        hint="Remove the stray value or name its column",
    )


def _strip(array: pa.Array) -> pa.Array:
    """Text without leading or trailing whitespace, as :func:`mcda_ckm.model.matrix.read_table` has
    its cells (anything else as it is)."""
    import pyarrow as pa

    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return array
    if array.null_count == 0 and len(array) and not _may_need_strip(array):
        return array  # the common case: a copy of every string (0.3 s per 10^7 ids) saved
    import pyarrow.compute as pc  # here: its import alone is 0.1 s

    return pc.utf8_trim_whitespace(array)


def _cast(col: pa.Array, kind: pa.DataType) -> pa.Array:
    import pyarrow.compute as pc  # only for columns that need it: its import alone is 0.1 s

    return pc.cast(col, kind)


def _as_ids(col: pa.Array, path: Path) -> pa.Array:
    """A Parquet id column as text (stripped) or signed integers; other types (unsigned,
    decimal, date, binary...) as their text, as the in-memory path reads every id."""
    import pyarrow as pa

    if not (_is_text(col.type) or pa.types.is_signed_integer(col.type)):
        import pyarrow.compute as pc

        try:
            col = pc.cast(col, pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            raise DataError(
                f"ids of type {col.type}, neither text nor integers",
                path=path,
                where='column "id"',
                hint="Store the ids as text (UTF-8) or integers",
            ) from None
    return _strip(col)


def _is_text(kind: pa.DataType) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _numbers(col: pa.Array) -> np.ndarray:
    """The values of a float64 Arrow array without nulls, as numpy, no copy. (``to_numpy``
    would import pandas, a quarter of a second, through pyarrow's conversion layer.)"""
    return np.frombuffer(col.buffers()[1], dtype=np.float64, count=len(col), offset=8 * col.offset)


def _arrow(values: np.ndarray) -> pa.Array:
    """A 1-d numpy array of numbers as Arrow, no copy (``pa.array`` would import pandas)."""
    import pyarrow as pa

    values = np.ascontiguousarray(values)
    return pa.Array.from_buffers(
        pa.from_numpy_dtype(values.dtype), values.size, [None, pa.py_buffer(values)]
    )


def _may_need_strip(array: pa.Array) -> bool:
    """Whether some string of ``array`` (no nulls) starts or ends with a byte that is, or may
    begin or end, whitespace: ASCII controls and space, or any non-ASCII byte."""
    offsets, data = _string_buffers(array)
    starts, ends = offsets[:-1], offsets[1:]
    filled = ends > starts
    if not filled.all():
        starts, ends = starts[filled], ends[filled]
    first, last = data[starts], data[ends - 1]
    return bool(((first <= 0x20) | (first >= 0x7F) | (last <= 0x20) | (last >= 0x7F)).any())


def _cell_text_error(text: str) -> tuple[str, str] | None:
    """What :func:`mcda_ckm.model.matrix.parse_numbers` says of a cell's text (None if it is
    fine)."""
    if not text:
        return "empty cell", MISSING_HINT
    try:
        value = float(text)
    except ValueError:
        return f"{text!r} is not a number", NUMBER_HINT
    if math.isnan(value):
        return f"value is NaN ({text!r})", MISSING_HINT
    if math.isinf(value):
        return f"{text!r} is infinite", _INFINITE_HINT
    return None


def _first_bad(
    columns: dict[str, np.ndarray],
    order: Sequence[str],
    rows: np.ndarray,
    extremes: dict[str, tuple[float, float]],
) -> tuple[int, str] | None:
    """(row, column) of the first non-finite cell, row by row then in ``order``; fills
    ``extremes`` with the (min, max) of every column (which pass 1 needs anyway)."""
    best: tuple[int, int, str] | None = None
    for k, name in enumerate(order):
        col = columns[name]
        if not col.size:
            continue
        # min and max are NaN or infinite when any value is: two reductions without the
        # temporaries of isfinite, and the common case of a finite column ends here.
        lo, hi = float(col.min()), float(col.max())
        extremes[name] = (lo, hi)
        if math.isfinite(lo) and math.isfinite(hi):
            continue
        bad = ~np.isfinite(col)
        if bad.any():
            i = int(np.argmax(bad))
            if best is None or (i, k) < best[:2]:
                best = (i, k, name)
    return None if best is None else (int(rows[best[0]]), best[2])


MAP_BYTES = 128 * 2**20
"""Row groups are read through a memory map, in windows of about this many bytes each."""


def _parquet_batches(
    path: Path, chunk_rows: int, names: list[str], row_groups: Sequence[int] | None
) -> Iterator[pa.RecordBatch]:
    """Record batches of ``chunk_rows`` rows of the columns ``names``.

    Read through a memory map (``memory_map=True``): the pages of the file are decoded where
    the system keeps them, not copied into fresh read buffers first, which took two passes
    over 10^7 x 12 from 1.75 s to 1.28 s, and from 1.07 s to 0.32 s of system time (measured;
    fresh memory is what a pass mostly pays for on a VM). A map's pages count in the resident
    memory while it is open, so the file is mapped a window of row groups at a time (about
    :data:`MAP_BYTES`); a file with a row group larger than that is read with buffered streams
    of 1 MB instead (``buffer_size``), never whole (``pre_buffer=False``: pyarrow's default
    would hold the whole file). A file replaced during the passes is an error
    (:func:`rank_stream` compares its size and time); one truncated in place while mapped would
    stop the process (SIGBUS), as with any memory-mapped reader: export to a temporary name and
    rename, as :mod:`mcda_ckm.files` does.
    """
    import pyarrow.parquet as pq

    meta = pq.read_metadata(path)
    groups = list(range(meta.num_row_groups)) if row_groups is None else list(row_groups)
    windows: list[list[int]] = []
    size = 0
    for g in groups:
        rg = meta.row_group(g)
        nbytes = sum(rg.column(c).total_compressed_size for c in range(rg.num_columns))
        if nbytes > MAP_BYTES:
            windows = []
            break
        if not windows or size + nbytes > MAP_BYTES:
            windows.append([])
            size = 0
        windows[-1].append(g)
        size += nbytes
    else:
        for window in windows:
            with pq.ParquetFile(path, metadata=meta, memory_map=True, pre_buffer=False) as pf:
                yield from pf.iter_batches(
                    batch_size=chunk_rows, row_groups=window, columns=names, use_threads=True
                )
        return
    with pq.ParquetFile(path, metadata=meta, pre_buffer=False, buffer_size=PARQUET_BUFFER) as pf:
        yield from pf.iter_batches(
            batch_size=chunk_rows, row_groups=row_groups, columns=names, use_threads=True
        )


def _parquet_chunks(
    layout: _Layout,
    chunk_rows: int,
    want: str,
    counter: list[int],
    row_groups: Sequence[int] | None = None,
    start: int = 0,
    ids_check: _IdCheck | None = None,
) -> Iterator[_Chunk]:
    import pyarrow as pa

    # want: "all" (pass 1: every column, every check), "numbers" (the same without id and name),
    # "scores" (pass 2: what pass 1 checked, unchecked) or "ids". ``ids_check`` is fed every
    # chunk here, on the reading thread (see rank_stream).
    checked = want in ("all", "numbers")
    names = ["id"] if want == "ids" else ["id", *(["name"] if layout.has_name else [])]
    if want == "numbers":
        names = []
    if want != "ids":
        names += list(layout.in_file_order)
    for batch in _parquet_batches(layout.path, chunk_rows, names, row_groups):
        r = batch.num_rows
        index = np.arange(start, start + r, dtype=np.int64)
        rows = index + 2
        ids = _as_ids(batch.column("id"), layout.path) if "id" in names else None
        nm = _strip(batch.column("name")) if "name" in names else None
        columns: dict[str, np.ndarray] = {}
        bad_cell = None
        for name in layout.in_file_order if want != "ids" else ():
            col = batch.column(name)
            if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
                col = _strip(col)
                try:
                    col = _cast(col, pa.float64())
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                    texts = col.to_pylist()
                    for i, text in enumerate(texts):
                        said = _cell_text_error(text or "")
                        if said:
                            cell = (int(rows[i]), name, *said)
                            if bad_cell is None or cell[0] < bad_cell[0]:
                                bad_cell = cell
                            break
                    columns[name] = np.full(r, np.nan)
                    continue
            elif not (pa.types.is_floating(col.type) and col.type.bit_width == 64):
                try:
                    col = _cast(col, pa.float64())
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                    raise DataError(
                        f"column of type {col.type}, not numbers",
                        path=layout.path,
                        where=f'column "{name}"',
                        hint="Store the indicators as numbers (float64 or integers)",
                    ) from None
            if col.null_count:
                i = int(np.argmax(np.asarray(col.is_null())))
                cell = (int(rows[i]), name, "empty cell", MISSING_HINT)
                if bad_cell is None or cell[0] < bad_cell[0]:
                    bad_cell = cell
                col = col.fill_null(np.nan)
            columns[name] = _numbers(col)
        extremes: dict[str, tuple[float, float]] = {}
        if bad_cell is None and checked:
            found = _first_bad(columns, layout.in_file_order, rows, extremes)
            if found is not None:
                row, name = found
                value = columns[name][row - 2 - start]
                bad_cell = (
                    row,
                    name,
                    "value is NaN" if math.isnan(value) else "value is infinite",
                    MISSING_HINT,
                )
        counter[0] += r
        start += r
        chunk = _Chunk(index, rows, ids, nm, columns, bad_cell, extremes=extremes or None)
        if ids_check is not None:
            ids_check.add(chunk)
        yield chunk


def _csv_fast_chunks(
    layout: _Layout, chunk_rows: int, want: str, counter: list[int]
) -> Iterator[_Chunk]:
    """Chunks by pyarrow's CSV reader; raises :class:`_NeedExact` on anything irregular (a row
    of another width, a value pyarrow does not parse, a non-finite or empty cell)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    with open(layout.path, "rb") as fh:
        head = fh.read(1 << 16)
    per_row = max(16, len(head) // max(1, head.count(b"\n")))
    block = int(min(max(per_row * chunk_rows, 1 << 20), 1 << 28))
    types = {c: pa.float64() for c in layout.criteria}
    types["id"] = pa.string()
    if layout.has_name:
        types["name"] = pa.string()
    include = ["id", *(["name"] if layout.has_name else [])]
    if want != "ids":
        include += list(layout.in_file_order)

    def invalid(_row: Any) -> str:
        return "error"

    try:
        reader = pacsv.open_csv(
            _CountingReader(layout.path, counter),
            read_options=pacsv.ReadOptions(
                skip_rows=layout.header_line,
                column_names=list(layout.columns),
                block_size=block,
                use_threads=True,
            ),
            parse_options=pacsv.ParseOptions(invalid_row_handler=invalid, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=types,
                include_columns=include,
                null_values=[""],
                strings_can_be_null=False,
                quoted_strings_can_be_null=True,
            ),
        )
        start = 0  # records read, blank ones included: row = header_line + 1 + record
        kept = 0
        for batch in reader:
            r = batch.num_rows
            ids = _strip(batch.column("id"))
            nm = _strip(batch.column("name")) if layout.has_name else None
            blank = pc.equal(ids, "")
            if nm is not None:
                blank = pc.and_(blank, pc.equal(nm, ""))
            for name in layout.in_file_order if want != "ids" else ():
                blank = pc.and_(blank, pc.is_null(batch.column(name)))
            record = np.arange(start, start + r, dtype=np.int64)
            keep = None
            if pc.any(blank).as_py():
                keep = ~np.asarray(blank)
                ids, record = ids.filter(pa.array(keep)), record[keep]
                nm = nm.filter(pa.array(keep)) if nm is not None else None
            columns: dict[str, np.ndarray] = {}
            extremes: dict[str, tuple[float, float]] = {}
            for name in layout.in_file_order if want != "ids" else ():
                col = batch.column(name)
                if keep is not None:
                    col = col.filter(pa.array(keep))
                if col.null_count:
                    raise _NeedExact
                values = _numbers(col)
                if want == "all" and values.size:  # pass 2 reads what pass 1 checked
                    lo, hi = float(values.min()), float(values.max())
                    if not (math.isfinite(lo) and math.isfinite(hi)):
                        raise _NeedExact
                    extremes[name] = (lo, hi)
                columns[name] = values
            if nm is not None:
                nm = pc.if_else(pc.equal(nm, ""), ids, nm)
            n_kept = len(record)
            yield _Chunk(
                np.arange(kept, kept + n_kept, dtype=np.int64),
                record + layout.header_line + 1,
                ids,
                nm,
                columns,
                extremes=extremes or None,
            )
            start += r
            kept += n_kept
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise _NeedExact from None


def _csv_exact_chunks(
    layout: _Layout, chunk_rows: int, want: str, counter: list[int]
) -> Iterator[_Chunk]:
    """Chunks by the csv module, with the exact rules and messages of
    :func:`mcda_ckm.model.matrix.read_table` and :func:`mcda_ckm.model.matrix.parse_numbers`."""
    import pyarrow as pa

    width = len(layout.columns)
    id_col = layout.columns.index("id")
    name_col = layout.columns.index("name") if layout.has_name else id_col
    order = layout.in_file_order if want != "ids" else ()
    where = [layout.columns.index(c) for c in order]
    rows_iter = _csv_rows(layout.path, counter)
    for _, cells in rows_iter:
        if any(cells):
            break
    kept = 0

    def build(buffer: list[tuple[int, list[str]]], stray: tuple[int, int] | None) -> _Chunk:
        nonlocal kept
        rows = np.array([line for line, _ in buffer], dtype=np.int64)
        ids = pa.array([c[id_col] for _, c in buffer], pa.string())
        names = pa.array([c[name_col] or c[id_col] for _, c in buffer], pa.string())
        columns: dict[str, np.ndarray] = {}
        bad_cell = None
        cells = [[c[k] for k in where] for _, c in buffer]
        try:
            block = np.array(cells, dtype=np.float64).reshape(len(cells), len(where))
            ok = bool(np.isfinite(block).all())
        except ValueError:
            ok = False
        if not ok:
            block = np.full((len(cells), len(where)), np.nan)
            for (line, _), row in zip(buffer, cells, strict=True):
                said = next(
                    (
                        (name, s)
                        for text, name in zip(row, order, strict=True)
                        if (s := _cell_text_error(text))
                    ),
                    None,
                )
                if said:
                    bad_cell = (line, said[0], *said[1])
                    break
        for k, name in enumerate(order):
            columns[name] = np.ascontiguousarray(block[:, k])
        index = np.arange(kept, kept + len(buffer), dtype=np.int64)
        kept += len(buffer)
        return _Chunk(
            index, rows, ids, names if layout.has_name else None, columns, bad_cell, stray
        )

    buffer: list[tuple[int, list[str]]] = []
    stray = None
    for line, raw in rows_iter:
        if not any(raw):
            continue
        cells = raw
        if len(cells) > width:
            extra = [k for k in range(width, len(cells)) if cells[k]]
            if extra and stray is None:
                stray = (line, extra[0] + 1)
            cells = cells[:width]
        elif len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        buffer.append((line, cells))
        if len(buffer) >= chunk_rows:
            yield build(buffer, stray)
            buffer, stray = [], None
    if buffer or stray:
        yield build(buffer, stray)


def _prefetched(source: Callable[..., Iterator[_Chunk]]) -> Callable[..., Iterator[_Chunk]]:
    """The same chunks, read one ahead on a thread: decoding (which releases the GIL) overlaps
    the numpy work on the previous chunk."""
    import queue
    import threading

    def chunks(*args: Any, **kwargs: Any) -> Iterator[_Chunk]:
        box: queue.Queue[Any] = queue.Queue(maxsize=1)
        stop = threading.Event()

        def produce() -> None:
            try:
                for chunk in source(*args, **kwargs):
                    while not stop.is_set():
                        try:
                            box.put(chunk, timeout=0.1)
                            break
                        except queue.Full:
                            continue
                    if stop.is_set():
                        return
                box.put(StopIteration())
            except BaseException as exc:  # handed to the consumer, raised there
                box.put(exc)

        thread = threading.Thread(target=produce, daemon=True)
        thread.start()
        try:
            while True:
                item = box.get()
                if isinstance(item, StopIteration):
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop.set()
            while thread.is_alive():
                try:
                    box.get_nowait()
                except queue.Empty:
                    pass
                thread.join(0.05)

    return chunks


# --- pass 1: statistics and validation --------------------------------------------------------

_HASH_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_HASH_MIX = np.uint64(0xBF58476D1CE4E5B9)


def _mix(h: np.ndarray, scratch: np.ndarray | None = None) -> np.ndarray:
    """splitmix64's finaliser (Steele, Lea & Flood 2014), in place (the shifts into
    ``scratch``, an array like ``h``, rather than into new temporaries)."""
    tmp = np.empty_like(h) if scratch is None else scratch
    h ^= np.right_shift(h, np.uint64(30), out=tmp)
    h *= _HASH_MIX
    h ^= np.right_shift(h, np.uint64(27), out=tmp)
    h *= np.uint64(0x94D049BB133111EB)
    h ^= np.right_shift(h, np.uint64(31), out=tmp)
    return h


def hash_ids(ids: pa.Array) -> np.ndarray:
    """A 64-bit hash of every id (strings: their UTF-8 bytes, 8 at a time; integers: their
    value), vectorised over the Arrow buffers. Equal ids have equal hashes, whatever the other
    ids of the array; different ids rarely collide, and equal hashes are confirmed on the ids.
    """
    out = np.empty(len(ids), dtype=np.uint64)
    _hash_ids(ids, out)
    return out


HASH_BLOCK = 1 << 14
"""Ids hashed at a time in :func:`_hash_ids`: the temporaries of each step stay in cache."""


def _hash_ids(ids: pa.Array, out: np.ndarray, scratch: _Scratch | None = None) -> bool:
    """:func:`hash_ids` into ``out``; whether some id is null or empty (strings only).

    Strings: the byte length, then every 8-byte word of the id (bytes past its end zero),
    folded in by xor and an odd multiplier, then splitmix64's finaliser (:func:`_mix`). The
    words are read from the Arrow data buffer as two aligned words shifted together (an
    unaligned gather), block by block: no padded copy of the strings (``pc.utf8_rpad`` cost
    0.6 s per 10^7 ids) and no temporary the size of a chunk (fresh pages were most of the
    cost: measured).
    """
    import pyarrow as pa

    scratch = scratch or _Scratch()
    if pa.types.is_integer(ids.type):
        values = ids.cast(pa.int64()).fill_null(0)
        raw = np.frombuffer(values.buffers()[1], np.uint64, len(values), 8 * values.offset)
        np.multiply(raw, _HASH_MULTIPLIER, out=out)
        _mix(out)
        return False
    if ids.null_count:
        ids = ids.fill_null("")
    offsets, data = _string_buffers(ids)
    n = len(ids)
    first = int(offsets[0]) if n else 0
    size = int(offsets[n]) - first if n else 0
    # The bytes as little-endian words, two zero words past the end so that any 8 bytes of
    # the data can be read as two words.
    words = scratch.array("words", -(-size // 8) + 2, np.uint64)
    words[-3:] = 0
    words.view(np.uint8)[:size] = data[first : first + size]
    one, m = np.uint64(1), _HASH_MULTIPLIER
    empty = False
    for a in range(0, n, HASH_BLOCK):
        b = min(a + HASH_BLOCK, n)
        bounds = offsets[a : b + 1].astype(np.int64)
        bounds -= first
        length = np.diff(bounds)
        starts = bounds[:-1]
        count = -(-length // 8)
        every, most = int(count.min()), int(count.max())
        empty = empty or every == 0
        h = out[a:b]
        np.multiply(length.view(np.uint64), m, out=h)
        for k in range(most):
            at = starts + 8 * k if k else starts
            q = at >> 3
            if k >= every:  # shorter ids read past the buffer's end: their bytes are masked
                np.minimum(q, words.size - 2, out=q)
            bits = ((at & 7) << 3).view(np.uint64)
            w = words[q]
            w >>= bits
            q += 1
            w |= words[q] << (np.uint64(64) - bits)  # numpy shifts by >= 64 give 0
            if k >= every - 1:  # the last word of some id: mask the bytes past its end
                valid = np.clip(length - 8 * k, 0, 8).view(np.uint64)
                valid <<= np.uint64(3)
                w &= (one << valid) - one  # all ones for 8 valid bytes (1 << 64 is 0)
            if k < every:
                h ^= w
                h *= m
            else:  # only the ids that have a k-th word: the hash of an id is its own
                w ^= h
                w *= m
                np.copyto(h, w, where=k < count)
        _mix(h)
    return empty


class _Scratch:
    """Arrays reused from chunk to chunk (grown when needed): on a VM, fresh memory is paid
    for in page faults each time glibc hands it back to the system."""

    def __init__(self) -> None:
        self._arrays: dict[str, np.ndarray] = {}

    def array(self, name: str, n: int, dtype: Any = np.float64) -> np.ndarray:
        have = self._arrays.get(name)
        if have is None or have.size < n or have.dtype != dtype:
            have = self._arrays[name] = np.empty(max(n, 1), dtype=dtype)
        return have[:n]


def _string_buffers(ids: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The offsets (``len(ids) + 1``, int32 or int64 as stored) and the data bytes of a string
    array, without copying either."""
    import pyarrow as pa

    n = len(ids)
    buffers = ids.buffers()
    large = pa.types.is_large_string(ids.type) or pa.types.is_large_binary(ids.type)
    offsets = np.frombuffer(buffers[1], dtype=np.int64 if large else np.int32)[
        ids.offset : ids.offset + n + 1
    ]
    data = (
        np.frombuffer(buffers[2], dtype=np.uint8)
        if buffers[2] is not None
        else np.empty(0, np.uint8)
    )
    return offsets, data


class _HashSpill:
    """Id hashes, in memory up to ``limit`` then spilled to ``2^bits`` bucket files by their top
    bits, so that finding equal hashes needs one bucket at a time in memory.

    The hashes are written into a buffer of ``limit`` (allocated, not touched: its pages are
    mapped as they fill) and, when they all fit, sorted there in place: no concatenated copy.
    The limit (96 MB) keeps 10^7 ids in memory, where spilling them cost 0.6 s (measured). A
    full buffer is spilled on a thread while a second one fills: the spill (its partition and
    its writes, 0.6 s per buffer) overlaps the passes instead of stopping them.
    """

    def __init__(self, limit: int = 3 << 22, bits: int = 6) -> None:
        self.limit, self.bits = limit, bits
        self.buffer: np.ndarray | None = None
        self.spare: np.ndarray | None = None  # the other buffer, once spilling
        self.held = 0
        self.folder: str | None = None
        self._big: np.ndarray | None = None  # a reservation larger than the buffer
        self.files: dict[int, Any] = {}  # open bucket files
        self.pending: Any = None  # the spill in progress
        self.pool: Any = None

    def add(self, h: np.ndarray) -> None:
        self.reserve(h.size)[:] = h
        self.commit(h.size)

    def reserve(self, n: int) -> np.ndarray:
        """Room for ``n`` hashes (then :meth:`commit`): hashed in place, not copied."""
        if self.held + n > self.limit:
            self._spill()
            if n > self.limit:
                self._big = np.empty(n, dtype=np.uint64)
                return self._big
        if self.buffer is None:
            self.buffer = np.empty(self.limit, dtype=np.uint64)
        return self.buffer[self.held : self.held + n]

    def commit(self, n: int) -> None:
        """Keep the first ``n`` hashes of the last :meth:`reserve`."""
        if self._big is not None:
            self._wait()
            self._write(self._big[:n])
            self._big = None
        else:
            self.held += n

    def _wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()

    def _sorted(self) -> np.ndarray:
        if self.buffer is None:
            return np.empty(0, np.uint64)
        h = self.buffer[: self.held]
        h.sort()
        return h

    def _spill(self) -> None:
        """Hand the full buffer to the spilling thread and fill the other one."""
        if self.buffer is None or not self.held:
            return
        from concurrent.futures import ThreadPoolExecutor

        self._wait()
        if self.folder is None:  # here, not on the thread: duplicated() tells by it a spill
            self.folder = tempfile.mkdtemp(prefix="ckm-ids-")
        if self.pool is None:
            self.pool = ThreadPoolExecutor(max_workers=1)
        self.pending = self.pool.submit(self._write, self.buffer[: self.held])
        self.buffer, self.spare = self.spare, self.buffer
        self.held = 0

    def _write(self, h: np.ndarray) -> None:
        """Append hashes to the bucket files, each to the bucket of its top bits.

        Partitioned (a stable radix argsort of the bucket numbers, a slice at a time), not
        sorted: each bucket is sorted once, at the end. Sorting at every spill as well cost
        2.4 s per 10^8 ids (measured: 0.64 s to sort 16M hashes, 0.26 s to partition them).
        """
        if self.folder is None:  # the synchronous write of a reservation larger than the buffer
            self.folder = tempfile.mkdtemp(prefix="ckm-ids-")
        shift = np.uint64(64 - self.bits)
        for a in range(0, h.size, 1 << 18):
            part = h[a : a + (1 << 18)]
            bucket = (part >> shift).astype(np.uint8)
            counts = np.bincount(bucket, minlength=1 << self.bits)
            grouped = part[np.argsort(bucket, kind="stable")]
            for b, piece in enumerate(np.split(grouped, np.cumsum(counts)[:-1])):
                if piece.size:
                    if b not in self.files:
                        self.files[b] = open(os.path.join(self.folder, f"{b:03d}"), "ab")
                    piece.tofile(self.files[b])

    def duplicated(self) -> np.ndarray:
        """The hash values seen more than once."""
        self._wait()  # a spill in progress, and its errors, first
        if self.folder is None:
            h = self._sorted()
            return np.unique(h[1:][h[1:] == h[:-1]])
        self._spill()
        self._wait()
        self.buffer = self.spare = None  # their memory, for the buckets
        self._close_files()
        folder = self.folder

        def repeats(name: str) -> np.ndarray:
            h = np.fromfile(os.path.join(folder, name), dtype=np.uint64)
            h.sort()
            return h[1:][h[1:] == h[:-1]]

        from concurrent.futures import ThreadPoolExecutor

        # Two buckets at a time (numpy's sort releases the GIL): one bucket of 1/64 of the
        # hashes per thread in memory.
        with ThreadPoolExecutor(max_workers=2) as pool:
            found = list(pool.map(repeats, sorted(os.listdir(folder))))
        return np.unique(np.concatenate(found)) if found else np.empty(0, np.uint64)

    def _close_files(self) -> None:
        for fh in self.files.values():
            fh.close()
        self.files = {}

    def close(self) -> None:
        try:
            self._wait()
        except Exception:  # closing after a failure: the spill's own error does not matter
            pass
        finally:
            if self.pool is not None:
                self.pool.shutdown()
                self.pool = None
            self.buffer, self.spare, self.held = None, None, 0
            self._close_files()
            if self.folder is not None:
                shutil.rmtree(self.folder, ignore_errors=True)
                self.folder = None


def _empty_id_rows(ids: pa.Array, rows: np.ndarray) -> np.ndarray:
    import pyarrow as pa

    if pa.types.is_integer(ids.type):
        if not ids.null_count:
            return rows[:0]
        mask = np.asarray(ids.is_null())
    elif ids.null_count:
        import pyarrow.compute as pc

        mask = np.asarray(pc.or_kleene(pc.is_null(ids), pc.equal(ids, "")).fill_null(True))
    else:
        offsets, _ = _string_buffers(ids)
        mask = offsets[1:] == offsets[:-1]
    return rows[mask]


@dataclass
class _Stats:
    """What pass 1 accumulates (per chunk, then combined: see :func:`_combine`)."""

    n: int
    count: int = 0
    lo: np.ndarray = field(default_factory=lambda: np.empty(0))
    hi: np.ndarray = field(default_factory=lambda: np.empty(0))
    partials: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    first_negative: dict[int, tuple[int, float]] = field(default_factory=dict)
    empty_id: int | None = None
    bad_cell: tuple[int, str, str, str] | None = None
    stray: tuple[int, int] | None = None
    scratch: np.ndarray = field(default_factory=lambda: np.empty(0))

    def __post_init__(self) -> None:
        self.lo = np.full(self.n, np.inf)
        self.hi = np.full(self.n, -np.inf)


def _chunk_stats(stats: _Stats, chunk: _Chunk, criteria: Sequence[str], check_negative: bool):
    """Fold one chunk into ``stats`` (pass 1)."""
    stats.count += len(chunk.index)
    if chunk.stray is not None and stats.stray is None:
        stats.stray = chunk.stray
    if chunk.bad_cell is not None and stats.bad_cell is None:
        stats.bad_cell = chunk.bad_cell
    if stats.bad_cell is not None or not len(chunk.index):
        return
    sums, exps = np.zeros(len(criteria)), np.zeros(len(criteria), dtype=np.int64)
    m = len(chunk.index)
    if stats.scratch.size < m:
        stats.scratch = np.empty(m)
    # One scratch array for the squares of every column of every chunk: fresh memory is what a
    # pass mostly pays for on a VM (page faults), and a new temporary per column was 0.2 s per
    # 10^7 x 12 (measured).
    squares = stats.scratch[:m]
    for j, name in enumerate(criteria):
        col = chunk.columns[name]
        if chunk.extremes is not None and name in chunk.extremes:
            lo, hi = chunk.extremes[name]
        else:
            lo, hi = float(col.min()), float(col.max())
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
    stats.partials.append((sums, exps))


def _scale2(
    stats: _Stats, normalization: str
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
    layout: _Layout,
    source: Callable[..., Iterator[_Chunk]],
    chunk_rows: int,
    normalization: str,
    on_chunk: Callable[[], None],
    counter: list[int],
    want: str = "all",
) -> tuple[_Stats, np.ndarray]:
    """Statistics of every criteria column and (unless ``want`` is "numbers") the first empty
    id and the hashes of duplicated ids."""
    criteria = layout.criteria
    stats = _Stats(len(criteria))
    ids = _IdCheck()
    try:
        for chunk in source(layout, chunk_rows, want, counter):
            _chunk_stats(stats, chunk, criteria, normalization == "vector")
            if chunk.ids is not None:
                ids.add(chunk)
            on_chunk()
        stats.empty_id, duplicated = ids.result(lambda: source(layout, chunk_rows, "ids", [0]))
    finally:
        ids.close()
    return stats, duplicated


class _IdCheck:
    """Empty and repeated ids, chunk by chunk: the first empty id's row, and the hash of every
    id seen more than once (:class:`_HashSpill`).

    Ids in ascending order (each greater than the one before, as text or as numbers-in-text:
    shorter first, then as text; integers by value), as an export keyed by id usually has
    them, are all different: while the order holds, nothing is hashed, stored or sorted
    (per 10^8 ids, 6 s of a 22 s run: measured). Where the order first fails, the ids from
    there on are hashed, and those before it are read again and hashed (:meth:`result`).
    """

    def __init__(self) -> None:
        self.empty_id: int | None = None
        self.spill = _HashSpill()
        self.scratch = _Scratch()
        self.orders: set[str] = {"text", "length"}  # the orders that hold so far
        self.last: Any = None  # the last id checked for order
        self.unhashed = 0  # ids at input indices below this are in order, not hashed

    def add(self, chunk: _Chunk) -> None:
        if not len(chunk.index):
            return
        assert chunk.ids is not None
        if self.empty_id is None:
            self.empty_id = _first_empty_id(chunk)
        if self.orders:
            self.orders &= _ascending(chunk.ids, self.last, self.scratch)
            if self.orders:
                self.last = chunk.ids[len(chunk.ids) - 1].as_py()
                self.unhashed = int(chunk.index[-1]) + 1
                return
        _add_hashes(self.spill, chunk.ids, self.scratch)

    def result(
        self, again: Callable[[], Iterator[_Chunk]] | None = None
    ) -> tuple[int | None, np.ndarray]:
        """(first empty id's row, repeated hashes); ``again`` reads the ids from the start,
        for the ids that were in order before the order failed."""
        if self.orders:
            return self.empty_id, np.empty(0, dtype=np.uint64)
        if self.unhashed:
            assert again is not None
            for chunk in again():
                first = int(chunk.index[0]) if len(chunk.index) else 0
                if first >= self.unhashed:
                    break
                m = int(np.searchsorted(chunk.index, self.unhashed))
                assert chunk.ids is not None
                _add_hashes(self.spill, chunk.ids.slice(0, m), self.scratch)
        return self.empty_id, self.spill.duplicated()

    def close(self) -> None:
        self.spill.close()


def _ascending(ids: pa.Array, last: Any, scratch: _Scratch) -> set[str]:
    """The orders in which ``ids`` is strictly ascending, ``last`` (the id before, or None)
    included: "text" (UTF-8 bytes, as Python orders str) and "length" (shorter first, then as
    text: "C9" < "C10"); integers count as both when ascending by value."""
    import pyarrow as pa

    if ids.null_count:
        return set()
    if pa.types.is_integer(ids.type):
        v = np.frombuffer(ids.buffers()[1], _integer_dtype(ids.type), ids.offset + len(ids))
        v = v[ids.offset :]
        ok = bool(np.all(v[1:] > v[:-1])) and (last is None or int(v[0]) > int(last))
        return {"text", "length"} if ok else set()
    if not _is_text(ids.type):
        return set()
    orders = {"text", "length"}
    if last is not None:
        a, b = str(last).encode(), ids[0].as_py().encode()
        if not a < b:
            orders.discard("text")
        if not (len(a), a) < (len(b), b):
            orders.discard("length")
    n = len(ids)
    if n < 2 or not orders:
        return orders
    offsets, data = _string_buffers(ids)
    first, size = int(offsets[0]), int(offsets[n]) - int(offsets[0])
    words = scratch.array("order-words", -(-size // 8) + 2, np.uint64)
    words[-2:] = 0
    words.view(np.uint8)[:size] = data[first : first + size]
    # Blocks of rows that overlap by one, so that every pair of neighbours is in a block.
    for a in range(0, n - 1, HASH_BLOCK):
        b = min(a + HASH_BLOCK + 1, n)
        bounds = offsets[a : b + 1].astype(np.int64) - first
        length = np.diff(bounds)
        less = np.zeros(b - a - 1, dtype=bool)
        decided = np.zeros(b - a - 1, dtype=bool)
        for k in range(int(-(-length.max() // 8))):
            w = _word_at(words, bounds[:-1] + 8 * k, np.clip(length - 8 * k, 0, 8))
            w.byteswap(inplace=True)  # big-endian: word order is byte order
            differ = (w[:-1] != w[1:]) & ~decided
            less |= differ & (w[:-1] < w[1:])
            decided |= differ
        shorter = length[:-1] < length[1:]
        less |= ~decided & shorter  # equal bytes up to the shorter's end: a prefix comes first
        if "text" in orders and not less.all():
            orders.discard("text")
        if "length" in orders and not np.all(shorter | ((length[:-1] == length[1:]) & less)):
            orders.discard("length")
        if not orders:
            break
    return orders


def _word_at(words: np.ndarray, at: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """The 8 bytes at byte offsets ``at`` of ``words`` (little-endian), bytes from ``valid``
    on set to 0: two aligned words shifted together."""
    q = np.minimum(at >> 3, words.size - 2)
    bits = ((at & 7) << 3).view(np.uint64)
    w = words[q]
    w >>= bits
    w |= words[q + 1] << (np.uint64(64) - bits)
    one = np.uint64(1)
    w &= (one << (valid.view(np.uint64) << np.uint64(3))) - one
    return w


def _integer_dtype(kind: pa.DataType) -> Any:
    import pyarrow as pa

    return np.dtype(f"{'' if pa.types.is_signed_integer(kind) else 'u'}int{kind.bit_width}")


def _first_empty_id(chunk: _Chunk) -> int | None:
    """The row of the chunk's first empty id, or None."""
    assert chunk.ids is not None
    empty = _empty_id_rows(chunk.ids, chunk.rows)
    return int(empty[0]) if empty.size else None


def _nonempty_hashes(ids: pa.Array) -> np.ndarray:
    """The hashes of the ids that are neither null nor empty."""
    spill = _HashSpill(limit=max(len(ids), 1))
    try:
        _add_hashes(spill, ids, _Scratch())
        if spill.buffer is None:
            return np.empty(0, dtype=np.uint64)
        return spill.buffer[: spill.held].copy()
    finally:
        spill.close()


def _add_hashes(spill: _HashSpill, ids: pa.Array, scratch: _Scratch) -> None:
    """Hash the ids that are neither null nor empty straight into ``spill``."""
    import pyarrow as pa

    if ids.null_count:
        if pa.types.is_integer(ids.type):
            ids = ids.drop_null()
        else:
            import pyarrow.compute as pc

            keep = pc.and_(pc.invert(pc.is_null(ids)), pc.not_equal(ids, "")).fill_null(False)
            ids = ids.filter(keep)
    h = spill.reserve(len(ids))
    if not _hash_ids(ids, h, scratch):
        spill.commit(len(ids))
        return
    # Some empty ids: hashed with the rest (a hash does not depend on the other ids), then
    # dropped, rather than filtering a copy of the strings (0.4 s per 10^7, measured).
    offsets, _ = _string_buffers(ids)
    filled = offsets[1:] != offsets[:-1]
    kept = int(np.count_nonzero(filled))
    h[:kept] = h[filled]
    spill.commit(kept)


def _first_duplicate(
    layout: _Layout,
    source: Callable[..., Iterator[_Chunk]],
    chunk_rows: int,
    duplicated: np.ndarray,
) -> tuple[int, str, int] | None:
    """(row, id, first row) of the first id seen before, among ids whose hash is duplicated."""
    seen: dict[str, int] = {}
    best: tuple[int, str, int] | None = None
    for chunk in source(layout, chunk_rows, "ids", [0]):
        if not len(chunk.index):
            continue
        mask = np.isin(hash_ids(chunk.ids), duplicated)  # nulls hash as empty or 0: skipped
        if not mask.any():
            continue
        where = np.flatnonzero(mask)
        texts = chunk.ids.take(_arrow(where)).to_pylist()
        for i, value in zip(where.tolist(), texts, strict=True):
            if value is None or value == "":
                continue
            text = str(value)
            row = int(chunk.rows[i])
            if text in seen:
                if best is None or row < best[0]:
                    best = (row, text, seen[text])
                    return best  # rows come in order: the first repeat is the answer
            else:
                seen[text] = row
    return best


def _raise_first_error(
    layout: _Layout,
    stats: _Stats,
    duplicate: tuple[int, str, int] | None,
    weights: np.ndarray,
    normalization: str,
) -> None:
    """Raise the error the in-memory path would raise first, if any."""
    path = layout.path
    if stats.stray is not None:
        raise _stray_error(path, *stats.stray)
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


# --- pass 2: scores, top-k --------------------------------------------------------------------


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
        """Fold in a chunk's closeness, input indices and distances."""
        c = np.concatenate([self.c, c])
        index = np.concatenate([self.index, index])
        dist = np.concatenate([self.distances, np.column_stack([d_plus, d_minus])])
        at = np.arange(c.size, dtype=np.int64)
        kept = select_candidates(c[None], at[None], self.k, self.margin).index[0]
        kept = kept[kept < c.size]
        self.c, self.index, self.distances = c[kept], index[kept], dist[kept]

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


# --- writing ----------------------------------------------------------------------------------


class _Writer:
    """Chunks of results to Parquet or CSV, through a temporary file renamed at the end."""

    def __init__(self, out: Path, schema: pa.Schema, temporary: bool = False) -> None:
        self.out = Path(out)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{self.out.name}.", dir=self.out.parent)
        from mcda_ckm.files import usual_mode

        os.close(fd)
        try:
            usual_mode(self.tmp)
            self.writer = self._open(schema, temporary)
        except BaseException:
            Path(self.tmp).unlink(missing_ok=True)
            raise
        # One write in flight on a thread (Arrow's writers release the GIL), overlapping the
        # scoring of the next chunk.
        from concurrent.futures import ThreadPoolExecutor

        self.pool: ThreadPoolExecutor | None = ThreadPoolExecutor(max_workers=1)
        self.pending: Any = None

    def _open(self, schema: pa.Schema, temporary: bool) -> Any:
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq

        self.csv = self.out.suffix.lower() in (".csv", ".txt")
        return (
            pacsv.CSVWriter(self.tmp, schema)
            if self.csv
            else pq.ParquetWriter(
                self.tmp,
                schema,
                # Snappy for the ids and names (zstd writes 15% less but took 2.4 s more of the
                # writer's time per 10^8 rows); the scores as they are: random doubles do not
                # compress, and trying cost 0.35 s per 10^7 rows (measured).
                compression={
                    f.name: ("snappy" if _is_text(f.type) and not temporary else "none")
                    for f in schema
                },
                use_dictionary=False,  # unique ids and float scores: dictionaries only cost
                # Statistics of the numbers (for readers' filters), not of the ids and names:
                # their minimum and maximum strings cost some 0.15 s per 10^7 rows (measured).
                write_statistics=[f.name for f in schema if not _is_text(f.type)],
                write_batch_size=1 << 16,  # values encoded at a time: 10% less writing time
            )
        )

    def write(self, table: pa.Table) -> None:
        if self.csv:
            table = _neutralised(table)
        if self.pending is not None:
            self.pending.result()
        assert self.pool is not None
        self.pending = self.pool.submit(self.writer.write_table, table)

    def finish(self) -> None:
        """Write what is pending and close the temporary file (not yet renamed)."""
        if self.pool is None:
            return
        try:
            if self.pending is not None:
                self.pending.result()
        finally:
            self.pool.shutdown()
            self.pool = None
            self.writer.close()

    def close(self, ok: bool) -> None:
        """Finish, then rename the file into place (``ok``) or delete it."""
        try:
            self.finish()
        except BaseException:
            ok = False
            raise
        finally:
            self._end(ok)

    def _end(self, ok: bool) -> None:
        if ok:
            os.replace(self.tmp, self.out)
        else:
            Path(self.tmp).unlink(missing_ok=True)


def _neutralised(table: pa.Table) -> pa.Table:
    """Text cells a spreadsheet would run as a formula get a leading apostrophe
    (:func:`mcda_ckm.files.csv_cell`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for k, name in enumerate(table.column_names):
        col = table.column(name)
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            risky = pc.match_substring_regex(col, r"^[=+\-@\t\r]")
            if pc.any(risky).as_py():
                fixed = pc.if_else(risky, pc.binary_join_element_wise("'", col, ""), col)
                table = table.set_column(k, name, fixed)
    return table


@dataclass(frozen=True)
class _Prepared:
    layout: _Layout
    source: Callable[..., Iterator[_Chunk]]
    stats: _Stats
    weights: np.ndarray
    d: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    sums: np.ndarray
    scale2: np.ndarray
    ids_checked: bool = True


def _prepare(
    path: Path,
    weights: Any,
    tree: CriteriaTree | None,
    directions: Any,
    normalization: str,
    chunk_rows: int,
    tick: Callable[[], None],
    counter: list[int],
    defer_ids: bool = False,
) -> _Prepared:
    """Pass 1: the header, the weights and directions, the statistics; raises the first error
    of the in-memory path.

    With ``defer_ids``, a Parquet file's ids are not read here but checked (empty, repeated)
    by the caller as pass 2 reads them (:class:`_IdCheck`, then :func:`_raise_id_error`): pass 1
    then reads the numbers alone, as Polars' and DuckDB's do, which saves decoding the ids a
    second time. The errors stay those of the in-memory path, in its order: when the numbers
    have an error, the ids are checked here first (the in-memory path reports them first).
    """
    layout, pending = _layout(path, tree)
    if pending is not None:  # read_table checks the rows' widths before load_customers' rules
        raise _first_stray(path, len(layout.columns)) or pending
    w, d = _weights_and_directions(weights, directions, tree, layout.criteria)
    source = _prefetched(_parquet_chunks if layout.kind == "parquet" else _csv_fast_chunks)
    defer = defer_ids and layout.kind == "parquet"
    try:
        stats, duplicated = _pass1(
            layout, source, chunk_rows, normalization, tick, counter, "numbers" if defer else "all"
        )
        exact_needed = layout.kind == "csv" and (
            stats.bad_cell is not None or stats.empty_id is not None or duplicated.size > 0
        )
    except _NeedExact:
        exact_needed = True
    if exact_needed:
        source = _prefetched(_csv_exact_chunks)
        counter[0] = 0
        stats, duplicated = _pass1(layout, source, chunk_rows, normalization, tick, counter)
    if defer:
        try:
            _raise_first_error(layout, stats, None, w, normalization)
        except DataError:
            defer = False
            ids = _IdCheck()
            try:
                for chunk in source(layout, chunk_rows, "ids", [0]):
                    ids.add(chunk)
                stats.empty_id, duplicated = ids.result(
                    lambda: source(layout, chunk_rows, "ids", [0])
                )
            finally:
                ids.close()
    duplicate = (
        _first_duplicate(layout, source, chunk_rows, duplicated) if duplicated.size else None
    )
    _raise_first_error(layout, stats, duplicate, w, normalization)
    _, _, sums, scale2 = _scale2(stats, normalization)
    return _Prepared(
        layout, source, stats, w, d, stats.lo, stats.hi, sums, scale2, ids_checked=not defer
    )


def _stamp(path: Path) -> tuple[int, int]:
    """The size and modification time of a file: unchanged between the passes, or an error
    ((-1, -1) once the file is gone)."""
    try:
        info = path.stat()
    except OSError:
        return -1, -1
    return info.st_size, info.st_mtime_ns


def _weights_and_directions(
    weights: Any, directions: Any, tree: CriteriaTree | None, criteria: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Checked weights (scaled to sum 1) and directions (+1/-1): ``directions`` if given, else
    the tree's, else every criterion a benefit."""
    n = len(criteria)
    w = check_weights(weights, n, criteria)
    if directions is None:
        d = tree.directions if tree is not None else np.ones(n, dtype=np.int64)
    else:
        from mcda_ckm.model.matrix import direction_signs

        d = check_directions(direction_signs(directions), n)
    return w, np.asarray(d, dtype=np.int64)


def _raise_id_error(
    prep: _Prepared,
    empty: int | None,
    duplicated: np.ndarray,
    chunk_rows: int,
    normalization: str,
) -> None:
    """After a pass 2 that checked the ids (``defer_ids``): raise the first id error, if any
    (``empty`` and ``duplicated`` from :meth:`_IdCheck.result`)."""
    if empty is None and not duplicated.size:
        return
    prep.stats.empty_id = empty
    duplicate = (
        _first_duplicate(prep.layout, prep.source, chunk_rows, duplicated)
        if duplicated.size
        else None
    )
    _raise_first_error(prep.layout, prep.stats, duplicate, prep.weights, normalization)


# --- the public function ----------------------------------------------------------------------


def rank_stream(
    path: str | Path,
    weights: Any,
    tree: CriteriaTree | None = None,
    *,
    directions: Any = None,
    normalization: str = "vector",
    top_k: int = 5,
    out: str | Path | None = None,
    chunk_rows: int = CHUNK_ROWS,
    full_ranks: bool = False,
    progress: Progress | None = None,
) -> StreamRanking:
    """Rank the customers of a CSV or Parquet file of any size by TOPSIS, in bounded memory.

    The same numbers as :func:`mcda_ckm.ranking.topsis.rank` on the same data (closeness to
    rounding,
    the top-k and its ranks exactly, ties broken by input order), and the same validation rules
    as :func:`mcda_ckm.model.matrix.load_customers` with the file's row numbers. Memory is bounded
    by
    ``chunk_rows``, not by the file.

    Parameters
    ----------
    path : str or Path
        ``.csv`` (UTF-8, comma-separated) or ``.parquet``: ``id``, optionally ``name``, and one
        numeric column per criterion.
    weights : array_like, shape (n,)
        In the order of the criteria (the tree's leaves, or the file's columns other than id
        and name); >= 0, scaled to sum to 1.
    tree : CriteriaTree, optional
        Names the criteria and their directions, and the file must match it. Without it the
        criteria are the file's other columns, all benefit unless ``directions`` says.
    directions : array_like of +1/-1, optional
        Overrides the tree's.
    normalization : {"vector", "minmax"}
    top_k : int
        How many key sources to keep (clamped to the number of customers).
    out : str or Path, optional
        ``.parquet`` or ``.csv``: closeness and distances of every customer, in input order.
    chunk_rows : int
        Rows read and scored at a time.
    full_ranks : bool
        Add a ``rank`` column to ``out`` (an out-of-core sort: a third read of the scores).
    progress : callable(done, total), optional
        Called after every chunk; ``total`` covers both passes.

    Returns
    -------
    StreamRanking

    Raises
    ------
    DataError
        As the in-memory path, naming the file, the row and the column.
    CkmError
        On bad weights, directions, normalisation or options.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "c.csv").write_text("id,a,b\\nA1,5,8\\nA2,7,6\\nA3,8,8\\nA4,7,4\\n")
    >>> r = rank_stream(folder / "c.csv", [0.5, 0.5], top_k=2)
    >>> r.key_sources, r.top_closeness.round(4)
    (('A3', 'A1'), array([1.    , 0.5761]))
    """
    path = Path(path)
    if normalization not in NORMALIZATIONS:
        raise CkmError(
            f"unknown normalization {normalization!r}",
            hint='Use "vector" (the default) or "minmax"',
        )
    if isinstance(top_k, bool) or int(top_k) < 1:
        raise CkmError(f"top_k = {top_k!r}, must be >= 1", where="top_k")
    if int(chunk_rows) < 1:
        raise CkmError(f"chunk_rows = {chunk_rows!r}, must be >= 1", where="chunk_rows")
    if full_ranks and out is None:
        raise CkmError("full ranks need an output file", hint="Give out=FILE.parquet or .csv")
    if out is not None and not Path(out).parent.is_dir():
        raise CkmError(
            f"folder {Path(out).parent} not found",
            where="out",
            hint="Create the folder first, or write the scores elsewhere",
        )
    if out is not None and Path(out).suffix.lower() not in (".parquet", ".pq", ".csv", ".txt"):
        raise CkmError(
            f"unsupported output type {Path(out).suffix or '(none)'!r}",
            where="out",
            hint="Write .parquet or .csv",
        )
    counter = [0]
    total = 2 * max(_layout(path, tree)[0].size, 1)

    def tick(base: int = 0) -> None:
        if progress is not None:
            progress(min(base + counter[0], total), total)

    stamp = _stamp(path)
    prep = _prepare(
        path, weights, tree, directions, normalization, chunk_rows, tick, counter, defer_ids=True
    )
    layout, source, stats, w, d = prep.layout, prep.source, prep.stats, prep.weights, prep.d
    lo, hi, sums = prep.lo, prep.hi, prep.sums
    k = min(int(top_k), stats.count)

    counter[0] = 0
    base = max(layout.size, 1)
    top = TopK(k)
    kept: dict[int, tuple[str, str]] = {}
    writer = None
    sink = _RankSink(stats.count, Path(out).parent) if full_ranks and out is not None else None
    ids = None if prep.ids_checked else _IdCheck()
    ok = False
    try:
        # The ids are checked on the reading thread (``ids_check``), beside the scoring on
        # this one: pass 2 waited on this thread's hashing and scoring, not on the reading.
        extra = {} if ids is None else {"ids_check": ids}
        # Two sets of score arrays in turn: when a chunk's are written over, its table has been
        # written (the writer holds one table at a time) and the top-k kept copies.
        outputs, turn = (_Scratch(), _Scratch()), 0
        for chunk in source(layout, chunk_rows, "scores", counter, **extra):
            if not len(chunk.index):
                continue
            turn += 1
            closeness, d_plus, d_minus = _chunk_scores(chunk, layout, prep, outputs[turn % 2])
            _add_top(top, kept, chunk, closeness, d_plus, d_minus)
            if out is not None:
                table = _result_table(chunk, closeness, d_plus, d_minus)
                if writer is None:
                    target = sink.scores_path if sink is not None else Path(out)
                    writer = _Writer(target, table.schema, temporary=sink is not None)
                writer.write(table)
            if sink is not None:
                sink.add(closeness, chunk.index)
            tick(base)
        if _stamp(path) != stamp:  # the passes would have read two different files
            raise DataError(
                "the file changed while it was being ranked",
                path=path,
                hint="Rank it again once it is written in full (write exports to a temporary "
                "name and rename them)",
            )
        if ids is not None:  # raises the first id error (the output is then not kept)
            from concurrent.futures import ThreadPoolExecutor

            # The hashes are sorted (numpy releases the GIL) while the writer finishes.
            with ThreadPoolExecutor(max_workers=1) as pool:
                checked = pool.submit(ids.result, lambda: source(layout, chunk_rows, "ids", [0]))
                if writer is not None:
                    writer.finish()
                empty, duplicated = checked.result()
            _raise_id_error(prep, empty, duplicated, chunk_rows, normalization)
        positions, ties, straddle, exact = top.result()
        margin = TOP_MARGIN
        while not exact:  # a tie chain reaches below the candidates: widen the margin
            margin *= 1000
            top, kept = TopK(k, margin), {}
            for chunk in source(layout, chunk_rows, "scores", [0]):
                if len(chunk.index):
                    scores = _chunk_scores(chunk, layout, prep)
                    _add_top(top, kept, chunk, *scores)
            positions, ties, straddle, exact = top.result()
        if writer is not None:
            writer.close(True)
            writer = None
        if sink is not None:
            assert out is not None
            sink.finish(Path(out))
        ok = True
    finally:
        if writer is not None:
            writer.close(ok)
        if sink is not None:
            sink.close()
        if ids is not None:
            ids.close()
    rows = top.index[positions]
    return StreamRanking(
        path=path,
        out=None if out is None else Path(out),
        customers=stats.count,
        criteria=layout.criteria,
        weights=w,
        directions=d,
        normalization=normalization,
        lo=lo,
        hi=hi,
        sum_squares=sums,
        constant_columns=tuple(
            c for c, a, b in zip(layout.criteria, lo, hi, strict=True) if a == b
        ),
        k=k,
        top_rows=rows,
        top_ids=tuple(kept[int(i)][0] for i in rows),
        top_names=tuple(kept[int(i)][1] for i in rows),
        top_closeness=top.c[positions],
        top_d_plus=top.distances[positions, 0],
        top_d_minus=top.distances[positions, 1],
        ties=ties,
        tie_at_cutoff=straddle,
        full_ranks=full_ranks,
    )


def _chunk_scores(
    chunk: _Chunk,
    layout: _Layout,
    prep: _Prepared,
    scratch: _Scratch | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Closeness and distances of a chunk by the blocked scorer of the ranking kernel
    (:func:`mcda_ckm.ranking.topsis.score_columns`) with the whole file's statistics; into
    arrays of ``scratch`` (reused from two chunks back, see rank_stream: no fresh pages per
    chunk)."""
    m = len(chunk.index)
    out = None
    if scratch is not None:
        out = (
            scratch.array("closeness", m),
            scratch.array("d_plus", m),
            scratch.array("d_minus", m),
        )
    columns = [chunk.columns[c] for c in layout.criteria]
    return score_columns(columns, prep.d, prep.lo, prep.hi, prep.scale2, prep.weights, out)


def _add_top(
    top: TopK,
    kept: dict[int, tuple[str, str]],
    chunk: _Chunk,
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
    ids = _ids_at(chunk, np.array(at, dtype=np.int64))
    names = [str(chunk.names[i].as_py()) for i in at] if chunk.names is not None else ids
    for i, cid, name in zip(new, ids, names, strict=True):
        kept[i] = (cid, str(name))


def _ids_at(chunk: _Chunk, at: np.ndarray) -> list[str]:
    """The ids of the chunk's rows at positions ``at``, as text."""
    assert chunk.ids is not None
    # Element by element: a few candidates per chunk, and Array.take would import
    # pyarrow.compute (0.1 s) for them.
    return [str(chunk.ids[int(i)].as_py()) for i in np.asarray(at).tolist()]


def _result_table(
    chunk: _Chunk, closeness: np.ndarray, d_plus: np.ndarray, d_minus: np.ndarray
) -> pa.Table:
    import pyarrow as pa

    assert chunk.ids is not None
    arrays = [chunk.ids, *([chunk.names] if chunk.names is not None else [])]
    fields = [pa.field(name, a.type) for name, a in zip(("id", "name"), arrays, strict=False)]
    # The scores are never null: declared so, the writer encodes no definition levels.
    for name in ("closeness", "d_plus", "d_minus"):
        fields.append(pa.field(name, pa.float64(), nullable=False))
    arrays += [_arrow(closeness), _arrow(d_plus), _arrow(d_minus)]
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


# --- full ranks: an out-of-core bucket sort ---------------------------------------------------

BUCKET_ROWS = 1 << 22
"""Target rows per closeness bucket (and per range of the rank column): 64 MB of (closeness,
index) pairs."""


class _RankSink:
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
                    table = table.add_column(0, "rank", _arrow(ranks_of(start, stop)))
                    if writer is None:
                        writer = _Writer(out, table.schema)
                    writer.write(table)
                    start = stop
            ok = True
        finally:
            if writer is not None:
                writer.close(ok)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


# --- key-source probabilities over the whole base -----------------------------------------


@dataclass(frozen=True)
class KeyProbabilities:
    """SMAA-2 key-source probabilities (Lahdelma & Salminen 2001) over a whole customer base,
    for the customers that are key under at least one sampled weight vector.

    Attributes
    ----------
    rows : numpy.ndarray
        Input indices of those customers, most probable first.
    ids : tuple of str
    key_probability : numpy.ndarray
        Share of the samples in which the customer is in the top k.
    rank_acceptability : numpy.ndarray
        Shape (len(rows), k): share of the samples in which it takes rank 1..k.
    n_samples, k : int
    """

    rows: np.ndarray
    ids: tuple[str, ...]
    key_probability: np.ndarray
    rank_acceptability: np.ndarray
    n_samples: int
    k: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "n_samples": self.n_samples,
            "k": self.k,
            "customers": [
                {
                    "row": int(r),
                    "id": cid,
                    "key_probability": float(p),
                    "rank_acceptability": a.tolist(),
                }
                for r, cid, p, a in zip(
                    self.rows,
                    self.ids,
                    self.key_probability,
                    self.rank_acceptability,
                    strict=True,
                )
            ],
        }


def _probabilities(rows: np.ndarray, ids: dict[int, str], k: int) -> KeyProbabilities:
    s = rows.shape[0]
    unique, inverse = np.unique(rows, return_inverse=True)
    inverse = inverse.reshape(rows.shape)
    counts = np.zeros((unique.size, k))
    np.add.at(counts, (inverse, np.broadcast_to(np.arange(k), rows.shape)), 1.0)
    acc = counts / s
    prob = acc.sum(axis=1)
    order = np.lexsort((unique, -prob))
    return KeyProbabilities(
        rows=unique[order],
        ids=tuple(ids[int(r)] for r in unique[order]),
        key_probability=prob[order],
        rank_acceptability=acc[order],
        n_samples=s,
        k=k,
    )


def key_probabilities(
    path: str | Path,
    samples: np.ndarray,
    tree: CriteriaTree | None = None,
    *,
    k: int = 5,
    directions: Any = None,
    normalization: str = "vector",
    chunk_rows: int = CHUNK_ROWS,
) -> KeyProbabilities:
    """Key-source probabilities over a whole file: per sampled weight vector, the top k of
    every chunk, merged across chunks (the same customers as
    :func:`mcda_ckm.sensitivity.analysis.smaa`
    on the whole matrix, ties by input order).

    Parameters
    ----------
    samples : numpy.ndarray
        Shape (s, n), e.g. from :func:`mcda_ckm.sensitivity.analysis.sample_weights`.
    """
    path = Path(path)
    samples = np.asarray(samples, dtype=np.float64)
    prep = _prepare(
        path, samples.mean(axis=0), tree, directions, normalization, chunk_rows, lambda: None, [0]
    )
    kk = min(k, prep.stats.count)
    margin = KEY_MARGIN
    while True:
        best: KeyCandidates | None = None
        ids: dict[int, str] = {}
        for chunk in prep.source(prep.layout, chunk_rows, "scores", [0]):
            if not len(chunk.index):
                continue
            values = np.stack([chunk.columns[c] for c in prep.layout.criteria]).T
            dev = deviations(values, prep.d, normalization, prep.lo, prep.hi, prep.scale2)
            got = sample_candidates(dev, samples, kk, chunk.index, margin)
            best = got if best is None else merge_candidates(best, got, kk, margin)
            first = int(chunk.index[0])
            rows = best.index
            new = np.unique(rows[(rows >= first) & (rows < first + len(chunk.index))])
            ids.update(zip(new.tolist(), _ids_at(chunk, new - first), strict=True))
        assert best is not None
        top, exact = pick_key_sets(best, kk, margin)
        if exact.all():  # else a tie group reaches below the candidates: widen the margin
            return _probabilities(top, ids, kk)
        margin *= 1000
