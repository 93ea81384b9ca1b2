"""The ``ckm`` command line: parse arguments, call the library, print.

Data goes to stdout (rich tables, or JSON with ``--json``); errors go to stderr as one line with
a non-zero exit code and no traceback.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import ahp, scale
from .case import Case, load_case
from .errors import CkmError
from .panel import PanelResult, evaluate

app = typer.Typer(
    name="ckm",
    help="Identify key customer knowledge sources: AHP panel weights, TOPSIS ranking, reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)

EXIT_INPUT = 2


@contextmanager
def _friendly_errors() -> Iterator[None]:
    try:
        yield
    except CkmError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(EXIT_INPUT) from None
    except OSError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(EXIT_INPUT) from None


CaseArg = Annotated[
    Path, typer.Argument(help="A case folder (with case.toml), e.g. cases/precision-machinery.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
MethodOpt = Annotated[
    str | None, typer.Option(help="eigenvector or geometric_mean (default: the case's).")
]
RiOpt = Annotated[
    str | None,
    typer.Option("--ri-table", help=f"Random-index table: {', '.join(ahp.RI_TABLES)}."),
]
AggOpt = Annotated[str | None, typer.Option(help="aij or aip (default: the case's).")]
PolicyOpt = Annotated[
    str | None,
    typer.Option(help="Experts over the CR threshold: keep, exclude or error."),
]


def _panel(case: Case, **overrides: str | None) -> PanelResult:
    opts = case.ahp | {k: v for k, v in overrides.items() if v is not None}
    if not case.experts:
        raise CkmError(
            "this case has fixed [weights] and no expert panel", path=case.path / "case.toml"
        )
    return evaluate(
        case.tree,
        case.experts,
        method=opts["method"],  # type: ignore[arg-type]
        ri_table=opts["ri_table"],
        rule=opts["rule"],
        aggregation=opts["aggregation"],  # type: ignore[arg-type]
        policy=opts["inconsistent_experts"],  # type: ignore[arg-type]
        completion=opts["completion"],  # type: ignore[arg-type]
    )


def _print_weights(result: PanelResult, lang: str = "en") -> None:
    tree = result.tree
    names = {e.id: e.name for e in result.experts}
    out.print(
        f"[bold]{tree.title}[/] — priorities by {result.method}, CR with random-index table "
        f"[bold]{result.ri_table}[/], acceptance rule {result.rule} "
        f"({ahp.THRESHOLD_RULES[result.rule].split(': ')[-1]}), panel by "
        f"{result.aggregation.upper()}, inconsistent experts: {result.policy}"
    )
    for node, n in result.nodes.items():
        g = n.group
        table = Table(title=f"{tree.label(node, lang)} ({node})", title_justify="left")
        table.add_column("expert")
        for c in n.criteria:
            table.add_column(tree.label(c, lang), justify="right")
        table.add_column(g.index, justify="right")
        table.add_column("verdict")
        for e in n.experts:
            p = e.priorities
            verdict = (
                "[green]ok[/]"
                if p.consistent
                else ("[yellow]excluded[/]" if e.excluded else f"[red]over {p.threshold:.2f}[/]")
            )
            table.add_row(
                names.get(e.expert, e.expert),
                *(f"{w:.4f}" for w in p.weights),
                f"{p.value:.3f}",
                verdict,
            )
        table.add_row(
            f"[bold]group ({result.aggregation.upper()})[/]",
            *(f"[bold]{w:.4f}[/]" for w in n.weights),
            f"{g.value:.3f}",
            "[green]ok[/]" if g.consistent else f"[red]over {g.threshold:.2f}[/]",
        )
        out.print(table)
        for e in n.experts:
            for i, j in e.missing:
                out.print(
                    f"  {names.get(e.expert, e.expert)}: {tree.label(i, lang)} vs "
                    f"{tree.label(j, lang)} not given, completed ({e.priorities.completion})"
                )
            for s in e.suggestions:
                pair = scale.describe(
                    s.current, tree.label(s.first, lang), tree.label(s.second, lang)
                )
                out.print(
                    f"  {names.get(e.expert, e.expert)}: revise {pair}"
                    f" -> {scale.fmt(s.suggested)}, the value the other judgements imply "
                    f"({e.priorities.index} would be {s.value_after:.3f})"
                )
        for s in n.suggestions:
            out.print(
                f"  group: revise {tree.label(s.first, lang)} vs {tree.label(s.second, lang)}"
                f" {scale.fmt(s.current)} -> {scale.fmt(s.suggested)}"
            )
        if n.consensus is not None:
            c = n.consensus
            line = f"  consensus S* = {c.s_star:.0%} ({c.band})"
            if c.farthest is not None:
                who = names.get(n.experts[c.farthest].expert)
                line += f"; farthest from the group: {who} (without: {c.s_without_farthest:.0%})"
            out.print(line)
    table = Table(title="Global indicator weights", title_justify="left")
    table.add_column("indicator")
    table.add_column("dimension")
    table.add_column("weight", justify="right")
    for leaf, w in zip(result.leaves, result.global_weights, strict=True):
        table.add_row(tree.label(leaf, lang), tree.label(tree.dimension_of(leaf), lang), f"{w:.4f}")
    out.print(table)


@app.command()
def weights(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="A case folder (with case.toml), or expert judgement files / folders of them "
            "together with --tree.",
            show_default=False,
        ),
    ],
    tree: Annotated[
        Path | None,
        typer.Option(help="Criteria tree file, when PATHS are judgement files."),
    ] = None,
    json_: JsonOpt = False,
    method: MethodOpt = None,
    ri_table: RiOpt = None,
    rule: Annotated[
        str | None, typer.Option(help=f"CR acceptance rule: {', '.join(ahp.THRESHOLD_RULES)}.")
    ] = None,
    aggregation: AggOpt = None,
    policy: PolicyOpt = None,
    completion: Annotated[
        str | None, typer.Option(help="Missing judgements: harker or optimal.")
    ] = None,
    lang: Annotated[str, typer.Option(help="Labels: en or zh.")] = "en",
) -> None:
    """Panel weights: local priorities and consistency per node, judgements to revise,
    consensus, global indicator weights."""
    from .case import from_judgements
    from .report import panel_to_dict, provenance, to_json

    with _friendly_errors():
        if tree is not None:
            c = from_judgements(tree, paths)
        elif len(paths) == 1:
            c = load_case(paths[0])
        else:
            raise CkmError(
                "several paths given without --tree",
                hint="Give one case folder, or judgement files with --tree criteria/<tree>.toml",
            )
        result = _panel(
            c,
            method=method,
            ri_table=ri_table,
            rule=rule,
            aggregation=aggregation,
            inconsistent_experts=policy,
            completion=completion,
        )
    if json_:
        data = panel_to_dict(result)
        data["provenance"] = provenance(c.inputs, shlex.join(["ckm", *sys.argv[1:]]))
        print(to_json(data))
    else:
        _print_weights(result, lang)


@app.command()
def run(
    case: CaseArg,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Output folder (default: out/<case name>)."),
    ] = None,
    json_: JsonOpt = False,
    lang: Annotated[str, typer.Option(help="Labels: en or zh.")] = "en",
) -> None:
    """The main job on a case: panel weights and consistency, written to an output folder
    (results.json, summary.md) and printed."""
    from .report import panel_to_dict, provenance, to_json, weights_markdown, write_folder

    with _friendly_errors():
        c = load_case(case)
        result = _panel(c)
        data = panel_to_dict(result)
        data["provenance"] = provenance(c.inputs, shlex.join(["ckm", *sys.argv[1:]]))
        target = out_dir or Path("out") / c.path.name

        def write(folder: Path) -> None:
            (folder / "results.json").write_text(to_json(data), encoding="utf-8")
            md = f"# {c.name}\n\n" + weights_markdown(result, lang)
            (folder / "summary.md").write_text(md, encoding="utf-8")

        written = write_folder(target, write)
    if json_:
        print(to_json(data))
        return
    _print_weights(result, lang)
    err.print(f"Report written to {written}/ (summary.md, results.json)")


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


from .cli_panel import register as _register_panel  # noqa: E402

_register_panel(app)


def main() -> None:
    """Entry point of the ``ckm`` console script."""
    app()
