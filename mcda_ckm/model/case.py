"""A case study folder: ``case.toml`` with its tree, panel (or fixed weights) and settings.

::

    cases/precision-machinery/
      case.toml          [case] name, tree, panel, customers; [ahp] ...; [ranking] ...
      panel/*.toml       one judgement file per expert
      customers.csv      the decision matrix (the ranking stage)
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mcda_ckm.errors import CaseError
from mcda_ckm.model.judgements import ExpertJudgements, load_panel
from mcda_ckm.model.tree import CriteriaTree, bundled_id, load_tree, resolve_tree
from mcda_ckm.weights import ahp
from mcda_ckm.weights.panel import AGGREGATIONS, POLICIES, PanelResult, evaluate

AHP_DEFAULTS: dict[str, str] = {
    "method": "eigenvector",
    "ri_table": ahp.DEFAULT_RI_TABLE,
    "rule": ahp.DEFAULT_THRESHOLD_RULE,
    "aggregation": "aij",
    "inconsistent_experts": "keep",
    "completion": "harker",
}
_CHOICES: dict[str, tuple[str, ...]] = {
    "method": ahp.METHODS,
    "ri_table": tuple(ahp.RI_TABLES),
    "rule": tuple(ahp.THRESHOLD_RULES),
    "aggregation": AGGREGATIONS,
    "inconsistent_experts": POLICIES,
    "completion": ahp.COMPLETIONS,
}


@dataclass(frozen=True)
class Case:
    """A loaded and validated case.

    Attributes
    ----------
    path : Path
        The case folder.
    name, description : str
    tree : CriteriaTree
    experts : tuple of ExpertJudgements
        Empty when the case gives fixed ``weights`` instead of a panel.
    fixed_weights : numpy.ndarray or None
        Leaf weights from a ``[weights]`` table (validation cases), in leaf order.
    ahp : dict of str to str
        method, ri_table, rule, aggregation, inconsistent_experts, completion.
    settings : dict
        The whole parsed ``case.toml`` (the ranking stage reads ``[ranking]``, ``[clv]``).
    inputs : dict of str to str
        SHA-256 of every input file read, keyed by its path relative to the case folder.
    """

    path: Path
    name: str
    description: str
    tree: CriteriaTree
    experts: tuple[ExpertJudgements, ...]
    fixed_weights: np.ndarray | None
    ahp: dict[str, str]
    settings: dict[str, Any] = field(repr=False)
    inputs: dict[str, str] = field(repr=False)

    def evaluate(self, **overrides: str | None) -> PanelResult:
        """The panel through the tree with the case's ``[ahp]`` settings; ``overrides`` (method,
        ri_table, rule, aggregation, inconsistent_experts, completion) replace them when not
        None.

        Raises
        ------
        CaseError
            When the case has fixed weights and no panel.
        """
        if not self.experts:
            raise CaseError(
                "this case has fixed [weights] and no expert panel", path=self.path / "case.toml"
            )
        opts = self.ahp | {k: v for k, v in overrides.items() if v is not None}
        return evaluate(
            self.tree,
            self.experts,
            method=opts["method"],  # type: ignore[arg-type]
            ri_table=opts["ri_table"],
            rule=opts["rule"],
            aggregation=opts["aggregation"],  # type: ignore[arg-type]
            policy=opts["inconsistent_experts"],  # type: ignore[arg-type]
            completion=opts["completion"],  # type: ignore[arg-type]
        )

    def file(self, key: str, section: str = "case") -> Path | None:
        """A path named in ``[section] key``, resolved against the case folder."""
        value = self.settings.get(section, {}).get(key)
        return None if value is None else (self.path / value).resolve()


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rel(path: Path, base: Path) -> str:
    return os.path.relpath(path.resolve(), base.resolve())


@dataclass(frozen=True)
class Settings:
    """A case's ``case.toml`` read and checked, with its tree, before any data is read.

    Attributes
    ----------
    path : Path
        The case folder.
    toml : Path
        Its ``case.toml``.
    settings : dict
        The parsed file.
    tree : CriteriaTree
    ahp : dict of str to str
        The ``[ahp]`` choices, defaults filled in.
    panel : Path
        The panel folder (``[case] panel``, default ``panel``).
    inputs : dict of str to str
        SHA-256 of case.toml and the tree file.
    """

    path: Path
    toml: Path
    settings: dict[str, Any] = field(repr=False)
    tree: CriteriaTree
    ahp: dict[str, str]
    panel: Path
    inputs: dict[str, str] = field(repr=False)


def read_settings(folder: str | Path) -> Settings:
    """Read and check a case folder's ``case.toml`` and load its tree.

    Raises
    ------
    CaseError
        Missing or malformed ``case.toml``, no tree, unknown ``[ahp]`` setting or value.
    TreeError
        From the tree file.
    """
    folder = Path(folder)
    toml = folder if folder.is_file() else folder / "case.toml"
    folder = toml.parent
    if not toml.exists():
        raise CaseError(
            "no case.toml here",
            path=toml,
            hint="Give a case folder (with case.toml), or create one with 'ckm init'",
        )
    try:
        with toml.open("rb") as fh:
            settings = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise CaseError(f"not valid TOML ({exc})", path=toml, hint="Fix the syntax") from None
    meta = settings.get("case", {})
    if "tree" not in meta:
        raise CaseError(
            "no tree given",
            path=toml,
            where="[case] tree",
            hint='Add tree = "ckm-huang2008" (a bundled tree, see ckm trees) or a tree file',
        )
    tree_path = resolve_tree(meta["tree"], folder, path=toml, where="[case] tree").resolve()
    tree = load_tree(tree_path)
    tree_key = bundled_id(tree_path) or _rel(tree_path, folder)
    inputs = {_rel(toml, folder): sha256(toml), tree_key: sha256(tree_path)}
    opts = dict(AHP_DEFAULTS)
    for key, value in settings.get("ahp", {}).items():
        if key not in _CHOICES:
            raise CaseError(
                f"unknown setting {key!r}",
                path=toml,
                where=f"[ahp] {key}",
                hint=f"Settings: {', '.join(_CHOICES)}",
            )
        if value not in _CHOICES[key]:
            raise CaseError(
                f"{value!r} is not a choice",
                path=toml,
                where=f"[ahp] {key}",
                hint=f"Use one of {', '.join(_CHOICES[key])}",
            )
        opts[key] = value
    return Settings(
        path=folder,
        toml=toml,
        settings=settings,
        tree=tree,
        ahp=opts,
        panel=folder / meta.get("panel", "panel"),
        inputs=inputs,
    )


def load_case(folder: str | Path) -> Case:
    """Load a case folder (or its ``case.toml``): settings, tree, and panel or fixed weights.

    Raises
    ------
    CaseError
        Missing or malformed ``case.toml``, unknown setting values, neither panel nor weights.
    TreeError, JudgementError
        From the tree and judgement files.
    """
    base = read_settings(folder)
    folder, toml, settings, tree = base.path, base.toml, base.settings, base.tree
    meta = settings.get("case", {})
    inputs = dict(base.inputs)
    opts = base.ahp

    experts: tuple[ExpertJudgements, ...] = ()
    fixed = None
    if "weights" in settings:
        table = settings["weights"]
        missing = [leaf for leaf in tree.leaves if leaf not in table]
        extra = [k for k in table if k not in tree.leaves]
        if missing or extra:
            raise CaseError(
                f"[weights] must give every leaf of the tree; missing {missing}, unknown {extra}",
                path=toml,
                where="[weights]",
            )
        fixed = np.array([float(table[leaf]) for leaf in tree.leaves])
        if (fixed < 0).any() or not np.isfinite(fixed).all() or fixed.sum() <= 0:
            raise CaseError(
                "weights must be non-negative with a positive sum", path=toml, where="[weights]"
            )
        fixed = fixed / fixed.sum()
    else:
        panel = base.panel
        if not panel.exists():
            raise CaseError(
                f"panel folder {meta.get('panel', 'panel')} not found",
                path=toml,
                where="[case] panel",
                hint="Put one judgement file per expert there, or give fixed [weights]",
            )
        try:
            experts = tuple(load_panel([panel], tree))
        except CaseError as exc:
            raise CaseError(exc.message, path=panel, hint=exc.hint) from None
        for e in experts:
            if e.path is not None:
                inputs[_rel(e.path, folder)] = sha256(e.path)
    return Case(
        path=folder,
        name=str(meta.get("name", folder.name)),
        description=str(meta.get("description", "")),
        tree=tree,
        experts=experts,
        fixed_weights=fixed,
        ahp=opts,
        settings=settings,
        inputs=inputs,
    )


def from_judgements(tree_path: str | Path, paths: list[Path]) -> Case:
    """A case made of a tree file and judgement files (or folders of them), with default
    settings: for ``ckm weights --tree TREE FILES...`` and notebooks."""
    tree_path = Path(tree_path)
    tree = load_tree(tree_path)
    experts = tuple(load_panel(paths, tree))
    base = Path.cwd()
    inputs = {_rel(tree_path, base): sha256(tree_path)}
    inputs |= {_rel(e.path, base): sha256(e.path) for e in experts if e.path is not None}
    return Case(
        path=base,
        name=tree.title,
        description="",
        tree=tree,
        experts=experts,
        fixed_weights=None,
        ahp=dict(AHP_DEFAULTS),
        settings={},
        inputs=inputs,
    )
