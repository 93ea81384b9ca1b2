"""The commands on a case: ``ckm weights``, ``ckm run``, ``ckm report``, ``ckm sensitivity``.

They share their options (:mod:`mcda_ckm.cli.options`): the AHP ones override the case's
``[ahp]``, the ranking and sampling ones its ``[ranking]`` and ``[sensitivity]``; an option not
given leaves the case's setting, and a setting the case does not give is the library's default.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mcda_ckm.cli.console import err, friendly_errors, progress
from mcda_ckm.cli.options import (
    DEFAULT_LANG,
    AggOpt,
    AlphaOpt,
    CaseArg,
    CombineOpt,
    CompletionOpt,
    JsonOpt,
    LangOpt,
    MaxMemoryOpt,
    MethodOpt,
    ObjectiveOpt,
    OutOpt,
    PdfOpt,
    PolicyOpt,
    QuietOpt,
    RiOpt,
    RuleOpt,
    SamplesOpt,
    SeedOpt,
    SourceOpt,
    SpreadOpt,
    TopOpt,
    value,
)
from mcda_ckm.cli.show import (
    print_quality,
    print_ranking,
    print_sensitivity,
    print_summary,
    print_warnings,
    print_weights,
)
from mcda_ckm.errors import CkmError
from mcda_ckm.model.case import Case, from_judgements, load_case
from mcda_ckm.model.settings import AhpSettings, WeightSettings
from mcda_ckm.model.values import parse_memory

if TYPE_CHECKING:
    from enum import StrEnum

    from mcda_ckm.workflows.study import Study

__all__ = ["register"]


def command_line() -> str:
    """The command as typed, for the provenance written into results, with every absolute
    path made relative to the working folder (issue 15: no absolute path in any output; the
    command still reruns from the same folder)."""
    return shlex.join(["ckm", *(relative_arg(a) for a in sys.argv[1:])])


def relative_arg(arg: str) -> str:
    """``arg``, or ``--opt=value``'s value, relative to the working folder when absolute.

    >>> import os
    >>> here = os.path.join(os.getcwd(), "out", "x")
    >>> relative_arg(here), relative_arg(f"--out={here}"), relative_arg("5")
    ('out/x', '--out=out/x', '5')
    """
    head, sep, tail = arg.partition("=") if arg.startswith("--") else ("", "", arg)
    if not os.path.isabs(tail):
        return arg
    try:
        tail = os.path.relpath(tail)
    except ValueError:  # another drive (Windows): the name alone
        tail = os.path.basename(tail)
    return f"{head}{sep}{tail}"


def ahp_of(
    case: Case,
    method: StrEnum | None,
    ri_table: StrEnum | None,
    rule: StrEnum | None,
    aggregation: StrEnum | None,
    policy: StrEnum | None,
    completion: StrEnum | None,
) -> AhpSettings:
    """The case's ``[ahp]`` with the options given on the command line."""
    return case.settings.ahp.with_overrides(
        method=value(method),
        ri_table=value(ri_table),
        rule=value(rule),
        aggregation=value(aggregation),
        inconsistent_experts=value(policy),
        completion=value(completion),
    )


def weighting_of(
    case: Case, objective: StrEnum | None, combine: StrEnum | None, alpha: float | None
) -> WeightSettings:
    """The case's ``[weights]`` settings with the options given on the command line."""
    return case.settings.weights.with_overrides(
        objective=value(objective), combine=value(combine), alpha=alpha
    )


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
    rule: RuleOpt = None,
    aggregation: AggOpt = None,
    policy: PolicyOpt = None,
    completion: CompletionOpt = None,
    lang: LangOpt = DEFAULT_LANG,
    objective: ObjectiveOpt = None,
    combine: CombineOpt = None,
    alpha: AlphaOpt = None,
) -> None:
    """Panel weights: per node priorities, CR, judgements to revise, consensus; global weights.

    With an objective (--objective or the case's [weights] objective): the panel's, objective
    and combined weights side by side, each one's key sources, their overlap and the alpha sweep.
    """
    from mcda_ckm.cli.weighing import print_weighing
    from mcda_ckm.report.results import panel_to_dict, provenance, to_json
    from mcda_ckm.report.weighing import weighing_to_dict
    from mcda_ckm.weights.panel import evaluate_case

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
        print_warnings(c.warnings)
        settings = ahp_of(c, method, ri_table, rule, aggregation, policy, completion)
        if tree is not None and (objective, combine, alpha) != (None, None, None):
            raise CkmError(
                "objective weights are computed from a case's customers",
                where="--objective",
                hint="Give a case folder with a customers file instead of judgement files",
            )
        result = evaluate_case(c, settings)
        weighing = None
        ws = weighting_of(c, objective, combine, alpha)
        if ws.objective != "none":  # the customers are needed: the study without sensitivity
            from mcda_ckm.workflows.study import run_study

            weighing = run_study(c, ahp=settings, weights=ws, with_sensitivity=False).weighing
    print_quality(result, value(lang))  # on stderr, with --json too: nothing in silence
    if json_:
        data = panel_to_dict(result)
        if weighing is not None:
            data["weighing"] = weighing_to_dict(weighing, c.tree)
        data["provenance"] = provenance(c.inputs, command_line())
        print(to_json(data))
    else:
        print_weights(result, value(lang))
    if weighing is not None:
        print_weighing(weighing, c.tree, value(lang), table=not json_)


