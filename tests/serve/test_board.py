"""The board's page and JSON behind the consultant's link (issue 17, point 5), through the real
application (:func:`mcda_ckm.serve.app.create_app`) and Starlette's test client.

The panel is the one of ``tests/workflows/test_board.py`` (a_done done, b_half half-way, d_old
long silent, c_none not started, crm_it_lead the bundled file), plus an expert with a link and
no file whose name is an HTML element.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from mcda_ckm.serve import board as serve_board
from mcda_ckm.serve.app import create_app
from mcda_ckm.serve.links import board_url, issue, revoke
from mcda_ckm.workflows.board import board
from tests.workflows.test_board import A, case_copy, toml_file

EVIL = "<script>alert(1)</script>"


@pytest.fixture
def served(tmp_path):
    case = case_copy(tmp_path)
    issued = issue(case, {"a_done": "Ann Done", "e_link": f"Eve {EVIL}"})
    tokens = {i.link.id: i.token for i in issued}
    client = TestClient(create_app(case))
    return case, tokens, client


def rows(html: str) -> dict[str, str]:
    """Expert id -> state, from the rows of the experts' table."""
    return dict(re.findall(r'data-expert="([^"]+)" data-state="([^"]+)"', html))


def test_board_shows_each_expert_and_node(served):
    case, tokens, client = served
    r = client.get(f"/board/{tokens['board']}/")
    assert r.status_code == 200
    html = r.text
    assert rows(html) == {
        "a_done": "done",
        "b_half": "in-progress",
        "c_none": "not-started",
        "crm_it_lead": "done",
        "d_old": "in-progress",
        "e_link": "not-started",
    }
    assert "2 of 6 experts done" in html
    # b_half's willingness: 2 of 6 pairs; a_done's absorptive capacity over its threshold
    assert "in progress · 2 of 6 pairs" in html
    b = board(case)
    cr = b.expert("a_done").node("absorptive_capacity")
    assert cr.value is not None
    assert f"CR {cr.value:.3f} (over 0.08)" in html
    # the remind list, in the order of the board (names, never active first)
    remind = re.search(r'<ol id="remind">(.*?)</ol>', html, re.S)
    assert remind is not None
    names = re.findall(r'<span class="name">(.*?)</span>', remind.group(1))
    assert names == ["Cy None", "Eve &lt;script&gt;alert(1)&lt;/script&gt;", "Di Old", "Bo Half"]
    # the key set with probabilities, and the weights
    for k in b.key:
        assert k.id in html
    assert "Current global weights" in html and "Base potential" in html


def test_names_are_text_and_the_page_has_no_script(served):
    _, tokens, client = served
    r = client.get(f"/board/{tokens['board']}/")
    assert EVIL not in r.text
    assert "Eve &lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert "<script" not in r.text.lower()
    assert "script-src" not in r.headers["content-security-policy"]  # none allowed at all
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["cache-control"] == "no-store"


def test_the_page_refreshes_itself_within_bounds(served):
    _, tokens, client = served
    html = client.get(f"/board/{tokens['board']}/").text
    found = re.search(r'<meta http-equiv="refresh" content="(\d+)">', html)
    assert found is not None
    assert 5 <= int(found.group(1)) <= 60
    assert int(found.group(1)) == serve_board.REFRESH_SECONDS


def test_chinese_board(served):
    _, tokens, client = served
    html = client.get(f"/board/{tokens['board']}/?lang=zh").text
    assert '<html lang="zh-CN">' in html
    for word in ("专家组进度看板", "已完成", "进行中", "未开始", "需要提醒的专家", "关键源概率"):
        assert word in html, word
    assert "客户知识价值" in html  # the tree's Chinese label of knowledge_value
    assert "6 位专家中已完成 2 位" in html
    # no English label of the board left on what the Chinese page shows
    shown = re.sub(r"<[^>]+>", " ", html)
    for key, en in serve_board.TEXT["en"].items():
        if (
            key != "lang_name"
            and len(en) > 6
            and en not in serve_board.TEXT["zh"].values()
            and "{" not in en
        ):
            assert en not in shown, en


def test_json_is_the_board(served):
    case, tokens, client = served
    r = client.get(f"/board/{tokens['board']}/board.json")
    assert r.status_code == 200
    got = r.json()
    want = json.loads(
        json.dumps(board(case, expected={"a_done": "Ann Done", "e_link": f"Eve {EVIL}"}).to_dict())
    )
    got.pop("generated"), want.pop("generated")
    assert got == want
    assert got["remind"] == ["c_none", "e_link", "d_old", "b_half"]


def test_wrong_revoked_or_expert_tokens_get_404(served):
    case, tokens, client = served
    good = client.get(f"/board/{tokens['board']}/")
    assert good.status_code == 200
    missing = client.get("/board/not-a-token/")
    assert missing.status_code == 404
    for bad in (f"/board/{tokens['a_done']}/", f"/board/{tokens['a_done']}/board.json"):
        r = client.get(bad)
        assert r.status_code == 404
        assert r.text == missing.text
    revoke(case, [], board=True)
    assert client.get(f"/board/{tokens['board']}/").status_code == 404
    assert client.get(f"/board/{tokens['board']}/board.json").status_code == 404


def test_the_board_follows_the_files(served):
    """A new answer shows at the next request (the cache follows the panel's files)."""
    case, tokens, client = served
    url = f"/board/{tokens['board']}/board.json"
    before = client.get(url).json()
    assert {e["id"]: e["state"] for e in before["experts"]}["c_none"] == "not started"
    text = toml_file("Cy None", {"goal": A["goal"]}, {"goal": "2026-12-05T10:00:00+00:00"})
    Path(case / "panel" / "c_none.toml").write_text(text, encoding="utf-8")
    after = client.get(url).json()
    states = {e["id"]: e["state"] for e in after["experts"]}
    assert states["c_none"] == "in progress"
    assert after["remind"][-1] == "c_none"  # now the most recently active


def test_a_broken_case_file_gives_a_page_that_retries(served):
    """``case.toml`` broken while the server runs (being edited): 503 with the reason, and the
    page keeps refreshing itself; the JSON says the same."""
    case, tokens, client = served
    (case / "case.toml").write_text("[case\n", encoding="utf-8")
    r = client.get(f"/board/{tokens['board']}/")
    assert r.status_code == 503
    assert "case.toml" in r.text and 'http-equiv="refresh"' in r.text
    j = client.get(f"/board/{tokens['board']}/board.json")
    assert j.status_code == 503 and "case.toml" in j.json()["error"]


def test_the_board_address_without_its_slash(served):
    """The printed link ends in "/"; without it only the consultant's token is redirected, any
    other token gets the common 404 at once (no redirect that echoes a guessed token)."""
    _case, tokens, client = served
    missing = client.get("/board/not-a-token/")
    for bad in ("/board/not-a-token", f"/board/{tokens['a_done']}"):
        r = client.get(bad, follow_redirects=False)
        assert r.status_code == 404
        assert r.text == missing.text
    r = client.get(f"/board/{tokens['board']}", follow_redirects=False)
    assert r.status_code == 307
    assert r.headers["location"].endswith(f"/board/{tokens['board']}/")
    assert board_url("http://127.0.0.1:8000", tokens["board"]).endswith("/")
