"""A case study end to end: panel weights, customer ranking, cross-check, reading, sensitivity.

:func:`run_study` is what ``ckm run`` computes; it returns a :class:`Study` that the report
writers turn into files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mcda_ckm import sensitivity as sens
from mcda_ckm.errors import CaseError
from mcda_ckm.model.case import Case, sha256
from mcda_ckm.model.matrix import DecisionMatrix, load_customers
from mcda_ckm.ranking.clv import CashFlows, load_cash_flows
from mcda_ckm.ranking.crosscheck import PROMETHEE_LIMIT, CrossCheck, cross_check
from mcda_ckm.ranking.reading import Reading, reading
from mcda_ckm.ranking.topsis import Ranking, rank
from mcda_ckm.weights.panel import PanelResult

DEFAULT_SEED = 20081008
"""Default seed of the sampling (the seed paper's publication year and issue, 2008 (8))."""
DEFAULT_SAMPLES = 10_000


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
    cross_scope : str
        Which customers the cross-check covers (all, or the head of the ranking when there are
        more than PROMETHEE II can compare), and their ids in the order of ``cross``.
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
    cross_scope: str
    cross_ids: tuple[str, ...]
    reading: Reading
    sensitivity: Sensitivity | None
    top_k: int
    normalization: str
    inputs: dict[str, str] = field(default_factory=dict)
    seed: int | None = None


def _setting(case: Case, section: str, key: str, default: Any) -> Any:
    return case.settings.get(section, {}).get(key, default)


def _with_clv(case: Case, dm: DecisionMatrix) -> tuple[DecisionMatrix, CashFlows | None]:
    clv = case.settings.get("clv", {})
    if "cashflows" not in clv:
        return dm, None
    toml = case.path / "case.toml"
    column = clv.get("column", "base_potential")
    if column not in dm.criteria:
        raise CaseError(
            f"column {column!r} is not an indicator of the tree",
            path=toml,
            where="[clv] column",
            hint=f"Indicators: {', '.join(dm.criteria)}",
        )
    for key in ("discount_rate", "horizon"):
        if key not in clv:
            raise CaseError(f"{key} is missing", path=toml, where=f"[clv] {key}")
    path = case.file("cashflows", "clv")
    assert path is not None
    flows = load_cash_flows(path, dm.ids, float(clv["discount_rate"]), int(clv["horizon"]))
    values = dm.values.copy()
    values[:, dm.criteria.index(column)] = flows.clv
    values.flags.writeable = False
    return dm.replace(values=values), flows


def run_study(
    case: Case,
    *,
    top_k: int | None = None,
    normalization: str | None = None,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    source: str | None = None,
    spread: float = 0.2,
    with_sensitivity: bool = True,
    progress: sens.Progress | None = None,
) -> Study:
    """Run a case: weights (panel or fixed), ranking, cross-check, reading, sensitivity.

    Parameters
    ----------
    top_k, normalization : optional
        Override the case's ``[ranking]`` settings.
    samples, seed, source, spread :
        The SMAA sampling (see :func:`mcda_ckm.sensitivity.sampling.sample_weights`); ``source``
        defaults to "panel" when the case has a panel, "around" when it has fixed weights.
    progress : callable, optional
        Called as ``progress(done, total)`` during the long steps.
    """
    customers = case.file("customers")
    if customers is None:
        raise CaseError(
            "no customers file",
            path=case.path / "case.toml",
            where="[case] customers",
            hint='Add customers = "customers.csv" (one row per customer, one column per indicator)',
        )
    k = int(top_k if top_k is not None else _setting(case, "ranking", "top_k", 5))
    norm = normalization or str(_setting(case, "ranking", "normalization", "vector"))
    panel = None
    if case.fixed_weights is not None:
        weights = case.fixed_weights
        local = case.tree.decompose(weights)
    else:
        panel = case.evaluate()
        weights, local = panel.global_weights, panel.local_weights
    dm = load_customers(customers, case.tree)
    inputs = {**case.inputs, customers.name: sha256(customers)}
    dm, flows = _with_clv(case, dm)
    if flows is not None and flows.path is not None:
        inputs[flows.path.name] = sha256(flows.path)
    ranking = rank(dm, weights, normalization=norm, top_k=k)
    cross_scope = "all customers"
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
        cross_scope = f"the top {PROMETHEE_LIMIT} customers of the TOPSIS ranking"
    else:
        cross = cross_check(dm, weights, top_k=k, normalization=norm)
    read = reading(case.tree, ranking)
    sensitivity = None
    if with_sensitivity:
        p = sens.problem(case.tree, local, dm.values, dm.directions, dm.ids, k, norm)
        src = source or ("panel" if panel is not None else "around")
        if src == "panel" and panel is None:
            raise CaseError(
                "this case has fixed weights: there is no panel to sample",
                hint="Use --source uniform or --source around",
            )
        w = sens.sample_weights(p, samples, src, seed=seed, panel=panel, spread=spread)  # type: ignore[arg-type]
        sensitivity = Sensitivity(
            problem=p,
            tolerances=sens.tolerances(p),
            judgements=sens.judgement_tolerances(p, panel) if panel is not None else [],
            acceptability=sens.smaa(p, w, seed=seed, source=src, progress=progress),
            spread=spread,
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
        cross_scope=cross_scope,
        cross_ids=cross_ids,
        reading=read,
        sensitivity=sensitivity,
        top_k=k,
        normalization=norm,
        inputs=inputs,
        seed=seed if with_sensitivity else None,
    )
