"""A case study end to end: panel weights, customer ranking, cross-check, reading, sensitivity.

:func:`run_study` is what ``ckm run`` computes; it returns a :class:`Study` that the report
writers turn into files.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from mcda_ckm import sensitivity as sens
from mcda_ckm.errors import CaseError, DataError
from mcda_ckm.model.case import Case, sha256
from mcda_ckm.model.matrix import DecisionMatrix, load_customers
from mcda_ckm.model.settings import (
    AhpSettings,
    ClvSettings,
    Normalization,
    RankingSettings,
    SensitivitySettings,
    Source,
    WeightSettings,
)
from mcda_ckm.model.values import memory_budget
from mcda_ckm.ranking.clv import CashFlows, load_cash_flows
from mcda_ckm.ranking.crosscheck import PROMETHEE_LIMIT, CrossCheck, cross_check
from mcda_ckm.ranking.reading import Reading, reading
from mcda_ckm.ranking.tiers import Tiers, TierStability
from mcda_ckm.ranking.topsis import Ranking, rank
from mcda_ckm.sensitivity.acceptability import BLOCK_FLOATS
from mcda_ckm.weights.combine import combine_rows
from mcda_ckm.weights.panel import PanelResult, evaluate_case
from mcda_ckm.workflows.weighing import Weighing, customer_tiers, weigh

__all__ = ["MemoryEstimate", "Sensitivity", "Study", "estimate_memory", "run_study"]


@dataclass(frozen=True)
class Sensitivity:
    """The sensitivity analyses of a study (see :mod:`mcda_ckm.sensitivity`)."""

    problem: sens.Problem = field(repr=False)
    tolerances: list[sens.Tolerance]
    judgements: list[sens.JudgementTolerance]
    acceptability: sens.Acceptability
    spread: float


@dataclass(frozen=True)
class Study:
    """Everything ``ckm run`` computes for a case.

    Attributes
    ----------
    case : Case
    panel : PanelResult or None
        None when the case gives fixed weights.
    local : dict of str to numpy.ndarray
        Local weights of every inner node.
    weights : numpy.ndarray
        Global indicator weights, in leaf order.
    matrix : DecisionMatrix
    cash_flows : CashFlows or None
        When a ``[clv] cashflows`` file replaced a column with computed CLV.
    ranking, cross, reading :
        See :mod:`mcda_ckm.ranking.topsis`.
    cross_ids : tuple of str
        The customers the cross-check covers (all, or the head of the ranking when there are
        more than PROMETHEE II can compare), in the order of ``cross``.
    sensitivity : Sensitivity or None
    top_k : int
    normalization : str
    inputs : dict of str to str
        SHA-256 of every input file read.
    seed : int or None
        The sampling seed (None when no sensitivity was run).
    weighing : Weighing or None
        The panel's, objective and combined weights side by side (``[weights] objective``);
        None without an objective. When it combines, ``weights`` are the combined ones.
    tiers : tuple of (Tiers, TierStability or None) or None
        Key / potential / ordinary customers by ``[ranking] tiers``, with their stability under
        the SMAA samples (:func:`mcda_ckm.workflows.weighing.customer_tiers`).
    """

    case: Case
    panel: PanelResult | None
    local: dict[str, np.ndarray]
    weights: np.ndarray
    matrix: DecisionMatrix
    cash_flows: CashFlows | None
    ranking: Ranking
    cross: CrossCheck
    cross_ids: tuple[str, ...]
    reading: Reading
    sensitivity: Sensitivity | None
    top_k: int
    normalization: str
    inputs: dict[str, str] = field(default_factory=dict)
    seed: int | None = None
    weighing: Weighing | None = None
    tiers: tuple[Tiers, TierStability | None] | None = None


# -- the memory estimate -----------------------------------------------------------------------

BASE_BYTES = 200 * 2**20
"""The interpreter with numpy, networkx and matplotlib loaded, and the report's figures."""
CROSS_PAIR_BYTES = 10
"""Bytes per pair of customers and indicator in the PROMETHEE II cross-check (its pairwise
preference arrays), which compares at most ``PROMETHEE_LIMIT`` customers: 8 per float64 and
the temporaries."""
TABLE_FACTOR = 20
"""Bytes held while reading a CSV, per byte of the file: every cell becomes a Python string
(about 50 bytes for a few characters), about 18 times the file's size for a file of short
numbers; an XLSX file is compressed about 4 times more."""
MATRIX_COPIES = 10
"""Copies of the m x n matrix of float64 alive at once: the values, the normalised and
weighted matrices, the deviations of the sensitivity problem and their temporaries."""
SMAA_CHUNK = 512
SMAA_WORKERS = 2
""":func:`mcda_ckm.sensitivity.smaa`'s defaults: each worker holds a chunk of
samples x customers of closeness and distances."""


