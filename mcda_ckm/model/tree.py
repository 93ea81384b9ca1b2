"""The criteria tree: goal -> dimensions -> indicators, loaded from a TOML file into networkx.

The tree is data, not code: ``criteria/ckm-huang2008.toml`` holds the model of Huang, Han & Meng
(2008) and ``criteria/ckm-zou2006.toml`` the decomposition of Zou & Feng (2006), and a consultant
can write another. See ``criteria/README.md`` for the file format.

The files of ``criteria/`` ship inside the package (as ``mcda_ckm/criteria/``, see
``pyproject.toml``), so a case names a bundled tree by its id (``tree = "ckm-huang2008"``) and
works wherever the case folder is; :func:`resolve_tree` states the rule.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mcda_ckm.errors import TreeError
from mcda_ckm.model.directions import ALIASES, Direction
from mcda_ckm.model.toml import read_toml
from mcda_ckm.model.values import did_you_mean

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "NODE_KEYS",
    "SCALES",
    "TREE_KEYS",
    "CriteriaTree",
    "Scale",
    "bundled_folder",
    "bundled_id",
    "bundled_trees",
    "flat_tree",
    "load_tree",
    "resolve_tree",
]


@dataclass(frozen=True)
class Scale:
    """The range of values a leaf indicator's scale allows (``scale = "likert7"`` in a tree).

    Attributes
    ----------
    name : str
    low, high : float or None
        The bounds, both included; None for no bound.
    meaning : str
        What the values are, in words, for error messages.
    """

    name: str
    low: float | None
    high: float | None
    meaning: str

    def bounds(self) -> str:
        """The range in words: ``"1 to 7"``, ``">= 0"``, ``"any value"``."""
        if self.low is not None and self.high is not None:
            return f"{self.low:g} to {self.high:g}"
        if self.low is not None:
            return f">= {self.low:g}"
        if self.high is not None:
            return f"<= {self.high:g}"
        return "any value"


SCALES: dict[str, Scale] = {
    s.name: s
    for s in (
        Scale("likert5", 1.0, 5.0, "a Likert 1-5 score (or a mean of such answers)"),
        Scale("likert7", 1.0, 7.0, "a Likert 1-7 score (or a mean of such answers)"),
        Scale("rate", 0.0, 1.0, "a share written as a fraction from 0 to 1 (0.46 for 46%)"),
        Scale("count", 0.0, None, "a count or frequency, 0 or more"),
        Scale("money", None, None, "an amount of money, of either sign"),
        Scale("score", None, None, "a value in the indicator's own unit"),
    )
}
"""The scales a tree may declare on a leaf: Likert items are answered from 1 to 5 or 1 to 7
(Likert 1932; the 1-7 form in Huang, Han & Meng 2008, section 3.2), rates are fractions of 1,
counts are never negative; money (a CLV may be negative) and scores have no bound."""

TREE_KEYS: tuple[str, ...] = ("id", "title", "title_zh", "source")
"""The keys of a tree file's ``[tree]`` table."""
NODE_KEYS: tuple[str, ...] = (
    "id",
    "parent",
    "label",
    "label_zh",
    "description",
    "description_zh",
    "unit",
    "scale",
    "direction",
)
"""The keys of a ``[[node]]`` table."""
TREE_TABLES: tuple[str, ...] = ("tree", "node")


