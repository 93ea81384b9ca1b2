"""Tests of mcda_ckm.weights.panel on the bundled case and small hand-made panels."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcda_ckm.errors import CaseError, ConsistencyError, IncompleteMatrixError
from mcda_ckm.model.case import load_case
from mcda_ckm.model.judgements import ExpertJudgements, Judgement, load_expert
from mcda_ckm.model.settings import AhpSettings
from mcda_ckm.weights import ahp
from mcda_ckm.weights.panel import evaluate, evaluate_case
from tests.conftest import CASE


@pytest.fixture(scope="module")
def case():
    return load_case(CASE)


def by_id(result, node, expert):
    return next(e for e in result.nodes[node].experts if e.expert == expert)


def test_bundled_case_shows_diagnosis_and_completion(case):
    r = evaluate(case.tree, case.experts)
    sales = by_id(r, "knowledge_value", "sales_director")
    assert not sales.priorities.consistent and sales.priorities.cr > 0.08
    fix = sales.suggestions[0]
    assert fix.value_after < sales.priorities.cr
    assert fix.suggested in ahp.scale.VALUES
    service = by_id(r, "willingness", "service_manager")
    assert service.missing == (("active_contact_frequency", "passive_acceptance_rate"),)
    assert abs(r.global_weights.sum() - 1) < 1e-12
    assert r.ri_table == "saaty-1980"


def test_group_is_the_weighted_geometric_mean(case):
    """AIJ: the group matrix is the expert-weighted geometric mean of the individual matrices
    (Forman & Peniwati 1998), so its priorities are those of ahp.aggregate."""
    r = evaluate(case.tree, case.experts)
    node = "goal"
    mats = [e.matrix(case.tree, node) for e in case.experts]
    expected = ahp.priorities(ahp.aggregate(mats, [e.weight for e in case.experts])).weights
    np.testing.assert_allclose(r.nodes[node].weights, expected, rtol=1e-12)


def test_global_weights_compose_local(case):
    r = evaluate(case.tree, case.experts, AhpSettings(aggregation="aip"))
    w = dict(zip(r.leaves, r.global_weights, strict=True))
    goal = r.nodes["goal"].weights
    dims = r.nodes["goal"].criteria
    for d, wd in zip(dims, goal, strict=True):
        for c, wc in zip(r.nodes[d].criteria, r.nodes[d].weights, strict=True):
            assert w[c] == pytest.approx(wd * wc, rel=1e-12)


def test_policy_exclude_drops_the_inconsistent_expert_at_that_node(case):
    r = evaluate(case.tree, case.experts, AhpSettings(inconsistent_experts="exclude"))
    assert by_id(r, "knowledge_value", "sales_director").excluded
    others = [e for e in case.experts if e.id != "sales_director"]
    mats = [e.matrix(case.tree, "knowledge_value") for e in others]
    expected = ahp.priorities(ahp.aggregate(mats, [e.weight for e in others])).weights
    np.testing.assert_allclose(r.nodes["knowledge_value"].weights, expected, rtol=1e-12)
    assert not by_id(r, "goal", "sales_director").excluded


def test_policy_error_names_file_node_and_fix(case):
    with pytest.raises(
        ConsistencyError,
        match=r"sales_director\.toml: \[judgements\.knowledge_value\]: CR = 0\.\d+ is over the "
        r"threshold 0\.08; revise",
    ):
        evaluate(case.tree, case.experts, AhpSettings(inconsistent_experts="error"))


def test_disconnected_expert_names_file_and_groups(write, huang):
    path = write(
        "x.toml",
        "[judgements.knowledge_value]\n"
        '"base_potential vs growth_potential" = 3\n'
        '"networking_potential vs learning_potential" = 2\n',
    )
    e = load_expert(path, huang)
    with pytest.raises(
        IncompleteMatrixError,
        match=r"x\.toml: \[judgements\.knowledge_value\]: the comparisons do not link all "
        r"criteria; unlinked groups: base_potential, growth_potential \| networking_potential, "
        r"learning_potential",
    ):
        evaluate(huang, [full(huang), e])


def full(tree):
    return synthetic(tree, {n: np.ones(len(tree.children(n))) for n in tree.inner_nodes}, "full")


def test_node_nobody_answered(write, huang):
    goal = (
        '[judgements.goal]\n"knowledge_value vs willingness" = 3\n'
        '"willingness vs absorptive_capacity" = 1\n'
    )
    e = load_expert(write("x.toml", goal), huang)
    with pytest.raises(CaseError, match='node "knowledge_value": no expert answered'):
        evaluate(huang, [e])


def synthetic(tree, w_by_node, name="e", weight=1.0):
    js = []
    for node, w in w_by_node.items():
        kids = tree.children(node)
        for i in range(len(kids)):
            for j in range(i + 1, len(kids)):
                js.append(Judgement(node, kids[i], kids[j], w[i] / w[j], f"{node}:{i}{j}"))
    return ExpertJudgements(id=name, name=name, role="", weight=weight, judgements=tuple(js))


simplex3 = st.lists(st.floats(0.05, 1), min_size=3, max_size=3)
simplex4 = st.lists(st.floats(0.05, 1), min_size=4, max_size=4)


@settings(max_examples=25, deadline=None)
@given(simplex3, simplex4, simplex4, simplex4, st.integers(1, 4))
def test_identical_experts_aggregate_to_that_expert(huang, g, a, b, c, k):
    """A panel of k identical consistent experts gives that expert's weights, and the global
    weights are the products of the true local weights (hand: consistent a_ij = w_i / w_j)."""
    truth = {"goal": g, "knowledge_value": a, "willingness": b, "absorptive_capacity": c}
    truth = {n: np.array(v) / np.sum(v) for n, v in truth.items()}
    panel = [synthetic(huang, truth, f"e{i}", weight=i + 1) for i in range(k)]
    for aggregation in ("aij", "aip"):
        r = evaluate(huang, panel, AhpSettings(aggregation=aggregation))
        np.testing.assert_allclose(r.global_weights, huang.compose(truth), rtol=1e-9)
        if k >= 2:
            assert r.nodes["goal"].consensus.s_star == pytest.approx(1.0)


# -- evaluate_case: the case's own [ahp] settings -----------------------------------------------


def test_evaluate_case_uses_the_case_settings(case):
    """The bundled case's [ahp] is the default; the result carries the settings it used."""
    r = evaluate_case(case)
    assert r.settings == case.settings.ahp
    np.testing.assert_array_equal(
        r.global_weights, evaluate(case.tree, case.experts).global_weights
    )


