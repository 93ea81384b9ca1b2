"""Willingness and absorptive-capacity indicators aggregated from a CRM contact log.

A contact log has one row per contact: who the customer is, when it happened, who initiated it
(``customer`` or ``firm``), how the customer answered a firm's contact (``accepted``,
``declined``, ...) and through which channel (email, visit, phone, trade fair...). Huang, Han &
Meng (2008, section 3.2-3.3) name three indicators that such a log measures; over a window
``[start, end)`` and a period of ``period_days`` days:

* **active contact frequency** (客户的主动联系频率): customer-initiated contacts per period,
  ``n_customer / ((end - start) / period)``;
* **passive contact acceptance rate** (客户被动联系的接受率): ``n_accepted / n_firm`` over the
  firm-initiated contacts; undefined (NaN, and the customer listed) when the firm made none,
  never 0, which would read as "refused everything";
* **diversity of touchpoints** (外部知识源的多样性, its direct part): the number of distinct
  channels through which the customer was in contact in the window.

The log is read by Polars lazy queries run on its streaming engine, never loaded whole and never
looped over in Python; the state kept is a few counts per customer (the diversity as one count per
channel, since a distinct count per group makes the streaming group-by's memory grow with the
log). On Polars 2.1 one streaming query over a whole Parquet file still grows with the file (the
reader runs ahead of the group-by), so a Parquet log is aggregated in slices of
:data:`SLICE_ROWS` rows, each its own streaming query (Parquet skips to a slice through its
row-group metadata), and the per-slice counts are summed: peak memory is then set by the slice,
not by the log (figures in benchmarks/README.md, from benchmarks/bench_indicators.py). A CSV log
is one query: a slice of a CSV must be found by reading the lines before it.

A clean log (ids without surrounding spaces, initiators and outcomes in lower case) takes one
pass, its cells compared as written. When that pass meets a cell it
cannot read, the log is aggregated again with every text cell trimmed (initiators and outcomes
also lower-cased), and a row still bad is an error naming the file, the row and the column (a
last pass stops at it): no customer, an unreadable time, an initiator other than customer/firm,
or a firm contact without an outcome. Channels are compared as written; an empty channel is
counted in ``missing_channel``, not as a channel. CSV and Parquet are read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from mcda_ckm.errors import CkmError, DataError

__all__ = ["ContactColumns", "ContactIndicators", "contact_indicators"]

INITIATORS: tuple[str, ...] = ("customer", "firm")
"""The accepted values of the initiator column (case and surrounding spaces ignored)."""

SLICE_ROWS = 5_000_000
"""Rows of a Parquet log per streaming query; the counts of the slices are summed."""

MAX_CHANNELS = 64
"""Most distinct channels counted by per-channel sums (bounded memory); beyond, a distinct count."""

Check = tuple[str, pl.Expr, str, str]
"""A row check: the column, the expression true on a bad row, the message and the hint."""

TIME_HINT = "Write times as ISO 8601 dates or date-times, e.g. 2024-03-01 or 2024-03-01T14:30:00"


@dataclass(frozen=True)
class ContactColumns:
    """The names of the log's columns (defaults: customer, time, initiator, outcome, channel)."""

    customer: str = "customer"
    time: str = "time"
    initiator: str = "initiator"
    outcome: str = "outcome"
    channel: str = "channel"

    def all(self) -> tuple[str, ...]:
        return (self.customer, self.time, self.initiator, self.outcome, self.channel)


@dataclass(frozen=True)
class ContactIndicators:
    """Per-customer contact indicators over a window.

    Attributes
    ----------
    ids : tuple of str
        The customers, in the order asked for (or sorted, when none was given).
    active_frequency : numpy.ndarray
        Customer-initiated contacts per period in the window (0 for a customer without any).
    acceptance_rate : numpy.ndarray
        Accepted / firm-initiated contacts in the window; NaN where the firm made none.
    diversity : numpy.ndarray
        Distinct channels used in the window (int).
    customer_initiated, firm_initiated, accepted : numpy.ndarray
        The counts behind the indicators (int).
    start, end : datetime.datetime
        The window ``[start, end)``.
    period_days : float
        The period of the frequency, in days.
    path : Path
        The log.
    no_contacts : tuple of str
        Customers asked for with no contact in the window (their counts are true zeros).
    undefined_rate : tuple of str
        Customers with no firm-initiated contact in the window (rate NaN).
    unknown : tuple of str
        Customers in the log that were not asked for (left out of the indicators).
    events_in_window, events_outside : int
        Rows of the log inside and outside the window.
    missing_channel : int
        Rows of the log in the window without a channel (not counted in the diversity).
    """

    ids: tuple[str, ...]
    active_frequency: np.ndarray
    acceptance_rate: np.ndarray
    diversity: np.ndarray
    customer_initiated: np.ndarray
    firm_initiated: np.ndarray
    accepted: np.ndarray
    start: dt.datetime
    end: dt.datetime
    period_days: float
    path: Path
    no_contacts: tuple[str, ...] = ()
    undefined_rate: tuple[str, ...] = ()
    unknown: tuple[str, ...] = field(default=(), repr=False)
    events_in_window: int = 0
    events_outside: int = 0
    missing_channel: int = 0

    def columns(self) -> dict[str, np.ndarray]:
        """The indicators under the leaf ids of the Huang (2008) tree."""
        return {
            "active_contact_frequency": self.active_frequency,
            "passive_acceptance_rate": self.acceptance_rate,
            "source_diversity": self.diversity,
        }


