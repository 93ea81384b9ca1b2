"""The Dask engine (mcda_ckm.large.dask) on a distributed.LocalCluster, against the in-memory path
(issue 8)."""

from __future__ import annotations

import itertools

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from mcda_ckm.errors import DataError
from mcda_ckm.large import dask as cluster
from mcda_ckm.ranking import topsis
from mcda_ckm.ranking.topsis import deviations, key_sets
from tests.conftest import CASE

distributed = pytest.importorskip("distributed")

W = np.array([0.4, 0.1, 0.3, 0.2])
D = np.array([1, -1, 1, 1])


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as lc,
        distributed.Client(lc) as c,
    ):
        yield c


def _base(folder, m=2400, bounds=(0, 700, 1500, 2400)):
    rng = np.random.default_rng(11)
    x = rng.uniform(1.0, 50.0, (m, 4)) * [1.0, 10.0, 100.0, 0.5]
    best = int(np.argmax(topsis.rank(x, W, D).closeness))
    x[[3, 1200, m - 1]] = x[best]  # a tie at the top across partitions
    folder.mkdir()
    ids = [f"K{i}" for i in range(m)]
    for p, (a, b) in enumerate(itertools.pairwise(bounds)):
        cols = {"id": ids[a:b], "name": [f"n{i}" for i in range(a, b)]}
        cols.update({f"x{j}": x[a:b, j] for j in range(4)})
        pq.write_table(pa.table(cols), folder / f"part-{p}.parquet", row_group_size=300)
    return x


def test_rank_dask_equals_in_memory(tmp_path, client):
    x = _base(tmp_path / "base")
    out = tmp_path / "scores"
    got = cluster.rank_dask(tmp_path / "base", W, directions=D, client=client, top_k=6, out=out)
    ref = topsis.rank(x, W, D, top_k=6)
    np.testing.assert_array_equal(got.top_rows, ref.top_k)
    assert got.top_ids == tuple(f"K{i}" for i in ref.top_k)
    assert next(g for g in ref.ties if ref.top_k[0] in g) in got.ties
    scores = pq.read_table(out)
    np.testing.assert_allclose(scores["closeness"].to_numpy(), ref.closeness, rtol=0, atol=1e-9)
    assert sorted(p.name for p in out.iterdir() if p.name != ".ckm-manifest.json")[0] == (
        "part-00000.parquet"
    )


def test_key_probabilities_dask_equal_in_memory(tmp_path, client):
    x = _base(tmp_path / "base")
    samples = np.random.default_rng(2).dirichlet(np.ones(4), size=60)
    got = cluster.key_probabilities_dask(
        tmp_path / "base", samples, directions=D, client=client, k=4
    )
    top = key_sets(deviations(x, D, "vector"), samples, 4)
    expected = np.bincount(top.ravel(), minlength=len(x)) / len(samples)
    assert set(got.rows.tolist()) == set(np.flatnonzero(expected).tolist())
    np.testing.assert_allclose(got.key_probability, expected[got.rows])


def test_duplicate_id_across_partitions_names_rows(tmp_path, client):
    folder = tmp_path / "dup"
    folder.mkdir()
    pq.write_table(pa.table({"id": ["A", "B"], "x": [1.0, 2.0]}), folder / "p0.parquet")
    pq.write_table(pa.table({"id": ["C", "A"], "x": [3.0, 4.0]}), folder / "p1.parquet")
    with pytest.raises(DataError, match=r'row 5, column "id": duplicate id "A" \(first on row 2\)'):
        cluster.rank_dask(folder, [1.0], client=client)


def test_negative_value_names_global_row(tmp_path, client):
    folder = tmp_path / "neg"
    folder.mkdir()
    pq.write_table(pa.table({"id": ["A", "B"], "x": [1.0, 2.0]}), folder / "p0.parquet")
    pq.write_table(pa.table({"id": ["C", "D"], "x": [3.0, -4.0]}), folder / "p1.parquet")
    with pytest.raises(DataError, match='row 5, column "x": -4 is negative'):
        cluster.rank_dask(folder, [1.0], client=client)


def test_value_off_its_declared_scale_names_row_and_column(tmp_path, client):
    """The Dask engine checks values against the tree's scales as the stream and the in-memory
    path do (issue 13, point 5): trust = 70 on a Likert 1-7 indicator in the second partition
    is named by its row in the whole file (header = row 1)."""
    import polars as pl

    from mcda_ckm.model.tree import bundled_trees, load_tree

    tree = load_tree(bundled_trees()["ckm-huang2008"])
    frame = pl.read_csv(CASE / "customers.csv")
    frame = frame.with_columns(pl.col(c).cast(pl.Float64) for c in frame.columns[2:])
    folder = tmp_path / "scale"
    folder.mkdir()
    frame[:20].write_parquet(folder / "p0.parquet")
    bad = frame[20:].with_columns(
        pl.when(pl.int_range(pl.len()) == 3).then(70.0).otherwise(pl.col("trust")).alias("trust")
    )
    bad.write_parquet(folder / "p1.parquet")
    weights = np.full(len(tree.leaves), 1.0 / len(tree.leaves))
    with pytest.raises(DataError, match=r'row 25, column "trust".*off the scale "likert7"'):
        cluster.rank_dask(folder, weights, tree, client=client)
