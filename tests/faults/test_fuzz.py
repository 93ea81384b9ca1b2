"""No input is an internal error (issue 13, point 8): hypothesis spoils case.toml and the
customers file at random (lines dropped or repeated, values of every TOML type, unknown keys and
tables, stray bytes, other encodings, odd cells and separators), and every outcome must be a
loaded case or a :class:`~mcda_ckm.errors.CkmError` (what the CLI prints as one line, exit 2),
never another exception (what it reports as an internal error, exit 1)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcda_ckm.errors import CkmError
from mcda_ckm.model.case import load_case
from mcda_ckm.model.matrix import load_customers
from mcda_ckm.model.tree import load_tree
from tests.conftest import CASE, HUANG

CASE_LINES = (CASE / "case.toml").read_text(encoding="utf-8").splitlines()
CUSTOMER_LINES = (CASE / "customers.csv").read_text(encoding="utf-8").splitlines()[:6]
KEYS = [
    "top_k",
    "normalization",
    "samples",
    "seed",
    "source",
    "spread",
    "discount_rate",
    "horizon",
    "column",
    "cashflows",
    "tree",
    "customers",
    "panel",
    "method",
    "name",
    "trust",
    "topk",
    "rule",
    "ri_table",
    "completion",
]
TABLES = ["case", "ahp", "ranking", "clv", "sensitivity", "weights", "rankings", "tree"]

toml_values = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(
        lambda x: (
            "nan"
            if x != x
            else ("inf" if x == float("inf") else "-inf" if x == float("-inf") else repr(x))
        )
    ),
    st.booleans().map(lambda b: str(b).lower()),
    st.text(max_size=12).map(lambda t: '"' + t.replace("\\", "").replace('"', "") + '"'),
    st.sampled_from(
        [
            '"vector"',
            '"minmax"',
            '"panel"',
            '"ckm-huang2008"',
            '"customers.csv"',
            '"cashflows.csv"',
            "[1, 2]",
            "{ a = 1 }",
            "1979-05-27",
            '"../.."',
            '"/dev/null"',
            '"tree.toml"',
            '"panel/rd_director.toml"',
        ]
    ),
)


@st.composite
def case_texts(draw) -> bytes:
    lines = list(CASE_LINES)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["drop", "repeat", "value", "key", "table", "bytes", "cut"]))
        k = draw(st.integers(0, len(lines) - 1))
        if kind == "drop":
            del lines[k]
        elif kind == "repeat":
            lines.insert(k, lines[k])
        elif kind == "value" and " = " in lines[k]:
            lines[k] = lines[k].split(" = ")[0] + " = " + draw(toml_values)
        elif kind == "key":
            lines.insert(k, f"{draw(st.sampled_from(KEYS))} = {draw(toml_values)}")
        elif kind == "table":
            lines.insert(k, f"[{draw(st.sampled_from(TABLES))}]")
        elif kind == "cut":
            lines = lines[:k]
        if not lines:
            lines = [""]
    raw = "\n".join(lines).encode("utf-8")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(min_size=1, max_size=4)) + raw[at:]
    if draw(st.integers(0, 5)) == 0:
        raw = b"\xef\xbb\xbf" + raw
    return raw


cells = st.one_of(
    st.sampled_from(
        [
            "",
            "nan",
            "inf",
            "-1",
            "0",
            "1",
            "7",
            "70",
            "0.46",
            "46",
            "1,234",
            "0,46",
            "3_20",
            "1e999",
            "\uff13",
            " 4 ",
            "--1",
            "1.2.3",
            '"',
            "id",
            "C-01",
        ]
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=6),
)


@st.composite
def customer_files(draw) -> bytes:
    rows = [line.split(",") for line in CUSTOMER_LINES]
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["cell", "drop", "column", "header", "extra"]))
        i = draw(st.integers(0, len(rows) - 1))
        j = draw(st.integers(0, len(rows[0]) - 1))
        if kind == "cell" and j < len(rows[i]):
            rows[i][j] = draw(cells)
        elif kind == "drop" and len(rows) > 1:
            del rows[i]
        elif kind == "column":
            for row in rows:
                if j < len(row):
                    del row[j]
        elif kind == "header":
            rows[0][j % len(rows[0])] = draw(st.sampled_from(["id", "trust", "", "name", "x"]))
        elif kind == "extra":
            rows[i].append(draw(cells))
    sep = draw(st.sampled_from([",", ",", ",", ";", "\t"]))
    text = "\n".join(sep.join(row) for row in rows) + "\n"
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "gbk", "cp1252", "utf-16", "latin-1"]))
    raw = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(min_size=1, max_size=4)) + raw[at:]
    return raw


@pytest.fixture(scope="module")
def folder():
    root = Path(tempfile.mkdtemp())
    shutil.copytree(CASE, root / "case")
    yield root / "case"
    shutil.rmtree(root)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=case_texts())
def test_no_case_toml_is_an_internal_error(folder, raw):
    (folder / "case.toml").write_bytes(raw)
    try:
        load_case(folder)
    except CkmError as exc:
        assert exc.path is not None, str(exc)  # every refusal names a file


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=customer_files())
def test_no_customers_file_is_an_internal_error(folder, raw):
    tree = load_tree(HUANG)
    path = folder / "fuzz.csv"
    path.write_bytes(raw)
    try:
        load_customers(path, tree)
    except CkmError as exc:
        assert exc.path == path, str(exc)
