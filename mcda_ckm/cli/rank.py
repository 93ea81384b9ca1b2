"""``ckm rank``: rank a customers file of any size with given weights, or a case's.

``--weights NUMBERS`` and ``--case DIR`` are two options: numbers over the file's columns, or the
weights of a case (its fixed weights, or its panel run once with its own ``[ahp]`` settings).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mcda_ckm.cli.console import err, friendly_errors, progress
from mcda_ckm.cli.options import (
    AggOpt,
    AlphaOpt,
    CombineOpt,
    CompletionOpt,
    EngineOpt,
    JsonOpt,
    MethodOpt,
    NormalizationOpt,
    ObjectiveOpt,
    PolicyOpt,
    QuietOpt,
    RiOpt,
    RuleOpt,
    TopOpt,
    value,
)
from mcda_ckm.cli.show import print_adhoc, print_large, print_quality, print_warnings
from mcda_ckm.errors import CkmError
from mcda_ckm.model.case import load_case
from mcda_ckm.model.settings import DEFAULT_SEED, MAX_SAMPLES

if TYPE_CHECKING:  # an annotation only: importing it loads pymcdm and pandas at every start
    from mcda_ckm.weights.objective_core import ObjectiveWeights

__all__ = ["register"]


def rank_cmd(
    data: Annotated[
        Path,
        typer.Argument(help="Customers file (CSV or XLSX): id, name, one column per criterion."),
    ],
    weights: Annotated[
        str | None,
        typer.Option(
            help="Criterion weights: numbers in column order ('0.3,0.2,0.5') or name=value "
            "pairs ('trust=0.3,...'). Or give --case."
        ),
    ] = None,
    case: Annotated[
        Path | None,
        typer.Option(
            "--case",
            help="A case folder whose weights apply: its fixed [weights], or its panel with "
            "its own [ahp] settings (as 'ckm run'). Its tree names the columns and directions.",
        ),
    ] = None,
    directions: Annotated[
        str | None,
        typer.Option(
            help="Per column in order, with --weights: benefit, max or + (more is better); "
            "cost, min or - (less is better), e.g. 'benefit,cost,...' or '+,-,...'. "
            "Default all benefit."
        ),
    ] = None,
    top: TopOpt = None,
    normalization: NormalizationOpt = None,
    json_: JsonOpt = False,
    out_csv: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write the scores to this file: CSV (memory engine: best first); .parquet or "
            ".csv (stream: input order); a folder of Parquet parts (dask).",
        ),
    ] = None,
    engine: EngineOpt = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address (default: a local cluster)."),
    ] = None,
    chunk_rows: Annotated[
        int | None, typer.Option("--chunk-rows", min=1, help="Rows per chunk (stream engine).")
    ] = None,
    full_ranks: Annotated[
        bool, typer.Option("--full-ranks", help="Add a rank column to --out (stream engine).")
    ] = False,
    samples: Annotated[
        int,
        typer.Option(
            min=0,
            max=MAX_SAMPLES,
            help="Key-source probabilities from this many sampled weight vectors.",
        ),
    ] = 0,
    seed: Annotated[
        int | None,
        typer.Option(
            min=0,
            help=f"Seed of the weight samples (default: the case's, else {DEFAULT_SEED}).",
        ),
    ] = None,
    method: MethodOpt = None,
    ri_table: RiOpt = None,
    rule: RuleOpt = None,
    aggregation: AggOpt = None,
    policy: PolicyOpt = None,
    completion: CompletionOpt = None,
    quiet: QuietOpt = False,
    objective: ObjectiveOpt = None,
    combine: CombineOpt = None,
    alpha: AlphaOpt = None,
) -> None:
    """Rank ad-hoc customer data with given weights (TOPSIS), of any size."""
    from mcda_ckm.report.results import to_json
    from mcda_ckm.workflows.adhoc import (
        check_output,
        choose_engine,
        rank_file,
        rank_large,
        weighting_for_file,
        weighting_from_case,
    )

    with friendly_errors():
        if weights is not None and case is None and Path(weights).is_dir():
            # Deprecated in 0.x: kept for one release so that scripts keep working.
            err.print(
                f"[bold yellow]deprecated:[/] --weights DIR will be removed; use --case {weights}",
                soft_wrap=True,
            )
            case = Path(weights)
            weights = None
        if (weights is None) == (case is None):
            raise CkmError(
                "give either --weights NUMBERS or --case DIR"
                + (", not both" if weights is not None else ""),
                where="--weights / --case",
                hint="--weights '0.3,0.2,0.5' (or 'name=value,...'), or --case cases/my-client",
            )
        if case is not None and directions is not None:
            raise CkmError(
                "--directions applies to --weights; with --case the case's tree gives them",
                where="--directions",
                hint="Drop --directions, or change the directions in the tree file",
            )
        chosen = choose_engine(data, value(engine))
        if out_csv is not None:
            check_output(out_csv, chosen, data, case)
        if case is not None:
            c = load_case(case)
            print_warnings(c.warnings)
            ahp = c.settings.ahp.with_overrides(
                method=value(method),
                ri_table=value(ri_table),
                rule=value(rule),
                aggregation=value(aggregation),
                inconsistent_experts=value(policy),
                completion=value(completion),
            )
            weighting = weighting_from_case(c, ahp)
            if weighting.panel is not None and not json_:
                print_quality(weighting.panel)
        else:
            assert weights is not None  # one of the two, checked above
            weighting = weighting_for_file(data, chosen, weights, directions)
        if (objective, combine, alpha) != (None, None, None):
            from dataclasses import replace

            weighting = replace(
                weighting,
                combination=weighting.combination.with_overrides(
                    objective=value(objective), combine=value(combine), alpha=alpha
                ),
            )
    norm = value(normalization)
    if chosen != "memory":
        with friendly_errors(), progress(quiet or json_, "Ranking") as update:
            large = rank_large(
                data,
                weighting,
                top,
                norm,
                engine=chosen,
                out=out_csv,
                chunk_rows=chunk_rows,
                full_ranks=full_ranks,
                scheduler=scheduler,
                samples=samples,
                seed=seed,
                progress=update,
            )
        objective_notes(large.ranking.objective)
        if json_:
            print(to_json(large.to_dict()))
            return
        print_large(large, data, chosen)
        if large.ranking.out is not None and not quiet:
            err.print(f"scores of every customer written to {large.ranking.out}")
        return
    with friendly_errors():
        result = rank_file(data, weighting, None, top, norm, out_csv)
    objective_notes(result.objective)
    if json_:
        print(to_json(result.to_dict()))
        return
    print_adhoc(result, data)


def objective_notes(found: ObjectiveWeights | None) -> None:
    """The objective weights' guards on stderr (with --json too)."""
    for w in () if found is None else found.warnings:
        err.print(f"[bold yellow]warning:[/] {w.criterion}: {w.message}", soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add ``ckm rank`` to ``app``."""
    app.command("rank")(rank_cmd)