def study_of(
    case: Path,
    ahp: tuple[StrEnum | None, ...],
    top: int | None,
    samples: int | None,
    seed: int | None,
    source: StrEnum | None,
    spread: float | None,
    quiet: bool,
    max_memory: str | None = None,
    lang: StrEnum = DEFAULT_LANG,
    weighting: tuple[StrEnum | None, StrEnum | None, float | None] = (None, None, None),
) -> Study:
    """Load a case, show its warnings and run its study with the options given."""
    from mcda_ckm.workflows.study import run_study

    budget = parse_memory(max_memory) if max_memory is not None else None
    c = load_case(case)
    print_warnings(c.warnings)
    settings = ahp_of(c, *ahp)
    ws = weighting_of(c, *weighting)
    from mcda_ckm.report.narrative import phrase, read_as

    with progress(quiet, phrase("sensitivity_progress", value(lang))) as update:
        study = run_study(
            c,
            ahp=settings,
            top_k=top,
            samples=samples,
            seed=seed,
            source=value(source),
            spread=spread,
            progress=update,
            max_memory=budget,
            check_memory_budget=max_memory is None or budget is not None,
            weights=ws,
        )
    if study.weighing is not None:  # the guards' explanations, on stderr
        from mcda_ckm.cli.weighing import print_weighing

        print_weighing(study.weighing, c.tree, value(lang), table=False)
    if study.matrix.encoding != "utf-8" and not quiet:
        name = study.matrix.path.name if study.matrix.path else ""
        err.print(read_as(name, study.matrix.encoding, value(lang)))
    return study


def target_of(case: Path, out_dir: Path | None) -> Path:
    """The report folder (default ``out/<case folder name>``), checked before the work so that
    a refused ``--out`` costs no computation (:func:`mcda_ckm.files.check_folder`)."""
    from mcda_ckm.files import check_folder

    folder = case.resolve() if case.is_dir() else case.resolve().parent
    target = out_dir or Path("out") / folder.name
    check_folder(target, protect=[case])
    return target


def write(study: Study, target: Path, lang: StrEnum, pdf: bool = False) -> Path:
    """Write the report of a study in ``lang`` into its folder (each language its own files)."""
    from mcda_ckm.report.writers import write_report

    return write_report(study, target, command=command_line(), lang=value(lang), pdf=pdf)


def html_of(folder: Path, lang: StrEnum) -> Path:
    """The report's HTML file for ``lang`` in ``folder``."""
    from mcda_ckm.report.writers import output_names

    return folder / output_names(value(lang))["html"]


