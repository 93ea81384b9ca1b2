"""Tests of mcda_ckm.weights.ahp against published examples, hand-derived values and properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcda_ckm.errors import CkmError, IncompleteMatrixError
from mcda_ckm.weights import ahp
from mcda_ckm.weights import consensus as goepel

NAN = np.nan


def from_pairs(names: list[str], pairs: dict[tuple[str, str], float]) -> np.ndarray:
    idx = {n: i for i, n in enumerate(names)}
    a = np.full((len(names), len(names)), NAN)
    np.fill_diagonal(a, 1.0)
    for (x, y), v in pairs.items():
        a[idx[x], idx[y]], a[idx[y], idx[x]] = v, 1 / v
    return a


DRINKS = ["coffee", "wine", "tea", "beer", "soda", "milk", "water"]
DRINKS_PAIRS = {
    ("coffee", "wine"): 9,
    ("coffee", "tea"): 5,
    ("coffee", "beer"): 2,
    ("coffee", "soda"): 1,
    ("coffee", "milk"): 1,
    ("water", "coffee"): 2,
    ("water", "wine"): 9,
    ("water", "tea"): 9,
    ("water", "beer"): 3,
    ("water", "soda"): 2,
    ("water", "milk"): 3,
    ("tea", "wine"): 3,
    ("beer", "wine"): 9,
    ("beer", "tea"): 3,
    ("beer", "milk"): 1,
    ("soda", "wine"): 9,
    ("soda", "tea"): 4,
    ("soda", "beer"): 2,
    ("soda", "milk"): 2,
    ("milk", "wine"): 9,
    ("milk", "tea"): 3,
}


def test_drinks_saaty():
    """Saaty (2008), Decision making with the analytic hierarchy process, Int. J. Services
    Sciences 1(1), 83-98: relative consumption of drinks in the US, as in AHPy's
    tests/test_ahp.py (test_drinks_cr_dd, test_drinks_weights_precision_4_dd):
    weights to 4 dp, CR 0.0235 with Donegan & Dodd's random index; CR 0.022 with Saaty's
    2005 table (test_drinks_cr_saaty)."""
    a = from_pairs(DRINKS, DRINKS_PAIRS)
    r = ahp.priorities(a, ri_table="donegan-dodd-1991")
    expected = {
        "beer": 0.1164,
        "coffee": 0.1775,
        "milk": 0.1288,
        "soda": 0.1896,
        "tea": 0.0418,
        "water": 0.3268,
        "wine": 0.0191,
    }
    got = dict(zip(DRINKS, r.weights, strict=True))
    for k, v in expected.items():
        assert got[k] == pytest.approx(v, abs=5e-5)
    assert r.cr == pytest.approx(0.0235, abs=5e-5)
    assert ahp.priorities(a, ri_table="saaty-2005").cr == pytest.approx(0.022, abs=5e-4)
    assert r.ri_table == "donegan-dodd-1991"


def test_wang_chin_2011():
    """Wang, Y. M., & Chin, K. S. (2011). A linear programming approximation to the eigenvector
    method in the AHP. Information Sciences 181(23), 5240-5248; as used in pymcdm's
    test/test_weights.py::TestAHPWeights (weights to 4 dp)."""
    a = [
        [1, 4, 3, 1, 3, 4],
        [1 / 4, 1, 7, 3, 1 / 5, 1],
        [1 / 3, 1 / 7, 1, 1 / 5, 1 / 5, 1 / 6],
        [1, 1 / 3, 5, 1, 1, 1 / 3],
        [1 / 3, 5, 5, 1, 1, 3],
        [1 / 4, 1, 6, 3, 1 / 3, 1],
    ]
    r = ahp.priorities(a)
    np.testing.assert_allclose(
        r.weights, [0.3208, 0.1395, 0.0348, 0.1285, 0.2374, 0.1391], atol=5e-5
    )
    assert not r.consistent  # strongly inconsistent: lambda_max about 7.42


def test_eigenvector_is_exact_to_1e9():
    """The result satisfies A w = lambda_max w to 1e-12 (the eigen-equation, not rounded)."""
    a = from_pairs(DRINKS, DRINKS_PAIRS)
    r = ahp.priorities(a)
    np.testing.assert_allclose(a @ r.weights, r.lambda_max * r.weights, rtol=1e-12)
    assert r.weights.sum() == pytest.approx(1.0, abs=1e-15)


def test_best_city_hierarchy():
    """Saaty (2005), Theory and Applications of the ANP, best-city example as in AHPy's
    tests/test_ahp.py (city_target_p4_dd): global priorities Bethesda 0.2291, Boston 0.2748,
    Pittsburgh 0.3852, Santa Fe 0.1110."""
    cities = ["Bethesda", "Boston", "Pittsburgh", "Santa Fe"]
    crit = ["Culture", "Family", "Housing", "Jobs", "Transportation"]
    criteria = from_pairs(
        crit,
        {
            ("Culture", "Housing"): 3,
            ("Culture", "Transportation"): 5,
            ("Family", "Culture"): 5,
            ("Family", "Housing"): 7,
            ("Family", "Transportation"): 7,
            ("Housing", "Transportation"): 3,
            ("Jobs", "Culture"): 2,
            ("Jobs", "Housing"): 4,
            ("Jobs", "Transportation"): 7,
            ("Family", "Jobs"): 1,
        },
    )
    local = {
        "Culture": {
            ("Bethesda", "Pittsburgh"): 1,
            ("Boston", "Bethesda"): 2,
            ("Boston", "Pittsburgh"): 2.5,
            ("Boston", "Santa Fe"): 1,
            ("Santa Fe", "Bethesda"): 2,
            ("Santa Fe", "Pittsburgh"): 2.5,
        },
        "Family": {
            ("Bethesda", "Boston"): 2,
            ("Bethesda", "Santa Fe"): 4,
            ("Boston", "Santa Fe"): 2,
            ("Pittsburgh", "Bethesda"): 3,
            ("Pittsburgh", "Boston"): 8,
            ("Pittsburgh", "Santa Fe"): 9,
        },
        "Housing": {
            ("Bethesda", "Boston"): 5,
            ("Bethesda", "Santa Fe"): 2.5,
            ("Pittsburgh", "Bethesda"): 2,
            ("Pittsburgh", "Boston"): 9,
            ("Pittsburgh", "Santa Fe"): 7,
            ("Santa Fe", "Boston"): 4,
        },
        "Jobs": {
            ("Bethesda", "Pittsburgh"): 3,
            ("Bethesda", "Santa Fe"): 4,
            ("Boston", "Bethesda"): 2,
            ("Boston", "Pittsburgh"): 6,
            ("Boston", "Santa Fe"): 8,
            ("Pittsburgh", "Santa Fe"): 1,
        },
        "Transportation": {
            ("Bethesda", "Boston"): 1.5,
            ("Bethesda", "Santa Fe"): 4,
            ("Boston", "Santa Fe"): 2.5,
            ("Pittsburgh", "Bethesda"): 2,
            ("Pittsburgh", "Boston"): 3.5,
            ("Pittsburgh", "Santa Fe"): 9,
        },
    }
    wc = ahp.priorities(criteria).weights
    scores = sum(
        w * ahp.priorities(from_pairs(cities, local[c])).weights
        for w, c in zip(wc, crit, strict=True)
    )
    np.testing.assert_allclose(scores, [0.2291, 0.2748, 0.3852, 0.1110], atol=5e-5)


def test_bozoki_optimal_completion():
    """Bozóki, Fülöp & Rónyai (2010), Math. Comput. Modelling 52, 318-333; the incomplete 4x4
    as in AHPy's tests (u, c-d missing): optimal a_cd = 0.730297106886979, weights
    a 0.3738, b 0.392, c 0.0985, d 0.1357, CR 0.0372 (Donegan & Dodd)."""
    u = [[1, 1, 5, 2], [1, 1, 3, 4], [1 / 5, 1 / 3, 1, NAN], [1 / 2, 1 / 4, NAN, 1]]
    r = ahp.priorities(u, completion="optimal", ri_table="donegan-dodd-1991")
    assert r.matrix[2, 3] == pytest.approx(0.730297106886979, rel=1e-6)
    np.testing.assert_allclose(r.weights, [0.3738, 0.392, 0.0985, 0.1357], atol=5e-5)
    assert r.cr == pytest.approx(0.0372, abs=5e-5)
    assert r.missing == ((2, 3),)


def test_optimal_completion_minimises_lambda_max():
    """No other value of the missing entry gives a smaller lambda_max (the definition)."""
    u = np.array([[1, 1, 5, 2], [1, 1, 3, 4], [1 / 5, 1 / 3, 1, NAN], [1 / 2, 1 / 4, NAN, 1]])
    best = ahp.priorities(u, completion="optimal").lambda_max
    for x in np.exp(np.linspace(-3, 3, 301)):
        filled = np.where(np.isnan(u), 1.0, u)
        filled[2, 3], filled[3, 2] = x, 1 / x
        assert np.max(np.linalg.eigvals(filled).real) >= best - 1e-12


def test_harker_completion_is_a_fixed_point():
    """Harker (1987): the eigenvector of the modified matrix is the principal eigenvector of the
    matrix completed with w_i / w_j, and the weights of a consistent incomplete matrix are
    recovered exactly (derived by hand: every known a_ij = w_i / w_j)."""
    u = [[1, 1, 5, 2], [1, 1, 3, 4], [1 / 5, 1 / 3, 1, NAN], [1 / 2, 1 / 4, NAN, 1]]
    r = ahp.priorities(u)
    np.testing.assert_allclose(r.matrix @ r.weights, r.lambda_max * r.weights, rtol=1e-12)
    w = np.array([0.4, 0.3, 0.2, 0.1])
    a = np.outer(w, 1 / w)
    a[0, 3] = a[3, 0] = a[1, 2] = a[2, 1] = NAN
    for method in ("eigenvector", "geometric_mean"):
        np.testing.assert_allclose(ahp.priorities(a, method).weights, w, rtol=1e-12)


def test_geometric_mean_and_gci_by_hand():
    """Row geometric mean of [[1,2,4],[1/2,1,2],[1/4,1/2,1]] is (2, 1, 1/2)/3.5 (hand), the
    matrix is consistent so GCI = 0; [[1,2,8],[1/2,1,2],[1/8,1/2,1]] has row GMs
    (16^(1/3), 1, 16^(-1/3)) so every e_ij = a_ij w_j / w_i has |ln e| = ln(16)/3 - ln 2
    = ln(2)/3 (hand) and GCI = 2/(2*1) * 3 * (ln(2)/3)^2, under the n = 3 threshold 0.31."""
    r = ahp.priorities([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]], "geometric_mean")
    np.testing.assert_allclose(r.weights, np.array([2, 1, 0.5]) / 3.5, rtol=1e-12)
    assert r.gci == pytest.approx(0.0, abs=1e-15) and r.index == "GCI"
    r = ahp.priorities([[1, 2, 8], [1 / 2, 1, 2], [1 / 8, 1 / 2, 1]], "geometric_mean")
    assert r.gci == pytest.approx(3 * (math.log(2) / 3) ** 2, rel=1e-12)
    assert r.threshold == 0.31 and r.consistent and r.value == r.gci


def test_cr_by_hand_and_alonso_lamata():
    """CR = (lambda_max - n) / (n - 1) / RI(n) (Saaty 1980) with RI(3) = 0.58; the
    Alonso & Lamata (2006) ratio divides lambda_max - n by 1.7699 n - 4.3513 instead."""
    a = [[1, 2, 8], [1 / 2, 1, 2], [1 / 8, 1 / 2, 1]]
    lam = max(np.linalg.eigvals(np.array(a)).real)
    for table, ri in (
        ("saaty-1980", 0.58),
        ("alonso-lamata-2006", 0.5245),
        ("tummala-ling-1998", 0.5799),
    ):
        r = ahp.priorities(a, ri_table=table)
        assert r.cr == pytest.approx((lam - 3) / 2 / ri, rel=1e-12)
        assert r.ri == ri
    assert r.cr_alonso_lamata == pytest.approx((lam - 3) / (1.7699 * 3 - 4.3513), rel=1e-12)


def test_ri_tables_named_with_sources():
    assert {"saaty-1980", "alonso-lamata-2006", "donegan-dodd-1991"} <= set(ahp.RI_TABLES)
    assert ahp.DEFAULT_RI_TABLE == "saaty-1980"
    for t in ahp.RI_TABLES.values():
        assert t.source and t(1) == 0 and t(2) == 0 and all(t(n) > 0 for n in range(3, 16))
    # Saaty (1980)'s classic table at n = 3, 4, 5 (The Analytic Hierarchy Process, p. 21).
    assert [ahp.RI_TABLES["saaty-1980"](n) for n in (3, 4, 5)] == [0.58, 0.90, 1.12]
    with pytest.raises(CkmError, match="stops at n = 15"):
        ahp.RI_TABLES["saaty-1980"](16)


@pytest.mark.parametrize(("n", "expected"), [(3, 0.05), (4, 0.08), (5, 0.10), (12, 0.10)])
def test_saaty_thresholds(n, expected):
    """Saaty (1994): CR <= 0.05 (n = 3), 0.08 (n = 4), 0.10 (n >= 5)."""
    assert ahp.cr_threshold(n) == expected


@pytest.mark.parametrize("n", [1, 2])
def test_small_matrices_have_cr_zero(n):
    a = [[1.0]] if n == 1 else [[1, 3], [1 / 3, 1]]
    r = ahp.priorities(a)
    assert r.cr == 0 and r.ci == 0 and r.consistent
    np.testing.assert_allclose(r.weights, [1.0] if n == 1 else [0.75, 0.25], rtol=1e-12)


def test_disconnected_node_names_the_groups():
    a = np.full((4, 4), NAN)
    np.fill_diagonal(a, 1)
    a[0, 1], a[1, 0], a[2, 3], a[3, 2] = 2, 0.5, 3, 1 / 3
    with pytest.raises(IncompleteMatrixError, match=r"unlinked groups: a, b \| c, d") as info:
        ahp.priorities(a, labels=["a", "b", "c", "d"])
    assert info.value.groups == [["a", "b"], ["c", "d"]]


def test_not_reciprocal_is_named():
    with pytest.raises(CkmError, match=r"matrix\[1, 0\] should be 0.2, because matrix\[0, 1\]"):
        ahp.priorities([[1, 5], [0.5, 1]])


def test_rounded_reciprocal_accepted():
    """0.333 stands for 1/3: users type rounded reciprocals."""
    r = ahp.priorities([[1, 3, 1], [0.333, 1, 0.333], [1, 3, 1]])
    np.testing.assert_allclose(r.weights, [3 / 7, 1 / 7, 3 / 7], rtol=1e-3)


def test_diagnosis_finds_the_planted_error():
    """A consistent 4x4 (w = 8:4:2:1, a_ij = w_i / w_j) with a_14 flipped from 8 to 1/8: the
    diagnosis must point at (0, 3), suggest 8 (the value the others imply) and CR 0 after."""
    w = np.array([8.0, 4, 2, 1])
    a = np.outer(w, 1 / w)
    a[0, 3], a[3, 0] = 1 / 8, 8
    before = ahp.priorities(a)
    assert not before.consistent
    fixes = ahp.diagnose(a)
    assert (fixes[0].i, fixes[0].j) == (0, 3)
    assert fixes[0].suggested == 8 and fixes[0].value_after == pytest.approx(0, abs=1e-12)
    assert fixes[0].error < 1  # e_14 < 1: the judgement understates row 1 against row 4


def test_aggregate_aij_by_hand():
    """Weighted geometric mean (Aczél & Saaty 1983): 4^(2/3) * 1^(1/3) for weights 2:1."""
    g = ahp.aggregate([[[1, 4], [1 / 4, 1]], [[1, 1], [1, 1]]], weights=[2, 1])
    assert g[0, 1] == pytest.approx(4 ** (2 / 3), rel=1e-12)
    assert g[1, 0] == pytest.approx(4 ** (-2 / 3), rel=1e-12)


def test_aggregate_skips_missing_pairs():
    a = [[1, 2, NAN], [0.5, 1, 3], [NAN, 1 / 3, 1]]
    b = [[1, 8, 2], [1 / 8, 1, 3], [0.5, 1 / 3, 1]]
    g = ahp.aggregate([a, b])
    assert g[0, 2] == pytest.approx(2) and g[0, 1] == pytest.approx(4)


def test_aip_by_hand():
    v = ahp.aggregate_priorities([[0.6, 0.4], [0.2, 0.8]], weights=[3, 1])
    np.testing.assert_allclose(v, [0.5, 0.5], rtol=1e-12)


def test_consensus_identical_experts_is_full():
    """Identical priorities: beta diversity 1, so S* = 1 (Goepel 2013)."""
    c = goepel.consensus([[0.5, 0.3, 0.2]] * 4)
    assert c.s_star == pytest.approx(1.0) and c.band == "very high"


def test_consensus_by_hand():
    """Two experts (1, 0+, 0+) and (0+, 1, 0+)-like vectors on n = 2: H_alpha = mean entropy,
    H_gamma = entropy of the mean; M = exp(H_alpha - H_gamma); S* rescales M between
    D_alpha_min / n and 1 with D_alpha_min the diversity of (9, 1) / 10 (hand computed)."""
    p = np.array([[0.9, 0.1], [0.1, 0.9]])
    h = -(0.9 * math.log(0.9) + 0.1 * math.log(0.1))
    m = math.exp(h - math.log(2))
    low = math.exp(h) / 2
    assert goepel.s_star(p) == pytest.approx((m - low) / (1 - low), abs=1e-12)
    assert goepel.s_star(p) == pytest.approx(0.0, abs=1e-12)  # the two extremes the scale allows


def test_consensus_farthest_expert():
    c = goepel.consensus([[0.5, 0.3, 0.2], [0.52, 0.28, 0.2], [0.1, 0.2, 0.7]])
    assert c.farthest == 2 and c.s_without_farthest > c.s_star


# ---------------------------------------------------------------- properties
weights_st = st.lists(st.floats(0.05, 1.0), min_size=3, max_size=8).map(
    lambda w: np.array(w) / np.sum(w)
)


@given(weights_st, st.sampled_from(ahp.METHODS))
def test_consistent_matrix_gives_back_w(w, method):
    """a_ij = w_i / w_j is consistent: both methods return w, CR = 0 (Saaty 1977)."""
    r = ahp.priorities(np.outer(w, 1 / w), method)
    np.testing.assert_allclose(r.weights, w, rtol=1e-9)
    assert r.cr == pytest.approx(0, abs=1e-9) and r.gci == pytest.approx(0, abs=1e-9)


def random_matrix(draw_values: list[int], n: int) -> np.ndarray:
    a = np.ones((n, n))
    k = 0
    for i in range(n):
        for j in range(i + 1, n):
            v = float(draw_values[k % len(draw_values)])
            v = v if v > 0 else 1 / (2 - v)
            a[i, j], a[j, i] = v, 1 / v
            k += 1
    return a


matrices_st = st.integers(3, 7).flatmap(
    lambda n: st.lists(
        st.integers(-7, 9).filter(lambda x: x != 0), min_size=n * n, max_size=n * n
    ).map(lambda vals: random_matrix(vals, n))
)


@settings(max_examples=60)
@given(matrices_st, st.sampled_from(ahp.METHODS))
def test_permuting_criteria_permutes_weights(a, method):
    perm = np.random.default_rng(len(a)).permutation(len(a))
    r = ahp.priorities(a, method)
    rp = ahp.priorities(a[np.ix_(perm, perm)], method)
    np.testing.assert_allclose(rp.weights, r.weights[perm], rtol=1e-9, atol=1e-12)
    assert rp.cr == pytest.approx(r.cr, abs=1e-9)


@settings(max_examples=60)
@given(matrices_st)
def test_reciprocity_transpose_inverts_preferences(a):
    """Transposing A (every judgement reversed) gives the transposed matrix of reciprocals;
    its geometric-mean weights are the normalised reciprocals of A's (Crawford & Williams)."""
    w = ahp.priorities(a, "geometric_mean").weights
    wt = ahp.priorities(a.T, "geometric_mean").weights
    np.testing.assert_allclose(wt, (1 / w) / np.sum(1 / w), rtol=1e-9)
    r = ahp.priorities(a)
    assert r.lambda_max >= len(a) - 1e-9  # Saaty: lambda_max >= n for reciprocal matrices


