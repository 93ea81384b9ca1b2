"""The web questionnaire, driven as an expert would through its forms (Starlette's test client):
node by node, progress, checks with the suggestion, skip, back, resume, the files written."""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pytest
from starlette.testclient import TestClient

from mcda_ckm.elicit.interview import load_setup
from mcda_ckm.model import scale
from mcda_ckm.model.case import load_case
from mcda_ckm.model.judgements import load_expert, progress_path
from mcda_ckm.serve.app import create_app
from mcda_ckm.serve.links import issue, read_links
from mcda_ckm.weights import ahp
from mcda_ckm.weights.panel import evaluate_case
from tests.serve.conftest import hidden, notice

# Weights whose ratios are all on the scale (1, 2, 4): answers derived from them are perfectly
# consistent (CR 0), so the hand-made inconsistent answers below are the only ones flagged.
W = {
    "knowledge_value": 4,
    "willingness": 2,
    "absorptive_capacity": 1,
    "base_potential": 4,
    "growth_potential": 2,
    "networking_potential": 2,
    "learning_potential": 1,
    "active_contact_frequency": 1,
    "passive_acceptance_rate": 2,
    "trust": 4,
    "perceived_benefit": 2,
    "source_diversity": 1,
    "prior_knowledge": 2,
    "employee_motivation": 2,
    "it_support": 4,
}
MAX_STEPS = 80  # 21 pairs, 4 checks and a few revisions: a walk never needs more


def consistent(step: str) -> str:
    _, _node, a, b = step.split(":")
    return scale.fmt(W[a] / W[b])


def get(client: TestClient, token: str, query: str = "") -> str:
    r = client.get(f"/e/{token}{query}")
    assert r.status_code == 200, r.text
    return r.text


def post(client: TestClient, token: str, html: str, **data: str):
    return client.post(f"/e/{token}", data={**hidden(html), **data}, follow_redirects=False)


def walk(client: TestClient, token: str, answer=consistent, on_check: str = "accept") -> str:
    """Answer every pair with ``answer(step)``, and ``on_check`` at each check; the last page."""
    for _ in range(MAX_STEPS):
        html = get(client, token)
        step = hidden(html).get("step", "")
        if step.startswith("q:"):
            r = post(client, token, html, action="answer", value=answer(step))
        elif step.startswith("c:"):
            choice = on_check if 'id="suggestion"' in html else "accept"
            r = post(client, token, html, action=choice)
        else:
            return html
        assert r.status_code == 303, r.text
    raise AssertionError("the questionnaire did not end")


def test_a_whole_questionnaire_writes_the_judgement_file_that_ckm_run_reads(
    case: Path, client: TestClient, tokens: dict[str, str]
) -> None:
    html = walk(client, tokens["new_one"])
    assert "All 21 pairs are done (21 answered)" in html
    path = case / "panel" / "new_one.toml"
    tree = load_setup(case).tree
    e = load_expert(path, tree)
    assert e.name == "New One" and not e.in_progress
    assert len(e.judgements) == 21
    for j in e.judgements:  # every value as posted: the ratio of the weights above
        assert j.value == pytest.approx(W[j.first] / W[j.second], rel=1e-12)
    assert {n for n, _ in e.trail.answered} == set(tree.inner_nodes)
    assert e.order_seed == read_links(case).expert("new_one").seed
    assert not progress_path(path).exists()
    # ckm run needs nothing else: the case loads with the new expert, whose local weights are
    # the weights above (CR 0), normalised.
    result = evaluate_case(load_case(case))
    node = result.nodes["willingness"]
    mine = next(x for x in node.experts if x.expert == "new_one")
    w = np.array([W[c] for c in tree.children("willingness")], dtype=float)
    np.testing.assert_allclose(mine.priorities.weights, w / w.sum(), rtol=1e-9)


def test_progress_says_how_many_of_all_pairs(client: TestClient, tokens: dict[str, str]) -> None:
    token = tokens["new_one"]
    html = get(client, token)
    assert '<span id="progress-text">0 of 21</span>' in html
    assert '<progress id="progress" max="21" value="0">' in html
    post(client, token, html, action="answer", value=consistent(hidden(html)["step"]))
    assert '<span id="progress-text">1 of 21</span>' in get(client, token)


