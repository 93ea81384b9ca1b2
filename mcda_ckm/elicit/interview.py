"""The expert questionnaire as pure logic: questions, answers, checks and resume.

An :class:`Interview` is an immutable state. Its :attr:`~Interview.step` is what to show next
(a :class:`Question` on one pair, a :class:`Check` of a finished node, or :class:`Done`), and each
answer returns a new state. Nothing here prints or prompts: ``ckm judge`` (``cli/panel.py``) is a
thin loop that asks the step's question and feeds the answer back, so the whole questionnaire is
testable without a terminal.

The node-by-node flow follows the practice of AHP software (Expert Choice, Goepel's AHP-OS):
after the last pair of a node the local priorities and consistency are shown, and when the CR is
over its threshold the judgement most out of line is named with the value the other judgements
imply (:func:`mcda_ckm.weights.ahp.diagnose`, after Saaty 2003 and Harker 1987), to revise or keep.

:class:`Setup` (what the panel tools read from a case) lives here too, since the questionnaire's
options come from it. The expert's files (saving after every answer, resuming an interrupted
session) are in :mod:`mcda_ckm.elicit.panelfiles`; the panel's progress in
:mod:`mcda_ckm.elicit.status`.
"""

from __future__ import annotations

import dataclasses
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from mcda_ckm.errors import CaseError, CkmError
from mcda_ckm.model import scale
from mcda_ckm.model.case import read_case_file
from mcda_ckm.model.judgements import ExpertJudgements, Judgement, Revised, Trail
from mcda_ckm.model.scale import ANSWER_HELP, AnswerError
from mcda_ckm.model.tree import CriteriaTree
from mcda_ckm.weights import ahp
from mcda_ckm.weights.panel import Suggestion

__all__ = [
    "ANSWER_HELP",
    "AnswerError",
    "Check",
    "Done",
    "Interview",
    "Question",
    "Setup",
    "Step",
    "load_setup",
    "parse_answer",
    "question_text",
    "start",
]


def parse_answer(text: str, *, bipolar: bool = False) -> float:
    """How many times more important A is than B, from a typed answer: the one reading of an
    answer, :func:`mcda_ckm.model.scale.read_answer`.

    >>> parse_answer("moderate"), parse_answer("B strong"), parse_answer("a: 2")
    (3.0, 0.2, 2.0)
    >>> parse_answer("1/4"), parse_answer("b 1/3")
    (0.25, 3.0)
    """
    return scale.read_answer(text, bipolar=bipolar)


def question_text(tree: CriteriaTree, node: str, first: str, second: str, lang: str = "en") -> str:
    """The question for one pair, in words.

    >>> from mcda_ckm.model.tree import flat_tree
    >>> question_text(flat_tree(["price", "speed"], goal="a car"), "a car", "price", "speed")
    'For a car, how much more important is price (A) than speed (B)?'
    """
    if lang == "zh":
        return (
            f"就“{tree.label(node, lang)}”而言，{tree.label(first, lang)}（A）比"
            f"{tree.label(second, lang)}（B）重要多少？"
        )
    return (
        f"For {tree.label(node, lang).lower() if lang == 'en' else tree.label(node, lang)}, how "
        f"much more important is {tree.label(first, lang)} (A) than {tree.label(second, lang)} (B)?"
    )


@dataclass(frozen=True)
class Question:
    """Ask one pair: how much more important is ``first`` (A) than ``second`` (B)?

    Attributes
    ----------
    node, first, second : str
    number, total : int
        The pair's place among the node's pairs (1-based) and their count.
    current : float or None
        The answer already given (when reviewing or revising); None when new.
    revising : bool
        True when the pair is asked again after a consistency check.
    """

    node: str
    first: str
    second: str
    number: int
    total: int
    current: float | None = None
    revising: bool = False


