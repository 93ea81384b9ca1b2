"""Customer tiers by a stated rule, and their stability under samples, on constructed customers."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
import pytest

from mcda_ckm.errors import CkmError
from mcda_ckm.ranking.tiers import (
    key_probability,
    stability,
    stability_from_topk,
    tiers_by_closeness,
    tiers_by_kmeans,
    tiers_by_probability,
    tiers_by_top_k,
)

IDS = ("A", "B", "C", "D", "E", "F")
C = np.array([0.91, 0.40, 0.85, 0.80, 0.20, 0.76])


def test_top_k_by_hand() -> None:
    """k = 2: A (0.91) and C (0.85) key; C_k = 0.85, within 0.1 -> potential from 0.765:
    D (0.80) yes, F (0.76) no; B, E, F ordinary."""
    t = tiers_by_top_k(C, 2, within=0.1, ids=IDS)
    assert (t.key, t.potential, t.ordinary) == (("A", "C"), ("D",), ("B", "E", "F"))
    assert t.rule == "top_k" and t.parameter("k") == 2 and t.parameter("within") == 0.1
    assert tiers_by_top_k(C, 2, within=0.2, ids=IDS).potential == ("D", "F")
    assert tiers_by_top_k(C, 2, within=0.0, ids=IDS).potential == ()


def test_top_k_ties_in_input_order() -> None:
    t = tiers_by_top_k([0.5, 0.9, 0.5, 0.5], 2, within=0.0, ids=["a", "b", "c", "d"])
    assert t.key == ("a", "b")
    assert t.potential == ("c", "d")  # tied with the k-th: within 0 of it


def test_thresholds_by_hand() -> None:
    t = tiers_by_closeness(C, key_at=0.85, potential_at=0.5, ids=IDS)
    assert (t.key, t.potential, t.ordinary) == (("A", "C"), ("D", "F"), ("B", "E"))


def test_probability_by_hand() -> None:
    """Four samples' top-2 rows: A in all 4 (1.0), C in 3 (0.75), D in 1 (0.25); with
    p_hi = 0.8, p_lo = 0.2: key A, potential C and D."""
    rows = [[0, 2], [0, 2], [0, 3], [2, 0]]
    p = key_probability(rows, 6)
    np.testing.assert_allclose(p, [1.0, 0, 0.75, 0.25, 0, 0])
    t = tiers_by_probability(p, 0.8, 0.2, ids=IDS)
    assert (t.key, t.potential) == (("A",), ("C", "D"))
    s = stability_from_topk(t, rows)
    np.testing.assert_allclose(s.share, [1.0, 1.0, 0.25, 0.75, 1.0, 1.0])
    assert s.basis == "top_k" and s.samples == 4
    assert s.mean("potential") == pytest.approx(0.5)


def brute_force_three_means(x: np.ndarray) -> float:
    """The least within-cluster sum of squares over every split of the sorted values into
    three non-empty runs (an independent reference for the exact 1-D 3-means)."""
    xs = np.sort(x)
    n = xs.size
    best = np.inf
    for i, j in itertools.combinations(range(1, n), 2):
        parts = (xs[:i], xs[i:j], xs[j:])
        best = min(best, sum(((p - p.mean()) ** 2).sum() for p in parts))
    return best


def within_ss(x: np.ndarray, codes: np.ndarray) -> float:
    return sum(((x[codes == c] - x[codes == c].mean()) ** 2).sum() for c in range(3))


@pytest.mark.parametrize("seed", range(8))
def test_kmeans_reaches_the_brute_force_optimum(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1, size=int(rng.integers(5, 16)))
    t = tiers_by_kmeans(x)
    assert within_ss(x, t.codes) == pytest.approx(brute_force_three_means(x), rel=1e-12)
    # the top cluster is key: every key customer beats every potential one, and so on
    assert x[t.codes == 0].min() > x[t.codes == 1].max() > 0
    assert x[t.codes == 1].min() > x[t.codes == 2].max()


def test_kmeans_constructed_groups_and_ties() -> None:
    """Three clear groups with a tie inside one: equal values stay together."""
    x = np.array([0.9, 0.88, 0.88, 0.5, 0.52, 0.1, 0.12, 0.11])
    t = tiers_by_kmeans(x, ids=list("abcdefgh"))
    assert t.key == ("a", "b", "c")
    assert t.potential == ("d", "e")
    assert (t.parameter("potential_at"), t.parameter("key_at")) == (0.5, 0.88)
    with pytest.raises(CkmError, match="at least 3 distinct"):
        tiers_by_kmeans([0.1, 0.1, 0.9])


def test_stability_by_hand_top_k() -> None:
    """k = 2, within 0.1, central tiers: A, C key; D potential; B, E, F ordinary.
    Sample 1 = the central closeness: everyone in its tier.
    Sample 2 swaps C and D (D 0.85, C 0.80): C -> potential, D -> key; others unchanged.
    Sample 3 lifts F to 0.95: F and A key; C_k = 0.91, potential from 0.819: C (0.85)
    potential, D (0.80) ordinary, F key: C, D and F out of their tiers.
    Shares: A 3/3, B 3/3, C 1/3, D 1/3, E 3/3, F 2/3.
    """
    t = tiers_by_top_k(C, 2, within=0.1, ids=IDS)
    s2 = C.copy()
    s2[[2, 3]] = [0.80, 0.85]
    s3 = C.copy()
    s3[5] = 0.95
    st = stability(t, np.vstack([C, s2, s3]))
    np.testing.assert_allclose(st.share, [1, 1, 1 / 3, 1 / 3, 1, 2 / 3])
    assert st.samples == 3 and st.basis == "closeness"
    assert st.mean("key") == pytest.approx(2 / 3)


def test_stability_of_thresholds_and_kmeans() -> None:
    t = tiers_by_closeness(C, key_at=0.85, potential_at=0.5, ids=IDS)
    lower = C - 0.06  # A 0.85 stays key, C 0.79 drops to potential, B 0.34 stays ordinary
    st = stability(t, np.vstack([C, lower]))
    np.testing.assert_allclose(st.share, [1, 1, 0.5, 1, 1, 1])
    k = tiers_by_kmeans(C, ids=IDS)
    np.testing.assert_allclose(stability(k, C[None, :]).share, np.ones(6))


def test_probability_tiers_need_topk_rows() -> None:
    t = tiers_by_probability([0.9, 0.1], 0.8, 0.2)
    with pytest.raises(CkmError, match="stability_from_topk"):
        stability(t, [[0.5, 0.4]])


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: tiers_by_top_k(C, 0), "k must be an integer from 1 to 6"),
        (lambda: tiers_by_top_k(C, 2, within=1.5), r"within must be a fraction in \[0, 1\]"),
        (lambda: tiers_by_top_k([0.1, np.nan], 1), "closeness of customer #2 is nan"),
        (lambda: tiers_by_top_k(C, 2, ids=["a"]), "1 ids for 6 customers"),
        (lambda: tiers_by_closeness(C, 0.5, 0.8), "potential_at 0.8 is above key_at 0.5"),
        (lambda: tiers_by_probability([1.2], 0.8, 0.2), r"must lie in \[0, 1\]"),
        (lambda: tiers_by_probability([0.5], 0.2, 0.8), "need 0 <= p_lo <= p_hi <= 1"),
        (lambda: stability(tiers_by_top_k(C, 2), np.ones((3, 5))), r"samples x 6 customers"),
        (lambda: key_probability([[0, 7]], 6), "outside 0..5"),
    ],
)
def test_inputs_are_checked(call: Callable[[], object], match: str) -> None:
    with pytest.raises(CkmError, match=match):
        call()


def test_pooled_batches_equal_the_whole_sample() -> None:
    """Stability computed a batch of samples at a time and pooled (weighted by the batches'
    sizes) is the share over all samples."""
    from mcda_ckm.ranking.tiers import pooled, stability, tiers_by_closeness

    rng = np.random.default_rng(8)
    c = rng.uniform(0, 1, size=9)
    samples = np.clip(c + rng.normal(0, 0.1, size=(101, 9)), 0, 1)
    t = tiers_by_closeness(c, 0.6, 0.4)
    whole = stability(t, samples)
    parts = pooled([stability(t, samples[:40]), stability(t, samples[40:])])
    np.testing.assert_allclose(parts.share, whole.share, atol=1e-15)
    assert parts.samples == 101


def test_stability_from_probability_is_key_or_not_key() -> None:
    """A key customer (p >= p_hi) is stable in the share of samples that have it key; any
    other in the share that do not: p = (0.9, 0.5, 0.1) -> (0.9, 0.5, 0.9)."""
    from mcda_ckm.ranking.tiers import stability_from_probability, tiers_by_probability

    p = [0.9, 0.5, 0.1]
    t = tiers_by_probability(p, 0.8, 0.2)
    assert t.tiers == ("key", "potential", "ordinary")
    np.testing.assert_allclose(stability_from_probability(t, p, 50).share, [0.9, 0.5, 0.9])
