"""Answers read from questionnaires on paper, and their way into the case's panel folder.

The readers (:mod:`mcda_ckm.elicit.workbook`, :mod:`mcda_ckm.elicit.survey`) share what is here:
the error they raise, the expert they return, the check that a node's answers link all its
criteria (else the AHP cannot complete the matrix, Harker 1987), and the writer of the experts'
judgement files.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcda_ckm.elicit.interview import Setup
from mcda_ckm.errors import CkmError, IncompleteMatrixError
from mcda_ckm.model.judgements import ExpertJudgements, Judgement, save_expert
from mcda_ckm.model.scaffold import judgement_template
from mcda_ckm.model.tree import CriteriaTree
from mcda_ckm.weights import ahp

__all__ = [
    "MAX_SHOWN",
    "ImportedExpert",
    "NodeRead",
    "Problems",
    "QuestionnaireError",
    "node_reads",
    "write_experts",
]


class QuestionnaireError(CkmError):
    """A filled questionnaire (workbook or survey CSV) has a bad answer or layout.

    ``path`` is the workbook or CSV file; ``where`` names the sheet and cell
    (``sheet 'goal', cell E7``) or the row and column (``row 3, column "a vs b"``).
    """


MAX_SHOWN = 20
"""At most this many problems of one file are listed; the rest are counted."""


class Problems:
    """The problems of one file, collected so that an import reports them all at once (a
    file with two mistakes should not take three runs)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[QuestionnaireError] = []

    def add(self, error: QuestionnaireError) -> None:
        self.errors.append(error)

    def raise_if_any(self) -> None:
        """Raise the one problem as it is, or one error listing the first :data:`MAX_SHOWN`
        (place, what, fix) and the count of the others."""
        if not self.errors:
            return
        if len(self.errors) == 1:
            raise self.errors[0]
        lines = [
            ": ".join(p for p in (e.where, e.message) if p) + (f". {e.hint}" if e.hint else "")
            for e in self.errors[:MAX_SHOWN]
        ]
        more = len(self.errors) - MAX_SHOWN
        if more > 0:
            lines.append(f"... and {more} more")
        raise QuestionnaireError(
            f"{len(self.errors)} problems:\n  " + "\n  ".join(lines),
            path=self.path,
            hint="Fix them all, then import again",
        )


@dataclass(frozen=True)
class ImportedExpert:
    """One expert's answers read from a workbook or a survey row.

    Attributes
    ----------
    id : str
        The judgement file's stem.
    meta : dict
        ``name``, ``role``, ``weight``.
    judgements : tuple of Judgement
    source : str
        Where they come from (``file.xlsx`` or ``survey.csv, row 3``).
    """

    id: str
    meta: Mapping[str, Any]
    judgements: tuple[Judgement, ...]
    source: str


@dataclass(frozen=True)
class NodeRead:
    """What an import read for one expert at one node: pairs answered and missing, and the
    consistency of the answers (None when the node was left blank).

    Attributes
    ----------
    node : str
    answered, pairs : int
        Pairs answered, and pairs at the node.
    missing : tuple of (str, str)
        The pairs left blank (completed by the AHP when the node is answered).
    index : str
        ``"CR"`` or ``"GCI"``.
    value, threshold : float or None
        The index and its threshold (None for a blank node).
    """

    node: str
    answered: int
    pairs: int
    missing: tuple[tuple[str, str], ...]
    index: str
    value: float | None
    threshold: float | None


def node_reads(
    tree: CriteriaTree, judgements: Sequence[Judgement], options: Mapping[str, Any] | None = None
) -> tuple[NodeRead, ...]:
    """Per inner node, what was read: answered and missing pairs and the CR (or GCI).

    ``options`` are the keyword arguments of :func:`mcda_ckm.weights.ahp.priorities` (the
    case's ``method``, ``ri_table``, ``rule``, ``completion``), so that the CR shown at import
    is the one the case will compute.
    """
    e = ExpertJudgements("", "", "", 1.0, tuple(judgements))
    opts = dict(options or {})
    out: list[NodeRead] = []
    for node in tree.inner_nodes:
        kids = tree.children(node)
        every = [(kids[i], kids[j]) for i in range(len(kids)) for j in range(i + 1, len(kids))]
        given = {frozenset((j.first, j.second)) for j in e.for_node(node)}
        missing = tuple(p for p in every if frozenset(p) not in given)
        index, value, threshold = "CR", None, None
        if given:
            p = ahp.priorities(e.matrix(tree, node), labels=kids, **opts)
            index, value, threshold = p.index, p.value, p.threshold
        out.append(NodeRead(node, len(given), len(every), missing, index, value, threshold))
    return tuple(out)


def check_linked(
    tree: CriteriaTree, judgements: Sequence[Judgement], path: Path, where: Mapping[str, str]
) -> None:
    """Raise when a node's answers do not link all its criteria (``where`` per node)."""
    e = ExpertJudgements("", "", "", 1.0, tuple(judgements))
    for node in tree.inner_nodes:
        if not e.answered(tree, node):
            continue
        kids = tree.children(node)
        try:
            ahp.priorities(e.matrix(tree, node), labels=kids)
        except IncompleteMatrixError as exc:
            groups = " | ".join(", ".join(g) for g in exc.groups)
            raise QuestionnaireError(
                f"the answers for {node} do not link all its criteria (unlinked groups: {groups})",
                path=path,
                where=where[node],
                hint="Answer at least one pair between the groups, or leave the whole node blank",
            ) from None


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def untouched_template(path: Path, tree: CriteriaTree) -> bool:
    """Whether ``path`` is exactly the judgement template ``ckm init`` writes for its expert
    (:func:`mcda_ckm.model.scaffold.judgement_template`): every pair still commented out."""
    try:
        text = path.read_text(encoding="utf-8")
        with path.open("rb") as fh:
            name = tomllib.load(fh).get("expert", {}).get("name", "")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, AttributeError):
        return False
    return isinstance(name, str) and text == judgement_template(tree, name)


def write_experts(
    setup: Setup, experts: Sequence[ImportedExpert], *, force: bool = False
) -> list[Path]:
    """Write each expert's judgement file into the case's panel folder (atomically).

    Every target is checked before anything is written, so a refused import changes nothing.
    A template ``ckm init`` wrote and nobody edited (:func:`untouched_template`) is replaced
    without ``force``: it holds nothing to lose.

    Raises
    ------
    QuestionnaireError
        A judgement file exists already and ``force`` is False.
    """
    targets = [setup.panel / f"{e.id}.toml" for e in experts]
    if not force:
        for e, t in zip(experts, targets, strict=True):
            if t.exists() and not untouched_template(t, setup.tree):
                raise QuestionnaireError(
                    f"the judgement file {t.name} exists already",
                    path=t,
                    hint=f"Use --force to replace it with the answers from {e.source}",
                )
    return [
        save_expert(t, e.meta, e.judgements, setup.tree, header=f"Imported from {e.source} by ckm.")
        for e, t in zip(experts, targets, strict=True)
    ]
