"""Tests of the sweep figure's summary of the customers it does not name (issue 13: drawing
100,000 grey lines took most of a large report's time)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import PolyCollection

from mcda_ckm.report import figures
from mcda_ckm.report import narrative as N
from mcda_ckm.sensitivity import Sweep


def sweep(m: int, seed: int = 0) -> Sweep:
    rng = np.random.default_rng(seed)
    t = np.linspace(0, 1, 21)
    closeness = rng.uniform(0, 1, (len(t), m))
    return Sweep(node="n", t=t, weights=np.zeros((len(t), 2)), closeness=closeness, t0=0.3)


def test_many_customers_drawn_as_a_band_of_the_others():
    """Past MANY_LINES customers: the named ones as lines, the others as the band between
    their 5th and 95th percentiles (computed here by hand) and a median line."""
    m = figures.MANY_LINES + 1
    sw = sweep(m)
    ax = figures.gradient(sw, [f"C{i}" for i in range(m)], highlight=[0, 1], challengers=[2])
    others = sw.closeness[:, 3:]
    lines = [ln for ln in ax.get_lines() if len(ln.get_xdata()) == len(sw.t)]
    assert len(lines) == 4  # two key sources, one challenger, the median
    (median,) = [ln for ln in lines if ln.get_label() == "other customers, median"]
    np.testing.assert_allclose(median.get_ydata(), np.median(others, axis=1))
    (band,) = [c for c in ax.collections if isinstance(c, PolyCollection)]
    vertices = band.get_paths()[0].vertices
    s = np.sort(others, axis=1)
    for q in (0.05, 0.95):  # linear interpolation between order statistics (Hyndman-Fan 7)
        rank = q * (others.shape[1] - 1)
        below = int(np.floor(rank))
        bound = s[:, below] + (rank - below) * (s[:, below + 1] - s[:, below])
        for t, y in zip(sw.t, bound, strict=True):
            assert np.isclose(vertices, [t, y]).all(axis=1).any()
    plt.close(ax.figure)


def test_few_customers_keep_one_line_each():
    m = figures.MANY_LINES
    ax = figures.gradient(sweep(m), [f"C{i}" for i in range(m)], highlight=[0])
    assert len([ln for ln in ax.get_lines() if len(ln.get_xdata()) == 21]) == m
    assert not figures.summarises_others(m) and figures.summarises_others(m + 1)
    plt.close(ax.figure)


def test_the_band_is_stated_in_the_caption_in_both_languages():
    assert "5th to 95th percentile" in N.caption("gradient_band", "en", label="Trust")
    assert "第 5 至第 95 百分位" in N.caption("gradient_band", "zh", label="信任")
