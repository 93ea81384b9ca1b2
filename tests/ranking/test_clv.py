"""Tests of mcda_ckm.ranking.clv: CLV = sum_{i=1..n} C_i (1+d)^(-i) (Huang, Han & Meng 2008,
section 3.1,
after Stahl et al.), and the cash-flow file's rules."""

from __future__ import annotations

import numpy as np
import pytest

from mcda_ckm.errors import CkmError, DataError
from mcda_ckm.model.matrix import load_customers
from mcda_ckm.model.tree import load_tree
from mcda_ckm.ranking.clv import clv, load_cash_flows
from tests.conftest import CASE, HUANG


def test_clv_by_hand():
    """Hand computation: 100/1.1 + 200/1.1^2 + 300/1.1^3
    = 90.9090909091 + 165.2892561983 + 225.3944402705 = 481.5927873779."""
    assert clv([100.0, 200.0, 300.0], 0.10) == pytest.approx(481.5927873779, abs=1e-9)


def test_clv_first_period_is_discounted_once():
    """By hand: 108 / 1.08 = 100 (a single period's flow arrives at the period's end)."""
    assert clv([108.0], 0.08) == pytest.approx(100.0, rel=1e-15)


def test_clv_without_discounting_is_the_sum():
    assert clv([1.0, -2.0, 3.5], 0.0) == pytest.approx(2.5)


def test_clv_negative_flows():
    """By hand: -50/1.25 + 125/1.25^2 = -40 + 80 = 40."""
    assert clv([-50.0, 125.0], 0.25) == pytest.approx(40.0, rel=1e-15)


def test_clv_is_vectorised_over_customers():
    flows = np.array([[100.0, 200.0, 300.0], [108.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    np.testing.assert_allclose(clv(flows, 0.10), [481.5927873779, 108 / 1.1, 0.0], rtol=1e-12)
    np.testing.assert_allclose(clv(flows, 0.10), [clv(row, 0.10) for row in flows], rtol=1e-15)


def test_clv_rejects_rate_at_minus_one():
    with pytest.raises(CkmError, match=r"discount rate -1 must be a finite number > -1"):
        clv([1.0], -1)


def test_clv_rejects_nan_flow():
    with pytest.raises(CkmError, match="a cash flow is NaN or infinite"):
        clv([1.0, np.nan], 0.1)


# --- the cash-flow file ---------------------------------------------------------------------

GOOD = "customer_id,period,net_cash_flow\nA,1,100\nA,2,200\nA,3,300\nB,3,0\nB,2,0\nB,1,108\n"


def test_load_cash_flows(write):
    """A's CLV is the hand computation above; B's is 108 / 1.1 (periods in any order)."""
    table = load_cash_flows(write("cf.csv", GOOD), ["B", "A"], 0.10, 3)
    assert table.ids == ("B", "A")
    np.testing.assert_array_equal(table.flows, [[108, 0, 0], [100, 200, 300]])
    np.testing.assert_allclose(table.clv, [108 / 1.1, 481.5927873779], rtol=1e-12)
    assert table.as_dict()["A"] == pytest.approx(481.5927873779)


def test_unknown_customer(write):
    with pytest.raises(
        DataError, match=r'cf\.csv: row 5, column "customer_id": unknown customer "Z"'
    ):
        load_cash_flows(write("cf.csv", GOOD.replace("B,3,0", "Z,3,0")), ["A", "B"], 0.1, 3)


def test_duplicate_period(write):
    text = GOOD + "A,2,5\n"
    with pytest.raises(
        DataError, match=r'row 8: customer "A" has period 2 twice \(first on row 3\)'
    ):
        load_cash_flows(write("cf.csv", text), ["A", "B"], 0.1, 3)


def test_period_beyond_horizon(write):
    with pytest.raises(
        DataError, match=r"row 4, column \"period\": period '3' is not a whole number in 1\.\.2"
    ):
        load_cash_flows(write("cf.csv", GOOD), ["A", "B"], 0.1, 2)


def test_period_not_whole(write):
    with pytest.raises(DataError, match=r"row 3, column \"period\": period '1\.5' is not a whole"):
        load_cash_flows(write("cf.csv", GOOD.replace("A,2,", "A,1.5,")), ["A", "B"], 0.1, 3)


def test_missing_period(write):
    text = GOOD.replace("B,2,0\n", "")
    with pytest.raises(DataError, match=r'customer "B" has no cash flow for period 2\. Give every'):
        load_cash_flows(write("cf.csv", text), ["A", "B"], 0.1, 3)


def test_customer_without_flows(write):
    with pytest.raises(
        DataError, match=r'customer "C" has no cash flow for period 1 \(2 more missing\)'
    ):
        load_cash_flows(write("cf.csv", GOOD), ["A", "B", "C"], 0.1, 3)


def test_non_numeric_flow(write):
    with pytest.raises(
        DataError, match=r"row 2, column \"net_cash_flow\": '1\.0k' is not a number"
    ):
        load_cash_flows(write("cf.csv", GOOD.replace("A,1,100", "A,1,1.0k")), ["A", "B"], 0.1, 3)


def test_missing_column(write):
    with pytest.raises(DataError, match=r'row 1 \(header\): missing column\(s\) "period"'):
        load_cash_flows(write("cf.csv", "customer_id,net_cash_flow\nA,1\n"), ["A"], 0.1, 3)


def test_bad_horizon(write):
    with pytest.raises(CkmError, match=r"horizon 0 must be a whole number of periods >= 1"):
        load_cash_flows(write("cf.csv", GOOD), ["A", "B"], 0.1, 0)


def test_bundled_case_base_potential_is_the_clv_of_its_cash_flows():
    """cases/precision-machinery/case.toml: the base_potential column holds the CLV of
    cashflows.csv at d = 0.08 over 5 periods, rounded to 0.1."""
    customers = load_customers(CASE / "customers.csv", load_tree(HUANG))
    table = load_cash_flows(CASE / "cashflows.csv", customers.ids, 0.08, 5)
    base = customers.values[:, customers.criteria.index("base_potential")]
    np.testing.assert_allclose(table.clv, base, atol=0.05 + 1e-9)


def test_clv_too_large_to_be_finite_names_the_rows(write):
    path = write(
        "flows.csv", "customer_id,period,net_cash_flow\nA,1,1e308\nA,2,1e308\nB,1,1\nB,2,1\n"
    )
    flows = load_cash_flows(path, ["A", "B"], 0.0, 2)
    with pytest.raises(DataError, match=r'flows\.csv: rows 2, 3: customer "A": .* not finite'):
        flows.check_for("minmax", "base_potential")


def test_negative_clv_is_fine_under_minmax_only(write):
    path = write("flows.csv", "customer_id,period,net_cash_flow\nA,1,-10\nB,1,5\n")
    flows = load_cash_flows(path, ["A", "B"], 0.0, 1)
    flows.check_for("minmax", "clv")
    with pytest.raises(DataError, match=r'flows\.csv: rows 2: customer "A": .* CLV of -10, '):
        flows.check_for("vector", "clv")
