"""One direction vocabulary at every door: the parser, the tree loader, DecisionMatrix.from_array,
the streaming engine and ``ckm rank --directions`` (the CLI test is in tests/cli/test_rank.py)."""

from __future__ import annotations

import numpy as np
import pytest

from mcda_ckm.errors import CkmError, DataError, TreeError
from mcda_ckm.large.stream import rank_stream
from mcda_ckm.model.directions import ALIASES, DIRECTIONS, Direction
from mcda_ckm.model.matrix import DecisionMatrix
from mcda_ckm.model.tree import flat_tree, load_tree

BENEFIT_WORDS = ("benefit", "max", "+", "Benefit", " MAX ")
COST_WORDS = ("cost", "min", "-", "COST", " - ")


def test_aliases_are_the_six_words():
    assert set(ALIASES) == {"benefit", "max", "+", "cost", "min", "-"}
    assert DIRECTIONS == {k: v.value for k, v in ALIASES.items()}


@pytest.mark.parametrize("word", BENEFIT_WORDS)
def test_parse_benefit(word):
    assert Direction.parse(word) is Direction.BENEFIT and Direction.BENEFIT.sign == 1


@pytest.mark.parametrize("word", COST_WORDS)
def test_parse_cost(word):
    assert Direction.parse(word) is Direction.COST and Direction.COST.sign == -1


def test_parse_signs_and_members():
    assert Direction.parse(1) is Direction.BENEFIT and Direction.parse(-1.0) is Direction.COST
    assert Direction.parse(np.int64(-1)) is Direction.COST
    assert Direction.parse(Direction.COST) is Direction.COST


@pytest.mark.parametrize("bad", ["more", "", 2, 0, True, None])
def test_parse_refuses_and_lists_the_words(bad):
    with pytest.raises(CkmError, match=r"is not benefit or cost\. Use one of benefit, max, \+"):
        Direction.parse(bad)


@pytest.mark.parametrize("word", BENEFIT_WORDS + COST_WORDS)
def test_tree_loader_reads_every_alias(write, word):
    text = (
        '[tree]\nid = "t"\ntitle = "T"\n[[node]]\nid = "g"\n'
        f'[[node]]\nid = "a"\nparent = "g"\ndirection = "{word}"\n'
        '[[node]]\nid = "b"\nparent = "g"\ndirection = "benefit"\n'
    )
    tree = load_tree(write("t.toml", text))
    expected = 1 if word in BENEFIT_WORDS else -1
    assert tree.directions.tolist() == [expected, 1]


def test_tree_loader_refuses_a_bad_word(write):
    text = (
        '[tree]\nid = "t"\ntitle = "T"\n[[node]]\nid = "g"\n'
        '[[node]]\nid = "a"\nparent = "g"\ndirection = "up"\n'
        '[[node]]\nid = "b"\nparent = "g"\ndirection = "benefit"\n'
    )
    with pytest.raises(TreeError, match=r"direction 'up' is not benefit or cost"):
        load_tree(write("t.toml", text))


@pytest.mark.parametrize("word", BENEFIT_WORDS + COST_WORDS)
def test_flat_tree_reads_every_alias(word):
    tree = flat_tree(["a", "b"], [word, "cost"])
    assert tree.directions.tolist() == [1 if word in BENEFIT_WORDS else -1, -1]


def test_from_array_reads_every_alias():
    """Before the one vocabulary, '+' and '-' worked in ckm rank but not here."""
    words = [*BENEFIT_WORDS, *COST_WORDS]
    m = DecisionMatrix.from_array(np.ones((2, len(words))), directions=words)
    assert m.directions.tolist() == [1] * len(BENEFIT_WORDS) + [-1] * len(COST_WORDS)


def test_from_array_names_the_bad_direction():
    with pytest.raises(DataError, match=r"directions\[1\]: direction 'up' is not benefit or cost"):
        DecisionMatrix.from_array([[1, 2]], directions=["+", "up"])


@pytest.mark.parametrize(("plus", "minus"), [("benefit", "cost"), ("max", "min"), ("+", "-")])
def test_stream_reads_every_alias(tmp_path, plus, minus):
    """The streaming engine takes the same words: Tzeng & Huang (2011)'s data with the third
    criterion a cost gives the same closeness whichever alias says so."""
    data = tmp_path / "d.csv"
    data.write_text("id,name,a,b,c\nA1,x,5,8,4\nA2,y,7,6,8\nA3,z,8,8,6\nA4,w,7,4,6\n")
    words = rank_stream(data, [0.3, 0.4, 0.3], directions=[plus, plus, minus], top_k=4)
    signs = rank_stream(data, [0.3, 0.4, 0.3], directions=[1, 1, -1], top_k=4)
    assert words.top_ids == signs.top_ids
    np.testing.assert_allclose(words.top_closeness, signs.top_closeness, rtol=0, atol=0)
    assert list(words.top_ids) != ["A3", "A2", "A1", "A4"]  # the cost changed the order
