"""Benchmark: contact-log indicators over N events (default 10^7), speed and peak memory.

The same aggregation three ways, each in its own fresh process so that its peak RSS is its own:

- mcda_ckm: ``large.contacts.contact_indicators`` (Polars lazy query on the streaming engine,
  with the row checks folded into the one pass);
- reference 1: a plain Polars group-by of the same counts on the streaming engine, without checks;
- reference 2: the same group-by in DuckDB SQL.

A seeded log is written once (Parquet, in chunks, so the generator stays in bounded memory too)
to ``--path`` or a temporary folder. Prints events per second, peak RSS and the ratios, and checks
that all three agree.

Run::

    python benchmarks/bench_contacts.py                  # 10^7 events
    python benchmarks/bench_contacts.py --events 1e8 --path /tmp/contacts-1e8.parquet
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from mcda_ckm.large.contacts import contact_indicators

START, END, PERIOD = "2023-01-01", "2025-01-01", 30.0
CHANNELS = np.array(["email", "phone", "visit", "web", "fair", "wechat", "forum", "service"])
OUTCOMES = np.array(["accepted", "declined", "no answer"])


def generate(path: Path, events: int, customers: int, seed: int, chunk: int = 5_000_000) -> None:
    """A seeded log: ids C0000001.., times over three years (a third outside the window)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    t0 = np.datetime64("2022-07-01T00:00:00", "us")
    span = np.int64(3 * 365 * 86400 * 1_000_000)
    writer = None
    try:
        for done in range(0, events, chunk):
            n = min(chunk, events - done)
            ids = rng.integers(1, customers + 1, n)
            firm = rng.random(n) < 0.4
            table = pa.table(
                {
                    "customer": pa.array(np.char.add("C", np.char.zfill(ids.astype(str), 7))),
                    "time": pa.array(t0 + rng.integers(0, span, n).astype("timedelta64[us]")),
                    "initiator": pa.array(np.where(firm, "firm", "customer")),
                    "outcome": pa.array(
                        OUTCOMES[rng.integers(0, 3, n)], type=pa.string(), mask=~firm
                    ),
                    "channel": pa.array(CHANNELS[rng.integers(0, CHANNELS.size, n)]),
                }
            )
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema)
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()


def run_ours(path: Path) -> dict[str, float]:
    r = contact_indicators(path, start=START, end=END, period_days=PERIOD)
    return {
        "customers": len(r.ids) - len(r.no_contacts),
        "customer_initiated": int(r.customer_initiated.sum()),
        "accepted": int(r.accepted.sum()),
        "diversity": int(r.diversity.sum()),
    }


def run_polars(path: Path) -> dict[str, float]:
    inside = (pl.col("time") >= dt.datetime.fromisoformat(START)) & (
        pl.col("time") < dt.datetime.fromisoformat(END)
    )
    out = (
        pl.scan_parquet(path)
        .filter(inside)
        .group_by("customer")
        .agg(
            (pl.col("initiator") == "customer").sum().alias("n_customer"),
            ((pl.col("initiator") == "firm") & (pl.col("outcome") == "accepted"))
            .sum()
            .alias("n_accepted"),
            pl.col("channel").n_unique().alias("channels"),
        )
        .collect(engine="streaming")
    )
    return {
        "customers": out.height,
        "customer_initiated": int(out["n_customer"].sum()),
        "accepted": int(out["n_accepted"].sum()),
        "diversity": int(out["channels"].sum()),
    }


def run_duckdb(path: Path, con: duckdb.DuckDBPyConnection | None = None) -> dict[str, float]:
    """The DuckDB reference, on ``con`` (default: DuckDB's default connection)."""
    relation = (con or duckdb.default_connection()).sql(
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
    )
    assert relation is not None
    rows = relation.fetchall()
    row = rows[0]
    return {
        "customers": int(row[0]),
        "customer_initiated": int(row[1]),
        "accepted": int(row[2]),
        "diversity": int(row[3]),
    }


RUNNERS = {"mcda_ckm": run_ours, "polars": run_polars, "duckdb": run_duckdb}


def measure(which: str, path: Path, runners: dict | None = None) -> None:
    """Run one engine in this (fresh) process and print its time, peak RSS and totals as JSON.

    The modules are imported before the clock starts; the peak RSS includes them.
    """
    t = time.perf_counter()
    totals = (runners or RUNNERS)[which](path)
    seconds = time.perf_counter() - t
    print(json.dumps({"seconds": seconds, "peak_mib": peak_mib(), "totals": totals}))


def peak_mib() -> float:
    """This process's peak RSS in MiB: VmHWM from /proc (per process image, unlike getrusage's
    ru_maxrss, which Linux carries over from the parent across fork and exec)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(which: str, path: Path, script: str = __file__) -> dict:
    out = subprocess.run(
        [sys.executable, script, "--measure", which, "--path", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main(runners: dict | None = None, script: str = __file__, doc: str = __doc__) -> None:
    """Generate the log if needed, run every engine of ``runners`` in a fresh process of
    ``script`` and print the figures (bench_indicators.py calls this with its engines)."""
    runners = runners or RUNNERS
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--events", type=float, default=1e7)
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--path", type=Path, default=None, help="log file (written if absent)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--measure", choices=sorted(runners), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        measure(args.measure, args.path, runners)
        return
    events = int(args.events)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.path or Path(tmp) / f"contacts-{events}.parquet"
        if not path.exists():
            t = time.perf_counter()
            generate(path, events, args.customers, args.seed)
            print(f"wrote {events:,} events to {path} in {time.perf_counter() - t:.1f} s")
        size = path.stat().st_size / 2**20
        print(f"log: {events:,} events, {args.customers:,} customers, {size:.0f} MiB parquet")
        results = {which: child(which, path, script) for which in runners}
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
