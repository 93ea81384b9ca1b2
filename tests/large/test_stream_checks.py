"""The streaming engine applies the in-memory checks (issue 13, points 5 and 6): values on the
scale the tree declares, numbers parsed strictly, the CSV's encoding detected and its separator
checked, with the in-memory path's message, file, row and column."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcda_ckm.errors import DataError
from mcda_ckm.large import stream
from mcda_ckm.model.case import load_case
from mcda_ckm.model.encoding import sniff_csv
from mcda_ckm.model.matrix import load_customers
from mcda_ckm.ranking.topsis import rank
from tests.conftest import CASE

TEXT = (CASE / "customers.csv").read_text(encoding="utf-8")
TREE = load_case(CASE).tree
LEAVES = TREE.leaves
WEIGHTS = [1.0] * len(LEAVES)
HEADER = TEXT.splitlines()[0].split(",")
ROWS = len(TEXT.splitlines()) - 1


def with_cell(row: int, column: str, value: str) -> str:
    """The case's customers.csv with one cell replaced (row as in the file, header = 1)."""
    lines = TEXT.splitlines()
    cells = lines[row - 1].split(",")
    cells[HEADER.index(column)] = value
    lines[row - 1] = ",".join(cells)
    return "\n".join(lines) + "\n"


def in_memory(path):
    """The in-memory path of ``ckm rank``: load_customers, then the TOPSIS kernel's checks."""
    return rank(load_customers(path, TREE), WEIGHTS, normalization="vector", top_k=5)


def both_errors(path, chunk_rows: int = 4) -> tuple[str, str]:
    """The in-memory error and the streaming one, as the user reads them."""
    with pytest.raises(DataError) as memory:
        in_memory(path)
    with pytest.raises(DataError) as streamed:
        stream.rank_stream(path, WEIGHTS, TREE, chunk_rows=chunk_rows)
    return str(memory.value), str(streamed.value)


cells = st.one_of(
    st.sampled_from(["70", "0", "8", "-2", "46", "1.5", "3_20", "1_000", "0,46", "1e3", "-0.5"]),
    st.floats(-50, 5000, allow_nan=False).map(repr),
    st.integers(-3, 12).map(str),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers(2, ROWS + 1), st.sampled_from(LEAVES), cells, st.sampled_from([1, 4, 1000]))
def test_one_changed_cell_same_verdict_as_in_memory(tmp_path, row, column, value, chunk_rows):
    """Any value in any cell: the stream refuses exactly what load_customers refuses, with the
    same message (file, row, column, hint), whatever the chunking."""
    path = tmp_path / "customers.csv"
    path.write_text(with_cell(row, column, value), encoding="utf-8")
    try:
        expected = in_memory(path)
    except DataError as exc:
        with pytest.raises(DataError) as streamed:
            stream.rank_stream(path, WEIGHTS, TREE, chunk_rows=chunk_rows)
        assert str(streamed.value) == str(exc)
    else:
        got = stream.rank_stream(path, WEIGHTS, TREE, chunk_rows=chunk_rows)
        assert got.key_sources == expected.key_sources


def test_off_scale_first_row_then_column_across_chunks(tmp_path):
    text = with_cell(9, "trust", "70")
    lines = text.splitlines()
    cells = lines[8].split(",")
    cells[HEADER.index("passive_acceptance_rate")] = "46"  # same row, a column to the left
    lines[8] = ",".join(cells)
    path = tmp_path / "customers.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    memory, streamed = both_errors(path, chunk_rows=3)
    assert streamed == memory
    assert 'row 9, column "passive_acceptance_rate"' in streamed and "Did you mean 0.46" in streamed


def test_underscore_number_refused_even_by_the_exact_reader(tmp_path):
    """numpy reads "3_20" as 320; the exact reader (taken here because of the quoted cell) must
    not."""
    path = tmp_path / "customers.csv"
    path.write_text(with_cell(6, "growth_potential", "3_20").replace("C-01", '"C-01"'), "utf-8")
    memory, streamed = both_errors(path)
    assert streamed == memory and "without underscores" in streamed


def test_off_scale_in_parquet(tmp_path):
    import pyarrow.csv as pacsv

    csv = tmp_path / "customers.csv"
    csv.write_text(with_cell(4, "trust", "70"), encoding="utf-8")
    path = tmp_path / "customers.parquet"
    pq.write_table(pacsv.read_csv(csv), path)
    with pytest.raises(DataError, match=r'customers\.parquet.*row 4, column "trust".*likert7'):
        stream.rank_stream(path, WEIGHTS, TREE, chunk_rows=5)


@pytest.mark.parametrize("encoding", ["gbk", "cp1252"])
def test_excel_encodings_read_as_in_memory(tmp_path, encoding):
    """Chinese and Western Excel "CSV": detected, and the same ranking as in memory."""
    name = "苏州恒力汽车零部件" if encoding == "gbk" else "Müller Präzision"
    text = TEXT.replace("Suzhou Hengli Auto Parts", name)
    path = tmp_path / "customers.csv"
    path.write_bytes(text.encode(encoding))
    dm = load_customers(path, TREE)
    r = stream.rank_stream(path, WEIGHTS, TREE, chunk_rows=7)
    assert dm.encoding != "utf-8" and name in dm.names
    assert r.key_sources == in_memory(path).key_sources


def test_exact_reader_decodes_the_detected_encoding(tmp_path):
    """A file the fast reader hands to the exact one (an empty cell) keeps its encoding."""
    text = with_cell(7, "trust", "").replace("Suzhou Hengli Auto Parts", "苏州恒力")
    path = tmp_path / "customers.csv"
    path.write_bytes(text.encode("gbk"))
    memory, streamed = both_errors(path)
    assert streamed == memory and 'row 7, column "trust": empty cell' in streamed


@pytest.mark.parametrize("sep, words", [(";", "semicolons"), ("\t", "tabs")])
def test_separator_named(tmp_path, sep, words):
    path = tmp_path / "customers.csv"
    path.write_text(TEXT.replace(",", sep), encoding="utf-8")
    memory, streamed = both_errors(path)
    assert streamed == memory and words in streamed and r"row 1 (header)" in streamed


def test_neither_utf8_gb18030_nor_cp1252(tmp_path):
    path = tmp_path / "customers.csv"
    path.write_bytes(TEXT.encode("utf-8").replace(b"Suzhou", b"Su\x81\x81zhou"))
    memory, streamed = both_errors(path)
    assert streamed == memory and "not UTF-8 text" in streamed


def test_parquet_strings_parsed_strictly(tmp_path):
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"id": ["A", "B"], "a": ["1", "3_20"], "b": [1.0, 2.0]}), path)
    with pytest.raises(DataError, match=r'row 3, column "a".*without underscores'):
        stream.rank_stream(path, [1, 1])


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
@pytest.mark.parametrize("head", range(3, 40))
def test_sniffed_head_never_cuts_a_character(tmp_path, encoding, head):
    """Wherever the head ends (inside a character, with or without a line feed before it), no
    error: the encoding found is the file's once a whole line is in the head, else (only ASCII
    kept) UTF-8."""
    path = tmp_path / "c.csv"
    first = "id,名称\n".encode(encoding)
    path.write_bytes(first + "客户甲,信任\n客户乙,合作\n".encode(encoding))
    assert sniff_csv(path, head) == (encoding if head >= len(first) else "utf-8")
