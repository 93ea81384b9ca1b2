"""Running the application on uvicorn: in the foreground for ``ckm serve``, or in a thread on an
ephemeral loopback port for tests (:func:`running`).

The access log is off: a request line holds the link's token, and a log file is not where a
token should end up. uvicorn's ``Server`` header is off too (it says nothing useful to a client).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from mcda_ckm.serve.app import create_app

__all__ = ["LOOPBACK", "exposed", "running", "serve"]

LOOPBACK = "127.0.0.1"
"""The default address: only this computer can connect."""


def exposed(host: str) -> bool:
    """Whether ``host`` lets other computers connect (anything but a loopback address).

    >>> exposed("127.0.0.1"), exposed("::1"), exposed("localhost"), exposed("0.0.0.0")
    (False, False, False, True)
    """
    if host == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


def _config(case: Path, host: str, port: int, lang: str) -> uvicorn.Config:
    return uvicorn.Config(
        create_app(case, lang=lang),
        host=host,
        port=port,
        access_log=False,  # request lines carry the links' tokens
        server_header=False,
        log_level="warning",
        lifespan="off",
    )


def serve(case: Path, *, host: str = LOOPBACK, port: int = 8000, lang: str = "en") -> None:
    """Serve the case until interrupted (Ctrl-C)."""
    uvicorn.Server(_config(case, host, port, lang)).run()


@contextmanager
def running(case: Path, *, lang: str = "en", timeout: float = 10.0) -> Iterator[str]:
    """Serve the case on ``127.0.0.1`` at a free port in a background thread; yields the base
    URL (``http://127.0.0.1:PORT``) and stops the server on exit (bounded waits both ways).

    Raises
    ------
    RuntimeError
        The server did not start (or stop) within ``timeout`` seconds.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((LOOPBACK, 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(_config(case, LOOPBACK, port, lang))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise RuntimeError(f"the test server did not start within {timeout:g} s")
        time.sleep(0.02)
    try:
        yield f"http://{LOOPBACK}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
        sock.close()
        if thread.is_alive():
            raise RuntimeError(f"the test server did not stop within {timeout:g} s")
