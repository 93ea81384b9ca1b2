"""``[indicators]``: every table, key, type and range checked, naming file, table and key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mcda_ckm.errors import CaseError
from mcda_ckm.model.case import load_case
from mcda_ckm.model.sources import read_indicators
from mcda_ckm.model.tree import CriteriaTree
from tests.workflows.mini_raw import make_case


def test_the_mini_case_reads(tmp_path: Path) -> None:
    case = load_case(make_case(tmp_path))
    s = case.indicators
    assert s is not None and s.contacts is not None and s.survey is not None
    assert s.transactions is not None
    assert s.customers == (tmp_path / "accounts.csv").resolve()
    assert (s.contacts.start, s.contacts.end) == (dt.datetime(2024, 1, 1), dt.datetime(2024, 3, 1))
    assert s.contacts.period_days == 30.0
    assert s.survey.design.scale == (1.0, 5.0)
    assert s.survey.design.constructs[0].reverse == ("trust3_r",)
    assert s.transactions.type_of()["up_sell"] == "growth_potential"
    assert s.source_of()["trust"] == "survey"
    assert len(s.files()) == 4


def base() -> dict:
    return {
        "customers": "a.csv",
        "contacts": {
            "file": "log.csv",
            "start": dt.date(2025, 1, 1),
            "end": dt.date(2026, 1, 1),
            "active_frequency": "active_contact_frequency",
            "acceptance_rate": "passive_acceptance_rate",
            "diversity": "source_diversity",
        },
        "survey": {
            "file": "s.csv",
            "scale": [1, 7],
            "constructs": {
                name: {"items": [f"{name}1", f"{name}2"]}
                for name in (
                    "trust",
                    "perceived_benefit",
                    "prior_knowledge",
                    "employee_motivation",
                    "it_support",
                )
            },
        },
        "transactions": {
            "file": "cash.csv",
            "discount_rate": 0.08,
            "horizon": 5,
            "types": {
                "base_potential": ["base"],
                "growth_potential": ["cross_sell", "up_sell"],
                "networking_potential": ["referral"],
                "learning_potential": ["co_development"],
            },
        },
    }


def read(table: dict, huang: CriteriaTree):
    return read_indicators(table, Path("/case"), huang.leaves, Path("/case/case.toml"))


def test_base_reads(huang: CriteriaTree) -> None:
    settings, warnings = read(base(), huang)
    assert warnings == ()
    assert settings.missing == "blank"
    assert settings.contacts is not None and settings.contacts.accepted == ("accepted",)


def edit(path: tuple[str, ...], value: object) -> dict:
    table = base()
    node = table
    for key in path[:-1]:
        node = node[key]
    if value is DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return table


DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "where", "message"),
    [
        (
            ("missng",),
            "blank",
            "[indicators] missng",
            "unknown key 'missng' (did you mean 'missing'?)",
        ),
        (("missing",), "zero", "[indicators] missing", "'zero' is not a choice"),
        (("customers",), DELETE, "[indicators] customers", "customers is missing"),
        (
            ("contacts", "perod_days"),
            30,
            "[indicators.contacts] perod_days",
            "did you mean 'period_days'",
        ),
        (
            ("contacts", "period_days"),
            "30",
            "[indicators.contacts] period_days",
            "not a finite number",
        ),
        (("contacts", "period_days"), 0, "[indicators.contacts] period_days", "must be > 0"),
        (("contacts", "start"), "last year", "[indicators.contacts] start", "not a date"),
        (("contacts", "end"), dt.date(2024, 1, 1), "[indicators.contacts] end", "window"),
        (
            ("contacts", "diversity"),
            "source_diversty",
            "[indicators.contacts] diversity",
            "did you mean 'source_diversity'",
        ),
        (("contacts", "accepted"), "accepted", "[indicators.contacts] accepted", "not a list"),
        (("survey", "scale"), [7, 1], "[indicators.survey] scale", "low < high"),
        (("survey", "scale"), 7, "[indicators.survey] scale", "not a scale"),
        (
            ("survey", "constructs", "trust"),
            {"items": ["a", "b"], "reverse": ["c"]},
            "[indicators.survey.constructs] trust.reverse",
            "not one of its items",
        ),
        (
            ("survey", "constructs", "trust"),
            {"item": ["a"]},
            "[indicators.survey.constructs.trust] item",
            "did you mean 'items'",
        ),
        (
            ("survey", "constructs", "trust"),
            {"items": ["it_support1"]},
            "[indicators.survey.constructs] it_support.items",
            "item 'it_support1' is also an item of 'trust'",
        ),
        (
            ("transactions", "discount_rate"),
            -0.1,
            "[indicators.transactions] discount_rate",
            "out of range",
        ),
        (
            ("transactions", "horizon"),
            2.5,
            "[indicators.transactions] horizon",
            "not a whole number",
        ),
        (
            ("transactions", "horizon"),
            DELETE,
            "[indicators.transactions] horizon",
            "horizon is missing",
        ),
        (
            ("transactions", "types", "base_potential"),
            ["referral"],
            "[indicators.transactions.types] networking_potential",
            "also feeds 'base_potential'",
        ),
        (("transactions", "file"), DELETE, "[indicators.transactions] file", "file is missing"),
    ],
)
def test_bad_settings_name_the_file_table_and_key(
    huang: CriteriaTree, path: tuple[str, ...], value: object, where: str, message: str
) -> None:
    with pytest.raises(CaseError) as caught:
        read(edit(path, value), huang)
    assert caught.value.path == Path("/case/case.toml")
    assert caught.value.where == where
    assert message in caught.value.message


def test_a_leaf_fed_twice_is_refused(huang: CriteriaTree) -> None:
    table = edit(("transactions", "types", "trust"), ["gift"])
    with pytest.raises(CaseError, match="'trust' is fed by both"):
        read(table, huang)


def test_a_leaf_fed_by_no_source_is_refused(huang: CriteriaTree) -> None:
    table = edit(("contacts", "diversity"), DELETE)
    with pytest.raises(CaseError, match=r"no source for the indicator\(s\) source_diversity"):
        read(table, huang)


def test_a_percentage_rate_is_a_warning(huang: CriteriaTree) -> None:
    _, warnings = read(edit(("transactions", "discount_rate"), 8), huang)
    assert "did you mean 8% (0.08)?" in str(warnings[0])


def test_unknown_table_key_in_case_toml_names_it(tmp_path: Path) -> None:
    folder = make_case(tmp_path)
    toml = folder / "case.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("[indicators.survey]", "[indicators.surveys]"),
        encoding="utf-8",
    )
    with pytest.raises(CaseError, match=r"unknown key 'surveys' \(did you mean 'survey'"):
        load_case(folder)
