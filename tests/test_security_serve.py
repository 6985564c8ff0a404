"""The dev server under hostile or heavy clients (docs/security.md T14).

It answers only requests for localhost (DNS rebinding cannot read a client's kpis.json),
keeps up with 200 concurrent requests (listen backlog and a bounded worker pool), and a
client that disconnects mid-response leaves no traceback.
"""

from __future__ import annotations

import http.client
import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sitegen.dev.http import BACKLOG, host_allowed
from sitegen.dev.serve import DevServer

SECRET = '{"leads": 4242}'


def make_site(site: Path) -> None:
    (site / "data").mkdir(parents=True, exist_ok=True)
    (site / "index.html").write_text("<html><body><h1>Report</h1></body></html>")
    (site / "data" / "kpis.json").write_text(SECRET)
    (site / "big.bin").write_bytes(b"\0" * (16 * 1024 * 1024))


@contextmanager
def serving(tmp_path: Path) -> Iterator[tuple[DevServer, list[tuple[str, str]]]]:
    site = tmp_path / "site"
    make_site(site)
    logs: list[tuple[str, str]] = []
    server = DevServer(site, lambda: "", port=0, log=lambda kind, text: logs.append((kind, text)))
    server.start(build_first=False)
    try:
        yield server, logs
    finally:
        server.stop()


def get(port: int, path: str, host: str | None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.putrequest("GET", path, skip_host=True)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("host", "ok"),
    [
        ("127.0.0.1", True),
        ("127.0.0.1:8000", True),
        ("localhost", True),
        ("LOCALHOST:1234", True),
        ("[::1]", True),
        ("[::1]:8000", True),
        ("evil.example", False),
        ("evil.example:8000", False),
        ("localhost.evil.example", False),
        ("127.0.0.1.nip.io", False),
        ("localhost:80@evil", False),
        ("[::1", False),
        ("", False),
        (None, False),
    ],
)
def test_host_allowed(host: str | None, ok: bool) -> None:
    assert host_allowed(host, ["127.0.0.1"]) is ok


def test_a_foreign_host_gets_421_and_no_content(tmp_path: Path) -> None:
    with serving(tmp_path) as (server, _):
        for host in ("attacker.example", f"attacker.example:{server.port}", None):
            status, body = get(server.port, "/data/kpis.json", host)
            assert status == 421, host
            assert b"4242" not in body and len(body) < 100
        status, body = get(server.port, "/data/kpis.json", f"localhost:{server.port}")
        assert (status, body) == (200, SECRET.encode())


def test_200_concurrent_requests_are_all_answered(tmp_path: Path) -> None:
    assert BACKLOG >= 128
    n = 200
    with serving(tmp_path) as (server, _):
        barrier = threading.Barrier(n)
        results: list[int] = []

        def one() -> None:
            barrier.wait(30)
            try:
                results.append(get(server.port, "/index.html", "127.0.0.1")[0])
            except OSError as exc:
                results.append(-1)
                raise AssertionError(exc) from exc

        t0 = time.perf_counter()
        threads = [threading.Thread(target=one) for _ in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        seconds = time.perf_counter() - t0
    assert results.count(200) == n, sorted(set(results))
    assert seconds < 30


def test_a_client_gone_mid_response_leaves_no_traceback(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with serving(tmp_path) as (server, logs):
        for _ in range(3):
            done = server._requests  # the count to wait past
            s = socket.create_connection(("127.0.0.1", server.port))
            s.sendall(b"GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            s.recv(1024)  # the response has started
            # Close with a reset (linger 0) while 16 MB are still to be sent.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()
            assert server.wait_for_requests(done + 1, 30)
        status, _ = get(server.port, "/index.html", "localhost")
        assert status == 200  # and the server still answers
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert not [text for kind, text in logs if kind == "error"]


def test_writer_tags_match_the_writer() -> None:
    from sitegen.pipeline.writer import LOCK_TAG, OLD_TAG, TMP_TAG, WRITER_TAGS

    assert set(WRITER_TAGS) == {TMP_TAG, OLD_TAG, LOCK_TAG}
