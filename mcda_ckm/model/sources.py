"""The raw exports a case's indicators are built from: ``[indicators]`` of ``case.toml``.

Huang, Han & Meng (2008) place the twelve indicators in a CRM / data-warehouse setting: they are
meant to come from the firm's own records, not from a hand-kept spreadsheet. ``[indicators]``
names those records and says which indicator each one feeds::

    [indicators]
    customers = "exports/accounts.csv"     # the case's customers: id, name
    missing = "median"                     # or "blank" (default): see MISSING_POLICIES

    [indicators.contacts]                  # a contact log -> three willingness indicators
    file = "exports/contact-log.csv"
    start = 2025-01-01                     # the window [start, end)
    end = 2026-01-01
    period_days = 365                      # frequency per year
    accepted = ["accepted"]                # outcomes that accept a firm's contact
    active_frequency = "active_contact_frequency"
    acceptance_rate = "passive_acceptance_rate"
    diversity = "source_diversity"

    [indicators.survey]                    # survey responses -> construct scores
    file = "exports/survey.csv"
    scale = [1, 7]
    [indicators.survey.constructs]
    trust = { items = ["trust1", "trust2", "trust3_r"], reverse = ["trust3_r"] }

    [indicators.transactions]              # typed cash flows -> present values
    file = "exports/cash-flows.csv"
    discount_rate = 0.08
    horizon = 5
    [indicators.transactions.types]
    base_potential = ["base"]
    growth_potential = ["cross_sell", "up_sell"]
    networking_potential = ["referral"]

Every indicator of the tree must be fed by exactly one source, so that the customers file built
from them matches the tree. The reader checks every table, key, type and range here, before any
file is read, naming the file, the table and the key, with a "did you mean" for a misspelt key,
choice or indicator (the helpers of :mod:`mcda_ckm.model.settings`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from mcda_ckm.errors import CaseError
from mcda_ckm.model.survey import Construct, SurveyDesign
from mcda_ckm.model.values import (
    SettingWarning,
    as_table,
    check_keys,
    choice,
    did_you_mean,
    real_number,
    text,
    whole_number,
)

__all__ = [
    "CONTACT_MEASURES",
    "INDICATORS_KEYS",
    "MISSING_POLICIES",
    "ContactSource",
    "IndicatorSettings",
    "MissingPolicy",
    "SurveySource",
    "TransactionSource",
    "read_indicators",
]

MissingPolicy = Literal["blank", "median"]
MISSING_POLICIES: tuple[MissingPolicy, ...] = get_args(MissingPolicy)
"""What a customer missing from a source gets in ``customers.csv``: ``"blank"`` (the default:
the cell stays empty and ``ckm run`` refuses the file until someone fills it, so nothing is
invented) or ``"median"`` (the median of the other customers' values, named in the indicators
sheet and in a warning). Never 0, which would read as "measured, and none"."""

CONTACT_MEASURES: tuple[str, ...] = ("active_frequency", "acceptance_rate", "diversity")
"""What a contact log measures (:mod:`mcda_ckm.large.contacts`); each key names the leaf fed."""

INDICATORS_KEYS: tuple[str, ...] = (
    "customers",
    "id_column",
    "name_column",
    "missing",
    "contacts",
    "survey",
    "transactions",
)
"""The keys of ``[indicators]`` (three of them sub-tables)."""
CONTACT_KEYS: tuple[str, ...] = (
    "file",
    "start",
    "end",
    "period_days",
    "accepted",
    "customer_column",
    "time_column",
    "initiator_column",
    "outcome_column",
    "channel_column",
    *CONTACT_MEASURES,
)
SURVEY_KEYS: tuple[str, ...] = (
    "file",
    "scale",
    "customer_column",
    "respondent_column",
    "constructs",
)
CONSTRUCT_KEYS: tuple[str, ...] = ("items", "reverse")
TRANSACTION_KEYS: tuple[str, ...] = (
    "file",
    "discount_rate",
    "horizon",
    "customer_column",
    "period_column",
    "type_column",
    "amount_column",
    "types",
)


@dataclass(frozen=True)
class ContactSource:
    """``[indicators.contacts]``: the contact log, its window and the leaves it feeds.

    Attributes
    ----------
    file : Path
        Resolved against the case folder.
    start, end : datetime.datetime
        The window ``[start, end)``.
    period_days : float
        The frequency's period (365: contacts per year).
    accepted : tuple of str
        Outcomes that accept a firm-initiated contact.
    columns : tuple of str
        The log's customer, time, initiator, outcome and channel columns, in that order.
    feeds : tuple of (str, str)
        (measure, leaf) pairs, measures from :data:`CONTACT_MEASURES`.
    """

    file: Path
    start: dt.datetime
    end: dt.datetime
    period_days: float
    accepted: tuple[str, ...]
    columns: tuple[str, str, str, str, str]
    feeds: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SurveySource:
    """``[indicators.survey]``: the responses file and its design (one construct per leaf)."""

    file: Path
    design: SurveyDesign

    @property
    def feeds(self) -> tuple[tuple[str, str], ...]:
        """(construct, leaf) pairs: a construct is named by the leaf it feeds."""
        return tuple((c.name, c.name) for c in self.design.constructs)


@dataclass(frozen=True)
class TransactionSource:
    """``[indicators.transactions]``: typed cash flows, discounted per leaf.

    Attributes
    ----------
    file : Path
    discount_rate : float
        Per period, as a fraction.
    horizon : int
        Periods 1..horizon.
    columns : tuple of str
        The customer, period, type and amount columns, in that order.
    types : tuple of (str, tuple of str)
        (leaf, transaction types) pairs: the leaf is the present value of those types' flows.
    """

    file: Path
    discount_rate: float
    horizon: int
    columns: tuple[str, str, str, str]
    types: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def feeds(self) -> tuple[tuple[str, str], ...]:
        return tuple((leaf, leaf) for leaf, _ in self.types)

    def type_of(self) -> dict[str, str]:
        """Each transaction type's leaf."""
        return {t: leaf for leaf, kinds in self.types for t in kinds}


