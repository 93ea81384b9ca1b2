"""Each expert's questionnaire as the server keeps it: the same state machine as ``ckm judge``
(:class:`mcda_ckm.elicit.interview.Interview`), the same files, one writer at a time.

Every request of an expert runs :meth:`Store.act` or :meth:`Store.current` under that expert's
lock: a ``threading.Lock`` for the server's own threads and, around the read-change-write of the
files, the ``flock`` of :class:`mcda_ckm.files.Lock` (so a ``ckm judge`` or a second server on the
same case waits too). Files are written by :func:`mcda_ckm.elicit.panelfiles.save`, as
``ckm judge`` writes them: the judgement file ``panel/<id>.toml`` with every finished node, the
answers of a node in progress in ``panel/.<id>.inprogress``, the trail (when each node was
finished, each suggestion taken), atomically after every answer. ``ckm run`` needs nothing else.

The state between two requests is kept in memory; if the files changed meanwhile (another
program wrote them, or the server restarted) it is rebuilt from them: answered pairs are not
asked again, the order of pairs comes from the recorded seed, and the missing pairs of a node the
expert finished (the trail records when) count as skipped, so a restart loses nothing.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from mcda_ckm.elicit.interview import (
    AnswerError,
    Check,
    Done,
    Interview,
    Question,
    Setup,
    Step,
    linked,
    load_setup,
    start,
)
from mcda_ckm.elicit.panelfiles import ExpertFile, open_expert, save
from mcda_ckm.files import LOCK_WAIT, Lock
from mcda_ckm.model import scale
from mcda_ckm.model.judgements import Trail, progress_path
from mcda_ckm.serve.links import Link

__all__ = ["ACTIONS", "BY", "Notice", "Session", "Store", "read_value", "review", "step_key"]

BY = "ckm serve"
"""Who proposed a suggestion taken on the web (the trail's ``by``; the same diagnosis as
``ckm judge``, :func:`mcda_ckm.weights.ahp.diagnose`)."""

ACTIONS = ("answer", "skip", "back", "keep", "take", "revise", "accept", "review")
"""What a form can ask."""


@dataclass(frozen=True)
class Notice:
    """A message for the next page: a key of :mod:`mcda_ckm.serve.messages` and its values;
    ``error`` when the request was refused (the page says why, nothing was changed)."""

    key: str
    values: tuple[tuple[str, str], ...] = ()
    error: bool = False


@dataclass(frozen=True)
class Session:
    """One expert's questionnaire between two requests."""

    expert: ExpertFile
    interview: Interview
    stamp: tuple[Any, ...]
    notice: Notice | None = None

    @property
    def step(self) -> Step:
        return self.interview.step


def step_key(interview: Interview) -> str:
    """A name of the step on show, sent back with its form: a form posted for another step (an
    old tab, the browser's back button, a double click) changes nothing.

    A check's key includes a digest of the node's answers, so taking a suggestion twice is one
    change.
    """
    step = interview.step
    if isinstance(step, Question):
        return f"q:{step.node}:{step.first}:{step.second}"
    if isinstance(step, Check):
        text = repr(
            [(j.first, j.second, j.value) for j in interview.answers if j.node == step.node]
        )
        return f"c:{step.node}:{hashlib.sha256(text.encode()).hexdigest()[:12]}"
    return "done"


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        s = os.stat(path)
    except FileNotFoundError:
        return None
    return (s.st_ino, s.st_mtime_ns, s.st_size)


def _stamp(path: Path) -> tuple[Any, ...]:
    return (_stat(path), _stat(progress_path(path)))


