"""The bundled raw-export case, end to end as the README runs it, and its exports reproducible
from their seeded script."""

from __future__ import annotations

import runpy
import shutil
from pathlib import Path

from typer.testing import CliRunner

from mcda_ckm.cli.main import app
from tests.conftest import ROOT

RAW = ROOT / "cases" / "precision-machinery-raw"
runner = CliRunner()


def copy_cases(tmp_path: Path) -> Path:
    """The raw case and the case whose panel it references, side by side as in cases/."""
    for name in ("precision-machinery", "precision-machinery-raw"):
        shutil.copytree(
            ROOT / "cases" / name,
            tmp_path / name,
            ignore=shutil.ignore_patterns("customers.csv", "indicators.csv", ".*.ckm.json")
            if name.endswith("raw")
            else None,
        )
    return tmp_path / "precision-machinery-raw"


def test_readme_commands_run_end_to_end(tmp_path: Path) -> None:
    case = copy_cases(tmp_path)
    r = runner.invoke(app, ["indicators", str(case)])
    assert r.exit_code == 0, r.stderr
    assert "34 customers, 12 indicators" in r.stdout
    # The mess the exports were made with is found and reported.
    assert "C-29 missing from the contact log: no contact in the window" in r.stdout
    assert "C-15 missing from the survey: no respondent" in r.stdout
    assert "C-26 missing from the survey: no respondent" in r.stdout
    report = tmp_path / "report"
    r = runner.invoke(app, ["run", str(case), "--out", str(report), "--samples", "200"])
    assert r.exit_code == 0, r.stderr
    assert (report / "report.html").is_file()


def test_run_before_indicators_says_what_to_run(tmp_path: Path) -> None:
    case = copy_cases(tmp_path)
    r = runner.invoke(app, ["run", str(case), "--out", str(tmp_path / "report")])
    assert r.exit_code == 2
    assert "customers.csv: file not found" in r.stderr
    assert f"Run ckm indicators {case} first" in r.stderr


def test_exports_are_what_the_seeded_script_makes(tmp_path: Path) -> None:
    case = copy_cases(tmp_path)
    for f in (case / "exports").iterdir():
        f.unlink()
    runpy.run_path(str(case / "make_exports.py"), run_name="__main__")
    for f in sorted((RAW / "exports").iterdir()):
        assert (case / "exports" / f.name).read_bytes() == f.read_bytes(), f.name
