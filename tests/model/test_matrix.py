"""Tests of mcda_ckm.model.matrix: reading customers files, and one test per bad-input rule."""

from __future__ import annotations

import numpy as np
import pytest

from mcda_ckm.errors import CkmError, DataError
from mcda_ckm.model.matrix import DecisionMatrix, check_for_normalization, load_customers
from mcda_ckm.model.tree import flat_tree
from tests.conftest import CASE, FIGHTER

TREE = flat_tree(["speed", "cost", "trust"], ["benefit", "cost", "benefit"])
GOOD = "id,name,speed,cost,trust\nA,Alpha,1.5,200,3\nB,Beta,2.5,100,4\nC,Gamma,2.0,150,5\n"


def test_reads_rows_in_file_order_and_columns_in_tree_order(write):
    path = write("c.csv", "trust,id,cost,name,speed\n3,A,200,Alpha,1.5\n4,B,100,Beta,2.5\n")
    m = load_customers(path, TREE)
    assert m.ids == ("A", "B") and m.names == ("Alpha", "Beta")
    assert m.criteria == ("speed", "cost", "trust")
    np.testing.assert_array_equal(m.values, [[1.5, 200, 3], [2.5, 100, 4]])
    np.testing.assert_array_equal(m.directions, [1, -1, 1])
    assert m.rows == (2, 3) and m.path == path and m.constant_columns == ()


def test_matrix_is_immutable(write):
    m = load_customers(write("c.csv", GOOD), TREE)
    with pytest.raises(ValueError, match="read-only"):
        m.values[0, 0] = 9.0
    assert m.replace(ids=("x", "y", "z")).ids == ("x", "y", "z") and m.ids == ("A", "B", "C")


def test_name_column_is_optional(write):
    m = load_customers(write("c.csv", "id,speed,cost,trust\nA,1,2,3\nB,2,3,4\n"), TREE)
    assert m.names == ("A", "B")


def test_blank_lines_are_skipped_and_rows_keep_their_line(write):
    path = write("c.csv", "id,name,speed,cost,trust\n\nA,Alpha,1,2,3\n\nB,Beta,x,2,3\n")
    with pytest.raises(DataError, match=r'c\.csv: row 5, column "speed": \'x\' is not a number'):
        load_customers(path, TREE)


def test_xlsx_reads_like_csv(tmp_path, write):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in [line.split(",") for line in GOOD.strip().splitlines()]:
        sheet.append([float(c) if c[0].isdigit() else c for c in row])
    book.save(tmp_path / "c.xlsx")
    from_xlsx = load_customers(tmp_path / "c.xlsx", TREE)
    from_csv = load_customers(write("c.csv", GOOD), TREE)
    np.testing.assert_array_equal(from_xlsx.values, from_csv.values)
    assert from_xlsx.ids == from_csv.ids and from_xlsx.rows == (2, 3, 4)


def test_xlsx_bad_cell_names_the_sheet_row(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "name", "speed", "cost", "trust"])
    sheet.append(["A", "Alpha", 1.0, 2.0, 3.0])
    sheet.append(["B", "Beta", 1.0, None, 3.0])
    book.save(tmp_path / "c.xlsx")
    with pytest.raises(DataError, match=r'c\.xlsx: row 3, column "cost": empty cell'):
        load_customers(tmp_path / "c.xlsx", TREE)


def test_constant_column_is_reported_not_an_error(write):
    m = load_customers(write("c.csv", "id,speed,cost,trust\nA,1,5,3\nB,2,5,4\n"), TREE)
    assert m.constant_columns == ("cost",)


# --- one test per bad-input rule ------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        load_customers(tmp_path / "nope.csv", TREE)


def test_unsupported_file_type(write):
    with pytest.raises(DataError, match=r"unsupported file type '\.json'.*Use a \.csv file"):
        load_customers(write("c.json", GOOD), TREE)


def test_empty_file(write):
    with pytest.raises(DataError, match=r"c\.csv: the file is empty"):
        load_customers(write("c.csv", "\n\n"), TREE)


def test_header_only(write):
    with pytest.raises(DataError, match=r"row 2: no customers \(only a header\)"):
        load_customers(write("c.csv", "id,name,speed,cost,trust\n"), TREE)


