"""`ckm weights/run/rank --objective --combine --alpha` and [ranking] tiers through the CLI
(issue 16): the side-by-side table, the guards on stderr, results.json and ranking.csv."""

from __future__ import annotations

import csv
import json
import shutil

import numpy as np
import pytest
from typer.testing import CliRunner

from mcda_ckm.cli.main import app
from mcda_ckm.weights.combine import combine
from tests.conftest import CASE

runner = CliRunner()
TREE = (CASE.parent.parent / "criteria" / "ckm-huang2008.toml").as_posix()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def case_dir(tmp_path):
    dst = tmp_path / "case"
    shutil.copytree(CASE, dst)
    toml = dst / "case.toml"
    text = toml.read_text(encoding="utf-8").replace('tree = "ckm-huang2008"', f'tree = "{TREE}"')
    toml.write_text(text, encoding="utf-8")
    return dst


def edit_customers(folder, column, fn):
    path = folder / "customers.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    j = rows[0].index(column)
    for i, row in enumerate(rows[1:]):
        row[j] = fn(i, row[j])
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def test_weights_prints_the_side_by_side_table(case_dir):
    r = run("weights", case_dir, "--objective", "critic", "--combine", "linear", "--alpha", "0.3")
    assert r.exit_code == 0, r.output
    assert "The panel's weights beside the data's own" in r.stdout
    assert "AHP (panel) ∩ CRITIC" in r.stdout
    assert "At alpha = 0.3 the combined key set holds for alpha from" in r.stdout


def test_weights_json_carries_the_numbers(case_dir):
    r = run("weights", case_dir, "--objective", "std", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)["weighing"]
    assert data["ranks_with"] == "ahp" and data["combine"] is None
    assert sum(data["weights"]["objective"].values()) == pytest.approx(1.0)
    assert data["alpha_sweep"][0]["low"] == 0.0 and data["alpha_sweep"][-1]["high"] == 1.0


def test_alpha_out_of_range_is_refused(case_dir):
    r = run("weights", case_dir, "--objective", "std", "--alpha", "1.5")
    assert r.exit_code == 2


def test_shifted_likert_and_constant_columns_reach_the_cli(case_dir):
    """A column of integers 0..4 reads as a rating item coded from 0 (a declared likert7 column
    off its scale is refused by the customers' reader already); it_support made constant gets
    weight 0 with a message, never NaN."""
    edit_customers(case_dir, "active_contact_frequency", lambda i, v: str(i % 5))
    edit_customers(case_dir, "it_support", lambda i, v: "4")
    r = run("weights", case_dir, "--objective", "entropy", "--json")
    assert r.exit_code == 0, r.output
    assert "active_contact_frequency: integer values 0..4 look like a rating item" in r.stderr
    assert "it_support: every customer has 4" in r.stderr
    weights = json.loads(r.stdout)["weighing"]["weights"]["objective"]
    assert weights["it_support"] == 0.0
    assert all(np.isfinite(v) for v in weights.values())


def test_negative_column_under_entropy_is_exit_2_naming_the_column(case_dir):
    edit_customers(case_dir, "growth_potential", lambda i, v: "-1" if i == 2 else v)
    r = run("weights", case_dir, "--objective", "entropy")
    assert r.exit_code == 2
    assert "growth_potential" in r.stderr and "negative value -1" in r.stderr


def test_run_with_combined_weights_and_tiers_writes_them(case_dir, tmp_path):
    toml = case_dir / "case.toml"
    text = toml.read_text(encoding="utf-8").replace(
        "[ranking]", '[ranking]\ntiers = "closeness"', 1
    )
    toml.write_text(
        text + '\n[weights]\nobjective = "entropy"\ncombine = "multiplicative"\n', encoding="utf-8"
    )
    out = tmp_path / "out"
    r = run("run", case_dir, "--out", out, "--samples", "200", "-q", "--lang", "zh")
    assert r.exit_code == 0, r.output
    data = json.loads((out / "results.zh.json").read_text(encoding="utf-8"))
    w = data["weighing"]
    ref = combine(w["weights"]["ahp"], w["weights"]["objective"], "multiplicative").as_dict()
    assert data["weights"]["global"] == pytest.approx(ref, abs=1e-12)
    assert data["ranking"]["key_sources"] == w["key_sources"]["combined"]
    tiers = data["tiers"]
    assert tiers["rule"] == "closeness" and tiers["parameters"] == {
        "key_at": 0.6,
        "potential_at": 0.4,
    }
    assert 0 <= tiers["stability"]["customers"]["C-04"] <= 1
    rows = list(csv.reader((out / "ranking.zh.csv").open(encoding="utf-8")))
    assert rows[0][-2:] == ["客户层级", "层级稳定性"]
    closeness = {row[1]: float(row[4]) for row in rows[1:]}
    for row in rows[1:]:
        want = (
            "关键客户"
            if closeness[row[1]] >= 0.6
            else "潜在客户"
            if closeness[row[1]] >= 0.4
            else "一般客户"
        )
        assert row[-2] == want
    html = (out / "report.zh.html").read_text(encoding="utf-8")
    assert "专家权重与客观权重对照" in html and "客户分层" in html


def test_rank_with_case_and_objective_tiers_by_closeness(case_dir, tmp_path):
    toml = case_dir / "case.toml"
    text = toml.read_text(encoding="utf-8").replace(
        "[ranking]", '[ranking]\ntiers = "closeness"', 1
    )
    toml.write_text(text, encoding="utf-8")
    out = tmp_path / "scores.csv"
    r = run(
        "rank",
        case_dir / "customers.csv",
        "--case",
        case_dir,
        "--objective",
        "std",
        "--combine",
        "linear",
        "--alpha",
        "0",
        "--out",
        out,
        "--json",
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0][-1] == "tier"
    # alpha = 0: the objective (std) weights alone rank
    std = data["objective"]["weights"]
    assert data["criteria"] == pytest.approx(std, abs=1e-12)
    assert data["tiers"]["rule"] == "closeness"
