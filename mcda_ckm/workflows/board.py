"""The consultant's board: where the panel stands while it answers, from the case folder alone.

:func:`board` reads a case folder as it is at this moment (judgement files being filled by
``ckm serve``, ``ckm judge`` or returned workbooks) and returns a frozen :class:`Board`:

- per expert and inner node: answered, in progress or not started, pairs given, the consistency
  index of a finished node (CR for the eigenvector method, GCI for the geometric mean, with the
  case's random-index table and rule) and the time of the last activity;
- per node: Goepel's consensus S* of the experts who finished it and the expert farthest from
  the group (:func:`mcda_ckm.weights.consensus.consensus`);
- whom to remind: the experts not done, the longest silent first;
- the current global weights, key set and key-source probabilities, computed as ``ckm run``
  would on the same files (:func:`mcda_ckm.workflows.study.run_study`, the case's ``[panel]
  unfinished`` deciding what is done with experts in progress), with a smaller SMAA sample
  (:data:`BOARD_SAMPLES`) so that the board refreshes in a fraction of a second.

A panel that cannot give weights yet (nobody finished, a node nobody answered) still gives a
board: :attr:`Board.weights_error` says why, in the error's own words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np

from mcda_ckm import sensitivity as sens
from mcda_ckm.errors import CaseError, CkmError, IncompleteMatrixError
from mcda_ckm.model.case import CaseFile, load_case, read_case_file
from mcda_ckm.model.judgements import ExpertJudgements, load_expert, progress_path
from mcda_ckm.model.settings import AhpSettings, Source
from mcda_ckm.weights import consensus as goepel
from mcda_ckm.weights.panel import evaluate_node
from mcda_ckm.workflows.study import run_study

__all__ = [
    "BOARD_SAMPLES",
    "EXPERT_STATES",
    "NODE_STATES",
    "Board",
    "ExpertBoard",
    "ExpertNodeBoard",
    "KeySource",
    "NodeBoard",
    "board",
]

NodeState = Literal["answered", "in progress", "not started"]
ExpertState = Literal["done", "in progress", "not started", "unreadable"]

NODE_STATES: tuple[NodeState, ...] = ("answered", "in progress", "not started")
"""An expert at a node: finished it (its trail has an ``answered`` time, or the expert's file
is complete and gives pairs there), gave some pairs, or none."""
EXPERT_STATES: tuple[ExpertState, ...] = ("done", "in progress", "not started", "unreadable")
"""An expert: every node answered and the file not in progress; something given; nothing
given (or a link issued and no file yet); a file that cannot be read (its error is kept)."""

BOARD_SAMPLES = 2000
"""Weight samples of the board's SMAA (at most; fewer when the case asks for fewer). The
standard error of a key-source probability is at most ``0.5 / sqrt(2000)``, about 1.1
percentage points: enough to watch a panel fill, and cheap enough to recompute at every
refresh. ``ckm run`` uses the case's ``[sensitivity] samples`` (10,000 by default) with the
same seed and source, so its probabilities agree within that error."""


@dataclass(frozen=True)
class ExpertNodeBoard:
    """One expert at one inner node.

    Attributes
    ----------
    node : str
    state : {"answered", "in progress", "not started"}
    given, total : int
        Pairs given and pairs at the node (``n (n - 1) / 2``); a finished node may give
        fewer (pairs skipped).
    index : str or None
        ``"CR"`` or ``"GCI"`` (the case's method), for a finished node whose pairs link all
        criteria; None otherwise.
    value, threshold : float or None
        The index and the threshold of the case's rule.
    answered_at : datetime or None
        The trail's time for the node (UTC).
    """

    node: str
    state: NodeState
    given: int
    total: int
    index: str | None = None
    value: float | None = None
    threshold: float | None = None
    answered_at: datetime | None = None

    @property
    def consistent(self) -> bool | None:
        """``value <= threshold``; None when there is no index."""
        if self.value is None or self.threshold is None:
            return None
        return self.value <= self.threshold


@dataclass(frozen=True)
class ExpertBoard:
    """One expert: state, nodes, last activity.

    Attributes
    ----------
    id : str
        The judgement file's stem (the id ``ckm serve`` issues links for).
    name, role : str
    state : {"done", "in progress", "not started", "unreadable"}
    nodes : tuple of ExpertNodeBoard
        In the tree's order of inner nodes (empty when the file is unreadable).
    last_activity : datetime or None
        The latest of the trail's times (nodes answered, suggestions taken) and the
        modification time of the in-progress file (``.<id>.inprogress``, written only while a
        session answers a node); for a file with answers and neither (a workbook, an old
        ``ckm judge`` file), the file's modification time. None when nothing was given.
    in_progress : bool
        The file says so (``[expert] status = "in progress"`` or a ``ckm judge`` session
        file beside it): ``[panel] unfinished`` decides whether the weights count it.
    problem : str
        For an unreadable file, the error's message.
    path : Path or None
    """

    id: str
    name: str
    role: str
    state: ExpertState
    nodes: tuple[ExpertNodeBoard, ...]
    last_activity: datetime | None
    in_progress: bool = False
    problem: str = ""
    path: Path | None = None

    @property
    def answered(self) -> int:
        """Nodes finished."""
        return sum(n.state == "answered" for n in self.nodes)

    def node(self, node: str) -> ExpertNodeBoard:
        return next(n for n in self.nodes if n.node == node)


@dataclass(frozen=True)
class NodeBoard:
    """The panel at one inner node: who finished it and how far they agree.

    Attributes
    ----------
    node : str
    criteria : tuple of str
    experts : tuple of str
        Ids of the experts whose finished answers there link all criteria, the order of the
        consensus.
    consensus : goepel.Consensus or None
        Goepel's S* of their local priorities; None with fewer than two.
    farthest : str or None
        The expert whose removal raises S* the most (three or more experts), Goepel (2013).
    """

    node: str
    criteria: tuple[str, ...]
    experts: tuple[str, ...]
    consensus: goepel.Consensus | None
    farthest: str | None


@dataclass(frozen=True)
class KeySource:
    """A customer of the current key set, with its SMAA key-source probability."""

    id: str
    name: str
    rank: int
    closeness: float
    probability: float | None


@dataclass(frozen=True)
class Board:
    """Where the panel stands (see the module's docstring).

    Attributes
    ----------
    case : str
        The case's name (``name_zh`` for Chinese is in ``case_zh``).
    leaves : tuple of str
    experts : tuple of ExpertBoard
        Files in name order, then experts with a link and no file yet.
    nodes : tuple of NodeBoard
        In the tree's order of inner nodes.
    remind : tuple of str
        Ids of the experts not done, the longest silent first (never active first, then by
        last activity, then by id).
    weights : numpy.ndarray or None
        Global indicator weights as ``ckm run`` computes them now, in ``leaves`` order; None
        when the panel cannot give them yet (``weights_error`` says why).
    key : tuple of KeySource
        The key set under ``weights``, by rank.
    counted : tuple of str
        Ids of the experts whose answers are in those weights (the in-progress ones excluded
        or not by ``[panel] unfinished``; a file with no answer counts for nothing).
    unfinished : {"exclude", "include"}
    samples, seed : int
        The board's SMAA sample (:data:`BOARD_SAMPLES` at most) and the case's seed.
    source : str
        The SMAA source (the case's, default "panel").
    generated : datetime
    """

    case: str
    case_zh: str
    leaves: tuple[str, ...]
    experts: tuple[ExpertBoard, ...]
    nodes: tuple[NodeBoard, ...]
    remind: tuple[str, ...]
    weights: np.ndarray | None
    key: tuple[KeySource, ...]
    counted: tuple[str, ...]
    weights_error: str
    unfinished: str
    samples: int
    seed: int
    source: str
    generated: datetime

    @property
    def done(self) -> int:
        """Experts done."""
        return sum(e.state == "done" for e in self.experts)

    def expert(self, id_: str) -> ExpertBoard:
        return next(e for e in self.experts if e.id == id_)

    def to_dict(self) -> dict[str, Any]:
        """The board as a JSON-able dict (ids, states and numbers; labels are the page's)."""
        return {
            "case": self.case,
            "generated": self.generated.isoformat(timespec="seconds"),
            "done": self.done,
            "experts": [
                {
                    "id": e.id,
                    "name": e.name,
                    "role": e.role,
                    "state": e.state,
                    "answered": e.answered,
                    "in_progress": e.in_progress,
                    "last_activity": iso(e.last_activity),
                    "problem": e.problem,
                    "nodes": [
                        {
                            "node": n.node,
                            "state": n.state,
                            "given": n.given,
                            "total": n.total,
                            "index": n.index,
                            "value": n.value,
                            "threshold": n.threshold,
                            "consistent": n.consistent,
                            "answered_at": iso(n.answered_at),
                        }
                        for n in e.nodes
                    ],
                }
                for e in self.experts
            ],
            "nodes": [
                {
                    "node": n.node,
                    "experts": list(n.experts),
                    "s_star": None if n.consensus is None else n.consensus.s_star,
                    "band": None if n.consensus is None else n.consensus.band,
                    "farthest": n.farthest,
                    "s_without_farthest": None
                    if n.farthest is None or n.consensus is None
                    else n.consensus.s_without_farthest,
                }
                for n in self.nodes
            ],
            "remind": list(self.remind),
            "weights": None
            if self.weights is None
            else dict(zip(self.leaves, self.weights.tolist(), strict=True)),
            "weights_error": self.weights_error,
            "counted": list(self.counted),
            "unfinished": self.unfinished,
            "key": [
                {
                    "id": k.id,
                    "name": k.name,
                    "rank": k.rank,
                    "closeness": k.closeness,
                    "probability": k.probability,
                }
                for k in self.key
            ],
            "samples": self.samples,
            "seed": self.seed,
            "source": self.source,
        }


def iso(when: datetime | None) -> str | None:
    return None if when is None else when.isoformat(timespec="seconds")


def parse_time(text: str) -> datetime | None:
    """An ISO 8601 time of a trail as an aware UTC datetime (a time without offset is taken as
    UTC, as ``ckm judge`` writes UTC); None for text that is not a time."""
    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        return None
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


def _node_states(
    base: CaseFile,
    expert: ExpertJudgements,
    partial: ExpertJudgements | None,
    settings: AhpSettings,
) -> tuple[ExpertNodeBoard, ...]:
    """Each node's state; ``partial`` is the in-progress file (``ckm judge`` and ``ckm serve``
    keep the answers of a node not finished there, the judgement file only whole nodes)."""
    tree = base.tree
    times = dict(expert.trail.answered)
    rows = []
    for node in tree.inner_nodes:
        total = _pairs(base, node)
        given = len(expert.for_node(node))
        if partial is not None:
            given = max(given, len(partial.for_node(node)))
        at = parse_time(times[node]) if node in times else None
        finished = node in times or (given > 0 and not expert.in_progress)
        if not finished:
            state: NodeState = "in progress" if given else "not started"
            rows.append(ExpertNodeBoard(node, state, given, total, answered_at=at))
            continue
        index = value = threshold = None
        if expert.for_node(node):
            try:
                p = evaluate_node(tree, [expert], node, settings, diagnose=False).experts[0]
            except IncompleteMatrixError:
                pass  # answers that do not link the criteria: no index to show
            else:
                index = p.priorities.index
                value = float(p.priorities.value)
                threshold = float(p.priorities.threshold)
        rows.append(ExpertNodeBoard(node, "answered", given, total, index, value, threshold, at))
    return tuple(rows)


def _last_activity(expert: ExpertJudgements, partial: ExpertJudgements | None) -> datetime | None:
    """The latest trail time; the in-progress file's modification time (only a session that is
    answering writes it); for answers without any trail time, the file's modification time."""
    trail = expert.trail if partial is None else expert.trail.merged(partial.trail)
    times = [parse_time(t) for _, t in trail.answered]
    times += [parse_time(r.when) for r in trail.revised]
    known = [t for t in times if t is not None]
    if partial is not None and partial.path is not None:
        known.append(datetime.fromtimestamp(partial.path.stat().st_mtime, UTC))
    if known:
        return max(known)
    if expert.judgements and expert.path is not None:
        return datetime.fromtimestamp(expert.path.stat().st_mtime, UTC)
    return None


def _expert_state(expert: ExpertJudgements, nodes: Sequence[ExpertNodeBoard]) -> ExpertState:
    if all(n.state == "answered" for n in nodes) and not expert.in_progress:
        return "done"
    if any(n.given for n in nodes) or any(n.state == "answered" for n in nodes):
        return "in progress"
    return "not started"


def _read_experts(
    base: CaseFile, settings: AhpSettings, expected: Mapping[str, str]
) -> tuple[list[ExpertBoard], list[ExpertJudgements]]:
    panel = base.panel
    files = sorted(panel.glob("*.toml")) if panel is not None and panel.is_dir() else []
    rows: list[ExpertBoard] = []
    loaded: list[ExpertJudgements] = []
    for f in files:
        try:
            e = load_expert(f, base.tree)
            progress = progress_path(f)
            partial = load_expert(progress, base.tree) if progress.exists() else None
        except CkmError as exc:
            rows.append(ExpertBoard(f.stem, f.stem, "", "unreadable", (), None, False, str(exc), f))
            continue
        nodes = _node_states(base, e, partial, settings)
        rows.append(
            ExpertBoard(
                e.id,
                e.name,
                e.role,
                _expert_state(e, nodes),
                nodes,
                _last_activity(e, partial),
                e.in_progress,
                "",
                f,
            )
        )
        loaded.append(e)
    have = {r.id for r in rows}
    for id_, name in expected.items():
        if id_ not in have:
            empty = tuple(
                ExpertNodeBoard(n, "not started", 0, _pairs(base, n)) for n in base.tree.inner_nodes
            )
            rows.append(ExpertBoard(id_, name or id_, "", "not started", empty, None))
            have.add(id_)
    return rows, loaded


def _pairs(base: CaseFile, node: str) -> int:
    n = len(base.tree.children(node))
    return n * (n - 1) // 2


def _consensus(
    base: CaseFile, loaded: Sequence[ExpertJudgements], rows: Sequence[ExpertBoard]
) -> tuple[NodeBoard, ...]:
    """S* per node over the experts who finished it with linked answers, by
    :func:`mcda_ckm.weights.panel.evaluate_node` (which calls Goepel's
    :func:`mcda_ckm.weights.consensus.consensus` on their priorities)."""
    by_id = {r.id: r for r in rows}
    settings = base.settings.ahp.with_overrides(inconsistent_experts="keep")
    out = []
    for node in base.tree.inner_nodes:
        who = [
            e
            for e in loaded
            if by_id[e.id].node(node).state == "answered" and by_id[e.id].node(node).index
        ]
        cons, farthest = None, None
        if len(who) >= 2:
            res = evaluate_node(base.tree, who, node, settings)
            cons = res.consensus
            if cons is not None and cons.farthest is not None:
                farthest = res.experts[cons.farthest].expert
        out.append(
            NodeBoard(node, base.tree.children(node), tuple(e.id for e in who), cons, farthest)
        )
    return tuple(out)


def _remind(rows: Sequence[ExpertBoard]) -> tuple[str, ...]:
    """Not done, never active first, then the oldest last activity, then by id."""
    waiting = [r for r in rows if r.state != "done"]
    oldest = datetime.min.replace(tzinfo=UTC)
    waiting.sort(key=lambda r: (r.last_activity is not None, r.last_activity or oldest, r.id))
    return tuple(r.id for r in waiting)


@dataclass(frozen=True)
class _Current:
    weights: np.ndarray | None
    key: tuple[KeySource, ...]
    counted: tuple[str, ...]
    error: str
    source: str


def _current(case_dir: Path, samples: int, seed: int, source: Source | None) -> _Current:
    """What ``ckm run`` would give now: its :func:`run_study` without the sensitivity analyses
    (tolerances and judgement tolerances take seconds), then the SMAA of the key set on
    ``samples`` weights from the case's source."""
    try:
        case = load_case(case_dir)
        study = run_study(case, with_sensitivity=False)
    except CkmError as exc:
        return _Current(None, (), (), str(exc), source or "panel")
    src: Source = source or ("panel" if study.panel is not None else "around")
    dm = study.matrix
    p = sens.problem(
        case.tree, study.local, dm.values, dm.directions, dm.ids, study.top_k, study.normalization
    )
    probability: np.ndarray | None = None
    try:
        w = sens.sample_weights(
            p, samples, src, seed=seed, panel=study.panel, spread=case.settings.sensitivity.spread
        )
        probability = sens.smaa(p, w, seed=seed, source=src).key_probability
    except CkmError:
        probability = None  # the weights and key set stand without their probabilities
    ranking = study.ranking
    key = tuple(
        KeySource(
            dm.ids[i],
            dm.names[i],
            int(ranking.ranks[i]),
            float(ranking.closeness[i]),
            None if probability is None else float(probability[i]),
        )
        for i in ranking.top_k
    )
    panel = () if study.panel is None else study.panel.experts
    counted = tuple(e.id for e in panel if e.judgements)
    return _Current(study.weights, key, counted, "", src)


def board(
    case_dir: str | Path,
    *,
    expected: Mapping[str, str] | None = None,
    samples: int = BOARD_SAMPLES,
    now: datetime | None = None,
) -> Board:
    """The board of a case folder as it is now.

    Parameters
    ----------
    case_dir : str or Path
        The case folder (or its ``case.toml``).
    expected : mapping of str to str, optional
        Experts expected to answer (those with a link), id to name: any without a judgement
        file yet shows as not started.
    samples : int
        The most SMAA samples (the case's ``[sensitivity] samples`` when fewer).
    now : datetime, optional
        The board's time (default: the clock, UTC).

    Raises
    ------
    CaseError
        No readable ``case.toml``, or a case with fixed weights (no panel to watch).
    TreeError
        From the tree file.
    """
    base = read_case_file(case_dir)
    if base.panel is None:
        raise CaseError(
            "this case has fixed [weights] and no expert panel: there is no board to show",
            path=base.toml,
            where="[weights]",
        )
    settings = base.settings.ahp.with_overrides(inconsistent_experts="keep")
    rows, loaded = _read_experts(base, settings, expected or {})
    sampling = base.settings.sensitivity
    n = max(1, min(samples, sampling.samples))
    current = _current(base.path, n, sampling.seed, sampling.source)
    return Board(
        case=base.name,
        case_zh=base.name_zh,
        leaves=base.tree.leaves,
        experts=tuple(rows),
        nodes=_consensus(base, loaded, rows),
        remind=_remind(rows),
        weights=current.weights,
        key=current.key,
        counted=current.counted,
        weights_error=current.error,
        unfinished=base.settings.panel.unfinished,
        samples=n,
        seed=sampling.seed,
        source=current.source,
        generated=now or datetime.now(UTC),
    )
