"""Tests of mcda_ckm.model.tree: the bundled trees, composition, and one test per validation
rule."""

from __future__ import annotations

import tomllib

import numpy as np
import pytest

from mcda_ckm.errors import TreeError
from mcda_ckm.model.tree import bundled_id, bundled_trees, load_tree, resolve_tree
from tests.conftest import HUANG, ROOT, ZOU

HUANG_LEAVES = (
    "base_potential",
    "growth_potential",
    "networking_potential",
    "learning_potential",
    "active_contact_frequency",
    "passive_acceptance_rate",
    "trust",
    "perceived_benefit",
    "source_diversity",
    "prior_knowledge",
    "employee_motivation",
    "it_support",
)


def test_huang_tree_is_the_seed_model(huang):
    """Huang, Han & Meng (2008), sections 3.1-3.3: three dimensions, four indicators each,
    all benefit criteria (domain.md)."""
    assert huang.children(huang.root) == ("knowledge_value", "willingness", "absorptive_capacity")
    assert huang.leaves == HUANG_LEAVES
    assert (huang.directions == 1).all()
    assert huang.label("trust", "zh") == "对企业的信任度"
    assert huang.label("knowledge_value", "zh") == "客户知识价值"
    for leaf in huang.leaves:
        assert huang.attr(leaf, "unit") and huang.attr(leaf, "description")
    assert huang.dimension_of("it_support") == "absorptive_capacity"


def test_zou_tree_loads_with_another_shape():
    """Zou & Feng (2006): knowledge about / for / from customers and co-created knowledge."""
    tree = load_tree(ZOU)
    assert len(tree.children(tree.root)) == 4
    assert len(tree.leaves) >= 8
    assert (tree.directions == -1).any()  # a cost leaf


def test_compose_multiplies_down_the_tree(huang):
    """Global weight = product of local weights on the path (Saaty 1980): with dimension
    weights (0.5, 0.3, 0.2) and uniform indicators, each indicator gets dim / 4 (hand)."""
    local = {"goal": np.array([0.5, 0.3, 0.2])}
    for dim in huang.children("goal"):
        local[dim] = np.full(4, 0.25)
    g = huang.compose(local)
    np.testing.assert_allclose(g, np.repeat([0.125, 0.075, 0.05], 4), rtol=1e-15)
    assert abs(g.sum() - 1) < 1e-12


HEAD = '[tree]\nid = "t"\ntitle = "T"\n'


def node(id_: str, parent: str | None = None, direction: str | None = "benefit") -> str:
    text = f'[[node]]\nid = "{id_}"\n'
    if parent:
        text += f'parent = "{parent}"\n'
    if direction:
        text += f'direction = "{direction}"\n'
    return text


def test_valid_minimal_tree(write):
    text = HEAD + node("g", None, None) + node("a", "g") + node("b", "g")
    tree = load_tree(write("t.toml", text))
    assert tree.leaves == ("a", "b")


def test_error_not_toml(write):
    with pytest.raises(TreeError, match=r"t\.toml: not valid TOML"):
        load_tree(write("t.toml", "[tree\n"))


def test_error_missing_file(tmp_path):
    with pytest.raises(TreeError, match=r"nope\.toml: file not found"):
        load_tree(tmp_path / "nope.toml")


def test_error_no_nodes(write):
    with pytest.raises(TreeError, match=r"no \[\[node\]\] entries"):
        load_tree(write("t.toml", HEAD))


def test_error_node_without_id(write):
    with pytest.raises(TreeError, match="node #2: has no id"):
        load_tree(write("t.toml", HEAD + node("g", None, None) + "[[node]]\nparent = 'g'\n"))


def test_error_duplicate_id(write):
    text = HEAD + node("g", None, None) + node("a", "g") + node("a", "g")
    with pytest.raises(TreeError, match=r't\.toml: node "a": duplicate id'):
        load_tree(write("t.toml", text))


def test_error_unknown_parent(write):
    text = HEAD + node("g", None, None) + node("a", "g") + node("b", "gg")
    with pytest.raises(TreeError, match=r'node "b": parent "gg" is not a node of this tree'):
        load_tree(write("t.toml", text))


