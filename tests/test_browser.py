"""The report checked as a person would: rendered in headless Chromium (Debian's chromium
package, driven by Playwright), screenshot taken, no console errors, every figure loaded, the
key text present."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mcda_ckm.case import load_case
from mcda_ckm.report import write_report
from mcda_ckm.study import run_study

from .conftest import CASE

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (apt-get install chromium); .ci/run installs it",
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def test_report_renders_in_chromium(tmp_path):
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    study = run_study(load_case(CASE), samples=500)
    out = write_report(study, tmp_path / "report")
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
        page.goto((out / "report.html").as_uri())
        page.wait_for_load_state("load")
        loaded = page.evaluate(
            "Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)"
        )
        text = page.inner_text("body")
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    assert problems == []
    assert len(loaded) == len(list((out / "figures").glob("*.png"))) >= 7 and all(loaded)
    for needle in (
        "Ranking of the customers",
        "Sensitivity: how firm is the key set?",
        *study.ranking.key_sources,
        "saaty-1980",
        "Reproducibility",
    ):
        assert needle in text, needle
    assert Path(shot).stat().st_size > 50_000
