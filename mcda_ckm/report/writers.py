"""The report folder: every file of a study's report, written atomically."""

from __future__ import annotations

from pathlib import Path

from mcda_ckm.files import write_folder
from mcda_ckm.report import pages
from mcda_ckm.report.results import ranking_csv, study_to_dict, to_json
from mcda_ckm.workflows.study import Study

__all__ = ["write_report"]


def write_report(study: Study, out: Path, *, command: str = "", lang: str = "en") -> Path:
    """Write the report folder of a study atomically and return its path.

    Files: ``report.html`` (self-contained), ``report.md``, ``results.json`` (every number),
    ``ranking.csv``, ``figures/*.png`` and the manifest ``.ckm-manifest.json``. Everything is
    written to a temporary folder first; a failure leaves the previous report untouched.

    Raises
    ------
    OutputError
        When ``out`` holds something ckm did not write, or is (or holds) the case folder or one
        of its input files (:func:`mcda_ckm.files.check_folder`).
    """
    secs = pages.sections(study, lang=lang, command=command)
    title = pages.title_of(study, lang)
    data = study_to_dict(study, command, lang)

    def write(folder: Path) -> None:
        (folder / "figures").mkdir()
        for fig in pages.figures_of(secs):
            (folder / "figures" / f"{fig.name}.png").write_bytes(fig.png)
        (folder / "report.html").write_text(pages.to_html(secs, title, lang=lang), "utf-8")
        (folder / "report.md").write_text(pages.to_markdown(secs, title), "utf-8")
        (folder / "results.json").write_text(to_json(data), "utf-8")
        (folder / "ranking.csv").write_text(ranking_csv(study, lang), "utf-8")

    return write_folder(Path(out), write, protect=inputs_of(study), command=command)


def inputs_of(study: Study) -> list[Path]:
    """The case folder and every file the study read: what a report may not replace."""
    case = study.case
    named = [case.file("customers"), case.file("cashflows", "clv")]
    read = [(case.path / p).resolve() for p in case.inputs]
    return [case.path, *read, *(p for p in named if p is not None)]
