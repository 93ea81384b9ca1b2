"""Contact-log indicators against a small log computed by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from mcda_ckm.errors import CkmError, DataError
from mcda_ckm.large.contacts import ContactColumns, ContactIndicators, contact_indicators

LOG = """customer,time,initiator,outcome,channel
A,2024-01-03,customer,,email
A,2024-01-20 09:30:00,customer,,phone
A,2024-02-10,customer,,
A,2024-02-28T23:59:00,Customer,,visit
A,2024-03-01,customer,,email
A,2023-12-31,customer,,email
A,2024-01-10,firm,accepted,phone
A,2024-02-01,firm,declined,email
A,2024-02-15,FIRM, Accepted ,email
B,2024-01-05,customer,,web
B,2024-01-06,customer,,web
D,2024-04-01,firm,accepted,phone
E,2024-01-15,customer,,fair
"""

WINDOW = {"start": "2024-01-01", "end": "2024-03-01", "period_days": 30}


def check_by_hand(r: ContactIndicators) -> None:
    """Window [2024-01-01, 2024-03-01) = 60 days = 2 periods of 30 days.

    A: customer-initiated inside: 01-03, 01-20, 02-10, 02-28 23:59 = 4 (03-01 is the excluded end,
       12-31 is before) -> 4 / 2 = 2.0 per period. Firm-initiated: 3, accepted 2 (the outcome's case
       and spaces ignored) -> 2/3. Channels inside: email, phone, visit (the blank one not counted)
       -> 3.
    B: 2 customer-initiated, web -> 1.0 per period, rate undefined (no firm contact), 1 channel.
    C: not in the log: 0, undefined, 0, listed as without contacts.
    D: its only contact (04-01) is outside the window: as C.
    E: in the log but not asked for: unknown.
    Rows in the window: A 7, B 2, E 1 = 10; outside: A 2, D 1 = 3; one inside without channel.
    """
    assert r.ids == ("A", "B", "C", "D")
    np.testing.assert_allclose(r.active_frequency, [2.0, 1.0, 0.0, 0.0], atol=0)
    np.testing.assert_allclose(r.acceptance_rate, [2 / 3, np.nan, np.nan, np.nan], atol=1e-15)
    np.testing.assert_array_equal(r.diversity, [3, 1, 0, 0])
    np.testing.assert_array_equal(r.customer_initiated, [4, 2, 0, 0])
    np.testing.assert_array_equal(r.firm_initiated, [3, 0, 0, 0])
    np.testing.assert_array_equal(r.accepted, [2, 0, 0, 0])
    assert r.no_contacts == ("C", "D")
    assert r.undefined_rate == ("B", "C", "D")
    assert r.unknown == ("E",)
    assert (r.events_in_window, r.events_outside, r.missing_channel) == (10, 3, 1)
    assert set(r.columns()) == {
        "active_contact_frequency",
        "passive_acceptance_rate",
        "source_diversity",
    }


def test_csv_by_hand(write: Callable[[str, str], Path]) -> None:
    r = contact_indicators(write("log.csv", LOG), customers=["A", "B", "C", "D"], **WINDOW)
    check_by_hand(r)
    assert (r.start, r.end) == (dt.datetime(2024, 1, 1), dt.datetime(2024, 3, 1))


def test_parquet_with_typed_times_by_hand(
    tmp_path: Path, write: Callable[[str, str], Path]
) -> None:
    frame = pl.read_csv(write("log.csv", LOG), infer_schema=False).with_columns(
        pl.col("time").str.to_datetime(strict=True)
    )
    frame.write_parquet(tmp_path / "log.parquet")
    r = contact_indicators(
        tmp_path / "log.parquet",
        customers=["A", "B", "C", "D"],
        start=dt.date(2024, 1, 1),
        end=dt.datetime(2024, 3, 1),
        period_days=30,
    )
    check_by_hand(r)


@pytest.mark.parametrize("rows", [1, 3, 5])
def test_parquet_in_slices_sums_to_the_same_counts(
    tmp_path: Path, write: Callable[[str, str], Path], monkeypatch: pytest.MonkeyPatch, rows: int
) -> None:
    """A Parquet log aggregated in slices of 1, 3 or 5 rows (the 13-row log cut at every
    place a customer's rows can be cut) gives the counts computed by hand; the messy cells
    (" Accepted ", "FIRM") make it take the trimmed pass in slices too."""
    import mcda_ckm.large.contacts as contacts

    monkeypatch.setattr(contacts, "SLICE_ROWS", rows)
    pl.read_csv(write("log.csv", LOG), infer_schema=False).write_parquet(tmp_path / "log.parquet")
    r = contact_indicators(tmp_path / "log.parquet", customers=["A", "B", "C", "D"], **WINDOW)
    check_by_hand(r)
    assert contacts.slice_bounds(pl.scan_parquet(tmp_path / "log.parquet"), 1) == [
        (start, rows) for start in range(0, 13, rows)
    ]


def test_default_customers_are_the_log_s_sorted(write: Callable[[str, str], Path]) -> None:
    r = contact_indicators(write("log.csv", LOG), **WINDOW)
    assert r.ids == ("A", "B", "D", "E")
    assert r.unknown == ()
    assert r.no_contacts == ("D",)
    np.testing.assert_allclose(r.active_frequency, [2.0, 1.0, 0.0, 0.5])


def test_renamed_columns_and_other_accepted_outcomes(write: Callable[[str, str], Path]) -> None:
    text = "cid,ts,who,result,via\nA,2024-01-10,firm,yes,phone\nA,2024-01-11,firm,no,phone\n"
    r = contact_indicators(
        write("log.csv", text),
        columns=ContactColumns("cid", "ts", "who", "result", "via"),
        accepted=["YES"],
        start="2024-01-01",
        end="2025-01-01",
        period_days=366,
    )
    np.testing.assert_allclose(r.acceptance_rate, [0.5])
    np.testing.assert_allclose(r.active_frequency, [0.0])


@pytest.mark.parametrize(
    ("row", "match"),
    [
        (
            "A,2024-13-45,customer,,email",
            r"row 3, column 'time': the time is missing or not a date",
        ),
        ("A,,customer,,email", r"row 3, column 'time'"),
        (",2024-01-02,customer,,email", r"row 3, column 'customer': no customer id"),
        ("A,2024-01-02,partner,,email", r"row 3, column 'initiator': the initiator must be"),
        ("A,2024-01-02,firm,,email", r"row 3, column 'outcome': a firm-initiated contact has no"),
    ],
)
def test_bad_rows_name_file_row_and_column(
    write: Callable[[str, str], Path], row: str, match: str
) -> None:
    text = f"customer,time,initiator,outcome,channel\nA,2024-01-01,customer,,web\n{row}\n"
    text += "B,2024-01-03,customer,,web\n"
    with pytest.raises(DataError, match=r"log\.csv: " + match):
        contact_indicators(write("log.csv", text), **WINDOW)


def test_missing_column_file_and_window(write: Callable[[str, str], Path]) -> None:
    with pytest.raises(DataError, match=r"header: no column 'channel'"):
        contact_indicators(write("log.csv", "customer,time,initiator,outcome\n"), **WINDOW)
    with pytest.raises(DataError, match=r"unknown file type '\.xlsx'"):
        contact_indicators(write("log.xlsx", ""), **WINDOW)
    with pytest.raises(DataError, match="file not found"):
        contact_indicators(Path("nowhere.csv"), **WINDOW)
    path = write("log.csv", LOG)
    with pytest.raises(CkmError, match="is empty"):
        contact_indicators(path, start="2024-03-01", end="2024-01-01")
    with pytest.raises(CkmError, match="period_days must be > 0"):
        contact_indicators(path, start="2024-01-01", end="2024-03-01", period_days=0)
    with pytest.raises(CkmError, match="'March' is not a date"):
        contact_indicators(path, start="March", end="2024-03-01")


def test_results_are_read_only(write: Callable[[str, str], Path]) -> None:
    r = contact_indicators(write("log.csv", LOG), **WINDOW)
    with pytest.raises(ValueError, match="read-only"):
        r.acceptance_rate[0] = 0.0


def test_clean_and_messy_spellings_agree(write: Callable[[str, str], Path]) -> None:
    """The as-written pass (clean log) and the trimmed pass (messy log) give the same counts."""
    clean = "customer,time,initiator,outcome,channel\n"
    clean += (
        "A,2024-01-02,customer,,web\nA,2024-01-03,firm,accepted,web\nB,2024-01-04,firm,declined,x\n"
    )
    messy = clean.replace("A,2024-01-03,firm", " A ,2024-01-03,Firm").replace(
        "declined", "DECLINED"
    )
    r1 = contact_indicators(write("clean.csv", clean), **WINDOW)
    r2 = contact_indicators(write("messy.csv", messy), **WINDOW)
    assert r1.ids == r2.ids == ("A", "B")
    for name in ("customer_initiated", "firm_initiated", "accepted", "diversity"):
        np.testing.assert_array_equal(getattr(r1, name), getattr(r2, name))
    np.testing.assert_allclose(r2.acceptance_rate, [1.0, 0.0])


def test_many_channels_fall_back_to_a_distinct_count(
    write: Callable[[str, str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond MAX_CHANNELS channels the diversity is a distinct count: the same numbers."""
    from mcda_ckm.large import contacts

    monkeypatch.setattr(contacts, "MAX_CHANNELS", 2)
    r = contact_indicators(write("log.csv", LOG), customers=["A", "B", "C", "D"], **WINDOW)
    check_by_hand(r)
