"""Benchmark: the contact-log indicators of ``ckm indicators`` over 10^7 (or 10^8) events,
speed and peak memory, against plain group-bys in the same run.

Each engine runs in its own fresh process, so that its peak RSS (VmHWM) is its own:

- mcda_ckm: ``large.contacts.contact_indicators``, what ``ckm indicators`` calls (Polars lazy
  queries on the streaming engine; a Parquet log in slices of ``SLICE_ROWS`` rows whose counts
  are summed, so that memory is bounded by the slice);
- polars: one plain streaming group-by of the same counts over the whole file, without checks;
- duckdb: the same group-by in DuckDB SQL, without a memory limit;
- duckdb-1g: the same with ``memory_limit = '1GB'`` and two threads (DuckDB's bounded mode:
  its aggregate spills to disk past the limit).

The log generator, the plain references, the RSS probe and the printing are those of
``bench_contacts.py`` (imported, not repeated). Prints events per second, peak RSS, the ratios
to each reference, and checks that all engines agree on the totals.

Run from the repository root::

    python benchmarks/bench_indicators.py                  # 10^7 events
    python benchmarks/bench_indicators.py --events 1e8 --path /tmp/contacts-1e8.parquet
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_contacts import main, run_duckdb, run_ours, run_polars


def run_duckdb_bounded(path: Path) -> dict[str, float]:
    """The DuckDB reference with a 1 GB memory limit and two threads."""
    con = duckdb.connect()
    con.execute("set memory_limit = '1GB'")
    con.execute("set threads = 2")
    return run_duckdb(path, con)


RUNNERS = {
    "mcda_ckm": run_ours,
    "polars": run_polars,
    "duckdb": run_duckdb,
    "duckdb-1g": run_duckdb_bounded,
}


if __name__ == "__main__":
    main(RUNNERS, __file__, __doc__ or "")