@dataclass(frozen=True)
class IndicatorSettings:
    """``[indicators]``, checked: the customer list, the sources and the missing-value policy."""

    customers: Path
    id_column: str = "id"
    name_column: str = "name"
    missing: MissingPolicy = "blank"
    contacts: ContactSource | None = None
    survey: SurveySource | None = None
    transactions: TransactionSource | None = None

    def files(self) -> tuple[Path, ...]:
        """Every file read: the customer list, then each source's."""
        return (
            self.customers,
            *(s.file for s in (self.contacts, self.survey, self.transactions) if s is not None),
        )

    def source_of(self) -> dict[str, str]:
        """Each fed leaf's source: "contacts", "survey" or "transactions"."""
        found: dict[str, str] = {}
        for name in ("contacts", "survey", "transactions"):
            source = getattr(self, name)
            if source is not None:
                found.update({leaf: name for _, leaf in source.feeds})
        return found


def as_datetime(value: Any, where: str, path: Path | None) -> dt.datetime:
    """A TOML date, date-time or ISO text as a naive datetime (UTC for a zoned one)."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    raise CaseError(
        f"{value!r} is not a date",
        path=path,
        where=where,
        hint="Write a date without quotes, e.g. 2025-01-01, or a date-time 2025-01-01T08:00:00",
    )


def texts(value: Any, where: str, path: Path | None) -> tuple[str, ...]:
    """A non-empty list of distinct strings."""
    if not isinstance(value, list) or not value:
        raise CaseError(
            f"{value!r} is not a list of names",
            path=path,
            where=where,
            hint='Write a list in brackets, e.g. ["a", "b"]',
        )
    names = tuple(text(v, where, path) for v in value)
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise CaseError(f"{twice[0]!r} is listed twice", path=path, where=where)
    return names


def leaf(value: Any, where: str, leaves: tuple[str, ...], path: Path | None) -> str:
    """``value`` if it is a leaf of the tree."""
    name = text(value, where, path)
    if name not in leaves:
        raise CaseError(
            f"{name!r} is not an indicator of the tree{did_you_mean(name, leaves)}",
            path=path,
            where=where,
            hint=f"Indicators: {', '.join(leaves)}",
        )
    return name


def file_key(table: Mapping[str, Any], section: str, folder: Path, path: Path | None) -> Path:
    if "file" not in table:
        raise CaseError(
            "file is missing",
            path=path,
            where=f"[{section}] file",
            hint=f'Name the export, e.g. file = "exports/{section.split(".")[-1]}.csv"',
        )
    return (folder / text(table["file"], f"[{section}] file", path)).resolve()


def read_contacts(
    table: Any, folder: Path, leaves: tuple[str, ...], path: Path | None
) -> ContactSource:
    section = "indicators.contacts"
    table = as_table(table, section, path)
    check_keys(table, CONTACT_KEYS, section, path)
    file = file_key(table, section, folder, path)
    for key in ("start", "end"):
        if key not in table:
            raise CaseError(
                f"{key} is missing",
                path=path,
                where=f"[{section}] {key}",
                hint="Give the window [start, end) as dates, e.g. start = 2025-01-01",
            )
    start = as_datetime(table["start"], f"[{section}] start", path)
    end = as_datetime(table["end"], f"[{section}] end", path)
    if not start < end:
        raise CaseError(
            f"the window [{start}, {end}) is empty",
            path=path,
            where=f"[{section}] end",
            hint="Put end after start",
        )
    period = real_number(table.get("period_days", 30), f"[{section}] period_days", path)
    if not period > 0:
        raise CaseError(
            f"{period!r} is out of range: must be > 0",
            path=path,
            where=f"[{section}] period_days",
            hint="365 counts contacts per year, 30 per month",
        )
    accepted = texts(table.get("accepted", ["accepted"]), f"[{section}] accepted", path)
    defaults = ("customer", "time", "initiator", "outcome", "channel")
    columns = tuple(
        text(table.get(f"{name}_column", name), f"[{section}] {name}_column", path)
        for name in defaults
    )
    feeds = tuple(
        (m, leaf(table[m], f"[{section}] {m}", leaves, path))
        for m in CONTACT_MEASURES
        if m in table
    )
    if not feeds:
        raise CaseError(
            "the log feeds no indicator",
            path=path,
            where=f"[{section}]",
            hint="Name the leaf each measure feeds, e.g. active_frequency = "
            '"active_contact_frequency" (measures: ' + ", ".join(CONTACT_MEASURES) + ")",
        )
    return ContactSource(
        file=file,
        start=start,
        end=end,
        period_days=period,
        accepted=accepted,
        columns=(columns[0], columns[1], columns[2], columns[3], columns[4]),
        feeds=feeds,
    )


def read_survey_source(
    table: Any, folder: Path, leaves: tuple[str, ...], path: Path | None
) -> SurveySource:
    section = "indicators.survey"
    table = as_table(table, section, path)
    check_keys(table, SURVEY_KEYS, section, path)
    file = file_key(table, section, folder, path)
    scale_value = table.get("scale", [1, 5])
    where = f"[{section}] scale"
    if not isinstance(scale_value, list) or len(scale_value) != 2:
        raise CaseError(
            f"{scale_value!r} is not a scale [low, high]",
            path=path,
            where=where,
            hint="Write the lowest and highest answer, e.g. scale = [1, 7]",
        )
    lo, hi = (real_number(v, where, path) for v in scale_value)
    if not lo < hi:
        raise CaseError(f"the scale [{lo:g}, {hi:g}] needs low < high", path=path, where=where)
    constructs_table = as_table(table.get("constructs", {}), f"{section}.constructs", path)
    if not constructs_table:
        raise CaseError(
            "no constructs",
            path=path,
            where=f"[{section}.constructs]",
            hint="Name each leaf the survey measures and its items, e.g. trust = { items = "
            '["trust1", "trust2"], reverse = [] }',
        )
    constructs = []
    owner: dict[str, str] = {}
    for name, value in constructs_table.items():
        at = f"[{section}.constructs] {name}"
        leaf(name, at, leaves, path)
        spec = as_table(value, f"{section}.constructs.{name}", path)
        check_keys(spec, CONSTRUCT_KEYS, f"{section}.constructs.{name}", path)
        if "items" not in spec:
            raise CaseError(
                "items is missing", path=path, where=f"{at}.items", hint="List its columns"
            )
        items = texts(spec["items"], f"{at}.items", path)
        reverse = texts(spec["reverse"], f"{at}.reverse", path) if spec.get("reverse") else ()
        stray = [r for r in reverse if r not in items]
        if stray:
            raise CaseError(
                f"reverse-coded item {stray[0]!r} is not one of its items"
                + did_you_mean(stray[0], items),
                path=path,
                where=f"{at}.reverse",
            )
        for item in items:
            if item in owner:
                raise CaseError(
                    f"item {item!r} is also an item of {owner[item]!r}",
                    path=path,
                    where=f"{at}.items",
                    hint="Give each item to one construct",
                )
            owner[item] = name
        constructs.append(Construct(name, items, reverse))
    columns = {
        key: text(table.get(key, default), f"[{section}] {key}", path)
        for key, default in (("customer_column", "customer"), ("respondent_column", "respondent"))
    }
    design = SurveyDesign(tuple(constructs), (lo, hi), **columns)
    return SurveySource(file=file, design=design)


def read_transactions(
    table: Any, folder: Path, leaves: tuple[str, ...], path: Path | None
) -> tuple[TransactionSource, tuple[SettingWarning, ...]]:
    section = "indicators.transactions"
    table = as_table(table, section, path)
    check_keys(table, TRANSACTION_KEYS, section, path)
    file = file_key(table, section, folder, path)
    for key in ("discount_rate", "horizon", "types"):
        if key not in table:
            raise CaseError(
                f"{key} is missing",
                path=path,
                where=f"[{section}] {key}",
                hint=f"[{section}] needs file, discount_rate, horizon and [{section}.types]",
            )
    rate = real_number(table["discount_rate"], f"[{section}] discount_rate", path, low=0.0)
    horizon = whole_number(table["horizon"], f"[{section}] horizon", path, low=1)
    warnings: tuple[SettingWarning, ...] = ()
    if rate > 1:
        warnings = (
            SettingWarning(
                f"discount_rate = {table['discount_rate']!r}: did you mean {rate:g}% "
                f"({rate / 100:g})? The rate is a fraction per period; used as {rate:.0%}",
                path=path,
                where=f"[{section}] discount_rate",
            ),
        )
    columns = tuple(
        text(table.get(f"{name}_column", name), f"[{section}] {name}_column", path)
        for name in ("customer", "period", "type", "amount")
    )
    types_table = as_table(table["types"], f"{section}.types", path)
    types = []
    seen: dict[str, str] = {}
    for name, kinds in types_table.items():
        at = f"[{section}.types] {name}"
        leaf(name, at, leaves, path)
        found = texts(kinds, at, path)
        for kind in found:
            if kind in seen:
                raise CaseError(
                    f"transaction type {kind!r} also feeds {seen[kind]!r}",
                    path=path,
                    where=at,
                    hint="Give each type to one indicator",
                )
            seen[kind] = name
        types.append((name, found))
    if not types:
        raise CaseError(
            "no types",
            path=path,
            where=f"[{section}.types]",
            hint='Map each leaf to its transaction types, e.g. base_potential = ["base"]',
        )
    source = TransactionSource(
        file=file,
        discount_rate=rate,
        horizon=horizon,
        columns=(columns[0], columns[1], columns[2], columns[3]),
        types=tuple(types),
    )
    return source, warnings


def read_indicators(
    table: Mapping[str, Any], folder: Path, leaves: Iterable[str], path: Path | None = None
) -> tuple[IndicatorSettings, tuple[SettingWarning, ...]]:
    """``[indicators]`` and its sub-tables, checked against the tree's ``leaves``.

    Raises
    ------
    CaseError
        Naming the file, the table and the key: an unknown key (with a did-you-mean), a value of
        the wrong type or out of range, a leaf that is not in the tree, a leaf fed by two
        sources, or a leaf fed by none (the customers file would not match the tree).
    """
    leaves = tuple(leaves)
    table = as_table(table, "indicators", path)
    check_keys(table, INDICATORS_KEYS, "indicators", path)
    if "customers" not in table:
        raise CaseError(
            "customers is missing",
            path=path,
            where="[indicators] customers",
            hint="Name the list of the case's customers (id, name), e.g. customers = "
            '"exports/accounts.csv": a customer absent from a source is told from it',
        )
    customers = (folder / text(table["customers"], "[indicators] customers", path)).resolve()
    missing = choice(table.get("missing", "blank"), MISSING_POLICIES, "[indicators] missing", path)
    contacts = (
        read_contacts(table["contacts"], folder, leaves, path) if "contacts" in table else None
    )
    survey = (
        read_survey_source(table["survey"], folder, leaves, path) if "survey" in table else None
    )
    transactions, warnings = (
        read_transactions(table["transactions"], folder, leaves, path)
        if "transactions" in table
        else (None, ())
    )
    fed: dict[str, str] = {}
    for name, source in (
        ("contacts", contacts),
        ("survey", survey),
        ("transactions", transactions),
    ):
        if source is None:
            continue
        for _, target in source.feeds:
            if target in fed:
                raise CaseError(
                    f"{target!r} is fed by both [indicators.{fed[target]}] and [indicators.{name}]",
                    path=path,
                    where=f"[indicators.{name}]",
                    hint="Let one source feed each indicator",
                )
            fed[target] = name
    unfed = [x for x in leaves if x not in fed]
    if unfed:
        raise CaseError(
            "no source for the indicator(s) " + ", ".join(unfed),
            path=path,
            where="[indicators]",
            hint="Every leaf of the tree needs a source, so that customers.csv matches the tree: "
            "a contact measure, a survey construct or a transaction type",
        )
    settings = IndicatorSettings(
        customers=customers,
        id_column=text(table.get("id_column", "id"), "[indicators] id_column", path),
        name_column=text(table.get("name_column", "name"), "[indicators] name_column", path),
        missing=missing,
        contacts=contacts,
        survey=survey,
        transactions=transactions,
    )
    return settings, warnings
