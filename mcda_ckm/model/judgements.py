"""Expert judgement files: one TOML file per expert, read and checked against the tree.

A file names the expert and, for each inner node of the tree, compares pairs of its children::

    [expert]
    name = "Wang Li"
    role = "R&D director"
    weight = 2                       # optional, relative, default 1

    [judgements.goal]
    "knowledge_value vs willingness" = "moderate"      # the first is moderately more important
    "knowledge_value vs absorptive_capacity" = 2        # numbers 1-9, or reciprocals "1/3", 0.5
    "willingness vs absorptive_capacity" = { preferred = "absorptive_capacity", intensity = 5 }

Words: equal (1), moderate (3), strong (5), very strong (7), extreme (9), and the intermediates
"equal to moderate" (2), "moderate to strong" (4), "strong to very strong" (6),
"very strong to extreme" (8).
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mcda_ckm.errors import CaseError, JudgementError
from mcda_ckm.files import write_text
from mcda_ckm.model import scale
from mcda_ckm.model.tree import CriteriaTree
from mcda_ckm.model.values import did_you_mean

__all__ = [
    "EXPERT_KEYS",
    "FILE_TABLES",
    "STATUSES",
    "ExpertJudgements",
    "Judgement",
    "Revised",
    "Trail",
    "check_duplicates",
    "dump_expert",
    "load_expert",
    "load_panel",
    "parse_value",
    "progress_path",
    "save_expert",
]

Pair = tuple[str, str]

FILE_TABLES: tuple[str, ...] = ("expert", "judgements", "trail")
"""The tables of a judgement file."""
EXPERT_KEYS: tuple[str, ...] = ("name", "role", "weight", "note", "status", "order_seed")
"""The keys of its ``[expert]`` table."""
STATUSES: tuple[str, ...] = ("complete", "in progress")
"""``[expert] status``: ``ckm judge`` writes ``"in progress"`` until every node is answered."""


@dataclass(frozen=True)
class Judgement:
    """One pairwise comparison: ``first`` is ``value`` times as important as ``second``."""

    node: str
    first: str
    second: str
    value: float
    key: str


@dataclass(frozen=True)
class Revised:
    """A judgement changed by taking a suggestion: the trail of issue 14.

    ``original`` and ``suggested`` are ``a_ij`` for (``first``, ``second``); ``when`` is an
    ISO 8601 time; ``by`` who proposed it (``"ckm judge"``: the value the other judgements
    imply, :func:`mcda_ckm.weights.ahp.diagnose`).
    """

    node: str
    first: str
    second: str
    original: float
    suggested: float
    when: str
    by: str = "ckm judge"


@dataclass(frozen=True)
class Trail:
    """When each node was answered, and every suggestion taken (``[trail.<node>]``).

    Attributes
    ----------
    answered : tuple of (str, str)
        ``(node, ISO 8601 time)`` of the last time the node was finished.
    revised : tuple of Revised
    """

    answered: tuple[tuple[str, str], ...] = ()
    revised: tuple[Revised, ...] = ()

    def answered_at(self, node: str) -> str | None:
        return dict(self.answered).get(node)

    def merged(self, newer: Trail) -> Trail:
        """This trail with ``newer``'s answered times (they win) and revisions added."""
        times = dict(self.answered) | dict(newer.answered)
        seen = set(self.revised)
        return Trail(
            tuple(times.items()),
            (*self.revised, *(r for r in newer.revised if r not in seen)),
        )