def test_missing_id_column(write):
    with pytest.raises(DataError, match=r'row 1 \(header\): no "id" column'):
        load_customers(write("c.csv", "name,speed,cost,trust\nA,1,2,3\n"), TREE)


def test_missing_indicator_column(write):
    with pytest.raises(
        DataError, match=r'does not match the tree: missing indicator column\(s\) "trust"'
    ):
        load_customers(write("c.csv", "id,name,speed,cost\nA,a,1,2\n"), TREE)


def test_unknown_column_suggests_the_leaf(write):
    with pytest.raises(
        DataError,
        match=r'column\(s\) not in the tree "trsut".*did you mean "trsut" -> "trust"\?',
    ):
        load_customers(write("c.csv", "id,name,speed,cost,trsut\nA,a,1,2,3\n"), TREE)


def test_blank_header_cell(write):
    with pytest.raises(DataError, match=r"row 1 \(header\): column 3 has no name"):
        load_customers(write("c.csv", "id,name,,speed,cost,trust\nA,a,,1,2,3\n"), TREE)


def test_duplicate_column(write):
    with pytest.raises(DataError, match=r'column "cost" appears twice \(columns 4 and 6\)'):
        load_customers(write("c.csv", "id,name,speed,cost,trust,cost\nA,a,1,2,3,2\n"), TREE)


def test_value_beyond_the_header(write):
    with pytest.raises(DataError, match=r"row 2: a value in column 6, which has no header"):
        load_customers(write("c.csv", "id,name,speed,cost,trust\nA,a,1,2,3,99\n"), TREE)


def test_duplicate_id(write):
    text = "id,name,speed,cost,trust\nA,a,1,2,3\nB,b,1,2,3\nA,c,1,2,3\n"
    with pytest.raises(DataError, match=r'row 4, column "id": duplicate id "A" \(first on row 2\)'):
        load_customers(write("c.csv", text), TREE)


def test_empty_id(write):
    with pytest.raises(DataError, match=r'row 3, column "id": empty id'):
        load_customers(write("c.csv", "id,name,speed,cost,trust\nA,a,1,2,3\n,b,1,2,3\n"), TREE)


def test_empty_cell(write):
    with pytest.raises(DataError, match=r'row 3, column "cost": empty cell\. Fill in a value'):
        load_customers(write("c.csv", "id,name,speed,cost,trust\nA,a,1,2,3\nB,b,1,,3\n"), TREE)


def test_short_row_is_an_empty_cell(write):
    with pytest.raises(DataError, match=r'row 2, column "trust": empty cell'):
        load_customers(write("c.csv", "id,name,speed,cost,trust\nA,a,1,2\n"), TREE)


def test_nan_cell(write):
    with pytest.raises(DataError, match=r"row 2, column \"speed\": value is NaN \('NaN'\)"):
        load_customers(write("c.csv", "id,name,speed,cost,trust\nA,a,NaN,2,3\n"), TREE)


def test_non_numeric_cell(write):
    with pytest.raises(
        DataError, match=r"row 2, column \"cost\": '1,5' is not a number\. Write a plain number"
    ):
        load_customers(write("c.csv", 'id,name,speed,cost,trust\nA,a,1,"1,5",3\n'), TREE)


def test_infinite_cell(write):
    with pytest.raises(DataError, match=r"row 2, column \"trust\": '1e999' is infinite"):
        load_customers(write("c.csv", "id,name,speed,cost,trust\nA,a,1,2,1e999\n"), TREE)


def test_first_bad_cell_in_file_order_is_named(write):
    text = "id,name,trust,speed,cost\nA,a,inf,x,3\n"
    with pytest.raises(DataError, match=r'row 2, column "trust": \'inf\' is infinite'):
        load_customers(write("c.csv", text), TREE)


def test_negative_value_under_vector_normalisation(write):
    m = load_customers(write("c.csv", "id,speed,cost,trust\nA,1,2,3\nB,-4,2,5\n"), TREE)
    with pytest.raises(
        DataError,
        match=r'row 3, column "speed": -4 is negative; vector normalisation .* needs values >= 0'
        r'\. Use normalization "minmax"',
    ):
        check_for_normalization(m, "vector")


