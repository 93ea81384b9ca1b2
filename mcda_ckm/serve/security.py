"""What keeps the server safe whatever a page does: header and body-size middleware, the form
token and the same-origin check.

- Every response carries a Content-Security-Policy that allows nothing but the server's own
  style sheet and form posts to itself (no script at all: the pages work without JavaScript),
  ``Referrer-Policy: no-referrer`` (the link's token never leaves in a Referer header),
  ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY`` (no framing, with the CSP's
  ``frame-ancestors 'none'``) and ``Cache-Control: no-store`` (a shared computer keeps no copy of
  an expert's answers; the style sheet alone may be cached).
- A request body over :data:`MAX_BODY` bytes is refused with 413 before the application reads it
  (a declared ``Content-Length`` at once; a chunked body as soon as it passes the limit).
- A form is accepted only with the form token of the page it came from (an HMAC of the link's
  hash under a key drawn when the server starts, OWASP's "HMAC based token" pattern) and only
  from the server's own origin: ``Sec-Fetch-Site`` when the browser sends it, else ``Origin``.
  With ``Referrer-Policy: no-referrer`` browsers send ``Origin: null`` on a form post (Fetch
  standard, "serializing a request origin"), so ``null`` is accepted and the token decides.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "CSP",
    "MAX_BODY",
    "BodyLimit",
    "SecurityHeaders",
    "form_token",
    "same_origin",
    "valid_form_token",
]

MAX_BODY = 64 * 1024
"""Largest request body accepted (bytes): a form of the questionnaire is under 1 KiB."""

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
"""The Content-Security-Policy of every response: no script, no outside resource."""

HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"x-robots-tag", b"noindex, nofollow"),
)


class SecurityHeaders:
    """Add :data:`HEADERS` and a cache policy to every HTTP response (``no-store``, except the
    static files, which may be kept but must be checked again: ``no-cache``)."""

    def __init__(self, app: ASGIApp, static_prefix: str = "/static/") -> None:
        self.app = app
        self.static_prefix = static_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith(self.static_prefix)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in names]
                cache = b"no-cache" if static else b"no-store"
                extra = [h for h in extra if h[0] != b"cache-control"]
                kept = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"
                ]
                message["headers"] = [*kept, *extra, (b"cache-control", cache)]
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Refuse a request body over ``limit`` bytes with 413 (plain text), before the application
    sees any of it: the body is read here (it is small) and handed on whole."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(send)
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = bool(message.get("more_body", False))
            if len(body) > self.limit:
                await self._refuse(send)
                return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _refuse(send: Send) -> None:
        text = b"Request body too large\n"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(text)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": text})


def form_token(key: bytes, link_hash: str) -> str:
    """The form token of an expert's pages: HMAC-SHA256 of the link's hash under the server's
    key (a new key at each start; a form from before a restart is refused as out of date)."""
    return hmac.new(key, b"form:" + link_hash.encode(), hashlib.sha256).hexdigest()


def valid_form_token(key: bytes, link_hash: str, sent: str) -> bool:
    """Whether ``sent`` is the form token of this link (constant-time comparison)."""
    return hmac.compare_digest(form_token(key, link_hash), sent or "")


def same_origin(request: Request) -> bool:
    """Whether a form post comes from a page of this server.

    ``Sec-Fetch-Site`` (sent by every current browser, whatever the referrer policy) must say
    ``same-origin``; without it, an ``Origin`` other than ``null`` must name this host (the
    ``Host`` header the client sent; a TLS proxy must pass it on, see the README). A client that
    sends neither (a script, a test client) is judged by the form token alone.
    """
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return True
    host = request.headers.get("host", "")
    return urlsplit(origin).netloc.lower() == host.lower()