@settings(max_examples=40)
@given(matrices_st, st.integers(1, 5))
def test_identical_panel_aggregates_to_that_expert(a, k):
    g = ahp.aggregate([a] * k, weights=list(range(1, k + 1)))
    np.testing.assert_allclose(g, a, rtol=1e-12)
    np.testing.assert_allclose(
        ahp.aggregate_priorities([ahp.priorities(a).weights] * k), ahp.priorities(a).weights
    )


# -- issue 14 point 9: precision -----------------------------------------------------------------


def test_optimal_completion_bozoki_2010_example_to_1e9():
    """Bozóki, Fülöp & Rónyai (2010), Example 3 (the 4x4 U with x = u_34 missing): van Uden's
    approximation x = sqrt(2/5 * 4/3) = 0.73029674334, and their algorithm's optimum
    x = 0.7302965066047, "equal to van Uden's up to 6 digits". For n = 4 the lambda_max-optimal
    and the logarithmic least-squares completions coincide (Ágoston, Bozóki & Csató 2024), so
    the exact optimum is sqrt(8/15); checked here to 1e-9 relative, and against the paper's
    printed value to its 6 digits."""
    u = [[1, 1, 5, 2], [1, 1, 3, 4], [1 / 5, 1 / 3, 1, NAN], [1 / 2, 1 / 4, NAN, 1]]
    x = ahp.priorities(u, completion="optimal").matrix[2, 3]
    assert x == pytest.approx(np.sqrt(8 / 15), rel=1e-9)
    assert x == pytest.approx(0.7302965066047, rel=1e-6)


