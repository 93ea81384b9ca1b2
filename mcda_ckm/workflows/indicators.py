"""From a case's raw CRM exports to its customer table and an indicators sheet.

Huang, Han & Meng (2008) meant the twelve indicators to come from the firm's records. A case
with an ``[indicators]`` table (:mod:`mcda_ckm.model.sources`) names those records; this
workflow reads each one with its engine and assembles the table ``ckm run`` ranks:

* the **contact log**, aggregated on Polars' streaming engine (:mod:`mcda_ckm.large.contacts`):
  active contact frequency, passive acceptance rate, touchpoint diversity;
* the **survey responses** (:mod:`mcda_ckm.model.survey`): one score per construct, reverse-coded
  items rescored, Cronbach's alpha per construct (a warning below 0.7) and the respondents per
  customer;
* the **typed cash flows** (:mod:`mcda_ckm.ranking.transactions`): the present value of each
  potential and the CLV.

A customer of the case missing from a source (no respondent, no cash flow, no firm-initiated
contact for the acceptance rate) is listed in :attr:`IndicatorTable.missing` and in a warning,
never given 0. What its cell then holds is the case's ``missing`` policy: blank (``ckm run``
refuses the file until someone fills the cell) or the median of the other customers (named in
the sheet). A customer without any contact in the window is a true zero of the counts, and is
listed too, since it often means the log is incomplete.

:func:`write_indicators` writes ``customers.csv`` (``id``, ``name`` and one column per leaf: the
file ``ckm run`` reads) and ``indicators.csv`` (the sheet: per indicator its source file,
formula, window, count and missing values), each atomically through :mod:`mcda_ckm.files`, and
never over a customers file ckm did not write.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from mcda_ckm.errors import CaseError, DataError, OutputError
from mcda_ckm.files import check_file, csv_cell, write_file
from mcda_ckm.large.contacts import ContactColumns, ContactIndicators, contact_indicators
from mcda_ckm.model.case import Case, load_case
from mcda_ckm.model.matrix import read_table
from mcda_ckm.model.sources import (
    ContactSource,
    IndicatorSettings,
    MissingPolicy,
    SurveySource,
    TransactionSource,
)
from mcda_ckm.model.survey import SurveyScores, read_survey, score_survey
from mcda_ckm.model.values import SettingWarning
from mcda_ckm.ranking.transactions import TypedCashFlows, typed_cash_flows

__all__ = [
    "SHEET_COLUMNS",
    "IndicatorTable",
    "Missing",
    "SheetRow",
    "build_indicators",
    "indicator_outputs",
    "write_indicators",
]

SHEET_NAME = "indicators.csv"
"""The indicators sheet, written beside the customers file."""

SHEET_COLUMNS: tuple[str, ...] = (
    "indicator",
    "source",
    "file",
    "formula",
    "window",
    "count",
    "missing",
    "missing_customers",
    "filled",
    "alpha",
)
"""The columns of ``indicators.csv``."""

MEASURE_FORMULAS = {
    "active_frequency": "customer-initiated contacts in the window / (window days / {period:g})",
    "acceptance_rate": "accepted / firm-initiated contacts in the window (accepted: {accepted})",
    "diversity": "distinct channels of the contacts in the window",
}


@dataclass(frozen=True)
class SheetRow:
    """One line of the indicators sheet.

    Attributes
    ----------
    indicator : str
        The leaf.
    source : str
        "contacts", "survey" or "transactions".
    file : str
        The export, relative to the case folder.
    formula : str
        How the value is computed, in words and symbols.
    window : str
        The window (contacts), the scale (survey) or the periods (transactions).
    count : int
        Events in the window, respondents or transaction rows behind the values.
    missing : tuple of str
        Customers without a value from the source.
    filled : str
        What the missing cells hold: "blank" or "median = 4.5".
    alpha : float or None
        Cronbach's alpha of a survey construct.
    """

    indicator: str
    source: str
    file: str
    formula: str
    window: str
    count: int
    missing: tuple[str, ...] = ()
    filled: str = ""
    alpha: float | None = None

    def cells(self) -> list[object]:
        return [
            self.indicator,
            self.source,
            self.file,
            self.formula,
            self.window,
            self.count,
            len(self.missing),
            " ".join(self.missing),
            self.filled,
            "" if self.alpha is None else round(self.alpha, 4),
        ]


@dataclass(frozen=True)
class Missing:
    """A customer of the case that a source does not cover.

    Attributes
    ----------
    customer : str
    source : str
        "contacts", "survey" or "transactions".
    reason : str
        An id: "no_contacts", "no_firm_contact", "no_respondent", "unanswered", "no_cash_flow".
    indicators : tuple of str
        The leaves left without a value (empty for "no_contacts": its counts are zeros).
    """

    customer: str
    source: str
    reason: str
    indicators: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndicatorTable:
    """A case's customer table built from its raw exports.

    Attributes
    ----------
    case : Path
        The case folder.
    ids, names : tuple of str
        The customers, in the order of the customer list.
    leaves : tuple of str
        The tree's leaves: the columns of ``values``.
    values : numpy.ndarray
        (customers x leaves), after the missing policy (NaN left blank).
    measured : numpy.ndarray
        (customers x leaves), NaN where a source gave no value.
    sheet : tuple of SheetRow
        One per leaf, in leaf order.
    missing : tuple of Missing
        Customers not covered by a source.
    clv : numpy.ndarray or None
        Per customer, the present value of every typed flow (None without transactions).
    respondents : numpy.ndarray or None
        Survey respondents per customer (None without a survey).
    contacts : ContactIndicators or None
    survey : SurveyScores or None
    cash_flows : TypedCashFlows or None
    warnings : tuple of SettingWarning
        Low alphas, missing and unknown customers, filled cells.
    """

    case: Path
    ids: tuple[str, ...]
    names: tuple[str, ...]
    leaves: tuple[str, ...]
    values: np.ndarray
    measured: np.ndarray
    sheet: tuple[SheetRow, ...]
    missing: tuple[Missing, ...] = ()
    clv: np.ndarray | None = None
    respondents: np.ndarray | None = None
    contacts: ContactIndicators | None = None
    survey: SurveyScores | None = None
    cash_flows: TypedCashFlows | None = None
    warnings: tuple[SettingWarning, ...] = ()

    def missing_customers(self) -> tuple[str, ...]:
        """Every customer some source does not cover, in the case's order."""
        named = {m.customer for m in self.missing}
        return tuple(c for c in self.ids if c in named)

    def customers_csv(self) -> str:
        """``customers.csv``: id, name and the leaves; NaN as an empty cell."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["id", "name", *self.leaves])
        for i, (cid, name) in enumerate(zip(self.ids, self.names, strict=True)):
            writer.writerow([csv_cell(cid), csv_cell(name), *map(number_cell, self.values[i])])
        return buffer.getvalue()

    def sheet_csv(self) -> str:
        """``indicators.csv``: one row per indicator, :data:`SHEET_COLUMNS`."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(SHEET_COLUMNS)
        for row in self.sheet:
            writer.writerow([csv_cell(c) if isinstance(c, str) else c for c in row.cells()])
        return buffer.getvalue()


