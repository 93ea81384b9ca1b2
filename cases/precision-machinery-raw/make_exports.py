"""Generate the raw CRM exports of the precision-machinery-raw case, once, from a fixed seed.

The 34 customers are those of ``cases/precision-machinery``; their indicator values there are the
"truth" these exports are simulated from, with the noise and the mess of real exports:

* ``exports/accounts.csv``: the customer list (id, name), as the CRM exports it;
* ``exports/contact-log.csv``: one row per contact in 2024-10..2026-01 (the window is calendar
  2025), customer- or firm-initiated, with an outcome and a channel; initiators typed in
  mixed case with stray spaces, some channels blank, a few contacts outside the window;
  customer C-29 has no contact at all (the firm lost touch);
* ``exports/survey-responses.csv``: 1-4 respondents per customer answering 14 items on a 1-7
  scale, ``trust3_r`` and ``motivation3_r`` worded the other way round (reverse-coded), some
  answers left blank; customers C-15 and C-26 sent no questionnaire back;
* ``exports/cash-flows.csv``: transactions by period (1..5) and type (base, cross_sell,
  up_sell, referral, co_development), several rows per period, credits as negative amounts.

Run from the repository root (the files are committed; rerunning rewrites them identically)::

    python cases/precision-machinery-raw/make_exports.py
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
TRUTH = HERE.parent / "precision-machinery" / "customers.csv"
SEED = 20260331
CHANNELS = (
    "email",
    "phone",
    "wechat",
    "onsite_visit",
    "plant_tour",
    "trade_fair",
    "tech_seminar",
    "webinar",
    "service_ticket",
    "customer_portal",
    "joint_project_meeting",
    "user_group",
)
START, END = dt.datetime(2025, 1, 1), dt.datetime(2026, 1, 1)
NO_CONTACTS = ("C-29",)
NO_SURVEY = ("C-15", "C-26")
ITEMS = {
    "trust": ("trust1", "trust2", "trust3_r"),
    "perceived_benefit": ("benefit1", "benefit2", "benefit3"),
    "prior_knowledge": ("knowledge1", "knowledge2", "knowledge3"),
    "employee_motivation": ("motivation1", "motivation2", "motivation3_r"),
    "it_support": ("it1", "it2"),
}
ROLES = ("purchasing", "engineering", "quality", "plant_manager")
DISCOUNT = 0.08
HORIZON = 5


def read_truth() -> list[dict[str, str]]:
    with TRUTH.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write(name: str, header: list[str], rows: list[list[object]]) -> None:
    with (HERE / "exports" / name).open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


def moment(rng: np.random.Generator, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    seconds = int((end - start).total_seconds())
    return start + dt.timedelta(seconds=int(rng.integers(0, seconds)) // 60 * 60)


def contact_log(rng: np.random.Generator, truth: list[dict[str, str]]) -> list[list[object]]:
    rows: list[tuple[dt.datetime, list[object]]] = []
    for c in truth:
        cid = c["id"]
        if cid in NO_CONTACTS:
            continue
        own = int(rng.poisson(float(c["active_contact_frequency"])))
        firm = int(rng.poisson(14)) + 2
        k = max(1, int(c["source_diversity"]))
        channels = list(rng.choice(CHANNELS, size=k, replace=False))
        rate = float(c["passive_acceptance_rate"])
        for who, n in (("customer", own), ("firm", firm)):
            for _ in range(n):
                when = moment(rng, START, END)
                outcome = ""
                if who == "firm":
                    outcome = (
                        "accepted"
                        if rng.random() < rate
                        else str(rng.choice(["declined", "no_answer", "postponed"]))
                    )
                channel = str(rng.choice(channels))
                # Export mess: mixed case and stray spaces, a blank channel now and then.
                initiator = str(rng.choice([who, who, who, who.capitalize(), f" {who} "]))
                if rng.random() < 0.03:
                    channel = ""
                rows.append((when, [cid, when.isoformat(sep=" "), initiator, outcome, channel]))
        # The account team reached the customer at least once through each of its channels.
        for channel in channels:
            when = moment(rng, START, END)
            outcome = "accepted" if rng.random() < rate else "declined"
            rows.append((when, [cid, when.isoformat(sep=" "), "firm", outcome, channel]))
        # The tail of the previous year's log, outside the window.
        for _ in range(int(rng.integers(2, 8))):
            when = moment(rng, dt.datetime(2024, 10, 1), START)
            rows.append((when, [cid, when.isoformat(sep=" "), "firm", "accepted", "email"]))
    rows.sort(key=lambda r: r[0])
    return [r for _, r in rows]


def survey(rng: np.random.Generator, truth: list[dict[str, str]]) -> list[list[object]]:
    rows = []
    for c in truth:
        if c["id"] in NO_SURVEY:
            continue
        for role in rng.choice(ROLES, size=int(rng.integers(1, 5)), replace=False):
            answers: list[object] = []
            for construct, items in ITEMS.items():
                level = float(c[construct])
                for item in items:
                    x = int(np.clip(np.rint(level + rng.normal(0, 0.7)), 1, 7))
                    if item.endswith("_r"):
                        x = 8 - x  # worded the other way round: 1 <-> 7
                    answers.append("" if rng.random() < 0.04 else x)
            rows.append([c["id"], str(role), *answers])
    return rows


def cash_flows(rng: np.random.Generator, truth: list[dict[str, str]]) -> list[list[object]]:
    annuity = sum((1 + DISCOUNT) ** -i for i in range(1, HORIZON + 1))
    parts = {
        "base": ("base_potential", 1.0),
        "cross_sell": ("growth_potential", 0.6),
        "up_sell": ("growth_potential", 0.4),
        "referral": ("networking_potential", 1.0),
        "co_development": ("learning_potential", 1.0),
    }
    rows = []
    for c in truth:
        for period in range(1, HORIZON + 1):
            for kind, (column, share) in parts.items():
                per_period = float(c[column]) * share / annuity
                if kind != "base" and rng.random() < 0.25:
                    continue  # no such deal this period
                pieces = int(rng.integers(1, 4))
                amounts = per_period * rng.dirichlet(np.ones(pieces)) * rng.normal(1, 0.15)
                for amount in amounts:
                    rows.append([c["id"], period, kind, round(float(amount), 1)])
                if kind == "base" and rng.random() < 0.1:
                    rows.append([c["id"], period, kind, round(-0.05 * per_period, 1)])  # credit
    return rows


def main() -> None:
    rng = np.random.default_rng(SEED)
    truth = read_truth()
    (HERE / "exports").mkdir(exist_ok=True)
    write("accounts.csv", ["id", "name"], [[c["id"], c["name"]] for c in truth])
    write(
        "contact-log.csv",
        ["account_id", "contact_time", "initiator", "outcome", "channel"],
        contact_log(rng, truth),
    )
    items = [i for group in ITEMS.values() for i in group]
    write("survey-responses.csv", ["customer", "respondent", *items], survey(rng, truth))
    write("cash-flows.csv", ["customer", "period", "type", "amount"], cash_flows(rng, truth))


if __name__ == "__main__":
    main()
