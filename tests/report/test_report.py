"""Tests of the study pipeline and the report folder (report.html, report.md, results.json,
ranking.csv, figures), including escaping, CSV neutralisation and atomic writing."""

from __future__ import annotations

import csv
import io
import json
import shutil

import numpy as np
import pytest

from mcda_ckm.errors import CkmError
from mcda_ckm.files import csv_cell
from mcda_ckm.model.case import load_case
from mcda_ckm.ranking.clv import clv
from mcda_ckm.report import figures, pages
from mcda_ckm.report.results import ranking_csv, study_to_dict
from mcda_ckm.report.writers import write_report
from mcda_ckm.workflows.study import run_study
from tests.conftest import CASE, FIGHTER, ROOT


@pytest.fixture(scope="module")
def study():
    return run_study(load_case(CASE), samples=800, seed=5)


def test_study_uses_the_panel_and_the_cash_flows(study):
    """base_potential is recomputed from cashflows.csv by CLV = sum C_i (1+d)^-i with d = 0.08
    over 5 periods (Huang, Han & Meng 2008); customers.csv holds the same values rounded to
    0.1, computed by hand when the case was written."""
    cf = study.cash_flows
    assert cf is not None and cf.discount_rate == 0.08 and cf.horizon == 5
    col = study.matrix.criteria.index("base_potential")
    np.testing.assert_allclose(study.matrix.values[:, col], cf.clv)
    raw = load_case(CASE)
    from mcda_ckm.model.matrix import load_customers

    original = load_customers(raw.file("customers"), raw.tree).values[:, col]
    np.testing.assert_allclose(cf.clv, original, atol=0.05 + 1e-9)
    assert cf.clv[0] == pytest.approx(clv(cf.flows[0], 0.08))
    assert study.ranking.k == 5 and len(study.ranking.key_sources) == 5
    assert study.sensitivity is not None and study.seed == 5


def test_fixed_weight_case_reproduces_hwang_yoon():
    """Hwang & Yoon (1981), Multiple Attribute Decision Making, pp. 131-134: closeness of the
    four fighter aircraft 0.643, 0.268, 0.614 (0.6135), 0.312; A1 first."""
    s = run_study(load_case(FIGHTER), samples=300)
    np.testing.assert_allclose(s.ranking.closeness, [0.643, 0.268, 0.614, 0.312], atol=1e-3)
    assert s.ranking.key_sources == ("A1",)
    assert s.sensitivity.acceptability.source == "around" and s.panel is None


def test_json_has_every_section_and_provenance(study):
    data = json.loads(json.dumps(study_to_dict(study, "ckm run x")))
    for key in ("panel", "ranking", "cross_check", "sensitivity", "clv", "provenance"):
        assert data[key] is not None, key
    prov = data["provenance"]
    assert prov["seed"] == 5 and prov["command"] == "ckm run x"
    assert "customers.csv" in prov["inputs_sha256"] and "cashflows.csv" in prov["inputs_sha256"]
    assert len(next(iter(prov["inputs_sha256"].values()))) == 64
    probs = data["sensitivity"]["smaa"]["key_probability"]
    assert sum(probs.values()) == pytest.approx(5)


def test_ranking_csv_is_best_first_and_neutralised(study):
    rows = list(csv.DictReader(io.StringIO(ranking_csv(study))))
    assert [int(r["rank"]) for r in rows] == list(range(1, len(rows) + 1))
    assert sum(r["key_source"] == "yes" for r in rows) == 5


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx"])
def test_csv_injection_is_neutralised(text):
    """OWASP CSV injection: a cell starting with = + - @ or a tab is prefixed with '."""
    assert csv_cell(text) == "'" + text
    assert csv_cell(-1.5) == "-1.5"


@pytest.fixture
def hostile_case(tmp_path):
    """The bundled case with a customer and an expert named like an attack."""
    dst = tmp_path / "case"
    shutil.copytree(CASE, dst)
    toml = dst / "case.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("../../criteria/", f"{ROOT}/criteria/"),
        encoding="utf-8",
    )
    cust = dst / "customers.csv"
    text = cust.read_text(encoding="utf-8").replace(
        "Shanghai Jinqiao E-Drive Systems", '"<script>alert(1)</script>=HYPERLINK(""x"")"'
    )
    text = text.replace("Suzhou Hengli Auto Parts", "=cmd|' /C calc'!A0")
    cust.write_text(text, encoding="utf-8")
    expert = dst / "panel" / "rd_director.toml"
    expert.write_text(
        expert.read_text(encoding="utf-8").replace('name = "Chen Jianguo"', 'name = "<b>Chen</b>"'),
        encoding="utf-8",
    )
    return dst


