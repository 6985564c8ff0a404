"""The dev server's HTTP side: serve a folder on localhost, inject live reload, show errors.

Bound to 127.0.0.1 only: client data never leaves the machine. Only requests whose Host
header is 127.0.0.1, localhost or [::1] (or the bound name) are answered (421 otherwise), so a
web page cannot read the site by DNS rebinding. A pool of WORKERS threads answers, with a
listen backlog of BACKLOG; a client that disconnects mid-response is not an error.
"""

from __future__ import annotations

import errno
import html
import socket
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from sitegen.errors import UsageError

HOST = "127.0.0.1"
# The Host header values a page is served for (with any port), besides the bound name.
LOCAL_NAMES = ("127.0.0.1", "localhost", "::1")
DEFAULT_PORT = 8000
# Connections the kernel queues while every worker is busy (http.server's default is 5).
BACKLOG = 128
# Threads that answer requests: enough for a browser's parallel loads, bounded under a flood.
WORKERS = 16
PREFIX = "/__sitegen/"
VERSION_PATH = PREFIX + "version"
RELOAD_PATH = PREFIX + "reload.js"


RELOAD_JS = """// Added by `sitegen serve` only: reload the page when the site has been rebuilt.
(function () {
  "use strict";
  var script = document.currentScript;
  var seen = script ? script.getAttribute("data-version") : null;
  function poll() {
    fetch("/__sitegen/version", { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (v) {
        if (seen === null) { seen = v; }
        if (v !== seen) { window.location.reload(); return; }
        setTimeout(poll, 500);
      })
      .catch(function () { setTimeout(poll, 2000); });  // the server is restarting
  }
  setTimeout(poll, 500);
})();
"""

ERROR_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed - sitegen serve</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem;
  padding: 0 1rem; color: #1b1b1b; background: #fff; }}
