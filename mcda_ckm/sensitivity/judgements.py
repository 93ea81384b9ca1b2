"""Judgement tolerances: how many steps on the Saaty scale each judgement (of every expert, and
of the aggregated panel) can move before the key set changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from mcda_ckm.model import scale
from mcda_ckm.model.judgements import ExpertJudgements, Judgement
from mcda_ckm.sensitivity.problem import Problem, Progress
from mcda_ckm.weights import ahp
from mcda_ckm.weights.panel import PanelResult, evaluate_node

__all__ = ["JudgementTolerance", "judgement_tolerances"]


@dataclass(frozen=True)
class JudgementTolerance:
    """How far one judgement can move on the Saaty scale before the key set changes.

    Attributes
    ----------
    expert : str
        The expert's id, or ``"group"`` for the panel's aggregated judgement.
    node, first, second : str
    value : float
        The judgement (first over second).
    steps_up, steps_down : int or None
        How many steps up (towards 9, more for ``first``) or down (towards 1/9) it can move
        without changing the top-k set; None when the set holds to the end of the scale.
    changes_up, changes_down : tuple of str
        The top-k set just past that point (empty when it never changes).
    """

    expert: str
    node: str
    first: str
    second: str
    value: float
    steps_up: int | None
    steps_down: int | None
    changes_up: tuple[str, ...] = ()
    changes_down: tuple[str, ...] = ()

    @property
    def slack(self) -> int:
        """The smaller number of steps (17 when it never changes): small = the result hangs
        on this judgement."""
        return min(17 if s is None else s for s in (self.steps_up, self.steps_down))


def _with_value(e: ExpertJudgements, j: Judgement, value: float) -> ExpertJudgements:
    js = tuple(replace(x, value=value) if x is j else x for x in e.judgements)
    return replace(e, judgements=js)


def judgement_tolerances(
    p: Problem,
    panel: PanelResult,
    *,
    progress: Progress | None = None,
) -> list[JudgementTolerance]:
    """Move every judgement of every expert (and of the aggregated panel) one Saaty step at a
    time, up and down, until the top-k set changes.

    Each move re-runs the AHP at that judgement's node only (with the panel's settings), composes
    the global weights and recomputes TOPSIS. The result is sorted with the judgements the key
    set hangs on first.
    """
    experts = list(panel.experts)
    base_key = set(p.top(p.weights))
    out: list[JudgementTolerance] = []
    jobs = [(k, j) for k, e in enumerate(experts) for j in e.judgements]
    groups = [
        (node, i, j)
        for node, res in panel.nodes.items()
        for i in range(len(res.criteria))
        for j in range(i + 1, len(res.criteria))
    ]
    total = len(jobs) + (len(groups) if panel.aggregation == "aij" else 0)

    def key_after(node: str, local_node: np.ndarray) -> tuple[str, ...]:
        local = dict(p.local)
        local[node] = local_node
        return tuple(p.ids[i] for i in p.top(p.tree.compose(local)))

    def walk(value: float, weights_at: Callable[[float], np.ndarray], node: str) -> tuple:
        s0 = scale.steps(value)
        res: list[object] = []
        for direction in (1, -1):
            steps: int | None = None
            changed: tuple[str, ...] = ()
            for step in range(1, 17):
                s = s0 + direction * step
                if abs(s) > 8:
                    break
                after = key_after(node, weights_at(scale.from_steps(s)))
                if set(after) != {p.ids[i] for i in base_key}:
                    steps, changed = step - 1, after
                    break
            res += [steps, changed]
        return tuple(res)

    done = 0
    for k, j in jobs:
        e = experts[k]

        def weights_at(v: float, k: int = k, e: ExpertJudgements = e, j: Judgement = j):
            trial = [*experts[:k], _with_value(e, j, v), *experts[k + 1 :]]
            return evaluate_node(p.tree, trial, j.node, panel.settings, diagnose=False).weights

        up, ch_up, down, ch_down = walk(j.value, weights_at, j.node)
        out.append(
            JudgementTolerance(e.id, j.node, j.first, j.second, j.value, up, down, ch_up, ch_down)
        )
        done += 1
        if progress:
            progress(done, total)
    if panel.aggregation == "aij":
        for node, i, jj in groups:
            res = panel.nodes[node]
            g = res.group.matrix

            def group_at(v: float, g: np.ndarray = g, i: int = i, jj: int = jj) -> np.ndarray:
                m = g.copy()
                m[i, jj], m[jj, i] = v, 1 / v
                return ahp.priorities(
                    m,
                    panel.method,
                    ri_table=panel.ri_table,
                    rule=panel.rule,
                    completion=panel.completion,
                ).weights

            value = float(g[i, jj])
            up, ch_up, down, ch_down = walk(value, group_at, node)
            out.append(
                JudgementTolerance(
                    "group",
                    node,
                    res.criteria[i],
                    res.criteria[jj],
                    value,
                    up,
                    down,
                    ch_up,
                    ch_down,
                )
            )
            done += 1
            if progress:
                progress(done, total)
    out.sort(key=lambda r: (r.slack, r.expert == "group", r.expert, r.node))
    return out
