"""Benchmark: ``ckm run`` end to end (report included) on a generated case.

The case is :func:`tests.workflows.generated.write_case`: the precision-machinery tree, panel
and settings with ``--customers`` seeded random customers on the tree's scales. ``ckm run``
runs in its own process under ``/usr/bin/time -v`` where it exists (else psutil sampling), so
its wall time and peak RSS are its own. Also prints the memory ``ckm run`` estimated before
starting (:func:`mcda_ckm.workflows.study.estimate_memory`), to keep the estimate honest, and
the machine's load average, since the machine is often shared.

Goal (issue 13, point 3): 100,000 customers and 10,000 samples within 60 s and 2 GiB on two
cores.

Run from the repository root::

    python benchmarks/bench_run.py                      # 100,000 customers, 10,000 samples
    python benchmarks/bench_run.py --customers 20000 --samples 2000
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mcda_ckm.workflows.study import estimate_memory  # noqa: E402
from tests.workflows.generated import write_case  # noqa: E402


def run(case: Path, out: Path, samples: int) -> tuple[float, float | None, float | None]:
    """(wall seconds, peak RSS in bytes or None, CPU seconds or None) of one ``ckm run``.

    The CPU time (user + system, from ``time -v``) depends far less than the wall time on what
    else runs on a shared machine: quote both."""
    command = [
        sys.executable,
        "-c",
        "from mcda_ckm.cli.main import main; main()",
        "run",
        str(case),
        "--out",
        str(out),
        "--samples",
        str(samples),
        "--quiet",
        "--max-memory",
        "0",
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    start = time.perf_counter()
    if timer:
        done = subprocess.run(
            [timer, "-v", *command], check=False, env=env, capture_output=True, text=True
        )
        wall = time.perf_counter() - start
        if done.returncode:
            raise SystemExit(done.stderr)
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        times = re.finditer(r"(?:User|System) time.*?: ([\d.]+)", done.stderr)
        cpu = [float(m.group(1)) for m in times]
        return (
            wall,
            int(found.group(1)) * 1024 if found else None,
            sum(cpu) if len(cpu) == 2 else None,
        )
    import psutil

    proc = subprocess.Popen(command, env=env)
    peak = 0
    ps = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            peak = max(peak, ps.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.05)
    return time.perf_counter() - start, float(peak), None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        case = write_case(Path(tmp) / "case", args.customers)
        estimate = estimate_memory(case / "customers.csv", 12, args.samples, 5)
        load = os.getloadavg()
        wall, peak, cpu = run(case, Path(tmp) / "out", args.samples)
        load_after = os.getloadavg()
        assert (Path(tmp) / "out" / "report.html").is_file()
    print(f"ckm run: {args.customers:,} customers, {args.samples:,} samples, report included")
    print(f"  wall time       {wall:8.1f} s     (goal 60 s)")
    if cpu is not None:
        print(f"  CPU time        {cpu:8.1f} s     (user + system, both cores)")
    if peak is not None:
        print(f"  peak RSS        {peak / 2**30:8.2f} GiB   (goal 2 GiB)")
    print(f"  estimated       {estimate.bytes / 2**30:8.2f} GiB   (estimate_memory)")
    print(
        f"  load average    {load[0]:.1f} before, {load_after[0]:.1f} after, on "
        f"{os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
