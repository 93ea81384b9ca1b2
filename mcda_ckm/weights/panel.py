"""The expert panel through the tree: per-node priorities, diagnosis, consensus, global weights.

:func:`evaluate` takes a tree, the experts' judgements and the AHP settings and returns a
:class:`PanelResult` holding, for every inner node, each expert's priorities and consistency with
the judgements to revise, the group's aggregated priorities, Goepel's consensus, and the global
indicator weights. :func:`evaluate_case` does the same for a loaded case with its own ``[ahp]``
settings: the case (data) does not run the panel (method); this module does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mcda_ckm.errors import CaseError, ConsistencyError, IncompleteMatrixError
from mcda_ckm.model.case import Case
from mcda_ckm.model.judgements import ExpertJudgements, Revised
from mcda_ckm.model.settings import (
    AGGREGATIONS,
    POLICIES,
    UNFINISHED,
    Aggregation,
    AhpSettings,
    Completion,
    Method,
    MissingPairs,
    Policy,
    Unfinished,
)
from mcda_ckm.model.tree import CriteriaTree
from mcda_ckm.weights import ahp
from mcda_ckm.weights import consensus as goepel

__all__ = [
    "AGGREGATIONS",
    "POLICIES",
    "CompletedPair",
    "ExpertNode",
    "NodeResult",
    "OverThreshold",
    "PanelQuality",
    "PanelResult",
    "Suggestion",
    "evaluate",
    "evaluate_case",
    "evaluate_node",
]


@dataclass(frozen=True)
class Suggestion:
    """A judgement to revise, in the tree's names (see :class:`mcda_ckm.weights.ahp.Revision`)."""

    first: str
    second: str
    current: float
    suggested: float
    error: float
    value_after: float


@dataclass(frozen=True)
class ExpertNode:
    """One expert's result at one node."""

    expert: str
    priorities: ahp.Priorities
    suggestions: tuple[Suggestion, ...]
    missing: tuple[tuple[str, str], ...]
    excluded: bool


@dataclass(frozen=True)
class NodeResult:
    """The panel's result at one inner node.

    Attributes
    ----------
    node : str
    criteria : tuple of str
        The node's children, in the order of every vector and matrix here.
    experts : tuple of ExpertNode
        Each expert who answered at this node.
    group : ahp.Priorities
        Priorities and consistency of the aggregated (AIJ) matrix.
    weights : numpy.ndarray
        The local weights used downstream: ``group.weights`` under AIJ, the mean of the
        included experts' priorities under AIP.
    suggestions : tuple of Suggestion
        Judgements to revise in the group matrix when it is over its threshold.
    consensus : goepel.Consensus or None
        None with fewer than two experts.
    """

    node: str
    criteria: tuple[str, ...]
    experts: tuple[ExpertNode, ...]
    group: ahp.Priorities
    weights: np.ndarray
    suggestions: tuple[Suggestion, ...]
    consensus: goepel.Consensus | None


@dataclass(frozen=True)
class OverThreshold:
    """An expert whose judgements at a node are over the consistency threshold."""

    expert: str
    node: str
    index: str
    value: float
    threshold: float
    excluded: bool
    koczkodaj: float = 0.0


@dataclass(frozen=True)
class CompletedPair:
    """A pair an expert did not judge, and the value their other judgements give it.

    ``value`` is ``a_ij`` for (``first``, ``second``) in the expert's completed matrix
    (Harker 1987, the optimal completion of Bozóki, Fülöp & Rónyai 2010, or the least-squares
    completion of the geometric mean). Under ``missing_pairs = "complete"`` this value enters
    the group matrix; under ``"pool"`` only the expert's own priorities use it.
    """

    expert: str
    node: str
    first: str
    second: str
    value: float
    completion: str


