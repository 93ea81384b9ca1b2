"""A three-customer case built from raw exports, small enough to compute by hand.

Customers A, B, C; the Huang (2008) tree; window [2024-01-01, 2024-03-01) = 60 days, periods of
30 days; survey on a 1-5 scale; cash flows over 2 periods at 10 %.
"""

from __future__ import annotations

from pathlib import Path

ACCOUNTS = "id,name\nA,Alpha Tools\nB,Beta Gears\nC,Gamma Castings\n"

# Five rows. A: one customer contact (email), two firm contacts (phone accepted, email declined).
# B: one customer contact typed " Customer " (trimmed, lower-cased), one firm contact outside
# the window. C: nothing.
CONTACTS = """customer,time,initiator,outcome,channel
A,2024-01-05,customer,,email
A,2024-01-10,firm,accepted,phone
A,2024-02-01,firm,declined,email
B,2024-02-10, Customer ,,visit
B,2024-03-05,firm,accepted,phone
"""

# Three respondents; trust3_r is reverse-coded (x -> 6 - x on 1..5). C has no respondent.
SURVEY = """customer,respondent,trust1,trust2,trust3_r,benefit1,knowledge1,motivation1,it1
A,buyer,4,5,2,5,3,4,2
A,engineer,2,3,4,3,3,4,2
B,buyer,3,3,3,2,4,1,5
"""

# Two periods at 10 %. A: base 110 (p1), 121 and a credit of -12.1 (p2); cross-sell 55 and
# up-sell 55 (p1); referral 121 (p2). B: base 242 (p2). C: no row.
CASH = """customer,period,type,amount
A,1,base,110
A,2,base,121
A,1,cross_sell,55
A,1,up_sell,55
A,2,referral,121
A,2,base,-12.1
B,2,base,242
"""

CASE_TOML = """[case]
name = "mini raw"
tree = "ckm-huang2008"
customers = "customers.csv"

[weights]
base_potential = 1
growth_potential = 1
networking_potential = 1
learning_potential = 1
active_contact_frequency = 1
passive_acceptance_rate = 1
trust = 1
perceived_benefit = 1
source_diversity = 1
prior_knowledge = 1
employee_motivation = 1
it_support = 1

[indicators]
customers = "accounts.csv"
missing = "{missing}"

[indicators.contacts]
file = "contacts.csv"
start = 2024-01-01
end = 2024-03-01
period_days = 30
active_frequency = "active_contact_frequency"
acceptance_rate = "passive_acceptance_rate"
diversity = "source_diversity"

[indicators.survey]
file = "survey.csv"
scale = [1, 5]

[indicators.survey.constructs]
trust = {{ items = ["trust1", "trust2", "trust3_r"], reverse = [{reverse}] }}
perceived_benefit = {{ items = ["benefit1"] }}
prior_knowledge = {{ items = ["knowledge1"] }}
employee_motivation = {{ items = ["motivation1"] }}
it_support = {{ items = ["it1"] }}

[indicators.transactions]
file = "cash.csv"
discount_rate = 0.10
horizon = 2

[indicators.transactions.types]
base_potential = ["base"]
growth_potential = ["cross_sell", "up_sell"]
networking_potential = ["referral"]
learning_potential = ["co_development"]
"""


def make_case(
    folder: Path, *, missing: str = "blank", reverse: str = '"trust3_r"', **files: str
) -> Path:
    """Write the mini case into ``folder``; ``files`` replaces an export by name (stem)."""
    folder.mkdir(parents=True, exist_ok=True)
    exports = {
        "accounts": ACCOUNTS,
        "contacts": CONTACTS,
        "survey": SURVEY,
        "cash": CASH,
    } | files
    for stem, text in exports.items():
        (folder / f"{stem}.csv").write_text(text, encoding="utf-8")
    (folder / "case.toml").write_text(
        CASE_TOML.format(missing=missing, reverse=reverse), encoding="utf-8"
    )
    return folder
