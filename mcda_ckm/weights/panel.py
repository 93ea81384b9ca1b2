"""The expert panel through the tree: per-node priorities, diagnosis, consensus, global weights.

:func:`evaluate` takes a tree and the experts' judgements and returns a :class:`PanelResult`
holding, for every inner node, each expert's priorities and consistency with the judgements to
revise, the group's aggregated priorities, Goepel's consensus, and the global indicator weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from mcda_ckm.errors import CaseError, ConsistencyError, IncompleteMatrixError
from mcda_ckm.model.judgements import ExpertJudgements
from mcda_ckm.model.tree import CriteriaTree
from mcda_ckm.weights import ahp

Aggregation = Literal["aij", "aip"]
Policy = Literal["keep", "exclude", "error"]
AGGREGATIONS = ("aij", "aip")
POLICIES = ("keep", "exclude", "error")


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
    consensus : ahp.Consensus or None
        None with fewer than two experts.
    """

    node: str
    criteria: tuple[str, ...]
    experts: tuple[ExpertNode, ...]
    group: ahp.Priorities
    weights: np.ndarray
    suggestions: tuple[Suggestion, ...]
    consensus: ahp.Consensus | None


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
    method, ri_table, rule, aggregation, policy : str
        The settings used.
    """

    tree: CriteriaTree
    experts: tuple[ExpertJudgements, ...]
    nodes: dict[str, NodeResult]
    leaves: tuple[str, ...]
    global_weights: np.ndarray
    method: str
    ri_table: str
    rule: str
    aggregation: str
    policy: str
    completion: str = "harker"

    @property
    def local_weights(self) -> dict[str, np.ndarray]:
        return {k: v.weights for k, v in self.nodes.items()}

    def weight_of(self, leaf: str) -> float:
        return float(self.global_weights[self.leaves.index(leaf)])


def _suggestions(
    matrix: np.ndarray, criteria: Sequence[str], **opts: str
) -> tuple[Suggestion, ...]:
    return tuple(
        Suggestion(
            first=criteria[r.i],
            second=criteria[r.j],
            current=r.current,
            suggested=r.suggested,
            error=r.error,
            value_after=r.value_after,
        )
        for r in ahp.diagnose(matrix, **opts)  # type: ignore[arg-type]
    )


def evaluate_node(
    tree: CriteriaTree,
    experts: Sequence[ExpertJudgements],
    node: str,
    *,
    aggregation: Aggregation = "aij",
    policy: Policy = "keep",
    diagnose: bool = True,
    **opts: str,
) -> NodeResult:
    """The panel's result at one inner node (see :func:`evaluate` for the parameters).

    ``diagnose=False`` skips the suggestions and the consensus: the sensitivity analysis
    re-evaluates nodes thousands of times and needs only the weights.
    """
    criteria = tree.children(node)
    rows: list[ExpertNode] = []
    matrices: list[np.ndarray] = []
    lam: list[float] = []
    for expert in experts:
        if not expert.answered(tree, node):
            continue
        m = expert.matrix(tree, node)
        try:
            p = ahp.priorities(m, labels=criteria, **opts)  # type: ignore[arg-type]
        except IncompleteMatrixError as exc:
            raise IncompleteMatrixError(
                exc.message,
                groups=exc.groups,
                path=expert.path,
                where=f"[judgements.{node}]",
                hint=exc.hint,
            ) from None
        sugg = () if p.consistent or not diagnose else _suggestions(m, criteria, **opts)
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
            matrices.append(m)
            lam.append(expert.weight)
    if not matrices:
        why = "every expert who answered was excluded" if rows else "no expert answered"
        raise CaseError(
            f'node "{node}": {why}', hint="Add judgements for this node, or use --policy keep"
        )
    group_matrix = ahp.aggregate(matrices, lam)
    try:
        group = ahp.priorities(group_matrix, labels=criteria, **opts)  # type: ignore[arg-type]
    except IncompleteMatrixError as exc:
        raise IncompleteMatrixError(
            f'node "{node}": {exc.message}', groups=exc.groups, hint=exc.hint
        ) from None
    included = [r for r in rows if not r.excluded]
    if aggregation == "aij":
        weights = group.weights
    else:
        weights = ahp.aggregate_priorities([r.priorities.weights for r in included], lam)
    suggestions = (
        () if group.consistent or not diagnose else _suggestions(group_matrix, criteria, **opts)
    )
    cons = (
        ahp.consensus([r.priorities.weights for r in rows]) if len(rows) >= 2 and diagnose else None
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


def evaluate(
    tree: CriteriaTree,
    experts: Sequence[ExpertJudgements],
    *,
    method: ahp.Method = "eigenvector",
    ri_table: str = ahp.DEFAULT_RI_TABLE,
    rule: str = ahp.DEFAULT_THRESHOLD_RULE,
    aggregation: Aggregation = "aij",
    policy: Policy = "keep",
    completion: ahp.Completion = "harker",
) -> PanelResult:
    """Run the panel's judgements through the tree.

    Parameters
    ----------
    tree : CriteriaTree
    experts : sequence of ExpertJudgements
    method : {"eigenvector", "geometric_mean"}
    ri_table, rule : str
        Random-index table and CR acceptance rule (see :mod:`mcda_ckm.weights.ahp`).
    aggregation : {"aij", "aip"}
        Aggregate individual judgements (weighted geometric mean of the matrices) or individual
        priorities (weighted arithmetic mean), Forman & Peniwati (1998).
    policy : {"keep", "exclude", "error"}
        What to do with an expert over the threshold at a node: keep the judgements, leave
        them out of that node's aggregation, or stop with :class:`ConsistencyError`.
    completion : {"harker", "optimal"}
        How missing judgements are completed under the eigenvector method.

    Raises
    ------
    CaseError
        No expert, or no expert left at a node.
    IncompleteMatrixError
        An expert's (or the group's) comparisons at a node do not link all its criteria.
    ConsistencyError
        Under ``policy="error"``.
    """
    if aggregation not in AGGREGATIONS:
        raise CaseError(f"unknown aggregation {aggregation!r}", hint="Use aij or aip")
    if policy not in POLICIES:
        raise CaseError(f"unknown policy {policy!r}", hint="Use keep, exclude or error")
    if not experts:
        raise CaseError("the panel has no experts")
    opts = {"method": method, "ri_table": ri_table, "rule": rule, "completion": completion}
    nodes = {
        node: evaluate_node(tree, experts, node, aggregation=aggregation, policy=policy, **opts)
        for node in tree.inner_nodes
    }
    local = {k: v.weights for k, v in nodes.items()}
    return PanelResult(
        tree=tree,
        experts=tuple(experts),
        nodes=nodes,
        leaves=tree.leaves,
        global_weights=tree.compose(local),
        method=method,
        ri_table=ri_table,
        rule=rule,
        aggregation=aggregation,
        policy=policy,
        completion=completion,
    )
