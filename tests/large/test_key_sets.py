"""The one tie rule (issue 12): ranking, sensitivity and the stream give the same key set when
customers are tied or nearly tied (closeness closer than TIE_TOLERANCE)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from mcda_ckm import sensitivity as S
from mcda_ckm.large import stream
from mcda_ckm.large.sampling import key_probabilities
from mcda_ckm.model.tree import flat_tree
from mcda_ckm.ranking import topsis
from mcda_ckm.ranking.topsis import TIE_TOLERANCE, deviations, key_sets

D = np.array([1, -1, 1, 1])
K = 3


def _near_ties(m: int = 400, seed: int = 5) -> np.ndarray:
    """A base whose best customers, under any weights, are: an exact copy of the best one
    placed first, the best itself, and two near copies (every value moved by 1e-14 relative,
    towards worse), so that the key set's cut falls inside a tie group whose closeness values
    differ by less than TIE_TOLERANCE but not by zero."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(1.0, 50.0, (m, 4))
    best = x[0].copy()
    best[D > 0] = 60.0  # better than every other customer on every criterion
    best[D < 0] = 0.5
    worse = best * (1 - 1e-14 * D)
    x[[7, 100, 250, 399]] = [worse, best, worse, best]
    return x


@pytest.fixture(scope="module")
def near_ties():
    x = _near_ties()
    samples = np.random.default_rng(2).dirichlet(np.ones(4), size=25)
    return x, samples


def test_the_fixture_has_near_ties_and_exact_ties(near_ties):
    x, samples = near_ties
    for w in samples:
        c = topsis.rank(x, w, D, contributions=False).closeness
        assert c[100] == c[399]  # identical rows
        gap = c[100] - c[7]
        assert 0 < gap < TIE_TOLERANCE / 10  # nearly tied, and not by rounding alone
        assert c[7] == pytest.approx(c[250], abs=1e-15)


def test_ranking_sensitivity_and_stream_agree_on_near_ties(near_ties, tmp_path):
    x, samples = near_ties
    m = len(x)
    # The rule: the four form one tie group, so input order decides: 7, 100, 250 (399 out),
    # although 7 and 250 are (slightly) worse than 100 and 399.
    expected = [7, 100, 250]
    tree = flat_tree([f"c{j}" for j in range(4)], ["benefit", "cost", "benefit", "benefit"])
    p = S.problem(tree, {"goal": samples[0]}, x, D, [f"C{i}" for i in range(m)], K)
    batched = key_sets(deviations(x, D, "vector"), samples, K)
    smaa = S.smaa(p, samples, chunk=7)
    data = tmp_path / "c.parquet"
    cols = {"id": [f"C{i}" for i in range(m)]}
    cols.update({f"c{j}": x[:, j] for j in range(4)})
    pq.write_table(pa.table(cols), data, row_group_size=60)
    for chunk_rows in (50, 101, m):
        got = key_probabilities(data, samples, directions=D, k=K, chunk_rows=chunk_rows)
        assert sorted(got.rows.tolist()) == expected
        np.testing.assert_array_equal(got.key_probability, 1.0)
        # rank acceptability: each of the three always at its own rank, in input order
        np.testing.assert_array_equal(got.rank_acceptability, np.eye(K))
    for s, w in enumerate(samples):
        r = topsis.rank(x, w, D, top_k=K, contributions=False)
        assert r.top_k.tolist() == expected
        assert r.tie_at_cutoff
        assert list(p.top(w)) == expected
        assert batched[s].tolist() == expected
        ranked = stream.rank_stream(data, w, directions=D, top_k=K, chunk_rows=90)
        assert ranked.top_rows.tolist() == expected
        assert ranked.tie_at_cutoff
    np.testing.assert_array_equal(smaa.key_probability[expected], 1.0)
    assert smaa.key_probability.sum() == K
    np.testing.assert_array_equal(smaa.rank_acceptability[expected], np.eye(K))


def test_tie_order_is_the_rule_row_by_row():
    # A chain of gaps within the tolerance is one group (ordered by index), a wider gap starts
    # a new group; NaN rows (all criteria constant) are in input order.
    c = np.array(
        [
            [0.5, 0.9, 0.5 + 0.6e-12, 0.5 + 1.2e-12, 0.1],
            [np.nan] * 5,
        ]
    )
    index = np.array([[4, 3, 2, 1, 0], [0, 1, 2, 3, 4]])
    order, tied = topsis.tie_order(c, index)
    assert np.take_along_axis(index, order, axis=1).tolist() == [[3, 1, 2, 4, 0], [0, 1, 2, 3, 4]]
    assert tied.tolist() == [[False, True, True, False], [True] * 4]
    one, _ = topsis.tie_order(c[0])
    assert one.tolist() == [1, 0, 2, 3, 4]


def test_key_sets_widen_past_a_long_tie_chain():
    # A chain of ties longer than the candidates' margin: the exact check sends the row to
    # the whole-row ranking, which gives the rule's answer.
    m = 2000
    c = 0.5 + np.arange(m)[::-1] * 0.9e-12  # every gap within the tolerance: one group
    got = topsis.pick_key_sets(
        topsis.select_candidates(c[None], np.arange(m)[None], 2, margin=1e-10), 2, margin=1e-10
    )
    assert not got[1][0]
    order, ties = topsis.best_first(c)
    assert order[:2].tolist() == [0, 1] and len(ties) == 1
