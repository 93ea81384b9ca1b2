"""A case study folder: ``case.toml`` with its tree, panel (or fixed weights) and settings.

::

    cases/precision-machinery/
      case.toml          [case] name, tree, panel, customers; [ahp]; [ranking]; [clv]; ...
      panel/*.toml       one judgement file per expert
      customers.csv      the decision matrix (the ranking stage)

:func:`load_case` checks *all* of ``case.toml`` when it loads it, before anything is computed:
an unknown table or key, a value of the wrong type or out of range is an error naming the file,
the table and the key, with a "did you mean" for near misses. The settings come out typed and
frozen (:class:`mcda_ckm.model.settings.Settings`); implausible values come out as
``Case.warnings``. A case is data: running its panel is
:func:`mcda_ckm.weights.panel.evaluate_case`.
"""

from __future__ import annotations

import datetime
import hashlib
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np

from mcda_ckm.errors import CaseError
from mcda_ckm.model import toml as tomlfile
from mcda_ckm.model.judgements import ExpertJudgements, load_panel
from mcda_ckm.model.settings import (
    AHP_CHOICES,
    CLV_KEYS,
    PANEL_CHOICES,
    RANKING_KEYS,
    SENSITIVITY_KEYS,
    WEIGHT_KEYS,
    ClvSettings,
    Settings,
    WeightSettings,
    read_ahp,
    read_clv,
    read_panel,
    read_ranking,
    read_sensitivity,
    read_weight_settings,
)
from mcda_ckm.model.sources import IndicatorSettings, read_indicators
from mcda_ckm.model.tree import CriteriaTree, bundled_id, load_tree, resolve_tree
from mcda_ckm.model.values import (
    SettingWarning,
    as_table,
    check_keys,
    choice,
    did_you_mean,
    real_number,
    text,
)

__all__ = [
    "CASE_KEYS",
    "CASE_TABLES",
    "STATUSES",
    "Case",
    "CaseFile",
    "from_judgements",
    "load_case",
]

CASE_TABLES: tuple[str, ...] = (
    "case",
    "ahp",
    "panel",
    "ranking",
    "clv",
    "sensitivity",
    "weights",
    "indicators",
)
"""The tables ``case.toml`` may hold."""
CASE_KEYS: tuple[str, ...] = (
    "name",
    "name_zh",
    "description",
    "description_zh",
    "tree",
    "panel",
    "customers",
    "client",
    "consultant",
    "status",
    "date",
)
"""The keys of its ``[case]`` table."""
STATUSES: tuple[str, ...] = ("draft", "final")
"""``[case] status``: a report is a draft until the consultant marks it final."""
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "case": CASE_KEYS,
    "ahp": tuple(AHP_CHOICES),
    "panel": tuple(PANEL_CHOICES),
    "ranking": RANKING_KEYS,
    "clv": CLV_KEYS,
    "sensitivity": SENSITIVITY_KEYS,
    "weights": WEIGHT_KEYS,
}
"""The keys of each table (``[weights]`` takes the tree's leaves)."""


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
    settings : Settings
        ``[ahp]``, ``[ranking]``, ``[clv]`` and ``[sensitivity]``, checked, defaults filled in.
    inputs : dict of str to str
        SHA-256 of every input file read, keyed by its path relative to the case folder.
    name_zh : str
        The Chinese name, for reports in Chinese (``""`` when not given).
    customers : Path or None
        The customers file (``[case] customers``), resolved against the case folder.
    warnings : tuple of SettingWarning
        Valid but implausible settings, for the caller to show (the library does not print).
    description_zh, client, consultant : str
        For the report's title block (``""`` when not given).
    status : str
        "draft" (default) or "final" (:data:`STATUSES`).
    date : str
        The report's date, ISO ``YYYY-MM-DD`` (``""`` when not given: the run date is shown).
    """

    path: Path
    name: str
    description: str
    tree: CriteriaTree
    experts: tuple[ExpertJudgements, ...]
    fixed_weights: np.ndarray | None
    settings: Settings = field(repr=False)
    inputs: dict[str, str] = field(repr=False)
    name_zh: str = ""
    customers: Path | None = None
    warnings: tuple[SettingWarning, ...] = ()
    description_zh: str = ""
    client: str = ""
    consultant: str = ""
    status: str = "draft"
    date: str = ""
    indicators: IndicatorSettings | None = None

    @property
    def toml(self) -> Path:
        """The case's ``case.toml``."""
        return self.path / "case.toml"

    def file(self, key: str, section: str = "case") -> Path | None:
        """A file the case names: ``file("customers")`` or ``file("cashflows", "clv")``."""
        if (section, key) == ("case", "customers"):
            return self.customers
        if (section, key) == ("clv", "cashflows"):
            return None if self.settings.clv is None else self.settings.clv.cashflows
        raise KeyError(f"[{section}] {key} is not a file of the case")