def test_each_pair_on_a_two_sided_scale_in_words_and_numbers(
    client: TestClient, tokens: dict[str, str]
) -> None:
    html = get(client, tokens["new_one"])
    _, _, a, b = hidden(html)["step"].split(":")
    tree = client.app.state.store.setup.tree
    la, lb = tree.label(a), tree.label(b)
    labels = re.findall(r'<span class="sr">([^<]*)</span>', html)
    assert len(labels) == 17
    assert labels[0] == f"{la} over {lb}, extreme (9)"
    assert labels[8] == f"{la} and {lb} equal (1)"
    assert labels[9] == f"{lb} over {la}, equal to moderate (2)"
    assert labels[16] == f"{lb} over {la}, extreme (9)"
    values = re.findall(r'<input type="radio" name="value" id="v\d+" value="([^"]+)"', html)
    assert values == ["9", "8", "7", "6", "5", "4", "3", "2", "1"] + [
        f"1/{k}" for k in range(2, 10)
    ]
    assert "<fieldset>" in html and "<legend>" in html


def test_an_inconsistent_node_shows_the_most_out_of_line_judgement_and_takes_it(
    case: Path, client: TestClient, tokens: dict[str, str]
) -> None:
    token = tokens["new_one"]
    # The goal node: knowledge value 2 x willingness, willingness 2 x absorptive capacity, but
    # absorptive capacity 4 x knowledge value (instead of 1/4): a cycle, CR far over 0.05.
    given = {
        ("knowledge_value", "willingness"): 2.0,
        ("willingness", "absorptive_capacity"): 2.0,
        ("knowledge_value", "absorptive_capacity"): 0.25,
    }
    for _ in range(3):
        html = get(client, token)
        _, _, a, b = hidden(html)["step"].split(":")
        value = given[(a, b)] if (a, b) in given else 1 / given[(b, a)]
        post(client, token, html, action="answer", value=scale.fmt(value))
    html = get(client, token)
    assert hidden(html)["step"].startswith("c:goal:")
    kids = ["knowledge_value", "willingness", "absorptive_capacity"]
    m = np.ones((3, 3))
    for (a, b), v in given.items():
        m[kids.index(a), kids.index(b)], m[kids.index(b), kids.index(a)] = v, 1 / v
    cr = ahp.priorities(m, ri_table="saaty-1980").cr
    assert f"CR = {cr:.3f} (threshold 0.05)" in html
    shown = re.search(r'id="suggestion">([^<]*)<', html).group(1).replace("&gt;", ">")
    # The suggestion names one given pair, its value now and a value on the scale; with that one
    # change the CR is what the sentence says, and under the threshold.
    said = re.match(r"(.+) -> (.+); CR after this change (\d\.\d{3})$", shown)
    assert said, shown
    r = post(client, token, html, action="take")
    assert r.status_code == 303
    html = get(client, token)
    assert "Changed: " in notice(html)
    e = load_expert(case / "panel" / "new_one.toml", load_setup(case).tree)
    (rev,) = e.trail.revised
    assert rev.by == "ckm serve" and rev.node == "goal"
    assert rev.original == pytest.approx(
        given.get((rev.first, rev.second), 0) or 1 / given[(rev.second, rev.first)]
    )
    now = np.array(m)
    i, j = kids.index(rev.first), kids.index(rev.second)
    now[i, j], now[j, i] = rev.suggested, 1 / rev.suggested
    after = ahp.priorities(now, ri_table="saaty-1980").cr
    assert f"{after:.3f}" == said.group(3) and after <= 0.05
    assert rev.suggested in scale.VALUES
    stored = next(x for x in e.judgements if {x.first, x.second} == {rev.first, rev.second})
    assert stored.value == pytest.approx(
        rev.suggested
        if (stored.first, stored.second) == (rev.first, rev.second)
        else 1 / rev.suggested
    )


def test_keeping_inconsistent_answers_records_the_node_and_no_revision(
    case: Path, client: TestClient, tokens: dict[str, str]
) -> None:
    cycle = {("knowledge_value", "willingness"): "2", ("willingness", "absorptive_capacity"): "2"}

    def answer(step: str) -> str:
        _, node, a, b = step.split(":")
        if node == "goal":
            return cycle.get((a, b)) or (
                "1/2" if (b, a) in cycle else "1/4" if a == "knowledge_value" else "4"
            )
        return consistent(step)

    html = walk(client, tokens["new_one"], answer, on_check="keep")
    assert "All 21 pairs are done" in html
    e = load_expert(case / "panel" / "new_one.toml", load_setup(case).tree)
    assert e.trail.revised == () and e.trail.answered_at("goal")
    assert not e.in_progress