def number_cell(value: float) -> str:
    """A value at ten significant digits (what a spreadsheet shows), empty for NaN."""
    return "" if np.isnan(value) else repr(float(f"{value:.10g}"))


def read_customer_list(settings: IndicatorSettings) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The case's customers (ids and names) from the customer list, checked row by row."""
    table = read_table(settings.customers)
    id_col, name_col = settings.id_column, settings.name_column
    if id_col not in table.header:
        raise DataError(
            f"no column {id_col!r} (columns: {', '.join(table.header)})",
            path=table.path,
            where="row 1 (header)",
            hint="Name the id column, or set [indicators] id_column",
        )
    if not table.rows:
        raise DataError("no customers (only a header)", path=table.path, where="row 2")
    k = table.header.index(id_col)
    n = table.header.index(name_col) if name_col in table.header else k
    first: dict[str, int] = {}
    for row, line in zip(table.rows, table.lines, strict=True):
        cid = row[k]
        if not cid:
            raise DataError(
                "empty id", path=table.path, where=f'row {line}, column "{id_col}"', hint="Fill it"
            )
        if cid in first:
            raise DataError(
                f'duplicate id "{cid}" (first on row {first[cid]})',
                path=table.path,
                where=f'row {line}, column "{id_col}"',
                hint="Give each customer its own id",
            )
        first[cid] = line
    return tuple(r[k] for r in table.rows), tuple(r[n] or r[k] for r in table.rows)