@dataclass(frozen=True)
class PanelQuality:
    """What could shape the panel's weights without anyone noticing, named.

    Attributes
    ----------
    unfinished : {"exclude", "include"}
        What was done with the experts in progress (``[panel] unfinished``).
    in_progress : tuple of ExpertJudgements
        Experts whose questionnaire is not finished; left out of the panel under
        ``"exclude"``.
    over_threshold : tuple of OverThreshold
        Every expert over the threshold at a node, kept or excluded by the policy.
    empty_nodes : tuple of (str, str)
        ``(expert id, node)``: a node an expert of the panel left empty (that expert is not in
        that node's aggregation).
    flagged : tuple of str
        Ids of the experts in the panel whose answers are questionable: over a threshold and
        kept, or in progress and included.
    without_flagged : numpy.ndarray or None
        The global weights of the panel without the flagged experts (None when nobody is
        flagged, or when leaving them out leaves a node with nobody).
    missing_pairs : {"pool", "complete"}
        How skipped pairs entered the group matrices (``[ahp] missing_pairs``).
    completed : tuple of CompletedPair
        Every pair an expert skipped at a node they answered, with its completed value.
    revised : tuple of (str, Revised)
        Judgements the experts changed by taking a suggestion (their files' trail).
    """

    unfinished: Unfinished
    in_progress: tuple[ExpertJudgements, ...]
    over_threshold: tuple[OverThreshold, ...]
    empty_nodes: tuple[tuple[str, str], ...]
    flagged: tuple[str, ...]
    without_flagged: np.ndarray | None
    missing_pairs: MissingPairs = "pool"
    completed: tuple[CompletedPair, ...] = ()
    revised: tuple[tuple[str, Revised], ...] = ()

    @property
    def clean(self) -> bool:
        """Nothing to report."""
        return not (self.in_progress or self.over_threshold or self.empty_nodes)

    def to_dict(self, leaves: Sequence[str]) -> dict[str, Any]:
        """The summary as a JSON-able dict (ids and numbers; the sentences are the CLI's and
        the report's)."""
        return {
            "unfinished": self.unfinished,
            "in_progress": [
                {"id": e.id, "name": e.name, "file": str(e.path) if e.path else None}
                for e in self.in_progress
            ],
            "in_progress_excluded": self.unfinished == "exclude",
            "over_threshold": [
                {
                    "expert": o.expert,
                    "node": o.node,
                    "index": o.index,
                    "value": o.value,
                    "threshold": o.threshold,
                    "excluded": o.excluded,
                    "koczkodaj": o.koczkodaj,
                }
                for o in self.over_threshold
            ],
            "empty_nodes": [{"expert": e, "node": n} for e, n in self.empty_nodes],
            "revised_on_suggestion": [
                {
                    "expert": who,
                    "node": r.node,
                    "first": r.first,
                    "second": r.second,
                    "original": r.original,
                    "suggested": r.suggested,
                    "when": r.when,
                    "by": r.by,
                }
                for who, r in self.revised
            ],
            "flagged": list(self.flagged),
            "missing_pairs": self.missing_pairs,
            "completed": [
                {
                    "expert": c.expert,
                    "node": c.node,
                    "first": c.first,
                    "second": c.second,
                    "value": c.value,
                    "completion": c.completion,
                }
                for c in self.completed
            ],
            "global_weights_without_flagged": None
            if self.without_flagged is None
            else dict(zip(leaves, self.without_flagged.tolist(), strict=True)),
        }


@dataclass(frozen=True)
class PanelResult:
    """Everything the AHP stage produces for a tree and a panel.

    Attributes
    ----------
    tree : CriteriaTree
    experts : tuple of ExpertJudgements
    nodes : dict of str to NodeResult
        Keyed by inner node id, root first.
    leaves : tuple of str
    global_weights : numpy.ndarray
        Leaf weights in ``leaves`` order, summing to 1.
    settings : AhpSettings
        The settings used (also readable one by one: ``method``, ``ri_table``, ``rule``,
        ``aggregation``, ``policy``, ``completion``).
    quality : PanelQuality or None
        Experts in progress, over a threshold, nodes left empty (None only when built by hand).
    """

    tree: CriteriaTree
    experts: tuple[ExpertJudgements, ...]
    nodes: dict[str, NodeResult]
    leaves: tuple[str, ...]
    global_weights: np.ndarray
    settings: AhpSettings
    quality: PanelQuality | None = None

    @property
    def method(self) -> Method:
        return self.settings.method

    @property
    def ri_table(self) -> str:
        return self.settings.ri_table

    @property
    def rule(self) -> str:
        return self.settings.rule

    @property
    def aggregation(self) -> Aggregation:
        return self.settings.aggregation

    @property
    def policy(self) -> Policy:
        return self.settings.inconsistent_experts

    @property
    def completion(self) -> Completion:
        return self.settings.completion

    @property
    def local_weights(self) -> dict[str, np.ndarray]:
        return {k: v.weights for k, v in self.nodes.items()}

    def weight_of(self, leaf: str) -> float:
        return float(self.global_weights[self.leaves.index(leaf)])


