"""Customer tiers: key, potential and ordinary knowledge sources, by a stated rule.

The applied studies that rank customers by TOPSIS closeness end by sorting them into tiers (关键 /
潜在 / 一般客户): the key sources get the CKM effort now, the potential ones are watched and
developed. The rule must be stated, because the tiers are only as meaningful as it is:

* ``"top_k"``: the ``k`` best by closeness are key; the next ones whose closeness is at least
  ``(1 - within)`` times the k-th's are potential; the rest ordinary;
* ``"closeness"``: key when closeness >= ``key_at``, potential when >= ``potential_at``;
* ``"probability"``: on the probability of being key under the SMAA samples: key when
  ``p >= p_hi``, potential when ``p >= p_lo``;
* ``"kmeans"``: the optimal 1-D 3-means partition of the closeness values (the highest cluster
  key, the middle potential), found exactly: in one dimension optimal clusters are intervals of
  the sorted values (Fisher 1958, "On grouping for maximum homogeneity", *JASA* 53, 789-798;
  Wang & Song 2011, "Ckmeans.1d.dp", *The R Journal* 3(2), 29-33), so trying every pair of cuts
  between distinct values gives the global optimum, not Lloyd's local one.

Ties in closeness are broken by input order (a stable sort), as in the ranking.

**Stability** under SMAA: given per-sample closeness (s samples x m customers), the rule is applied
to every sample and each customer's stability is the share of samples that put it in its tier.
Given only each sample's top-k rows, the observable boundary is key / not key: a key customer's
stability is the share of samples with it in the top k, another's the share without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mcda_ckm.errors import CkmError

__all__ = [
    "RULES",
    "TIERS",
    "TierStability",
    "Tiers",
    "key_probability",
    "pooled",
    "stability",
    "stability_from_probability",
    "stability_from_topk",
    "tiers_by_closeness",
    "tiers_by_kmeans",
    "tiers_by_probability",
    "tiers_by_top_k",
]

TIERS: tuple[str, ...] = ("key", "potential", "ordinary")
"""The tiers, best first; a customer's tier code is its index here."""

RULES: tuple[str, ...] = ("top_k", "closeness", "probability", "kmeans")
"""The tier rules, by the names used in settings and on the command line."""

KMEANS_MAX = 20_000
"""Most distinct closeness values the exact 3-means tries all cuts of (O(n^2) work)."""


@dataclass(frozen=True)
class Tiers:
    """Customers split into tiers by a rule.

    Attributes
    ----------
    ids : tuple of str
    codes : numpy.ndarray
        Each customer's tier as an index into :data:`TIERS` (0 key, 1 potential, 2 ordinary).
    rule : str
        One of :data:`RULES`.
    parameters : tuple of (str, float)
        The rule's parameters, by name (for kmeans, the two closeness cut points found).
    values : numpy.ndarray
        What the rule was applied to (closeness, or the probability of being key).
    """

    ids: tuple[str, ...]
    codes: np.ndarray
    rule: str
    parameters: tuple[tuple[str, float], ...]
    values: np.ndarray

    @property
    def tiers(self) -> tuple[str, ...]:
        """Each customer's tier name."""
        return tuple(TIERS[c] for c in self.codes)

    def members(self, tier: str) -> tuple[str, ...]:
        """The customers of ``tier``, in input order."""
        code = TIERS.index(tier)
        return tuple(i for i, c in zip(self.ids, self.codes, strict=True) if c == code)

    @property
    def key(self) -> tuple[str, ...]:
        return self.members("key")

    @property
    def potential(self) -> tuple[str, ...]:
        return self.members("potential")

    @property
    def ordinary(self) -> tuple[str, ...]:
        return self.members("ordinary")

    def parameter(self, name: str) -> float:
        """One parameter's value."""
        return dict(self.parameters)[name]


@dataclass(frozen=True)
class TierStability:
    """How often the SMAA samples put each customer in its tier.

    Attributes
    ----------
    ids : tuple of str
    codes : numpy.ndarray
        The tiers checked (as in :class:`Tiers`).
    share : numpy.ndarray
        Per customer, the share of samples in which it falls in its tier, in [0, 1].
    samples : int
    basis : str
        ``"closeness"`` (the rule applied to each sample) or ``"top_k"`` (key / not key only).
    """

    ids: tuple[str, ...]
    codes: np.ndarray
    share: np.ndarray
    samples: int
    basis: str

    def mean(self, tier: str) -> float:
        """The mean stability of the customers of ``tier`` (NaN for an empty tier)."""
        inside = self.codes == TIERS.index(tier)
        return float(self.share[inside].mean()) if inside.any() else float("nan")


