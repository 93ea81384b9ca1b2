"""The panel's progress: who has answered what, each node's consensus, and whom to call back.

Works on an unfinished panel (experts who have not answered a node, or whose answers do not yet
link all its criteria, are reported rather than rejected), for ``ckm panel``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mcda_ckm.elicit.interview import Setup
from mcda_ckm.errors import IncompleteMatrixError
from mcda_ckm.model.judgements import ExpertJudgements, load_expert
from mcda_ckm.weights import ahp
from mcda_ckm.weights import consensus as goepel

__all__ = ["LOW_CONSENSUS_OK", "ExpertNodeStatus", "NodeStatus", "PanelStatus", "panel_status"]


@dataclass(frozen=True)
class ExpertNodeStatus:
    """One expert at one node.

    Attributes
    ----------
    expert : str
        The expert's id.
    answered, total : int
        Pairs answered and pairs at the node.
    priorities : ahp.Priorities or None
        None when nothing is answered or the answers do not link all criteria.
    """

    expert: str
    answered: int
    total: int
    priorities: ahp.Priorities | None

    @property
    def state(self) -> str:
        """``"none"``, ``"unlinked"`` (answers do not link all criteria), ``"over"`` (the index
        is over its threshold) or ``"ok"``."""
        if self.answered == 0:
            return "none"
        if self.priorities is None:
            return "unlinked"
        return "ok" if self.priorities.consistent else "over"


@dataclass(frozen=True)
class NodeStatus:
    """The panel at one node: each expert's state, Goepel's consensus and the outlier.

    ``outlier`` is the expert whose removal raises S* the most (three or more experts with
    priorities), after Goepel (2013), see :data:`mcda_ckm.weights.consensus.CONSENSUS_SOURCE`.
    """

    node: str
    experts: tuple[ExpertNodeStatus, ...]
    consensus: goepel.Consensus | None
    outlier: str | None


LOW_CONSENSUS_OK = ("high", "very high")
"""Consensus bands at which the node's outlier is not worth a call (Goepel's word scale)."""


@dataclass(frozen=True)
class PanelStatus:
    """Who has answered what, and whom to call back.

    Attributes
    ----------
    experts : tuple of ExpertJudgements
    nodes : dict of str to NodeStatus
        Keyed by inner node, root first.
    in_progress : tuple of str
        Ids of experts with an interrupted ``ckm judge`` session.
    ri_table, rule : str
    """

    experts: tuple[ExpertJudgements, ...]
    nodes: dict[str, NodeStatus]
    in_progress: tuple[str, ...]
    ri_table: str
    rule: str

    def call_back(self) -> dict[str, list[tuple[str, str]]]:
        """For each expert to contact, the reasons as ``(node, reason)``: nothing or too little
        answered to link the criteria, the index over its threshold, pairs left out, farthest
        from the group when the consensus is moderate or lower. Experts in panel order."""
        out: dict[str, list[tuple[str, str]]] = {}
        for node, ns in self.nodes.items():
            for e in ns.experts:
                p = e.priorities
                if e.state == "none":
                    reason = "not answered"
                elif e.state == "unlinked" or p is None:
                    reason = f"{e.answered} of {e.total} pairs, not linking all criteria"
                elif e.state == "over":
                    reason = f"{p.index} {p.value:.3f} over {p.threshold:.2f}"
                elif e.answered < e.total:
                    reason = f"{e.total - e.answered} pair(s) left out (completed)"
                else:
                    continue
                out.setdefault(e.expert, []).append((node, reason))
            c = ns.consensus
            if ns.outlier is not None and c is not None and c.band not in LOW_CONSENSUS_OK:
                out.setdefault(ns.outlier, []).append(
                    (
                        node,
                        f"farthest from the group (S* {c.s_star:.0%}, {c.band}; "
                        f"{c.s_without_farthest:.0%} without)",
                    )
                )
        order = {e.id: k for k, e in enumerate(self.experts)}
        return dict(sorted(out.items(), key=lambda kv: order.get(kv[0], len(order))))


def panel_status(setup: Setup) -> PanelStatus:
    """Read every judgement file of the case's panel and summarise it per expert and node.

    Unlike :func:`mcda_ckm.weights.panel.evaluate` this works on an unfinished panel: experts who
    have
    not answered a node, or whose answers there do not yet link all criteria, are reported,
    not rejected.

    Raises
    ------
    JudgementError
        From a judgement file that cannot be read.
    """
    files = sorted(setup.panel.glob("*.toml")) if setup.panel.is_dir() else []
    experts = tuple(load_expert(f, setup.tree) for f in files)
    in_progress = tuple(
        f.name[1 : -len(".inprogress")] for f in sorted(setup.panel.glob(".*.inprogress"))
    )
    opts = setup.options
    nodes: dict[str, NodeStatus] = {}
    for node in setup.tree.inner_nodes:
        kids = setup.tree.children(node)
        total = len(kids) * (len(kids) - 1) // 2
        rows = []
        for e in experts:
            given = len(e.for_node(node))
            p = None
            if given:
                try:
                    p = ahp.priorities(e.matrix(setup.tree, node), labels=kids, **opts)  # type: ignore[arg-type]
                except IncompleteMatrixError:
                    p = None
            rows.append(ExpertNodeStatus(e.id, given, total, p))
        with_p = [(r.expert, r.priorities) for r in rows if r.priorities is not None]
        cons, outlier = None, None
        if len(with_p) >= 2:
            cons = goepel.consensus(np.array([p.weights for _, p in with_p]))
            if cons.farthest is not None:
                outlier = with_p[cons.farthest][0]
        nodes[node] = NodeStatus(node, tuple(rows), cons, outlier)
    return PanelStatus(experts, nodes, in_progress, opts["ri_table"], opts["rule"])
