"""The terminal's side-by-side table of the panel's, objective and combined weights (issue 16).

The table goes to stdout; the guards' explanations (constant columns, shifted codings) to stderr,
with ``--json`` too, so that a script cannot lose them in silence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

from mcda_ckm.cli.console import err, out
from mcda_ckm.report.weighing import warning_text, weighing_part

if TYPE_CHECKING:
    from mcda_ckm.model.tree import CriteriaTree
    from mcda_ckm.workflows.weighing import Weighing

__all__ = ["print_weighing"]


def print_weighing(
    weighing: Weighing, tree: CriteriaTree, lang: str = "en", *, table: bool = True
) -> None:
    """The weights side by side, the key sets and overlaps, the alpha sweep; warnings on stderr."""
    for w in weighing.objective.warnings:
        err.print(f"[bold yellow]warning:[/] {escape(warning_text(w, lang))}", soft_wrap=True)
    if not table:
        return
    part = weighing_part(weighing, tree, lang)
    out.print(f"\n[bold]{escape(part.title)}[/]")
    for line in part.lines:
        out.print(escape(line))
    for header, rows in part.tables:
        t = Table(*header)
        for row in rows:
            t.add_row(*(escape(c) for c in row))
        out.print(t)