def test_negative_value_is_fine_under_minmax(write):
    m = load_customers(write("c.csv", "id,speed,cost,trust\nA,1,2,3\nB,-4,2,5\n"), TREE)
    lo, hi = check_for_normalization(m, "minmax")
    np.testing.assert_array_equal(lo, [-4, 2, 3])
    np.testing.assert_array_equal(hi, [1, 2, 5])


def test_all_zero_column_under_vector_normalisation(write):
    m = load_customers(write("c.csv", "id,speed,cost,trust\nA,1,0,3\nB,2,0,5\n"), TREE)
    with pytest.raises(
        DataError, match=r'column "cost": every value is 0.*Use normalization "minmax"'
    ):
        check_for_normalization(m, "vector")


def test_unknown_normalisation(write):
    m = load_customers(write("c.csv", GOOD), TREE)
    with pytest.raises(CkmError, match=r"unknown normalization 'sum'\. Use \"vector\""):
        check_for_normalization(m, "sum")


def test_from_array_rejects_nan():
    with pytest.raises(DataError, match=r'customer "A2", column "C2": value is NaN'):
        DecisionMatrix.from_array([[1.0, 2.0], [3.0, np.nan]])


def test_from_array_rejects_shape_mismatch():
    with pytest.raises(DataError, match=r"3 ids and 3 names for 2 rows of values"):
        DecisionMatrix.from_array([[1.0], [2.0]], ids=["a", "b", "c"])


# --- the bundled cases ----------------------------------------------------------------------


def test_bundled_case_matches_its_tree(huang):
    m = load_customers(CASE / "customers.csv", huang)
    assert m.criteria == huang.leaves
    assert m.shape[0] >= 30 and len(set(m.ids)) == m.shape[0]
    check_for_normalization(m, "vector")


def test_fighter_case_is_hwang_yoon_table():
    """Hwang & Yoon (1981), Multiple Attribute Decision Making, Springer, p. 128: the decision
    matrix of the fighter aircraft example."""
    from mcda_ckm.model.tree import load_tree

    tree = load_tree(FIGHTER.parent.parent / "criteria" / "hwang-yoon-1981-fighter.toml")
    m = load_customers(FIGHTER / "customers.csv", tree)
    np.testing.assert_array_equal(
        m.values,
        [
            [2.0, 1500, 20000, 5.5, 5, 9],
            [2.5, 2700, 18000, 6.5, 3, 5],
            [1.8, 2000, 21000, 4.5, 7, 7],
            [2.2, 1800, 20000, 5.0, 5, 5],
        ],
    )
    np.testing.assert_array_equal(m.directions, [1, 1, 1, -1, 1, 1])


# --- values on their declared scale, numbers read strictly (issue 13, point 5) ---------------

SCALED = """[tree]
id = "scaled"
[[node]]
id = "goal"
[[node]]
id = "trust"
parent = "goal"
scale = "likert7"
direction = "benefit"
[[node]]
id = "acceptance"
parent = "goal"
scale = "rate"
direction = "benefit"
[[node]]
id = "visits"
parent = "goal"
scale = "count"
direction = "benefit"
[[node]]
id = "clv"
parent = "goal"
scale = "money"
direction = "benefit"
"""


@pytest.fixture
def scaled(write):
    from mcda_ckm.model.tree import load_tree

    return load_tree(write("scaled.toml", SCALED))


def test_values_on_their_scales_are_read(write, scaled):
    path = write("c.csv", "id,trust,acceptance,visits,clv\nA,1,0,0,-50\nB,7,1,12,300\n")
    np.testing.assert_array_equal(load_customers(path, scaled).values[:, 3], [-50, 300])