def test_html_escapes_case_text_and_csv_neutralises(hostile_case, tmp_path):
    s = run_study(load_case(hostile_case), samples=200)
    out = write_report(s, tmp_path / "rep")
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>Chen</b>" not in page and "&lt;b&gt;Chen&lt;/b&gt;" in page
    rows = list(csv.reader((out / "ranking.csv").open(encoding="utf-8")))
    names = [r[2] for r in rows[1:]]
    assert '\'<script>alert(1)</script>=HYPERLINK("x")' not in names  # starts with <, kept
    assert any(n.startswith("<script>") for n in names)
    assert "'=cmd|' /C calc'!A0" in names and "=cmd|' /C calc'!A0" not in names


def test_report_folder_is_complete_and_self_contained(study, tmp_path):
    out = write_report(study, tmp_path / "rep", command="ckm run cases/precision-machinery")
    page = (out / "report.html").read_text(encoding="utf-8")
    for sec in (
        "case",
        "tree",
        "panel",
        "ranking",
        "key",
        "cross",
        "sensitivity",
        "notes",
        "repro",
    ):
        assert f'<section id="{sec}">' in page, sec
    assert page.count("data:image/png;base64,") == len(list((out / "figures").glob("*.png")))
    assert "http://" not in page and "https://" not in page
    assert "saaty-1980" in page and "seed 5" in page
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "](figures/tree.png)" in md and "## Sensitivity" in md


def test_failed_write_leaves_previous_report(study, tmp_path, monkeypatch):
    out = write_report(study, tmp_path / "rep")
    before = (out / "results.json").read_bytes()

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pages, "to_markdown", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        write_report(study, tmp_path / "rep")
    assert (out / "results.json").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rep"]


def test_plot_functions_take_ax_and_return_it(study):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from mcda_ckm import sensitivity as S

    s = study.sensitivity
    fig, axes = plt.subplots(2, 3)
    ids = study.matrix.ids
    got = [
        figures.gradient(S.sweep(s.problem, "trust"), ids, ax=axes[0, 0]),
        figures.tornado(s.tolerances, [t.node for t in s.tolerances], ax=axes[0, 1]),
        figures.acceptability_heatmap(s.acceptability, ids, ax=axes[0, 2]),
        figures.key_probability_bars(s.acceptability, ids, ax=axes[1, 0]),
        figures.tree_diagram(study.case.tree, study.local, study.weights, ax=axes[1, 1]),
    ]
    assert got == [axes[0, 0], axes[0, 1], axes[0, 2], axes[1, 0], axes[1, 1]]
    assert figures.tornado(s.tolerances, [t.node for t in s.tolerances]).figure is not fig
    plt.close("all")


def test_chinese_report_or_clear_message(study, tmp_path, monkeypatch):
    if figures.cjk_font() is None:
        with pytest.raises(CkmError, match="fonts-noto-cjk"):
            write_report(study, tmp_path / "zh", lang="zh")
        return
    out = write_report(study, tmp_path / "zh", lang="zh")
    # each language has its own files (issue 15): report.zh.html
    page = (out / "report.zh.html").read_text(encoding="utf-8")
    assert "敏感性分析" in page and "客户知识价值" in page and 'lang="zh-CN"' in page
    monkeypatch.setattr(figures, "cjk_font", lambda: None)
    with pytest.raises(CkmError, match="apt-get install fonts-noto-cjk"):
        write_report(study, tmp_path / "zh2", lang="zh")


def test_ties_are_listed_in_the_report(tmp_path):
    """Two customers with the same values tie; the report names them in input order."""
    dst = tmp_path / "case"
    shutil.copytree(CASE, dst)
    toml = dst / "case.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("../../criteria/", f"{ROOT}/criteria/"),
        encoding="utf-8",
    )
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('cashflows = "cashflows.csv"\n', ""), encoding="utf-8")
    cust = dst / "customers.csv"
    lines = cust.read_text(encoding="utf-8").splitlines()
    twin = lines[1].split(",", 2)
    lines.append(",".join(["C-99", "Twin of C-01", twin[2]]))
    cust.write_text("\n".join(lines) + "\n", encoding="utf-8")
    s = run_study(load_case(dst), samples=100)
    md = (write_report(s, tmp_path / "rep") / "report.md").read_text(encoding="utf-8")
    assert "Ties (equal closeness, ranked by input order): C-01 = C-99." in md


def test_written_files_get_the_users_usual_mode(tmp_path):
    """Temporary files are private (0600/0700); what is renamed into place is not."""
    import os
    import stat

    from mcda_ckm.files import write_folder, write_text

    mask = os.umask(0o022)
    try:
        folder = write_folder(tmp_path / "f", lambda f: (f / "a.txt").write_text("x"))
        write_text(tmp_path / "b.txt", "y")
    finally:
        os.umask(mask)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "b.txt").stat().st_mode) == 0o644
