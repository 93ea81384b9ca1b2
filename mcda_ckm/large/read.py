"""Reading a customers file chunk by chunk: Parquet through a memory map, CSV by pyarrow's
streaming reader or, for anything irregular, by the csv module with the exact rules and
messages of the in-memory path; each read one chunk ahead on a thread.

pyarrow is the one I/O engine: Polars, DuckDB and Dask exchange data through it. Its Parquet
reader is used with ``pre_buffer=False`` (its default would hold the whole file) over a map
of a window of row groups at a time: the pages are decoded where the system keeps them, not
copied into fresh buffers, and fresh memory is what a pass over a large file mostly pays for
on a VM (figures in benchmarks/README.md).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mcda_ckm.errors import DataError
from mcda_ckm.large.chunks import (
    Chunk,
    CountingReader,
    Layout,
    NeedExact,
    counted_csv_rows,
    is_text,
    string_buffers,
)
from mcda_ckm.large.ids import IdCheck
from mcda_ckm.model.matrix import MISSING_HINT, cell_error

if TYPE_CHECKING:
    import pyarrow as pa


__all__ = []

PARQUET_BUFFER = 1 << 20
"""Bytes of Parquet read at a time per column (``ParquetFile(buffer_size=...)``)."""


MAP_BYTES = 128 * 2**20
"""Row groups are read through a memory map, in windows of about this many bytes each."""


def _strip(array: pa.Array) -> pa.Array:
    """Text without leading or trailing whitespace, as :func:`mcda_ckm.model.matrix.read_table` has
    its cells (anything else as it is)."""
    import pyarrow as pa

    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return array
    if array.null_count == 0 and len(array) and not _may_need_strip(array):
        return array  # the common case: a copy of every string saved
    import pyarrow.compute as pc  # here: its import alone is a tenth of a second

    return pc.utf8_trim_whitespace(array)


def _cast(col: pa.Array, kind: pa.DataType) -> pa.Array:
    import pyarrow.compute as pc  # only for columns that need it (its import is slow)

    return pc.cast(col, kind)


def _as_ids(col: pa.Array, path: Path) -> pa.Array:
    """A Parquet id column as text (stripped) or signed integers; other types (unsigned,
    decimal, date, binary...) as their text, as the in-memory path reads every id."""
    import pyarrow as pa

    if not (is_text(col.type) or pa.types.is_signed_integer(col.type)):
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


def _numbers(col: pa.Array) -> np.ndarray:
    """The values of a float64 Arrow array without nulls, as numpy, no copy. (``to_numpy``
    would import pandas, a quarter of a second, through pyarrow's conversion layer.)"""
    return np.frombuffer(col.buffers()[1], dtype=np.float64, count=len(col), offset=8 * col.offset)


def _may_need_strip(array: pa.Array) -> bool:
    """Whether some string of ``array`` (no nulls) starts or ends with a byte that is, or may
    begin or end, whitespace: ASCII controls and space, or any non-ASCII byte."""
    offsets, data = string_buffers(array)
    starts, ends = offsets[:-1], offsets[1:]
    filled = ends > starts
    if not filled.all():
        starts, ends = starts[filled], ends[filled]
    first, last = data[starts], data[ends - 1]
    return bool(((first <= 0x20) | (first >= 0x7F) | (last <= 0x20) | (last >= 0x7F)).any())


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


def parquet_batches(
    path: Path, chunk_rows: int, names: list[str], row_groups: Sequence[int] | None
) -> Iterator[pa.RecordBatch]:
    """Record batches of ``chunk_rows`` rows of the columns ``names``.

    Read through a memory map (``memory_map=True``): the pages of the file are decoded where
    the system keeps them, not copied into fresh read buffers first: fresh memory is what a
    pass mostly pays for on a VM (figures in benchmarks/README.md). A map's pages count in the
    resident memory while it is open, so the file is mapped a window of row groups at a time (about
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


def parquet_chunks(
    layout: Layout,
    chunk_rows: int,
    want: str,
    counter: list[int],
    row_groups: Sequence[int] | None = None,
    start: int = 0,
    ids_check: IdCheck | None = None,
) -> Iterator[Chunk]:
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
    for batch in parquet_batches(layout.path, chunk_rows, names, row_groups):
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
                        said = cell_error(text or "")
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
        chunk = Chunk(index, rows, ids, nm, columns, bad_cell, extremes=extremes or None)
        if ids_check is not None:
            ids_check.add(chunk)
        yield chunk


def csv_fast_chunks(
    layout: Layout, chunk_rows: int, want: str, counter: list[int]
) -> Iterator[Chunk]:
    """Chunks by pyarrow's CSV reader; raises :class:`NeedExact` on anything irregular (a row
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
            CountingReader(layout.path, counter),
            read_options=pacsv.ReadOptions(
                # pyarrow transcodes (through Python's codecs) unless told "utf8".
                encoding="utf8" if layout.encoding == "utf-8" else layout.encoding,
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
                    raise NeedExact
                values = _numbers(col)
                if want == "all" and values.size:  # pass 2 reads what pass 1 checked
                    lo, hi = float(values.min()), float(values.max())
                    if not (math.isfinite(lo) and math.isfinite(hi)):
                        raise NeedExact
                    extremes[name] = (lo, hi)
                columns[name] = values
            if nm is not None:
                nm = pc.if_else(pc.equal(nm, ""), ids, nm)
            n_kept = len(record)
            yield Chunk(
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
        raise NeedExact from None


def csv_exact_chunks(
    layout: Layout, chunk_rows: int, want: str, counter: list[int]
) -> Iterator[Chunk]:
    """Chunks by the csv module, with the exact rules and messages of
    :func:`mcda_ckm.model.matrix.read_table` and :func:`mcda_ckm.model.matrix.parse_numbers`."""
    import pyarrow as pa

    width = len(layout.columns)
    id_col = layout.columns.index("id")
    name_col = layout.columns.index("name") if layout.has_name else id_col
    order = layout.in_file_order if want != "ids" else ()
    where = [layout.columns.index(c) for c in order]
    rows_iter = counted_csv_rows(layout.path, counter, layout.encoding)
    for _, cells in rows_iter:
        if any(cells):
            break
    kept = 0

    def build(buffer: list[tuple[int, list[str]]], stray: tuple[int, int] | None) -> Chunk:
        nonlocal kept
        rows = np.array([line for line, _ in buffer], dtype=np.int64)
        ids = pa.array([c[id_col] for _, c in buffer], pa.string())
        names = pa.array([c[name_col] or c[id_col] for _, c in buffer], pa.string())
        columns: dict[str, np.ndarray] = {}
        bad_cell = None
        cells = [[c[k] for k in where] for _, c in buffer]
        ok = False
        # numpy, like Python's float, reads "3_20" as 320: such cells go to cell_error.
        if not any("_" in text for row in cells for text in row):
            try:
                block = np.array(cells, dtype=np.float64).reshape(len(cells), len(where))
                ok = bool(np.isfinite(block).all())
            except ValueError:
                pass
        if not ok:
            block = np.full((len(cells), len(where)), np.nan)
            for (line, _), row in zip(buffer, cells, strict=True):
                said = next(
                    (
                        (name, s)
                        for text, name in zip(row, order, strict=True)
                        if (s := cell_error(text))
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
        return Chunk(index, rows, ids, names if layout.has_name else None, columns, bad_cell, stray)

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


def prefetched(source: Callable[..., Iterator[Chunk]]) -> Callable[..., Iterator[Chunk]]:
    """The same chunks, read one ahead on a thread: decoding (which releases the GIL) overlaps
    the numpy work on the previous chunk."""
    import queue
    import threading

    def chunks(*args: Any, **kwargs: Any) -> Iterator[Chunk]:
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
