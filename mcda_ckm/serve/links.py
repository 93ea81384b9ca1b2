"""Personal links of ``ckm serve``: one unguessable token per expert, one for the consultant.

A link is ``<base>/e/<token>`` (an expert's questionnaire) or ``<base>/board/<token>`` (the
consultant's board). The token is ``secrets.token_urlsafe(32)``: 256 bits from the operating
system's random source (Python's ``secrets``, PEP 506), against the 128 bits OWASP asks of a
session identifier. No name or other personal data is in the link: the token alone says who the
expert is, so an expert's link reaches that expert's answers and nothing else.

Only a SHA-256 hash of each token is kept, in ``<case>/.links.toml`` (hidden, beside
``case.toml``; not in the panel folder, whose ``*.toml`` files are all read as judgement files).
The token itself is printed once, when it is issued; a lost link is re-issued, which revokes the
old one. A fast hash is enough here: the tokens carry 256 random bits, so there is no dictionary
to try (slow hashes such as scrypt protect low-entropy passwords). A presented token is hashed
and compared with every stored hash by :func:`hmac.compare_digest`, so neither the comparison nor
the number of entries compared depends on how much of a hash matches.

The file is written atomically (:func:`mcda_ckm.files.write_text`) under the lock of
:class:`mcda_ckm.files.Lock`, so ``ckm links`` run while the server reads it is safe. This module
imports no web library: the CLI issues links without the ``serve`` extra.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mcda_ckm.elicit.interview import Setup
from mcda_ckm.elicit.panelfiles import expert_path, slug
from mcda_ckm.errors import CaseError
from mcda_ckm.files import LOCK_WAIT, Lock, write_text
from mcda_ckm.model.toml import read_toml

__all__ = [
    "LANGS",
    "LINKS_FILE",
    "TOKEN_BYTES",
    "Issued",
    "Link",
    "Links",
    "board_url",
    "expert_url",
    "find",
    "hash_token",
    "issue",
    "panel_experts",
    "read_links",
    "revoke",
]

LINKS_FILE = ".links.toml"
"""The file, in the case folder, that keeps the hashes of the links' tokens."""

TOKEN_BYTES = 32
"""Random bytes in a token (256 bits; ``secrets.token_urlsafe`` writes them as 43 characters)."""

LANGS: tuple[str, ...] = ("en", "zh")
"""Languages of the questionnaire."""

BOARD = "board"
"""The role of the consultant's link (experts have the role ``expert``)."""

_HASH = re.compile(r"^[0-9a-f]{64}$")
_ID = re.compile(r"^(?!\.)[^/\\\x00-\x1f]+$")
"""An expert id is a judgement file's stem: no folder separator, no leading dot (it names
``panel/<id>.toml``, never a file elsewhere)."""


def hash_token(token: str) -> str:
    """The SHA-256 hex digest kept for a token (never the token itself).

    >>> hash_token("abc")[:16]
    'ba7816bf8f01cfea'
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Link:
    """One issued link as the case keeps it.

    Attributes
    ----------
    id : str
        The expert's judgement-file stem (``panel/<id>.toml``), or ``"board"`` for the
        consultant's link (``role`` tells which).
    role : str
        ``"expert"`` or ``"board"``.
    name : str
        The expert's name (for the judgement file of a new expert and the board; never in a URL).
    hash : str
        SHA-256 of the token, hex; empty when revoked.
    issued : str
        When the current token was issued (UTC, ISO 8601).
    revoked : str
        When the link was revoked, or empty.
    seed : int
        Seed of the expert's order of pairs (recorded in the judgement file as
        ``[expert] order_seed`` on the first save).
    lang : str
        The questionnaire's language for this expert (``en`` or ``zh``); empty for the
        server's (``ckm serve --lang``).
    """

    id: str
    role: str
    name: str
    hash: str
    issued: str
    revoked: str = ""
    seed: int = 0
    lang: str = ""

    @property
    def active(self) -> bool:
        return bool(self.hash) and not self.revoked


@dataclass(frozen=True)
class Links:
    """Every link of a case: the consultant's (``board``) and the experts' by id."""

    path: Path
    experts: tuple[Link, ...] = ()
    board: Link | None = None

    def expert(self, expert_id: str) -> Link | None:
        return next((x for x in self.experts if x.id == expert_id), None)


@dataclass(frozen=True)
class Issued:
    """A link just issued: the only moment its token exists outside the expert's hands."""

    link: Link
    token: str


