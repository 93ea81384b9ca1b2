"""Objective weights in the stream engine's statistics pass (issue 16 point 6): equal to the
in-memory weights (1e-12) on files read in many chunks, and the combined weights rank."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from mcda_ckm.errors import DataError
from mcda_ckm.large.moments import ColumnMoments
from mcda_ckm.large.stream import rank_stream
from mcda_ckm.model.matrix import DecisionMatrix
from mcda_ckm.ranking.topsis import rank
from mcda_ckm.weights.combine import combine
from mcda_ckm.weights.objective import METHODS, objective_weights, weights_from_moments


def write(folder, x, kind):
    ids = [f"c{i}" for i in range(len(x))]
    path = folder / f"f.{kind}"
    if kind == "parquet":
        cols = {"id": ids, **{f"k{j}": x[:, j] for j in range(x.shape[1])}}
        pq.write_table(pa.table(cols), path, row_group_size=53)
    else:
        lines = ["id," + ",".join(f"k{j}" for j in range(x.shape[1]))]
        lines += [
            f"{i}," + ",".join(repr(float(v)) for v in row) for i, row in zip(ids, x, strict=True)
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["parquet", "csv"])
@pytest.mark.parametrize("method", METHODS)
def test_stream_objective_weights_equal_in_memory(tmp_path, kind, method):
    """1,000 customers in chunks of 37 rows (28 chunks), with zeros and a constant column."""
    rng = np.random.default_rng(4)
    x = rng.uniform(0, 50, size=(1000, 5))
    x[::4, 0] = 0.0
    x[:, 3] = 2.5
    path = write(tmp_path, x, kind)
    w = np.array([0.1, 0.3, 0.2, 0.1, 0.3])
    r = rank_stream(path, w, chunk_rows=37, top_k=7, objective=method, combine_rule="game_theory")
    ref = objective_weights(x, method)
    np.testing.assert_allclose(r.objective.weights, ref.weights, rtol=0, atol=1e-12)
    assert [(v.code, v.criterion) for v in r.objective.warnings] == [("constant", "k3")]
    combined = combine(w, ref.weights, "game_theory").weights
    np.testing.assert_allclose(r.weights, combined, atol=1e-12)
    mem = rank(DecisionMatrix.from_array(x, ids=[f"c{i}" for i in range(1000)]), combined, top_k=7)
    assert r.key_sources == mem.key_sources


def test_entropy_from_sums_by_hand():
    """x = (1, 3): S = 4, T = 3 ln 3; sum p ln p = T/S - ln S = (3/4) ln 3 - ln 4
    = (1/4) ln(1/4) + (3/4) ln(3/4), the definition; with b = (0, 2.5) (E = 0, d = 1)."""
    e_a = -(0.75 * math.log(3) - math.log(4)) / math.log(2)
    d_a = 1 - e_a
    acc = ColumnMoments("entropy", 2)
    acc.add([np.array([1.0]), np.array([0.0])])
    acc.add([np.array([3.0]), np.array([2.5])])
    got = weights_from_moments(
        "entropy",
        ["a", "b"],
        acc.count,
        np.array([1.0, 0]),
        np.array([3.0, 2.5]),
        acc.column_sums(),
        acc.column_xlogx(),
    )
    np.testing.assert_allclose(got.weights, [d_a / (d_a + 1), 1 / (d_a + 1)], atol=1e-15)


def test_stream_entropy_refuses_a_negative_column(tmp_path):
    x = np.array([[1.0, 2], [2, -3], [3, 1]])
    path = write(tmp_path, x, "parquet")
    with pytest.raises(DataError, match=r"column 'k1': negative value -3.*entropy"):
        rank_stream(path, [0.5, 0.5], normalization="minmax", objective="entropy")


@pytest.mark.parametrize("full_ranks", [False, True])
def test_stream_writes_the_tier_by_closeness(tmp_path, full_ranks):
    """The tier column of the scores file is the closeness rule of ranking/tiers applied to the
    in-memory closeness, in input order, also with a rank column."""
    from mcda_ckm.ranking.tiers import tiers_by_closeness

    rng = np.random.default_rng(2)
    x = rng.uniform(1, 9, size=(300, 3))
    path = write(tmp_path, x, "parquet")
    out = tmp_path / "scores.parquet"
    r = rank_stream(
        path, [0.2, 0.3, 0.5], chunk_rows=41, out=out, tiers=(0.6, 0.45), full_ranks=full_ranks
    )
    got = pq.read_table(out).to_pydict()
    mem = rank(DecisionMatrix.from_array(x), [0.2, 0.3, 0.5])
    want = tiers_by_closeness(mem.closeness, 0.6, 0.45)
    assert [str(t) for t in got["tier"]] == list(want.tiers)
    assert r.tier_counts == {t: len(want.members(t)) for t in ("key", "potential", "ordinary")}
