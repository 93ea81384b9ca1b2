"""The client's report (issue 15): the summary first, numbers that never round to certainty,
the title block from case.toml, every language its own files, the Chinese report in Chinese,
no absolute path in any output."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mcda_ckm.errors import CaseError
from mcda_ckm.model.case import load_case
from mcda_ckm.report import figures, narrative, pages
from mcda_ckm.report import summary as S
from mcda_ckm.report.writers import output_names, write_report
from mcda_ckm.workflows.study import Study, run_study
from tests.conftest import CASE, FIGHTER, ROOT
from tests.report.test_narrative import NAMES, data_names, english_words


@pytest.fixture(scope="module")
def study() -> Study:
    return run_study(load_case(CASE), samples=300, seed=3)


@pytest.fixture(scope="module")
def both(study, tmp_path_factory) -> Path:
    """One folder, an English run then a Chinese run into it."""
    if figures.cjk_font() is None:
        pytest.skip("no CJK font: the zh figures cannot be drawn")
    out = tmp_path_factory.mktemp("both") / "report"
    write_report(study, out, command="ckm run x")
    write_report(study, out, command="ckm run x --lang zh", lang="zh")
    return out


# --- point 7: a probability that is not 0 or 1 never prints as 0% or 100% --------------------


@pytest.mark.parametrize(
    ("p", "text"),
    [
        (1.0, "100%"),
        (0.0, "0%"),
        (0.9986, "99.9%"),  # the P(key), once printed "100%"
        (0.99996, ">99.9%"),
        (0.004, "0.4%"),
        (0.00002, "<0.1%"),
        (0.56, "56%"),
    ],
)
def test_percent_never_rounds_to_certainty(p, text):
    assert narrative.percent(p) == text


def test_no_rounded_certainty_anywhere_in_the_report(study):
    """Every probability the summary shows that is not exactly 0 or 1 is not 0% / 100%."""
    b = S.briefing(study)
    for src in (*b.key, *b.challengers):
        assert src.probability is not None
        shown = narrative.percent(src.probability)
        if 0 < src.probability < 1:
            assert shown not in ("0%", "100%"), (src.id, src.probability)


def test_plain_words_replace_jargon(study):
    """ "CR after this change", "below/above" rather than "past", headers in words, a glossary."""
    secs = pages.sections(study, command="ckm run x")
    text = pages.to_markdown(secs, "t")
    assert " past " not in text
    assert "after this change" in text
    assert "probability of being a key source" in text and "P(key)" not in text
    assert "consistency ratio" in text
    assert secs[0].key == "summary"
    assert "glossary" in [s.key for s in secs]


# --- point 1: the summary's facts ----------------------------------------------------------


def test_summary_facts_follow_the_stated_rules(study):
    """Firm at P >= 0.9, contested below; challengers outside the key set at P >= 0.1 (or
    entering at the decisive weight's edge); the decisive weight is the tolerance with the
    smallest distance from the current weight to a change of the key set."""
    b = S.briefing(study)
    prob = study.sensitivity.acceptability.key_probability
    ids = list(study.matrix.ids)
    assert [k.id for k in b.key] == list(study.ranking.key_sources)
    for k in b.key:
        assert k.label == ("firm" if prob[ids.index(k.id)] >= 0.9 else "contested")
    for c in b.challengers:
        assert c.id not in study.ranking.key_sources
        assert prob[ids.index(c.id)] >= 0.1 or c.id == b.decisive_side.enters
    gaps = [
        min(
            t.t0 - t.key_low.t if t.key_low.leaves else 9,
            t.key_high.t - t.t0 if t.key_high.leaves else 9,
        )
        for t in study.sensitivity.tolerances
    ]
    assert b.decisive is study.sensitivity.tolerances[gaps.index(min(gaps))]


def test_results_json_carries_the_summary(both):
    data = json.loads((both / "results.json").read_text("utf-8"))
    s = data["summary"]
    assert s["client"] and s["consultant"] and s["status"] == "draft" and s["date"] == "2026-03-31"
    assert [k["id"] for k in s["key_sources"]] == data["ranking"]["key_sources"]
    assert s["decisive_weight"]["side"] in ("below", "above")
    assert s["experts_over_threshold"][0]["expert"] == "sales_director"
    assert s["completed_pairs"][0]["expert"] == "service_manager"
    assert s["completed_pairs"][0]["value"] > 0
    other = s["key_sources_other_policy"]  # Zhou Min (over the threshold) excluded
    assert other["inconsistent_experts"] == "exclude" and len(other["key_sources"]) == 5
    assert len(data["matrix"]["values"]) == 34 and data["clv"]["cash_flows"]["C-01"][0] == 1099.8


# --- the title block from case.toml -------------------------------------------------------


def _case_with(tmp_path: Path, extra: str) -> Path:
    dst = tmp_path / "case"
    shutil.copytree(FIGHTER, dst)
    toml = dst / "case.toml"
    text = toml.read_text("utf-8").replace("../../criteria/", f"{ROOT}/criteria/")
    toml.write_text(text.replace("[case]\n", f"[case]\n{extra}\n", 1), "utf-8")
    return dst


def test_case_toml_gives_client_consultant_status_and_date(tmp_path):
    case = load_case(
        _case_with(
            tmp_path,
            'client = "ACME"\nconsultant = "Li Wei"\nstatus = "final"\ndate = 2026-04-01',
        )
    )
    assert (case.client, case.consultant, case.status, case.date) == (
        "ACME",
        "Li Wei",
        "final",
        "2026-04-01",
    )


def test_status_must_be_draft_or_final(tmp_path):
    with pytest.raises(CaseError, match=r"'done' is not a choice") as exc:
        load_case(_case_with(tmp_path, 'status = "done"'))
    assert exc.value.where == "[case] status"


def test_date_must_be_a_date(tmp_path):
    with pytest.raises(CaseError, match=r"'next week' is not a date") as exc:
        load_case(_case_with(tmp_path, 'date = "next week"'))
    assert exc.value.where == "[case] date"


# --- point 8: each language its own files; the Chinese report in Chinese -------------------


def test_an_english_then_a_chinese_run_leave_both(both):
    for lang in ("en", "zh"):
        for key, name in output_names(lang).items():
            if key != "pdf":
                assert (both / name).exists(), name
    assert 'lang="zh-CN"' in (both / "report.zh.html").read_text("utf-8")
    assert 'lang="en"' in (both / "report.html").read_text("utf-8")[:300]
    assert (both / "ranking.zh.csv").read_text("utf-8").startswith("排名,编号,名称")


class VisibleText(HTMLParser):
    """The text a reader sees: no style, script, or spans marked as another language."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.open: list[tuple[str, bool]] = []  # (tag, hides its text)

    def handle_starttag(self, tag, attrs):
        if tag in ("meta", "img", "br", "link"):
            return
        hides = tag in ("style", "script", "code") or ("lang", "en") in attrs
        self.open.append((tag, hides))

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not any(h for _, h in self.open):
            self.parts.append(data)


def test_the_chinese_report_has_no_english_words(both, study):
    """The visible text of report.zh.html holds no English word outside the allow-list: ids,
    names (customers, experts, client, consultant, methods, authors), units, file names and
    hashes. Bibliographic references and roles typed in English are marked lang="en"."""
    parser = VisibleText()
    parser.feed((both / "report.zh.html").read_text("utf-8"))
    text = re.sub(r"\b[0-9a-f]{64}\b", " ", "".join(parser.parts))
    allowed = {*NAMES, *data_names(study), "ckm run x --lang zh", "Harker"}
    words = english_words(text, allowed)
    assert not words, sorted(set(words))


# --- point 10: no absolute paths; the run's date and time ----------------------------------


def test_no_absolute_path_in_any_output(both):
    roots = {str(Path(CASE).resolve()), str(ROOT.resolve()), str(both.resolve())}
    for f in both.rglob("*"):
        if f.is_file() and f.suffix in (".json", ".md", ".csv", ".html"):
            text = f.read_text("utf-8")
            for root in roots:
                assert root not in text, (f.name, root)
    data = json.loads((both / "results.json").read_text("utf-8"))
    assert data["clv"]["file"] == "cashflows.csv"
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", data["provenance"]["run_at"])
    assert re.search(r"run at \d{4}-\d\d-\d\d \d\d:\d\d", (both / "report.md").read_text("utf-8"))


# --- the CLI: ckm init asks for client and consultant; ckm run speaks the chosen language ----


def test_init_writes_client_and_consultant(tmp_path, monkeypatch):
    from mcda_ckm.model.case import read_case_file
    from tests.cli.test_main import invoke

    monkeypatch.chdir(tmp_path)
    r = invoke("init", "acme", "--client", 'ACME "Tools"', "--consultant", "Li Wei")
    assert r.exit_code == 0, r.stderr
    case = read_case_file(tmp_path / "acme")
    assert (case.client, case.consultant, case.status) == ('ACME "Tools"', "Li Wei", "draft")


def test_run_in_chinese_prints_chinese_and_keeps_the_english_report(tmp_path):
    from tests.cli.test_main import invoke

    if figures.cjk_font() is None:
        pytest.skip("no CJK font")
    out = tmp_path / "rep"
    assert invoke("run", str(CASE), "--out", str(out), "--samples", "200").exit_code == 0
    r = invoke("run", str(CASE), "--out", str(out), "--samples", "200", "--lang", "zh")
    assert r.exit_code == 0, r.stderr
    assert "建议的下一步" in r.stdout and "结论摘要" in r.stdout
    assert "Key customer knowledge sources" not in r.stdout
    assert "report.zh.html" in r.stderr.replace("\n", "")
    assert (out / "report.html").is_file() and (out / "report.zh.html").is_file()


# --- point 6: tables of raw values, CLV, and every judgement -------------------------------


def test_tables_show_raw_values_clv_and_every_judgement(study):
    """The key sources' and challengers' raw values with units; the CLV per customer recomputed
    by hand from cashflows.csv, CLV = sum_i C_i (1 + d)^-i with d = 0.08 over 5 periods
    (case.toml); the judgement table most fragile first with "Showing 12 of N", all N in the
    appendix."""
    import csv

    secs = {s.key: s for s in pages.sections(study, command="x")}
    raw = next(b for b in secs["key"].blocks if isinstance(b, pages.Table))
    assert raw.header[:2] == ["indicator", "unit"]
    assert raw.header[2 : 2 + len(study.ranking.key_sources)] == list(study.ranking.key_sources)
    assert raw.rows[0][1] == "CNY thousand (present value)"
    clv_table = next(b for b in secs["clv"].blocks if isinstance(b, pages.Table))
    shown = {row[0]: float(row[-1].replace(",", "")) for row in clv_table.rows}
    expected: dict[str, float] = {}
    with open(CASE / "cashflows.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):  # customer_id, period, net_cash_flow
            t, c = int(row["period"]), float(row["net_cash_flow"])
            expected[row["customer_id"]] = expected.get(row["customer_id"], 0.0) + c * 1.08**-t
    assert set(shown) == set(expected)
    for cid, value in expected.items():
        assert abs(shown[cid] - value) < 0.051, cid  # shown to 0.1
    sens = secs["sensitivity"].blocks
    m = len(study.sensitivity.judgements)
    assert f"Showing 12 of {m}, most fragile first" in " ".join(
        b for b in sens if isinstance(b, str)
    )
    appendix = next(b for b in secs["appendix"].blocks if isinstance(b, pages.Table))
    assert len(appendix.rows) == m
    steps = [
        min(17 if r[3] == "∞" else int(r[3]), 17 if r[4] == "∞" else int(r[4]))
        for r in appendix.rows
    ]
    assert steps == sorted(steps)


# --- read as a reader would, on both bundled cases -------------------------------------------


@pytest.fixture(scope="module")
def fighter() -> Study:
    return run_study(load_case(FIGHTER), samples=300)


def test_sentences_read_right_on_both_cases(study, fighter):
    """What the screenshots showed: a customer above every other on a dimension is "the
    highest of all customers", never "above 100% of the other customers" (a percentile of 1 is
    not a rounded probability); a verdict starts with a capital ("Less certain: A1 (65%)"
    when no key source is sure); one key source is "the top customer", not "the top 1 are";
    the cross-check's clauses are separated ("agree on 0 of 1; A1 is key only ...")."""
    for s in (study, fighter):
        for i in map(int, s.ranking.top_k):
            en = narrative.key_source_paragraph(s, i, "en")
            zh = narrative.key_source_paragraph(s, i, "zh")
            assert "above 100%" not in en and "高于 100%" not in zh, en
            if s.reading.dimension_percentile[i].max() == 1:
                assert "the highest of all customers" in en and "所有客户中最高" in zh
        verdict = narrative.robustness_verdict(s, "en")
        assert verdict[:1].isupper(), verdict
    assert narrative.robustness_verdict(fighter, "en").startswith("Less certain: A1 (")
    intro = narrative.ranking_intro(fighter, "en")
    assert "the top customer is the key source" in intro and "top 1 are" not in intro
    assert "the methods agree on 0 of 1; A1 is key only" in narrative.cross_check_verdict(
        fighter.cross, "en"
    )
    steps = S.words(fighter, S.briefing(fighter), "en")["steps"]
    assert (
        "Before committing to A1, confirm the fixed weight (case.toml) of Reliability and "
        in (steps[0])
    )
    assert steps[0].endswith("compare it with A3.")


def test_raw_values_are_written_as_data(fighter):
    """Hwang & Yoon's payloads are 20,000 and 21,000 lb: the raw-value table shows them so,
    not "2e+04" and "2.1e+04"."""
    secs = {s.key: s for s in pages.sections(fighter, command="x")}
    raw = next(b for b in secs["key"].blocks if isinstance(b, pages.Table))
    payload = next(row for row in raw.rows if row[0] == "Maximum payload")
    assert payload[2:] == ["20,000", "21,000"]
    assert not any("e+" in cell for row in raw.rows for cell in row)


def test_the_fighters_chinese_report_has_no_english_words(fighter, tmp_path):
    """The same check on the other bundled case (no panel, fixed weights, a flat tree)."""
    if figures.cjk_font() is None:
        pytest.skip("no CJK font: the zh figures cannot be drawn")
    out = write_report(fighter, tmp_path / "r", command="ckm run x --lang zh", lang="zh")
    parser = VisibleText()
    parser.feed((out / "report.zh.html").read_text("utf-8"))
    text = re.sub(r"\b[0-9a-f]{64}\b", " ", "".join(parser.parts))
    words = english_words(text, {*NAMES, *data_names(fighter), "ckm run x --lang zh"})
    assert not words, sorted(set(words))
