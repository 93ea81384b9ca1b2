"""The customer table built from raw exports, against the mini case computed by hand."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

from mcda_ckm.errors import DataError, OutputError
from mcda_ckm.model.case import load_case
from mcda_ckm.model.matrix import load_customers
from mcda_ckm.workflows.indicators import (
    build_indicators,
    indicator_outputs,
    write_indicators,
)
from tests.workflows.mini_raw import make_case


def column(table, leaf: str) -> np.ndarray:
    return table.values[:, table.leaves.index(leaf)]


def test_contact_indicators_by_hand(tmp_path: Path) -> None:
    """Window 60 days = 2 periods of 30 days.

    A: 1 customer contact in the window -> 1 / 2 = 0.5 per period; firm contacts 2, accepted 1
       -> 0.5; channels email, phone -> 2.
    B: 1 customer contact (" Customer " read as customer) -> 0.5; its firm contact (03-05) is
       outside the window -> rate undefined (blank, listed); channel visit -> 1.
    C: no contact: 0 and 0, rate undefined; listed as without contacts.
    """
    t = build_indicators(make_case(tmp_path))
    assert t.ids == ("A", "B", "C")
    np.testing.assert_allclose(column(t, "active_contact_frequency"), [0.5, 0.5, 0.0], atol=0)
    np.testing.assert_allclose(column(t, "passive_acceptance_rate"), [0.5, np.nan, np.nan])
    np.testing.assert_array_equal(column(t, "source_diversity"), [2, 1, 0])
    reasons = {(m.customer, m.source, m.reason) for m in t.missing}
    assert ("C", "contacts", "no_contacts") in reasons
    assert {("B", "contacts", "no_firm_contact"), ("C", "contacts", "no_firm_contact")} <= reasons


def test_survey_scores_and_alpha_by_hand(tmp_path: Path) -> None:
    """trust3_r on 1..5 is scored 6 - x: A's answers (4,5,2) -> (4,5,4), (2,3,4) -> (2,3,2);
    B's (3,3,3) -> (3,3,3).

    Scores: A's item means (3, 4, 3) -> 10/3; B -> 3; C has no respondent -> NaN, listed.
    Cronbach's alpha (Cronbach 1951) over the three respondents, k = 3: item variances 1, 4/3,
    1 (sum 10/3); totals 13, 7, 9, variance 28/3; alpha = 3/2 (1 - (10/3)/(28/3)) = 27/28.
    """
    t = build_indicators(make_case(tmp_path))
    np.testing.assert_allclose(column(t, "trust"), [10 / 3, 3.0, np.nan], rtol=1e-15)
    np.testing.assert_allclose(column(t, "perceived_benefit"), [4.0, 2.0, np.nan])
    trust = next(r for r in t.sheet if r.indicator == "trust")
    assert trust.alpha == pytest.approx(27 / 28, abs=1e-12)
    assert trust.count == 3
    np.testing.assert_array_equal(t.respondents, [2, 1, 0])
    assert ("C", "survey", "no_respondent") in {(m.customer, m.source, m.reason) for m in t.missing}
    # One-item constructs have no alpha, and say so.
    assert any("alpha of it_support is undefined" in str(w) for w in t.warnings)


def test_reverse_coding_is_what_keeps_alpha_high(tmp_path: Path) -> None:
    """Without reverse coding, item 3 is 2, 4, 3 (variance 1), the totals 11, 9, 9 (variance
    4/3): alpha = 3/2 (1 - (10/3)/(4/3)) = -2.25, and a warning below 0.7."""
    t = build_indicators(make_case(tmp_path, reverse=""))
    trust = next(r for r in t.sheet if r.indicator == "trust")
    assert trust.alpha == pytest.approx(-2.25, abs=1e-12)
    assert any("alpha of trust is -2.25, below 0.7" in str(w) for w in t.warnings)


def test_present_values_and_clv_by_hand(tmp_path: Path) -> None:
    """At 10 % over 2 periods: A's base 110/1.1 + (121 - 12.1)/1.21 = 100 + 90 = 190; growth
    (55 + 55)/1.1 = 100; networking 121/1.21 = 100; learning: no co-development row, a true 0.
    CLV = 390. B: base 242/1.21 = 200, the rest 0, CLV 200. C has no cash flow: NaN, listed."""
    t = build_indicators(make_case(tmp_path))
    np.testing.assert_allclose(column(t, "base_potential"), [190.0, 200.0, np.nan], rtol=1e-14)
    np.testing.assert_allclose(column(t, "growth_potential"), [100.0, 0.0, np.nan], rtol=1e-14)
    np.testing.assert_allclose(column(t, "networking_potential"), [100, 0, np.nan], rtol=1e-14)
    np.testing.assert_allclose(column(t, "learning_potential"), [0.0, 0.0, np.nan], atol=0)
    assert t.clv is not None
    np.testing.assert_allclose(t.clv, [390.0, 200.0, np.nan], rtol=1e-14)
    base = next(r for r in t.sheet if r.indicator == "base_potential")
    assert (base.count, base.missing, base.window) == (4, ("C",), "periods 1..2")


def test_missing_customers_are_blank_never_zero(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    t = build_indicators(case)
    assert t.missing_customers() == ("B", "C")
    rows = list(csv.DictReader(t.customers_csv().splitlines()))
    c = rows[2]
    assert c["id"] == "C"
    assert c["trust"] == c["base_potential"] == c["passive_acceptance_rate"] == ""
    assert c["active_contact_frequency"] == "0.0"  # a true count of zero contacts
    sheet = {r["indicator"]: r for r in csv.DictReader(t.sheet_csv().splitlines())}
    assert sheet["trust"]["missing"] == "1"
    assert sheet["trust"]["missing_customers"] == "C"
    assert sheet["trust"]["filled"] == "blank"
    assert sheet["passive_acceptance_rate"]["missing_customers"] == "B C"
    assert any("trust: no value for 1 customer(s) (C); left blank" in str(w) for w in t.warnings)


def test_median_policy_fills_and_names_the_cells(tmp_path: Path) -> None:
    """C's base potential: the median of 190 and 200, 195; its trust the median of 10/3 and 3."""
    t = build_indicators(make_case(tmp_path, missing="median"))
    assert column(t, "base_potential")[2] == pytest.approx(195.0)
    assert column(t, "trust")[2] == pytest.approx((10 / 3 + 3) / 2)
    assert math.isnan(t.measured[2, t.leaves.index("trust")])
    assert next(r for r in t.sheet if r.indicator == "base_potential").filled == "median = 195"


