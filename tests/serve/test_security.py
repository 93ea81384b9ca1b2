"""Safe by construction (issue 17, point 6): wrong, revoked and misplaced tokens learn nothing;
forms from another origin are refused; names and labels are text; bodies are size-limited; the
response headers; an expert's link reaches that expert's file only."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route, Router
from starlette.testclient import TestClient

from mcda_ckm.elicit.interview import load_setup
from mcda_ckm.errors import CaseError
from mcda_ckm.serve import security
from mcda_ckm.serve.app import BoardGuard, LinkBook, create_app
from mcda_ckm.serve.links import find, hash_token, issue, panel_experts, read_links, revoke
from tests.conftest import HUANG
from tests.serve.conftest import hidden

SCRIPT = "<script>alert(1)</script>"


def body_404(client: TestClient, path: str) -> bytes:
    r = client.get(path)
    assert r.status_code == 404
    return r.content


def test_wrong_revoked_and_misplaced_tokens_get_the_same_404(
    case: Path, client: TestClient, tokens: dict[str, str]
) -> None:
    reference = body_404(client, "/no/such/page")
    random_token = secrets.token_urlsafe(32)
    revoke(case, ["new_two"])
    assert body_404(client, f"/e/{random_token}") == reference
    assert body_404(client, f"/e/{tokens['new_one'][:-1]}") == reference  # one character off
    assert body_404(client, f"/e/{tokens['new_two']}") == reference  # revoked: at once
    assert body_404(client, f"/e/{tokens['board']}") == reference  # the board's token
    assert body_404(client, f"/board/{tokens['new_one']}") == reference  # an expert's token
    assert body_404(client, f"/board/{random_token}/") == reference
    r = client.post(f"/e/{random_token}", data={"action": "skip"})
    assert r.status_code == 404 and r.content == reference
    assert client.get(f"/e/{tokens['new_one']}").status_code == 200


def test_reissued_link_replaces_the_old_one(case: Path, tokens: dict[str, str]) -> None:
    seed = read_links(case).expert("new_one").seed
    (new,) = issue(case, {"new_one": "New One", "new_two": "New Two"}, reissue=["new_one"])
    client = TestClient(create_app(case))
    assert client.get(f"/e/{tokens['new_one']}").status_code == 404
    assert client.get(f"/e/{new.token}").status_code == 200
    assert read_links(case).expert("new_one").seed == seed  # the same order of pairs


def test_only_hashes_are_stored_and_tokens_carry_256_bits(
    case: Path, tokens: dict[str, str]
) -> None:
    text = (case / ".links.toml").read_text(encoding="utf-8")
    for token in tokens.values():
        assert token not in text
        assert hash_token(token) in text
        assert len(token) >= 43  # 32 bytes of secrets.token_urlsafe: at least 128 bits asked
    # SHA-256 of "abc": FIPS 180-2, appendix B.1
    assert hash_token("abc") == ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    links = read_links(case)
    assert find(links, tokens["new_one"]).id == "new_one"
    assert find(links, tokens["new_one"] + "x") is None


def test_a_revoked_link_stays_revoked_until_reissued(case: Path, tokens: dict[str, str]) -> None:
    revoke(case, ["new_one"])
    issued = issue(case, {"new_one": "New One", "new_two": "New Two"})
    assert issued == []
    assert find(read_links(case), tokens["new_one"]) is None


def test_an_experts_link_changes_that_experts_file_only(
    case: Path, client: TestClient, tokens: dict[str, str]
) -> None:
    before = {p.name: p.read_bytes() for p in (case / "panel").iterdir()}
    html = client.get(f"/e/{tokens['new_one']}").text
    r = client.post(
        f"/e/{tokens['new_one']}",
        data={**hidden(html), "action": "answer", "value": "3", "expert": "rd_director"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    after = {p.name: p.read_bytes() for p in (case / "panel").iterdir()}
    assert set(after) == {*before, "new_one.toml", ".new_one.inprogress"}
    assert all(after[name] == data for name, data in before.items())
    # a form token of one expert does not work on another's link
    other = client.get(f"/e/{tokens['new_two']}").text
    forged = {**hidden(other), "token": hidden(html)["token"], "action": "answer", "value": "9"}
    r = client.post(f"/e/{tokens['new_two']}", data=forged, follow_redirects=False)
    assert r.status_code == 409
    assert not (case / "panel" / "new_two.toml").exists()


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"origin": "http://evil.example"}, 403),
        ({"sec-fetch-site": "cross-site"}, 403),
        ({"sec-fetch-site": "same-site", "origin": "http://testserver"}, 403),
        ({"origin": "http://testserver"}, 303),
        ({"origin": "null", "sec-fetch-site": "same-origin"}, 303),  # Chromium, no-referrer
        ({"origin": "null"}, 303),
    ],
)
def test_a_form_is_accepted_from_the_page_itself_only(
    case: Path, client: TestClient, tokens: dict[str, str], headers: dict[str, str], status: int
) -> None:
    html = client.get(f"/e/{tokens['new_one']}").text
    r = client.post(
        f"/e/{tokens['new_one']}",
        data={**hidden(html), "action": "answer", "value": "3"},
        headers=headers,
        follow_redirects=False,
    )
    assert r.status_code == status
    assert (case / "panel" / "new_one.toml").exists() == (status == 303)


def test_a_form_without_its_token_changes_nothing(
    case: Path, client: TestClient, tokens: dict[str, str]
) -> None:
    html = client.get(f"/e/{tokens['new_one']}").text
    for token in ("", "0" * 64):
        data = {**hidden(html), "token": token, "action": "answer", "value": "3"}
        r = client.post(f"/e/{tokens['new_one']}", data=data, follow_redirects=False)
        assert r.status_code == 409
    assert not (case / "panel" / "new_one.toml").exists()


def test_names_and_labels_are_shown_as_text(case: Path) -> None:
    text = HUANG.read_text(encoding="utf-8")
    text = text.replace('label = "Key customer knowledge source"', f'label = "{SCRIPT}"')
    text = text.replace('label = "Customer knowledge value"', f'label = "{SCRIPT} value"')
    assert text.count(SCRIPT) == 2
    (case / "tree.toml").write_text(text, encoding="utf-8")
    toml = (case / "case.toml").read_text(encoding="utf-8")
    (case / "case.toml").write_text(
        toml.replace('tree = "ckm-huang2008"', 'tree = "tree.toml"'), encoding="utf-8"
    )
    shutil.rmtree(case / "panel")
    (case / "panel").mkdir()
    (link,) = [i for i in issue(case, {"evil": SCRIPT}) if i.link.role == "expert"]
    client = TestClient(create_app(case))
    pages = [client.get(f"/e/{link.token}").text]
    for _ in range(4):  # through the goal node to its check, and on
        html = pages[-1]
        action = (
            {"action": "answer", "value": "1"} if 'name="value"' in html else {"action": "accept"}
        )
        client.post(f"/e/{link.token}", data={**hidden(html), **action})
        pages.append(client.get(f"/e/{link.token}").text)
    assert any("<table" in p for p in pages)  # the check page was among them
    for html in pages:
        assert SCRIPT not in html and "<script" not in html
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert escaped in pages[0]  # the expert's name and the node's label
    assert pages[0].count(escaped) >= 3


def test_a_large_body_is_refused_with_413(client: TestClient, tokens: dict[str, str]) -> None:
    big = "x" * (security.MAX_BODY + 1)
    r = client.post(f"/e/{tokens['new_one']}", data={"value": big})
    assert r.status_code == 413
    assert r.headers["referrer-policy"] == "no-referrer"

    def chunks():  # no Content-Length: refused as soon as it passes the limit
        for _ in range(20):
            yield b"v" * 8192

    r = client.post(
        f"/e/{tokens['new_one']}",
        content=chunks(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 413


def test_security_headers_on_every_response(client: TestClient, tokens: dict[str, str]) -> None:
    for path, status in (
        (f"/e/{tokens['new_one']}", 200),
        ("/", 200),
        ("/e/wrong", 404),
        ("/static/ckm.css", 200),
    ):
        r = client.get(path)
        assert r.status_code == status
        h = r.headers
        assert h["content-security-policy"] == security.CSP
        assert "script-src" not in h["content-security-policy"]  # default-src 'none': no script
        assert h["referrer-policy"] == "no-referrer"
        assert h["x-content-type-options"] == "nosniff"
        assert h["x-frame-options"] == "DENY"
        expected = "no-cache" if path.startswith("/static/") else "no-store"
        assert h["cache-control"] == expected


def test_the_pages_have_no_script_and_no_inline_style(
    client: TestClient, tokens: dict[str, str]
) -> None:
    html = client.get(f"/e/{tokens['new_one']}").text
    assert "<script" not in html and "style=" not in html and "<style" not in html


def test_a_broken_links_file_opens_no_link(
    case: Path, client: TestClient, tokens: dict[str, str]
) -> None:
    reference = body_404(client, "/no/such/page")
    (case / ".links.toml").write_text("[experts.new_one\nhash = 1\n", encoding="utf-8")
    assert body_404(client, f"/e/{tokens['new_one']}") == reference


def test_the_board_mount_lets_only_the_consultants_token_through(
    case: Path, tokens: dict[str, str]
) -> None:
    async def board(request):
        return PlainTextResponse(f"board {request.path_params['token'][:4]}")

    guard = BoardGuard(
        Router(routes=[Route("/", board)]),
        LinkBook(case),
        lambda: PlainTextResponse("nothing here", status_code=404),
    )
    client = TestClient(Starlette(routes=[Mount("/board/{token}", app=guard)]))
    r = client.get(f"/board/{tokens['board']}/")
    assert r.status_code == 200 and r.text == f"board {tokens['board'][:4]}"
    for token in (tokens["new_one"], secrets.token_urlsafe(32)):
        r = client.get(f"/board/{token}/")
        assert (r.status_code, r.text) == (404, "nothing here")
    revoke(case, [], board=True)
    assert client.get(f"/board/{tokens['board']}/").status_code == 404


def test_a_link_id_never_names_a_file_outside_the_panel(case: Path, tokens: dict[str, str]) -> None:
    token = secrets.token_urlsafe(32)
    text = (case / ".links.toml").read_text(encoding="utf-8")
    text += f'\n[experts."../case"]\nname = "x"\nhash = "{hash_token(token)}"\nissued = ""\n'
    (case / ".links.toml").write_text(text, encoding="utf-8")
    with pytest.raises(CaseError, match="not a link entry"):
        read_links(case)


def test_an_expert_file_with_a_space_in_its_name_gets_a_link(case: Path) -> None:
    shutil.copy(case / "panel" / "rd_director.toml", case / "panel" / "Wang Li.toml")
    (case / "panel" / "rd_director.toml").unlink()
    issued = {i.link.id: i.token for i in issue(case, panel_experts(load_setup(case)))}
    client = TestClient(create_app(case))
    r = client.get(f"/e/{issued['Wang Li']}")
    assert r.status_code == 200 and "Chen Jianguo" in r.text
    assert find(read_links(case), issued["Wang Li"]).id == "Wang Li"