def test_error_two_roots(write):
    text = HEAD + node("g", None, None) + node("a", "g") + node("b", "g") + node("h", None)
    with pytest.raises(TreeError, match=r'exactly one root .* found "g", "h"'):
        load_tree(write("t.toml", text))


def test_error_cycle(write):
    text = HEAD + node("g", None, None) + node("a", "g") + node("b", "g")
    text += node("x", "y", None) + node("y", "x", None)
    with pytest.raises(TreeError, match=r"cycle of parents: (x -> y -> x|y -> x -> y)"):
        load_tree(write("t.toml", text))


def test_error_single_child(write):
    text = HEAD + node("g", None, None) + node("d", "g", None) + node("e", "g", None)
    text += node("a", "d") + node("b", "d") + node("c", "e")
    with pytest.raises(TreeError, match=r'node "e": has a single child \("c"\)'):
        load_tree(write("t.toml", text))


def test_error_leaf_without_direction(write):
    text = HEAD + node("g", None, None) + node("a", "g") + node("b", "g", None)
    with pytest.raises(TreeError, match=r'node "b": leaf has no direction\. Add direction'):
        load_tree(write("t.toml", text))


def test_error_bad_direction(write):
    text = HEAD + node("g", None, None) + node("a", "g") + node("b", "g", "more")
    with pytest.raises(TreeError, match=r"node \"b\": direction 'more' is not benefit or cost"):
        load_tree(write("t.toml", text))


# -- bundled trees and how a case names its tree ------------------------------------------------

# The trees criteria/README.md describes, each with its source.
BUNDLED = ("ckm-huang2008", "ckm-zou2006", "hwang-yoon-1981-fighter")


def test_bundled_trees_are_the_documented_ones_named_by_their_ids():
    """criteria/README.md lists three trees; a bundled tree's id is its file name and the id
    written in its [tree] table, and every one names its source."""
    found = bundled_trees()
    assert tuple(found) == BUNDLED
    for tree_id, path in found.items():
        tree = load_tree(path)
        assert tree.id == tree_id
        assert tree.source


def test_resolve_a_bundled_id_from_any_folder(tmp_path):
    """Rule 2: not a file relative to the case folder, but a bundled id."""
    path = resolve_tree("ckm-huang2008", tmp_path)
    assert path.read_bytes() == HUANG.read_bytes()


def test_resolve_a_path_relative_to_the_base_folder(tmp_path, write):
    """Rule 1: a file relative to the folder (the case's own tree) is taken as it is."""
    text = HEAD + node("g", None, None) + node("a", "g") + node("b", "g")
    own = write("trees/own.toml", text)
    assert resolve_tree("trees/own.toml", tmp_path) == own
    assert resolve_tree(own, "/nonexistent") == own  # an absolute path


def test_resolve_a_file_before_a_bundled_id(tmp_path, write):
    """Rule 1 before rule 2: a file named like a bundled id, in the case folder, wins."""
    own = write("ckm-huang2008", HEAD + node("g", None, None) + node("a", "g") + node("b", "g"))
    assert resolve_tree("ckm-huang2008", tmp_path) == own


def test_resolve_unknown_id_says_did_you_mean_and_lists_the_ids(tmp_path):
    """Rule 3: neither: the error names the file and place, the closest id and all ids."""
    with pytest.raises(
        TreeError,
        match=r"case\.toml: \[case\] tree: tree \'ckm-huang2009\' is neither a file .* nor a "
        r'bundled tree\. Did you mean "ckm-huang2008"\? Bundled trees \(see \'ckm trees\'\): '
        r"ckm-huang2008, ckm-zou2006, hwang-yoon-1981-fighter",
    ):
        resolve_tree("ckm-huang2009", tmp_path, path=tmp_path / "case.toml", where="[case] tree")


def test_resolve_an_old_relative_path_suggests_its_id(tmp_path):
    """A case moved out of the clone with its old ../../criteria/ path is told the id to use."""
    with pytest.raises(TreeError, match=r'Did you mean "ckm-huang2008"\?'):
        resolve_tree("../../criteria/ckm-huang2008.toml", tmp_path)


def test_resolve_unknown_without_a_close_id_lists_the_ids(tmp_path):
    with pytest.raises(TreeError, match="Bundled trees") as info:
        resolve_tree("cheese", tmp_path)
    assert "Did you mean" not in str(info.value)


