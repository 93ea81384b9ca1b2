"""``ckm serve`` (the panel's web questionnaire and the board) and ``ckm links`` (the personal
links: issue, re-issue, revoke).

A thin layer over :mod:`mcda_ckm.serve`: it prints the links and the warnings and starts the
server; the web application, the tokens and the files are the library's. Links go to stdout (one
per line: id, name, URL, tab-separated, for a mail merge); messages go to stderr.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from mcda_ckm.cli.console import err, friendly_errors
from mcda_ckm.cli.options import DEFAULT_LANG, CaseArg, LanguageChoice, value

__all__ = ["register"]

SERVE_EXTRA = "ckm serve needs the web extra: pip install 'mcda_ckm[serve]'"

HostOpt = Annotated[
    str,
    typer.Option(
        help="Address to listen on. The default 127.0.0.1 serves this computer only; 0.0.0.0 "
        "serves the whole network (a workshop LAN; see the README for TLS)."
    ),
]
PortOpt = Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")]
LinkHostOpt = Annotated[
    str, typer.Option("--host", help="The server's address, for the printed links (as ckm serve).")
]
LinkPortOpt = Annotated[
    int, typer.Option("--port", min=1, max=65535, help="The server's port, for the printed links.")
]
UrlOpt = Annotated[
    str | None,
    typer.Option(
        "--url",
        help="The address experts open, for the printed links (default http://HOST:PORT; give "
        "the proxy's https://... address behind a TLS reverse proxy).",
    ),
]


def _base(url: str | None, host: str, port: int) -> str:
    if url:
        return url.rstrip("/")
    shown = socket.gethostname() if host in ("0.0.0.0", "::") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def _print_links(issued: Any, base: str) -> None:
    from mcda_ckm.serve.links import board_url, expert_url

    for item in issued:  # plain lines with real tabs (rich would expand them): for a mail merge
        link = item.link
        if link.role == "board":
            print(f"board\t(consultant)\t{board_url(base, item.token)}", flush=True)
        else:
            print(f"{link.id}\t{link.name}\t{expert_url(base, item.token)}", flush=True)
    if issued:
        err.print(
            f"{len(issued)} link(s) issued. Each link is a password: send it only to its expert "
            "(the board link only to the consultant). Only their hashes are kept, in "
            "CASE/.links.toml: a lost link is re-issued with --reissue ID."
        )


def _issue(
    case: Path,
    new: list[str],
    reissue: list[str],
    revoke: list[str],
    reissue_board: bool,
    revoke_board: bool,
    lang: str | None,
    base: str,
) -> None:
    from mcda_ckm.elicit.interview import load_setup
    from mcda_ckm.serve.links import issue, panel_experts, read_links
    from mcda_ckm.serve.links import revoke as revoke_links

    with friendly_errors():
        setup = load_setup(case)
        if revoke or revoke_board:
            for link in revoke_links(case, revoke, board=revoke_board):
                err.print(f"revoked: {escape(link.id)} (answers kept)")
        experts = {k: v for k, v in panel_experts(setup, new).items() if k not in set(revoke)}
        issued = issue(
            case,
            experts,
            reissue=reissue,
            board=not revoke_board,
            reissue_board=reissue_board,
            lang=lang,
        )
        links = read_links(case)
    _print_links(issued, base)
    fresh = {i.link.id for i in issued}
    for link in links.experts:
        if link.id not in fresh and link.active:
            err.print(
                f"{escape(link.id)} ({escape(link.name)}): link issued {link.issued}; not shown "
                f"again (ckm links {case} --reissue {escape(link.id)} for a new one)"
            )


def links(
    case: CaseArg,
    expert: Annotated[
        list[str] | None,
        typer.Option(
            "--expert",
            "-e",
            help="Add an expert by name (repeatable); the judgement file is written with the "
            "first answer.",
        ),
    ] = None,
    reissue: Annotated[
        list[str] | None,
        typer.Option(help="Replace this expert's link by a new one (the old one stops working)."),
    ] = None,
    revoke: Annotated[
        list[str] | None,
        typer.Option(help="Stop this expert's link from working (the answers are kept)."),
    ] = None,
    reissue_board: Annotated[
        bool, typer.Option("--reissue-board", help="Replace the consultant's board link.")
    ] = False,
    revoke_board: Annotated[
        bool, typer.Option("--revoke-board", help="Stop the board link from working.")
    ] = False,
    lang: Annotated[
        LanguageChoice | None,
        typer.Option(help="Language of the questionnaire for the links issued now."),
    ] = None,
    url: UrlOpt = None,
    host: LinkHostOpt = "127.0.0.1",
    port: LinkPortOpt = 8000,
) -> None:
    """Issue a personal link to every expert of the panel who has none (and the consultant's
    board link); re-issue or revoke links. Prints each new link once."""
    _issue(
        case,
        list(expert or ()),
        list(reissue or ()),
        list(revoke or ()),
        reissue_board,
        revoke_board,
        value(lang),
        _base(url, host, port),
    )


def serve(
    case: CaseArg,
    host: HostOpt = "127.0.0.1",
    port: PortOpt = 8000,
    lang: Annotated[
        LanguageChoice,
        typer.Option(help="Language of the pages for links issued without one (ckm links --lang)."),
    ] = DEFAULT_LANG,
    links_: Annotated[
        bool,
        typer.Option(
            "--links", help="First issue the missing links (as ckm links does) and print them."
        ),
    ] = False,
    url: UrlOpt = None,
) -> None:
    """Serve the panel's web questionnaire (one personal link per expert) and the consultant's
    board, until Ctrl-C. Answers are saved to the case's panel/*.toml as ckm judge saves them."""
    try:
        from mcda_ckm.serve.server import exposed
        from mcda_ckm.serve.server import serve as run_server
    except ImportError:
        err.print(f"[bold red]error:[/] {SERVE_EXTRA}")
        raise typer.Exit(2) from None
    from mcda_ckm.serve.app import create_app

    base = _base(url, host, port)
    if links_:
        _issue(case, [], [], [], False, False, None, base)
    with friendly_errors():
        create_app(case, lang=value(lang))  # check the case before listening
    if exposed(host):
        err.print(
            f"[bold yellow]warning:[/] listening on {escape(host)}:{port}, reachable from other "
            "computers: anyone on this network who holds a link opens that expert's "
            "questionnaire (answers and weights), and the board link the whole panel's progress. "
            "The traffic is plain HTTP, readable on the network: use this on a trusted workshop "
            "LAN only, or behind a TLS reverse proxy (README, 'Serving the panel')."
        )
    err.print(
        f"Serving {escape(str(case))} on http://{escape(host)}:{port} (Ctrl-C to stop). "
        f"Links: ckm links {escape(str(case))}"
    )
    try:
        run_server(case, host=host, port=port, lang=value(lang))
    except OSError as exc:
        err.print(f"[bold red]error:[/] cannot listen on {escape(host)}:{port}: {exc}")
        raise typer.Exit(2) from None


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``links`` to the ``ckm`` app."""
    app.command("serve")(serve)
    app.command("links")(links)
