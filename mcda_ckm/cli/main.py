"""The ``ckm`` command line: parse arguments, call the library, print.

Data goes to stdout (rich tables, or JSON with ``--json``); errors go to stderr as one line with
a non-zero exit code and no traceback.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.markup import escape
from rich.table import Table

from mcda_ckm.cli.cases import register as register_cases
from mcda_ckm.cli.console import err, friendly_errors, out, progress
from mcda_ckm.cli.panel import register as register_panel
from mcda_ckm.errors import CkmError
from mcda_ckm.model import scale
from mcda_ckm.model.case import load_case
from mcda_ckm.weights import ahp
from mcda_ckm.weights.panel import PanelResult

app = typer.Typer(
    name="ckm",
    help="Identify key customer knowledge sources: AHP panel weights, TOPSIS ranking, reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
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
    """Panel weights: per node priorities, CR, judgements to revise, consensus; global weights."""
    from mcda_ckm.model.case import from_judgements
    from mcda_ckm.report.results import panel_to_dict, provenance, to_json

    with friendly_errors():
        if tree is not None:
            c = from_judgements(tree, paths)
        elif len(paths) == 1:
            c = load_case(paths[0])
        else:
            raise CkmError(
                "several paths given without --tree",
                hint="Give one case folder, or judgement files with --tree criteria/<tree>.toml",
            )
        result = c.evaluate(
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


SamplesOpt = Annotated[int, typer.Option(help="Weight samples for the SMAA analysis.")]
SeedOpt = Annotated[int, typer.Option(help="Seed of the sampling (written into the report).")]
SourceOpt = Annotated[
    str | None,
    typer.Option(
        help="Where sampled weights come from: panel (resampled experts and judgements), "
        "uniform (no preference information) or around (the AHP weights +- --spread). "
        "Default: panel, or around for fixed-weight cases."
    ),
]
SpreadOpt = Annotated[float, typer.Option(help="Spread of --source around (0.2 = about 20%).")]
TopOpt = Annotated[
    int | None, typer.Option("--top", help="How many key sources (default: the case's top_k).")
]
LangOpt = Annotated[str, typer.Option(help="Report language: en or zh.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or messages.")]


def _study(
    case: Path,
    top: int | None,
    samples: int,
    seed: int,
    source: str | None,
    spread: float,
    quiet: bool,
    sensitivity: bool = True,
):
    from mcda_ckm.workflows.study import run_study

    c = load_case(case)
    with progress(quiet, "sensitivity") as update:
        return run_study(
            c,
            top_k=top,
            samples=samples,
            seed=seed,
            source=source,
            spread=spread,
            with_sensitivity=sensitivity,
            progress=update,
        )


def _print_ranking(study, lang: str) -> None:  # type: ignore[no-untyped-def]
    r, dm, read, tree = study.ranking, study.matrix, study.reading, study.case.tree
    if dm.constant_columns:
        err.print(
            f"note: {dm.path}: constant column(s) {', '.join(dm.constant_columns)}: the same "
            "for every customer, they carry no information"
        )
    prob = study.sensitivity.acceptability.key_probability if study.sensitivity else None
    table = Table(title=f"Key customer knowledge sources (top {study.top_k})", title_justify="left")
    for col in ("rank", "id", "name", "closeness", "weak dimension"):
        table.add_column(col, justify="right" if col in ("rank", "closeness") else "left")
    if prob is not None:
        table.add_column("P(key)", justify="right")
    show = max(study.top_k + 5, 10)
    for i in map(int, r.order[:show]):
        row = [
            str(int(r.ranks[i])),
            dm.ids[i],
            escape(dm.names[i]),
            f"{r.closeness[i]:.4f}",
            tree.label(read.weak_dimension[i], lang) if read.weak_dimension[i] else "",
        ]
        if prob is not None:
            row.append(f"{prob[i]:.0%}")
        style = "bold" if i in set(r.top_k.tolist()) else None
        table.add_row(*row, style=style)
    out.print(table)
    from mcda_ckm.report import narrative

    for i in r.top_k:
        out.print(f"  {escape(narrative.summary(read, int(i), lang, tree))}")
    out.print(f"Cross-check: {escape(narrative.cross_check_verdict(study.cross, lang))}")


@app.command()
def run(
    case: CaseArg,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Report folder (default: out/<case folder name>)."),
    ] = None,
    top: TopOpt = None,
    samples: SamplesOpt = 10_000,
    seed: SeedOpt = 20081008,
    source: SourceOpt = None,
    spread: SpreadOpt = 0.2,
    lang: LangOpt = "en",
    json_: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """The main job: weights, ranking, cross-check, sensitivity and the report folder.

    Writes report.html, report.md, results.json, ranking.csv and figures/ atomically.
    """
    from mcda_ckm.report.results import study_to_dict, to_json

    study, written, command = _report(
        case, out_dir, top, samples, seed, source, spread, lang, quiet
    )
    if json_:
        print(to_json(study_to_dict(study, command, lang)))
        return
    if study.panel is not None:
        _print_weights(study.panel, lang)
    _print_ranking(study, lang)
    if not quiet:
        err.print(f"Report written to {written}/ — open {written / 'report.html'} in a browser.")


def _report(case, out_dir, top, samples, seed, source, spread, lang, quiet):  # type: ignore[no-untyped-def]
    """Run the study of a case and write its report folder; errors become one line."""
    from mcda_ckm.files import check_folder
    from mcda_ckm.report.writers import write_report

    command = shlex.join(["ckm", *sys.argv[1:]])
    with friendly_errors():
        folder = case.resolve() if case.is_dir() else case.resolve().parent
        target = out_dir or Path("out") / folder.name
        check_folder(target, protect=[case])  # before the work, not only after it
        study = _study(case, top, samples, seed, source, spread, quiet)
        written = write_report(study, target, command=command, lang=lang)
    return study, written, command


@app.command()
def report(
    case: CaseArg,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Report folder (default: out/<case folder name>)."),
    ] = None,
    top: TopOpt = None,
    samples: SamplesOpt = 10_000,
    seed: SeedOpt = 20081008,
    source: SourceOpt = None,
    spread: SpreadOpt = 0.2,
    lang: LangOpt = "en",
    quiet: QuietOpt = False,
) -> None:
    """Write the report folder of a case (the same as 'ckm run', printing only where)."""
    _, written, _ = _report(case, out_dir, top, samples, seed, source, spread, lang, quiet)
    print(written / "report.html")


@app.command()
def sensitivity(
    case: CaseArg,
    top: TopOpt = None,
    samples: SamplesOpt = 10_000,
    seed: SeedOpt = 20081008,
    source: SourceOpt = None,
    spread: SpreadOpt = 0.2,
    json_: JsonOpt = False,
    lang: Annotated[str, typer.Option(help="Labels: en or zh.")] = "en",
    quiet: QuietOpt = False,
) -> None:
    """How firm the key sources are: weight and judgement tolerances, SMAA-2 probabilities."""
    from mcda_ckm.report.narrative import robustness_verdict
    from mcda_ckm.report.results import sensitivity_to_dict, to_json

    with friendly_errors():
        study = _study(case, top, samples, seed, source, spread, quiet)
    s = study.sensitivity
    assert s is not None
    if json_:
        data = sensitivity_to_dict(study, lang) or {}
        data["key_sources"] = list(study.ranking.key_sources)
        print(to_json(data))
        return
    tree, ids = study.case.tree, study.matrix.ids
    table = Table(
        title="Weight tolerance: the key set stays while the local weight is in [low, high]",
        title_justify="left",
    )
    for col in ("node", "now", "low", "high", "at low", "at high"):
        table.add_column(col, justify="right" if col in ("now", "low", "high") else "left")
    for t in sorted(s.tolerances, key=lambda x: x.width):
        swaps = [
            f"{b.enters} replaces {b.leaves}" if b.leaves else "never"
            for b in (t.key_low, t.key_high)
        ]
        table.add_row(
            tree.label(t.node, lang),
            f"{t.t0:.3f}",
            f"{t.key_low.t:.3f}",
            f"{t.key_high.t:.3f}",
            *swaps,
        )
    out.print(table)
    if s.judgements:
        jt = Table(
            title="Judgements the key set hangs on (steps on the Saaty scale)", title_justify="left"
        )
        for col in ("expert", "node", "judgement", "down", "up"):
            jt.add_column(col)
        names = {e.id: e.name for e in study.case.experts}
        for j in s.judgements[:15]:
            jt.add_row(
                names.get(j.expert, j.expert),
                tree.label(j.node, lang),
                scale.describe(j.value, tree.label(j.first, lang), tree.label(j.second, lang)),
                "∞" if j.steps_down is None else str(j.steps_down),
                "∞" if j.steps_up is None else str(j.steps_up),
            )
        out.print(jt)
    acc = s.acceptability
    pt = Table(
        title=f"Probability of being a key source ({acc.n_samples:,} samples, "
        f"{acc.source}, seed {acc.seed})",
        title_justify="left",
    )
    pt.add_column("id")
    pt.add_column("P(key)", justify="right")
    pt.add_column("P(rank 1)", justify="right")
    for i in np.argsort(-acc.key_probability, kind="stable")[: study.top_k + 5]:
        pt.add_row(ids[i], f"{acc.key_probability[i]:.1%}", f"{acc.rank_acceptability[i, 0]:.1%}")
    out.print(pt)
    out.print(escape(robustness_verdict(study, lang)))


@app.command("rank")
def rank_cmd(
    data: Annotated[
        Path,
        typer.Argument(help="Customers file (CSV or XLSX): id, name, one column per criterion."),
    ],
    weights: Annotated[
        str,
        typer.Option(
            help="Criterion weights: numbers in column order ('0.3,0.2,0.5'), name=value pairs "
            "('trust=0.3,...'), or a case folder whose panel gives them."
        ),
    ],
    directions: Annotated[
        str | None,
        typer.Option(
            help="benefit/cost per column in order ('benefit,cost,...' or '+,-,...'); "
            "default all benefit."
        ),
    ] = None,
    top: Annotated[int, typer.Option("--top", help="How many key sources.")] = 5,
    normalization: Annotated[str, typer.Option(help="vector or minmax.")] = "vector",
    json_: JsonOpt = False,
    out_csv: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write the scores to this file: CSV (memory engine: best first); .parquet or "
            ".csv (stream: input order); a folder of Parquet parts (dask).",
        ),
    ] = None,
    engine: Annotated[
        str | None,
        typer.Option(
            help="memory, stream or dask (default: stream for Parquet and CSV files of 64 MiB "
            "or more, else memory)."
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address (default: a local cluster)."),
    ] = None,
    chunk_rows: Annotated[
        int | None, typer.Option("--chunk-rows", help="Rows per chunk (stream engine).")
    ] = None,
    full_ranks: Annotated[
        bool, typer.Option("--full-ranks", help="Add a rank column to --out (stream engine).")
    ] = False,
    samples: Annotated[
        int,
        typer.Option(help="Key-source probabilities from this many sampled weight vectors."),
    ] = 0,
    seed: Annotated[int, typer.Option(help="Seed of the weight samples.")] = 0,
    quiet: QuietOpt = False,
) -> None:
    """Rank ad-hoc customer data with given weights (TOPSIS), of any size."""
    from mcda_ckm.workflows.adhoc import choose_engine, rank_file, rank_large

    with friendly_errors():
        chosen = choose_engine(data, engine)
    if chosen != "memory":
        with friendly_errors(), progress(quiet or json_, "Ranking") as update:
            large = rank_large(
                data,
                weights,
                directions,
                top,
                normalization,
                engine=chosen,
                out=out_csv,
                chunk_rows=chunk_rows,
                full_ranks=full_ranks,
                scheduler=scheduler,
                samples=samples,
                seed=seed,
                progress=update,
            )
        if json_:
            from mcda_ckm.report.results import to_json

            print(to_json(large.to_dict()))
            return
        sr = large.ranking
        table = Table(
            title=f"TOPSIS key sources of {data.name} ({sr.customers:,} customers, {chosen})",
            title_justify="left",
        )
        for col in ("rank", "id", "name", "closeness"):
            table.add_column(col, justify="right" if col in ("rank", "closeness") else "left")
        for r in range(len(sr.top_ids)):
            table.add_row(
                str(r + 1),
                escape(sr.top_ids[r]),
                escape(sr.top_names[r]),
                f"{sr.top_closeness[r]:.4f}",
            )
        out.print(table)
        if sr.tie_at_cutoff:
            err.print("note: a tie straddles the top-k cut; input order decided it")
        if large.key_probabilities is not None:
            kp = large.key_probabilities
            pt = Table(title=f"Key-source probability ({kp.n_samples} samples)")
            pt.add_column("id")
            pt.add_column("P(key)", justify="right")
            for cid, p in list(zip(kp.ids, kp.key_probability, strict=True))[:20]:
                pt.add_row(escape(cid), f"{p:.1%}")
            out.print(pt)
        if sr.out is not None and not quiet:
            err.print(f"scores of every customer written to {sr.out}")
        return
    with friendly_errors():
        result = rank_file(data, weights, directions, top, normalization, out_csv)
    if json_:
        from mcda_ckm.report.results import to_json

        print(to_json(result.to_dict()))
        return
    table = Table(title=f"TOPSIS ranking of {data.name} (top {top} in bold)", title_justify="left")
    for col in ("rank", "id", "name", "closeness"):
        table.add_column(col, justify="right" if col in ("rank", "closeness") else "left")
    r, dm = result.ranking, result.matrix
    key = set(r.top_k.tolist())
    for i in map(int, r.order):
        table.add_row(
            str(int(r.ranks[i])),
            dm.ids[i],
            escape(dm.names[i]),
            f"{r.closeness[i]:.4f}",
            style="bold" if i in key else None,
        )
    out.print(table)


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