def as_datetime(value: dt.datetime | dt.date | str, name: str) -> dt.datetime:
    """A window bound as a naive datetime (a date is its midnight)."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise CkmError(f"{name} {value!r} is not a date", where=name, hint=TIME_HINT) from None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value
    return dt.datetime(value.year, value.month, value.day)


def scan(path: Path) -> tuple[pl.LazyFrame, int]:
    """A lazy scan of the log and the row number of its first record (2 for CSV, 1 for Parquet)."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise DataError("file not found", path=path, hint="Check the path")
    if suffix in (".csv", ".txt"):
        return pl.scan_csv(path, infer_schema=False), 2
    if suffix in (".parquet", ".pq"):
        return pl.scan_parquet(path), 1
    raise DataError(
        f"unknown file type {suffix!r}", path=path, hint="Give a .csv or .parquet contact log"
    )


def time_expr(name: str, dtype: pl.DataType, path: Path) -> pl.Expr:
    """The time column as a naive datetime (UTC for zoned times), null where unreadable."""
    if dtype == pl.String:
        return pl.col(name).str.strip_chars().str.to_datetime(strict=False, time_unit="us")
    if isinstance(dtype, pl.Datetime):
        col = pl.col(name)
        if dtype.time_zone is not None:
            col = col.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
        return col if dtype == pl.Datetime("us") else col.cast(pl.Datetime("us"))
    if dtype == pl.Date:
        return pl.col(name).cast(pl.Datetime("us"))
    raise DataError(
        f"the time column has type {dtype}, not a date or date-time",
        path=path,
        where=f"column {name!r}",
        hint=TIME_HINT,
    )


def first_bad_row(lf: pl.LazyFrame, checks: list[Check], path: Path, first: int) -> DataError:
    """The error for the first row failing a check (a pass that stops at that row)."""
    flags = [check.alias(f"bad{i}") for i, (_, check, _, _) in enumerate(checks)]
    hit = (
        lf.with_row_index("row")
        .select("row", *flags)
        .filter(pl.any_horizontal(*(pl.col(f"bad{i}") for i in range(len(checks)))))
        .head(1)
        .collect(engine="streaming")
    )
    row = hit.row(0, named=True)
    for i, (column, _, message, hint) in enumerate(checks):
        if row[f"bad{i}"]:
            return DataError(
                message, path=path, where=f"row {row['row'] + first}, column {column!r}", hint=hint
            )
    raise AssertionError("a bad row was counted but not found")  # pragma: no cover


