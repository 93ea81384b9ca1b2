"""Tests of mcda_ckm.report.results.to_json: the same value as ``json.dumps``, the summary
indented, the per-customer tables one item per line."""

from __future__ import annotations

import json
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mcda_ckm.report.results import ROW_LIMIT, to_json

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=ROW_LIMIT + 5)
        | st.dictionaries(st.text(max_size=5), inner, max_size=ROW_LIMIT + 5)
    ),
    max_leaves=120,
)


@settings(max_examples=200, deadline=None)
@given(values)
def test_same_value_as_json_dumps(value):
    """The reference is the standard library's own encoder."""
    assert json.loads(to_json(value)) == json.loads(json.dumps(value, indent=2))


def test_small_containers_are_indented_like_json_dumps():
    data = {"case": {"name": "示例", "top_k": 5}, "weights": [0.25, 0.75], "empty": {}}
    assert to_json(data) == json.dumps(data, indent=2, ensure_ascii=False)


def test_large_containers_have_one_item_per_line():
    rows = {f"C{i}": {"rank": i, "lever": "trust"} for i in range(ROW_LIMIT + 1)}
    text = to_json({"summary": {"k": 1}, "customers": rows})
    lines = text.splitlines()
    assert '    "C0": {"rank": 0, "lever": "trust"},' in lines
    assert '    "C20": {"rank": 20, "lever": "trust"}' in lines
    assert '    "k": 1' in lines
    assert len(lines) == ROW_LIMIT + 1 + 7


def test_numpy_values_nan_and_non_string_keys():
    data = {
        "a": np.arange(3),
        "b": np.float64(0.5),
        "c": [math.nan] * (ROW_LIMIT + 1),
        "d": {2: "x", None: "y", True: "z"},
    }
    back = json.loads(to_json(data))
    assert back["a"] == [0, 1, 2] and back["b"] == 0.5
    assert all(math.isnan(v) for v in back["c"])
    assert back["d"] == {"2": "x", "null": "y", "true": "z"}