@pytest.mark.parametrize(
    ("stem", "text", "where", "message"),
    [
        (
            "contacts",
            "customer,time,initiator,outcome,channel\nA,2024-01-05,customer,,email\n"
            "A,2024-01-06,supplier,,email\n",
            'row 3, column "initiator"',
            "the initiator must be customer or firm",
        ),
        (
            "contacts",
            "customer,time,initiator,outcome,channel\nA,yesterday,customer,,email\n",
            'row 2, column "time"',
            "not a date",
        ),
        (
            "survey",
            "customer,respondent,trust1,trust2,trust3_r,benefit1,knowledge1,motivation1,it1\n"
            "A,buyer,4,5,2,5,3,4,2\nB,buyer,3,9,3,2,4,1,5\n",
            'row 3, column "trust2"',
            "off the scale 1..5",
        ),
        (
            "cash",
            "customer,period,type,amount\nA,1,base,10\nA,2,cros_sell,5\n",
            'row 3, column "type"',
            "unknown transaction type 'cros_sell' (did you mean 'cross_sell'?)",
        ),
        (
            "cash",
            "customer,period,type,amount\nA,3,base,10\n",
            'row 2, column "period"',
            "not a whole number in 1..2",
        ),
        (
            "cash",
            "customer,period,type,amount\nA,1,base,ten\n",
            'row 2, column "amount"',
            "",
        ),
        (
            "accounts",
            "id,name\nA,Alpha\nB,Beta\nA,Again\n",
            'row 4, column "id"',
            'duplicate id "A" (first on row 2)',
        ),
    ],
)
def test_row_errors_name_file_row_and_column(
    tmp_path: Path, stem: str, text: str, where: str, message: str
) -> None:
    case = make_case(tmp_path, **{stem: text})
    with pytest.raises(DataError) as caught:
        build_indicators(case)
    assert caught.value.path is not None and Path(caught.value.path).name == f"{stem}.csv"
    # large/contacts quotes the column with ' (its own tests pin that), the others with ".
    assert caught.value.where is not None
    assert caught.value.where.replace("'", '"') == where
    assert message in caught.value.message