def test_skip_a_pair_and_a_skip_that_would_unlink_the_node_is_refused(
    case: Path, client: TestClient, tokens: dict[str, str]
) -> None:
    token = tokens["new_one"]
    html = get(client, token)
    first = hidden(html)["step"]
    assert post(client, token, html, action="skip").status_code == 303
    html = get(client, token)
    assert notice(html).startswith("Skipped: ")
    assert '<span id="progress-text">1 of 21</span>' in html
    second = hidden(html)["step"]
    r = post(client, token, html, action="skip")
    assert r.status_code == 422
    assert "cannot be skipped" in notice(r.text) and 'role="alert"' in r.text
    assert hidden(r.text)["step"] == second  # still asked
    assert first != second
    # the skipped pair stays missing in the file once the node is done
    for _ in range(2):
        html = get(client, token)
        if hidden(html)["step"].startswith("q:"):
            post(client, token, html, action="answer", value=consistent(hidden(html)["step"]))
    html = get(client, token)
    assert hidden(html)["step"].startswith("c:goal:")
    post(client, token, html, action="accept")
    e = load_expert(case / "panel" / "new_one.toml", load_setup(case).tree)
    assert len(e.for_node("goal")) == 2
    _, _, a, b = first.split(":")
    assert not any({j.first, j.second} == {a, b} for j in e.for_node("goal"))


def test_back_asks_the_previous_pair_again_with_its_answer(
    client: TestClient, tokens: dict[str, str]
) -> None:
    token = tokens["new_one"]
    html = get(client, token)
    first = hidden(html)["step"]
    assert 'value="back"' not in html  # nothing to go back to yet
    post(client, token, html, action="answer", value="1/3")
    html = get(client, token)
    assert post(client, token, html, action="back").status_code == 303
    html = get(client, token)
    assert hidden(html)["step"] == first
    assert re.search(r'value="1/3" checked>', html)
    assert "Your answer so far: " in html


def test_resume_after_a_restart_loses_nothing(
    case: Path, client: TestClient, tokens: dict[str, str]
) -> None:
    token = tokens["new_one"]
    html = get(client, token)
    skipped = hidden(html)["step"]
    post(client, token, html, action="skip")
    for _ in range(2):
        html = get(client, token)
        post(client, token, html, action="answer", value=consistent(hidden(html)["step"]))
    post(client, token, get(client, token), action="accept")  # goal done, one pair skipped
    html = get(client, token)
    post(client, token, html, action="answer", value=consistent(hidden(html)["step"]))
    before = get(client, token)
    assert progress_path(case / "panel" / "new_one.toml").exists()  # a node in progress
    restarted = TestClient(create_app(case))  # a new server: nothing in memory
    after = restarted.get(f"/e/{token}").text
    assert hidden(after)["step"] == hidden(before)["step"]
    assert '<span id="progress-text">4 of 21</span>' in after
    assert skipped.split(":")[0] == "q" and "q:goal:" not in hidden(after)["step"]


def test_a_form_for_another_step_changes_nothing(
    case: Path, client: TestClient, tokens: dict[str, str]
) -> None:
    token = tokens["new_one"]
    old = get(client, token)
    post(client, token, old, action="answer", value="2")
    text = (case / "panel" / "new_one.toml").read_text(encoding="utf-8")
    r = post(client, token, old, action="answer", value="9")  # the browser's back button
    assert r.status_code == 409 and "out of date" in notice(r.text)
    assert (case / "panel" / "new_one.toml").read_text(encoding="utf-8") == text


def test_no_choice_is_asked_again(client: TestClient, tokens: dict[str, str]) -> None:
    html = get(client, tokens["new_one"])
    r = post(client, tokens["new_one"], html, action="answer")
    assert (
        r.status_code == 422 and notice(r.text) == "Choose one of the answers, or skip this pair."
    )


