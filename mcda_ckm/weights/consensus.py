"""Goepel's consensus indicator S* of an AHP panel, its verbal bands and the expert farthest
from the group (Goepel 2013, as computed by AHP-OS)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "CONSENSUS_BANDS",
    "CONSENSUS_SOURCE",
    "Consensus",
    "consensus",
    "consensus_band",
    "s_star",
]


@dataclass(frozen=True)
class Consensus:
    """Goepel's AHP consensus indicator for one node.

    Attributes
    ----------
    s_star : float
        Consensus S* in [0, 1].
    band : str
        Its verbal band (very low ... very high), see :data:`CONSENSUS_SOURCE`.
    farthest : int or None
        Index of the expert whose removal raises S* the most (None for fewer than 3 experts).
    s_without_farthest : float
        S* of the panel without that expert.
    """

    s_star: float
    band: str
    farthest: int | None
    s_without_farthest: float


CONSENSUS_BANDS = (
    (50.0, "very low"),
    (62.5, "low"),
    (75.0, "moderate"),
    (87.5, "high"),
    (math.inf, "very high"),
)
"""The word bands of S* in percent, each upper edge included (as AHP-OS's
``AhpGroup::consensusWording``: ``$c <= 50`` very low, ``$c > 50 && $c <= 62.5`` low, ...)."""
CONSENSUS_SOURCE = (
    "Goepel, K. D. (2013). Implementing the Analytic Hierarchy Process as a Standard Method for "
    "Multi-Criteria Decision Making in Corporate Enterprises. ISAHP 2013 (S* as computed by "
    "AHP-OS, classes/AhpGroup.php); wording scale from Goepel's 'AHP consensus word scale' "
    "(bpmsg.com), edges as in AHP-OS's AhpGroup::consensusWording: <= 50% very low, "
    "> 50-62.5% low, > 62.5-75% moderate, > 75-87.5% high, > 87.5% very high"
)


def _entropy(p: np.ndarray) -> np.ndarray:
    return -np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0), axis=-1)


def s_star(vectors: np.ndarray | Sequence[Sequence[float]], *, max_scale: float = 9.0) -> float:
    """Goepel's consensus indicator S* of a panel's priority vectors.

    With ``H_alpha`` the mean Shannon entropy of the experts' vectors, ``H_gamma`` the entropy of
    their mean, ``M = exp(H_alpha) / exp(H_gamma)`` (1 / beta diversity) and the bounds
    ``D_alpha_min`` (diversity of the most extreme vector the scale allows: one criterion
    ``max_scale`` times each other) and ``D_gamma_max = n``:
    ``S* = (M - D_alpha_min / D_gamma_max) / (1 - D_alpha_min / D_gamma_max)`` (Goepel 2013).
    """
    v = np.asarray(vectors, dtype=float)
    n = v.shape[1]
    h_alpha = float(_entropy(v).mean())
    h_gamma = float(_entropy(v.mean(axis=0)))
    m = math.exp(h_alpha - h_gamma)
    extreme = np.array([max_scale] + [1.0] * (n - 1))
    d_alpha_min = math.exp(float(_entropy(extreme / extreme.sum())))
    d_gamma_max = float(n)
    low = d_alpha_min / d_gamma_max
    return float(min(max((m - low) / (1 - low), 0.0), 1.0))


def consensus_band(s: float) -> str:
    """The word for a consensus S* in [0, 1], each band's upper edge included, compared in
    percent as AHP-OS does (:data:`CONSENSUS_BANDS`).

    >>> consensus_band(0.5), consensus_band(0.625), consensus_band(0.8750001)
    ('very low', 'low', 'very high')
    """
    pct = 100.0 * s
    return next(name for limit, name in CONSENSUS_BANDS if pct <= limit)


def consensus(vectors: np.ndarray | Sequence[Sequence[float]]) -> Consensus:
    """S*, its band, and the expert farthest from the group (see :func:`s_star`)."""
    v = np.asarray(vectors, dtype=float)
    s = s_star(v)
    band = consensus_band(s)
    farthest, s_without = None, s
    if len(v) >= 3:
        loo = [s_star(np.delete(v, k, axis=0)) for k in range(len(v))]
        farthest = int(np.argmax(loo))
        s_without = loo[farthest]
    return Consensus(s_star=s, band=band, farthest=farthest, s_without_farthest=s_without)
