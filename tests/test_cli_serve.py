"""`sitegen serve`: serve over HTTP, live reload, build errors in the page, watching, stopping.

The DevServer tests use a stand-in build (fast); the last test runs the real command in a
subprocess: started on a free port, fetched, a file changed, the rebuilt page fetched, a
broken file shown in the page, and the server stopped with Ctrl-C. Every wait is bounded.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitegen.cli import app
from sitegen.dev.http import DEFAULT_PORT, error_page, inject
from sitegen.dev.serve import DevServer
from sitegen.errors import ConfigError, UsageError

# Seconds the longest condition below may take before the test fails: generous, because a
# loaded CI machine running the suite in parallel can make a build take ten times longer.
WAIT = 120.0


def fetch(url: str) -> tuple[int, str, dict[str, str]]:
    """GET url; return (status, body, headers), also for error statuses."""
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode("utf-8"), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8"), dict(e.headers)


def wait_for(condition: Callable[[], bool], timeout: float = WAIT) -> None:
    """Poll condition until it holds; fail the test after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if condition():
                return
        except OSError:  # a request timed out while the server was busy rebuilding: retry
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout}s")
        time.sleep(0.1)


def save_until(path: Path, text: str, seen: Callable[[], bool]) -> None:
    """Save text to path, again every 2 s, until seen() holds (bounded by WAIT).

    A server in another process gives no signal that its file watcher has started: saving
    again, as a user would, is what makes the test independent of that start-up time.
    """
    polls = 0

    def saved_and_seen() -> bool:
        nonlocal polls
        if polls % 20 == 0:
            path.write_text(text, encoding="utf-8")
        polls += 1
        return seen()

    wait_for(saved_and_seen)


def write_site(site: Path, title: str) -> None:
    (site / "static").mkdir(parents=True, exist_ok=True)
    (site / "index.html").write_text(
        f"<!doctype html><html><body><h1>{title}</h1></body></html>\n", encoding="utf-8"
    )
    (site / "static" / "site.css").write_text("body { margin: 0 }\n", encoding="utf-8")


@contextlib.contextmanager
def running(server: DevServer) -> Iterator[DevServer]:
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_pages_get_the_reload_script_and_other_files_do_not(tmp_path: Path) -> None:
    site = tmp_path / "site"
    server = DevServer(site, lambda: write_site(site, "One") or "", port=0)
    with running(server):
        status, body, headers = fetch(server.url)
        assert status == 200
        assert body == (
            "<!doctype html><html><h1>One</h1>".replace("<h1>", "<body><h1>")
            + '<script src="/__sitegen/reload.js" data-version="1"></script>\n'
            + "</body></html>\n"
        )
        assert headers["Cache-Control"] == "no-store"
        assert fetch(server.url + "index.html")[1] == body
        status, css, headers = fetch(server.url + "static/site.css")
        assert (status, css) == (200, "body { margin: 0 }\n")
        assert fetch(server.url + "__sitegen/version")[:2] == (200, "1")
        status, js, headers = fetch(server.url + "__sitegen/reload.js")
        assert status == 200
        assert headers["Content-Type"] == "text/javascript; charset=utf-8"
        assert 'fetch("/__sitegen/version"' in js and "location.reload()" in js
        assert fetch(server.url + "missing.html")[0] == 404
    # The built file itself never gets the script: only the server adds it.
    assert "__sitegen" not in (site / "index.html").read_text("utf-8")
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", server.port), timeout=2).close()


