"""Benchmark: one TOPSIS on 1,000,000 customers x 12 indicators.

Times, in the same run, mcda_ckm's ``topsis.rank`` (validation included: finiteness, values the
normalisation can take, weights, directions), a bare numpy TOPSIS (no validation, no ranks), and
pymcdm 1.4's ``TOPSIS(vector_normalization)`` with its default validation and with
``validation=False``. Prints best-of-N wall times, their ratio to bare numpy, and the peak memory
each allocates (tracemalloc; numpy reports its buffers to it) relative to the input matrix.

Goals (issue 4): rank() <= 1.2x bare numpy, peak memory <= 4x the input matrix.

Run::

    python benchmarks/bench_topsis.py            # pymcdm with its validation takes most of it
    python benchmarks/bench_topsis.py --rows 100000 --skip-pymcdm-default
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

from mcda_ckm.ranking import topsis


def bare_numpy_topsis(x: np.ndarray, w: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Textbook TOPSIS, vector normalisation (Hwang & Yoon 1981), no checks, no ranks."""
    r = x / np.sqrt((x**2).sum(axis=0))
    v = r * w
    ideal = np.where(d > 0, v.max(axis=0), v.min(axis=0))
    anti = np.where(d > 0, v.min(axis=0), v.max(axis=0))
    d_plus = np.sqrt(((v - ideal) ** 2).sum(axis=1))
    d_minus = np.sqrt(((v - anti) ** 2).sum(axis=1))
    return d_minus / (d_plus + d_minus)


def bare_numpy_topsis_ranked(x: np.ndarray, w: np.ndarray, d: np.ndarray) -> np.ndarray:
    """The same, plus the order of the customers (what a ranking needs on top)."""
    c = bare_numpy_topsis(x, w, d)
    return np.argsort(-c)


def best_time(fn: Callable[[], Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def peak_bytes(fn: Callable[[], Any]) -> int:
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--cols", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--skip-pymcdm-default",
        action="store_true",
        help="skip pymcdm with validation (about 15 s per call on 1,000,000 rows)",
    )
    args = parser.parse_args()

    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import vector_normalization

    rng = np.random.default_rng(2008)
    m, n = args.rows, args.cols
    x = rng.uniform(1.0, 100.0, (m, n)) * rng.uniform(0.01, 10_000.0, n)
    w = rng.dirichlet(np.ones(n))
    d = np.where(np.arange(n) % 5 == 3, -1, 1)
    pymcdm_topsis = TOPSIS(vector_normalization)

    cases: list[tuple[str, Callable[[], Any], int, bool]] = [
        ("bare numpy (closeness only)", lambda: bare_numpy_topsis(x, w, d), args.repeat, True),
        ("bare numpy + argsort", lambda: bare_numpy_topsis_ranked(x, w, d), args.repeat, True),
        (
            "mcda_ckm rank, validated",
            lambda: topsis.rank(x, w, d, contributions=False),
            args.repeat,
            True,
        ),
        (
            "mcda_ckm rank, validated + contributions",
            lambda: topsis.rank(x, w, d),
            args.repeat,
            True,
        ),
        (
            "pymcdm TOPSIS validation=False",
            lambda: pymcdm_topsis(x, w, d, validation=False),
            max(1, args.repeat // 2),
            True,
        ),
    ]
    if not args.skip_pymcdm_default:
        cases.append(("pymcdm TOPSIS (default)", lambda: pymcdm_topsis(x, w, d), 1, False))

    # Same answer first: the benchmark compares equals.
    ours = topsis.rank(x, w, d, contributions=False).closeness
    assert np.allclose(ours, bare_numpy_topsis(x, w, d), rtol=0, atol=1e-12)
    assert np.allclose(ours, pymcdm_topsis(x, w, d, validation=False), rtol=0, atol=1e-12)

    input_mb = x.nbytes / 2**20
    print(f"TOPSIS, vector normalisation, {m:,} x {n} float64 (input {input_mb:.0f} MiB)")
    print(f"numpy {np.__version__}; best of {args.repeat} runs (pymcdm default: 1 run)\n")
    rows = []
    base = None
    for name, fn, repeat, trace in cases:
        seconds = best_time(fn, repeat)
        base = seconds if base is None else base
        peak = peak_bytes(fn) / 2**20 if trace else float("nan")
        rows.append((name, seconds, seconds / base, peak, peak / input_mb))
    head = f"{'method':42s} {'time s':>8s} {'x numpy':>8s} {'peak MiB':>9s} {'x input':>8s}"
    print(head)
    print("-" * len(head))
    for name, seconds, ratio, peak, rel in rows:
        peak_text = f"{peak:9.0f}" if peak == peak else f"{'-':>9s}"
        rel_text = f"{rel:8.2f}" if rel == rel else f"{'-':>8s}"
        print(f"{name:42s} {seconds:8.3f} {ratio:8.2f} {peak_text} {rel_text}")
    ours_row = rows[2]
    print()
    print(
        f"goal time   <= 1.2x bare numpy: {ours_row[2]:.2f}x "
        f"{'PASS' if ours_row[2] <= 1.2 else 'FAIL'}"
    )
    print(
        f"goal memory <= 4x the input   : {ours_row[4]:.2f}x "
        f"{'PASS' if ours_row[4] <= 4 else 'FAIL'}"
    )
    if not args.skip_pymcdm_default:
        print(f"pymcdm default / mcda_ckm rank: {rows[-1][1] / ours_row[1]:.0f}x")
    print("(peak memory: tracemalloc peak of the call's own allocations, input excluded)")


if __name__ == "__main__":
    main()
