"""``ckm indicators CASE``: build the case's customers file from its raw CRM exports.

The exports and what each feeds are named in ``case.toml``'s ``[indicators]``; the command
writes ``customers.csv`` (what ``ckm run`` ranks) and ``indicators.csv`` (the indicators sheet:
per indicator its source file, formula, window, count and missing values), prints a summary
(Cronbach's alpha per construct, the customers missing from a source) and the warnings. It is a
separate step from ``ckm run`` on purpose: the table is the consultant's to read (the sheet, the
alphas, the filled cells) before anything is ranked, and ``ckm run`` stays a function of the
files it is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from mcda_ckm.cli.commands_case import command_line
from mcda_ckm.cli.console import err, friendly_errors, out
from mcda_ckm.cli.options import DEFAULT_LANG, LangOpt, QuietOpt, value
from mcda_ckm.cli.show import print_warnings
from mcda_ckm.model.case import load_case

__all__ = ["register"]


def indicators_cmd(
    case: Annotated[Path, typer.Argument(help="Case folder whose case.toml has [indicators].")],
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write customers.csv and indicators.csv into this folder instead of the case's "
            "customers file and the folder it is in.",
        ),
    ] = None,
    lang: LangOpt = DEFAULT_LANG,
    quiet: QuietOpt = False,
) -> None:
    """Build customers.csv and the indicators sheet from the raw exports in [indicators]."""
    from mcda_ckm.report.indicator_summary import summary_lines
    from mcda_ckm.workflows.indicators import (
        build_indicators,
        indicator_outputs,
        write_indicators,
    )

    with friendly_errors():
        c = load_case(case)
        print_warnings(c.warnings)
        customers, sheet = indicator_outputs(c, out_dir)
        table = build_indicators(c)
        protect = [c.toml, *(c.indicators.files() if c.indicators is not None else ())]
        write_indicators(table, customers, sheet, protect=protect, command=command_line())
    print_warnings(table.warnings)
    if quiet:
        return
    for line in summary_lines(table, value(lang), (str(customers), str(sheet))):
        out.print(escape(line))
    err.print(f"next: ckm run {escape(str(case))} --out REPORT", soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add ``ckm indicators`` to ``app``."""
    app.command("indicators")(indicators_cmd)