# --- kernels (valid input) -----------------------------------------------------------------


def top_k_codes(c: np.ndarray, k: int, within: float) -> np.ndarray:
    """Tier codes of each row of ``c`` (s x m) by the top-k rule; ties in input order."""
    s, m = c.shape
    order = np.argsort(-c, axis=1, kind="stable")
    position = np.empty_like(order)
    np.put_along_axis(position, order, np.arange(m)[None, :].repeat(s, axis=0), axis=1)
    kth = np.take_along_axis(c, order[:, k - 1 : k], axis=1)
    codes = np.full((s, m), 2, dtype=np.int8)
    codes[c >= kth * (1.0 - within)] = 1
    codes[position < k] = 0
    return codes


def threshold_codes(v: np.ndarray, key_at: float, potential_at: float) -> np.ndarray:
    """Tier codes by two thresholds (key >= key_at, potential >= potential_at)."""
    codes = np.full(v.shape, 2, dtype=np.int8)
    codes[v >= potential_at] = 1
    codes[v >= key_at] = 0
    return codes


def three_means_cuts(values: np.ndarray) -> tuple[float, float]:
    """The optimal 1-D 3-means partition, as the lowest value of the middle and top clusters.

    Weighted over the distinct values (equal values never split); every pair of cuts is tried
    with prefix sums, ``SSE[a, b) = S2 - S1^2 / W`` per interval.
    """
    x, w = np.unique(values, return_counts=True)
    w = w.astype(np.float64)
    n = x.size
    s0 = np.concatenate(([0.0], np.cumsum(w)))
    s1 = np.concatenate(([0.0], np.cumsum(w * x)))
    s2 = np.concatenate(([0.0], np.cumsum(w * x * x)))

    def sse(a: Any, b: Any) -> Any:
        return s2[b] - s2[a] - (s1[b] - s1[a]) ** 2 / (s0[b] - s0[a])

    best = (np.inf, 1, 2)
    j = np.arange(2, n)
    for i in range(1, n - 1):
        jj = j[j > i]
        total = sse(0, i) + sse(i, jj) + sse(jj, n)
        at = int(np.argmin(total))
        if total[at] < best[0]:
            best = (float(total[at]), i, int(jj[at]))
    _, i, jbest = best
    return float(x[i]), float(x[jbest])


# --- checked front ends ----------------------------------------------------------------------


def check_values(values: Any, name: str) -> np.ndarray:
    v = np.asarray(values, dtype=np.float64)
    if v.ndim != 1 or v.size == 0:
        raise CkmError(f"{name} must be one value per customer, got shape {v.shape}", where=name)
    if not np.isfinite(v).all():
        j = int(np.flatnonzero(~np.isfinite(v))[0])
        raise CkmError(f"{name} of customer #{j + 1} is {v[j]}", where=name)
    return v


def check_ids(ids: Sequence[str] | None, m: int) -> tuple[str, ...]:
    if ids is None:
        return tuple(f"A{i + 1}" for i in range(m))
    if len(ids) != m:
        raise CkmError(f"{len(ids)} ids for {m} customers", where="ids")
    return tuple(ids)


def package(
    ids: tuple[str, ...], codes: np.ndarray, rule: str, params: dict[str, float], v: np.ndarray
) -> Tiers:
    codes = codes.astype(np.int8)
    v = v.copy()
    codes.flags.writeable = False
    v.flags.writeable = False
    return Tiers(ids, codes, rule, tuple(params.items()), v)


