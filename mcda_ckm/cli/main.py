"""The ``ckm`` command line: the app, its entry point, and the small commands.

The commands live in modules by subject (:mod:`mcda_ckm.cli.commands_case` for weights, run,
report and sensitivity; :mod:`mcda_ckm.cli.rank`; :mod:`mcda_ckm.cli.panel` for the panel
tools), their shared options in :mod:`mcda_ckm.cli.options`. Data goes to stdout (rich tables,
or JSON with ``--json``); errors go to stderr as one line with a non-zero exit code and no
traceback.
"""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from mcda_ckm.cli import commands_case, indicators, rank
from mcda_ckm.cli.cases import register as register_cases
from mcda_ckm.cli.console import err, out
from mcda_ckm.cli.panel import register as register_panel
from mcda_ckm.cli.serve import register as register_serve
from mcda_ckm.weights import ahp

__all__ = ["app", "main"]

app = typer.Typer(
    name="ckm",
    help="Identify key customer knowledge sources: AHP panel weights, TOPSIS ranking, reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
commands_case.register(app)
rank.register(app)
indicators.register(app)


@app.command("ri-tables")
def ri_tables() -> None:
    """List the random-index tables with their sources."""
    table = Table()
    table.add_column("name")
    table.add_column("n = 3..8")
    table.add_column("source")
    for t in ahp.RI_TABLES.values():
        table.add_row(
            t.name + (" (default)" if t.name == ahp.DEFAULT_RI_TABLE else ""),
            " ".join(f"{t.values[n]:.4g}" for n in range(3, 9)),
            t.source,
        )
    out.print(table)


register_cases(app)
register_panel(app)
register_serve(app)


def main() -> None:
    """Entry point of the ``ckm`` console script.

    Bad input is reported by each command (exit 2). Anything else is a bug: one line on stderr
    and exit 1, with the traceback only when ``CKM_DEBUG`` is set.
    """
    import os

    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        raise SystemExit(130) from None
    except Exception as exc:
        if os.environ.get("CKM_DEBUG"):
            raise
        err.print(
            f"[bold red]internal error:[/] {escape(type(exc).__name__)}: {escape(str(exc))}. "
            "This is a bug in mcda_ckm: please report it with the command line (set CKM_DEBUG=1 "
            "for the traceback).",
            soft_wrap=True,
        )
        raise SystemExit(1) from None


if __name__ == "__main__":  # python -m mcda_ckm.cli.main, as python -m mcda_ckm
    main()
