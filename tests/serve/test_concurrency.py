"""Ten experts saving at once, against a real uvicorn server on 127.0.0.1 (an ephemeral port):
no answer is lost, no file is interleaved, and a form posted twice at the same moment counts once.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from mcda_ckm.elicit.interview import load_setup
from mcda_ckm.model.judgements import load_expert
from mcda_ckm.serve import sessions
from mcda_ckm.serve.links import issue
from mcda_ckm.serve.server import running
from tests.serve.conftest import hidden
from tests.serve.test_questionnaire import MAX_STEPS, W, consistent

EXPERTS = 10
TIMEOUT = 30.0  # seconds for any one wait (a request, a barrier): every loop is bounded


def test_ten_experts_saving_at_once_lose_nothing(case: Path) -> None:
    issued = issue(case, {f"expert_{k}": f"Expert {k}" for k in range(EXPERTS)})
    tokens = {i.link.id: i.token for i in issued if i.link.role == "expert"}
    # every expert posts at the same moment: a barrier before each post
    barrier = threading.Barrier(EXPERTS, timeout=TIMEOUT)

    def expert(token: str) -> int:
        posts = 0
        with httpx.Client(base_url=base, timeout=TIMEOUT) as http:
            for _ in range(MAX_STEPS):
                html = http.get(f"/e/{token}").text
                step = hidden(html).get("step", "")
                if step == "done":
                    break
                data = {**hidden(html)}
                if step.startswith("q:"):
                    data |= {"action": "answer", "value": consistent(step)}
                else:
                    data |= {"action": "accept"}
                barrier.wait()
                r = http.post(f"/e/{token}", data=data)
                assert r.status_code == 303, r.text
                posts += 1
        return posts

    with running(case) as base:
        with ThreadPoolExecutor(EXPERTS) as pool:
            posts = list(pool.map(expert, tokens.values(), timeout=10 * TIMEOUT))
        served = httpx.get(f"{base}/e/{tokens['expert_0']}", timeout=TIMEOUT)
        assert "server" not in served.headers  # uvicorn's banner is off
    assert posts == [25] * EXPERTS  # 21 answers and 4 checks each, all in lockstep
    tree = load_setup(case).tree
    for expert_id in tokens:
        e = load_expert(case / "panel" / f"{expert_id}.toml", tree)
        assert e.name == f"Expert {expert_id.split('_')[1]}" and not e.in_progress
        assert len(e.judgements) == 21
        for j in e.judgements:
            assert j.value == pytest.approx(W[j.first] / W[j.second], rel=1e-12)
    leftovers = [p.name for p in (case / "panel").iterdir() if p.name.startswith(".")]
    assert leftovers == []  # no lock, temporary or in-progress file left behind


def test_the_same_form_posted_ten_times_at_once_counts_once(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A slow disk: each save takes 50 ms, so without the expert's lock several requests would
    # read the same state and each record the answer (all 303).
    slow = sessions.save

    def save(*args, **kwargs):
        time.sleep(0.05)
        return slow(*args, **kwargs)

    monkeypatch.setattr(sessions, "save", save)
    (link,) = [i for i in issue(case, {"twin": "Twin"}) if i.link.role == "expert"]
    barrier = threading.Barrier(EXPERTS, timeout=TIMEOUT)
    with running(case) as base:
        html = httpx.get(f"{base}/e/{link.token}", timeout=TIMEOUT).text
        data = {**hidden(html), "action": "answer", "value": "5"}

        def send(_: int) -> int:
            barrier.wait()
            return httpx.post(f"{base}/e/{link.token}", data=data, timeout=TIMEOUT).status_code

        with ThreadPoolExecutor(EXPERTS) as pool:
            codes = sorted(pool.map(send, range(EXPERTS), timeout=10 * TIMEOUT))
    assert codes == [303] + [409] * (EXPERTS - 1)
    e = load_expert(case / "panel" / "twin.toml", load_setup(case).tree)
    (j,) = (
        e.judgements
        if e.judgements
        else load_expert(case / "panel" / ".twin.inprogress", load_setup(case).tree).judgements
    )
    assert j.value == 5.0
