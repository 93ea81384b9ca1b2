"""Properties of the web questionnaire under any sequence of clicks (hypothesis): the expert's
files always load, and hold exactly the answers the expert last gave (a model kept by the test,
independent of the server's state)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from mcda_ckm.elicit.interview import load_setup
from mcda_ckm.model import scale
from mcda_ckm.model.judgements import load_expert, progress_path
from mcda_ckm.serve.app import create_app
from mcda_ckm.serve.links import issue
from tests.conftest import CASE
from tests.serve.conftest import hidden

CLICK = st.one_of(
    st.tuples(st.just("answer"), st.sampled_from([scale.fmt(v) for v in scale.VALUES])),
    st.tuples(st.just("skip"), st.just("")),
    st.tuples(st.just("back"), st.just("")),
    st.tuples(st.just("keep"), st.just("")),
    st.tuples(st.just("answer"), st.just("")),  # nothing chosen
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clicks=st.lists(CLICK, min_size=1, max_size=30), restart_at=st.integers(0, 30))
def test_the_files_hold_exactly_the_answers_last_given(clicks, restart_at) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        case = Path(shutil.copytree(CASE, Path(tmp) / "case"))
        (link,) = [i for i in issue(case, {"prop": "Prop"}) if i.link.role == "expert"]
        tree = load_setup(case).tree
        client = TestClient(create_app(case))
        url = f"/e/{link.token}"
        expected: dict[tuple[str, frozenset[str]], float] = {}
        for k, click in enumerate(clicks):
            action, value = click
            if k == restart_at:
                client = TestClient(create_app(case))  # a restart between two clicks
            html = client.get(url).text
            step = hidden(html).get("step", "")
            if step == "done":
                break
            if step.startswith("c:"):  # a check: keep the answers as they are
                action, value = ("keep" if 'id="suggestion"' in html else "accept"), ""
            r = client.post(
                url,
                data={**hidden(html), "action": action, "value": value},
                follow_redirects=False,
            )
            assert r.status_code in (303, 409, 422), r.text
            if r.status_code == 303 and step.startswith("q:"):
                _, node, a, b = step.split(":")
                if action == "answer":
                    expected[(node, frozenset((a, b)))] = (
                        scale.read_answer(value) if a < b else 1 / scale.read_answer(value)
                    )
                elif action == "skip":
                    expected.pop((node, frozenset((a, b))), None)
            path = case / "panel" / "prop.toml"
            found: dict[tuple[str, frozenset[str]], float] = {}
            for f in (path, progress_path(path)):
                if f.exists():  # every file on disk is a valid judgement file
                    for j in load_expert(f, tree).judgements:
                        a_, b_ = sorted((j.first, j.second))
                        v = j.value if (j.first, j.second) == (a_, b_) else 1 / j.value
                        found[(j.node, frozenset((a_, b_)))] = v
            assert found.keys() == expected.keys()
            for key, v in expected.items():
                assert abs(found[key] - v) <= 1e-12 * v
