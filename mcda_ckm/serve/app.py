"""The web application of ``ckm serve``: each expert's questionnaire behind a personal link, and
the mount point of the consultant's board.

Routes
------
``GET /``                     a page that says to open a personal link (nothing else is listed)
``GET /e/<token>``            the expert's questionnaire at the step they are at
``POST /e/<token>``           one answer or choice (then 303 back to the GET: reloading is safe)
``/board/<token>/...``        the consultant's board (:mod:`mcda_ckm.serve.board`), behind the
                              board link's token
``GET /static/...``           the style sheet

A token that is wrong, revoked, or of another role (an expert's token on the board) gets the same
404 page as an address that does not exist, byte for byte. The language is the link's (``ckm
links --lang``), or the app's default, or ``?lang=en|zh`` on the link.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route, Router
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

from mcda_ckm.errors import CkmError
from mcda_ckm.serve import board, security
from mcda_ckm.serve.links import LANGS, Link, Links, find, read_links
from mcda_ckm.serve.messages import TEXT
from mcda_ckm.serve.questionnaire import page
from mcda_ckm.serve.sessions import Session, Store, read_value

__all__ = ["HERE", "LinkBook", "create_app"]

HERE = Path(__file__).resolve().parent
"""The package folder: ``templates/`` and ``static/`` are beside this module."""

log = logging.getLogger("mcda_ckm.serve")


class LinkBook:
    """The case's links, read again whenever ``.links.toml`` changes (so a link revoked with
    ``ckm links --revoke`` stops working at the next request, without a restart)."""

    def __init__(self, case: Path) -> None:
        self.case = case
        self._stamp: tuple[int, int, int] | None = None
        self._links: Links = read_links(case)

    def links(self) -> Links:
        try:
            s = os.stat(self._links.path)
            stamp: tuple[int, int, int] | None = (s.st_ino, s.st_mtime_ns, s.st_size)
        except FileNotFoundError:
            stamp = None
        if stamp != self._stamp:
            try:
                self._links = read_links(self.case)
            except CkmError as exc:  # a hand-edited file gone wrong: no link works, nothing leaks
                log.error("%s", exc)
                self._links = Links(self._links.path)
            self._stamp = stamp
        return self._links

    def find(self, token: str, role: str) -> Link | None:
        """The active link of ``role`` with this token, or None."""
        link = find(self.links(), token)
        return link if link is not None and link.role == role else None


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every name and label is shown as text
        undefined=jinja2.StrictUndefined,
    )
    return env


class BoardGuard:
    """Let a request through to the board's routes only with the consultant's token (the
    ``token`` path parameter of the mount); anything else gets the common 404."""

    def __init__(self, app: ASGIApp, book: LinkBook, not_found: Any) -> None:
        self.app = app
        self.book = book
        self.not_found = not_found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = str(scope.get("path_params", {}).get("token", ""))
        if scope["type"] != "http" or self.book.find(token, "board") is None:
            response = self.not_found()
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def create_app(case_dir: Path, *, lang: str = "en") -> Starlette:
    """The web application for the case in ``case_dir``.

    Parameters
    ----------
    case_dir : Path
        A case folder with a panel (``case.toml`` is read once, now).
    lang : str
        The default language of pages (``en`` or ``zh``) when a link has none.

    Raises
    ------
    CaseError
        No case, no panel, or a malformed ``.links.toml``.
    """
    case_dir = Path(case_dir)
    default = lang if lang in LANGS else "en"
    store = Store(case_dir)
    book = LinkBook(case_dir)
    templates = Jinja2Templates(env=_environment())
    form_key = secrets.token_bytes(32)  # the forms' HMAC key, new at each start

    def common(request: Request | None, lang: str) -> dict[str, Any]:
        return {"t": TEXT["zh" if lang == "zh" else "en"], "lang": lang}

    def not_found() -> Response:
        body = templates.get_template("message.html").render(
            common(None, default) | {"title": "not_found"}
        )
        return HTMLResponse(body, status_code=404)

    def page_lang(request: Request, link: Link) -> tuple[str, str]:
        asked = request.query_params.get("lang")
        if asked in LANGS:
            return asked, f"?lang={asked}"
        return link.lang or default, ""

    def render(request: Request, link: Link, session: Session, status: int = 200) -> Response:
        lang, query = page_lang(request, link)
        name, context = page(session, lang)
        context |= common(request, lang)
        context |= {
            "action": f"{request.url.path}{query}",
            "form_token": security.form_token(form_key, link.hash),
            "other_lang": [
                {"code": x, "name": TEXT[x]["lang_name"], "href": f"{request.url.path}?lang={x}"}
                for x in LANGS
                if x != lang
            ],
        }
        return templates.TemplateResponse(request, name, context, status_code=status)

    def unavailable(request: Request, link: Link, exc: CkmError) -> Response:
        """A file that cannot be read or written (edited by hand, a lock held too long): the
        expert is told to try again, the consultant finds why in the log; nothing is changed."""
        log.error("expert %s: %s", link.id, exc)
        lang, _ = page_lang(request, link)
        context = common(request, lang) | {"title": "error"}
        return templates.TemplateResponse(request, "message.html", context, 503)

    def expert(request: Request) -> Link | None:
        return book.find(str(request.path_params["token"]), "expert")

    async def home(request: Request) -> Response:
        return templates.TemplateResponse(request, "home.html", common(request, default))

    async def expert_get(request: Request) -> Response:
        link = expert(request)
        if link is None:
            return not_found()
        try:
            session = await run_in_threadpool(store.current, link)
        except CkmError as exc:
            return unavailable(request, link, exc)
        return render(request, link, session)

    async def expert_post(request: Request) -> Response:
        link = expert(request)
        if link is None:
            return not_found()
        if not security.same_origin(request):
            lang, _ = page_lang(request, link)
            return templates.TemplateResponse(
                request, "message.html", common(request, lang) | {"title": "refused"}, 403
            )
        form = await request.form()
        field = {k: str(form.get(k, "")) for k in ("action", "step", "value", "token")}
        if not security.valid_form_token(form_key, link.hash, field["token"]):
            field["step"] = ""  # an old or forged form changes nothing (notice "stale")
        action, _, index = field["action"].partition(":")  # "revise:3": the check's 4th pair
        pair = int(index) if index.isdigit() else None
        try:
            session = await run_in_threadpool(
                store.act,
                link,
                action,
                field["step"],
                value=read_value(field["value"]),
                pair=pair,
            )
        except CkmError as exc:
            return unavailable(request, link, exc)
        if session.notice is not None and session.notice.error:
            status = 409 if session.notice.key == "stale" else 422
            return render(request, link, session, status)
        _, query = page_lang(request, link)
        return RedirectResponse(f"{request.url.path}{query}", status_code=303)

    async def http_error(request: Request, exc: Exception) -> Response:
        return not_found()  # an unknown address or method: the same page as a wrong token

    routes: list[Route | Mount] = [
        Route("/", home, methods=["GET"]),
        Route("/e/{token}", expert_get, methods=["GET"]),
        Route("/e/{token}", expert_post, methods=["POST"]),
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]

    # -- the consultant's board: mounted here, behind the board link's token ----------------
    async def board_bare(request: Request) -> Response:
        # "/board/<token>" without its slash: only the consultant's token is sent on to the
        # board; any other token gets the common 404 at once, not a redirect that echoes it.
        if book.find(str(request.path_params["token"]), "board") is None:
            return not_found()
        return RedirectResponse(f"{request.url.path}/", status_code=307)

    routes.append(Route("/board/{token}", board_bare, methods=["GET"]))
    # A Router (not an app): a board address that does not exist falls through to the common
    # 404 page. The board's routes see the token as request.path_params["token"]; a response
    # that sets its own Content-Security-Policy keeps it (SecurityHeaders).
    board_routes = board.routes(case_dir, lang=default)
    routes.append(
        Mount("/board/{token}", app=BoardGuard(Router(routes=board_routes), book, not_found))
    )
    app = Starlette(
        routes=routes,
        exception_handlers={404: http_error, 405: http_error},
    )
    app.state.store = store
    app.state.links = book
    app.add_middleware(security.BodyLimit)
    app.add_middleware(security.SecurityHeaders)
    return app