def test_optimal_completion_5x5_two_missing_to_1e9():
    """Two missing entries in a 5x5 (where the least-squares start is far from the optimum:
    3.42 vs 3.10). Reference: the zero of the gradient of lambda_max in the logs of the missing
    entries, found by mpmath at 30 digits (mp.findroot on mp.diff of the largest eigenvalue of
    mp.eig): x_13 = 3.10475138275561649662, x_24 = 1.00094406832100141636, lambda_max
    5.75247822235517981416."""
    u = np.array(
        [
            [1, 3, NAN, 5, 2],
            [1 / 3, 1, 2, NAN, 4],
            [NAN, 1 / 2, 1, 1 / 2, 3],
            [1 / 5, NAN, 2, 1, 7],
            [1 / 2, 1 / 4, 1 / 3, 1 / 7, 1],
        ]
    )
    r = ahp.priorities(u, completion="optimal")
    assert r.matrix[0, 2] == pytest.approx(3.10475138275561649662, rel=1e-9)
    assert r.matrix[1, 3] == pytest.approx(1.00094406832100141636, rel=1e-9)
    assert r.lambda_max == pytest.approx(5.75247822235517981416, rel=1e-12)


@pytest.mark.parametrize(
    ("s", "band"),
    [
        (0.5, "very low"),
        (0.5000001, "low"),
        (0.625, "low"),
        (0.75, "moderate"),
        (0.875, "high"),
        (0.8750001, "very high"),
        (1.0, "very high"),
        (0.0, "very low"),
    ],
)
def test_consensus_band_edges_as_ahp_os(s, band):
    """AHP-OS, classes/AhpGroup.php, consensusWording($c) with c in percent: $c <= 50 very low,
    $c > 50 && $c <= 62.5 low, ... $c > 87.5 very high (Goepel 2013): edges belong below."""
    assert goepel.consensus_band(s) == band


@pytest.mark.parametrize(("a14", "k"), [(8.0, 0.0), (4.0, 0.5), (6.0, 0.25), (16.0, 0.5)])
def test_koczkodaj_index_by_hand(a14, k):
    """From the consistent matrix of w = (8, 4, 2, 1), only a_14 changed: the triads (1,2,4)
    and (1,3,4) both have a_ij a_jk = 8, so K = min(|1 - a14/8|, |1 - 8/a14|): 4 -> 0.5,
    6 -> min(0.25, 1/3) = 0.25, 16 -> min(1, 0.5) = 0.5 (Koczkodaj 1993)."""
    w = np.array([8.0, 4.0, 2.0, 1.0])
    a = np.outer(w, 1 / w)
    a[0, 3], a[3, 0] = a14, 1 / a14
    assert ahp.koczkodaj(a) == pytest.approx(k, abs=1e-15)
    assert ahp.priorities(a).koczkodaj == pytest.approx(k, abs=1e-15)


def test_koczkodaj_skips_triads_with_a_missing_judgement():
    a = np.array([[1, 2, NAN], [1 / 2, 1, 2], [NAN, 1 / 2, 1]])
    assert ahp.koczkodaj(a) == 0.0