def tiers_by_top_k(
    closeness: Any, k: int, *, within: float = 0.1, ids: Sequence[str] | None = None
) -> Tiers:
    """Key = the ``k`` best; potential = the next within ``within`` of the k-th's closeness.

    Parameters
    ----------
    closeness : array_like, shape (m,)
    k : int
        The number of key customers, 1 <= k <= m.
    within : float
        The fraction in [0, 1]: potential when closeness >= (1 - within) * C_k.
    ids : sequence of str, optional

    >>> tiers_by_top_k([0.9, 0.5, 0.8, 0.75, 0.2], 2, within=0.1).tiers
    ('key', 'ordinary', 'key', 'potential', 'ordinary')
    """
    c = check_values(closeness, "closeness")
    if not (isinstance(k, int | np.integer) and 1 <= k <= c.size):
        raise CkmError(f"k must be an integer from 1 to {c.size}, got {k!r}", where="k")
    if not 0.0 <= within <= 1.0:
        raise CkmError(f"within must be a fraction in [0, 1], got {within!r}", where="within")
    codes = top_k_codes(c[None, :], int(k), within)[0]
    return package(check_ids(ids, c.size), codes, "top_k", {"k": int(k), "within": within}, c)


def tiers_by_closeness(
    closeness: Any, key_at: float, potential_at: float, *, ids: Sequence[str] | None = None
) -> Tiers:
    """Key when closeness >= ``key_at``; potential when >= ``potential_at`` (<= key_at).

    >>> tiers_by_closeness([0.9, 0.5, 0.6], 0.8, 0.55).tiers
    ('key', 'ordinary', 'potential')
    """
    c = check_values(closeness, "closeness")
    if not potential_at <= key_at:
        raise CkmError(
            f"potential_at {potential_at} is above key_at {key_at}",
            where="thresholds",
            hint="The key threshold must be the higher one",
        )
    codes = threshold_codes(c, key_at, potential_at)
    params = {"key_at": float(key_at), "potential_at": float(potential_at)}
    return package(check_ids(ids, c.size), codes, "closeness", params, c)


def tiers_by_probability(
    p_key: Any, p_hi: float, p_lo: float, *, ids: Sequence[str] | None = None
) -> Tiers:
    """Key when the probability of being key is >= ``p_hi``; potential when >= ``p_lo``.

    ``p_key`` is typically :func:`key_probability` of the SMAA samples' top-k rows.

    >>> tiers_by_probability([0.95, 0.4, 0.05], 0.8, 0.3).tiers
    ('key', 'potential', 'ordinary')
    """
    p = check_values(p_key, "p_key")
    if ((p < 0) | (p > 1)).any():
        raise CkmError("probabilities must lie in [0, 1]", where="p_key")
    if not 0.0 <= p_lo <= p_hi <= 1.0:
        raise CkmError(
            f"need 0 <= p_lo <= p_hi <= 1, got p_lo {p_lo}, p_hi {p_hi}", where="thresholds"
        )
    codes = threshold_codes(p, p_hi, p_lo)
    params = {"p_hi": float(p_hi), "p_lo": float(p_lo)}
    return package(check_ids(ids, p.size), codes, "probability", params, p)


def tiers_by_kmeans(closeness: Any, *, ids: Sequence[str] | None = None) -> Tiers:
    """Tiers as the optimal 1-D 3-means clusters of closeness (highest cluster key).

    The cut points found are the parameters ``potential_at`` and ``key_at`` (the lowest
    closeness of the middle and top clusters), so the same rule can be applied to samples.

    >>> tiers_by_kmeans([0.9, 0.88, 0.5, 0.52, 0.1, 0.12]).tiers
    ('key', 'key', 'potential', 'potential', 'ordinary', 'ordinary')
    """
    c = check_values(closeness, "closeness")
    distinct = np.unique(c).size
    if distinct < 3:
        raise CkmError(
            f"3-means needs at least 3 distinct closeness values, got {distinct}",
            where="kmeans",
            hint="Use the top_k or closeness rule",
        )
    if distinct > KMEANS_MAX:
        raise CkmError(
            f"{distinct} distinct closeness values: exact 3-means is limited to {KMEANS_MAX}",
            where="kmeans",
            hint="Use the top_k or closeness rule for a whole customer base",
        )
    potential_at, key_at = three_means_cuts(c)
    codes = threshold_codes(c, key_at, potential_at)
    params = {"potential_at": potential_at, "key_at": key_at}
    return package(check_ids(ids, c.size), codes, "kmeans", params, c)


