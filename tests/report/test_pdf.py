"""The report on paper (issue 15, point 9): ``write_report(pdf=True)`` prints report.pdf with
headless Chromium; its pages are rendered with poppler's pdftoppm (as a reader's viewer would)
and page one must hold the executive summary, and only it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from mcda_ckm.model.case import load_case
from mcda_ckm.report import figures, narrative
from mcda_ckm.report import summary as S
from mcda_ckm.report.writers import output_names, write_report
from mcda_ckm.workflows.study import run_study
from tests.conftest import CASE, FIGHTER
from tests.report.test_browser import CHROMIUM

POPPLER = shutil.which("pdftoppm") and shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(
    (CHROMIUM is None or not POPPLER) and os.environ.get("CI") != "true",
    reason="needs chromium and poppler-utils (pdftoppm, pdftotext)",
)


def pdftotext(pdf: Path, page: int, mode: str) -> str:
    """The text of one page of ``pdf`` by poppler's pdftotext (``-layout`` or ``-bbox``)."""
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), mode, str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.mark.parametrize("case", [CASE, FIGHTER], ids=["precision", "fighter"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_one_of_the_pdf_is_the_summary(lang, case, tmp_path):
    """Page one holds the summary and only it; the pages are printed at full size: Chromium
    shrinks every page of a document wider than A4 to fit it (a 14-column ranking table made
    the fighter's 10 pt text 7.8 pt), so the case's title at the top of page two (15 pt, a box
    17.5 pt high in DejaVu Sans Bold, 18.9 in Noto Sans CJK) must be at least 16.5 pt high.
    Before the print stylesheet fitted the tables, it was 11.7 (fighter) and 15.1 (precision)."""
    if lang == "zh" and figures.cjk_font() is None:
        pytest.skip("no CJK font")
    study = run_study(load_case(case), samples=300)
    out = write_report(study, tmp_path / "report", lang=lang, pdf=True)
    pdf = out / output_names(lang)["pdf"]
    assert pdf.read_bytes()[:5] == b"%PDF-"
    subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", "50", "-png", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    (png,) = tmp_path.glob("p-*1.png")
    assert png.stat().st_size > 10_000  # a page with text on it, not a blank one
    page_one = pdftotext(pdf, 1, "-layout")
    b = S.briefing(study)
    for k in b.key:
        assert k.id in page_one and k.probability is not None
        assert narrative.percent(k.probability) in page_one
    assert narrative.phrase("next_steps", lang) in page_one
    assert narrative.case_title(study, lang) not in page_one  # the case starts on page two
    assert narrative.section_title("ranking", lang) not in page_one
    boxes = pdftotext(pdf, 2, "-bbox")
    heights = [
        float(y1) - float(y0)
        for y0, y1 in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', boxes)
    ]
    assert max(heights) >= 16.5, max(heights)  # the case's title, not shrunk