def relative(path: Path, folder: Path) -> str:
    """``path`` relative to the case folder when inside it (as the sheet shows it)."""
    try:
        return os.path.relpath(path, folder) if path.is_relative_to(folder) else str(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)


def build_indicators(case: Case | str | Path) -> IndicatorTable:
    """Build the case's customer table from the exports named in ``[indicators]``.

    Parameters
    ----------
    case : Case, str or Path
        A loaded case, or its folder.

    Returns
    -------
    IndicatorTable

    Raises
    ------
    CaseError
        The case has no ``[indicators]`` table.
    DataError
        A missing file or column, or a bad row, naming the file, the row and the column.
    """
    case = case if isinstance(case, Case) else load_case(case)
    settings = case.indicators
    if settings is None:
        raise CaseError(
            "the case has no [indicators] table",
            path=case.toml,
            where="[indicators]",
            hint="Name the raw exports in [indicators] (see cases/precision-machinery-raw), or "
            "write customers.csv by hand",
        )
    ids, names = read_customer_list(settings)
    leaves = tuple(case.tree.leaves)
    folder = case.path.resolve()
    part = Part()
    contacts = survey = cash = None
    if settings.contacts is not None:
        contacts = from_contacts(settings.contacts, ids, folder, part)
    if settings.survey is not None:
        survey = from_survey(settings.survey, ids, folder, part)
    if settings.transactions is not None:
        cash = from_transactions(settings.transactions, ids, folder, part)
    clv_settings = case.settings.clv
    if clv_settings is not None and clv_settings.column in settings.source_of():
        part.warnings.append(
            SettingWarning(
                f"{clv_settings.column} is built here from [indicators."
                f"{settings.source_of()[clv_settings.column]}], and ckm run will replace it with "
                f"the CLV of {clv_settings.cashflows.name}",
                path=case.toml,
                where="[clv] column",
            )
        )
    measured = np.column_stack([part.columns[leaf] for leaf in leaves]).astype(np.float64)
    values, sheet = fill_missing(measured, ids, leaves, part, settings.missing, case.toml)
    for array in (values, measured):
        array.flags.writeable = False
    return IndicatorTable(
        case=case.path,
        ids=ids,
        names=names,
        leaves=leaves,
        values=values,
        measured=measured,
        sheet=sheet,
        missing=tuple(part.missing),
        clv=None if cash is None else cash.clv,
        respondents=None if survey is None else survey.respondents,
        contacts=contacts,
        survey=survey,
        cash_flows=cash,
        warnings=tuple(part.warnings),
    )


@dataclass
class Part:
    """What the sources give, gathered source by source: each leaf's column and sheet row,
    the customers missing and the warnings (filled in place by the ``from_*`` functions)."""

    columns: dict[str, np.ndarray] = field(default_factory=dict)
    rows: dict[str, SheetRow] = field(default_factory=dict)
    missing: list[Missing] = field(default_factory=list)
    warnings: list[SettingWarning] = field(default_factory=list)