def test_unknown_customers_are_reported(tmp_path: Path) -> None:
    text = "customer,period,type,amount\nA,1,base,10\nZ,1,base,10\n"
    t = build_indicators(make_case(tmp_path, cash=text))
    assert t.cash_flows is not None and t.cash_flows.unknown == ("Z",)
    assert any("not in the case's customer list, left out: Z" in str(w) for w in t.warnings)


def test_written_customers_file_is_what_ckm_run_reads(tmp_path: Path) -> None:
    case = load_case(make_case(tmp_path / "case", missing="median"))
    t = build_indicators(case)
    customers, sheet = indicator_outputs(case)
    write_indicators(t, customers, sheet, protect=[case.toml])
    matrix = load_customers(customers, case.tree)
    np.testing.assert_allclose(matrix.values, t.values, rtol=1e-9)
    assert matrix.names == ("Alpha Tools", "Beta Gears", "Gamma Castings")
    assert sheet.read_text(encoding="utf-8").startswith("indicator,source,file,formula,window")
    # Written by ckm: a second run may replace both.
    write_indicators(t, customers, sheet, protect=[case.toml])


def test_hand_made_customers_file_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    case = load_case(make_case(tmp_path / "case"))
    customers, sheet = indicator_outputs(case)
    customers.write_text("id,name\nA,typed by hand\n", encoding="utf-8")
    t = build_indicators(case)
    with pytest.raises(OutputError, match="ckm did not write it") as caught:
        write_indicators(t, customers, sheet)
    assert caught.value.hint is not None
    assert "Move customers.csv away" in caught.value.hint and "--out" in caught.value.hint
    assert customers.read_text(encoding="utf-8") == "id,name\nA,typed by hand\n"
    assert not sheet.exists()
    assert sorted(p.name for p in customers.parent.iterdir() if p.name.startswith(".")) == []


def test_an_export_is_never_an_output(tmp_path: Path) -> None:
    case = load_case(make_case(tmp_path / "case"))
    assert case.indicators is not None
    t = build_indicators(case)
    with pytest.raises(OutputError, match="input"):
        write_indicators(
            t, case.indicators.customers, tmp_path / "s.csv", protect=case.indicators.files()
        )


def test_case_without_indicators_is_told_what_to_do(tmp_path: Path) -> None:
    from tests.conftest import CASE

    with pytest.raises(Exception, match=r"no \[indicators\] table"):
        build_indicators(CASE)


def test_a_clv_table_that_would_overwrite_a_built_indicator_is_a_warning(tmp_path: Path) -> None:
    folder = make_case(tmp_path)
    with (folder / "case.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[clv]\ncashflows = "flows.csv"\ndiscount_rate = 0.1\nhorizon = 2\n')
    t = build_indicators(folder)
    assert any(
        "base_potential is built here from [indicators.transactions], and ckm run will replace "
        "it with the CLV of flows.csv" in str(w)
        for w in t.warnings
    )
