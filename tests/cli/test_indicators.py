"""``ckm indicators``: summary on stdout, warnings on stderr, exit 2 naming file/row/column,
and no overwrite of a customers file ckm did not write."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from mcda_ckm.cli.main import app
from tests.workflows.mini_raw import make_case

runner = CliRunner()


def invoke(*args: object):
    return runner.invoke(app, ["indicators", *(str(a) for a in args)])


def test_writes_both_files_and_prints_the_summary(tmp_path: Path) -> None:
    case = make_case(tmp_path / "case")
    r = invoke(case)
    assert r.exit_code == 0, r.stderr
    assert (case / "customers.csv").is_file() and (case / "indicators.csv").is_file()
    assert "3 customers, 12 indicators from the contact log, the survey, the cash flows" in r.stdout
    assert "Cronbach's alpha of trust: 0.964 (3 items, 3 complete answers)" in r.stdout
    assert "3 survey respondents, 0 to 2 per customer" in r.stdout
    assert "C missing from the survey: no respondent" in r.stdout
    assert "C missing from the cash flows: no cash flow" in r.stdout
    assert "warning:" in r.stderr and "left blank" in r.stderr
    # A second run replaces what the first wrote.
    assert invoke(case).exit_code == 0


def test_chinese_summary(tmp_path: Path) -> None:
    r = invoke(make_case(tmp_path / "case"), "--lang", "zh")
    assert r.exit_code == 0, r.stderr
    assert "trust 的克朗巴哈系数：0.964" in r.stdout
    assert "C 在客户问卷中缺失：无人回答问卷" in r.stdout


def test_bad_row_exits_2_naming_file_row_and_column(tmp_path: Path) -> None:
    case = make_case(tmp_path / "case", cash="customer,period,type,amount\nA,1,base,x1\n")
    r = invoke(case)
    assert r.exit_code == 2
    assert "cash.csv" in r.stderr and 'row 2, column "amount"' in r.stderr
    assert not (case / "customers.csv").exists()


def test_hand_made_customers_file_is_refused(tmp_path: Path) -> None:
    case = make_case(tmp_path / "case")
    (case / "customers.csv").write_text("id,name\nA,mine\n", encoding="utf-8")
    r = invoke(case)
    assert r.exit_code == 2
    assert "customers.csv" in r.stderr and "ckm did not write it" in r.stderr
    assert "Move customers.csv away" in r.stderr and "--out" in r.stderr
    assert (case / "customers.csv").read_text(encoding="utf-8") == "id,name\nA,mine\n"
    out = tmp_path / "elsewhere"
    r = invoke(case, "--out", out, "-q")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "customers.csv",
        "indicators.csv",
    ]
