"""The layout of a customers file and the chunks it is read in.

A :class:`Layout` is what the header says (the columns, the criteria in the tree's order,
whether there is a name column, the header's line); a :class:`Chunk` is a block of rows: input
indices, file rows, ids and names as Arrow arrays and the criteria as float64 columns, with the
first bad cell the reader found. The header is checked here by the rules of
:func:`mcda_ckm.model.matrix.load_customers`, with the same messages. Also the small Arrow and
numpy helpers the readers, the id check and the writer share (no copies, no pandas).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mcda_ckm.errors import DataError
from mcda_ckm.model.encoding import sniff_csv
from mcda_ckm.model.matrix import check_header, csv_rows, tree_mismatch

if TYPE_CHECKING:
    import pyarrow as pa

    from mcda_ckm.model.tree import CriteriaTree


__all__ = ["CHUNK_ROWS", "Chunk", "Layout", "read_layout"]

CHUNK_ROWS = 500_000
"""Rows per chunk: about 50 MB of values for 12 indicators, and a peak of some 0.4 GB."""


class NeedExact(Exception):
    """The fast CSV reader met something only the exact (csv module) reader can judge."""


@dataclass(frozen=True)
class Layout:
    """What a file's header says (from :func:`read_layout`): its columns, the criteria among
    them in the tree's leaf order, whether it has a name column, and its header's line."""

    path: Path
    kind: str  # "csv" or "parquet"
    columns: tuple[str, ...]  # every column, in file order
    criteria: tuple[str, ...]  # in the tree's leaf order
    has_name: bool
    header_line: int = 1
    size: int = 0  # bytes (CSV) or rows (Parquet): the unit of progress
    encoding: str = "utf-8"  # of a CSV file (model.encoding.sniff_csv)

    @property
    def in_file_order(self) -> tuple[str, ...]:
        """The criteria in the file's column order (the order the readers decode them in)."""
        return tuple(c for c in self.columns if c in self.criteria)


@dataclass
class Chunk:
    """Rows of the file: 0-based input indices ``index``, file rows ``rows``, stripped ids
    (Arrow), names (Arrow or None), the criteria columns (file order) as float64 arrays; and
    the first bad cell found in it (row, column, message, hint), if any."""

    index: np.ndarray
    rows: np.ndarray
    ids: pa.Array | None  # None when not read (pass 1 of a Parquet file: see prepare)
    names: pa.Array | None
    columns: dict[str, np.ndarray]
    bad_cell: tuple[int, str, str, str] | None = None
    stray: tuple[int, int] | None = None  # (row, 1-based column) of a value without header
    extremes: dict[str, tuple[float, float]] | None = None  # (min, max) per column, if known


def counted_csv_rows(
    path: Path, counter: list[int] | None = None, encoding: str = "utf-8"
) -> Iterator[tuple[int, list[str]]]:
    """:func:`mcda_ckm.model.matrix.csv_rows`, its bytes counted into ``counter[0]``."""
    return csv_rows(path, io.BufferedReader(CountingReader(path, counter), 1 << 20), encoding)


class CountingReader(io.RawIOBase):
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


def read_layout(path: Path, tree: CriteriaTree | None) -> tuple[Layout, DataError | None]:
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
        layout = Layout(path, "parquet", columns, (), False, 1, meta.num_rows)
        pending = _header_error(layout, tree)
        if pending is not None:
            raise pending
        return _with_criteria(layout, tree), None
    if suffix not in (".csv", ".txt"):
        raise DataError(
            f"unsupported file type {suffix or '(none)'!r}",
            path=path,
            hint="Use a .csv file (comma-separated, UTF-8) or a .parquet file",
        )
    # The encoding and separator rules of the in-memory reader (model.matrix.read_table).
    encoding = sniff_csv(path)
    header_line, header = 0, []
    for line, cells in counted_csv_rows(path, None, encoding):
        if any(cells):
            header_line, header = line, cells
            break
    if not header_line:
        raise DataError(
            "the file is empty", path=path, hint="Write a header row and one row per customer"
        )
    check_header(header, path, header_line)
    layout = Layout(
        path, "csv", tuple(header), (), False, header_line, path.stat().st_size, encoding
    )
    pending = _header_error(layout, tree)
    return (layout if pending else _with_criteria(layout, tree)), pending


def _with_criteria(layout: Layout, tree: CriteriaTree | None) -> Layout:
    criteria = (
        tuple(tree.leaves)
        if tree is not None
        else tuple(c for c in layout.columns if c not in ("id", "name"))
    )
    return replace(layout, criteria=criteria, has_name="name" in layout.columns)


def _header_error(layout: Layout, tree: CriteriaTree | None) -> DataError | None:
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


def first_stray(path: Path, width: int, encoding: str = "utf-8") -> DataError | None:
    """The first row with a value beyond the header's columns (read_table's rule)."""
    rows = counted_csv_rows(path, None, encoding)
    for _, cells in rows:
        if any(cells):
            break
    for line, cells in rows:
        if len(cells) > width:
            extra = [k for k in range(width, len(cells)) if cells[k]]
            if extra:
                return stray_error(path, line, extra[0] + 1)
    return None


def stray_error(path: Path, line: int, column: int) -> DataError:
    return DataError(
        f"a value in column {column}, which has no header",
        path=path,
        where=f"row {line}",
        hint="Remove the stray value or name its column",
    )


def is_text(kind: pa.DataType) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def as_arrow(values: np.ndarray) -> pa.Array:
    """A 1-d numpy array of numbers as Arrow, no copy (``pa.array`` would import pandas)."""
    import pyarrow as pa

    values = np.ascontiguousarray(values)
    return pa.Array.from_buffers(
        pa.from_numpy_dtype(values.dtype), values.size, [None, pa.py_buffer(values)]
    )


class Scratch:
    """Arrays reused from chunk to chunk (grown when needed): on a VM, fresh memory is paid
    for in page faults each time glibc hands it back to the system."""

    def __init__(self) -> None:
        self._arrays: dict[str, np.ndarray] = {}

    def array(self, name: str, n: int, dtype: Any = np.float64) -> np.ndarray:
        have = self._arrays.get(name)
        if have is None or have.size < n or have.dtype != dtype:
            have = self._arrays[name] = np.empty(max(n, 1), dtype=dtype)
        return have[:n]


def string_buffers(ids: pa.Array) -> tuple[np.ndarray, np.ndarray]:
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