@pytest.mark.parametrize(
    ("cells", "where", "what"),
    [
        ("70,0.5,3,1", 'row 3, column "trust"', r'70 is off the scale "likert7" \(1 to 7\)'),
        ("0,0.5,3,1", 'row 3, column "trust"', r'0 is off the scale "likert7"'),
        ("5,46,3,1", 'row 3, column "acceptance"', r"46 is off .*Did you mean 0\.46 \(46%\)\?"),
        ("5,-0.1,3,1", 'row 3, column "acceptance"', r'-0\.1 is off the scale "rate" \(0 to 1\)'),
        ("5,0.5,-2,1", 'row 3, column "visits"', r'-2 is off the scale "count" \(>= 0\)'),
    ],
)
def test_value_off_its_declared_scale(write, scaled, cells, where, what):
    """Issue 13: trust = 70 on a Likert 1-7 indicator, or a rate typed as 46 for 0.46, moved
    a customer from rank 30 to 14 without a word."""
    path = write("c.csv", f"id,trust,acceptance,visits,clv\nA,4,0.5,1,1\nB,{cells}\n")
    with pytest.raises(DataError, match=rf"c\.csv: {where}: {what}"):
        load_customers(path, scaled)


def test_first_off_scale_value_in_file_order(write, scaled):
    text = "id,trust,acceptance,visits,clv\nA,4,0.5,-1,1\nB,9,0.5,1,1\n"
    with pytest.raises(DataError, match=r'row 2, column "visits"'):
        load_customers(write("c.csv", text), scaled)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("3_20", "without underscores"),
        ("1,234", "without thousands separators"),
        ("1,234.5", "without thousands separators"),
        ("0,46", r"with a dot as decimal separator \(0\.46, not 0,46\)"),
    ],
)
def test_numbers_are_parsed_strictly(write, text, hint):
    """Python's float reads "3_20" as 320; Excel writes 1,234 and 0,46 in many locales."""
    path = write("c.csv", f'id,speed,cost,trust\nA,1,2,3\nB,"{text}",2,3\n')
    with pytest.raises(
        DataError,
        match=rf"row 3, column \"speed\": '{text}' is not a number\. "
        rf"Write a plain number {hint}",
    ):
        load_customers(path, TREE)


# --- encodings and separators (issue 13, point 6) --------------------------------------------


def test_gbk_csv_from_chinese_excel_is_read_and_its_encoding_reported(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes("id,name,speed,cost,trust\nA,苏州恒力,1,2,3\nB,宁波永信,2,1,4\n".encode("gbk"))
    m = load_customers(path, TREE)
    assert m.names == ("苏州恒力", "宁波永信") and m.encoding == "gb18030"


def test_cp1252_csv_from_western_excel_is_read_and_its_encoding_reported(tmp_path):
    path = tmp_path / "c.csv"
    text = "id,name,speed,cost,trust\nA,Café Müller,1,2,3\nB,Société Générale,2,1,4\n"
    path.write_bytes(text.encode("cp1252"))
    m = load_customers(path, TREE)
    assert m.names == ("Café Müller", "Société Générale") and m.encoding == "cp1252"


def test_utf8_with_bom_is_utf8(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    m = load_customers(path, TREE)
    assert m.ids == ("A", "B", "C") and m.encoding == "utf-8"


def test_bytes_in_no_known_encoding(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(b"id,name,speed,cost,trust\nA,\x81\x20,1,2,3\n")
    with pytest.raises(
        DataError,
        match=r"c\.csv: not UTF-8 text \(byte 28\), nor GB18030 or "
        r"cp1252\. Save the file as CSV UTF-8",
    ):
        load_customers(path, TREE)


@pytest.mark.parametrize(("sep", "name"), [(";", "semicolons"), ("\t", "tabs")])
def test_semicolon_separator_is_named(write, sep, name):
    path = write("c.csv", GOOD.replace(",", sep))
    with pytest.raises(
        DataError,
        match=rf"c\.csv: row 1 \(header\): the columns are separated "
        rf"by {name}",
    ):
        load_customers(path, TREE)


def test_symlink_loop_is_named(tmp_path):
    path = tmp_path / "c.csv"
    path.symlink_to(path)
    with pytest.raises(DataError, match=r"c\.csv: the path is a loop of symbolic links"):
        load_customers(path, TREE)


def test_folder_instead_of_file_is_named(tmp_path):
    (tmp_path / "c.csv").mkdir()
    with pytest.raises(DataError, match=r"c\.csv: is a folder, not a file"):
        load_customers(tmp_path / "c.csv", TREE)
