"""Tests of mcda_ckm.model.scaffold: a new case folder carries its own copy of the tree."""

from __future__ import annotations

import shutil
import tomllib

import pytest

from mcda_ckm.errors import CaseError, TreeError
from mcda_ckm.model.case import read_case_file
from mcda_ckm.model.scaffold import scaffold
from tests.conftest import HUANG, ZOU


def test_scaffold_copies_the_tree_into_the_case(tmp_path):
    """The bundled tree named by id is copied byte for byte (comments and source included) and
    case.toml names the copy, not the bundled file."""
    folder = tmp_path / "acme"
    files = scaffold(folder, "ckm-zou2006", ["Wang Li"])
    assert (folder / "tree.toml").read_bytes() == ZOU.read_bytes()
    with (folder / "case.toml").open("rb") as fh:
        assert tomllib.load(fh)["case"]["tree"] == "tree.toml"
    assert sorted(p.relative_to(folder).as_posix() for p in files) == [
        "case.toml",
        "customers.csv",
        "panel/wang_li.toml",
        "tree.toml",
    ]


def test_scaffolded_case_is_self_contained(tmp_path):
    """Moved to another folder (zipped and handed over), the case still finds its tree."""
    scaffold(tmp_path / "acme", "ckm-huang2008")
    moved = tmp_path / "elsewhere" / "deep" / "acme"
    shutil.move(tmp_path / "acme", moved)
    base = read_case_file(moved)
    assert base.tree.id == "ckm-huang2008"
    assert len(base.tree.leaves) == 12  # Huang, Han & Meng (2008): 3 dimensions x 4 indicators


def test_scaffold_default_tree_and_expert(tmp_path):
    folder = tmp_path / "acme"
    scaffold(folder)
    assert (folder / "tree.toml").read_bytes() == HUANG.read_bytes()
    assert [p.name for p in (folder / "panel").iterdir()] == ["expert_1.toml"]


def test_scaffold_tree_path_relative_to_base(tmp_path):
    shutil.copy(ZOU, tmp_path / "mine.toml")
    scaffold(tmp_path / "acme", "mine.toml", base=tmp_path)
    assert (tmp_path / "acme" / "tree.toml").read_bytes() == ZOU.read_bytes()


def test_scaffold_unknown_tree_writes_nothing(tmp_path):
    with pytest.raises(TreeError, match='Did you mean "ckm-zou2006"'):
        scaffold(tmp_path / "acme", "ckm-zou2007")
    assert not (tmp_path / "acme").exists()


def test_scaffold_refuses_an_existing_folder(tmp_path):
    with pytest.raises(CaseError, match="exists already"):
        scaffold(tmp_path, "ckm-huang2008")