@dataclass(frozen=True)
class CriteriaTree:
    """A validated criteria tree.

    Attributes
    ----------
    id, title, source : str
        Identification of the tree and the publication it comes from.
    graph : networkx.DiGraph
        Edges point from parent to child; node attributes hold ``label``, ``label_zh``,
        ``description``, ``description_zh`` and, on leaves, ``unit``, ``scale``, ``direction``.
        Each node's ``order`` attribute keeps the file's order of siblings.
    root : str
        The goal.
    path : Path or None
        The file it was loaded from.
    """

    id: str
    title: str
    source: str
    graph: nx.DiGraph = field(repr=False)
    root: str
    path: Path | None = None
    title_zh: str = ""

    def children(self, node: str) -> tuple[str, ...]:
        """The children of ``node``, in the file's order."""
        kids = self.graph.successors(node)
        return tuple(sorted(kids, key=lambda k: self.graph.nodes[k]["order"]))

    def parent(self, node: str) -> str | None:
        """The parent of ``node`` (None for the root)."""
        preds = list(self.graph.predecessors(node))
        return preds[0] if preds else None

    def _preorder(self) -> list[str]:
        out: list[str] = []
        stack = [self.root]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(self.children(node)))
        return out

    @property
    def nodes(self) -> tuple[str, ...]:
        """Every node, depth first in the file's order (root first)."""
        return tuple(self._preorder())

    @property
    def inner_nodes(self) -> tuple[str, ...]:
        """The nodes whose children are compared pairwise, root first."""
        return tuple(n for n in self._preorder() if self.graph.out_degree(n) > 0)

    @property
    def leaves(self) -> tuple[str, ...]:
        """The indicators, in the order of the decision matrix's columns."""
        return tuple(n for n in self._preorder() if self.graph.out_degree(n) == 0)

    @property
    def scales(self) -> tuple[Scale | None, ...]:
        """The declared scale of each leaf (None where the file declares none), in leaf
        order: what :func:`mcda_ckm.model.matrix.check_scales` checks values against."""
        return tuple(
            SCALES[name] if (name := self.graph.nodes[n].get("scale")) else None
            for n in self.leaves
        )

    @property
    def directions(self) -> np.ndarray:
        """+1 for a benefit leaf, -1 for a cost leaf (pymcdm's ``types``), in leaf order."""
        return np.array(
            [1 if self.graph.nodes[n]["direction"] == "benefit" else -1 for n in self.leaves]
        )

    def path_to(self, node: str) -> tuple[str, ...]:
        """The nodes from the root down to ``node``, both included."""
        import networkx as nx

        return tuple(nx.shortest_path(self.graph, self.root, node))

    def dimension_of(self, leaf: str) -> str:
        """The child of the root above ``leaf`` (the leaf itself in a one-level tree)."""
        path = self.path_to(leaf)
        return path[1] if len(path) > 1 else leaf

    def label(self, node: str, lang: str = "en") -> str:
        """The node's label in ``lang`` ("en" or "zh"), falling back to English."""
        attrs = self.graph.nodes[node]
        if lang == "zh" and attrs.get("label_zh"):
            return str(attrs["label_zh"])
        return str(attrs.get("label", node))

    def attr(self, node: str, name: str, default: Any = None) -> Any:
        """A node attribute from the file (``unit``, ``scale``, ``description``...)."""
        return self.graph.nodes[node].get(name, default)

    def compose(self, local: Mapping[str, np.ndarray]) -> np.ndarray:
        """Global leaf weights from local priorities.

        The global weight of a leaf is the product of the local priorities on the path from the
        root to it (Saaty 1980, *The Analytic Hierarchy Process*, ch. 2, hierarchic composition).

        Parameters
        ----------
        local : mapping of node id to array
            For every inner node, its children's local priorities (in ``children`` order,
            summing to 1).

        Returns
        -------
        numpy.ndarray
            Global weights in ``leaves`` order; they sum to 1.
        """
        glob = {self.root: 1.0}
        for node in self.inner_nodes:
            for child, w in zip(self.children(node), local[node], strict=True):
                glob[child] = glob[node] * float(w)
        weights = np.array([glob[leaf] for leaf in self.leaves])
        # Products of normalised vectors sum to 1 only up to rounding; renormalise so the
        # global weights sum to 1 within a few ulps.
        return weights / weights.sum()

    def decompose(self, weights: np.ndarray) -> dict[str, np.ndarray]:
        """Local weights that compose into the given global leaf weights.

        The local weight of a child is its subtree's share of its parent's subtree total (equal
        shares under a parent whose subtree weighs 0). ``compose(decompose(w)) == w``.
        """
        w = np.asarray(weights, dtype=float)
        total = dict(zip(self.leaves, w, strict=True))
        for node in reversed(self.nodes):
            if node not in total:
                total[node] = sum(total[c] for c in self.children(node))
        local = {}
        for node in self.inner_nodes:
            kids = np.array([total[c] for c in self.children(node)])
            s = kids.sum()
            local[node] = kids / s if s > 0 else np.full(len(kids), 1 / len(kids))
        return local


