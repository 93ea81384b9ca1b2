"""Fixtures of the web questionnaire's tests: a copy of the bundled case, links, a client, and
a reader of the hidden fields of a page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from mcda_ckm.serve.app import create_app
from mcda_ckm.serve.links import issue
from tests.conftest import CASE

HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')


def hidden(html: str) -> dict[str, str]:
    """The hidden fields of the page's form (form token and step)."""
    return dict(HIDDEN.findall(html))


def notice(html: str) -> str:
    m = re.search(r'<p class="notice[^"]*"[^>]*>([^<]*)</p>', html)
    return "" if m is None else m.group(1)


@pytest.fixture
def case(tmp_path: Path) -> Path:
    """A copy of the bundled case (four complete experts)."""
    return Path(shutil.copytree(CASE, tmp_path / "case"))


@pytest.fixture
def tokens(case: Path) -> dict[str, str]:
    """Links for two new experts and the board: id -> token."""
    issued = issue(case, {"new_one": "New One", "new_two": "New Two"})
    return {i.link.id: i.token for i in issued}


@pytest.fixture
def client(case: Path, tokens: dict[str, str]) -> TestClient:
    return TestClient(create_app(case))
