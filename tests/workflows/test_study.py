"""Tests of mcda_ckm.workflows.study: the case's typed settings drive the run, and the
command-line overrides replace them one by one."""

from __future__ import annotations

import shutil

import pytest

from mcda_ckm.errors import CaseError, CkmError
from mcda_ckm.model.case import load_case
from mcda_ckm.model.settings import DEFAULT_SEED
from mcda_ckm.workflows.study import run_study
from tests.conftest import CASE, FIGHTER, HUANG


@pytest.fixture
def case_copy(tmp_path):
    dst = tmp_path / "case"
    shutil.copytree(CASE, dst)
    toml = dst / "case.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("../../criteria/ckm-huang2008.toml", HUANG.as_posix()))
    return dst


def append(folder, text):
    toml = folder / "case.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")


def test_ranking_and_sensitivity_come_from_the_case(case_copy):
    append(case_copy, '[sensitivity]\nsamples = 40\nseed = 3\nsource = "uniform"\n')
    toml = case_copy / "case.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("top_k = 5", "top_k = 3"))
    s = run_study(load_case(case_copy))
    assert s.top_k == 3 and len(s.ranking.key_sources) == 3
    assert s.seed == 3 and s.sensitivity is not None
    acc = s.sensitivity.acceptability
    assert (acc.n_samples, acc.source, acc.seed) == (40, "uniform", 3)


def test_overrides_replace_the_case_settings(case_copy):
    s = run_study(load_case(case_copy), top_k=2, samples=30, seed=9, normalization="minmax")
    assert (s.top_k, s.normalization, s.seed) == (2, "minmax", 9)
    assert s.sensitivity is not None and s.sensitivity.acceptability.n_samples == 30


def test_default_seed_is_the_library_default():
    s = run_study(load_case(FIGHTER), samples=20)
    assert s.seed == DEFAULT_SEED


def test_bad_override_is_refused_before_running():
    with pytest.raises(CkmError, match=r"samples: 0 is out of range"):
        run_study(load_case(CASE), samples=0)
    with pytest.raises(CkmError, match=r"top_k: 0 is out of range"):
        run_study(load_case(CASE), top_k=0)


def test_panel_source_with_fixed_weights_is_refused_first():
    with pytest.raises(CaseError, match="this case has fixed weights: there is no panel"):
        run_study(load_case(FIGHTER), source="panel")


def test_clv_comes_from_the_typed_settings(case_copy):
    """The base_potential column is the CLV of cashflows.csv at the case's rate and horizon,
    CLV = sum_{i=1..n} C_i (1 + d)^-i (Huang, Han & Meng 2008), here by hand from the file with
    d = 0.5 (not the case's 0.08) and its five periods."""
    toml = case_copy / "case.toml"
    text = toml.read_text().replace("discount_rate = 0.08", "discount_rate = 0.5")
    toml.write_text(text)
    s = run_study(load_case(case_copy), with_sensitivity=False)
    by_hand: dict[str, float] = {}
    for line in (case_copy / "cashflows.csv").read_text().splitlines()[1:]:
        cid, period, flow = line.split(",")
        by_hand[cid] = by_hand.get(cid, 0.0) + float(flow) * 1.5 ** -int(period)
    column = s.matrix.criteria.index("base_potential")
    got = dict(zip(s.matrix.ids, s.matrix.values[:, column], strict=True))
    assert got == pytest.approx(by_hand, rel=1e-12)


def test_a_negative_clv_is_blamed_on_the_cash_flows_and_their_rows(case_copy):
    """Issue 13, point 7: C-02's flows made losses discount to a negative CLV; the error names
    cashflows.csv and C-02's rows (7 to 11), not the customers file's positive cell."""
    path = case_copy / "cashflows.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    for k in range(6, 11):  # rows 7..11 (header = row 1): C-02, periods 1..5
        cid, period, _ = lines[k].split(",")
        assert cid == "C-02"
        lines[k] = f"{cid},{period},-100"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(
        CkmError,
        match=r"cashflows\.csv: rows 7, 8, 9, 10, 11: customer \"C-02\": "
        r"its cash flows discount to a CLV of -399\.271, negative",
    ):
        run_study(load_case(case_copy), with_sensitivity=False)
    # under min-max normalisation the same flows are fine
    s = run_study(load_case(case_copy), normalization="minmax", with_sensitivity=False)
    assert s.matrix.values[1, 0] == pytest.approx(-100 * sum(1.08**-i for i in range(1, 6)))
