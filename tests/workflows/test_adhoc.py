"""Tests of mcda_ckm.workflows.adhoc: weights as numbers or from a case (evaluated once, with
its own [ahp]), one direction parser."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from mcda_ckm.errors import CkmError
from mcda_ckm.model.case import load_case
from mcda_ckm.model.directions import Direction
from mcda_ckm.model.settings import AhpSettings
from mcda_ckm.weights.panel import evaluate
from mcda_ckm.workflows import adhoc
from tests.conftest import CASE, FIGHTER

TZENG = "id,name,a,b,c\nA1,x,5,8,4\nA2,y,7,6,8\nA3,z,8,8,6\nA4,w,7,4,6\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("benefit,cost,max", ["benefit", "cost", "benefit"]),
        ("+,-,min", ["benefit", "cost", "cost"]),
        (" + , MIN ,Benefit", ["benefit", "cost", "benefit"]),
        (None, ["benefit", "benefit", "benefit"]),
    ],
)
def test_parse_directions_every_alias(text, expected):
    got = adhoc.parse_directions(text, ["a", "b", "c"])
    assert got == [Direction(e) for e in expected]


def test_parse_directions_count():
    with pytest.raises(CkmError, match=r"--directions: --directions gives 2 directions for 3"):
        adhoc.parse_directions("+,-", ["a", "b", "c"])


def test_weighting_from_text(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text(TZENG)
    w = adhoc.weighting_for_file(data, "memory", "c=1,a=2,b=1", "+,+,-")
    np.testing.assert_array_equal(w.weights, [2, 1, 1])
    assert w.tree.directions.tolist() == [1, 1, -1] and w.panel is None


def test_weighting_from_case_uses_its_ahp_settings():
    case = load_case(CASE)
    settings = AhpSettings(method="geometric_mean", aggregation="aip")
    case = replace(case, settings=replace(case.settings, ahp=settings))
    w = adhoc.weighting_from_case(case)
    expected = evaluate(case.tree, case.experts, settings).global_weights
    np.testing.assert_array_equal(w.weights, expected)
    assert w.panel is not None and w.panel.method == "geometric_mean"
    assert not np.allclose(w.weights, evaluate(case.tree, case.experts).global_weights, atol=1e-6)


def test_weighting_from_fixed_weights():
    w = adhoc.weighting_from_case(load_case(FIGHTER))
    np.testing.assert_allclose(w.weights, [0.2, 0.1, 0.1, 0.1, 0.2, 0.3])
    assert w.panel is None and w.ranking.top_k == 1


def test_case_is_evaluated_once_when_sampling(monkeypatch):
    """ckm rank --case --samples N used to load and evaluate the case twice (once for the
    weights, once for the sampling, that time with default settings)."""
    calls = []
    real = adhoc.evaluate_case

    def counted(case, settings=None):
        calls.append(case.settings.ahp)
        return real(case, settings)

    monkeypatch.setattr(adhoc, "evaluate_case", counted)
    case = load_case(CASE)
    weighting = adhoc.weighting_from_case(case)
    result = adhoc.rank_large(CASE / "customers.csv", weighting, samples=20, engine="stream")
    assert len(calls) == 1 and calls[0] == case.settings.ahp
    assert result.key_probabilities is not None
    assert result.key_probabilities.n_samples == 20


def test_samples_range_is_checked():
    weighting = adhoc.weighting_from_case(load_case(FIGHTER))
    with pytest.raises(CkmError, match=r"--samples -1 is out of range"):
        adhoc.rank_large(FIGHTER / "customers.csv", weighting, samples=-1)