h1 {{ color: #b3261e; font-size: 1.4rem; }}
pre {{ background: #fdf0ef; border-left: 4px solid #b3261e; padding: 1rem; overflow-x: auto;
  white-space: pre-wrap; }}
@media (prefers-color-scheme: dark) {{
  body {{ color: #e6e6e6; background: #161616; }} pre {{ background: #2a1a19; }}
}}
</style>
</head>
<body>
<h1>The build failed</h1>
<p>sitegen is still watching the project: fix the file, save it, and this page reloads.</p>
<pre>{message}</pre>
{script}
</body>
</html>
"""


def reload_tag(version: int) -> str:
    """Return the script tag the dev server adds to each HTML page."""
    return f'<script src="{RELOAD_PATH}" data-version="{version}"></script>'


def inject(page: bytes, version: int) -> bytes:
    """Return the HTML page with the live-reload script added before </body>."""
    tag = reload_tag(version).encode()
    low = page.lower()
    at = low.rfind(b"</body>")
    if at < 0:
        return page + tag
    return page[:at] + tag + b"\n" + page[at:]


def error_page(message: str, version: int) -> bytes:
    """Return the page shown while the last build failed (the message HTML-escaped)."""
    return ERROR_PAGE.format(message=html.escape(message), script=reload_tag(version)).encode()


@dataclass
class State:
    """The outcome of the last build: a counter the pages poll, and the error if it failed."""

    version: int = 0
    error: str | None = None
    seconds: float = 0.0


class Site(Protocol):
    """What the HTTP side asks of the dev server behind it (sitegen.dev.serve.DevServer)."""

    @property
    def host_names(self) -> Sequence[str]:
        """Return the Host names (besides localhost) the site is served for."""
        ...

    def state(self) -> State:
        """Return the last build's outcome."""
        ...

    def log_request(self, text: str) -> None:
        """Log one HTTP request."""
        ...

    def log_error(self, text: str) -> None:
        """Log a failed request."""
        ...

    def request_done(self) -> None:
        """Note that a request has been answered."""
        ...


class _Server(ThreadingHTTPServer):
    """An HTTP server with a real listen backlog and a bounded pool of worker threads.

    The accept loop hands each connection to one of WORKERS threads; when all are busy it
    waits for one, and new connections wait in the kernel's backlog (BACKLOG) instead of
    each getting a thread. A client that goes away mid-response is no error.
    """

    daemon_threads = True
    request_queue_size = BACKLOG
    dev: Site

    def __init__(self, address: tuple[str, int], handler: Callable[..., _Handler]) -> None:
        self._slots = threading.BoundedSemaphore(WORKERS)
        self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="sitegen-serve")
        try:
            super().__init__(address, handler)
        except BaseException:
            self._pool.shutdown(wait=False)
            raise

    def process_request(self, request: Any, client_address: Any) -> None:
        self._slots.acquire()
        try:
            self._pool.submit(self._work, request, client_address)
        except RuntimeError:  # the pool is shut down: the server is stopping
            self._slots.release()
            self.shutdown_request(request)

    def _work(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)
            self._slots.release()
            self.dev.request_done()

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            return  # the browser closed the tab or the connection: nothing to report
        self.dev.log_error(
            f"request from {client_address[0]} failed:\n" + "".join(traceback.format_exc())
        )

    def server_close(self) -> None:
        super().server_close()
        self._pool.shutdown(wait=False, cancel_futures=True)


def host_allowed(host: str | None, names: Sequence[str]) -> bool:
    """Return True when a Host header names this machine: 127.0.0.1, localhost, [::1] or names.

    Any port is fine. Anything else (a DNS-rebinding attacker's name, an empty header) is
    refused, so a web page elsewhere cannot read the site through the victim's browser.
    """
    if not host:
        return False
    host = host.strip().lower()
    if host.startswith("["):
        end = host.find("]")
        if end < 0:
            return False
        name, rest = host[1:end], host[end + 1 :]
    else:
        name, sep, port = host.partition(":")
        rest = sep + port
    if rest and not (rest.startswith(":") and rest[1:].isdigit()):
        return False
    return name in {*LOCAL_NAMES, *(n.lower() for n in names)}


class _Handler(SimpleHTTPRequestHandler):
    server: _Server
    # A client that sends nothing (or stops reading) gives its worker back after this long.
    timeout = 30

    def end_headers(self) -> None:
        # Always fresh: a reload must show the rebuilt files, not the browser's cached ones.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        self.server.dev.log_request(format % args)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        if not host_allowed(self.headers.get("Host"), self.server.dev.host_names):
            body = b"421 Misdirected Request: this server answers to localhost only\n"
            self._send(HTTPStatus.MISDIRECTED_REQUEST, body, "text/plain; charset=utf-8")
            return
        path = urlsplit(self.path).path
        state = self.server.dev.state()
        if path == VERSION_PATH:
            self._send(HTTPStatus.OK, str(state.version).encode(), "text/plain; charset=utf-8")
            return
        if path == RELOAD_PATH:
            self._send(HTTPStatus.OK, RELOAD_JS.encode(), "text/javascript; charset=utf-8")
            return
        is_page = path.endswith(("/", ".html", ".htm")) or "." not in path.rsplit("/", 1)[-1]
        if state.error is not None and is_page:
            body = error_page(state.error, state.version)
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, body, "text/html; charset=utf-8")
            return
        file = Path(self.translate_path(self.path))
        if file.is_dir() and path.endswith("/"):
            file = file / "index.html"
        if file.suffix in (".html", ".htm") and file.is_file():
            try:
                page = file.read_bytes()
            except OSError:  # swapped away by a rebuild between the check and the read
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            self._send(HTTPStatus.OK, inject(page, state.version), "text/html; charset=utf-8")
            return
        super().do_GET()


def _bind(host: str, port: int | None, handler: Callable[..., _Handler]) -> _Server:
    """Bind to port; with no port, DEFAULT_PORT when free, else any free port."""
    candidates = [DEFAULT_PORT, 0] if port is None else [port]
    for candidate in candidates:
        try:
            return _Server((host, candidate), handler)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE or candidate == candidates[-1]:
                raise UsageError(
                    f"cannot listen on {host}:{candidate}: {exc.strerror}",
                    hint="choose another port with --port N, or --port 0 for any free port",
                ) from None
    raise AssertionError("unreachable")  # pragma: no cover


def free_port(host: str = HOST) -> int:
    """Return a port that is free now (for tests and scripts)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])