def test_evaluate_case_with_overrides_equals_evaluate(case):
    settings = case.settings.ahp.with_overrides(method="geometric_mean", aggregation="aip")
    r = evaluate_case(case, settings)
    assert (r.method, r.aggregation, r.ri_table) == ("geometric_mean", "aip", "saaty-1980")
    expected = evaluate(case.tree, case.experts, settings).global_weights
    np.testing.assert_array_equal(r.global_weights, expected)
    assert not np.allclose(r.global_weights, evaluate_case(case).global_weights, atol=1e-6)


def test_evaluate_case_reads_ahp_from_case_toml(tmp_path):
    """A copy of the bundled case with [ahp] aggregation = "aip": evaluate_case follows it
    (AIP: the weighted mean of the experts' priorities, Forman & Peniwati 1998)."""
    import shutil

    from tests.conftest import HUANG

    dst = tmp_path / "case"
    shutil.copytree(CASE, dst)
    toml = dst / "case.toml"
    text = toml.read_text(encoding="utf-8").replace(
        "../../criteria/ckm-huang2008.toml", HUANG.as_posix()
    )
    toml.write_text(text.replace('aggregation = "aij"', 'aggregation = "aip"'), encoding="utf-8")
    c = load_case(dst)
    r = evaluate_case(c)
    assert r.aggregation == "aip"
    node = "goal"
    vectors = [ahp.priorities(e.matrix(c.tree, node)).weights for e in c.experts]
    expected = ahp.aggregate_priorities(vectors, [e.weight for e in c.experts])
    np.testing.assert_allclose(r.nodes[node].weights, expected, rtol=1e-12)


def test_evaluate_case_with_fixed_weights_is_an_error():
    from tests.conftest import FIGHTER

    with pytest.raises(
        CaseError, match=r"case\.toml: this case has fixed \[weights\] and no expert panel"
    ):
        evaluate_case(load_case(FIGHTER))


# -- issue 14 point 3: the panel's quality, named -----------------------------------------------


def _unfinished(case):
    """The bundled panel plus an expert who answered only the goal node and is in progress."""
    goal = [j for j in case.experts[0].judgements if j.node == "goal"]
    late = ExpertJudgements("late", "Late Li", "", 1.0, tuple(goal), in_progress=True)
    return [*case.experts, late]


