"""The case commands: ``ckm init`` (a new, self-contained case folder) and ``ckm trees`` (the
criteria trees shipped with mcda_ckm).

A thin layer over :mod:`mcda_ckm.model.scaffold` and :mod:`mcda_ckm.model.tree`: it parses,
prints and exits; the files are the library's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from mcda_ckm.cli.console import err, friendly_errors, out

__all__ = ["init", "register", "trees"]


def init(
    folder: Annotated[
        Path,
        typer.Argument(
            help="The new case folder (must not exist yet), e.g. ~/clients/acme: keep client "
            "data outside the tool's own folder."
        ),
    ],
    tree: Annotated[
        str,
        typer.Option(
            help="A bundled tree id (see 'ckm trees') or a tree file; it is copied into the "
            "case as tree.toml."
        ),
    ] = "ckm-huang2008",
    experts: Annotated[
        list[str] | None,
        typer.Option("--expert", "-e", help="Expert names (repeat); one judgement template each."),
    ] = None,
    client: Annotated[
        str, typer.Option(help="The client the report is for (shown on its first screen).")
    ] = "",
    consultant: Annotated[
        str, typer.Option(help="The consultant who signs the report (shown on its first screen).")
    ] = "",
) -> None:
    """Scaffold a new case from a tree: case.toml, tree.toml, customers.csv header, judgement
    templates."""
    from mcda_ckm.model.scaffold import scaffold

    with friendly_errors():
        files = scaffold(
            folder,
            tree,
            experts or ["expert_1"],
            base=Path.cwd(),
            client=client,
            consultant=consultant,
        )
    for f in files:
        out.print(escape(str(f)))
    err.print(
        f"Case created in {escape(str(folder))}/. Fill customers.csv, then collect judgements "
        f"with 'ckm judge {escape(str(folder))} --expert NAME' or by editing panel/*.toml, and "
        f"run 'ckm run {escape(str(folder))}'."
    )


def trees(
    json_: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List the criteria trees shipped with mcda_ckm: id, title, size and source.

    Dimensions are the goal's sub-criteria with indicators below them (0 for a one-level tree,
    whose indicators hang from the goal).

    A case names one by its id in case.toml (tree = "ckm-huang2008"); 'ckm init --tree ID'
    copies it into a new case.
    """
    from mcda_ckm.model.tree import bundled_trees, load_tree

    rows: list[dict[str, str | int]] = []
    with friendly_errors():
        for tree_id, path in bundled_trees().items():
            t = load_tree(path)
            rows.append(
                {
                    "id": tree_id,
                    "title": t.title,
                    "dimensions": sum(1 for c in t.children(t.root) if t.children(c)),
                    "indicators": len(t.leaves),
                    "source": t.source,
                }
            )
    if json_:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title='Bundled criteria trees (tree = "<id>" in case.toml)')
    table.add_column("id", no_wrap=True)  # what goes into case.toml: never broken
    table.add_column("title")
    table.add_column("dimensions", justify="right")
    table.add_column("indicators", justify="right")
    table.add_column("source")
    for r in rows:
        table.add_row(
            str(r["id"]),
            escape(str(r["title"])),
            str(r["dimensions"]),
            str(r["indicators"]),
            escape(str(r["source"])),
        )
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add ``init`` and ``trees`` to the ``ckm`` app."""
    app.command()(init)
    app.command()(trees)
