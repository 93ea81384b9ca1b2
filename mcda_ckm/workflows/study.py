"""A case study end to end: panel weights, customer ranking, cross-check, reading, sensitivity.

:func:`run_study` is what ``ckm run`` computes; it returns a :class:`Study` that the report
writers turn into files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from mcda_ckm.errors import CaseError
from mcda_ckm.model.case import Case, sha256
from mcda_ckm.model.matrix import DecisionMatrix, load_customers
from mcda_ckm.model.settings import (
    AhpSettings,
    ClvSettings,
    Normalization,
    RankingSettings,
    SensitivitySettings,
    Source,
)
from mcda_ckm.ranking.clv import CashFlows, load_cash_flows
from mcda_ckm.ranking.crosscheck import PROMETHEE_LIMIT, CrossCheck, cross_check
from mcda_ckm.ranking.reading import Reading, reading
from mcda_ckm.ranking.topsis import Ranking, rank
from mcda_ckm.sensitivity import analysis as sens
from mcda_ckm.weights.panel import PanelResult, evaluate_case

__all__ = ["Sensitivity", "Study", "run_study"]


@dataclass(frozen=True)
class Sensitivity:
    """The sensitivity analyses of a study (see :mod:`mcda_ckm.sensitivity.analysis`)."""

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
    samples, seed, source, spread : optional
        Override the case's ``[sensitivity]`` settings, the SMAA sampling (see
        :func:`mcda_ckm.sensitivity.analysis.sample_weights`); ``source`` defaults to "panel"
        when the case has a panel, "around" when it has fixed weights.
    progress : callable, optional
        Called as ``progress(done, total)`` during the long steps.

    Raises
    ------
    CkmError
        On an override out of its range, before anything is computed.
    """
    ranking_settings = RankingSettings(
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
    return _run(case, customers, ahp, ranking_settings, sampling, with_sensitivity, progress)


def _run(
    case: Case,
    customers: Path,
    ahp: AhpSettings | None,
    ranking_settings: RankingSettings,
    sampling: SensitivitySettings,
    with_sensitivity: bool,
    progress: sens.Progress | None,
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
    if with_sensitivity:
        p = sens.problem(case.tree, local, dm.values, dm.directions, dm.ids, k, norm)
        src: Source = sampling.source or ("panel" if panel is not None else "around")
        seed = sampling.seed
        w = sens.sample_weights(
            p, sampling.samples, src, seed=seed, panel=panel, spread=sampling.spread
        )
        sensitivity = Sensitivity(
            problem=p,
            tolerances=sens.tolerances(p),
            judgements=sens.judgement_tolerances(p, panel) if panel is not None else [],
            acceptability=sens.smaa(p, w, seed=seed, source=src, progress=progress),
            spread=sampling.spread,
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
    )