def _suggestions(
    matrix: np.ndarray, criteria: Sequence[str], settings: AhpSettings
) -> tuple[Suggestion, ...]:
    revisions = ahp.diagnose(
        matrix,
        settings.method,
        ri_table=settings.ri_table,
        rule=settings.rule,
        completion=settings.completion,
    )
    return tuple(
        Suggestion(
            first=criteria[r.i],
            second=criteria[r.j],
            current=r.current,
            suggested=r.suggested,
            error=r.error,
            value_after=r.value_after,
        )
        for r in revisions
    )


def _priorities(m: np.ndarray, criteria: Sequence[str], settings: AhpSettings) -> ahp.Priorities:
    return ahp.priorities(
        m,
        settings.method,
        ri_table=settings.ri_table,
        rule=settings.rule,
        completion=settings.completion,
        labels=criteria,
    )


def evaluate_node(
    tree: CriteriaTree,
    experts: Sequence[ExpertJudgements],
    node: str,
    settings: AhpSettings | None = None,
    *,
    diagnose: bool = True,
) -> NodeResult:
    """The panel's result at one inner node (see :func:`evaluate` for the parameters).

    ``diagnose=False`` skips the suggestions and the consensus: the sensitivity analysis
    re-evaluates nodes thousands of times and needs only the weights.
    """
    settings = settings or AhpSettings()
    policy = settings.inconsistent_experts
    criteria = tree.children(node)
    rows: list[ExpertNode] = []
    matrices: list[np.ndarray] = []
    lam: list[float] = []
    for expert in experts:
        if not expert.answered(tree, node):
            continue
        m = expert.matrix(tree, node)
        try:
            p = _priorities(m, criteria, settings)
        except IncompleteMatrixError as exc:
            raise IncompleteMatrixError(
                exc.message,
                groups=exc.groups,
                path=expert.path,
                where=f"[judgements.{node}]",
                hint=exc.hint,
            ) from None
        sugg = () if p.consistent or not diagnose else _suggestions(m, criteria, settings)
        if not p.consistent and policy == "error":
            fix = (
                f"; revise {sugg[0].first} vs {sugg[0].second} from "
                f"{sugg[0].current:.3g} to {sugg[0].suggested:.3g}"
                if sugg
                else ""
            )
            raise ConsistencyError(
                f"{p.index} = {p.value:.3f} is over the threshold {p.threshold}{fix}",
                cr=p.value,
                threshold=p.threshold,
                path=expert.path,
                where=f"[judgements.{node}]",
                hint="Revise the judgements, or run with the keep or exclude policy",
            )
        excluded = not p.consistent and policy == "exclude"
        missing = tuple((criteria[i], criteria[j]) for i, j in p.missing)
        rows.append(ExpertNode(expert.id, p, sugg, missing, excluded))
        if not excluded:
            # "pool": the judgements given; "complete": the expert's completed matrix.
            matrices.append(p.matrix if settings.missing_pairs == "complete" else m)
            lam.append(expert.weight)
    if not matrices:
        why = "every expert who answered was excluded" if rows else "no expert answered"
        raise CaseError(
            f'node "{node}": {why}', hint="Add judgements for this node, or use --policy keep"
        )
    group_matrix = ahp.aggregate(matrices, lam)
    try:
        group = _priorities(group_matrix, criteria, settings)
    except IncompleteMatrixError as exc:
        raise IncompleteMatrixError(
            f'node "{node}": {exc.message}', groups=exc.groups, hint=exc.hint
        ) from None
    included = [r for r in rows if not r.excluded]
    if settings.aggregation == "aij":
        weights = group.weights
    else:
        weights = ahp.aggregate_priorities([r.priorities.weights for r in included], lam)
    suggestions = (
        () if group.consistent or not diagnose else _suggestions(group_matrix, criteria, settings)
    )
    cons = (
        goepel.consensus(np.array([r.priorities.weights for r in rows]))
        if len(rows) >= 2 and diagnose
        else None
    )
    return NodeResult(
        node=node,
        criteria=criteria,
        experts=tuple(rows),
        group=group,
        weights=weights,
        suggestions=suggestions,
        consensus=cons,
    )