@dataclass(frozen=True)
class Check:
    """A node's answers are complete: its local priorities and consistency.

    Attributes
    ----------
    node : str
    criteria : tuple of str
    pairs : tuple of (str, str)
        The node's pairs in question order (``revise`` takes one of them).
    priorities : ahp.Priorities
    suggestion : Suggestion or None
        When over the threshold: the judgement most out of line and the value the others imply
        (None when consistent, or when no single change on the scale lowers the index).
    """

    node: str
    criteria: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...]
    priorities: ahp.Priorities
    suggestion: Suggestion | None

    @property
    def consistent(self) -> bool:
        return self.priorities.consistent


@dataclass(frozen=True)
class Done:
    """Every pair of every node is answered and every node checked."""

    answered: int


Step = Question | Check | Done

_OPTS = ("method", "ri_table", "rule", "completion")


def _pairs(tree: CriteriaTree, node: str) -> list[tuple[str, str]]:
    kids = tree.children(node)
    return [(kids[i], kids[j]) for i in range(len(kids)) for j in range(i + 1, len(kids))]


def _judgement(node: str, first: str, second: str, value: float) -> Judgement:
    return Judgement(
        node, first, second, float(value), f'[judgements.{node}] "{first} vs {second}"'
    )


@dataclass(frozen=True)
class Interview:
    """The state of one expert's questionnaire (immutable: every answer returns a new one).

    Build it with :func:`start`. Attributes are the data behind :attr:`step`; use the methods
    to move on.

    Attributes
    ----------
    tree : CriteriaTree
    answers : tuple of Judgement
        Everything answered so far, in tree order of nodes (pairs kept as given).
    todo : tuple of (node, first, second)
        Pairs still to ask, in the order they will be asked.
    checked : frozenset of str
        Nodes whose check has been shown and accepted.
    opts : tuple of (str, str)
        ``method``, ``ri_table``, ``rule``, ``completion`` for priorities and diagnosis.
    trail : Trail
        This session's trail: when each node's check was accepted, and every suggestion
        taken with the original value (:func:`now` gives the times).
    skipped : frozenset of (node, first, second)
        Pairs the expert chose not to judge in this session (missing pairs, completed from
        the other answers; a resumed session asks them again).
    history : tuple of (node, first, second)
        The pairs answered or skipped in this session, in order (for :meth:`back`).
    """

    tree: CriteriaTree
    answers: tuple[Judgement, ...]
    todo: tuple[tuple[str, str, str], ...]
    checked: frozenset[str]
    opts: tuple[tuple[str, str], ...] = ()
    revising: tuple[str, str, str] | None = field(default=None, repr=False)
    trail: Trail = field(default_factory=Trail)
    skipped: frozenset[tuple[str, str, str]] = frozenset()
    history: tuple[tuple[str, str, str], ...] = ()

    # -- reading the state ----------------------------------------------------------------
    def value(self, node: str, first: str, second: str) -> float | None:
        """The answer for ``first`` over ``second`` at ``node``, in that direction, or None."""
        for j in self.answers:
            if j.node == node and (j.first, j.second) == (first, second):
                return j.value
            if j.node == node and (j.first, j.second) == (second, first):
                return 1.0 / j.value
        return None

    def complete(self, node: str) -> bool:
        """Whether every pair of ``node`` has an answer or was skipped."""
        return all(
            self.value(node, a, b) is not None or (node, a, b) in self.skipped
            for a, b in _pairs(self.tree, node)
        )

    @property
    def total(self) -> int:
        """The number of pairs in the whole questionnaire."""
        return sum(len(_pairs(self.tree, n)) for n in self.tree.inner_nodes)

    @property
    def answered(self) -> int:
        """The number of pairs answered."""
        return sum(
            self.value(n, a, b) is not None
            for n in self.tree.inner_nodes
            for a, b in _pairs(self.tree, n)
        )

    def priorities(self, node: str) -> ahp.Priorities:
        """Local priorities and consistency of the answers at ``node``.

        Raises
        ------
        IncompleteMatrixError
            When the answers so far do not link all the node's criteria.
        """
        kids = self.tree.children(node)
        m = ExpertJudgements("", "", "", 1.0, self.answers).matrix(self.tree, node)
        return ahp.priorities(m, labels=kids, **dict(self.opts))  # type: ignore[arg-type]

    def suggestion(self, node: str) -> Suggestion | None:
        """The judgement most out of line at ``node`` and the value the others imply
        (:func:`mcda_ckm.weights.ahp.diagnose`), or None."""
        kids = self.tree.children(node)
        m = ExpertJudgements("", "", "", 1.0, self.answers).matrix(self.tree, node)
        revisions = ahp.diagnose(m, **dict(self.opts), top=1)  # type: ignore[arg-type]
        if not revisions:
            return None
        r = revisions[0]
        return Suggestion(kids[r.i], kids[r.j], r.current, r.suggested, r.error, r.value_after)

    @property
    def step(self) -> Step:
        """What to show next: the first unchecked node's next pair, or its check, or Done."""
        for node in self.tree.inner_nodes:
            if node in self.checked:
                continue
            pending = [t for t in self.todo if t[0] == node]
            if pending:
                _, first, second = pending[0]
                pairs = _pairs(self.tree, node)
                number = next((k for k, p in enumerate(pairs, 1) if set(p) == {first, second}), 0)
                return Question(
                    node,
                    first,
                    second,
                    number,
                    len(pairs),
                    self.value(node, first, second),
                    revising=self.revising == (node, first, second),
                )
            p = self.priorities(node)
            return Check(
                node,
                self.tree.children(node),
                tuple(_pairs(self.tree, node)),
                p,
                None if p.consistent else self.suggestion(node),
            )
        return Done(self.answered)

    # -- moving on ----------------------------------------------------------------------
    def _question(self) -> Question:
        step = self.step
        if not isinstance(step, Question):
            raise CkmError(f"no question is pending (the step is {type(step).__name__})")
        return step

    def _check(self) -> Check:
        step = self.step
        if not isinstance(step, Check):
            raise CkmError(f"no node check is pending (the step is {type(step).__name__})")
        return step

    def _set(self, node: str, first: str, second: str, value: float) -> tuple[Judgement, ...]:
        """The answers with this pair set (in place if it was answered, else appended to its
        node), so a file keeps its order of pairs."""
        new = _judgement(node, first, second, value)
        out = list(self.answers)
        for k, j in enumerate(out):
            if j.node == node and {j.first, j.second} == {first, second}:
                out[k] = new
                return tuple(out)
        out.append(new)
        order = {n: k for k, n in enumerate(self.tree.inner_nodes)}
        return tuple(sorted(out, key=lambda j: order.get(j.node, len(order))))

    def answer(self, value: float) -> Interview:
        """Answer the pending question: A is ``value`` times as important as B."""
        q = self._question()
        if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
            raise AnswerError(f"{value!r} is not a positive number", hint=ANSWER_HELP)
        todo = list(self.todo)
        t = (q.node, q.first, q.second)
        todo.remove(t)
        return replace(
            self,
            answers=self._set(q.node, q.first, q.second, value),
            todo=tuple(todo),
            revising=None,
            skipped=self.skipped - {t},
            history=(*self.history, t),
        )

    def skip(self) -> Interview:
        """Leave the pending pair unjudged (a missing pair, which the AHP completes from the
        other answers, Harker 1987), as long as the node's answers and the pairs still to ask
        can link all its criteria.

        Raises
        ------
        AnswerError
            When skipping this pair would leave the node's criteria unlinked.
        """
        q = self._question()
        t = (q.node, q.first, q.second)
        kids = self.tree.children(q.node)
        links = [
            (a, b)
            for a, b in _pairs(self.tree, q.node)
            if {a, b} != {q.first, q.second}
            and (
                self.value(q.node, a, b) is not None
                or any(x[0] == q.node and {x[1], x[2]} == {a, b} for x in self.todo)
            )
        ]
        if not linked(kids, links):
            raise AnswerError(
                f"skipping {q.first} vs {q.second} would leave the criteria of {q.node} unlinked",
                hint="Answer this pair (each criterion must be compared, directly or through "
                "others, with every other)",
            )
        todo = list(self.todo)
        todo.remove(t)
        if self.value(*t) is not None:  # a review: skipping removes the earlier answer
            answers = tuple(
                j
                for j in self.answers
                if not (j.node == q.node and {j.first, j.second} == {q.first, q.second})
            )
        else:
            answers = self.answers
        return replace(
            self,
            answers=answers,
            todo=tuple(todo),
            revising=None,
            skipped=self.skipped | {t},
            history=(*self.history, t),
        )

    def back(self) -> Interview:
        """Ask again the pair answered (or skipped) last in this session, showing its answer.

        Raises
        ------
        AnswerError
            When nothing was answered in this session, or the pair's node is already checked.
        """
        if not self.history:
            raise AnswerError("there is no earlier answer in this session to go back to")
        last = self.history[-1]
        if last[0] in self.checked:
            raise AnswerError(
                f"the node {last[0]} is already checked",
                hint=f"Review it with: ckm judge ... --node {last[0]}",
            )
        return replace(
            self,
            todo=(last, *self.todo),
            history=self.history[:-1],
            skipped=self.skipped - {last},
        )

    def keep_current(self) -> Interview:
        """Leave the pending question's answer as it is (reviewing or revising)."""
        q = self._question()
        if q.current is None:
            raise AnswerError("this pair has no answer yet to keep", hint=ANSWER_HELP)
        todo = list(self.todo)
        todo.remove((q.node, q.first, q.second))
        return replace(self, todo=tuple(todo), revising=None)

    def accept(self) -> Interview:
        """Accept the pending node check (the answers stay as they are) and move on."""
        c = self._check()
        times = dict(self.trail.answered) | {c.node: now()}
        trail = Trail(tuple(times.items()), self.trail.revised)
        return replace(self, checked=self.checked | {c.node}, trail=trail)

    def revise(self, first: str, second: str) -> Interview:
        """Ask the pair ``first`` / ``second`` of the checked node again, next."""
        c = self._check()
        pair = next((p for p in c.pairs if set(p) == {first, second}), None)
        if pair is None:
            raise AnswerError(
                f"{first} / {second} is not a pair of {c.node}",
                hint=f"Pairs: {', '.join(f'{a} vs {b}' for a, b in c.pairs)}",
            )
        t = (c.node, *pair)
        return replace(self, todo=(t, *self.todo), revising=t)

    def apply_suggestion(self) -> Interview:
        """Take the value the other judgements imply for the suggested pair (then check again)."""
        c = self._check()
        if c.suggestion is None:
            raise AnswerError("there is no suggestion to apply at this node")
        s = c.suggestion
        taken = Revised(c.node, s.first, s.second, s.current, s.suggested, now())
        return replace(
            self,
            answers=self._set(c.node, s.first, s.second, s.suggested),
            trail=Trail(self.trail.answered, (*self.trail.revised, taken)),
        )

    # -- what to save -----------------------------------------------------------------------
    def complete_nodes(self) -> tuple[str, ...]:
        """The nodes whose every pair is answered."""
        return tuple(n for n in self.tree.inner_nodes if self.complete(n))