def load_tree(path: str | Path) -> CriteriaTree:
    """Load and validate a criteria tree file.

    Checks: one root, no cycles, unique ids, every parent exists, every inner node has at
    least two children, every leaf has a direction ("benefit" or "cost").

    Parameters
    ----------
    path : str or Path
        A TOML file with a ``[tree]`` table and a ``[[node]]`` array (see ``criteria/README.md``).

    Raises
    ------
    TreeError
        Naming the file and the node at fault.
    """
    import networkx as nx

    path = Path(path)
    data = read_toml(path, TreeError)
    for key in data:
        if key not in TREE_TABLES:
            raise TreeError(
                f"unknown table or key {key!r}{did_you_mean(key, TREE_TABLES)}",
                path=path,
                where=key,
                hint="A tree file holds a [tree] table and [[node]] tables",
            )
    meta = data.get("tree", {})
    if not isinstance(meta, dict):
        raise TreeError("[tree] must be a table", path=path, hint="Write [tree] with id and title")
    check_tree_keys(meta, TREE_KEYS, "[tree]", path)
    raw_nodes = data.get("node")
    if not isinstance(raw_nodes, list) or not raw_nodes:
        raise TreeError(
            "no [[node]] entries", path=path, hint="Declare each criterion in a [[node]] table"
        )
    graph = nx.DiGraph()
    parents: dict[str, str | None] = {}
    for i, raw in enumerate(raw_nodes):
        where = f"node #{i + 1}"
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"]:
            raise TreeError("has no id", path=path, where=where, hint='Add id = "some_name"')
        node = raw["id"]
        where = f'node "{node}"'
        check_tree_keys(raw, NODE_KEYS, f'[[node]] "{node}"', path)
        if node in graph:
            raise TreeError(
                "duplicate id", path=path, where=where, hint="Give each node its own id"
            )
        parent = raw.get("parent")
        if parent is not None and not isinstance(parent, str):
            raise TreeError("parent must be a node id", path=path, where=where)
        attrs = {k: v for k, v in raw.items() if k not in ("id", "parent")}
        attrs.setdefault("label", node)
        attrs["order"] = i
        graph.add_node(node, **attrs)
        parents[node] = parent
    for node, parent in parents.items():
        if parent is None:
            continue
        if parent not in graph:
            raise TreeError(
                f'parent "{parent}" is not a node of this tree',
                path=path,
                where=f'node "{node}"',
                hint="Check the spelling of parent, or declare that node",
            )
        graph.add_edge(parent, node)
    try:
        cycle = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        cycle = None
    if cycle:
        nodes = " -> ".join(u for u, _ in cycle)
        raise TreeError(
            f"cycle of parents: {nodes} -> {cycle[0][0]}",
            path=path,
            where=f'node "{cycle[0][0]}"',
            hint="A node cannot descend from itself",
        )
    roots = [n for n, p in parents.items() if p is None]
    if len(roots) != 1:
        names = ", ".join(f'"{r}"' for r in roots) or "none"
        raise TreeError(
            f"a tree has exactly one root (node without parent); found {names}",
            path=path,
            hint="Give every node but the goal a parent",
        )
    root = roots[0]
    unreachable = set(graph) - nx.descendants(graph, root) - {root}
    if unreachable:  # pragma: no cover - implied by one root and no cycle
        raise TreeError(f"nodes not under the root: {sorted(unreachable)}", path=path)
    for node in graph:
        kids = graph.out_degree(node)
        where = f'node "{node}"'
        if kids == 1:
            child = next(iter(graph.successors(node)))
            raise TreeError(
                f'has a single child ("{child}"); pairwise comparison needs at least two',
                path=path,
                where=where,
                hint="Add a sibling or attach the child to the parent directly",
            )
        if kids == 0:
            direction = graph.nodes[node].get("direction")
            if direction is None:
                raise TreeError(
                    "leaf has no direction",
                    path=path,
                    where=where,
                    hint='Add direction = "benefit" (more is better) or "cost"',
                )
            if not isinstance(direction, str) or direction.strip().lower() not in ALIASES:
                raise TreeError(
                    f"direction {direction!r} is not benefit or cost",
                    path=path,
                    where=where,
                    hint='Use direction = "benefit" or "cost"',
                )
            graph.nodes[node]["direction"] = Direction.parse(direction).value
            check_scale(graph.nodes[node].get("scale"), node, path)
    if graph.out_degree(root) == 0:
        raise TreeError("the root has no children", path=path, where=f'node "{root}"')
    return CriteriaTree(
        id=str(meta.get("id", path.stem)),
        title=str(meta.get("title", root)),
        title_zh=str(meta.get("title_zh", "")),
        source=str(meta.get("source", "")),
        graph=graph,
        root=root,
        path=path,
    )


def check_tree_keys(
    table: Mapping[str, Any], known: tuple[str, ...], where: str, path: Path
) -> None:
    """Refuse a key of a tree file's table that is not in ``known`` (with a did-you-mean),
    and a value that is not text (every key of a tree file is text)."""
    for key, value in table.items():
        if key not in known:
            raise TreeError(
                f"unknown key {key!r}{did_you_mean(key, known)}",
                path=path,
                where=f"{where} {key}",
                hint=f"The keys of {where.split()[0]} are {', '.join(known)}",
            )
        if not isinstance(value, str):
            raise TreeError(
                f"{value!r} is not text",
                path=path,
                where=f"{where} {key}",
                hint='Put the value in quotes: "..."',
            )


