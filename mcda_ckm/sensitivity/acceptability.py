"""SMAA-2: rank acceptability indices, key-source probabilities, central weight vectors and
confidence factors (Lahdelma & Salminen 2001) from sampled weight vectors
(:func:`mcda_ckm.sensitivity.sampling.sample_weights`), the key set of each by the one tie rule.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import reduce

import numpy as np

from mcda_ckm.ranking.topsis import key_sets, tie_order
from mcda_ckm.sensitivity.problem import Problem, Progress

__all__ = ["Acceptability", "smaa"]

BLOCK_FLOATS = 1 << 23
"""At most this many closeness values (64 MB of float64) per array per worker in :func:`smaa`:
with many customers its chunk of samples shrinks, so that memory does not grow with them (512
samples x 100,000 customers held 1.6 GB in the two workers' distance arrays)."""


@dataclass(frozen=True)
class Acceptability:
    """SMAA-2 results (Lahdelma & Salminen 2001, Operations Research 49(3), 444-454).

    Attributes
    ----------
    rank_acceptability : numpy.ndarray
        Shape (m, k): ``b_i^r``, the share of samples in which customer i takes rank r (1..k).
    key_probability : numpy.ndarray
        Shape (m,): share of samples in which customer i is in the top k.
    central_weights : numpy.ndarray
        Shape (m, n): the mean weight vector of the samples in which i ranks first (nan where
        i never ranks first).
    confidence : numpy.ndarray
        Shape (m,): 1 when i ranks first under its own central weights, 0 when not, nan when it
        never ranks first. The criteria values are exact here, so SMAA-2's confidence factor
        (the probability of ranking first with the central weights) is 0 or 1.
    n_samples, seed : int
    source : str
    """

    rank_acceptability: np.ndarray
    key_probability: np.ndarray
    central_weights: np.ndarray
    confidence: np.ndarray
    n_samples: int
    seed: int | None
    source: str


def smaa(
    p: Problem,
    weights: np.ndarray,
    *,
    chunk: int = 512,
    workers: int = 2,
    seed: int | None = None,
    source: str = "given",
    progress: Progress | None = None,
) -> Acceptability:
    """Rank acceptability, key-source probability, central weights and confidence factors.

    The closeness of every customer under every sampled weight vector is computed in chunks of
    ``chunk`` samples (fewer when ``chunk * m`` passes :data:`BLOCK_FLOATS`) by the batched
    TOPSIS kernel (squared distances as one matrix product), on ``workers`` threads, and each
    chunk's counts are added as it comes, so memory stays at about ``2 * workers * chunk * m``
    floats whatever the number of samples.

    Parameters
    ----------
    weights : numpy.ndarray
        Shape (s, n), e.g. from :func:`sample_weights`.
    seed, source : int and str
        Recorded in the result.
    """
    w_all = np.asarray(weights, dtype=float)
    s, n = w_all.shape
    m, k = len(p.ids), p.k
    chunk = max(8, min(chunk, BLOCK_FLOATS // max(m, 1)))
    starts = list(range(0, s, chunk))
    done = [0]
    lock = threading.Lock()

    def work(start: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        w = w_all[start : start + chunk]
        top = key_sets(p.deviations, w, k)
        counts = np.bincount((top * k + np.arange(k)).ravel(), minlength=m * k)
        first = top[:, 0]
        first_n = np.bincount(first, minlength=m)
        first_sum = np.stack(
            [np.bincount(first, weights=w[:, j], minlength=m) for j in range(n)], axis=1
        )
        if progress:
            with lock:
                done[0] += len(w)
                progress(done[0], s)
        return counts, first_n, first_sum

    # numpy releases the GIL in the matrix products, the division and argmin, so threads run
    # the chunks side by side (benchmarks/bench_sensitivity.py).
    # Summed in chunk order as they come, as sum() would (the same rounding whatever the threads
    # did), and not kept: a chunk's counts are (m, k) and (m, n) arrays.
    with ThreadPoolExecutor(max_workers=min(workers, len(starts))) as pool:
        counts, first_n, first_sum = reduce(
            lambda a, b: (a[0] + b[0], a[1] + b[1], a[2] + b[2]), pool.map(work, starts)
        )
    acc = counts.reshape(m, k) / s
    with np.errstate(invalid="ignore"):
        central = first_sum / first_n[:, None]
    confidence = np.full(m, np.nan)
    winners = np.flatnonzero(first_n)
    if winners.size:
        c = np.atleast_2d(p.closeness(central[winners]))
        first = tie_order(c)[0][:, 0]  # first by the one tie rule
        confidence[winners] = (first == winners).astype(float)
    return Acceptability(
        rank_acceptability=acc,
        key_probability=acc.sum(axis=1),
        central_weights=central,
        confidence=confidence,
        n_samples=s,
        seed=seed,
        source=source,
    )