def test_a_failed_build_is_shown_in_the_page_and_the_server_keeps_running(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    broken = {"now": False}

    def build() -> str:
        if broken["now"]:
            raise ConfigError("bad <b>value</b> & more", file="sitegen.toml", key="project.name")
        write_site(site, "Fine")
        return "1 page"

    logs: list[tuple[str, str]] = []
    server = DevServer(site, build, port=0, log=lambda kind, text: logs.append((kind, text)))
    with running(server):
        broken["now"] = True
        assert server.rebuild().error is not None
        status, body, _ = fetch(server.url)
        assert status == 500
        assert "<h1>The build failed</h1>" in body
        assert (
            "<pre>sitegen.toml [project.name]: bad &lt;b&gt;value&lt;/b&gt; &amp; more</pre>"
        ) in body
        assert "<b>value" not in body
        assert '<script src="/__sitegen/reload.js" data-version="2"></script>' in body
        assert fetch(server.url + "kpis/ctr.html")[0] == 500
        assert fetch(server.url + "static/site.css")[0] == 200
        assert fetch(server.url + "__sitegen/version")[1] == "2"
        broken["now"] = False
        server.rebuild()
        status, body, _ = fetch(server.url)
        assert status == 200 and "<h1>Fine</h1>" in body and 'data-version="3"' in body
    assert [k for k, _ in logs] == ["info", "error", "info"]
    assert logs[0][1].startswith("Built in ") and logs[0][1].endswith("s: 1 page")
    assert logs[1][1].startswith("Build failed (")
    assert logs[1][1].endswith(
        "; the page shows the error:\nsitegen.toml [project.name]: bad <b>value</b> & more"
    )


def test_a_crash_in_the_build_is_shown_too(tmp_path: Path) -> None:
    def build() -> str:
        raise RuntimeError("boom")

    with running(DevServer(tmp_path / "site", build, port=0)) as server:
        status, body, _ = fetch(server.url)
        assert status == 500
        assert "sitegen crashed (please report this):\nTraceback" in body
        assert "RuntimeError: boom" in body


def test_changes_in_watched_folders_rebuild_but_the_output_does_not(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    site = project / "site"  # inside the watched folder: its writes must not loop
    builds: list[float] = []

    def build() -> str:
        builds.append(time.monotonic())
        write_site(site, f"Build {len(builds)}")
        return ""

    logs: list[str] = []
    server = DevServer(
        site,
        build,
        watch=[project],
        ignore=[site],
        port=0,
        log=lambda kind, text: logs.append(text),
    )
    with running(server):
        assert server.wait_for_watch_tick(0, WAIT), "the watcher did not start"
        (project / "notes.swp").write_text("editor swap file", encoding="utf-8")
        (project / "sitegen.toml").write_text("[project]\n", encoding="utf-8")
        wait_for(lambda: server.state().version >= 2)
        assert "<h1>Build 2</h1>" in fetch(server.url)[1]
        # The rebuild wrote into site/: that must not trigger another one. Two more passes of
        # the watcher mean one whole pass began after the rebuild ended and saw its writes.
        assert server.wait_for_watch_tick(server.watch_ticks() + 1, WAIT)
        assert server.state().version == 2
    changed = [text for text in logs if text.startswith("Changed: ")]
    assert len(changed) == 1 and changed[0].endswith("project/sitegen.toml")


def test_inject_before_the_end_of_the_body() -> None:
    assert inject(b"<p>x</p></BODY>", 4) == (
        b'<p>x</p><script src="/__sitegen/reload.js" data-version="4"></script>\n</BODY>'
    )
    assert inject(b"<p>no body end</p>", 1).endswith(b'data-version="1"></script>')
    assert b"&lt;script&gt;" in error_page("<script>", 1)


def test_a_busy_port_is_a_usage_error(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(UsageError) as exc:
            DevServer(tmp_path, lambda: "", port=port)
        assert str(exc.value) == (
            f"cannot listen on 127.0.0.1:{port}: Address already in use\n"
            "  hint: choose another port with --port N, or --port 0 for any free port"
        )
        root = tmp_path / "acme"
        (root / "data").mkdir(parents=True)
        (root / "sitegen.toml").write_text('[project]\nname = "A"\n', encoding="utf-8")
        res = CliRunner().invoke(app, ["serve", str(root), "--port", str(port)])
        assert res.exit_code == 2
        assert res.stderr.startswith(f"Error: cannot listen on 127.0.0.1:{port}: ")


def test_default_port_falls_back_to_a_free_one(tmp_path: Path) -> None:
    with socket.socket() as s:
        with contextlib.suppress(OSError):  # already taken by someone else: just as good
            s.bind(("127.0.0.1", DEFAULT_PORT))
            s.listen()
        server = DevServer(tmp_path, lambda: "", port=None)
        try:
            assert server.port != DEFAULT_PORT
            assert server.url == f"http://127.0.0.1:{server.port}/"
        finally:
            server.stop()


def test_serve_needs_a_project_folder(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["serve", str(tmp_path)], env={"NO_COLOR": "1"})
    assert res.exit_code == 2
    assert res.stderr == (
        f"Error: {tmp_path} is not a project folder (no sitegen.toml)\n"
        "  hint: 'sitegen serve' serves one project; 'sitegen new DIR' creates one\n"
    )


CSV = "date,impressions,clicks\n2025-01-01,100,5\n2025-01-02,120,6\n"


class Serving:
    """`sitegen serve ...` in a subprocess, its output collected line by line."""

    def __init__(self, cwd: Path, *args: str) -> None:
        self.tmp = cwd / "tmp"
        self.tmp.mkdir(exist_ok=True)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sitegen.cli", "serve", *args],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={
                "PATH": os.environ["PATH"],
                "HOME": str(cwd),
                "NO_COLOR": "1",
                "TMPDIR": str(self.tmp),
            },
        )
        self.out: list[str] = []
        self.err: list[str] = []
        proc = self.proc
        self.readers = [
            threading.Thread(target=lambda: self.out.extend(proc.stdout or []), daemon=True),
            threading.Thread(target=lambda: self.err.extend(proc.stderr or []), daemon=True),
        ]
        for t in self.readers:
            t.start()
        self.code: int | None = None

    def url(self) -> str:
        """Wait for the "Serving ... at URL" line; return the URL."""
        wait_for(
            lambda: any(x.startswith("Serving ") for x in self.out) or self.proc.poll() is not None
        )
        assert self.proc.poll() is None, "".join(self.err)
        line = next(x for x in self.out if x.startswith("Serving "))
        assert line.endswith("/ (Ctrl-C to stop)\n"), line
        return line.split(" at ", 1)[1].split(" ", 1)[0]

    def stop(self) -> int:
        """Press Ctrl-C; return the exit status."""
        self.proc.send_signal(signal.SIGINT)
        try:
            self.code = self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise
        finally:
            for t in self.readers:
                t.join(timeout=5)
            for pipe in (self.proc.stdout, self.proc.stderr):
                if pipe is not None:
                    pipe.close()
        return self.code


def project(tmp_path: Path, name: str, csv: str = CSV) -> Path:
    root = tmp_path / "acme"
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "sitegen.toml").write_text(f'[project]\nname = "{name}"\n', encoding="utf-8")
    (root / "data" / "ads.csv").write_text(csv, encoding="utf-8")
    return root


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1].rstrip("/"))