def _quality(
    tree: CriteriaTree,
    panel: Sequence[ExpertJudgements],
    in_progress: Sequence[ExpertJudgements],
    nodes: dict[str, NodeResult],
    settings: AhpSettings,
    unfinished: Unfinished,
) -> PanelQuality:
    over = tuple(
        OverThreshold(
            e.expert,
            node,
            e.priorities.index,
            e.priorities.value,
            e.priorities.threshold,
            e.excluded,
            e.priorities.koczkodaj,
        )
        for node, n in nodes.items()
        for e in n.experts
        if not e.priorities.consistent
    )
    empty = tuple(
        (e.id, node) for e in panel for node in tree.inner_nodes if not e.answered(tree, node)
    )
    kept_over = {o.expert for o in over if not o.excluded}
    flagged = tuple(
        e.id for e in panel if e.id in kept_over or (e.in_progress and unfinished == "include")
    )
    without = None
    rest = [e for e in panel if e.id not in flagged]
    if flagged and rest:
        try:
            local = {
                node: evaluate_node(tree, rest, node, settings, diagnose=False).weights
                for node in tree.inner_nodes
            }
            without = tree.compose(local)
        except (CaseError, IncompleteMatrixError, ConsistencyError):
            without = None
    completed = tuple(
        CompletedPair(
            e.expert,
            node,
            n.criteria[i],
            n.criteria[j],
            float(e.priorities.matrix[i, j]),
            e.priorities.completion,
        )
        for node, n in nodes.items()
        for e in n.experts
        for i, j in e.priorities.missing
    )
    return PanelQuality(
        unfinished,
        tuple(in_progress),
        over,
        empty,
        flagged,
        without,
        settings.missing_pairs,
        completed,
        tuple((e.id, r) for e in panel for r in e.trail.revised),
    )


def evaluate(
    tree: CriteriaTree,
    experts: Sequence[ExpertJudgements],
    settings: AhpSettings | None = None,
    *,
    unfinished: Unfinished = "exclude",
) -> PanelResult:
    """Run the panel's judgements through the tree.

    Parameters
    ----------
    tree : CriteriaTree
    experts : sequence of ExpertJudgements
    settings : AhpSettings
        ``method`` (eigenvector or geometric mean), ``ri_table`` and ``rule`` (the random-index
        table and CR acceptance rule, see :mod:`mcda_ckm.weights.ahp`), ``aggregation``
        (aggregate individual judgements by the weighted geometric mean of the matrices, or
        individual priorities by their weighted arithmetic mean, Forman & Peniwati 1998),
        ``inconsistent_experts`` (keep an expert over the threshold at a node, leave them out
        of that node's aggregation, or stop with :class:`ConsistencyError`) and ``completion``
        (of missing judgements under the eigenvector method). Default (None): ``AhpSettings()``.

    Raises
    ------
    CaseError
        No expert, or no expert left at a node.
    IncompleteMatrixError
        An expert's (or the group's) comparisons at a node do not link all its criteria.
    ConsistencyError
        Under ``inconsistent_experts = "error"``.
    """
    if not experts:
        raise CaseError("the panel has no experts")
    choice_of(unfinished)
    settings = settings or AhpSettings()
    in_progress = [e for e in experts if e.in_progress]
    panel = [e for e in experts if not (e.in_progress and unfinished == "exclude")]
    if not panel:
        names = ", ".join(f"{e.name} ({e.path})" for e in in_progress)
        raise CaseError(
            f"every expert is still in progress: {names}",
            hint="Finish the questionnaires (ckm judge resumes them), or set [panel] "
            'unfinished = "include" to use the nodes answered so far',
        )
    nodes = {node: evaluate_node(tree, panel, node, settings) for node in tree.inner_nodes}
    local = {k: v.weights for k, v in nodes.items()}
    return PanelResult(
        tree=tree,
        experts=tuple(panel),
        nodes=nodes,
        leaves=tree.leaves,
        global_weights=tree.compose(local),
        settings=settings,
        quality=_quality(tree, panel, in_progress, nodes, settings, unfinished),
    )


def choice_of(unfinished: str) -> None:
    """Refuse an ``unfinished`` value that is not one of :data:`UNFINISHED`."""
    if unfinished not in UNFINISHED:
        raise CaseError(
            f"unfinished = {unfinished!r} is not a choice", hint=f"Use {' or '.join(UNFINISHED)}"
        )


def evaluate_case(case: Case, settings: AhpSettings | None = None) -> PanelResult:
    """The case's panel through its tree, with its ``[panel]`` settings and its ``[ahp]`` unless
    ``settings`` is given (build it with ``case.settings.ahp.with_overrides(...)`` to change
    some of them).

    Raises
    ------
    CaseError
        When the case has fixed weights and no panel.
    """
    if not case.experts:
        raise CaseError(
            "this case has fixed [weights] and no expert panel", path=case.path / "case.toml"
        )
    return evaluate(
        case.tree,
        case.experts,
        settings or case.settings.ahp,
        unfinished=case.settings.panel.unfinished,
    )