@dataclass(frozen=True)
class MemoryEstimate:
    """What ``ckm run`` expects to need, estimated before it reads the customers.

    Attributes
    ----------
    customers : int
        The number of customers, estimated from the file's size and its first rows.
    criteria, samples : int
    bytes : int
        The estimated peak memory.
    """

    customers: int
    criteria: int
    samples: int
    bytes: int

    def __str__(self) -> str:
        return (
            f"about {gib(self.bytes)} for {self.customers:,} customers x {self.criteria} "
            f"indicators and {self.samples:,} samples"
        )


def gib(n: float) -> str:
    """A size for people: ``1.5 GiB``, ``300 MiB``."""
    return f"{n / 2**30:.1f} GiB" if n >= 2**30 else f"{n / 2**20:.0f} MiB"


def count_rows(path: Path) -> int:
    """The number of data rows of a customers file, estimated from its size and the mean
    length of its first rows (exact for a file under 1 MiB); an XLSX file counts as a CSV
    4 times its size."""
    size = path.stat().st_size
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return max(1, 4 * size // 80)
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
    lines = head.count(b"\n")
    if len(head) == size or lines < 2:
        return max(1, lines - 1)  # the header is not a customer
    first = head.index(b"\n") + 1
    return max(1, math.ceil((size - first) / ((head.rindex(b"\n") + 1 - first) / (lines - 1))))


def estimate_memory(
    path: Path, criteria: int, samples: int, top_k: int, *, with_sensitivity: bool = True
) -> MemoryEstimate:
    """Estimate the peak memory of :func:`run_study` from the customers file and the sample
    count, before anything is read.

    ``BASE + TABLE_FACTOR x file size + MATRIX_COPIES x 8 m n`` for reading and ranking
    ``m`` customers on ``n`` indicators, ``CROSS_PAIR_BYTES x n h^2`` for the cross-check of
    ``h = min(m, PROMETHEE_LIMIT)`` customers, plus, with the sensitivity analysis, ``16 s n`` for
    ``s`` weight samples, ``2 x 8 x workers x chunk x m`` for the SMAA chunks in flight (a chunk
    is at most :data:`~mcda_ckm.sensitivity.acceptability.BLOCK_FLOATS` / m samples, so this
    term does not grow with ``s``) and ``8 m (k + 1 + n)`` for the counts of each worker and
    their running sum (``k`` = top_k). The
    coefficients were measured with ``benchmarks/bench_run.py``; the estimate is meant to be
    within a factor of about 1.5 of the peak resident memory.
    """
    m = count_rows(path)
    factor = TABLE_FACTOR * (4 if path.suffix.lower() in (".xlsx", ".xlsm") else 1)
    total = BASE_BYTES + factor * path.stat().st_size + MATRIX_COPIES * 8 * m * criteria
    total += CROSS_PAIR_BYTES * criteria * min(m, PROMETHEE_LIMIT) ** 2
    if with_sensitivity:
        chunk = max(8, min(SMAA_CHUNK, BLOCK_FLOATS // max(m, 1), samples))
        total += 16 * samples * criteria
        total += 2 * 8 * SMAA_WORKERS * chunk * m
        total += 8 * m * (top_k + 1 + criteria) * (SMAA_WORKERS + 1)
    return MemoryEstimate(customers=m, criteria=criteria, samples=samples, bytes=int(total))


def check_memory(estimate: MemoryEstimate, budget: int | None, path: Path) -> None:
    """Refuse a run whose estimate is over ``budget`` bytes, saying what to do instead.

    Raises
    ------
    DataError
        Naming the customers file, the estimate and the budget.
    """
    if budget is None or estimate.bytes <= budget:
        return
    ways = [f"rank this file with 'ckm rank {path.name}' (it streams the file in bounded memory)"]
    if estimate.samples > 1000:
        ways.append(f"use fewer --samples (e.g. --samples {max(1000, estimate.samples // 10):,})")
    ways.append(
        f"raise the budget with --max-memory (e.g. --max-memory "
        f"{math.ceil(estimate.bytes * 1.2 / 2**30)}G) on a machine that has it"
    )
    raise DataError(
        f"ckm run would need {estimate}, over its memory budget of {gib(budget)}",
        path=path,
        hint="R" + "; or ".join(ways)[1:],
    )


def _with_clv(
    clv: ClvSettings | None, dm: DecisionMatrix, normalization: str
) -> tuple[DecisionMatrix, CashFlows | None]:
    """The matrix with the ``[clv] column`` replaced by the CLV computed from the cash flows
    (the column was checked against the tree when the case was loaded). A CLV the ranking
    cannot take is blamed on the cash-flow file and its rows, not on the customers file's
    cell it replaces."""
    if clv is None:
        return dm, None
    flows = load_cash_flows(clv.cashflows, dm.ids, clv.discount_rate, clv.horizon)
    flows.check_for(normalization, clv.column)
    values = dm.values.copy()
    values[:, dm.criteria.index(clv.column)] = flows.clv
    values.flags.writeable = False
    return dm.replace(values=values), flows


def run_study(
    case: Case,
    *,
    ahp: AhpSettings | None = None,
    top_k: int | None = None,
    normalization: Normalization | None = None,
    samples: int | None = None,
    seed: int | None = None,
    source: Source | None = None,
    spread: float | None = None,
    with_sensitivity: bool = True,
    progress: sens.Progress | None = None,
    max_memory: int | None = None,
    check_memory_budget: bool = True,
    weights: WeightSettings | None = None,
) -> Study:
    """Run a case: weights (panel or fixed), ranking, cross-check, reading, sensitivity.

    Every setting comes from the case (``case.settings``, checked when it was loaded); the
    keyword arguments that are not None override them (the CLI's options).

    Parameters
    ----------
    ahp : AhpSettings, optional
        Replaces the case's ``[ahp]`` settings.
    top_k, normalization : optional
        Override the case's ``[ranking]`` settings.
    samples, seed, source, spread :
        The SMAA sampling (see :func:`mcda_ckm.sensitivity.sampling.sample_weights`); ``source``
        defaults to "panel" when the case has a panel, "around" when it has fixed weights.
    progress : callable, optional
        Called as ``progress(done, total)`` during the long steps.
    max_memory : int, optional
        The memory budget in bytes; default
        :data:`mcda_ckm.model.values.DEFAULT_MEMORY_FRACTION` of the machine's memory.
    check_memory_budget : bool
        False to run whatever :func:`estimate_memory` says.
    weights : WeightSettings, optional
        Replaces the case's ``[weights]`` settings (objective weights and their combination,
        see :mod:`mcda_ckm.workflows.weighing` for which weights rank).

    Raises
    ------
    CkmError
        On an override out of its range, before anything is computed.
    DataError
        When the estimated memory is over the budget, before anything is read.
    """
    ranking_settings = replace(
        case.settings.ranking,
        top_k=case.settings.ranking.top_k if top_k is None else top_k,
        normalization=normalization or case.settings.ranking.normalization,
    )
    sampling = case.settings.sensitivity.with_overrides(
        samples=samples, seed=seed, source=source, spread=spread
    )
    if with_sensitivity and sampling.source == "panel" and case.fixed_weights is not None:
        raise CaseError(
            "this case has fixed weights: there is no panel to sample",
            hint="Use --source uniform or --source around",
        )
    customers = case.customers
    if customers is None:
        raise CaseError(
            "no customers file",
            path=case.toml,
            where="[case] customers",
            hint='Add customers = "customers.csv" (one row per customer, one column per indicator)',
        )
    if case.indicators is not None and not customers.exists():
        raise DataError(
            "file not found: the case builds it from the raw exports in [indicators]",
            path=customers,
            hint=f"Run ckm indicators {case.path} first",
        )
    if check_memory_budget and customers.is_file():  # a missing file: load_customers says so
        estimate = estimate_memory(
            customers,
            len(case.tree.leaves),
            sampling.samples,
            ranking_settings.top_k,
            with_sensitivity=with_sensitivity,
        )
        check_memory(estimate, memory_budget(max_memory), customers)
    weighting = case.settings.weights if weights is None else weights
    return _run(
        case, customers, ahp, ranking_settings, sampling, with_sensitivity, progress, weighting
    )


def _run(
    case: Case,
    customers: Path,
    ahp: AhpSettings | None,
    ranking_settings: RankingSettings,
    sampling: SensitivitySettings,
    with_sensitivity: bool,
    progress: sens.Progress | None,
    weighting: WeightSettings | None = None,
) -> Study:
    k, norm = ranking_settings.top_k, ranking_settings.normalization
    panel = None
    if case.fixed_weights is not None:
        weights = case.fixed_weights
        local = case.tree.decompose(weights)
    else:
        panel = evaluate_case(case, ahp)
        weights, local = panel.global_weights, panel.local_weights
    dm = load_customers(customers, case.tree)
    inputs = {**case.inputs, customers.name: sha256(customers)}
    dm, flows = _with_clv(case.settings.clv, dm, norm)
    if flows is not None and flows.path is not None:
        inputs[flows.path.name] = sha256(flows.path)
    weighing = None
    if weighting is not None and weighting.objective != "none":
        weighing = weigh(case.tree, weights, dm, weighting, k=k, normalization=norm)
        if weighing.combined is not None:  # the combined weights rank
            weights = weighing.combined.weights
            local = case.tree.decompose(weights)
    ranking = rank(dm, weights, normalization=norm, top_k=k)
    cross_ids = dm.ids
    if len(dm.ids) > PROMETHEE_LIMIT:
        # PROMETHEE II compares every pair of customers: cross-check the head of the ranking.
        head = np.sort(ranking.order[:PROMETHEE_LIMIT])
        sub = DecisionMatrix.from_array(
            dm.values[head],
            ids=[dm.ids[i] for i in head],
            names=[dm.names[i] for i in head],
            criteria=dm.criteria,
            directions=dm.directions,
        )
        cross = cross_check(sub, weights, top_k=k, normalization=norm)
        cross_ids = sub.ids
    else:
        cross = cross_check(dm, weights, top_k=k, normalization=norm)
    read = reading(case.tree, ranking)
    sensitivity = None
    w: np.ndarray | None = None
    if with_sensitivity:
        p = sens.problem(case.tree, local, dm.values, dm.directions, dm.ids, k, norm)
        src: Source = sampling.source or ("panel" if panel is not None else "around")
        seed = sampling.seed
        w = sens.sample_weights(
            p, sampling.samples, src, seed=seed, panel=panel, spread=sampling.spread
        )
        combined = weighing is not None and weighing.combined is not None
        if combined and src == "panel":
            # each resampled panel combined with the customers' objective weights by the rule
            assert weighing is not None
            w = combine_rows(
                w,
                weighing.objective.weights,
                weighing.settings.combine or "",
                weighing.settings.alpha,
            )
        sensitivity = Sensitivity(
            problem=p,
            tolerances=sens.tolerances(p),
            # a judgement's tolerance moves the panel's weights alone; under combined weights
            # it would mix a panel node into combined ones, so it is not computed
            judgements=(
                sens.judgement_tolerances(p, panel) if panel is not None and not combined else []
            ),
            acceptability=sens.smaa(p, w, seed=seed, source=src, progress=progress),
            spread=sampling.spread,
        )
    tiers = customer_tiers(
        ranking_settings,
        ranking.closeness,
        dm.ids,
        key_probability=None if sensitivity is None else sensitivity.acceptability.key_probability,
        problem_=None if sensitivity is None else sensitivity.problem,
        samples=w,
    )
    return Study(
        case=case,
        panel=panel,
        local=local,
        weights=weights,
        matrix=dm,
        cash_flows=flows,
        ranking=ranking,
        cross=cross,
        cross_ids=cross_ids,
        reading=read,
        sensitivity=sensitivity,
        top_k=k,
        normalization=norm,
        inputs=inputs,
        seed=sampling.seed if with_sensitivity else None,
        weighing=weighing,
        tiers=tiers,
    )
