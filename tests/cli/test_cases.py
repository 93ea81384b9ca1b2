"""Tests of ``ckm init`` and ``ckm trees``, and of cases that travel: a case folder runs from
anywhere, outside the repository, naming its tree by id or carrying its own copy."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from mcda_ckm.cli.main import app
from mcda_ckm.model.tree import load_tree
from tests.conftest import CASE, FIGHTER, ROOT

runner = CliRunner()
QUICK = ("--samples", "200", "--quiet")


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def test_bundled_case_copied_outside_the_repository_runs(tmp_path):
    """The precision-machinery case, copied to a folder outside the clone and run from there
    in a fresh process, names the key sources its README gives: "TOPSIS names C-04, C-27,
    C-22, C-07 and C-06 as the key sources" (cases/precision-machinery/README.md)."""
    assert not tmp_path.is_relative_to(ROOT)
    shutil.copytree(CASE, tmp_path / "precision-machinery")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run(
        [sys.executable, "-m", "mcda_ckm", "run", "precision-machinery", *QUICK, "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    assert result["ranking"]["key_sources"] == ["C-04", "C-27", "C-22", "C-07", "C-06"]
    assert (tmp_path / "out" / "precision-machinery" / "report.html").is_file()


def test_fighter_case_copied_elsewhere_runs(tmp_path, monkeypatch):
    """Hwang & Yoon (1981), pp. 128-140: A1 is the best aircraft, wherever the case is."""
    shutil.copytree(FIGHTER, tmp_path / "fighter")
    monkeypatch.chdir(tmp_path)
    r = invoke("run", "fighter", "--samples", "100", "--quiet", "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["ranking"]["key_sources"] == ["A1"]


def on_scale(v, scale):
    if scale is not None and scale.name == "rate":
        return v / 10
    if scale is not None and scale.name == "likert7":
        return 1 + (v - 1) * 0.75
    return v


def _fill_in(folder):
    """Data for a scaffolded Huang (2008) case: every pair "equal" for every expert, and six
    customers of which C1 is best and C6 worst on every indicator."""
    for path in (folder / "panel").glob("*.toml"):
        text = path.read_text(encoding="utf-8").replace('\n# "', '\n"')
        path.write_text(text, encoding="utf-8")
    header = (folder / "customers.csv").read_text(encoding="utf-8").strip().split(",")
    leaves = header[2:]
    tree = load_tree(folder / "tree.toml")
    scales = [tree.scales[tree.leaves.index(leaf)] for leaf in leaves]
    rows = [",".join(header)]
    values = {"C1": 9, "C2": 6, "C3": 5, "C4": 4, "C5": 3, "C6": 1}
    for k, (cid, v) in enumerate(values.items()):
        # C2..C5 trade off: each is above the others on some indicators
        bump = [
            2 if (i + k) % 4 == 0 and cid not in ("C1", "C6") else 0 for i in range(len(leaves))
        ]
        # values 1..9 mapped onto each indicator's declared scale (rates 0..1, Likert 1..7),
        # increasingly, so that C1 stays the ideal and C6 the anti-ideal
        cells = [on_scale(v + b, scale) for b, scale in zip(bump, scales, strict=True)]
        rows.append(",".join([cid, f"Customer {cid}", *map(str, cells)]))
    (folder / "customers.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return len(leaves)


def test_init_from_an_empty_folder_gives_a_case_that_runs(tmp_path, monkeypatch):
    """``ckm init`` outside the clone, with the default tree: the case carries tree.toml, and
    once filled in, ``ckm run`` accepts it. Hand-derived: all-equal judgements give equal local
    priorities (Saaty 1980), so each of the 12 indicators weighs 1/3 x 1/4 = 1/12; C1 is the
    ideal on every indicator and C6 the anti-ideal, so their TOPSIS closeness is 1 and 0
    (Hwang & Yoon 1981)."""
    monkeypatch.chdir(tmp_path)
    r = invoke("init", "acme", "-e", "Wang Li", "-e", "Li Na")
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "acme" / "tree.toml").is_file()
    assert 'tree = "tree.toml"' in (tmp_path / "acme" / "case.toml").read_text()
    assert "Case created in acme/" in r.stderr
    assert _fill_in(tmp_path / "acme") == 12
    r = invoke("run", "acme", "--samples", "100", "--quiet", "--json")
    assert r.exit_code == 0, r.stderr
    result = json.loads(r.stdout)
    weights = result["weights"]["global"]
    assert len(weights) == 12
    for w in weights.values():
        assert w == pytest.approx(1 / 12, rel=1e-12)
    customers = {c["id"]: c for c in result["ranking"]["customers"]}
    assert customers["C1"]["rank"] == 1
    assert customers["C1"]["closeness"] == pytest.approx(1.0, abs=1e-12)
    assert customers["C6"]["rank"] == 6
    assert customers["C6"]["closeness"] == pytest.approx(0.0, abs=1e-12)
    assert (tmp_path / "out" / "acme" / "results.json").is_file()


def test_init_with_a_tree_file_relative_to_the_working_folder(tmp_path, monkeypatch):
    shutil.copy(ROOT / "criteria" / "ckm-zou2006.toml", tmp_path / "mine.toml")
    monkeypatch.chdir(tmp_path)
    r = invoke("init", "acme", "--tree", "mine.toml")
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "acme" / "tree.toml").read_bytes() == (tmp_path / "mine.toml").read_bytes()


def test_init_unknown_tree_is_refused_with_did_you_mean(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = invoke("init", "acme", "--tree", "ckm-zou2060")
    assert r.exit_code == 2 and r.stdout == ""
    assert 'Did you mean "ckm-zou2006"?' in r.stderr.replace("\n", "")
    assert not (tmp_path / "acme").exists()


def test_trees_lists_the_bundled_trees():
    """The three trees of criteria/README.md: Huang (2008) 3 dimensions, 12 indicators; Zou
    (2006) 4 dimensions, 3 indicators each; Hwang & Yoon (1981) six criteria under the goal."""
    r = invoke("trees")
    assert r.exit_code == 0, r.stderr
    for tree_id in ("ckm-huang2008", "ckm-zou2006", "hwang-yoon-1981-fighter"):
        assert tree_id in r.stdout
    r = invoke("trees", "--json")
    assert r.exit_code == 0, r.stderr
    sizes = {t["id"]: (t["dimensions"], t["indicators"]) for t in json.loads(r.stdout)}
    assert sizes == {
        "ckm-huang2008": (3, 12),
        "ckm-zou2006": (4, 12),
        "hwang-yoon-1981-fighter": (0, 6),
    }


def test_case_naming_an_unknown_tree_gets_did_you_mean(tmp_path):
    case = tmp_path / "case"
    shutil.copytree(FIGHTER, case)
    toml = case / "case.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            'tree = "hwang-yoon-1981-fighter"', 'tree = "hwang-yoon-1981-fightr"'
        ),
        encoding="utf-8",
    )
    r = invoke("run", case, "--quiet")
    assert r.exit_code == 2 and r.stdout == ""
    message = r.stderr.replace("\n", "")
    assert "case.toml: [case] tree: tree 'hwang-yoon-1981-fightr' is neither a file" in message
    assert 'Did you mean "hwang-yoon-1981-fighter"?' in message
    assert "ckm-huang2008, ckm-zou2006, hwang-yoon-1981-fighter" in message