def test_serve_end_to_end(tmp_path: Path) -> None:
    config = project(tmp_path, "Acme One") / "sitegen.toml"
    serving = Serving(tmp_path, "acme", "--port", "0")
    try:
        url = serving.url()
        assert url.startswith("http://127.0.0.1:") and _port(url) > 0
        assert serving.out[0] == f"Serving acme at {url} (Ctrl-C to stop)\n"

        status, page, _ = fetch(url)
        assert status == 200 and "Acme One" in page
        assert '<script src="/__sitegen/reload.js" data-version="1"></script>' in page

        # Wait on the reload counter, which moves when a rebuild has ended: the page itself
        # changes on disk while the rebuild is still writing.
        version = url + "__sitegen/version"
        save_until(config, '[project]\nname = "Acme Two"\n', lambda: int(fetch(version)[1]) >= 2)
        assert "Acme Two" in fetch(url)[1]

        config.write_text('[project]\nname = "Acme <Three>\n', encoding="utf-8")
        wait_for(lambda: fetch(url)[0] == 500)
        page = fetch(url)[1]
        assert "sitegen.toml:2:" in page and "TOML syntax error" in page
        assert "Acme &lt;Three&gt;" in page
        assert any("Build failed" in line for line in serving.err)

        config.write_text('[project]\nname = "Acme Four"\n', encoding="utf-8")
        wait_for(lambda: "Acme Four" in fetch(url)[1])
    finally:
        code = serving.stop()
    assert code == 0, "".join(serving.err)
    assert serving.out[-1] == "Stopped.\n"
    err = "".join(serving.err)
    assert err.startswith("Building acme ...\nBuilt in ")
    assert "Traceback" not in err
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", _port(url)), 2).close()
    # The temporary site is gone with the server.
    assert not [p for p in serving.tmp.iterdir() if p.name.startswith("sitegen-serve-")]


def test_serve_output_strict_and_verbose(tmp_path: Path) -> None:
    mood = "date,impressions,clicks,Mood\n2025-01-01,100,5,x\n2025-01-02,120,6,y\n"
    root = project(tmp_path, "Acme", mood)
    serving = Serving(tmp_path, "acme", "--port", "0", "-o", "site", "--strict", "-v")
    try:
        url = serving.url()
        # --strict: the unknown column's warning fails the build, and the page says so.
        status, page, _ = fetch(url)
        assert status == 500
        assert "1 warning(s) and --strict is on" in page and "Mood" in page
        # -v: every request is logged.
        wait_for(lambda: any('"GET / HTTP/1.1" 500' in line for line in serving.err))
        save_until(root / "data" / "ads.csv", CSV, lambda: fetch(url)[0] == 200)
        # -o: the site is written where asked, without the reload script.
        assert "__sitegen" not in (tmp_path / "site" / "index.html").read_text("utf-8")
    finally:
        assert serving.stop() == 0
    assert (tmp_path / "site" / "index.html").is_file()


def test_serve_quiet_prints_the_address_and_errors_only(tmp_path: Path) -> None:
    root = project(tmp_path, "Acme")
    (root / "sitegen.toml").write_text("[project\n", encoding="utf-8")
    serving = Serving(tmp_path, "acme", "--port", "0", "-q")
    try:
        url = serving.url()
        assert fetch(url)[0] == 500
    finally:
        assert serving.stop() == 0
    assert serving.out == [f"Serving acme at {url} (Ctrl-C to stop)\n"]
    err = "".join(serving.err)
    assert err.startswith("Build failed (")
    assert "sitegen.toml:1:" in err
    assert "Building" not in err
