"""Typed cash flows: present values by hand, and the splitting and additivity properties."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcda_ckm.errors import DataError
from mcda_ckm.ranking.clv import clv
from mcda_ckm.ranking.transactions import typed_cash_flows

TYPES = {"base": "base_potential", "cross_sell": "growth_potential", "referral": "network"}


def write(tmp_path: Path, rows: list[tuple[str, int, str, float]]) -> Path:
    path = tmp_path / "cash.csv"
    text = "customer,period,type,amount\n" + "".join(f"{c},{p},{t},{a!r}\n" for c, p, t, a in rows)
    path.write_text(text, encoding="utf-8")
    return path


def test_present_values_by_hand(tmp_path: Path) -> None:
    """At 8 % over 3 periods, X's base flows 108, 0, 125.9712 discount to
    108/1.08 + 125.9712/1.08^3 = 100 + 100 = 200; its referral 116.64 in period 2 to
    116.64/1.1664 = 100; CLV 300. Y has only a cross-sell row: base and referral are true
    zeros. W has no row: NaN, listed."""
    rows = [
        ("X", 1, "base", 108.0),
        ("X", 3, "base", 125.9712),
        ("X", 2, "referral", 116.64),
        ("Y", 1, "cross_sell", 54.0),
    ]
    r = typed_cash_flows(
        write(tmp_path, rows), ["X", "Y", "W"], TYPES, discount_rate=0.08, horizon=3
    )
    assert r.leaves == ("base_potential", "growth_potential", "network")
    np.testing.assert_allclose(
        r.present_values,
        [[200.0, 0.0, 100.0], [0.0, 50.0, 0.0], [np.nan, np.nan, np.nan]],
        rtol=1e-12,
    )
    np.testing.assert_allclose(r.clv, [300.0, 50.0, np.nan], rtol=1e-12)
    assert r.missing == ("W",)
    assert r.counts == (2, 1, 1)


def test_a_customer_not_asked_for_is_left_out_and_named(tmp_path: Path) -> None:
    r = typed_cash_flows(
        write(tmp_path, [("X", 1, "base", 1.0), ("Q", 1, "base", 5.0)]),
        ["X"],
        TYPES,
        discount_rate=0.0,
        horizon=1,
    )
    assert r.unknown == ("Q",)
    assert r.clv.tolist() == [1.0]


def test_missing_column_names_the_header(tmp_path: Path) -> None:
    path = tmp_path / "cash.csv"
    path.write_text("customer,period,kind,amount\nX,1,base,1\n", encoding="utf-8")
    with pytest.raises(DataError, match="no column 'type'") as caught:
        typed_cash_flows(path, ["X"], TYPES, discount_rate=0.1, horizon=1)
    assert caught.value.where == "row 1 (header)"


flows = st.lists(
    st.tuples(
        st.sampled_from(["X", "Y"]),
        st.integers(1, 4),
        st.sampled_from(sorted(TYPES)),
        st.floats(-1e4, 1e4, allow_nan=False).map(lambda x: round(x, 2)),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=40, deadline=None)
@given(rows=flows, rate=st.floats(0, 0.5), cut=st.floats(0.1, 0.9))
def test_splitting_a_transaction_and_summing_types_change_nothing(
    tmp_path_factory: pytest.TempPathFactory, rows: list, rate: float, cut: float
) -> None:
    """A transaction split into two rows discounts to the same values; and the CLV is the
    discounted sum of every row, whatever its type (the present value is linear)."""
    folder = tmp_path_factory.mktemp("cash")
    whole = typed_cash_flows(write(folder, rows), ["X", "Y"], TYPES, discount_rate=rate, horizon=4)
    c, p, t, a = rows[0]
    split = [(c, p, t, a * cut), (c, p, t, a - a * cut), *rows[1:]]
    parts = typed_cash_flows(write(folder, split), ["X", "Y"], TYPES, discount_rate=rate, horizon=4)
    seen = ~np.isnan(whole.clv)
    np.testing.assert_allclose(parts.clv[seen], whole.clv[seen], rtol=1e-9, atol=1e-6)
    for k, cid in enumerate(["X", "Y"]):
        if not seen[k]:
            continue
        total = np.zeros(4)
        for cc, pp, _, aa in rows:
            if cc == cid:
                total[pp - 1] += aa
        assert whole.clv[k] == pytest.approx(clv(total, rate), rel=1e-9, abs=1e-6)
