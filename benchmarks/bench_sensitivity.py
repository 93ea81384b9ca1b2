"""Benchmark: SMAA on 10,000 weight samples x 10,000 customers x 12 indicators.

The same work two ways, in the same run:

- mcda_ckm: ``sensitivity.smaa`` (batched TOPSIS closeness, squared distances as matrix products
  in chunks of samples; top-k rank acceptability; central weight vectors);
- reference: a Python loop calling pymcdm 1.4's ``TOPSIS(vector_normalization)`` with
  ``validation=False`` once per sample, then the same top-k bookkeeping with numpy.

Prints wall times, the ratio, and checks that both give the same rank acceptability.
Goal (issue 5): >= 30x faster than the pymcdm loop and <= 2 s on two cores.

Run::

    python benchmarks/bench_sensitivity.py               # the pymcdm loop takes most of it
    python benchmarks/bench_sensitivity.py --samples 2000 --customers 2000
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from mcda_ckm import sensitivity as S
from mcda_ckm.model.tree import flat_tree


def pymcdm_loop(x: np.ndarray, w: np.ndarray, d: np.ndarray, k: int) -> tuple[np.ndarray, ...]:
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import vector_normalization

    method = TOPSIS(normalization_function=vector_normalization)
    m, n = x.shape
    acc = np.zeros((m, k))
    first_sum = np.zeros((m, n))
    first_n = np.zeros(m)
    for ws in w:
        c = method(x, ws, d, validation=False)
        top = np.argpartition(-c, k - 1)[:k]
        top = top[np.argsort(-c[top], kind="stable")]
        acc[top, np.arange(k)] += 1
        first_sum[top[0]] += ws
        first_n[top[0]] += 1
    return acc / len(w), first_sum, first_n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=10_000)
    ap.add_argument("--customers", type=int, default=10_000)
    ap.add_argument("--criteria", type=int, default=12)
    ap.add_argument("--top", type=int, default=5)
    ap.add_argument("--chunk", type=int, default=1024)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    rng = np.random.default_rng(args.seed)
    m, n, s, k = args.customers, args.criteria, args.samples, args.top
    x = rng.lognormal(3, 1, size=(m, n))
    d = np.ones(n, dtype=int)
    d[-1] = -1
    tree = flat_tree([f"c{j}" for j in range(n)], ["benefit"] * (n - 1) + ["cost"])
    w0 = rng.dirichlet(np.ones(n))
    print(
        f"SMAA: {s:,} samples x {m:,} customers x {n} criteria, top {k}; "
        f"{os.cpu_count()} cores; seed {args.seed}"
    )

    t = time.perf_counter()
    p = S.problem(tree, {"goal": w0}, x, d, [str(i) for i in range(m)], k)
    w = S.sample_weights(p, s, "uniform", seed=args.seed)
    t_setup = time.perf_counter() - t
    t = time.perf_counter()
    res = S.smaa(p, w, chunk=args.chunk)
    t_ours = time.perf_counter() - t
    print(f"mcda_ckm smaa: {t_ours:8.3f} s   (+ setup and sampling {t_setup:.3f} s)")

    t = time.perf_counter()
    acc, first_sum, first_n = pymcdm_loop(x, w, d, k)
    t_ref = time.perf_counter() - t
    print(f"pymcdm loop  : {t_ref:8.3f} s   (TOPSIS validation=False, one call per sample)")

    same = np.allclose(res.rank_acceptability, acc)
    won = first_n > 0
    central_ok = np.allclose(res.central_weights[won], first_sum[won] / first_n[won, None])
    print(f"ratio        : {t_ref / t_ours:8.1f}x faster (goal >= 30x, <= 2 s)")
    print(f"same rank acceptability: {same}; same central weights: {central_ok}")


if __name__ == "__main__":
    main()