class Store:
    """The experts' questionnaires of one case, for the server's threads.

    Parameters
    ----------
    case : Path
        The case folder (its ``case.toml`` is read once, at start).
    """

    def __init__(self, case: Path) -> None:
        self.setup: Setup = load_setup(case)
        self._sessions: dict[str, Session] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    # -- opening -------------------------------------------------------------------------
    def _lock(self, expert_id: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(expert_id, threading.Lock())

    def path(self, link: Link) -> Path:
        """The expert's judgement file: ``panel/<id>.toml``, never another expert's."""
        return self.setup.panel / f"{link.id}.toml"

    def _open(self, link: Link) -> Session:
        """The session rebuilt from the files (see the module's docstring)."""
        setup, tree = self.setup, self.setup.tree
        path = self.path(link)
        if path.exists():
            ef = open_expert(setup, link.id)
        else:
            meta = {"name": link.name, "role": "", "weight": 1.0, "note": ""}
            ef = ExpertFile(path, meta, (), (), "Judgements recorded with 'ckm serve'.", False)
        seed = ef.meta.get("order_seed")
        if not isinstance(seed, int):
            seed = link.seed
            ef = replace(ef, meta={**ef.meta, "order_seed": seed})
        o = setup.options
        iv = start(
            tree,
            ef.answers,
            seed=seed,
            method=o["method"],
            ri_table=o["ri_table"],
            rule=o["rule"],
            completion=o["completion"],
        )
        # A node the expert finished (its check accepted: the trail has the time) and that no
        # session changed since: its missing pairs were skipped, its check was seen.
        skipped, checked = set(iv.skipped), set(iv.checked)
        for node in tree.inner_nodes:
            same = [j for j in ef.saved if j.node == node] == [
                j for j in ef.answers if j.node == node
            ]
            if ef.trail.answered_at(node) is None or not same:
                continue
            given = [(j.first, j.second) for j in ef.answers if j.node == node]
            if given and linked(tree.children(node), given):
                skipped |= {t for t in iv.todo if t[0] == node}
                checked.add(node)
        # The order of the pairs is the one the seed gives the whole questionnaire, whatever was
        # answered before (start() shuffles only the pairs still to ask).
        order = {t: k for k, t in enumerate(start(tree, (), seed=seed).todo)}
        iv = replace(
            iv,
            todo=tuple(sorted((t for t in iv.todo if t not in skipped), key=order.__getitem__)),
            skipped=frozenset(skipped),
            checked=frozenset(checked),
        )
        return Session(ef, iv, _stamp(path))

    def _fresh(self, link: Link) -> Session:
        session = self._sessions.get(link.id)
        if session is None or session.stamp != _stamp(self.path(link)):
            session = self._open(link)
        return session

    def current(self, link: Link) -> Session:
        """The expert's session, with the notice of the last request (shown once)."""
        with self._lock(link.id):
            session = self._fresh(link)
            self._sessions[link.id] = replace(session, notice=None)
            return session

    # -- acting --------------------------------------------------------------------------
    def act(
        self,
        link: Link,
        action: str,
        key: str,
        *,
        value: float | None = None,
        pair: int | None = None,
    ) -> Session:
        """Apply one form's action to the expert's questionnaire and save the files.

        Parameters
        ----------
        action : str
            One of :data:`ACTIONS`.
        key : str
            :func:`step_key` of the page the form came from; another step's form is refused
            (notice ``stale``) and changes nothing.
        value : float, optional
            The answer (``answer``): how many times A is as important as B.
        pair : int, optional
            The pair to revise (``revise``), 0-based in the check's list; default the
            suggested pair.

        Returns
        -------
        Session
            The new state, with a notice for the next page.
        """
        with self._lock(link.id):
            file_lock = Lock(self.path(link), LOCK_WAIT)
            try:
                session = self._fresh(link)
                iv = session.interview
                notice: Notice | None
                if action not in ACTIONS or key != step_key(iv):
                    new, notice = iv, Notice("stale", error=True)
                else:
                    seed = session.expert.meta.get("order_seed")
                    new, notice = self._apply(iv, action, value, pair, seed)
                session = replace(self._save(link, session, new), notice=notice)
                # A refusal is shown by the response to this request; news (what was recorded)
                # by the next page, after the redirect.
                kept = notice if notice is not None and not notice.error else None
                self._sessions[link.id] = replace(session, notice=kept)
                return session
            finally:
                file_lock.release()

    def _save(self, link: Link, session: Session, new: Interview) -> Session:
        old = session.interview
        done = isinstance(new.step, Done)
        ef = session.expert
        if new.answers != old.answers or new.trail != old.trail or (done and ef.progress.exists()):
            save(ef, new, finished=done)
        elif not ef.path.exists() and new.history != old.history:
            save(ef, new)  # a first skip: the expert has started (status "in progress")
        return Session(ef, new, _stamp(self.path(link)))

    def _apply(
        self, iv: Interview, action: str, value: float | None, pair: int | None, seed: Any
    ) -> tuple[Interview, Notice | None]:
        step = iv.step

        def names(a: str, b: str) -> tuple[tuple[str, str], ...]:
            return (("a", a), ("b", b))

        try:
            if isinstance(step, Question):
                if action == "answer":
                    if value is None:
                        return iv, Notice("no_choice", error=True)
                    return iv.answer(value), Notice(
                        "recorded", (("value", repr(value)), *names(step.first, step.second))
                    )
                if action == "skip":
                    return iv.skip(), Notice("skipped", names(step.first, step.second))
                if action == "keep" and step.current is not None:
                    return iv.keep_current(), None
                if action == "back":
                    return self._back(iv)
            elif isinstance(step, Check):
                if action in ("accept", "keep"):
                    return iv.accept(), None
                if action == "take" and step.suggestion is not None:
                    s = step.suggestion
                    taken = iv.apply_suggestion()
                    revised = (*taken.trail.revised[:-1], replace(taken.trail.revised[-1], by=BY))
                    taken = replace(taken, trail=Trail(taken.trail.answered, revised))
                    return taken, Notice(
                        "taken",
                        (
                            ("current", repr(s.current)),
                            ("suggested", repr(s.suggested)),
                            ("after", repr(s.value_after)),
                            ("index", step.priorities.index),
                            *names(s.first, s.second),
                        ),
                    )
                if action == "revise":
                    if pair is None and step.suggestion is not None:
                        return iv.revise(step.suggestion.first, step.suggestion.second), None
                    if pair is not None and 0 <= pair < len(step.pairs):
                        return iv.revise(*step.pairs[pair]), None
                if action == "back":
                    return self._back(iv)
            elif action == "review" and pair is not None and 0 <= pair < len(iv.tree.inner_nodes):
                return review(
                    iv, iv.tree.inner_nodes[pair], seed if isinstance(seed, int) else None
                )
        except AnswerError:
            if action == "skip" and isinstance(step, Question):
                return iv, Notice("skip_unlinked", names(step.first, step.second), error=True)
        return iv, Notice("stale", error=True)

    @staticmethod
    def _back(iv: Interview) -> tuple[Interview, Notice | None]:
        if not iv.history:
            return iv, Notice("no_back", error=True)
        if iv.history[-1][0] in iv.checked:
            return iv, Notice("back_checked", error=True)
        return iv.back(), None


def review(iv: Interview, node: str, seed: int | None) -> tuple[Interview, Notice | None]:
    """Ask a finished node's pairs again, each showing its answer (``ckm judge --node``): the
    same interview as :func:`mcda_ckm.elicit.interview.start` with ``review=[node]``, keeping
    this session's trail and the other nodes' skipped pairs, in the seed's order."""
    o = dict(iv.opts)
    new = start(
        iv.tree,
        iv.answers,
        review=[node],
        seed=seed,
        method=o["method"],
        ri_table=o["ri_table"],
        rule=o["rule"],
        completion=o["completion"],
    )
    skipped = frozenset(t for t in iv.skipped if t[0] != node)
    order = {t: k for k, t in enumerate(start(iv.tree, (), seed=seed).todo)}
    todo = sorted((t for t in new.todo if t not in skipped), key=order.__getitem__)
    new = replace(
        new, todo=tuple(todo), skipped=skipped, checked=iv.checked - {node}, trail=iv.trail
    )
    return new, None


def read_value(text: str) -> float | None:
    """The answer of a form's radio button: a value of the scale written as :func:`scale.fmt`
    writes it (``3``, ``1/5``), read by the one reading of an answer; None when absent or not on
    the scale."""
    if not text:
        return None
    try:
        value = scale.read_answer(text)
    except AnswerError:
        return None
    return value