def check_scale(name: Any, node: str, path: Path) -> None:
    """Refuse a leaf's ``scale`` that is not one of :data:`SCALES`."""
    if name is None or name in SCALES:
        return
    raise TreeError(
        f"unknown scale {name!r}{did_you_mean(str(name), SCALES)}",
        path=path,
        where=f'[[node]] "{node}" scale',
        hint="Scales: "
        + "; ".join(f"{s.name} ({s.bounds()})" for s in SCALES.values())
        + ". Leave scale out for no check",
    )


def flat_tree(
    criteria: list[str], directions: list[str] | None = None, *, goal: str = "goal"
) -> CriteriaTree:
    """A one-level tree (goal -> criteria), for ad-hoc data and fixed weights."""
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_node(goal, label=goal, order=0)
    directions = directions or ["benefit"] * len(criteria)
    for i, (name, direction) in enumerate(zip(criteria, directions, strict=True)):
        graph.add_node(name, label=name, order=i + 1, direction=Direction.parse(direction).value)
        graph.add_edge(goal, name)
    return CriteriaTree(id="flat", title=goal, source="", graph=graph, root=goal)


def bundled_folder() -> Path:
    """The folder of the trees shipped with mcda_ckm.

    Installed, they are the package data ``mcda_ckm/criteria/`` (``pyproject.toml`` maps the
    repository's ``criteria/`` folder there). Run from a source checkout that is not installed
    (or installed in editable mode), the package has no such folder and the checkout's
    ``criteria/`` beside it is used: the same files.
    """
    installed = Path(str(resources.files("mcda_ckm"))) / "criteria"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "criteria"


def bundled_trees() -> dict[str, Path]:
    """The bundled trees by id (a tree file's name without ``.toml`` is its id), sorted."""
    folder = bundled_folder()
    return {p.stem: p for p in sorted(folder.glob("*.toml"))}


def bundled_id(path: str | Path) -> str | None:
    """The id of ``path`` if it is one of the bundled tree files, else None.

    Provenance records a bundled tree by its id rather than by a path into the installation,
    which differs from machine to machine (its SHA-256 pins the content either way).
    """
    try:
        path = Path(path).resolve()
    except RuntimeError:  # a loop of symbolic links (Python 3.11): not a bundled tree
        return None
    return path.stem if path.parent == bundled_folder().resolve() else None


def resolve_tree(
    ref: str | Path,
    base: str | Path = ".",
    *,
    path: str | Path | None = None,
    where: str | None = None,
) -> Path:
    """The tree file that ``ref`` names: a file relative to ``base``, else a bundled tree id.

    The rule, in order:

    1. ``base / ref`` is a file (an absolute ``ref`` is taken as it is): that file. A case's own
       copy of its tree (``tree = "tree.toml"``, as ``ckm init`` writes) is found this way.
    2. ``ref`` is the id of a bundled tree (:func:`bundled_trees`, listed by ``ckm trees``):
       the bundled file, wherever mcda_ckm is installed.
    3. Otherwise a :class:`~mcda_ckm.errors.TreeError` listing the bundled ids, with the closest
       one first as a "did you mean" (compared with ``ref``'s file name without ``.toml``, so an
       old ``../../criteria/ckm-huang2008.toml`` suggests ``ckm-huang2008``).

    Parameters
    ----------
    ref : str or Path
        A path or a bundled tree id, as written in ``case.toml`` or on the command line.
    base : str or Path
        The folder a relative path is read from (the case folder; the working directory for
        the command line).
    path, where : optional
        The file and place that name the tree (``case.toml``, ``[case] tree``), for the error.

    Raises
    ------
    TreeError
        ``ref`` is neither a file nor a bundled id.

    Examples
    --------
    >>> resolve_tree("ckm-huang2008", "/nowhere").name
    'ckm-huang2008.toml'
    """
    text = str(ref)
    candidate = Path(base) / Path(text).expanduser()
    if candidate.is_file() or candidate.is_symlink():
        return candidate  # a broken or looping link is named by load_tree
    bundled = bundled_trees()
    if text in bundled:
        return bundled[text]
    stem = Path(text).stem if text.endswith(".toml") else Path(text).name
    close = difflib.get_close_matches(stem, list(bundled), n=1, cutoff=0.6)
    guess = f'Did you mean "{close[0]}"? ' if close else ""
    raise TreeError(
        f"tree {text!r} is neither a file (relative to {base}) nor a bundled tree",
        path=path,
        where=where,
        hint=f"{guess}Bundled trees (see 'ckm trees'): {', '.join(bundled)}; "
        "or give the path of a tree file",
    )