def from_contacts(
    source: ContactSource, ids: tuple[str, ...], folder: Path, part: Part
) -> ContactIndicators:
    """The contact measures (:func:`mcda_ckm.large.contacts.contact_indicators`) into ``part``."""
    contacts = contact_indicators(
        source.file,
        start=source.start,
        end=source.end,
        period_days=source.period_days,
        customers=ids,
        columns=ContactColumns(*source.columns),
        accepted=source.accepted,
    )
    arrays = {
        "active_frequency": contacts.active_frequency,
        "acceptance_rate": contacts.acceptance_rate,
        "diversity": contacts.diversity,
    }
    window = f"[{source.start:%Y-%m-%d}, {source.end:%Y-%m-%d}), per {source.period_days:g} days"
    file = relative(source.file, folder)
    for measure, leaf in source.feeds:
        part.columns[leaf] = arrays[measure]
        formula = MEASURE_FORMULAS[measure].format(
            period=source.period_days, accepted=", ".join(source.accepted)
        )
        part.rows[leaf] = SheetRow(
            leaf, "contacts", file, formula, window, contacts.events_in_window
        )
    rate_leaves = tuple(leaf for m, leaf in source.feeds if m == "acceptance_rate")
    part.missing += [Missing(c, "contacts", "no_contacts") for c in contacts.no_contacts]
    if rate_leaves:
        part.missing += [
            Missing(c, "contacts", "no_firm_contact", rate_leaves) for c in contacts.undefined_rate
        ]
    if contacts.no_contacts:
        part.warnings.append(
            absent(contacts.no_contacts, "contact in the window (counted as 0)", source.file)
        )
    if contacts.unknown:
        part.warnings.append(unknown_warning(contacts.unknown, source.file))
    return contacts


def from_survey(
    source: SurveySource, ids: tuple[str, ...], folder: Path, part: Part
) -> SurveyScores:
    """The construct scores (:func:`mcda_ckm.model.survey.score_survey`) into ``part``, with a
    warning for each alpha below 0.7 or undefined."""
    design = source.design
    survey = score_survey(read_survey(source.file, design), design, ids)
    lo, hi = design.scale
    file = relative(source.file, folder)
    for j, construct in enumerate(design.constructs):
        leaf = construct.name
        part.columns[leaf] = survey.scores[:, j]
        reliability = survey.reliability[j]
        reverse = (
            f"; reverse-coded {', '.join(construct.reverse)} as {lo + hi:g} - x"
            if construct.reverse
            else ""
        )
        formula = (
            "mean over items of the mean answer of the customer's respondents; items "
            + ", ".join(construct.items)
            + reverse
        )
        part.rows[leaf] = SheetRow(
            leaf,
            "survey",
            file,
            formula,
            f"scale {lo:g}..{hi:g}",
            int(survey.respondents.sum()),
            alpha=reliability.alpha,
        )
        if reliability.alpha is None:
            part.warnings.append(
                SettingWarning(
                    f"Cronbach's alpha of {leaf} is undefined: {reliability.note}",
                    path=source.file,
                )
            )
        elif reliability.low:
            part.warnings.append(
                SettingWarning(
                    f"Cronbach's alpha of {leaf} is {reliability.alpha:.2f}, below 0.7: its "
                    f"{reliability.items} items may not measure one thing",
                    path=source.file,
                )
            )
    constructs = tuple(c.name for c in design.constructs)
    part.missing += [Missing(c, "survey", "no_respondent", constructs) for c in survey.missing]
    part.missing += [Missing(c, "survey", "unanswered", (x,)) for c, x in survey.unanswered]
    if survey.missing:
        part.warnings.append(absent(survey.missing, "respondent", source.file))
    if survey.unknown:
        part.warnings.append(unknown_warning(survey.unknown, source.file))
    return survey


def from_transactions(
    source: TransactionSource, ids: tuple[str, ...], folder: Path, part: Part
) -> TypedCashFlows:
    """The present values (:func:`mcda_ckm.ranking.transactions.typed_cash_flows`) into
    ``part``."""
    cash = typed_cash_flows(
        source.file,
        ids,
        source.type_of(),
        discount_rate=source.discount_rate,
        horizon=source.horizon,
        columns=source.columns,
    )
    file = relative(source.file, folder)
    for j, (leaf, kinds) in enumerate(source.types):
        part.columns[leaf] = cash.present_values[:, j]
        formula = (
            f"sum_{{i=1..{source.horizon}}} C_i (1 + {source.discount_rate:g})^(-i), C_i the "
            f"period's flows of type {', '.join(kinds)}"
        )
        part.rows[leaf] = SheetRow(
            leaf, "transactions", file, formula, f"periods 1..{source.horizon}", cash.counts[j]
        )
    fed = tuple(leaf for leaf, _ in source.types)
    part.missing += [Missing(c, "transactions", "no_cash_flow", fed) for c in cash.missing]
    if cash.missing:
        part.warnings.append(absent(cash.missing, "cash flow", source.file))
    if cash.unknown:
        part.warnings.append(unknown_warning(cash.unknown, source.file))
    return cash