def test_pyproject_ships_every_package_and_the_trees():
    """The package list in pyproject.toml is written by hand (mcda_ckm.criteria lives in
    criteria/): every package under mcda_ckm/ must be in it, and the trees in its data."""
    with (ROOT / "pyproject.toml").open("rb") as fh:
        setup = tomllib.load(fh)["tool"]["setuptools"]
    on_disk = {
        ".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "mcda_ckm").rglob("__init__.py")
    }
    assert on_disk | {"mcda_ckm.criteria"} == set(setup["packages"])
    assert setup["package-dir"]["mcda_ckm.criteria"] == "criteria"
    assert "*.toml" in setup["package-data"]["mcda_ckm.criteria"]


def test_bundled_id_names_only_bundled_files(tmp_path):
    """Provenance keys a bundled tree by id, any other file by its path."""
    assert bundled_id(resolve_tree("ckm-zou2006", tmp_path)) == "ckm-zou2006"
    copy = tmp_path / "ckm-zou2006.toml"
    copy.write_bytes(ZOU.read_bytes())
    assert bundled_id(copy) is None


# --- unknown keys, types and scales of a tree file (issue 13, points 4 and 5) ----------------

SMALL = """[tree]
id = "small"
title = "Small"
[[node]]
id = "goal"
[[node]]
id = "a"
parent = "goal"
direction = "benefit"
scale = "likert7"
[[node]]
id = "b"
parent = "goal"
direction = "cost"
"""


def test_scales_are_read_in_leaf_order(write):
    tree = load_tree(write("t.toml", SMALL))
    assert [s.name if s else None for s in tree.scales] == ["likert7", None]
    assert (tree.scales[0].low, tree.scales[0].high) == (1.0, 7.0)


@pytest.mark.parametrize(
    ("old", "new", "where", "what"),
    [
        (
            'title = "Small"',
            'titel = "Small"',
            r"\[tree\] titel",
            r"unknown key 'titel' \(did you "
            r"mean 'title'\?\)",
        ),
        (
            'direction = "cost"',
            'direction = "cost"\nunits = "CNY"',
            r'\[\[node\]\] "b" units',
            r"unknown key 'units' \(did you mean 'unit'\?\)",
        ),
        (
            'direction = "cost"',
            'direction = "cost"\nlabel = 3',
            r'\[\[node\]\] "b" label',
            r"3 is not text",
        ),
        (
            "[tree]",
            "[trees]\nid = 'x'\n[tree]",
            "trees",
            r"unknown table or key 'trees' \(did you "
            r"mean 'tree'\?\)",
        ),
        (
            'scale = "likert7"',
            'scale = "likert-7"',
            r'\[\[node\]\] "a" scale',
            r"unknown scale 'likert-7' \(did you mean 'likert7'\?\)",
        ),
        ('scale = "likert7"', "scale = 7", r'\[\[node\]\] "a" scale', r"7 is not text"),
    ],
)
def test_tree_file_errors_name_file_table_and_key(write, old, new, where, what):
    path = write("t.toml", SMALL.replace(old, new, 1))
    with pytest.raises(TreeError, match=rf"t\.toml: {where}: {what}"):
        load_tree(path)


def test_bundled_trees_declare_known_scales():
    from mcda_ckm.model.tree import bundled_trees

    for path in bundled_trees().values():
        assert all(s is not None for s in load_tree(path).scales), path


def test_tree_with_a_bom_loads(tmp_path):
    path = tmp_path / "t.toml"
    path.write_bytes(b"\xef\xbb\xbf" + SMALL.encode())
    assert load_tree(path).leaves == ("a", "b")


def test_tree_in_latin1_is_a_tree_error(tmp_path):
    path = tmp_path / "t.toml"
    path.write_bytes(SMALL.replace('"Small"', '"Société"').encode("latin-1"))
    with pytest.raises(TreeError, match=r"t\.toml: not UTF-8 text"):
        load_tree(path)


def test_tree_symlink_loop_named_from_a_case(tmp_path):
    from mcda_ckm.model.tree import resolve_tree

    (tmp_path / "tree.toml").symlink_to(tmp_path / "tree.toml")
    path = resolve_tree("tree.toml", tmp_path)
    with pytest.raises(TreeError, match=r"tree\.toml: the path is a loop of symbolic links"):
        load_tree(path)