def contact_indicators(
    path: str | Path,
    *,
    start: dt.datetime | dt.date | str,
    end: dt.datetime | dt.date | str,
    period_days: float = 30.0,
    customers: Sequence[str] | None = None,
    columns: ContactColumns | None = None,
    accepted: Sequence[str] = ("accepted",),
) -> ContactIndicators:
    """Active contact frequency, passive acceptance rate and touchpoint diversity per customer.

    Parameters
    ----------
    path : str or Path
        The contact log, ``.csv`` (header row) or ``.parquet``.
    start, end : datetime, date or ISO string
        The window ``[start, end)``; times with a zone are compared in UTC.
    period_days : float
        The frequency's period in days (30: contacts per month; 365: per year).
    customers : sequence of str, optional
        The case's customers: the result follows this order, a customer without contacts is
        listed in ``no_contacts`` with zero counts, and log customers not in it in ``unknown``.
        Default: every customer of the log, sorted.
    columns : ContactColumns, optional
        The log's column names.
    accepted : sequence of str
        The outcomes that count as accepting a firm's contact (case ignored).

    Returns
    -------
    ContactIndicators

    Raises
    ------
    CkmError
        A bad window or period.
    DataError
        A missing file or column, or a bad row (named by row and column).
    """
    path = Path(path)
    cols = columns or ContactColumns()
    t0, t1 = as_datetime(start, "start"), as_datetime(end, "end")
    if not t0 < t1:
        raise CkmError(f"the window [{t0}, {t1}) is empty", where="window", hint="Put start first")
    if not (np.isfinite(period_days) and period_days > 0):
        raise CkmError(f"period_days must be > 0, got {period_days}", where="period_days")
    lf, first = scan(path)
    slices = slice_bounds(lf, first)
    schema = lf.collect_schema()
    missing = [c for c in cols.all() if c not in schema]
    if missing:
        raise DataError(
            f"no column {missing[0]!r} (columns: {', '.join(schema.names())})",
            path=path,
            where="header",
            hint="Name the columns customer, time, initiator, outcome, channel, or map them",
        )
    time = time_expr(cols.time, schema[cols.time], path)
    outcomes = [str(a).strip().lower() for a in accepted]
    # Clean logs (ids without surrounding spaces, initiators and outcomes in lower case) are
    # aggregated as written, in one pass; only when that pass finds rows it cannot read is the
    # log read again with every text cell trimmed and lower-cased, and then a bad row is an error.
    channels = distinct_channels(lf, cols.channel)
    table, checks = aggregate(
        lf, cols, time, t0, t1, outcomes, channels, normalise=False, slices=slices
    )
    keys = table["customer"]
    if (
        int(table["bad"].sum()) > 0
        or keys.str.strip_chars().n_unique() != len(keys)
        or bool((keys != keys.str.strip_chars()).any())
    ):
        table, checks = aggregate(
            lf, cols, time, t0, t1, outcomes, channels, normalise=True, slices=slices
        )
        if int(table["bad"].sum()) > 0:
            raise first_bad_row(lf, checks, path, first)
    return package(table, customers, t0, t1, float(period_days), path)


def slice_bounds(lf: pl.LazyFrame, first: int) -> list[tuple[int, int]] | None:
    """The (offset, length) slices of a Parquet log (its row count is in its metadata), or None
    for a CSV log or one of at most :data:`SLICE_ROWS` rows (aggregated in one query)."""
    if first != 1:  # CSV
        return None
    rows = int(lf.select(pl.len()).collect().item())
    if rows <= SLICE_ROWS:
        return None
    return [(start, SLICE_ROWS) for start in range(0, rows, SLICE_ROWS)]


def distinct_channels(lf: pl.LazyFrame, name: str) -> list[str] | None:
    """The log's distinct channels (a pass over one column), or None beyond MAX_CHANNELS."""
    channel = pl.col(name).cast(pl.String)
    values = (
        lf.select(channel.filter(channel.is_not_null() & (channel != "")).unique())
        .head(MAX_CHANNELS + 1)
        .collect(engine="streaming")
        .to_series()
    )
    found = sorted(values.to_list())
    return found if len(found) <= MAX_CHANNELS else None