def linked(criteria: Sequence[str], pairs: Iterable[tuple[str, str]]) -> bool:
    """Whether ``pairs`` connect every one of ``criteria`` (a union-find over the pairs)."""
    root = {c: c for c in criteria}

    def find(c: str) -> str:
        while root[c] != c:
            root[c] = root[root[c]]
            c = root[c]
        return c

    for a, b in pairs:
        root[find(a)] = find(b)
    return len({find(c) for c in criteria}) <= 1


def now() -> str:
    """The time a trail records: UTC, ISO 8601, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def start(
    tree: CriteriaTree,
    existing: Iterable[Judgement] = (),
    *,
    review: bool | Sequence[str] = False,
    method: str = "eigenvector",
    ri_table: str = ahp.DEFAULT_RI_TABLE,
    rule: str = ahp.DEFAULT_THRESHOLD_RULE,
    completion: str = "harker",
    seed: int | None = None,
) -> Interview:
    """A questionnaire over ``tree``, resuming from the answers already given.

    Parameters
    ----------
    tree : CriteriaTree
    existing : iterable of Judgement
        Answers already given (from the expert's file); their pairs are not asked again, and a
        finished node over its threshold starts with its check (revise or keep).
    review : bool or sequence of str
        True to ask every pair again showing the current answer (Enter keeps it); a list of
        node ids to review only those nodes.
    method, ri_table, rule, completion : str
        As in :func:`mcda_ckm.weights.ahp.priorities`, for the checks after each node.
    seed : int, optional
        Shuffle the pairs within each node with this seed (order effects: the expert's
        ``[expert] order_seed`` records it, so the order can be reproduced); None asks them in
        the tree's order.

    Raises
    ------
    CkmError
        An unknown node in ``review``.
    """
    existing = tuple(existing)
    if isinstance(review, bool):
        again = set(tree.inner_nodes) if review else set()
    else:
        unknown = [n for n in review if n not in tree.inner_nodes]
        if unknown:
            raise CkmError(
                f"unknown node(s) to review: {', '.join(unknown)}",
                hint=f"Nodes with criteria to compare: {', '.join(tree.inner_nodes)}",
            )
        again = set(review)
    opts = (("method", method), ("ri_table", ri_table), ("rule", rule), ("completion", completion))
    state = Interview(tree, (), (), frozenset(), opts)
    state = replace(state, answers=tuple(existing))
    todo = []
    rng = random.Random(seed) if seed is not None else None
    for node in tree.inner_nodes:
        asked = [
            (node, a, b)
            for a, b in _pairs(tree, node)
            if node in again or state.value(node, a, b) is None
        ]
        if rng is not None:  # order effects: each expert gets their own order (seeded)
            rng.shuffle(asked)
        todo += asked
    # A finished node is not asked again; if it is over its threshold its check is shown again
    # (the session may have stopped at that check before the expert chose to revise or keep).
    checked = frozenset(
        n
        for n in tree.inner_nodes
        if n not in again and state.complete(n) and state.priorities(n).consistent
    )
    return replace(state, todo=tuple(todo), checked=checked)


# -- the case --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setup:
    """What the panel tools need from a case: its tree, panel folder and AHP settings.

    Lighter than :func:`mcda_ckm.model.case.load_case`: the panel may still be empty or hold files
    being written, and the other experts' files are not read.
    """

    path: Path
    name: str
    tree: CriteriaTree
    panel: Path
    ahp: Mapping[str, str]

    @property
    def options(self) -> dict[str, str]:
        """``method``, ``ri_table``, ``rule``, ``completion`` for :func:`start`."""
        return {k: self.ahp[k] for k in _OPTS}


def load_setup(folder: str | Path) -> Setup:
    """Read a case folder's ``case.toml``: tree, panel folder (created if missing), settings.

    Raises
    ------
    CaseError
        No ``case.toml``, bad TOML, no tree, a case with fixed ``[weights]`` (no panel).
    TreeError
        From the tree file.
    """
    base = read_case_file(folder)
    if base.fixed_weights is not None or base.panel is None:
        raise CaseError(
            "this case has fixed [weights] and no expert panel",
            path=base.toml,
            where="[weights]",
            hint='Remove [weights] and give panel = "panel" to ask a panel',
        )
    return Setup(
        path=base.path,
        name=base.name,
        tree=base.tree,
        panel=base.panel,
        ahp=dataclasses.asdict(base.settings.ahp),
    )
