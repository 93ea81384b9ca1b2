"""Tests of the ckm command line: exit codes, stdout and stderr checked separately."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from mcda_ckm.cli.main import app
from tests.conftest import CASE

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def commands() -> list[str]:
    import typer.main

    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


def test_every_command_has_help():
    names = commands()
    assert {"weights", "run", "ri-tables"} <= set(names)
    for name in names:
        r = invoke(name, "--help")
        assert r.exit_code == 0, name
        cmd = __import__("typer").main.get_command(app).commands[name]  # type: ignore[attr-defined]
        assert cmd.help, f"ckm {name} has no help text"


def test_weights_json_parses_and_names_the_table():
    r = invoke("weights", CASE, "--json")
    assert r.exit_code == 0, r.stderr
    # stderr carries only the panel-quality summary (issue 14: nothing in silence), stdout the JSON
    assert r.stderr.startswith("panel: 4 expert(s) in the weights")
    assert "over threshold: Zhou Min" in r.stderr
    data = json.loads(r.stdout)
    assert data["method"]["random_index_table"] == "saaty-1980"
    assert abs(sum(data["global_weights"].values()) - 1) < 1e-12
    kv = data["nodes"]["knowledge_value"]["experts"]["sales_director"]
    assert not kv["consistent"] and kv["suggestions"]
    assert data["provenance"]["inputs_sha256"]


def test_weights_table_shows_diagnosis_consensus_and_table_name():
    r = invoke("weights", CASE)
    assert r.exit_code == 0
    assert "saaty-1980" in r.stdout
    assert "Zhou Min: revise" in r.stdout
    assert "consensus S*" in r.stdout
    assert "not given, completed (harker)" in r.stdout
    assert "Global indicator weights" in r.stdout


def test_weights_options_override_the_case():
    r = invoke("weights", CASE, "--json", "--ri-table", "alonso-lamata-2006", "--policy", "exclude")
    data = json.loads(r.stdout)
    assert data["method"]["random_index_table"] == "alonso-lamata-2006"
    assert data["nodes"]["knowledge_value"]["experts"]["sales_director"]["excluded"]


def test_missing_case_is_one_line_on_stderr(tmp_path):
    r = invoke("weights", tmp_path / "nope")
    assert r.exit_code == 2
    assert r.stdout == ""
    assert "no case.toml here" in r.stderr and "Traceback" not in r.stderr


@pytest.fixture
def case_copy(tmp_path):
    dst = tmp_path / "case"
    shutil.copytree(CASE, dst)
    text = (dst / "case.toml").read_text(encoding="utf-8")
    (dst / "case.toml").write_text(
        text.replace("../../criteria/", str(CASE.parent.parent / "criteria") + "/"),
        encoding="utf-8",
    )
    return dst


def test_bad_judgement_names_file_and_entry(case_copy):
    path = case_copy / "panel" / "rd_director.toml"
    path.write_text(path.read_text(encoding="utf-8") + '\n[judgements.cheese]\n"a vs b" = 3\n')
    r = invoke("weights", case_copy)
    assert r.exit_code == 2 and r.stdout == ""
    assert "rd_director.toml: [judgements.cheese]: unknown node" in r.stderr.replace("\n", "")


def test_policy_error_exits_nonzero(case_copy):
    toml = case_copy / "case.toml"
    toml.write_text(toml.read_text().replace('"keep"', '"error"'), encoding="utf-8")
    r = invoke("weights", case_copy)
    assert r.exit_code == 2
    assert "is over the threshold 0.08" in r.stderr.replace("\n", "")


def test_run_writes_folder_atomically_and_keeps_old_on_failure(case_copy, tmp_path):
    out = tmp_path / "report"
    r = invoke("run", case_copy, "--out", out, "--samples", "500")
    assert r.exit_code == 0, r.stderr
    for name in ("report.html", "report.md", "results.json", "ranking.csv", "figures/tree.png"):
        assert (out / name).exists(), name
    before = (out / "results.json").read_text(encoding="utf-8")
    (case_copy / "panel" / "rd_director.toml").write_text("[judgements\n", encoding="utf-8")
    r = invoke("run", case_copy, "--out", out, "--samples", "500")
    assert r.exit_code == 2
    assert (out / "results.json").read_text(encoding="utf-8") == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []


def test_ri_tables_lists_sources():
    r = invoke("ri-tables")
    assert r.exit_code == 0 and "Alonso" in r.stdout and "(default)" in r.stdout


def test_python_dash_m():
    r = subprocess.run(
        [sys.executable, "-m", "mcda_ckm", "--help"], capture_output=True, text=True, check=False
    )
    assert r.returncode == 0 and "weights" in r.stdout


def test_weights_on_judgement_files_with_tree():
    panel = CASE / "panel"
    r = invoke(
        "weights",
        "--tree",
        CASE.parent.parent / "criteria" / "ckm-huang2008.toml",
        panel / "rd_director.toml",
        panel / "service_manager.toml",
        "--json",
    )
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert [e["id"] for e in data["experts"]] == ["rd_director", "service_manager"]
    assert abs(sum(data["global_weights"].values()) - 1) < 1e-12


def test_several_paths_without_tree_is_an_error():
    r = invoke("weights", CASE / "panel" / "rd_director.toml", CASE / "panel" / "x.toml")
    assert r.exit_code == 2 and "several paths given without --tree" in r.stderr


def test_run_json_and_key_sources(tmp_path):
    r = invoke("run", CASE, "--out", tmp_path / "o", "--samples", "300", "--json", "-q")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert len(data["ranking"]["key_sources"]) == 5
    assert data["provenance"]["seed"] == 20081008


def test_report_prints_the_path(tmp_path):
    r = invoke("report", CASE, "--out", tmp_path / "o", "--samples", "300", "-q")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip().endswith("report.html")


def test_sensitivity_json_is_seeded(tmp_path):
    a = invoke("sensitivity", CASE, "--samples", "300", "--seed", "3", "--json", "-q")
    b = invoke("sensitivity", CASE, "--samples", "300", "--seed", "3", "--json", "-q")
    assert a.exit_code == 0, a.stderr
    da, db = json.loads(a.stdout), json.loads(b.stdout)
    assert da["smaa"] == db["smaa"] and da["smaa"]["seed"] == 3
    assert {t["node"] for t in da["tolerances"]} >= {"willingness", "trust"}


def test_sensitivity_tables():
    r = invoke("sensitivity", CASE, "--samples", "300", "-q")
    assert r.exit_code == 0
    assert "Weight tolerance" in r.stdout and "P(key)" in r.stdout


def test_sensitivity_fixed_weights_cannot_sample_a_panel():
    fighter = CASE.parent / "hwang-yoon-1981-fighter"
    r = invoke("sensitivity", fighter, "--source", "panel", "-q")
    assert r.exit_code == 2 and "no panel to sample" in r.stderr


def test_rank_adhoc_with_numbers_and_names(tmp_path):
    """Tzeng & Huang (2011) as in scikit-criteria's tests: closeness 0.5037, 0.6581, 0.7482,
    0.3340 with weights 0.3, 0.4, 0.3 (all benefit)."""
    data = tmp_path / "d.csv"
    data.write_text("id,name,a,b,c\nA1,x,5,8,4\nA2,y,7,6,8\nA3,z,8,8,6\nA4,w,7,4,6\n")
    for weights in ("0.3,0.4,0.3", "c=0.3,a=0.3,b=0.4"):
        r = invoke("rank", data, "--weights", weights, "--top", "1", "--json")
        assert r.exit_code == 0, r.stderr
        got = {c["id"]: c["closeness"] for c in json.loads(r.stdout)["customers"]}
        expected = {"A1": 0.5037, "A2": 0.6581, "A3": 0.7482, "A4": 0.3340}
        assert got == pytest.approx(expected, abs=1e-4)
    out = tmp_path / "r.csv"
    r = invoke("rank", data, "--weights", "1,1,1", "--directions", "+,+,-", "--out", out)
    assert r.exit_code == 0 and out.read_text().startswith("rank,id,name,closeness")


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ("0.5,0.5", "gives 2 numbers for 3 criteria"),
        ("a=1,b=1,z=1", "unknown"),
        ("a,b,c", "--weights"),
    ],
)
def test_rank_bad_weights(tmp_path, weights, message):
    data = tmp_path / "d.csv"
    data.write_text("id,name,a,b,c\nA1,x,5,8,4\nA2,y,7,6,8\n")
    r = invoke("rank", data, "--weights", weights)
    assert r.exit_code == 2 and message in r.stderr and r.stdout == ""


def test_rank_bad_cell_names_row_and_column(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("id,name,a,b\nA1,x,5,8\nA2,y,seven,6\n")
    r = invoke("rank", data, "--weights", "1,1")
    assert r.exit_code == 2
    assert "d.csv" in r.stderr and "row 3" in r.stderr and '"a"' in r.stderr


def test_init_scaffolds_a_case_that_loads(tmp_path):
    folder = tmp_path / "new"
    r = invoke(
        "init",
        folder,
        "--tree",
        CASE.parent.parent / "criteria" / "ckm-huang2008.toml",
        "-e",
        "Wang Li",
        "-e",
        "Li Na",
    )
    assert r.exit_code == 0, r.stderr
    assert (folder / "customers.csv").read_text().startswith("id,name,base_potential,")
    assert sorted(p.name for p in (folder / "panel").iterdir()) == ["li_na.toml", "wang_li.toml"]
    from mcda_ckm.model.case import load_case

    case = load_case(folder)
    assert [e.name for e in case.experts] == ["Li Na", "Wang Li"]
    r = invoke("init", folder)
    assert r.exit_code == 2 and "exists already" in r.stderr


def test_unexpected_errors_are_one_line_without_traceback(monkeypatch, capsys):
    """A bug (not bad input) exits 1 with one line on stderr; CKM_DEBUG shows the traceback."""
    import mcda_ckm.cli.commands_case as commands
    import mcda_ckm.cli.main as cli

    def boom(*a, **k):
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(commands, "load_case", boom)
    monkeypatch.setattr(sys, "argv", ["ckm", "weights", str(CASE)])
    monkeypatch.delenv("CKM_DEBUG", raising=False)
    with pytest.raises(SystemExit) as info:
        cli.main()
    assert info.value.code == 1
    captured = capsys.readouterr()
    assert "internal error: ZeroDivisionError: oops" in captured.err
    assert "Traceback" not in captured.err
    monkeypatch.setenv("CKM_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        cli.main()


def test_run_writes_no_absolute_path_even_when_one_is_typed(tmp_path, monkeypatch):
    """Issue 15 point 10, from the command line: ``--out`` typed as an absolute path appears in
    the provenance relative to the working folder; no output file holds an absolute path."""
    from pathlib import Path

    monkeypatch.chdir(tmp_path)
    out = (tmp_path / "deep" / "rep").resolve()
    monkeypatch.setattr(sys, "argv", ["ckm", "run", str(Path(CASE).resolve()), "--out", str(out)])
    r = invoke("run", Path(CASE).resolve(), "--out", out, "--samples", "100", "-q")
    assert r.exit_code == 0, r.stderr
    data = json.loads((out / "results.json").read_text("utf-8"))
    assert " --out deep/rep" in data["provenance"]["command"]
    absolute = [
        re.compile(rf"(?<!\.\.){re.escape(str(p))}") for p in (tmp_path, Path(CASE).resolve())
    ]  # "../../x" holds "/x" but is relative
    for f in out.rglob("*"):
        if f.suffix in (".json", ".md", ".csv", ".html"):
            text = f.read_text("utf-8")
            assert not any(a.search(text) for a in absolute), f.name