def aggregate(
    lf: pl.LazyFrame,
    cols: ContactColumns,
    time: pl.Expr,
    t0: dt.datetime,
    t1: dt.datetime,
    outcomes: list[str],
    channels: list[str] | None,
    *,
    normalise: bool,
    slices: list[tuple[int, int]] | None = None,
) -> tuple[pl.DataFrame, list[Check]]:
    """One streaming pass: the per-customer counts and the number of bad rows per customer.

    With ``slices`` (and a known channel list, so that every column is a sum), each slice is
    its own streaming query and the counts are summed, so that peak memory is that of a slice.

    The diversity is counted as one sum per known channel (contacts through it in the window)
    and then the channels with a positive sum: sums keep the streaming group-by in bounded
    memory, where a distinct count per group grows with the log. Beyond MAX_CHANNELS distinct
    channels, the distinct count is used.
    """

    schema = lf.collect_schema()

    def as_text(name: str) -> pl.Expr:
        # A cast of a text column to text copies it, and a copied group key keeps every batch's
        # buffer alive in the streaming group-by (memory then grows with the log): cast only
        # what is not text already.
        col = pl.col(name)
        return col if schema[name] == pl.String else col.cast(pl.String)

    def cell(name: str, lower: bool = False) -> pl.Expr:
        col = as_text(name)
        if normalise:
            col = col.str.strip_chars()
            if lower:
                col = col.str.to_lowercase()
        return col

    customer = cell(cols.customer)
    initiator = cell(cols.initiator, lower=True)
    outcome = cell(cols.outcome, lower=True)
    channel = as_text(cols.channel)  # compared as written
    checks: list[Check] = [
        (
            cols.customer,
            customer.is_null() | (customer == ""),
            "no customer id",
            "Fill in the customer's id",
        ),
        (cols.time, time.is_null(), "the time is missing or not a date", TIME_HINT),
        (
            cols.initiator,
            ~initiator.is_in(INITIATORS).fill_null(False),
            "the initiator must be customer or firm",
            "Write customer (the customer contacted the firm) or firm",
        ),
        (
            cols.outcome,
            (initiator == "firm").fill_null(False) & (outcome.is_null() | (outcome == "")),
            "a firm-initiated contact has no outcome",
            "Write accepted, declined or another outcome",
        ),
    ]
    inside = (time >= t0) & (time < t1)
    has_channel = channel.is_not_null() & (channel != "")
    per_channel = (
        [
            (pl.col("inside") & (pl.col("channel") == name)).sum().alias(f"channel_{i}")
            for i, name in enumerate(channels)
        ]
        if channels is not None
        else [
            pl.col("channel")
            .filter(pl.col("inside") & pl.col("has_channel"))
            .n_unique()
            .alias("channels")
        ]
    )

    def counts(part: pl.LazyFrame) -> pl.DataFrame:
        return query(part).collect(engine="streaming")

    def query(part: pl.LazyFrame) -> pl.LazyFrame:
        return (
            part.select(
                customer.alias("customer"),
                inside.fill_null(False).alias("inside"),
                (initiator == "customer").fill_null(False).alias("by_customer"),
                (initiator == "firm").fill_null(False).alias("by_firm"),
                outcome.is_in(outcomes).fill_null(False).alias("ok"),
                channel.alias("channel"),
                has_channel.alias("has_channel"),
                pl.any_horizontal(*(check for _, check, _, _ in checks)).alias("bad"),
            )
            .group_by("customer")
            .agg(
                pl.col("bad").sum().alias("bad"),
                pl.col("inside").sum().alias("inside"),
                (~pl.col("inside")).sum().alias("outside"),
                (pl.col("inside") & pl.col("by_customer")).sum().alias("n_customer"),
                (pl.col("inside") & pl.col("by_firm")).sum().alias("n_firm"),
                (pl.col("inside") & pl.col("by_firm") & pl.col("ok")).sum().alias("n_accepted"),
                *per_channel,
                (pl.col("inside") & ~pl.col("has_channel")).sum().alias("no_channel"),
            )
        )

    if slices is None or channels is None:
        table = counts(lf)
    else:
        parts = [counts(lf.slice(start, length)) for start, length in slices]
        table = pl.concat(parts).group_by("customer").agg(pl.all().sum())
    if channels is not None:
        used = [pl.col(f"channel_{i}") > 0 for i in range(len(channels))]
        table = table.with_columns(
            (pl.sum_horizontal(used) if used else pl.lit(0)).cast(pl.Int64).alias("channels")
        )
    return table, checks


def package(
    table: pl.DataFrame,
    customers: Sequence[str] | None,
    t0: dt.datetime,
    t1: dt.datetime,
    period_days: float,
    path: Path,
) -> ContactIndicators:
    """The aggregated table as arrays in the customers' order, with the lists to report."""
    counts = ["inside", "n_customer", "n_firm", "n_accepted", "channels"]
    if customers is None:
        ordered = table.sort("customer")
        unknown: tuple[str, ...] = ()
    else:
        asked = pl.DataFrame({"customer": list(customers)}, schema={"customer": pl.String})
        ordered = asked.join(table, on="customer", how="left", maintain_order="left")
        ordered = ordered.with_columns(pl.col(counts).fill_null(0))
        unknown = tuple(table.join(asked, on="customer", how="anti")["customer"].sort().to_list())
    ids = np.array(ordered["customer"].to_list(), dtype=object)
    n_customer, n_firm, n_accepted, inside, diversity = (
        ordered[c].to_numpy().astype(np.int64)
        for c in ("n_customer", "n_firm", "n_accepted", "inside", "channels")
    )
    periods = (t1 - t0).total_seconds() / 86400.0 / period_days
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n_firm > 0, n_accepted / np.maximum(n_firm, 1), np.nan)
    arrays: dict[str, Any] = {
        "active_frequency": n_customer / periods,
        "acceptance_rate": rate,
        "diversity": diversity,
        "customer_initiated": n_customer,
        "firm_initiated": n_firm,
        "accepted": n_accepted,
    }
    for value in arrays.values():
        value.flags.writeable = False
    return ContactIndicators(
        ids=tuple(ids.tolist()),
        **arrays,
        start=t0,
        end=t1,
        period_days=period_days,
        path=path,
        no_contacts=tuple(ids[inside == 0].tolist()),
        undefined_rate=tuple(ids[n_firm == 0].tolist()),
        unknown=unknown,
        events_in_window=int(table["inside"].sum()),
        events_outside=int(table["outside"].sum()),
        missing_channel=int(table["no_channel"].sum()),
    )