def read_links(case: str | Path) -> Links:
    """The links of a case (none when ``.links.toml`` does not exist).

    Raises
    ------
    CaseError
        The file is not valid TOML, or an entry is malformed (naming the entry).
    """
    path = Path(case) / LINKS_FILE
    if not path.exists():
        return Links(path)
    data = read_toml(path, CaseError)
    experts: list[Link] = []
    board = None
    for key, table in data.get("experts", {}).items():
        experts.append(_entry(path, f"[experts.{key}]", key, "expert", table))
    if "board" in data:
        board = _entry(path, "[board]", BOARD, BOARD, data["board"])
    return Links(path, tuple(experts), board)


def _entry(path: Path, where: str, key: str, role: str, table: Any) -> Link:
    if not isinstance(table, dict) or not _ID.match(key):
        raise CaseError("not a link entry", path=path, where=where, hint="Re-issue with ckm links")
    digest = table.get("hash", "")
    seed = table.get("seed", 0)
    lang = table.get("lang", "")
    if (
        not isinstance(digest, str)
        or (digest and not _HASH.match(digest))
        or isinstance(seed, bool)
        or not isinstance(seed, int)
        or lang not in ("", *LANGS)
    ):
        raise CaseError(
            "a link entry needs hash (64 hex digits), seed (a whole number) and lang (en or zh)",
            path=path,
            where=where,
            hint="Re-issue the link with: ckm links CASE --reissue ID",
        )
    return Link(
        id=key,
        role=role,
        name=str(table.get("name", key)),
        hash=digest,
        issued=str(table.get("issued", "")),
        revoked=str(table.get("revoked", "")),
        seed=seed,
        lang=lang,
    )


def _lines(link: Link) -> list[str]:
    lines = [f"name = {json.dumps(link.name, ensure_ascii=False)}"] if link.role != BOARD else []
    lines += [f'hash = "{link.hash}"', f'issued = "{link.issued}"']
    if link.revoked:
        lines.append(f'revoked = "{link.revoked}"')
    if link.role != BOARD:
        lines.append(f"seed = {link.seed}")
        if link.lang:
            lines.append(f'lang = "{link.lang}"')
    return lines


def dump(links: Links) -> str:
    """The text of ``.links.toml`` (JSON string escapes are valid TOML escapes)."""
    lines = [
        "# Links of `ckm serve`: only SHA-256 hashes of the tokens are kept here; the links were",
        "# printed once, when issued. Re-issue a lost link with: ckm links CASE --reissue ID",
    ]
    if links.board is not None:
        lines += ["", "[board]", *_lines(links.board)]
    for link in links.experts:
        lines += ["", f"[experts.{json.dumps(link.id, ensure_ascii=False)}]", *_lines(link)]
    return "\n".join(lines) + "\n"


def find(links: Links, token: str) -> Link | None:
    """The active link whose token is ``token``, or None.

    Every stored hash is compared (in constant time, :func:`hmac.compare_digest`), whether or
    not an earlier one matched, so the time taken says nothing about which entry matched.
    """
    digest = hash_token(token)
    found = None
    for link in (*links.experts, *((links.board,) if links.board else ())):
        if hmac.compare_digest(digest, link.hash or "-" * 64) and link.active:
            found = link
    return found


def issue(
    case: str | Path,
    experts: Mapping[str, str],
    *,
    reissue: Iterable[str] = (),
    board: bool = True,
    reissue_board: bool = False,
    lang: str | None = None,
) -> list[Issued]:
    """Issue links for the experts that have none, and re-issue those named.

    Parameters
    ----------
    case : path
        The case folder.
    experts : mapping of id to name
        The panel's experts (judgement-file stem to name); a link is issued for each one that
        never had one (a revoked link stays revoked until it is re-issued).
    reissue : iterable of str
        Expert ids whose link is replaced by a new one (the old link stops working).
    board, reissue_board : bool
        Issue the consultant's board link if there is none; replace it.
    lang : str, optional
        The questionnaire's language of the links issued now (default: the old link's, else the
        server's); other links keep theirs.

    Returns
    -------
    list of Issued
        The new links with their tokens (the only time the tokens are known).

    Raises
    ------
    CaseError
        An id in ``reissue`` that is not an expert of the panel, an unknown language.
    """
    if lang is not None and lang not in LANGS:
        raise CaseError(f"unknown language {lang!r}", hint=f"Use one of {', '.join(LANGS)}")
    folder = Path(case)
    unknown = [x for x in reissue if x not in experts]
    if unknown:
        raise CaseError(
            f"no expert {', '.join(unknown)} in the panel",
            path=folder / LINKS_FILE,
            hint=f"The experts are {', '.join(experts) or '(none)'}",
        )
    issued: list[Issued] = []
    lock = Lock(folder / LINKS_FILE, LOCK_WAIT)
    try:
        links = read_links(folder)
        kept = {x.id: x for x in links.experts}
        for expert_id, name in experts.items():
            old = kept.get(expert_id)
            if old is not None and expert_id not in set(reissue):
                continue  # an active link is kept; a revoked one stays revoked until reissued
            token = secrets.token_urlsafe(TOKEN_BYTES)
            link = Link(
                expert_id,
                "expert",
                name,
                hash_token(token),
                now(),
                seed=old.seed if old is not None else secrets.randbelow(2**31),
                lang=lang or (old.lang if old is not None else ""),
            )
            kept[expert_id] = link
            issued.append(Issued(link, token))
        new_board = links.board
        if board and (links.board is None or not links.board.active or reissue_board):
            token = secrets.token_urlsafe(TOKEN_BYTES)
            new_board = Link(BOARD, BOARD, "", hash_token(token), now())
            issued.append(Issued(new_board, token))
        write_text(folder / LINKS_FILE, dump(Links(links.path, tuple(kept.values()), new_board)))
    finally:
        lock.release()
    return issued