def run(
    case: CaseArg,
    out_dir: OutOpt = None,
    top: TopOpt = None,
    samples: SamplesOpt = None,
    seed: SeedOpt = None,
    source: SourceOpt = None,
    spread: SpreadOpt = None,
    method: MethodOpt = None,
    ri_table: RiOpt = None,
    rule: RuleOpt = None,
    aggregation: AggOpt = None,
    policy: PolicyOpt = None,
    completion: CompletionOpt = None,
    lang: LangOpt = DEFAULT_LANG,
    json_: JsonOpt = False,
    quiet: QuietOpt = False,
    max_memory: MaxMemoryOpt = None,
    pdf: PdfOpt = False,
    objective: ObjectiveOpt = None,
    combine: CombineOpt = None,
    alpha: AlphaOpt = None,
) -> None:
    """The main job: weights, ranking, cross-check, sensitivity and the report folder.

    Writes report.html, report.md, results.json, ranking.csv and figures/ atomically (with
    --lang zh: report.zh.html, results.zh.json... beside them; --pdf adds report.pdf).
    """
    from mcda_ckm.report.results import study_to_dict, to_json

    ahp = (method, ri_table, rule, aggregation, policy, completion)
    with friendly_errors():
        target = target_of(case, out_dir)
        w = (objective, combine, alpha)
        study = study_of(case, ahp, top, samples, seed, source, spread, quiet, max_memory, lang, w)
        written = write(study, target, lang, pdf)
    if study.panel is not None:
        # on stderr also with --json: a script must not lose an expert in silence (issue 14)
        print_quality(study.panel, value(lang), study)
    if json_:
        print(to_json(study_to_dict(study, command_line(), value(lang))))
        return
    from mcda_ckm.report.narrative import report_written

    if study.panel is not None:
        print_weights(study.panel, value(lang))
    print_ranking(study, value(lang))
    print_summary(study, value(lang))
    if not quiet:
        err.print(report_written(str(written), str(html_of(written, lang)), value(lang)))


def report(
    case: CaseArg,
    out_dir: OutOpt = None,
    top: TopOpt = None,
    samples: SamplesOpt = None,
    seed: SeedOpt = None,
    source: SourceOpt = None,
    spread: SpreadOpt = None,
    method: MethodOpt = None,
    ri_table: RiOpt = None,
    rule: RuleOpt = None,
    aggregation: AggOpt = None,
    policy: PolicyOpt = None,
    completion: CompletionOpt = None,
    lang: LangOpt = DEFAULT_LANG,
    quiet: QuietOpt = False,
    max_memory: MaxMemoryOpt = None,
    objective: ObjectiveOpt = None,
    combine: CombineOpt = None,
    alpha: AlphaOpt = None,
) -> None:
    """Write the report folder of a case (the same as 'ckm run', printing only where)."""
    ahp = (method, ri_table, rule, aggregation, policy, completion)
    with friendly_errors():
        target = target_of(case, out_dir)
        w = (objective, combine, alpha)
        study = study_of(case, ahp, top, samples, seed, source, spread, quiet, max_memory, lang, w)
        written = write(study, target, lang)
    if study.panel is not None:
        print_quality(study.panel, value(lang), study)
    print(html_of(written, lang))


def sensitivity(
    case: CaseArg,
    top: TopOpt = None,
    samples: SamplesOpt = None,
    seed: SeedOpt = None,
    source: SourceOpt = None,
    spread: SpreadOpt = None,
    method: MethodOpt = None,
    ri_table: RiOpt = None,
    rule: RuleOpt = None,
    aggregation: AggOpt = None,
    policy: PolicyOpt = None,
    completion: CompletionOpt = None,
    json_: JsonOpt = False,
    lang: LangOpt = DEFAULT_LANG,
    quiet: QuietOpt = False,
    max_memory: MaxMemoryOpt = None,
    objective: ObjectiveOpt = None,
    combine: CombineOpt = None,
    alpha: AlphaOpt = None,
) -> None:
    """How firm the key sources are: weight and judgement tolerances, SMAA-2 probabilities."""
    from mcda_ckm.report.results import sensitivity_to_dict, to_json

    ahp = (method, ri_table, rule, aggregation, policy, completion)
    with friendly_errors():
        w = (objective, combine, alpha)
        study = study_of(case, ahp, top, samples, seed, source, spread, quiet, max_memory, lang, w)
    if study.panel is not None:  # on stderr, with --json too
        print_quality(study.panel, value(lang), study)
    if json_:
        data = sensitivity_to_dict(study, value(lang)) or {}
        data["key_sources"] = list(study.ranking.key_sources)
        print(to_json(data))
        return
    print_sensitivity(study, value(lang))


def register(app: typer.Typer) -> None:
    """Add the case commands to ``app``."""
    app.command()(weights)
    app.command()(run)
    app.command()(report)
    app.command()(sensitivity)