def test_expert_in_progress_left_out_by_default_and_named(case):
    experts = _unfinished(case)
    r = evaluate(case.tree, experts)
    full = evaluate(case.tree, case.experts)
    assert [e.id for e in r.experts] == [e.id for e in case.experts]
    np.testing.assert_allclose(r.global_weights, full.global_weights, rtol=1e-12)
    assert [e.id for e in r.quality.in_progress] == ["late"]
    assert r.quality.unfinished == "exclude"


def test_expert_in_progress_included_on_request_and_nodes_named(case):
    r = evaluate(case.tree, _unfinished(case), unfinished="include")
    assert "late" in [e.id for e in r.experts]
    assert ("late", "willingness") in r.quality.empty_nodes
    assert "late" in r.quality.flagged
    # without the flagged experts (late, and sales_director kept over the threshold)
    rest = [e for e in case.experts if e.id != "sales_director"]
    np.testing.assert_allclose(
        r.quality.without_flagged, evaluate(case.tree, rest).global_weights, rtol=1e-12
    )


def test_over_threshold_listed_kept_or_excluded(case):
    kept = evaluate(case.tree, case.experts).quality.over_threshold
    assert [(o.expert, o.node, o.excluded) for o in kept] == [
        ("sales_director", "knowledge_value", False)
    ]
    assert kept[0].value > kept[0].threshold
    out = evaluate(case.tree, case.experts, AhpSettings(inconsistent_experts="exclude"))
    assert out.quality.over_threshold[0].excluded


def test_every_expert_in_progress_is_an_error(case):
    late = [
        ExpertJudgements(e.id, e.name, "", 1.0, e.judgements, in_progress=True)
        for e in case.experts
    ]
    with pytest.raises(CaseError, match=r"every expert is still in progress.*unfinished"):
        evaluate(case.tree, late)


def test_unfinished_setting_is_checked(tmp_path):
    from mcda_ckm.model.settings import read_panel

    with pytest.raises(CaseError, match=r"\[panel\] unfinished: 'exlude' is not a choice"):
        read_panel({"unfinished": "exlude"})
    assert read_panel({}).unfinished == "exclude"


# -- issue 14 point 4: missing pairs, a named choice --------------------------------------------


def _two_experts():
    """A gives every pair (consistent: 2, 4, 2); B skips a vs b and gives a/c = 6, b/c = 2, so
    every completion (Harker 1987, optimal, least squares) gives B's a/b = 6 / 2 = 3 exactly."""
    from mcda_ckm.model.tree import flat_tree

    tree = flat_tree(["a", "b", "c"])
    a = ExpertJudgements(
        "a",
        "A",
        "",
        1.0,
        (
            Judgement("goal", "a", "b", 2.0, ""),
            Judgement("goal", "a", "c", 4.0, ""),
            Judgement("goal", "b", "c", 2.0, ""),
        ),
    )
    b = ExpertJudgements(
        "b",
        "B",
        "",
        1.0,
        (Judgement("goal", "a", "c", 6.0, ""), Judgement("goal", "b", "c", 2.0, "")),
    )
    return tree, [a, b]


@pytest.mark.parametrize(
    ("missing_pairs", "a_over_b"), [("pool", 2.0), ("complete", float(np.sqrt(2 * 3)))]
)
def test_missing_pairs_pool_or_complete(missing_pairs, a_over_b):
    """Pool: the group's a/b is the geometric mean over the experts who gave it (A's 2);
    complete: over A's 2 and B's completed 3, sqrt(6)."""
    tree, experts = _two_experts()
    r = evaluate(tree, experts, AhpSettings(missing_pairs=missing_pairs))
    g = r.nodes["goal"].group.matrix
    assert g[0, 1] == pytest.approx(a_over_b, rel=1e-12)
    assert g[0, 2] == pytest.approx(np.sqrt(4 * 6), rel=1e-12)
    q = r.quality
    assert q.missing_pairs == missing_pairs
    assert [(c.expert, c.first, c.second) for c in q.completed] == [("b", "a", "b")]
    assert q.completed[0].value == pytest.approx(3.0, rel=1e-9)


def test_missing_pairs_setting_is_checked():
    from mcda_ckm.model.settings import read_ahp

    with pytest.raises(CaseError, match=r"\[ahp\] missing_pairs: 'pooled' is not a choice"):
        read_ahp({"missing_pairs": "pooled"})
    assert read_ahp({}).missing_pairs == "pool"