def check_samples(samples: Any, m: int) -> np.ndarray:
    x = np.asarray(samples, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] != m or x.shape[0] == 0:
        raise CkmError(
            f"samples must be (samples x {m} customers), got shape {x.shape}", where="samples"
        )
    if not np.isfinite(x).all():
        raise CkmError("samples hold a non-finite closeness", where="samples")
    return x


def stability(tiers: Tiers, samples: Any) -> TierStability:
    """The share of samples in which each customer falls in its tier, by the tiers' own rule.

    Parameters
    ----------
    tiers : Tiers
        From the top_k, closeness or kmeans rule (kmeans: the cut points found on the central
        closeness are applied to every sample).
    samples : array_like, shape (s, m)
        Per-sample closeness, the SMAA samples' (customers in ``tiers.ids`` order).

    Raises
    ------
    CkmError
        For probability tiers (use :func:`stability_from_topk`) or samples of the wrong shape.
    """
    m = len(tiers.ids)
    c = check_samples(samples, m)
    params = dict(tiers.parameters)
    if tiers.rule == "top_k":
        codes = top_k_codes(c, int(params["k"]), params["within"])
    elif tiers.rule in ("closeness", "kmeans"):
        codes = threshold_codes(c, params["key_at"], params["potential_at"])
    else:
        raise CkmError(
            "probability tiers already come from the samples; closeness samples cannot re-apply "
            "their rule",
            where="stability",
            hint="Use stability_from_topk with the samples' top-k rows",
        )
    share = (codes == tiers.codes[None, :]).mean(axis=0)
    share.flags.writeable = False
    return TierStability(tiers.ids, tiers.codes, share, c.shape[0], "closeness")


def key_probability(topk_rows: Any, m: int) -> np.ndarray:
    """Per customer, the share of samples whose top-k row holds it.

    >>> key_probability([[0, 1], [0, 2]], 3).tolist()
    [1.0, 0.5, 0.5]
    """
    rows = np.asarray(topk_rows)
    if rows.ndim != 2 or rows.shape[0] == 0 or not np.issubdtype(rows.dtype, np.integer):
        raise CkmError(
            f"top-k rows must be integers (samples x k), got shape {rows.shape}", where="topk"
        )
    if rows.size and (rows.min() < 0 or rows.max() >= m):
        raise CkmError(f"top-k rows hold a customer index outside 0..{m - 1}", where="topk")
    return np.bincount(rows.ravel(), minlength=m) / rows.shape[0]


def stability_from_topk(tiers: Tiers, topk_rows: Any) -> TierStability:
    """Stability from the samples' top-k rows: key / not key only.

    A key customer's share is the share of samples with it in the top k; a potential or
    ordinary customer's, the share of samples without it.
    """
    p = key_probability(topk_rows, len(tiers.ids))
    share = np.where(tiers.codes == 0, p, 1.0 - p)
    share.flags.writeable = False
    return TierStability(tiers.ids, tiers.codes, share, int(np.shape(topk_rows)[0]), "top_k")


def stability_from_probability(tiers: Tiers, p_key: Any, samples: int) -> TierStability:
    """Stability from each customer's probability of being key (the share of ``samples`` with
    it in the top k): key / not key only, as :func:`stability_from_topk`.

    >>> t = tiers_by_probability([0.9, 0.3, 0.0], 0.8, 0.2)
    >>> stability_from_probability(t, [0.9, 0.3, 0.0], 10).share.tolist()
    [0.9, 0.7, 1.0]
    """
    p = check_values(p_key, "p_key")
    if p.size != len(tiers.ids):
        raise CkmError(f"{p.size} probabilities for {len(tiers.ids)} customers", where="p_key")
    share = np.where(tiers.codes == 0, p, 1.0 - p)
    share.flags.writeable = False
    return TierStability(tiers.ids, tiers.codes, share, int(samples), "top_k")


def pooled(parts: Sequence[TierStability]) -> TierStability:
    """One stability from several computed on disjoint batches of samples (weighted by their
    sample counts): lets the samples' closeness be computed a batch at a time."""
    total = sum(s.samples for s in parts)
    if not parts or total == 0:
        raise CkmError("no samples to pool", where="stability")
    share = np.sum([s.share * s.samples for s in parts], axis=0) / total
    share.flags.writeable = False
    first = parts[0]
    return TierStability(first.ids, first.codes, share, total, first.basis)
