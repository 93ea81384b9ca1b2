"""The options the commands share, typed once.

Every choice is an enum generated from the library's tuple (:mod:`mcda_ckm.model.settings`), so
typer lists the choices and refuses anything else (``--lang fr``) before a command runs, and a
choice added to the library appears here by itself. Options that override a case's setting
default to None, meaning "the case's"; the defaults themselves live in the library.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from mcda_ckm.model.settings import (
    AGGREGATIONS,
    COMBINATIONS,
    COMPLETIONS,
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
    ENGINES,
    LANGUAGES,
    MAX_SAMPLES,
    METHODS,
    NORMALIZATIONS,
    OBJECTIVES,
    POLICIES,
    RI_TABLE_NAMES,
    RULE_NAMES,
    SOURCES,
    AhpSettings,
    RankingSettings,
    SensitivitySettings,
    WeightSettings,
)
from mcda_ckm.model.values import DEFAULT_MEMORY_FRACTION

__all__ = [
    "AggregationChoice",
    "CombineChoice",
    "CompletionChoice",
    "EngineChoice",
    "LanguageChoice",
    "MethodChoice",
    "NormalizationChoice",
    "ObjectiveChoice",
    "PolicyChoice",
    "RiTableChoice",
    "RuleChoice",
    "SourceChoice",
    "value",
]

# mypy cannot see the members of an enum built from a tuple (it wants a literal), hence the
# one ignore per enum; the members are the tuple's values, and typer reads them at run time.
MethodChoice = StrEnum("MethodChoice", {v: v for v in METHODS})  # type: ignore[misc]
RiTableChoice = StrEnum("RiTableChoice", {v: v for v in RI_TABLE_NAMES})  # type: ignore[misc]
RuleChoice = StrEnum("RuleChoice", {v: v for v in RULE_NAMES})  # type: ignore[misc]
AggregationChoice = StrEnum("AggregationChoice", {v: v for v in AGGREGATIONS})  # type: ignore[misc]
PolicyChoice = StrEnum("PolicyChoice", {v: v for v in POLICIES})  # type: ignore[misc]
CompletionChoice = StrEnum("CompletionChoice", {v: v for v in COMPLETIONS})  # type: ignore[misc]
NormalizationChoice = StrEnum("NormalizationChoice", {v: v for v in NORMALIZATIONS})  # type: ignore[misc]
LanguageChoice = StrEnum("LanguageChoice", {v: v for v in LANGUAGES})  # type: ignore[misc]
SourceChoice = StrEnum("SourceChoice", {v: v for v in SOURCES})  # type: ignore[misc]
EngineChoice = StrEnum("EngineChoice", {v: v for v in ENGINES})  # type: ignore[misc]
ObjectiveChoice = StrEnum("ObjectiveChoice", {v: v for v in OBJECTIVES})  # type: ignore[misc]
CombineChoice = StrEnum("CombineChoice", {v: v for v in COMBINATIONS})  # type: ignore[misc]


def value(choice: StrEnum | None) -> Any:
    """The library's value of a parsed choice (None stays None).

    Typed ``Any`` because the enums above are opaque to mypy; the library's settings check
    the value again on construction.
    """
    return None if choice is None else choice.value


_AHP = AhpSettings()
_RANKING = RankingSettings()
_SAMPLING = SensitivitySettings()
_WEIGHTS = WeightSettings()

# -- a case ----------------------------------------------------------------------------------

CaseArg = Annotated[
    Path, typer.Argument(help="A case folder (with case.toml), e.g. cases/precision-machinery.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or messages.")]
LangOpt = Annotated[LanguageChoice, typer.Option(help="Language of labels and the report.")]
PdfOpt = Annotated[
    bool,
    typer.Option(
        "--pdf", help="Also write report.pdf (printed by headless Chromium through Playwright)."
    ),
]
DEFAULT_LANG: Any = LanguageChoice(LANGUAGES[0])
OutOpt = Annotated[
    Path | None,
    typer.Option("--out", help="Report folder (default: out/<case folder name>)."),
]

# -- the AHP ([ahp] of case.toml) ------------------------------------------------------------

MethodOpt = Annotated[
    MethodChoice | None,
    typer.Option(help=f"Priorities (default: the case's, else {_AHP.method})."),
]
RiOpt = Annotated[
    RiTableChoice | None,
    typer.Option(
        "--ri-table",
        help=f"Random-index table (default: the case's, else {_AHP.ri_table}; "
        "'ckm ri-tables' lists their sources).",
    ),
]
RuleOpt = Annotated[
    RuleChoice | None,
    typer.Option(help=f"CR acceptance rule (default: the case's, else {_AHP.rule})."),
]
AggOpt = Annotated[
    AggregationChoice | None,
    typer.Option(help=f"Panel aggregation (default: the case's, else {_AHP.aggregation})."),
]
PolicyOpt = Annotated[
    PolicyChoice | None,
    typer.Option(
        help="Experts over the CR threshold (default: the case's inconsistent_experts, else "
        f"{_AHP.inconsistent_experts})."
    ),
]
CompletionOpt = Annotated[
    CompletionChoice | None,
    typer.Option(help=f"Missing judgements (default: the case's, else {_AHP.completion})."),
]

# -- the ranking and the sampling ([ranking], [sensitivity]) ---------------------------------

TopOpt = Annotated[
    int | None,
    typer.Option(
        "--top",
        min=1,
        help=f"How many key sources (default: the case's top_k, else {_RANKING.top_k}).",
    ),
]
NormalizationOpt = Annotated[
    NormalizationChoice | None,
    typer.Option(help=f"Normalisation (default: the case's, else {_RANKING.normalization})."),
]
SamplesOpt = Annotated[
    int | None,
    typer.Option(
        min=1,
        max=MAX_SAMPLES,
        help=f"Weight samples for the SMAA analysis, 1 to {MAX_SAMPLES:,} (default: the "
        f"case's, else {DEFAULT_SAMPLES:,}).",
    ),
]
SeedOpt = Annotated[
    int | None,
    typer.Option(
        min=0,
        help=f"Seed of the sampling, written into the report (default: the case's, else "
        f"{DEFAULT_SEED}).",
    ),
]
SourceOpt = Annotated[
    SourceChoice | None,
    typer.Option(
        help="Where sampled weights come from: panel (resampled experts and judgements), "
        "uniform (no preference information) or around (the AHP weights +- --spread). "
        "Default: the case's, else panel, or around for fixed-weight cases."
    ),
]
SpreadOpt = Annotated[
    float | None,
    typer.Option(
        min=0.0,
        help=f"Spread of --source around (0.2 = about 20%; default: the case's, else "
        f"{_SAMPLING.spread}).",
    ),
]
EngineOpt = Annotated[
    EngineChoice | None,
    typer.Option(
        help="Where to compute (default: stream for Parquet and CSV files of 64 MiB or more, "
        "else memory)."
    ),
]
MaxMemoryOpt = Annotated[
    str | None,
    typer.Option(
        "--max-memory",
        help=f"Memory budget: the run stops before reading the customers if it expects to need "
        f"more (e.g. 4G, 512M, 80%; 0 for no limit; default {DEFAULT_MEMORY_FRACTION:.0%} of "
        "the machine's memory).",
        show_default=False,
    ),
]

# -- objective weights and their combination ([weights]) -------------------------------------

ObjectiveOpt = Annotated[
    ObjectiveChoice | None,
    typer.Option(
        help=f"Objective weights from the customers, shown beside the panel's (default: the "
        f"case's [weights] objective, else {_WEIGHTS.objective})."
    ),
]
CombineOpt = Annotated[
    CombineChoice | None,
    typer.Option(
        help="Combine the panel's weights with the objective ones by this rule; the combined "
        "weights then rank the customers (default: the case's [weights] combine, else none)."
    ),
]
AlphaOpt = Annotated[
    float | None,
    typer.Option(
        min=0.0,
        max=1.0,
        help=f"The linear rule's share of the panel, 0 to 1 (default: the case's, else "
        f"{_WEIGHTS.alpha}).",
    ),
]