def fill_missing(
    measured: np.ndarray,
    ids: tuple[str, ...],
    leaves: tuple[str, ...],
    part: Part,
    policy: MissingPolicy,
    toml: Path,
) -> tuple[np.ndarray, tuple[SheetRow, ...]]:
    """The values under the missing policy, and the sheet rows naming the missing customers
    and what their cells hold (a warning per indicator with missing values, into ``part``)."""
    values = measured.copy()
    sheet = []
    for j, leaf in enumerate(leaves):
        gaps = np.isnan(measured[:, j])
        gone = tuple(c for c, g in zip(ids, gaps, strict=True) if g)
        filled = ""
        if gone:
            filled = "blank"
            if policy == "median" and not gaps.all():
                median = float(np.median(measured[~gaps, j]))
                values[gaps, j] = median
                filled = f"median = {median:.6g}"
            part.warnings.append(
                SettingWarning(
                    f"{leaf}: no value for {len(gone)} customer(s) ({', '.join(gone)}); "
                    + ("left blank" if filled == "blank" else f"filled with the {filled}"),
                    path=toml,
                    where="[indicators] missing",
                )
            )
        sheet.append(replace(part.rows[leaf], missing=gone, filled=filled))
    return values, tuple(sheet)


def absent(customers: Sequence[str], what: str, path: Path) -> SettingWarning:
    """The warning for customers of the case a source does not have."""
    return SettingWarning(
        f"{len(customers)} customer(s) without any {what}: {', '.join(customers)}", path=path
    )


def unknown_warning(unknown: Sequence[str], path: Path) -> SettingWarning:
    shown = ", ".join(unknown[:10]) + (
        f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
    )
    return SettingWarning(
        f"{len(unknown)} customer(s) not in the case's customer list, left out: {shown}", path=path
    )


def indicator_outputs(case: Case, out: Path | None = None) -> tuple[Path, Path]:
    """Where ``ckm indicators`` writes: ``out/customers.csv`` and ``out/indicators.csv``, or
    by default the case's customers file (``[case] customers``, else ``customers.csv``) and
    ``indicators.csv`` beside it."""
    if out is not None:
        return out / "customers.csv", out / SHEET_NAME
    customers = case.customers or case.path / "customers.csv"
    return customers, customers.parent / SHEET_NAME


def write_indicators(
    table: IndicatorTable,
    customers: Path,
    sheet: Path,
    *,
    protect: Sequence[Path] = (),
    command: str = "ckm indicators",
) -> tuple[Path, Path]:
    """Write ``customers.csv`` and the sheet, each atomically, never over a file ckm did not
    write (both are checked before either is written, so a refusal touches nothing).

    Raises
    ------
    OutputError
        A file where an output goes that ckm did not write (or changed since), naming it and
        saying to move it or to pass ``--out``; an input file as an output.
    """
    for out in (customers, sheet):
        try:
            check_file(out, protect=protect)
        except OutputError as exc:
            raise OutputError(
                exc.message,
                path=exc.path,
                hint=f"Move {out.name} away (ckm indicators builds it from the raw exports), or "
                "pass --out DIR to write the table elsewhere",
            ) from None

    def text_writer(content: str) -> Callable[[Path], None]:
        def write(tmp: Path) -> None:
            tmp.write_text(content, encoding="utf-8", newline="")

        return write

    write_file(
        sheet,
        text_writer(table.sheet_csv()),
        protect=protect,
        kind="indicators sheet",
        command=command,
    )
    write_file(
        customers,
        text_writer(table.customers_csv()),
        protect=protect,
        kind="customers",
        command=command,
    )
    return customers, sheet
