"""Writing scores chunk by chunk to Parquet or CSV, through a temporary file renamed into
place at the end, one write in flight on a thread beside the scoring of the next chunk.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mcda_ckm.files import OutputFile
from mcda_ckm.large.chunks import Chunk, as_arrow, is_text

if TYPE_CHECKING:
    import pyarrow as pa


__all__ = []


class Writer:
    """Chunks of results to Parquet or CSV, through a temporary file renamed at the end."""

    def __init__(self, out: Path, schema: pa.Schema, temporary: bool = False) -> None:
        self.out = Path(out)
        self.target = OutputFile(self.out, kind="scores")  # checks, lock, temporary
        self.tmp = str(self.target.tmp)
        try:
            self.writer = self._open(schema, temporary)
        except BaseException:
            self.target.abort()
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
                # Snappy for the ids and names (zstd writes 15% less but is much slower); the
                # scores as they are: random doubles do not compress, and trying costs time
                # (benchmarks/README.md).
                compression={
                    f.name: ("snappy" if is_text(f.type) and not temporary else "none")
                    for f in schema
                },
                use_dictionary=False,  # unique ids and float scores: dictionaries only cost
                # Statistics of the numbers (for readers' filters), not of the ids and names:
                # their minimum and maximum strings only cost time (benchmarks/README.md).
                write_statistics=[f.name for f in schema if not is_text(f.type)],
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
            self.target.commit()
        else:
            self.target.abort()


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


def result_table(
    chunk: Chunk, closeness: np.ndarray, d_plus: np.ndarray, d_minus: np.ndarray
) -> pa.Table:
    import pyarrow as pa

    assert chunk.ids is not None
    arrays = [chunk.ids, *([chunk.names] if chunk.names is not None else [])]
    fields = [pa.field(name, a.type) for name, a in zip(("id", "name"), arrays, strict=False)]
    # The scores are never null: declared so, the writer encodes no definition levels.
    for name in ("closeness", "d_plus", "d_minus"):
        fields.append(pa.field(name, pa.float64(), nullable=False))
    arrays += [as_arrow(closeness), as_arrow(d_plus), as_arrow(d_minus)]
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))
