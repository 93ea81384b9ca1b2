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

The log generator, the plain references and the RSS probe are those of
``bench_contacts.py`` (imported, not repeated). Prints events per second, peak RSS, the ratios
to each reference, and checks that all engines agree on the totals.

Run from the repository root::

    python benchmarks/bench_indicators.py                  # 10^7 events
    python benchmarks/bench_indicators.py --events 1e8 --path /tmp/contacts-1e8.parquet
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_contacts import END, START, generate, peak_mib, run_duckdb, run_ours, run_polars


def run_duckdb_bounded(path: Path) -> dict[str, float]:
    """The DuckDB reference with a 1 GB memory limit and two threads."""
    con = duckdb.connect()
    con.execute("set memory_limit = '1GB'")
    con.execute("set threads = 2")
    rows = con.execute(
        f"""
        with g as (
            select customer,
                   count(*) filter (where initiator = 'customer') as n_customer,
                   count(*) filter (where initiator = 'firm' and outcome = 'accepted') as n_acc,
                   count(distinct channel) as channels
            from read_parquet('{path}')
            where time >= timestamp '{START}' and time < timestamp '{END}'
            group by customer)
        select count(*), sum(n_customer), sum(n_acc), sum(channels) from g
        """
    ).fetchall()
    row = rows[0]
    return {
        "customers": int(row[0]),
        "customer_initiated": int(row[1]),
        "accepted": int(row[2]),
        "diversity": int(row[3]),
    }


RUNNERS = {
    "mcda_ckm": run_ours,
    "polars": run_polars,
    "duckdb": run_duckdb,
    "duckdb-1g": run_duckdb_bounded,
}


def measure(which: str, path: Path) -> None:
    """Run one engine in this (fresh) process; print its time, peak RSS and totals as JSON."""
    t = time.perf_counter()
    totals = RUNNERS[which](path)
    seconds = time.perf_counter() - t
    print(json.dumps({"seconds": seconds, "peak_mib": peak_mib(), "totals": totals}))


def child(which: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", which, "--path", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=float, default=1e7)
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--path", type=Path, default=None, help="log file (written if absent)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", nargs="*", choices=sorted(RUNNERS), help="engines to run")
    ap.add_argument("--measure", choices=sorted(RUNNERS), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        measure(args.measure, args.path)
        return
    events = int(args.events)
    engines = args.only or list(RUNNERS)
    if "mcda_ckm" not in engines:
        engines = ["mcda_ckm", *engines]
    with tempfile.TemporaryDirectory() as tmp:
        path = args.path or Path(tmp) / f"contacts-{events}.parquet"
        if not path.exists():
            t = time.perf_counter()
            generate(path, events, args.customers, args.seed)
            print(f"wrote {events:,} events to {path} in {time.perf_counter() - t:.1f} s")
        size = path.stat().st_size / 2**20
        print(f"log: {events:,} events, {args.customers:,} customers, {size:.0f} MiB parquet")
        results = {which: child(which, path) for which in engines}
    ours = results["mcda_ckm"]
    for which, r in results.items():
        rate = events / r["seconds"]
        line = f"{which:>9}: {r['seconds']:7.2f} s  {rate / 1e6:6.2f} M events/s  "
        line += f"peak RSS {r['peak_mib']:7.0f} MiB"
        if which != "mcda_ckm":
            line += f"  mcda_ckm time / this = {ours['seconds'] / r['seconds']:.2f}x"
            line += f", peak RSS ratio = {ours['peak_mib'] / r['peak_mib']:.2f}x"
        print(line)
    agree = all(r["totals"] == ours["totals"] for r in results.values())
    print(f"totals agree: {agree} {ours['totals']}")
    if not agree:
        raise SystemExit(f"engines disagree: {results}")


if __name__ == "__main__":
    main()
