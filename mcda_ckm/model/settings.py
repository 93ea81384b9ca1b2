"""The settings of a case, typed and frozen: AHP, ranking, CLV and sensitivity.

Every choice the engine offers is written here once, as a ``Literal`` type and the tuple of its
values (``METHODS``, ``RI_TABLE_NAMES``, ...); the methods check against these tuples and the CLI
generates its choices from them, so a value the library does not know cannot reach it by
another door. Every default is written here once too: the field defaults of the dataclasses
below (``AhpSettings()`` is the default AHP, ``DEFAULT_SEED`` the one sampling seed of every
command).

The readers (:func:`read_ahp`, :func:`read_ranking`, :func:`read_clv`, :func:`read_sensitivity`)
check one table of ``case.toml`` each and name the file, the table and the key of any problem,
with a "did you mean" for a misspelt key or choice; :func:`mcda_ckm.model.case.load_case` calls
them all before anything is computed. Values that are valid but implausible are not errors but
:class:`~mcda_ckm.model.values.SettingWarning` objects (read by :mod:`mcda_ckm.model.values`),
returned for the caller to show.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from mcda_ckm.errors import CaseError, CkmError
from mcda_ckm.model.values import (
    SettingWarning,
    as_table,
    check_keys,
    choice,
    did_you_mean,
    real_number,
    text,
    whole_number,
)

__all__ = [
    "AGGREGATIONS",
    "COMBINATIONS",
    "COMPLETIONS",
    "DEFAULT_RI_TABLE",
    "DEFAULT_RULE",
    "DEFAULT_SAMPLES",
    "DEFAULT_SEED",
    "ENGINES",
    "LANGUAGES",
    "MAX_SAMPLES",
    "METHODS",
    "MISSING_PAIRS",
    "NORMALIZATIONS",
    "OBJECTIVES",
    "POLICIES",
    "RI_TABLE_NAMES",
    "RULE_NAMES",
    "SOURCES",
    "TIER_DEFAULTS",
    "TIER_RULES",
    "UNFINISHED",
    "WEIGHT_KEYS",
    "Aggregation",
    "AhpSettings",
    "ClvSettings",
    "Combination",
    "Completion",
    "Engine",
    "Language",
    "Method",
    "MissingPairs",
    "Normalization",
    "Objective",
    "PanelSettings",
    "Policy",
    "RankingSettings",
    "SensitivitySettings",
    "Settings",
    "Source",
    "TierRule",
    "Unfinished",
    "WeightSettings",
    "read_ahp",
    "read_clv",
    "read_panel",
    "read_ranking",
    "read_sensitivity",
    "read_weight_settings",
]

# -- the choices, each written once ----------------------------------------------------------

Method = Literal["eigenvector", "geometric_mean"]
METHODS: tuple[Method, ...] = get_args(Method)
"""How priorities come from a comparison matrix: Saaty's principal eigenvector, or the row
geometric mean (see :func:`mcda_ckm.weights.ahp.priorities`)."""

RI_TABLE_NAMES: tuple[str, ...] = (
    "saaty-1980",
    "saaty-2005",
    "alonso-lamata-2006",
    "donegan-dodd-1991",
    "tummala-ling-1998",
)
"""The random-index tables; their values and sources are :data:`mcda_ckm.weights.ahp.RI_TABLES`
(a test keeps the two in step)."""

RULE_NAMES: tuple[str, ...] = ("saaty-1994", "flat-0.10")
"""The CR acceptance rules (:data:`mcda_ckm.weights.ahp.THRESHOLD_RULES` gives their sources)."""

Aggregation = Literal["aij", "aip"]
AGGREGATIONS: tuple[Aggregation, ...] = get_args(Aggregation)
"""Aggregation of individual judgements (AIJ) or individual priorities (AIP), Forman &
Peniwati (1998)."""

Policy = Literal["keep", "exclude", "error"]
POLICIES: tuple[Policy, ...] = get_args(Policy)
"""What becomes of an expert over the consistency threshold at a node."""

Completion = Literal["harker", "optimal"]
COMPLETIONS: tuple[Completion, ...] = get_args(Completion)
"""How missing judgements are completed under the eigenvector method: Harker (1987), or the
lambda_max-minimising completion of Bozóki, Fülöp & Rónyai (2010)."""

MissingPairs = Literal["pool", "complete"]
MISSING_PAIRS: tuple[MissingPairs, ...] = get_args(MissingPairs)
"""How a pair some experts skipped enters the group matrix (AIJ): ``"pool"``, the weighted
geometric mean over the experts who answered it (the default: only judgements made are
aggregated, Forman & Peniwati 1998, and the group matrix is completed from the group's own
judgements as Harker 1987 completes an expert's), or ``"complete"``, each expert's matrix
completed first (by the ``completion`` setting) and then aggregated."""

Unfinished = Literal["exclude", "include"]
UNFINISHED: tuple[Unfinished, ...] = get_args(Unfinished)
"""What becomes of an expert whose questionnaire is still in progress (``[panel] unfinished``):
left out of the panel and named (the default: half a questionnaire is not the expert's view),
or included for the nodes answered."""

Normalization = Literal["vector", "minmax"]
NORMALIZATIONS: tuple[Normalization, ...] = get_args(Normalization)
"""The normalisations the ranking knows: ``"vector"`` (x / sqrt(sum x^2), Hwang & Yoon 1981,
the default) and ``"minmax"`` ((x - min) / (max - min))."""

Language = Literal["en", "zh"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
"""The languages of labels and reports."""

Source = Literal["panel", "uniform", "around"]
SOURCES: tuple[Source, ...] = get_args(Source)
"""Where sampled weights come from (see :func:`mcda_ckm.sensitivity.sampling.sample_weights`)."""

Engine = Literal["memory", "stream", "dask"]
ENGINES: tuple[Engine, ...] = get_args(Engine)
"""Where ``ckm rank`` computes: in memory, streaming in bounded memory, or on a Dask cluster."""

Objective = Literal["none", "entropy", "critic", "std"]
OBJECTIVES: tuple[Objective, ...] = get_args(Objective)
"""Objective weights computed from the customers (``[weights] objective``): none (the default:
the panel's weights alone, as before), Shannon entropy, CRITIC or standard deviation (see
:mod:`mcda_ckm.weights.objective`)."""

Combination = Literal["linear", "multiplicative", "game-theory"]
COMBINATIONS: tuple[Combination, ...] = get_args(Combination)
"""How the panel's weights are combined with the objective ones (``[weights] combine``, see
:mod:`mcda_ckm.weights.combine`); when set, the combined weights rank the customers."""

TierRule = Literal["none", "probability", "closeness", "kmeans"]
TIER_RULES: tuple[TierRule, ...] = get_args(TierRule)
"""How customers are split into key / potential / ordinary (``[ranking] tiers``, see
:mod:`mcda_ckm.ranking.tiers`): none (the default), the probability of being key under the SMAA
samples, two closeness thresholds, or the exact 1-D 3-means of closeness."""

TIER_DEFAULTS: dict[str, tuple[float, float]] = {"probability": (0.8, 0.2), "closeness": (0.6, 0.4)}
"""``(key_at, potential_at)`` when the case gives none. Probability: key when the SMAA samples
put the customer in the key set at least 80% of the time (a firm key source), potential from
20% (key in one sample in five); closeness: the upper and lower thirds' usual cut points of
studies that band closeness (0.6 and 0.4 of the distance from anti-ideal to ideal)."""

# -- the defaults, each written once ---------------------------------------------------------

DEFAULT_SEED = 20081008
"""The sampling seed of every command (the seed paper's publication year and issue, 2008 (8))."""
DEFAULT_SAMPLES = 10_000
"""Weight samples of the SMAA analysis: the key-source probabilities move by less than about
one percentage point between seeds at this count."""
MAX_SAMPLES = 10_000_000
"""The largest sample count accepted: the samples alone take ``samples x indicators x 8``
bytes (about 1 GB for twelve indicators at this count), before the customers are scored."""


# -- the settings ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AhpSettings:
    """How the panel's judgements become weights (``[ahp]`` of ``case.toml``).

    Attributes
    ----------
    method : {"eigenvector", "geometric_mean"}
    ri_table : str
        One of :data:`RI_TABLE_NAMES`.
    rule : str
        The CR acceptance rule, one of :data:`RULE_NAMES`.
    aggregation : {"aij", "aip"}
    inconsistent_experts : {"keep", "exclude", "error"}
        The policy for an expert over the threshold at a node.
    completion : {"harker", "optimal"}
    missing_pairs : {"pool", "complete"}
        How a pair some experts skipped enters the group matrix, see :data:`MISSING_PAIRS`.

    Raises
    ------
    CkmError
        On construction with a value that is not a choice.
    """

    method: Method = "eigenvector"
    ri_table: str = "saaty-1980"
    rule: str = "saaty-1994"
    aggregation: Aggregation = "aij"
    inconsistent_experts: Policy = "keep"
    completion: Completion = "harker"
    missing_pairs: MissingPairs = "pool"

    def __post_init__(self) -> None:
        for name, choices in AHP_CHOICES.items():
            try:
                choice(getattr(self, name), choices, name)
            except CaseError as exc:
                raise CkmError(exc.message, where=exc.where, hint=exc.hint) from None

    def with_overrides(
        self,
        *,
        method: Method | None = None,
        ri_table: str | None = None,
        rule: str | None = None,
        aggregation: Aggregation | None = None,
        inconsistent_experts: Policy | None = None,
        completion: Completion | None = None,
        missing_pairs: MissingPairs | None = None,
    ) -> AhpSettings:
        """A copy with the settings that are not None replaced (the CLI's options)."""
        return AhpSettings(
            method=self.method if method is None else method,
            ri_table=self.ri_table if ri_table is None else ri_table,
            rule=self.rule if rule is None else rule,
            aggregation=self.aggregation if aggregation is None else aggregation,
            inconsistent_experts=(
                self.inconsistent_experts if inconsistent_experts is None else inconsistent_experts
            ),
            completion=self.completion if completion is None else completion,
            missing_pairs=self.missing_pairs if missing_pairs is None else missing_pairs,
        )


AHP_CHOICES: dict[str, tuple[str, ...]] = {
    "method": METHODS,
    "ri_table": RI_TABLE_NAMES,
    "rule": RULE_NAMES,
    "aggregation": AGGREGATIONS,
    "inconsistent_experts": POLICIES,
    "completion": COMPLETIONS,
    "missing_pairs": MISSING_PAIRS,
}
"""The keys of ``[ahp]`` and the choices of each."""

DEFAULT_RI_TABLE = AhpSettings.ri_table
DEFAULT_RULE = AhpSettings.rule


@dataclass(frozen=True)
class PanelSettings:
    """The panel's make-up (``[panel]`` of ``case.toml``).

    Attributes
    ----------
    unfinished : {"exclude", "include"}
        Experts still in progress (:attr:`mcda_ckm.model.judgements.ExpertJudgements.in_progress`)
        are left out (default) or included for the nodes they answered; named either way.
    """

    unfinished: Unfinished = "exclude"

    def __post_init__(self) -> None:
        try:
            choice(self.unfinished, UNFINISHED, "unfinished")
        except CaseError as exc:
            raise CkmError(exc.message, where=exc.where, hint=exc.hint) from None


PANEL_CHOICES: dict[str, tuple[str, ...]] = {"unfinished": UNFINISHED}
"""The keys of ``[panel]`` and the choices of each."""


@dataclass(frozen=True)
class RankingSettings:
    """The TOPSIS ranking (``[ranking]``): how many key sources, the normalisation, and the
    customer tiers.

    ``tiers`` names the rule (:data:`TIER_RULES`); ``key_at`` and ``potential_at`` its two
    thresholds (None: :data:`TIER_DEFAULTS`; kmeans finds its own).
    """

    top_k: int = 5
    normalization: Normalization = "vector"
    tiers: TierRule = "none"
    key_at: float | None = None
    potential_at: float | None = None

    def __post_init__(self) -> None:
        try:
            whole_number(self.top_k, "top_k", low=1)
            choice(self.normalization, NORMALIZATIONS, "normalization")
            check_tiers(self.tiers, self.key_at, self.potential_at, None, "")
        except CaseError as exc:
            raise CkmError(exc.message, where=exc.where, hint=exc.hint) from None

    @property
    def thresholds(self) -> tuple[float, float]:
        """``(key_at, potential_at)`` of the closeness or probability rule, defaults filled."""
        key, potential = TIER_DEFAULTS.get(self.tiers, (math.nan, math.nan))
        return (
            key if self.key_at is None else self.key_at,
            potential if self.potential_at is None else self.potential_at,
        )


def check_tiers(rule: Any, key_at: Any, potential_at: Any, path: Path | None, prefix: str) -> None:
    """The tier rule is a choice; its thresholds numbers in [0, 1], key above potential."""
    choice(rule, TIER_RULES, f"{prefix}tiers", path)
    given = {"key_at": key_at, "potential_at": potential_at}
    for name, v in given.items():
        if v is not None:
            real_number(v, f"{prefix}{name}", path, low=0.0, high=1.0)
    if rule in TIER_DEFAULTS:
        default = TIER_DEFAULTS[rule]
        key = float(default[0] if key_at is None else key_at)
        potential = float(default[1] if potential_at is None else potential_at)
        if potential > key:
            raise CaseError(
                f"potential_at {potential:g} is above key_at {key:g}",
                path=path,
                where=f"{prefix}potential_at",
                hint="The key threshold must be the higher one",
            )


@dataclass(frozen=True)
class WeightSettings:
    """Objective weights beside the panel's, and how they are combined (``[weights]``).

    Attributes
    ----------
    objective : {"none", "entropy", "critic", "std"}
        ``"none"`` (the default) computes none: the panel's weights rank, as before.
    combine : {"linear", "multiplicative", "game-theory"} or None
        None (the default): the objective weights are shown beside the panel's and the panel's
        rank. Set: the combined weights rank (TOPSIS, cross-check, sensitivity).
    alpha : float
        The linear rule's share of the panel, in [0, 1] (default 0.5, equal shares).

    Raises
    ------
    CkmError
        A value that is not a choice, alpha out of [0, 1], or a rule without an objective.
    """

    objective: Objective = "none"
    combine: Combination | None = None
    alpha: float = 0.5

    def __post_init__(self) -> None:
        try:
            check_weight_values(self.objective, self.combine, self.alpha, None, "")
        except CaseError as exc:
            raise CkmError(exc.message, where=exc.where, hint=exc.hint) from None

    @property
    def rule(self) -> str | None:
        """The rule's name in :mod:`mcda_ckm.weights.combine` (``game_theory``), or None."""
        return None if self.combine is None else self.combine.replace("-", "_")

    def with_overrides(
        self,
        *,
        objective: Objective | None = None,
        combine: Combination | None = None,
        alpha: float | None = None,
    ) -> WeightSettings:
        """A copy with the settings that are not None replaced (the CLI's options)."""
        return WeightSettings(
            objective=self.objective if objective is None else objective,
            combine=self.combine if combine is None else combine,
            alpha=self.alpha if alpha is None else alpha,
        )


WEIGHT_KEYS: tuple[str, ...] = ("objective", "combine", "alpha")
"""The setting keys of ``[weights]`` (its other keys are fixed weights, one per leaf)."""


def check_weight_values(
    objective: Any, combine: Any, alpha: Any, path: Path | None, prefix: str
) -> None:
    choice(objective, OBJECTIVES, f"{prefix}objective", path)
    if combine is not None:
        choice(combine, COMBINATIONS, f"{prefix}combine", path)
    real_number(alpha, f"{prefix}alpha", path, low=0.0, high=1.0)
    if combine is not None and objective == "none":
        raise CaseError(
            f"combine = {combine!r} needs objective weights to combine with",
            path=path,
            where=f"{prefix}combine",
            hint='Add objective = "entropy" (or "critic", "std"), or drop combine',
        )


@dataclass(frozen=True)
class ClvSettings:
    """Customer lifetime value from cash flows (``[clv]``), written into one indicator column.

    ``CLV = sum_{i=1..horizon} C_i (1 + discount_rate)^(-i)`` (Huang, Han & Meng 2008, the
    intended form of their garbled formula; see :mod:`mcda_ckm.ranking.clv`).

    Attributes
    ----------
    cashflows : Path
        The cash-flow file, resolved against the case folder.
    column : str
        The indicator the CLV replaces (default ``base_potential``).
    discount_rate : float
        Per period, as a fraction (0.08 for 8%).
    horizon : int
        Periods summed, >= 1.
    """

    cashflows: Path
    discount_rate: float
    horizon: int
    column: str = "base_potential"


@dataclass(frozen=True)
class SensitivitySettings:
    """The SMAA sampling (``[sensitivity]``): count, seed, source and spread of the weights.

    ``source`` None means "panel" for a case with a panel, "around" for fixed weights.
    """

    samples: int = DEFAULT_SAMPLES
    seed: int = DEFAULT_SEED
    source: Source | None = None
    spread: float = 0.2

    def __post_init__(self) -> None:
        try:
            check_sensitivity_values(self.samples, self.seed, self.source, self.spread, None, "")
        except CaseError as exc:
            raise CkmError(exc.message, where=exc.where, hint=exc.hint) from None

    def with_overrides(
        self,
        *,
        samples: int | None = None,
        seed: int | None = None,
        source: Source | None = None,
        spread: float | None = None,
    ) -> SensitivitySettings:
        """A copy with the settings that are not None replaced (the CLI's options)."""
        return SensitivitySettings(
            samples=self.samples if samples is None else samples,
            seed=self.seed if seed is None else seed,
            source=self.source if source is None else source,
            spread=self.spread if spread is None else spread,
        )


def check_sensitivity_values(
    samples: Any, seed: Any, source: Any, spread: Any, path: Path | None, prefix: str
) -> None:
    whole_number(samples, f"{prefix}samples", path, low=1, high=MAX_SAMPLES)
    whole_number(seed, f"{prefix}seed", path, low=0)
    if source is not None:
        choice(source, SOURCES, f"{prefix}source", path)
    real_number(spread, f"{prefix}spread", path, low=0.0)


@dataclass(frozen=True)
class Settings:
    """Every setting of a case, checked: ``[ahp]``, ``[ranking]``, ``[clv]``, ``[sensitivity]``."""

    ahp: AhpSettings = AhpSettings()
    ranking: RankingSettings = RankingSettings()
    panel: PanelSettings = PanelSettings()
    clv: ClvSettings | None = None
    sensitivity: SensitivitySettings = SensitivitySettings()
    weights: WeightSettings = WeightSettings()


# -- the readers of case.toml's tables -------------------------------------------------------

RANKING_KEYS: tuple[str, ...] = ("top_k", "normalization", "tiers", "key_at", "potential_at")
CLV_KEYS: tuple[str, ...] = ("cashflows", "column", "discount_rate", "horizon")
SENSITIVITY_KEYS: tuple[str, ...] = ("samples", "seed", "source", "spread")


def read_ahp(table: Mapping[str, Any], path: Path | None = None) -> AhpSettings:
    """``[ahp]``: every key known, every value one of its choices."""
    table = as_table(table, "ahp", path)
    check_keys(table, AHP_CHOICES, "ahp", path)
    for key, value in table.items():
        choice(value, AHP_CHOICES[key], f"[ahp] {key}", path)
    return AhpSettings(**table)


def read_panel(table: Mapping[str, Any], path: Path | None = None) -> PanelSettings:
    """``[panel]``: every key known, every value one of its choices."""
    table = as_table(table, "panel", path)
    check_keys(table, PANEL_CHOICES, "panel", path)
    for key, value in table.items():
        choice(value, PANEL_CHOICES[key], f"[panel] {key}", path)
    return PanelSettings(**table)


def read_ranking(table: Mapping[str, Any], path: Path | None = None) -> RankingSettings:
    """``[ranking]``: ``top_k`` a whole number >= 1, ``normalization`` one of its choices."""
    table = as_table(table, "ranking", path)
    check_keys(table, RANKING_KEYS, "ranking", path)
    if "top_k" in table:
        whole_number(table["top_k"], "[ranking] top_k", path, low=1)
    if "normalization" in table:
        choice(table["normalization"], NORMALIZATIONS, "[ranking] normalization", path)
    check_tiers(
        table.get("tiers", "none"),
        table.get("key_at"),
        table.get("potential_at"),
        path,
        "[ranking] ",
    )
    floats = {k: float(table[k]) for k in ("key_at", "potential_at") if k in table}
    return RankingSettings(**{**table, **floats})


def read_clv(
    table: Mapping[str, Any], folder: Path, indicators: Iterable[str], path: Path | None = None
) -> tuple[ClvSettings | None, tuple[SettingWarning, ...]]:
    """``[clv]``: ``cashflows`` (a path relative to ``folder``), ``discount_rate`` (a fraction
    >= 0), ``horizon`` (periods >= 1), ``column`` (one of ``indicators``).

    A discount rate above 1 is accepted with a warning: 8 is far more often an 8% typed as a
    percentage than an 800% rate. A table without ``cashflows`` computes no CLV (None), with a
    warning that its other keys are not used (commenting out the file is how a case turns the
    CLV off).
    """
    table = as_table(table, "clv", path)
    check_keys(table, CLV_KEYS, "clv", path)
    for key in ("discount_rate", "horizon"):
        if key not in table:
            raise CaseError(
                f"{key} is missing",
                path=path,
                where=f"[clv] {key}",
                hint="[clv] needs discount_rate and horizon with its cashflows (column is "
                "optional)",
            )
    rate = real_number(table["discount_rate"], "[clv] discount_rate", path, low=0.0)
    horizon = whole_number(table["horizon"], "[clv] horizon", path, low=1)
    column = text(table.get("column", "base_potential"), "[clv] column", path)
    indicators = tuple(indicators)
    if column not in indicators:
        raise CaseError(
            f"{column!r} is not an indicator of the tree{did_you_mean(column, indicators)}",
            path=path,
            where="[clv] column",
            hint=f"Indicators: {', '.join(indicators)}",
        )
    warnings: tuple[SettingWarning, ...] = ()
    if "cashflows" not in table:
        note = SettingWarning(
            "no cashflows file: no CLV is computed and the other [clv] keys are not used",
            path=path,
            where="[clv] cashflows",
        )
        return None, (note,)
    cashflows = text(table["cashflows"], "[clv] cashflows", path)
    if rate > 1:
        warnings = (
            SettingWarning(
                f"discount_rate = {table['discount_rate']!r}: did you mean {rate:g}% "
                f"({rate / 100:g})? The rate is a fraction per period; used as {rate:.0%}",
                path=path,
                where="[clv] discount_rate",
            ),
        )
    settings = ClvSettings(
        cashflows=(folder / cashflows).resolve(),
        discount_rate=rate,
        horizon=horizon,
        column=column,
    )
    return settings, warnings


def read_sensitivity(table: Mapping[str, Any], path: Path | None = None) -> SensitivitySettings:
    """``[sensitivity]``: ``samples`` (1 to :data:`MAX_SAMPLES`), ``seed`` (>= 0), ``source``
    (one of :data:`SOURCES`), ``spread`` (>= 0)."""
    table = as_table(table, "sensitivity", path)
    check_keys(table, SENSITIVITY_KEYS, "sensitivity", path)
    base = SensitivitySettings()
    check_sensitivity_values(
        table.get("samples", base.samples),
        table.get("seed", base.seed),
        table.get("source"),
        table.get("spread", base.spread),
        path,
        "[sensitivity] ",
    )
    spread = float(table.get("spread", base.spread))
    return SensitivitySettings(**{**table, "spread": spread})


def read_weight_settings(
    table: Mapping[str, Any], leaves: Iterable[str], path: Path | None = None
) -> tuple[WeightSettings, tuple[SettingWarning, ...]]:
    """The setting keys of ``[weights]`` (:data:`WEIGHT_KEYS`); its other keys must be
    ``leaves`` (fixed weights, read by :func:`mcda_ckm.model.case.read_weights`).

    A key that is neither is refused with a did-you-mean over both. ``alpha`` written with a
    rule other than linear is accepted with a warning that it is not used.
    """
    table = as_table(table, "weights", path)
    leaves = tuple(leaves)
    fixed = any(key in leaves for key in table)
    for key in table:
        if key not in WEIGHT_KEYS and key not in leaves:
            close = difflib.get_close_matches(key, list(WEIGHT_KEYS), n=1)
            kind = "indicator" if fixed or not close else "key"
            raise CaseError(
                f"unknown {kind} {key!r}{did_you_mean(key, (*WEIGHT_KEYS, *leaves))}",
                path=path,
                where=f"[weights] {key}",
                hint=f"The settings of [weights] are {', '.join(WEIGHT_KEYS)}; its other keys "
                f"are fixed weights, one per indicator: {', '.join(leaves)}",
            )
    base = WeightSettings()
    objective = table.get("objective", base.objective)
    combine = table.get("combine")
    alpha = table.get("alpha", base.alpha)
    check_weight_values(objective, combine, alpha, path, "[weights] ")
    warnings: tuple[SettingWarning, ...] = ()
    if "alpha" in table and combine != "linear":
        warnings = (
            SettingWarning(
                f"not used: alpha is the linear rule's share of the panel (combine = {combine!r})",
                path=path,
                where="[weights] alpha",
            ),
        )
    return WeightSettings(objective, combine, float(alpha)), warnings