@dataclass(frozen=True)
class CaseFile:
    """A case's ``case.toml`` read and checked, with its tree, before any judgement is read.

    What :func:`load_case` builds on, and what the panel tools read (they work while the panel
    folder is still being filled).

    Attributes
    ----------
    path : Path
        The case folder.
    toml : Path
        Its ``case.toml``.
    name, name_zh, description : str
    tree : CriteriaTree
    settings : Settings
    panel : Path or None
        The panel folder (``[case] panel``, default ``panel``); None for fixed weights.
    customers : Path or None
    fixed_weights : numpy.ndarray or None
        From ``[weights]``, normalised to sum 1, in leaf order.
    inputs : dict of str to str
        SHA-256 of case.toml and the tree file.
    warnings : tuple of SettingWarning
    """

    path: Path
    toml: Path
    name: str
    name_zh: str
    description: str
    tree: CriteriaTree
    settings: Settings
    panel: Path | None
    customers: Path | None
    fixed_weights: np.ndarray | None
    inputs: dict[str, str] = field(repr=False)
    warnings: tuple[SettingWarning, ...] = ()
    description_zh: str = ""
    client: str = ""
    consultant: str = ""
    status: str = "draft"
    date: str = ""
    indicators: IndicatorSettings | None = None


def read_date(value: Any, toml: Path) -> str:
    """``[case] date``: a TOML date or its ISO text ``YYYY-MM-DD``, returned as that text."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise CaseError(
        f"{value!r} is not a date",
        path=toml,
        where="[case] date",
        hint="Write the date as 2026-03-31 (year-month-day)",
    )


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def resolved(path: Path) -> Path:
    """``path.resolve()``, or the absolute path when it is a loop of symbolic links (Python
    3.11 raises RuntimeError there): the reader of the file then names the loop."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        return path.absolute()


