"""Every fault of the catalogue (:mod:`tests.faults.catalogue`) through the real command line:
exit code 2, a one-line error naming the file and the place, no internal error, and nothing
touched (every file of the case and of an earlier report byte for byte as before)."""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mcda_ckm.cli.main import app
from tests.conftest import CASE
from tests.faults.catalogue import FAULTS, Fault

runner = CliRunner()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A copy of the precision-machinery case and an earlier report of it, made once."""
    root = tmp_path_factory.mktemp("template")
    shutil.copytree(CASE, root / "case")
    r = runner.invoke(
        app, ["run", str(root / "case"), "--out", str(root / "out"), "--samples", "20", "--quiet"]
    )
    assert r.exit_code == 0, r.output
    return root


def snapshot(root: Path) -> dict[str, object]:
    """Every entry under ``root``: a file's bytes, a link's target, a folder's mark."""
    seen: dict[str, object] = {}
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in dirs + files:
            path = Path(folder, name)
            key = str(path.relative_to(root))
            if path.is_symlink():
                seen[key] = ("link", os.readlink(path))
            elif path.is_dir():
                seen[key] = "dir"
            else:
                seen[key] = path.read_bytes()
    return seen


def test_the_catalogue_is_large_and_covers_every_kind():
    kinds = Counter(f.kind for f in FAULTS)
    assert len(FAULTS) >= 80 and len({f.id for f in FAULTS}) == len(FAULTS)
    assert set(kinds) >= {
        "case.toml",
        "tree",
        "customers",
        "customers (XLSX)",
        "cashflows",
        "judgements",
        "CLI options",
        "outputs",
    }


@pytest.mark.parametrize("fault", FAULTS, ids=[f.id for f in FAULTS])
def test_fault(fault: Fault, template, tmp_path, monkeypatch):
    shutil.copytree(template, tmp_path, dirs_exist_ok=True, symlinks=True)
    case, out = tmp_path / "case", tmp_path / "out"
    fault.mutate(case)
    if "edit_out" in fault.extra:
        target = out / fault.extra["edit_out"]
        target.write_text(target.read_text(encoding="utf-8") + "edited by hand\n", encoding="utf-8")
    places = {"{case}": str(case), "{out}": str(out), "{tmp}": str(tmp_path)}

    def fill(text: str) -> str:
        for key, value in places.items():
            text = text.replace(key, value)
        return text

    before = snapshot(tmp_path)
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, [fill(a) for a in fault.argv])
    message = " ".join(r.output.split())
    assert r.exit_code == 2, f"exit {r.exit_code}: {r.output}\n{r.exception!r}"
    assert "internal error" not in message and "Traceback" not in r.output
    for expected in fault.expect:
        pattern = re.escape(fill(expected)) if expected.startswith("{") else expected
        assert re.search(pattern, message), f"{expected!r} not in: {message}"
    assert snapshot(tmp_path) == before, "a file of the case or of the earlier report changed"
