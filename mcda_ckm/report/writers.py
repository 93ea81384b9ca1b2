"""The report folder: every file of a study's report, written atomically, one set per language.

English files keep their plain names (``report.html``, ``results.json``...); every other
language puts its code before the suffix (``report.zh.html``, ``results.zh.json``,
``ranking.zh.csv``, ``figures.zh/``), in the same folder. A run rewrites its own language's
files and carries the others over unchanged, so an English run then a Chinese run leave both
reports, and nothing is silently replaced.
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

from mcda_ckm.files import MANIFEST, read_record, write_folder
from mcda_ckm.report import pages
from mcda_ckm.report.pdf import html_to_pdf
from mcda_ckm.report.phrases import LANGS
from mcda_ckm.report.results import ranking_csv, study_to_dict, to_json
from mcda_ckm.workflows.study import Study

__all__ = ["output_names", "write_report"]


def output_names(lang: str = "en") -> dict[str, str]:
    """The file (and figure folder) names of one language's report.

    >>> output_names("zh")["html"], output_names("en")["figures"]
    ('report.zh.html', 'figures')
    """
    tag = "" if lang not in LANGS or lang == "en" else f".{lang}"
    return {
        "html": f"report{tag}.html",
        "md": f"report{tag}.md",
        "json": f"results{tag}.json",
        "csv": f"ranking{tag}.csv",
        "pdf": f"report{tag}.pdf",
        "figures": f"figures{tag}",
    }


def write_report(
    study: Study,
    out: Path,
    *,
    command: str = "",
    lang: str = "en",
    pdf: bool = False,
    now: datetime.datetime | None = None,
) -> Path:
    """Write the report of a study in ``lang`` into the folder ``out`` atomically; return it.

    Files (see :func:`output_names`): the report as HTML (self-contained) and Markdown,
    ``results.json`` (every number), ``ranking.csv``, the figures as PNG, ``report.pdf`` with
    ``pdf=True`` (:func:`mcda_ckm.report.pdf.html_to_pdf`), and the manifest. Everything is
    written to a temporary folder first, the other languages' files copied over from ``out``;
    a failure leaves the previous report untouched.

    Raises
    ------
    OutputError
        When ``out`` holds something ckm did not write, or is (or holds) the case folder or one
        of its input files (:func:`mcda_ckm.files.check_folder`); when the PDF cannot be printed.
    """
    run_at = (now or datetime.datetime.now().astimezone()).isoformat(timespec="seconds")
    secs = pages.sections(study, lang=lang, command=command, run_at=run_at)
    title = pages.title_of(study, lang)
    data = study_to_dict(study, command, lang, run_at=run_at)
    names = output_names(lang)
    out = Path(out)

    def write(folder: Path) -> None:
        figs = folder / names["figures"]
        figs.mkdir()
        for fig in pages.figures_of(secs):
            (figs / f"{fig.name}.png").write_bytes(fig.png)
        html_file = folder / names["html"]
        html_file.write_text(pages.to_html(secs, title, lang=lang), "utf-8")
        md = pages.to_markdown(secs, title, figure_dir=names["figures"])
        (folder / names["md"]).write_text(md, "utf-8")
        (folder / names["json"]).write_text(to_json(data), "utf-8")
        (folder / names["csv"]).write_text(ranking_csv(study, lang), "utf-8")
        if pdf:
            html_to_pdf(html_file, folder / names["pdf"])
        carry_over(out, folder, lang)

    return write_folder(out, write, protect=inputs_of(study), command=command)


def carry_over(old: Path, new: Path, lang: str) -> None:
    """Copy the other languages' files of the report folder ``old`` (a ckm report, checked by
    :func:`mcda_ckm.files.check_folder` before) into ``new``."""
    if not old.is_dir() or read_record(old / MANIFEST) is None:
        return
    for other in LANGS:
        if other == lang:
            continue
        for name in output_names(other).values():
            src = old / name
            if src.is_dir():
                shutil.copytree(src, new / name)
            elif src.is_file():
                shutil.copy2(src, new / name)


def inputs_of(study: Study) -> list[Path]:
    """The case folder and every file the study read: what a report may not replace."""
    case = study.case
    named = [case.file("customers"), case.file("cashflows", "clv")]
    read = [(case.path / p).resolve() for p in case.inputs]
    return [case.path, *read, *(p for p in named if p is not None)]