@dataclass(frozen=True)
class ExpertJudgements:
    """The judgements of one expert, checked against a tree.

    Attributes
    ----------
    id : str
        The file's stem (unique in a panel).
    name, role, note : str
    weight : float
        Relative weight of the expert in the panel (> 0).
    judgements : tuple of Judgement
    path : Path or None
    in_progress : bool
        The expert's questionnaire is not finished: ``[expert] status = "in progress"`` (written
        by ``ckm judge`` until every node is answered) or an in-progress file beside it
        (:func:`progress_path`). The panel leaves such experts out by default
        (``[panel] unfinished``).
    trail : Trail
        When each node was answered and the suggestions taken (``[trail.<node>]`` tables).
    """

    id: str
    name: str
    role: str
    weight: float
    judgements: tuple[Judgement, ...]
    path: Path | None = None
    note: str = ""
    in_progress: bool = False
    order_seed: int | None = None
    trail: Trail = field(default_factory=Trail)
    _by_node: dict[str, list[Judgement]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for j in self.judgements:
            self._by_node.setdefault(j.node, []).append(j)

    def for_node(self, node: str) -> list[Judgement]:
        """The judgements this expert gave at ``node``."""
        return list(self._by_node.get(node, []))

    def matrix(self, tree: CriteriaTree, node: str) -> np.ndarray:
        """The expert's comparison matrix at ``node`` (children in tree order), ``nan`` where
        a pair was not given."""
        kids = tree.children(node)
        index = {k: i for i, k in enumerate(kids)}
        a = np.full((len(kids), len(kids)), np.nan)
        np.fill_diagonal(a, 1.0)
        for j in self.for_node(node):
            a[index[j.first], index[j.second]] = j.value
            a[index[j.second], index[j.first]] = 1.0 / j.value
        return a

    def answered(self, tree: CriteriaTree, node: str) -> bool:
        """Whether the expert gave any judgement at ``node``."""
        return bool(self._by_node.get(node))


def parse_value(raw: Any, *, path: Path, where: str) -> float:
    """A judgement as a number on the scale, from a number, a fraction string or a word."""
    hint = "Use a number from 1 to 9 or its reciprocal (1/3), or a word: " + ", ".join(scale.WORDS)
    if isinstance(raw, bool):
        raise JudgementError(f"{raw!r} is not a judgement", path=path, where=where, hint=hint)
    if isinstance(raw, int | float):
        value = float(raw)
    elif isinstance(raw, str):
        parsed = scale.word_value(raw)
        if parsed is None and raw.strip().startswith("-"):
            try:  # the one reading of an answer says how to write "B over A"
                scale.read_answer(raw)
            except scale.AnswerError as exc:
                raise JudgementError(exc.message, path=path, where=where, hint=exc.hint) from None
        if parsed is None:
            raise JudgementError(f"{raw!r} is not on the scale", path=path, where=where, hint=hint)
        value = parsed
    else:
        raise JudgementError(f"{raw!r} is not a judgement", path=path, where=where, hint=hint)
    if math.isnan(value):
        raise JudgementError("value is NaN", path=path, where=where, hint=hint)
    if value <= 0:
        raise JudgementError(
            f"value {raw!r} must be positive (zero or negative have no meaning on the scale)",
            path=path,
            where=where,
            hint="To say the second is preferred, write its reciprocal (1/3) or "
            '{ preferred = "<second>", intensity = 3 }',
        )
    if value > 9 * (1 + scale.RTOL) or value < (1 / 9) * (1 - scale.RTOL) or math.isinf(value):
        raise JudgementError(
            f"value {raw!r} is outside Saaty's scale [1/9, 9]", path=path, where=where, hint=hint
        )
    return value


def _parse_entry(node: str, key: str, raw: Any, tree: CriteriaTree, path: Path) -> Judgement:
    where = f'[judgements.{node}] "{key}"'
    parts = [p.strip() for p in key.split(" vs ")]
    if len(parts) != 2 or not all(parts):
        raise JudgementError(
            'key must name two criteria as "<first> vs <second>"', path=path, where=where
        )
    first, second = parts
    siblings = tree.children(node)
    for name in (first, second):
        if name not in tree.graph:
            raise JudgementError(
                f'unknown criterion "{name}"',
                path=path,
                where=where,
                hint=f"Criteria under {node}: {', '.join(siblings)}",
            )
        if name not in siblings:
            parent = tree.parent(name)
            raise JudgementError(
                f'"{name}" is not a child of "{node}" (it sits under "{parent}"); only '
                "siblings are compared",
                path=path,
                where=where,
                hint=f"Criteria under {node}: {', '.join(siblings)}",
            )
    if first == second:
        raise JudgementError(
            f'compares "{first}" with itself',
            path=path,
            where=where,
            hint="Remove it: a criterion is always equal to itself",
        )
    if isinstance(raw, dict):
        unknown = set(raw) - {"preferred", "intensity", "note"}
        if unknown or "preferred" not in raw or "intensity" not in raw:
            raise JudgementError(
                "an inline table needs exactly preferred and intensity (and an optional note)",
                path=path,
                where=where,
                hint=f'Write {{ preferred = "{second}", intensity = "strong" }}',
            )
        preferred = raw["preferred"]
        if preferred not in (first, second):
            raise JudgementError(
                f'preferred = "{preferred}" is neither "{first}" nor "{second}"',
                path=path,
                where=where,
            )
        value = parse_value(raw["intensity"], path=path, where=where)
        if preferred == second:
            value = 1.0 / value
    else:
        value = parse_value(raw, path=path, where=where)
    return Judgement(node=node, first=first, second=second, value=value, key=where)


def load_expert(path: str | Path, tree: CriteriaTree) -> ExpertJudgements:
    """Read and check one expert's judgement file against ``tree``.

    Raises
    ------
    JudgementError
        Naming the file and the entry: unknown node or criterion, comparison of non-siblings,
        self-comparison, a value outside [1/9, 9], zero, negative or NaN, the same pair given
        twice (in either order, whether or not the two agree).
    """
    path = Path(path)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise JudgementError("file not found", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        if "overwrite" in str(exc):
            raise JudgementError(
                f"the same key is given twice, so a pair is judged twice ({exc})",
                path=path,
                hint="Keep one judgement per pair",
            ) from None
        raise JudgementError(f"not valid TOML ({exc})", path=path, hint="Fix the syntax") from None
    meta = data.get("expert", {})
    if not isinstance(meta, dict):
        raise JudgementError("[expert] must be a table", path=path, where="[expert]")
    for section in data:
        if section not in FILE_TABLES:
            raise JudgementError(
                f"unknown table [{section}]{did_you_mean(section, FILE_TABLES)}",
                path=path,
                where=f"[{section}]",
                hint="A judgement file has [expert] and [judgements.<node>] tables",
            )
    for key in meta:
        if key not in EXPERT_KEYS:
            raise JudgementError(
                f"unknown key {key!r}{did_you_mean(key, EXPERT_KEYS)}",
                path=path,
                where=f"[expert] {key}",
                hint=f"The keys of [expert] are {', '.join(EXPERT_KEYS)}",
            )
    status = meta.get("status", "complete")
    if status not in STATUSES:
        raise JudgementError(
            f"status {status!r} is not one of {', '.join(STATUSES)}"
            + (did_you_mean(status, STATUSES) if isinstance(status, str) else ""),
            path=path,
            where="[expert] status",
            hint='ckm judge writes "in progress" until every node is answered',
        )
    seed = meta.get("order_seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
        raise JudgementError(
            f"order_seed {seed!r} must be a whole number >= 0",
            path=path,
            where="[expert] order_seed",
            hint="ckm judge --shuffle writes it: the seed of the order of the pairs",
        )
    weight = meta.get("weight", 1)
    if (
        isinstance(weight, bool)
        or not isinstance(weight, int | float)
        or not math.isfinite(weight)
        or weight <= 0
    ):
        raise JudgementError(
            f"weight {weight!r} must be a positive number",
            path=path,
            where="[expert] weight",
            hint="Expert weights are relative: 1 for an ordinary member, 2 for a double vote",
        )
    tables = data.get("judgements", {})
    if not isinstance(tables, dict):
        raise JudgementError("judgements must be tables", path=path, where="judgements")
    judgements: list[Judgement] = []
    seen: dict[tuple[str, frozenset[str]], str] = {}
    for node, entries in tables.items():
        where = f"[judgements.{node}]"
        if node not in tree.graph:
            raise JudgementError(
                f'unknown node "{node}"{did_you_mean(node, tree.inner_nodes)}',
                path=path,
                where=where,
                hint=f"Nodes with criteria to compare: {', '.join(tree.inner_nodes)}",
            )
        if node not in tree.inner_nodes:
            raise JudgementError(
                f'"{node}" is an indicator (a leaf): it has no criteria under it to compare',
                path=path,
                where=where,
                hint=f"Nodes with criteria to compare: {', '.join(tree.inner_nodes)}",
            )
        if not isinstance(entries, dict):
            raise JudgementError("must be a table of comparisons", path=path, where=where)
        for key, raw in entries.items():
            j = _parse_entry(node, key, raw, tree, path)
            pair = (node, frozenset((j.first, j.second)))
            if pair in seen:
                raise JudgementError(
                    f"the pair {j.first} / {j.second} is already judged at {seen[pair]}",
                    path=path,
                    where=j.key,
                    hint="Keep one judgement per pair",
                )
            seen[pair] = j.key
            judgements.append(j)
    return ExpertJudgements(
        id=path.stem,
        name=str(meta.get("name", path.stem)),
        role=str(meta.get("role", "")),
        weight=float(weight),
        note=str(meta.get("note", "")),
        judgements=tuple(judgements),
        path=path,
        in_progress=status == "in progress" or progress_path(path).exists(),
        order_seed=seed,
        trail=read_trail(data.get("trail", {}), tree, path),
    )


TRAIL_KEYS: tuple[str, ...] = ("answered", "revised")
REVISED_KEYS: tuple[str, ...] = ("pair", "original", "suggested", "when", "by")


def read_trail(tables: Any, tree: CriteriaTree, path: Path) -> Trail:
    """``[trail.<node>]``: ``answered`` (a time) and ``revised`` (a list of inline tables
    ``{ pair = "a vs b", original = 3, suggested = 0.5, when = ..., by = "ckm judge" }``)."""
    if not isinstance(tables, dict):
        raise JudgementError("trail must be tables", path=path, where="[trail]")
    answered: list[tuple[str, str]] = []
    revised: list[Revised] = []
    for node, table in tables.items():
        where = f"[trail.{node}]"
        if node not in tree.inner_nodes or not isinstance(table, dict):
            raise JudgementError(
                f"{node!r} is not a node with criteria to compare",
                path=path,
                where=where,
                hint=f"The node ids are {', '.join(tree.inner_nodes)}",
            )
        for key in table:
            if key not in TRAIL_KEYS:
                raise JudgementError(
                    f"unknown key {key!r}{did_you_mean(key, TRAIL_KEYS)}",
                    path=path,
                    where=f"{where} {key}",
                    hint=f"The keys of a trail are {', '.join(TRAIL_KEYS)}",
                )
        if "answered" in table:
            answered.append((node, str(table["answered"])))
        for k, item in enumerate(table.get("revised", [])):
            spot = f"{where} revised[{k}]"
            if not isinstance(item, dict) or not {"pair", "original", "suggested"} <= set(item):
                raise JudgementError(
                    "a revision needs pair, original and suggested",
                    path=path,
                    where=spot,
                    hint='Write { pair = "a vs b", original = 3, suggested = 0.5, when = ... }',
                )
            for key in item:
                if key not in REVISED_KEYS:
                    raise JudgementError(
                        f"unknown key {key!r}{did_you_mean(key, REVISED_KEYS)}",
                        path=path,
                        where=spot,
                    )
            j = _parse_entry(node, str(item["pair"]), item["original"], tree, path)
            new = parse_value(item["suggested"], path=path, where=spot)
            revised.append(
                Revised(
                    node,
                    j.first,
                    j.second,
                    j.value,
                    new,
                    str(item.get("when", "")),
                    str(item.get("by", "ckm judge")),
                )
            )
    return Trail(tuple(answered), tuple(revised))


def progress_path(path: Path) -> Path:
    """Where the answers of a node in progress are kept: ``.<id>.inprogress`` beside the
    judgement file (a name the panel loader, which reads ``*.toml``, skips)."""
    return path.with_name(f".{path.stem}.inprogress")


def check_duplicates(experts: Sequence[ExpertJudgements]) -> None:
    """Refuse two judgement files for one expert: the same ``[expert] name`` (any case), or the
    same judgements and details (a file saved twice under another name).

    Raises
    ------
    JudgementError
        Naming both files.
    """
    by_name: dict[str, ExpertJudgements] = {}
    by_content: dict[tuple[Any, ...], ExpertJudgements] = {}
    for e in experts:
        name = " ".join(e.name.split()).casefold()
        content = (
            name,
            e.role,
            e.weight,
            tuple(sorted((j.node, j.first, j.second, round(j.value, 12)) for j in e.judgements)),
        )
        other = by_name.get(name) or by_content.get(content)
        if other is not None:
            same = "the same judgements" if other is by_content.get(content) else "the name"
            raise JudgementError(
                f"two judgement files for one expert: {other.path} and {e.path} have {same} "
                f"({e.name!r}); the panel would count this expert twice",
                path=e.path,
                where="[expert] name",
                hint="Delete the copy, or give each expert their own name",
            )
        by_name[name] = e
        by_content[content] = e


def load_panel(paths: Iterable[str | Path], tree: CriteriaTree) -> list[ExpertJudgements]:
    """Read several judgement files; a folder stands for every ``*.toml`` in it.

    Raises
    ------
    CaseError
        When no file is found.
    JudgementError
        From the first bad file, or two files for one expert (:func:`check_duplicates`).
    """
    files: list[Path] = []
    for p in map(Path, paths):
        files.extend(sorted(p.glob("*.toml")) if p.is_dir() else [p])
    if not files:
        raise CaseError(
            "no judgement files found", hint="Put one <expert>.toml per expert in the panel folder"
        )
    experts = [load_expert(f, tree) for f in files]
    check_duplicates(experts)
    return experts


_BARE_KEY = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _toml_str(text: str) -> str:
    """``text`` as a TOML basic string (JSON escapes are valid TOML escapes)."""
    import json

    return json.dumps(str(text), ensure_ascii=False)


def _toml_key(key: str) -> str:
    return key if key and set(key) <= _BARE_KEY else _toml_str(key)


def _toml_number(value: float) -> str:
    if float(value).is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(float(value))


def _toml_value(j: Judgement) -> str:
    """A judgement as written by a person: a word for 1..9, an inline table for 1/2..1/9,
    the exact decimal otherwise (so that :func:`load_expert` reads back the same float)."""
    v = j.value
    if float(v).is_integer() and int(v) in scale.NAMES:
        return _toml_str(scale.NAMES[int(v)])
    inverse = round(1 / v)
    if inverse in scale.NAMES and 1.0 / inverse == v:
        return (
            f"{{ preferred = {_toml_str(j.second)}, intensity = "
            f"{_toml_str(scale.NAMES[inverse])} }}"
        )
    return repr(float(v))


def dump_expert(
    expert_meta: Any,
    judgements: Iterable[Judgement],
    tree: CriteriaTree,
    *,
    header: str = "",
    trail: Trail | None = None,
) -> str:
    """One expert's judgements as TOML text in the format :func:`load_expert` reads.

    Integer scale values are written as words (``"moderate"``), exact reciprocals as
    ``{ preferred = "<second>", intensity = "<word>" }``, other values as decimals; nodes come
    in the tree's order and pairs in the order given. ``load_expert`` reads the text back to
    the same judgements (same nodes, pairs, order and values).

    Parameters
    ----------
    expert_meta : mapping or ExpertJudgements
        ``name``, ``role``, ``weight`` and ``note`` (each optional; a missing weight means 1).
    judgements : iterable of Judgement
    tree : CriteriaTree
        Gives the order of the ``[judgements.<node>]`` tables.
    header : str, optional
        Comment lines put first (each line is prefixed with ``# `` unless it already starts
        with ``#``).
    trail : Trail, optional
        Written as ``[trail.<node>]`` tables (default: the expert's own trail when
        ``expert_meta`` is an ExpertJudgements, else none).

    Examples
    --------
    >>> from mcda_ckm.model.tree import flat_tree
    >>> t = flat_tree(["a", "b"])
    >>> print(dump_expert({"name": "Li"}, [Judgement("goal", "a", "b", 1 / 3, "")], t), end="")
    [expert]
    name = "Li"
    <BLANKLINE>
    [judgements.goal]
    "a vs b" = { preferred = "b", intensity = "moderate" }
    """
    if isinstance(expert_meta, ExpertJudgements):
        trail = expert_meta.trail if trail is None else trail
        meta: dict[str, Any] = {
            "name": expert_meta.name,
            "role": expert_meta.role,
            "weight": expert_meta.weight,
            "note": expert_meta.note,
            "order_seed": expert_meta.order_seed,
        }
    else:
        meta = dict(expert_meta)
    lines: list[str] = []
    for line in header.splitlines():
        lines.append(line if line.startswith("#") else f"# {line}".rstrip())
    if lines:
        lines.append("")
    lines.append("[expert]")
    for key in ("name", "role"):
        if meta.get(key):
            lines.append(f"{key} = {_toml_str(meta[key])}")
    weight = meta.get("weight")
    if weight is not None and float(weight) != 1.0:
        lines.append(f"weight = {_toml_number(float(weight))}")
    if meta.get("note"):
        lines.append(f"note = {_toml_str(meta['note'])}")
    if meta.get("status") == "in progress":
        lines.append('status = "in progress"')
    if isinstance(meta.get("order_seed"), int) and not isinstance(meta.get("order_seed"), bool):
        lines.append(f"order_seed = {meta['order_seed']}")
    by_node: dict[str, list[Judgement]] = {}
    for j in judgements:
        by_node.setdefault(j.node, []).append(j)
    order = [n for n in tree.inner_nodes if n in by_node] + [
        n for n in by_node if n not in tree.inner_nodes
    ]
    for node in order:
        lines += ["", f"[judgements.{_toml_key(node)}]"]
        for j in by_node[node]:
            lines.append(f"{_toml_str(f'{j.first} vs {j.second}')} = {_toml_value(j)}")
    if trail is not None:
        lines += _trail_lines(trail, tree)
    return "\n".join(lines) + "\n"


def _trail_lines(trail: Trail, tree: CriteriaTree) -> list[str]:
    lines: list[str] = []
    times = dict(trail.answered)
    for node in tree.inner_nodes:
        revised = [r for r in trail.revised if r.node == node]
        if node not in times and not revised:
            continue
        lines += ["", f"[trail.{_toml_key(node)}]"]
        if node in times:
            lines.append(f"answered = {_toml_str(times[node])}")
        if revised:
            lines.append("revised = [")
            for r in revised:
                lines.append(
                    f"  {{ pair = {_toml_str(f'{r.first} vs {r.second}')}, original = "
                    f"{float(r.original)!r}, suggested = {float(r.suggested)!r}, when = "
                    f"{_toml_str(r.when)}, by = {_toml_str(r.by)} }},"
                )
            lines.append("]")
    return lines


def save_expert(
    path: str | Path,
    expert_meta: Any,
    judgements: Iterable[Judgement],
    tree: CriteriaTree,
    *,
    header: str = "",
    trail: Trail | None = None,
) -> Path:
    """Write :func:`dump_expert`'s text to ``path`` atomically (temporary file, then
    ``os.replace``), creating the folder if needed; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, dump_expert(expert_meta, judgements, tree, header=header, trail=trail))
    return path
