"""The report on paper: ``report.html`` printed to PDF by headless Chromium.

Chromium through Playwright, not WeasyPrint: the report is already checked in Chromium
(``tests/report/test_browser.py``), so the PDF is the page the reader sees, with the same CSS
engine applying the report's ``@media print`` rules (the summary alone on page one, a page per
section, tables kept whole); WeasyPrint would be a second, different layout engine, and it
needs Pango/cairo system libraries that the CI image does not carry, whereas Chromium is
installed for the browser test anyway. Debian's ``chromium`` is used when present (Playwright's
own download otherwise).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from mcda_ckm.errors import OutputError

__all__ = ["CHROMIUM_ARGS", "chromium", "html_to_pdf"]

CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
"""Chromium flags for a headless, offline print (no sandbox: CI runs as root in a container)."""


def chromium() -> str | None:
    """The system's Chromium, or None (Playwright then uses its own download, if any)."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def html_to_pdf(html_file: Path, pdf_file: Path) -> None:
    """Print ``html_file`` to ``pdf_file`` (A4, backgrounds kept, the report's print CSS).

    Raises
    ------
    OutputError
        When Playwright or Chromium is missing, or Chromium fails.
    """
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise OutputError(
            "cannot write the PDF: Playwright is not installed",
            path=pdf_file.name,
            hint="pip install playwright, and apt-get install chromium",
        ) from None
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium(), args=list(CHROMIUM_ARGS))
            try:
                page = browser.new_page()
                page.goto(html_file.resolve().as_uri())
                page.wait_for_load_state("load")
                page.emulate_media(media="print")
                page.pdf(path=str(pdf_file), format="A4", print_background=True)
            finally:
                browser.close()
    except Error as exc:
        raise OutputError(
            f"cannot write the PDF: Chromium failed ({str(exc).splitlines()[0]})",
            path=pdf_file.name,
            hint="apt-get install chromium (or: playwright install chromium)",
        ) from None
