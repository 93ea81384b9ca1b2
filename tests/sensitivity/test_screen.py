"""Tests of the exact candidate screen of mcda_ckm.sensitivity.intervals (issue 13): the
customers it drops are below the set on the whole segment (checked by brute force on a fine
grid), and the tolerances with it equal those computed with every customer."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcda_ckm import sensitivity as S
from mcda_ckm.sensitivity import intervals
from tests.sensitivity.test_sensitivity import random_problem


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 10_000),
    st.sampled_from(["vector", "minmax"]),
    st.integers(1, 4),
    st.sampled_from(["c0", "c3", "c5"]),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
)
def test_dropped_customers_stay_below_the_set(seed, normalization, k, node, a, b):
    """Brute force: on 4,001 points of the segment, no dropped customer's closeness reaches the
    weakest member's."""
    p, *_ = random_problem(seed, m=60, k=k, normalization=normalization)
    line, _, _ = intervals._line(p, node)
    inside = np.zeros(len(p.ids), dtype=bool)
    inside[list(p.top(p.weights))] = True
    keep = intervals._candidates(p, line, inside, np.array([a, b]))
    assert keep[inside].all()
    ts = np.linspace(a, b, 4001)
    c = p.closeness(line.base[None, :] + ts[:, None] * line.slope[None, :])
    floor = c[:, inside].min(axis=1)
    assert (c[:, ~keep] < floor[:, None]).all()


@pytest.mark.parametrize("normalization", ["vector", "minmax"])
@pytest.mark.parametrize("seed", [3, 4])
def test_screen_does_not_change_any_tolerance(seed, normalization, monkeypatch):
    """Every node, both sets, both sides: the same bounds and swaps with everyone scanned."""
    p, *_ = random_problem(seed, m=3000, k=5, normalization=normalization)
    fast = S.tolerances(p)
    monkeypatch.setattr(intervals, "_candidates", lambda p, line, inside, ts: np.ones_like(inside))
    assert fast == S.tolerances(p)


def test_screen_keeps_few_customers_near_the_current_weight():
    """The point of the screen: near t0 only the contenders are scanned."""
    p, *_ = random_problem(5, m=20_000, k=5)
    line, t0, _ = intervals._line(p, "c0")
    inside = np.zeros(len(p.ids), dtype=bool)
    inside[list(p.top(p.weights))] = True
    keep = intervals._candidates(p, line, inside, np.array([t0, t0 + 0.01]))
    assert keep.sum() < 200
