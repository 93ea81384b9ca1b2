"""``ckm links`` and ``ckm serve``: links printed once on stdout, hashes kept, revoke and re-issue,
the loopback default and the warning for an address other computers reach."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from mcda_ckm.cli.main import app
from mcda_ckm.serve import server
from mcda_ckm.serve.links import find, read_links

runner = CliRunner()


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def lines(stdout: str) -> dict[str, tuple[str, str]]:
    out = {}
    for line in stdout.splitlines():
        expert_id, name, url = line.split("\t")
        out[expert_id] = (name, url)
    return out


def test_links_prints_one_link_per_expert_and_the_board_once(case: Path) -> None:
    r = invoke("links", case, "--expert", "Li Na", "--url", "https://panel.example.org/")
    assert r.exit_code == 0, r.output
    printed = lines(r.stdout)
    assert set(printed) == {
        "crm_it_lead",
        "rd_director",
        "sales_director",
        "service_manager",
        "li_na",
        "board",
    }
    name, url = printed["li_na"]
    assert name == "Li Na"
    assert url.startswith("https://panel.example.org/e/")
    assert printed["board"][1].startswith("https://panel.example.org/board/")
    links = read_links(case)
    for expert_id, (_, url) in printed.items():
        token = url.rstrip("/").rsplit("/", 1)[1]
        assert find(links, token).id == expert_id
        assert token not in (case / ".links.toml").read_text(encoding="utf-8")
    again = invoke("links", case)
    assert again.exit_code == 0 and again.stdout == ""  # nothing new: no token shown twice
    assert "--reissue li_na" in " ".join(again.stderr.split())


def test_no_name_in_a_link(case: Path) -> None:
    r = invoke("links", case, "--expert", "Wang Wei")
    name, url = lines(r.stdout)["wang_wei"]
    assert name == "Wang Wei" and "wang" not in url.lower()
    assert len(url.split("/e/")[1]) == 43  # the token alone: 32 bytes, base64url


def test_revoke_and_reissue(case: Path) -> None:
    first = lines(invoke("links", case).stdout)
    r = invoke("links", case, "--revoke", "rd_director")
    assert r.exit_code == 0 and "revoked: rd_director" in r.stderr
    old = first["rd_director"][1].rstrip("/").rsplit("/", 1)[1]
    assert find(read_links(case), old) is None
    r = invoke("links", case, "--reissue", "rd_director")
    (new,) = lines(r.stdout).items()
    assert new[0] == "rd_director" and new[1][1] != first["rd_director"][1]
    r = invoke("links", case, "--reissue", "nobody")
    assert r.exit_code == 2 and "no expert nobody" in r.stderr


def test_serve_binds_loopback_by_default_and_warns_otherwise(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    monkeypatch.setattr(server, "serve", lambda *a, **k: calls.append((a, k)))
    r = invoke("serve", case)
    assert r.exit_code == 0, r.output
    assert calls[-1][1]["host"] == "127.0.0.1" and calls[-1][1]["port"] == 8000
    assert "warning" not in r.stderr
    r = invoke("serve", case, "--host", "0.0.0.0", "--port", "8123", "--links")
    assert r.exit_code == 0, r.output
    assert calls[-1][1]["host"] == "0.0.0.0"
    warning = " ".join(r.stderr.split())
    assert "warning: listening on 0.0.0.0:8123, reachable from other computers" in warning
    assert "questionnaire" in warning and "board" in warning and "TLS" in warning
    assert "board" in lines(r.stdout)  # --links issued the links first


def test_serve_refuses_a_case_without_panel(tmp_path: Path) -> None:
    r = invoke("serve", tmp_path)
    assert r.exit_code == 2 and "case.toml" in r.stderr
