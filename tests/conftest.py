"""Shared fixtures: paths of the bundled data and writers of small bad files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mcda_ckm.model.tree import CriteriaTree, load_tree

ROOT = Path(__file__).resolve().parent.parent
HUANG = ROOT / "criteria" / "ckm-huang2008.toml"
ZOU = ROOT / "criteria" / "ckm-zou2006.toml"
CASE = ROOT / "cases" / "precision-machinery"
FIGHTER = ROOT / "cases" / "hwang-yoon-1981-fighter"


@pytest.fixture(scope="session")
def huang() -> CriteriaTree:
    return load_tree(HUANG)


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write ``text`` to ``tmp_path / name`` and return the path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return _write
