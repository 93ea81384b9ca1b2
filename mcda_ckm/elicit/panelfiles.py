"""An expert's judgement file as the questionnaire uses it: where it is, opening it with any
interrupted session's answers, and saving after every answer.

Files: an expert's answers are kept in ``<panel>/<id>.toml``, which only ever receives whole
nodes, so it stays a valid judgement file at every moment; the answers of a node in progress are
kept beside it in ``<panel>/.<id>.inprogress`` (same format, not read by the panel loader) until
the node is finished. Both are written atomically after every answer, so an interruption loses
nothing, and the next session resumes at the first unanswered pair.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mcda_ckm.elicit.interview import Interview, Setup
from mcda_ckm.errors import CaseError
from mcda_ckm.model.judgements import Judgement, Trail, load_expert, progress_path, save_expert

__all__ = ["ExpertFile", "expert_path", "open_expert", "progress_path", "save", "slug"]


def slug(name: str) -> str:
    """A file stem for an expert's name: lower case, runs of other characters as ``_``.

    >>> slug("Wang Li"), slug("  R&D director "), slug("周敏")
    ('wang_li', 'r_d_director', '周敏')
    """
    text = unicodedata.normalize("NFKC", name).strip().lower()
    return re.sub(r"[^\w-]+", "_", text).strip("_")


def expert_path(panel: Path, expert: str) -> Path:
    """The judgement file of ``expert`` in ``panel``: ``<expert>.toml`` if it exists, else the
    file whose ``[expert] name`` is ``expert`` (any case), else ``<slug(expert)>.toml``.

    Raises
    ------
    CaseError
        When the name gives an empty file stem.
    """
    direct = panel / f"{expert}.toml"
    if direct.is_file():
        return direct
    for path in sorted(panel.glob("*.toml")):
        try:
            with path.open("rb") as fh:
                name = tomllib.load(fh).get("expert", {}).get("name", "")
        except (OSError, tomllib.TOMLDecodeError, AttributeError):
            continue
        if isinstance(name, str) and name.strip().casefold() == expert.strip().casefold():
            return path
    stem = slug(expert)
    if not stem:
        raise CaseError(
            f"{expert!r} cannot name a judgement file", hint="Give the expert's name in letters"
        )
    return panel / f"{stem}.toml"


def _header(path: Path) -> str:
    if not path.exists():
        return ""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines)


@dataclass(frozen=True)
class ExpertFile:
    """An expert's judgement file as opened for a questionnaire.

    Attributes
    ----------
    path : Path
        ``<panel>/<id>.toml`` (it may not exist yet).
    meta : dict
        ``name``, ``role``, ``weight``, ``note``.
    saved : tuple of Judgement
        The judgements in the file when it was opened (kept for nodes not finished now).
    answers : tuple of Judgement
        Where to resume: the in-progress file's answers if there is one, else ``saved``.
    header : str
        The file's leading comment lines, kept when it is rewritten.
    resumed : bool
        True when an interrupted session's in-progress file was found.
    trail : Trail
        The file's trail when it was opened (kept, with this session's added).
    """

    path: Path
    meta: Mapping[str, Any]
    saved: tuple[Judgement, ...]
    answers: tuple[Judgement, ...]
    header: str
    resumed: bool
    trail: Trail = field(default_factory=Trail)

    @property
    def progress(self) -> Path:
        return progress_path(self.path)


def open_expert(
    setup: Setup, expert: str, *, role: str | None = None, weight: float | None = None
) -> ExpertFile:
    """Open (or prepare) an expert's judgement file, with any interrupted session's answers.

    Raises
    ------
    JudgementError
        The file or the in-progress file is not valid for the tree.
    """
    path = expert_path(setup.panel, expert)
    if path.exists():
        e = load_expert(path, setup.tree)
        meta: dict[str, Any] = {
            "name": e.name,
            "role": e.role,
            "weight": e.weight,
            "note": e.note,
            "order_seed": e.order_seed,
        }
        saved = e.judgements
        header = _header(path)
        trail = e.trail
    else:
        meta = {"name": expert, "role": "", "weight": 1.0, "note": ""}
        saved = ()
        header = "Judgements recorded with 'ckm judge'."
        trail = Trail()
    if role is not None:
        meta["role"] = role
    if weight is not None:
        meta["weight"] = weight
    progress = progress_path(path)
    answers, resumed = saved, False
    if progress.exists():
        partial = load_expert(progress, setup.tree)
        answers, resumed, trail = partial.judgements, True, trail.merged(partial.trail)
    return ExpertFile(path, meta, saved, answers, header, resumed, trail)


def save(expert: ExpertFile, interview: Interview, *, finished: bool = False) -> Path:
    """Write the expert's answers atomically.

    The judgement file receives every finished node, and the nodes not finished in this
    session as they were in the file, with ``[expert] status = "in progress"`` while a node is
    unanswered (the panel leaves such an expert out by default); the answers of a node in
    progress go to the in-progress file, which is removed when nothing is in progress (or when
    ``finished``).
    """
    tree = interview.tree
    done = set(interview.complete_nodes())
    keep = [j for j in expert.saved if j.node not in done]
    new = [j for j in interview.answers if j.node in done]
    order = {n: k for k, n in enumerate(tree.inner_nodes)}
    merged = sorted([*keep, *new], key=lambda j: order.get(j.node, len(order)))
    partial = [j for j in interview.answers if j.node not in done]
    answered = {j.node for j in merged}
    unfinished = bool(partial) or any(n not in answered for n in tree.inner_nodes)
    meta = {**expert.meta, "status": "in progress" if unfinished else "complete"}
    trail = expert.trail.merged(interview.trail)
    save_expert(expert.path, meta, merged, tree, header=expert.header, trail=trail)
    if partial and not finished:
        save_expert(
            expert.progress, meta, interview.answers, tree, header=expert.header, trail=trail
        )
    else:
        expert.progress.unlink(missing_ok=True)
    return expert.path
