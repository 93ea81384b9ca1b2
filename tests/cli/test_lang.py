"""Issue 15 point 8: with ``--lang zh`` every line the CLI prints for ``run``, ``weights``,
``sensitivity`` and ``report`` is Chinese, stdout and stderr, on both bundled cases.

The commands run as a user runs them (``python -m mcda_ckm.cli.main`` in a subprocess, a wide
terminal so that no name is cut across table lines); the check is the zh report's own: no
English word outside the allow-list of names (ids, customer and expert names, methods,
authors, units, file names) of :mod:`tests.report.test_narrative`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mcda_ckm.model.case import load_case
from mcda_ckm.workflows.study import Study, run_study
from tests.conftest import CASE, FIGHTER
from tests.report.test_narrative import NAMES, data_names, english_words

COMMANDS = ("weights", "sensitivity", "run", "report")


def ckm(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``ckm ARGS`` as a subprocess with a wide terminal, from ``cwd``."""
    env = {**os.environ, "COLUMNS": "400", "PYTHONPATH": str(Path(__file__).parents[2])}
    return subprocess.run(
        [sys.executable, "-m", "mcda_ckm.cli.main", *args],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=600,
    )


@pytest.fixture(scope="module", params=[CASE, FIGHTER], ids=["precision", "fighter"])
def case(request) -> tuple[Path, Study]:
    path = Path(request.param).resolve()
    return path, run_study(load_case(path), samples=200)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_line_the_cli_prints_in_chinese_is_chinese(case, command, tmp_path):
    path, study = case
    args = [command, str(path), "--lang", "zh"]
    if command in ("run", "report", "sensitivity"):
        args += ["--samples", "200"]
    if command in ("run", "report"):
        args += ["--out", "rep"]
    r = ckm(*args, cwd=tmp_path)
    if command == "weights" and study.panel is None:
        # the fighter case has fixed weights: ckm weights has no panel to show, and says so
        assert r.returncode == 2 and "fixed [weights] and no expert panel" in r.stderr, r.stderr
        return
    assert r.returncode == 0, r.stderr
    text = r.stdout + r.stderr
    if command != "report":  # ckm report prints only where the report is
        assert re.search(r"[\u4e00-\u9fff]", text), text  # Chinese is printed at all
    assert "⟦" not in text  # the report's marks of foreign text are not for the terminal
    # the paths the user typed or the program wrote to
    text = text.replace(str(path), " ").replace("rep/", " ")
    allowed = {*NAMES, *data_names(study), "report.zh.html", "rep"}
    words = english_words(text, allowed)
    assert not words, (command, sorted(set(words)), text[:3000])