def test_pairs_are_shuffled_per_expert_with_the_recorded_seed(
    case: Path, client: TestClient, tokens: dict[str, str]
) -> None:
    tree = load_setup(case).tree
    for expert in ("new_one", "new_two"):
        token = tokens[expert]
        seed = read_links(case).expert(expert).seed
        kids = tree.children("goal")
        expected = [(kids[i], kids[j]) for i in range(3) for j in range(i + 1, 3)]
        random.Random(seed).shuffle(expected)  # the goal node comes first in the shuffle
        asked = []
        for _ in range(3):
            html = get(client, token)
            _, _, a, b = hidden(html)["step"].split(":")
            asked.append((a, b))
            post(client, token, html, action="answer", value=consistent(hidden(html)["step"]))
        assert asked == expected
        assert load_expert(case / "panel" / f"{expert}.toml", tree).order_seed == seed


def test_chinese_pages(case: Path, tokens: dict[str, str]) -> None:
    (zh,) = [i for i in issue(case, {"wang": "王伟"}, lang="zh") if i.link.id == "wang"]
    client = TestClient(create_app(case))
    html = get(client, zh.token)
    assert '<html lang="zh-CN">' in html and "王伟 的问卷" in html
    assert "关键客户知识源" in html and "0 / 21" in html
    assert "比" in re.findall(r'<span class="sr">([^<]*)</span>', html)[0]
    assert "保存并继续" in html and "跳过此对" in html
    english = get(client, zh.token, "?lang=en")
    assert '<html lang="en">' in english and "Save and continue" in english
    assert 'action="/e/' + zh.token + '?lang=en"' in english


def test_an_expert_who_is_done_sees_their_weights(
    client: TestClient, tokens: dict[str, str]
) -> None:
    html = walk(client, tokens["new_two"])
    assert html.count('<table class="weights">') == 4
    assert "Thank you" in html


def test_a_file_broken_by_hand_is_reported_and_left_alone(
    case: Path, client: TestClient, tokens: dict[str, str]
) -> None:
    token = tokens["new_one"]
    html = get(client, token)
    post(client, token, html, action="answer", value="3")
    broken = "[expert]\nname = 'New One'\n[judgements.goal]\n'a vs b' = 3\n"
    (case / "panel" / "new_one.toml").write_text(broken, encoding="utf-8")
    html_now = client.get(f"/e/{token}")
    assert html_now.status_code == 503 and "could not be saved" in html_now.text
    r = post(client, token, html, action="answer", value="3")
    assert r.status_code == 503
    assert (case / "panel" / "new_one.toml").read_text(encoding="utf-8") == broken


def test_a_finished_part_can_be_reviewed_from_the_end(
    case: Path, client: TestClient, tokens: dict[str, str]
) -> None:
    token = tokens["new_one"]
    html = walk(client, token)
    assert html.count("Change these answers") == 4
    tree = load_setup(case).tree
    k = tree.inner_nodes.index("willingness")
    assert post(client, token, html, action=f"review:{k}").status_code == 303
    seen = []
    for _ in range(6):  # every pair of the node, with its answer, in the seed's order
        html = get(client, token)
        step = hidden(html)["step"]
        assert step.startswith("q:willingness:") and "Your answer so far: " in html
        seen.append(step)
        _, _, a, b = step.split(":")
        if (a, b) == ("trust", "perceived_benefit"):
            post(client, token, html, action="answer", value="1")  # was 2
        else:
            post(client, token, html, action="keep")
    assert len(set(seen)) == 6
    html = get(client, token)
    assert hidden(html)["step"].startswith("c:willingness:")
    post(client, token, html, action="keep" if 'id="suggestion"' in html else "accept")
    assert "All 21 pairs are done" in get(client, token)
    e = load_expert(case / "panel" / "new_one.toml", tree)
    (j,) = [x for x in e.judgements if {x.first, x.second} == {"trust", "perceived_benefit"}]
    assert j.value == 1.0 and len(e.judgements) == 21 and not e.in_progress
    assert {n for n, _ in e.trail.answered} == set(tree.inner_nodes)


def test_the_servers_language_for_links_without_one(case: Path, tokens: dict[str, str]) -> None:
    client = TestClient(create_app(case, lang="zh"))
    assert '<html lang="zh-CN">' in get(client, tokens["new_one"])
    (en,) = [i for i in issue(case, {"li": "Li"}, lang="en") if i.link.id == "li"]
    assert '<html lang="en">' in get(client, en.token)
