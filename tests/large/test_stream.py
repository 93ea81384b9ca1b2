"""The streaming ranking (mcda_ckm.large.stream): the numbers, the top-k and ranks, and every
validation
rule of the in-memory path with the file's row number (issue 8)."""

from __future__ import annotations

import json
import os

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from mcda_ckm.cli.main import app
from mcda_ckm.errors import CkmError, DataError
from mcda_ckm.large import ids as large_ids
from mcda_ckm.large import read, stream, topk
from mcda_ckm.large.sampling import key_probabilities
from mcda_ckm.model.tree import flat_tree
from mcda_ckm.ranking import topsis
from mcda_ckm.ranking.topsis import deviations, key_sets
from mcda_ckm.workflows.adhoc import rank_file

W = np.array([0.3, 0.1, 0.2, 0.25, 0.15])
D = np.array([1, -1, 1, 1, -1])


def _matrix(m: int = 3000, n: int = 5, seed: int = 8) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.uniform(1.0, 100.0, (m, n)) * rng.uniform(0.1, 1000.0, n)
    best = int(np.argmax(topsis.rank(x, W, D, contributions=False).closeness))
    x[[10, m // 3, m - 1]] = x[best]  # an exact tie at the top
    x[[50, 60]] = x[5]  # and one lower down
    return x


def _write_csv(path, x, names=True):
    lines = ["id," + ("name," if names else "") + ",".join(f"c{j}" for j in range(x.shape[1]))]
    for i, row in enumerate(x):
        cells = [f"C{i}"] + ([f"n{i}"] if names else []) + [repr(float(v)) for v in row]
        lines.append(",".join(cells))
    path.write_text("\n".join(lines) + "\n")
    return path


def _write_parquet(path, x, row_group=700):
    cols = {"id": [f"C{i}" for i in range(len(x))]}
    cols.update({f"c{j}": x[:, j] for j in range(x.shape[1])})
    pq.write_table(pa.table(cols), path, row_group_size=row_group)
    return path


@pytest.mark.parametrize("kind", ["csv", "parquet"])
@pytest.mark.parametrize("normalization", ["vector", "minmax"])
@pytest.mark.parametrize("chunk_rows", [1, 333, 100_000])
def test_same_numbers_top_k_and_ties_as_in_memory(tmp_path, kind, normalization, chunk_rows):
    x = _matrix()
    data = (_write_csv if kind == "csv" else _write_parquet)(tmp_path / f"c.{kind}", x)
    ref = topsis.rank(x, W, D, normalization, top_k=8)
    out = tmp_path / "out.parquet"
    got = stream.rank_stream(
        data,
        W,
        directions=D,
        normalization=normalization,
        top_k=8,
        out=out,
        chunk_rows=chunk_rows,
    )
    np.testing.assert_array_equal(got.top_rows, ref.top_k)
    assert got.top_ids == tuple(f"C{i}" for i in ref.top_k)
    np.testing.assert_allclose(got.top_closeness, ref.closeness[ref.top_k], rtol=0, atol=1e-12)
    scores = pq.read_table(out)
    np.testing.assert_allclose(scores["closeness"].to_numpy(), ref.closeness, rtol=0, atol=1e-9)
    np.testing.assert_allclose(scores["d_plus"].to_numpy(), ref.d_plus, rtol=1e-9)
    top_group = next(g for g in ref.ties if ref.top_k[0] in g)
    assert top_group in got.ties
    assert got.tie_at_cutoff == ref.tie_at_cutoff


def test_full_ranks_equal_in_memory_ranks_csv_out(tmp_path):
    x = _matrix(m=2000)
    data = _write_parquet(tmp_path / "c.parquet", x, row_group=300)
    ref = topsis.rank(x, W, D, top_k=5)
    out = tmp_path / "ranks.csv"
    stream.rank_stream(data, W, directions=D, out=out, full_ranks=True, chunk_rows=250)
    table = pacsv.read_csv(out)
    assert table.column_names == ["rank", "id", "closeness", "d_plus", "d_minus"]
    np.testing.assert_array_equal(table["rank"].to_numpy(), ref.ranks)


def test_full_ranks_across_bucket_edges(tmp_path, monkeypatch):
    """Ties that fall across the out-of-core sort's bucket edges are still in input order."""
    monkeypatch.setattr(topk, "BUCKET_ROWS", 64)
    x = np.repeat(np.arange(1.0, 21.0)[:, None], 50, axis=0) * np.ones((1, 3))
    x = x[np.random.default_rng(3).permutation(len(x))]
    data = _write_parquet(tmp_path / "t.parquet", x, row_group=128)
    out = tmp_path / "r.parquet"
    stream.rank_stream(data, [1, 1, 1], out=out, full_ranks=True, chunk_rows=100)
    ref = topsis.rank(x, [1, 1, 1])
    np.testing.assert_array_equal(pq.read_table(out)["rank"].to_numpy(), ref.ranks)


@pytest.mark.parametrize("map_bytes", [2**40, 20_000, 1])
def test_parquet_read_mapped_in_windows_or_buffered_gives_in_memory_numbers(
    tmp_path, monkeypatch, map_bytes
):
    # One mapped window, a window per row group or two, and (row groups larger than the
    # window) buffered reads: the same closeness as the in-memory path.
    x = _matrix(m=2000)
    data = _write_parquet(tmp_path / "c.parquet", x, row_group=300)
    monkeypatch.setattr(read, "MAP_BYTES", map_bytes)
    out = tmp_path / "s.parquet"
    r = stream.rank_stream(data, W, directions=D, top_k=4, out=out, chunk_rows=450)
    ref = topsis.rank(x, W, D, contributions=False)
    np.testing.assert_allclose(
        pq.read_table(out)["closeness"].to_numpy(), ref.closeness, atol=1e-12
    )
    assert r.top_rows.tolist() == ref.order[:4].tolist()


def test_key_probabilities_equal_in_memory_top_k(tmp_path):
    x = _matrix(m=1500)
    data = _write_parquet(tmp_path / "c.parquet", x, row_group=200)
    samples = np.random.default_rng(1).dirichlet(np.ones(5), size=40)
    got = key_probabilities(data, samples, directions=D, k=3, chunk_rows=170)
    top = key_sets(deviations(x, D, "vector"), samples, 3)
    expected = np.bincount(top.ravel(), minlength=len(x)) / len(samples)
    assert set(got.rows.tolist()) == set(np.flatnonzero(expected).tolist())
    np.testing.assert_allclose(got.key_probability, expected[got.rows])
    first = np.bincount(top[:, 0], minlength=len(x)) / len(samples)
    np.testing.assert_allclose(got.rank_acceptability[:, 0], first[got.rows])


def test_blank_lines_keep_row_numbers_and_hash_is_chunk_independent(tmp_path):
    data = tmp_path / "b.csv"
    data.write_text("id,a,b\nA1,5,8\n\nA2,7,6\n,,\nA3,8,8\n")
    r = stream.rank_stream(data, [1, 1], top_k=3)
    assert r.key_sources == ("A3", "A2", "A1")
    ids = pa.array(["abc", "é" * 20, "x" * 17])
    assert large_ids.hash_ids(ids)[0] == large_ids.hash_ids(pa.array(["abc"]))[0]


# --- every validation rule: the same message as the in-memory path, with the file's row ----

HEADER = "id,name,a,b\n"
CASES = {
    "empty file": ("\n\n", "the file is empty"),
    "blank header": ("id,,a,b\nA1,x,1,2\n", r"row 1 \(header\): column 2 has no name"),
    "duplicate column": ("id,a,a\nA1,1,2\n", r'row 1 \(header\): column "a" appears twice'),
    "stray value": (HEADER + "A1,x,1,2\nA2,y,3,4,9\n", "row 3: a value in column 5"),
    "stray before no id": ("key,a\nA1,1\nA2,3,9\n", "row 3: a value in column 3"),
    "no id column": ("key,a\nA1,1\n", r'row 1 \(header\): no "id" column'),
    "no customers": (HEADER, r"row 2: no customers \(only a header\)"),
    "empty id": (HEADER + "A1,x,1,2\n\n,y,3,4\n", 'row 4, column "id": empty id'),
    "duplicate id": (
        HEADER + "A1,x,1,2\nA2,y,3,4\nA1,z,5,6\n",
        r'row 4, column "id": duplicate id "A1" \(first on row 2\)',
    ),
    "id error before cell error": (
        HEADER + "A1,x,,2\nA1,y,3,4\n",
        r'row 3, column "id": duplicate id "A1" \(first on row 2\)',
    ),
    "empty cell": (HEADER + "A1,x,1,2\nA2,y,3,\n", 'row 3, column "b": empty cell'),
    "not a number": (HEADER + "A1,x,1,2\nA2,y,seven,4\n", "row 3, column \"a\": 'seven' is not"),
    "NaN": (HEADER + "A1,x,1,2\nA2,y,3,nan\n", r"row 3, column \"b\": value is NaN \('nan'\)"),
    "infinite": (HEADER + "A1,x,1,2\nA2,y,-inf,4\n", "row 3, column \"a\": '-inf' is infinite"),
    "first cell by row then column": (
        HEADER + "A1,x,1,2\nA2,y,3,x\nA3,z,y,4\n",
        "row 3, column \"b\": 'x' is not a number",
    ),
    "negative": (HEADER + "A1,x,1,2\nA2,y,3,-4\n", 'row 3, column "b": -4 is negative'),
    "all-zero column": (HEADER + "A1,x,0,2\nA2,y,0,4\n", 'column "a": every value is 0'),
    "constant": (HEADER + "A1,x,1,2\nA2,y,1,2\n", "every weighted criterion has the same value"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_validation_rule_same_message_as_in_memory(tmp_path, case):
    text, message = CASES[case]
    data = tmp_path / "bad.csv"
    data.write_text(text)
    with pytest.raises(DataError) as memory:
        rank_file(data, "1,1", None, 5, "vector")
    with pytest.raises(DataError, match=message) as streamed:
        stream.rank_stream(data, [1, 1], chunk_rows=1)
    assert str(streamed.value) == str(memory.value)
    assert "bad.csv" in str(streamed.value)


def test_file_does_not_match_the_tree(tmp_path):
    data = tmp_path / "t.csv"
    data.write_text("id,a,bb\nA1,1,2\n")
    with pytest.raises(DataError, match=r'column\(s\) not in the tree "bb".*did you mean'):
        stream.rank_stream(data, [1, 1], flat_tree(["a", "b"]))


def test_file_not_found_and_unsupported_type(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        stream.rank_stream(tmp_path / "none.csv", [1])
    (tmp_path / "c.json").write_text("{}")
    with pytest.raises(DataError, match=r"unsupported file type '\.json'"):
        stream.rank_stream(tmp_path / "c.json", [1])


@pytest.mark.parametrize(
    ("column", "message"),
    [
        (pa.array([1.0, None, 3.0]), 'row 3, column "a": empty cell'),
        (pa.array([1.0, 2.0, np.nan]), 'row 4, column "a": value is NaN'),
        (pa.array([1.0, np.inf, 3.0]), 'row 3, column "a": value is infinite'),
        (pa.array(["1", "2", "x"]), "row 4, column \"a\": 'x' is not a number"),
        (pa.array([1.0, -2.0, 3.0]), 'row 3, column "a": -2 is negative'),
    ],
)
def test_parquet_cell_rules_name_the_row(tmp_path, column, message):
    data = tmp_path / "p.parquet"
    pq.write_table(pa.table({"id": ["A", "B", "C"], "a": column, "b": [1.0, 2.0, 3.0]}), data)
    with pytest.raises(DataError, match=message):
        stream.rank_stream(data, [1, 1], chunk_rows=1)


def test_parquet_duplicate_id_across_chunks(tmp_path):
    data = tmp_path / "p.parquet"
    pq.write_table(pa.table({"id": ["A", "B", "C", "B"], "a": [1.0, 2, 3, 4]}), data)
    with pytest.raises(DataError, match=r'row 5, column "id": duplicate id "B" \(first on row 3\)'):
        stream.rank_stream(data, [1], chunk_rows=1)


@pytest.mark.parametrize(
    ("ids", "a", "message"),
    [
        (["A", "", "C"], [1.0, 2, 3], 'row 3, column "id": empty id'),
        (["A", None, "C"], [1.0, 2, 3], 'row 3, column "id": empty id'),
        (
            [" A", "B", "A "],
            [1.0, 2, 3],
            r'row 4, column "id": duplicate id "A" \(first on row 2\)',
        ),
        # The in-memory path reports id errors before cell errors, wherever the cell is.
        (["A", "A", "C"], [1.0, np.nan, 3], r'row 3, column "id": duplicate id "A"'),
        (["A", "B", ""], [np.nan, 2, 3], 'row 4, column "id": empty id'),
        (["A", "B", "C"], [1.0, np.nan, 3], 'row 3, column "a": value is NaN'),
    ],
)
def test_parquet_id_rules_checked_in_pass_2_keep_the_in_memory_order(tmp_path, ids, a, message):
    # Pass 1 of a Parquet file reads the numbers only; the ids are checked as pass 2 reads
    # them, and an error there leaves no output.
    data = tmp_path / "p.parquet"
    pq.write_table(pa.table({"id": pa.array(ids, pa.string()), "a": a}), data)
    out = tmp_path / "scores.parquet"
    with pytest.raises(DataError, match=message):
        stream.rank_stream(data, [1], chunk_rows=2, out=out)
    assert sorted(f.name for f in tmp_path.iterdir()) == ["p.parquet"]


def test_file_changed_between_the_passes_is_an_error_and_leaves_no_output(tmp_path, monkeypatch):
    data = _write_parquet(tmp_path / "c.parquet", _matrix(m=300))
    out = tmp_path / "s.parquet"
    real = stream._chunk_scores

    def rewrite_then_score(*args, **kwargs):  # another export lands during pass 2
        _write_parquet(tmp_path / "new.parquet", _matrix(m=301, seed=9))
        os.replace(tmp_path / "new.parquet", data)
        return real(*args, **kwargs)

    monkeypatch.setattr(stream, "_chunk_scores", rewrite_then_score)
    with pytest.raises(DataError, match=r"c\.parquet: the file changed while it was being ranked"):
        stream.rank_stream(data, W, directions=D, out=out)
    assert sorted(f.name for f in tmp_path.iterdir()) == ["c.parquet"]


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (pa.array([1, 2, 2, 4]), r'row 4, column "id": duplicate id "2" \(first on row 3\)'),
        (pa.array([1, 2, None, 2]), 'row 4, column "id": empty id'),
        (pa.array([1.5, 2.0, 1.5]), r'row 4, column "id": duplicate id "1.5" \(first on row 2\)'),
        (pa.array([2**64 - 1, 3, 2**64 - 1], pa.uint64()), r'duplicate id "18446744073709551615"'),
    ],
)
def test_parquet_ids_of_any_type_follow_the_id_rules(tmp_path, ids, message):
    data = tmp_path / "p.parquet"
    pq.write_table(pa.table({"id": ids, "a": np.arange(1.0, len(ids) + 1)}), data)
    with pytest.raises(DataError, match=message):
        stream.rank_stream(data, [1], chunk_rows=2)


def test_output_folder_must_exist(tmp_path):
    data = _write_parquet(tmp_path / "c.parquet", _matrix(m=100))
    with pytest.raises(CkmError, match="not found"):
        stream.rank_stream(data, W, directions=D, out=tmp_path / "none" / "s.parquet")


def test_parquet_stream_imports_no_pandas_networkx_or_arrow_compute(tmp_path):
    # Each import costs 0.1 to 0.25 s of a run (measured): pyarrow's to_numpy, pa.array and
    # take() pull in pandas or pyarrow.compute, the tree module networkx.
    import subprocess
    import sys

    data = _write_parquet(tmp_path / "c.parquet", _matrix(m=300))
    code = (
        "import sys\n"
        "from mcda_ckm.large.stream import rank_stream\n"
        f"rank_stream({str(data)!r}, [1, 1, 1, 1, 1], out={str(tmp_path / 's.parquet')!r})\n"
        "print(sorted(m for m in ('pandas', 'networkx', 'pyarrow.compute') if m in sys.modules))"
    )
    got = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert got.stdout.strip() == "[]"


def test_failed_run_leaves_no_output(tmp_path):
    data = tmp_path / "bad.csv"
    data.write_text(HEADER + "A1,x,1,2\nA2,y,3,-4\n")
    out = tmp_path / "out.parquet"
    with pytest.raises(DataError):
        stream.rank_stream(data, [1, 1], out=out)
    assert list(tmp_path.iterdir()) == [data]


def test_csv_output_is_neutralised_and_progress_reaches_the_end(tmp_path):
    data = tmp_path / "c.csv"
    data.write_text("id,name,a\n=cmd,x,1\nB,@y,2\n")
    out = tmp_path / "o.csv"
    seen = []
    stream.rank_stream(data, [1], out=out, progress=lambda d, t: seen.append((d, t)))
    text = out.read_text()
    assert "'=cmd" in text and "'@y" in text
    assert seen[-1][0] == seen[-1][1]


def test_cli_rank_stream_engine(tmp_path):
    x = _matrix(m=500)
    data = _write_parquet(tmp_path / "c.parquet", x)
    out = tmp_path / "scores.parquet"
    w = ",".join(str(v) for v in W)
    r = CliRunner().invoke(
        app,
        [
            "rank",
            str(data),
            "--weights",
            w,
            "--directions",
            "+,-,+,+,-",
            "--top",
            "3",
            "--out",
            str(out),
            "--json",
            "--samples",
            "30",
        ],
    )
    assert r.exit_code == 0, r.output
    got = json.loads(r.stdout)
    ref = topsis.rank(x, W, D, top_k=3)
    assert got["key_sources"] == [f"C{i}" for i in ref.top_k]
    assert got["key_probabilities"]["n_samples"] == 30
    assert pq.read_table(out).num_rows == 500


def test_cli_rank_stream_error_names_row(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("id,name,a,b\nA1,x,5,8\nA2,y,seven,6\n")
    r = CliRunner().invoke(app, ["rank", str(data), "--weights", "1,1", "--engine", "stream"])
    assert r.exit_code == 2
    assert "d.csv" in r.stderr and "row 3" in r.stderr and '"a"' in r.stderr


@pytest.mark.parametrize("normalization", ["vector", "minmax"])
@pytest.mark.parametrize("scale", [1.0, 2.0**400, 2.0**-400])
def test_scores_in_blocks_match_in_memory(tmp_path, monkeypatch, normalization, scale):
    # Blocks of 7 rows in chunks of 100 (a partial block at each chunk's end), and columns so
    # large or small that they are scaled by a power of two (topsis.balance_scales).
    monkeypatch.setattr(topsis, "SCORE_BLOCK", 7)
    x = _matrix(m=500) * scale
    data = _write_parquet(tmp_path / "c.parquet", x)
    ref = topsis.rank(x, W, D, normalization, top_k=5)
    out = tmp_path / "out.parquet"
    got = stream.rank_stream(
        data, W, directions=D, normalization=normalization, top_k=5, out=out, chunk_rows=100
    )
    np.testing.assert_array_equal(got.top_rows, ref.top_k)
    scores = pq.read_table(out)
    np.testing.assert_allclose(scores["closeness"].to_numpy(), ref.closeness, rtol=0, atol=1e-9)
    np.testing.assert_allclose(scores["d_minus"].to_numpy(), ref.d_minus, rtol=1e-9)