def revoke(case: str | Path, ids: Iterable[str], *, board: bool = False) -> list[Link]:
    """Revoke the links of ``ids`` (and the board's): their tokens stop working at once (the
    server reads the file on every request). The expert's answers are kept.

    Raises
    ------
    CaseError
        An id without a link.
    """
    folder = Path(case)
    ids = list(ids)
    lock = Lock(folder / LINKS_FILE, LOCK_WAIT)
    try:
        links = read_links(folder)
        known = {x.id for x in links.experts}
        unknown = [x for x in ids if x not in known]
        if unknown:
            raise CaseError(
                f"no link for {', '.join(unknown)}",
                path=links.path,
                hint=f"Links exist for {', '.join(sorted(known)) or '(none)'}",
            )
        when = now()
        done = []
        experts = []
        for old in links.experts:
            link = replace(old, hash="", revoked=when) if old.id in ids else old
            if old.id in ids:
                done.append(link)
            experts.append(link)
        new_board = links.board
        if board and links.board is not None:
            new_board = replace(links.board, hash="", revoked=when)
            done.append(new_board)
        write_text(folder / LINKS_FILE, dump(Links(links.path, tuple(experts), new_board)))
    finally:
        lock.release()
    return done


def panel_experts(setup: Setup, new: Iterable[str] = ()) -> dict[str, str]:
    """The experts who get links: id (judgement-file stem) to name.

    Every judgement file of the panel, every expert who already has a link (a new expert's file
    is written with the first answer), and the ``new`` names (an existing expert of that name
    keeps their file; otherwise the id is :func:`mcda_ckm.elicit.panelfiles.slug` of the name).

    Raises
    ------
    CaseError
        A new name that gives no file name, or two new names that give the same id.
    """
    experts: dict[str, str] = {}
    for path in sorted(setup.panel.glob("*.toml")) if setup.panel.is_dir() else []:
        if not _ID.match(path.stem):
            continue  # a hidden file (an editor's backup) is no expert
        try:
            name = read_toml(path, CaseError).get("expert", {}).get("name", path.stem)
        except (CaseError, AttributeError):
            name = path.stem
        experts[path.stem] = str(name)
    for link in read_links(setup.path).experts:
        experts.setdefault(link.id, link.name)
    for given in new:
        name = " ".join(given.split())
        by_name = next((k for k, v in experts.items() if v.casefold() == name.casefold()), None)
        if by_name is not None:
            continue
        stem = expert_path(setup.panel, name).stem
        if stem in experts:
            raise CaseError(
                f"the new expert {name!r} would share the file {stem}.toml with {experts[stem]!r}",
                path=setup.panel,
                hint="Give a name that differs in its letters, not only in punctuation",
            )
        if not slug(name):
            raise CaseError(f"{name!r} cannot name an expert", hint="Give a name in letters")
        experts[stem] = name
    return experts


def expert_url(base: str, token: str) -> str:
    """The link an expert opens.

    >>> expert_url("http://127.0.0.1:8000/", "tok")
    'http://127.0.0.1:8000/e/tok'
    """
    return f"{base.rstrip('/')}/e/{token}"


def board_url(base: str, token: str) -> str:
    """The consultant's link to the board."""
    return f"{base.rstrip('/')}/board/{token}/"