def _rel(path: Path, base: Path) -> str:
    return os.path.relpath(resolved(path), resolved(base))


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's tables, read by :func:`mcda_ckm.model.toml.read_toml` (UTF-8, a
    byte-order mark accepted).

    Raises
    ------
    CaseError
        On an unreadable path, bytes that are not UTF-8 or a syntax error, naming the file.
    """
    return tomlfile.read_toml(path, CaseError)


def read_case_file(folder: str | Path) -> CaseFile:
    """Read and check a case folder's ``case.toml`` (every table and key) and load its tree.

    Raises
    ------
    CaseError
        Missing or malformed ``case.toml``; an unknown table or key; a value of the wrong type,
        out of range or not a choice; no tree; a ``[weights]`` table that does not match the
        tree. Each names the file, the table and the key.
    TreeError
        From the tree file.
    """
    folder = Path(folder)
    toml = folder if folder.is_file() else folder / "case.toml"
    folder = toml.parent
    if not toml.exists() and not toml.is_symlink():
        raise CaseError(
            "no case.toml here",
            path=toml,
            hint="Give a case folder (with case.toml), or create one with 'ckm init'",
        )
    doc = read_toml(toml)
    for section, value in doc.items():
        if not isinstance(value, dict):
            home = next((t for t, keys in TABLE_KEYS.items() if section in keys), None)
            raise CaseError(
                "a key outside any table",
                path=toml,
                where=section,
                hint=f"Put it under [{home}]" if home else "Put it under its table",
            )
        if section not in CASE_TABLES:
            raise CaseError(
                f"unknown table [{section}]{did_you_mean(section, CASE_TABLES)}",
                path=toml,
                where=f"[{section}]",
                hint=f"The tables of case.toml are {', '.join(f'[{t}]' for t in CASE_TABLES)}",
            )
        as_table(value, section, toml)
    meta = doc.get("case", {})
    check_keys(meta, CASE_KEYS, "case", toml)
    for key, value in meta.items():
        if key != "date":
            text(value, f"[case] {key}", toml)
    status = choice(meta.get("status", "draft"), STATUSES, "[case] status", toml)
    date = read_date(meta["date"], toml) if "date" in meta else ""
    if "tree" not in meta:
        raise CaseError(
            "no tree given",
            path=toml,
            where="[case] tree",
            hint='Add tree = "ckm-huang2008" (a bundled tree, see ckm trees) or a tree file',
        )
    # Every setting is checked before the tree is read: a typo costs no time.
    ahp = read_ahp(doc.get("ahp", {}), toml)
    ranking = read_ranking(doc.get("ranking", {}), toml)
    panel_settings = read_panel(doc.get("panel", {}), toml)
    sensitivity = read_sensitivity(doc.get("sensitivity", {}), toml)
    tree_path = resolved(resolve_tree(meta["tree"], folder, path=toml, where="[case] tree"))
    tree = load_tree(tree_path)
    tree_key = bundled_id(tree_path) or _rel(tree_path, folder)
    warnings: list[SettingWarning] = []
    clv: ClvSettings | None = None
    if "clv" in doc:
        clv, found = read_clv(doc["clv"], folder, tree.leaves, toml)
        warnings += found
    indicators = None
    if "indicators" in doc:
        indicators, found = read_indicators(doc["indicators"], folder, tree.leaves, toml)
        warnings += found
    fixed = None
    weight_settings = WeightSettings()
    leaf_weights: dict[str, Any] = {}
    if "weights" in doc:
        # [weights] holds the objective-weight settings and/or fixed weights, one per leaf.
        weight_settings, found = read_weight_settings(doc["weights"], tree.leaves, toml)
        warnings += found
        leaf_weights = {k: v for k, v in doc["weights"].items() if k not in WEIGHT_KEYS}
    if leaf_weights:
        fixed = read_weights(leaf_weights, tree, toml)
        if "panel" in meta:
            warnings.append(
                SettingWarning(
                    "not used: the case gives fixed [weights], so no panel is run",
                    path=toml,
                    where="[case] panel",
                )
            )
        if "ahp" in doc:
            warnings.append(
                SettingWarning(
                    "not used: the case gives fixed [weights], so [ahp] does not apply",
                    path=toml,
                    where="[ahp]",
                )
            )
    inputs = {_rel(toml, folder): sha256(toml), tree_key: sha256(tree_path)}
    return CaseFile(
        path=folder,
        toml=toml,
        name=meta.get("name", folder.name),
        name_zh=meta.get("name_zh", ""),
        description=meta.get("description", ""),
        description_zh=meta.get("description_zh", ""),
        client=meta.get("client", ""),
        consultant=meta.get("consultant", ""),
        status=status,
        date=date,
        tree=tree,
        settings=Settings(
            ahp=ahp,
            ranking=ranking,
            panel=panel_settings,
            clv=clv,
            sensitivity=sensitivity,
            weights=weight_settings,
        ),
        panel=None if fixed is not None else folder / meta.get("panel", "panel"),
        customers=resolved(folder / meta["customers"]) if "customers" in meta else None,
        fixed_weights=fixed,
        inputs=inputs,
        warnings=tuple(warnings),
        indicators=indicators,
    )


def read_weights(table: Any, tree: CriteriaTree, toml: Path) -> np.ndarray:
    """``[weights]``: a number >= 0 for every leaf of the tree, normalised to sum 1."""
    table = as_table(table, "weights", toml)
    for key in table:
        if key not in tree.leaves:
            raise CaseError(
                f"unknown indicator {key!r}{did_you_mean(key, tree.leaves)}",
                path=toml,
                where=f"[weights] {key}",
                hint=f"Indicators: {', '.join(tree.leaves)}",
            )
    missing = [leaf for leaf in tree.leaves if leaf not in table]
    if missing:
        raise CaseError(
            f"[weights] must give every leaf of the tree; missing {missing}",
            path=toml,
            where="[weights]",
        )
    fixed = np.array(
        [real_number(table[leaf], f"[weights] {leaf}", toml, low=0.0) for leaf in tree.leaves]
    )
    if fixed.sum() <= 0:
        raise CaseError(
            "weights must be non-negative with a positive sum", path=toml, where="[weights]"
        )
    return fixed / fixed.sum()


def load_case(folder: str | Path) -> Case:
    """Load a case folder (or its ``case.toml``): settings, tree, and panel or fixed weights.

    Raises
    ------
    CaseError
        Anything :func:`read_case_file` refuses; no panel folder.
    TreeError, JudgementError
        From the tree and judgement files.
    """
    base = read_case_file(folder)
    inputs = dict(base.inputs)
    experts: tuple[ExpertJudgements, ...] = ()
    if base.panel is not None:
        panel = base.panel
        if not panel.exists():
            raise CaseError(
                f"panel folder {_rel(panel, base.path)} not found",
                path=base.toml,
                where="[case] panel",
                hint="Put one judgement file per expert there, or give fixed [weights]",
            )
        try:
            experts = tuple(load_panel([panel], base.tree))
        except CaseError as exc:
            raise CaseError(exc.message, path=panel, hint=exc.hint) from None
        for e in experts:
            if e.path is not None:
                inputs[_rel(e.path, base.path)] = sha256(e.path)
    # Every field of Case but the experts is the case file's (the inputs now with the
    # judgement files' hashes): copied by name, so that a field added to both is never
    # forgotten here.
    same = {
        f.name: getattr(base, f.name) for f in fields(Case) if f.name not in ("experts", "inputs")
    }
    return Case(**same, experts=experts, inputs=inputs)


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
        settings=Settings(),
        inputs=inputs,
    )
