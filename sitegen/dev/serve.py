"""The development server (``sitegen serve``): build, serve, watch, rebuild, reload the browser.

- The site is built into a folder of its own (a temporary one unless ``-o`` is given) and
  served from it by ``http.server`` in a thread, bound to 127.0.0.1 only: client data never
  leaves the machine. Only requests whose Host header is 127.0.0.1, localhost or [::1] are
  answered (421 otherwise), so a web page cannot read the site by DNS rebinding. A pool of
  WORKERS threads answers, with a listen backlog of BACKLOG; a client that disconnects
  mid-response is not an error.
- watchfiles watches the project and the themes; each batch of changes triggers a rebuild.
  Rebuilds are incremental through the build cache: charts whose data did not change are
  not rendered again.
- Live reload: the server (never the build) adds ``<script src="/__sitegen/reload.js">`` to
  every HTML page it serves. The script polls ``/__sitegen/version`` and reloads the page when
  the number changes. It is a file, not inline code, because the site's CSP allows scripts
  from 'self' only.
- A failed build does not stop the server: every page shows the error (HTML-escaped) until a
  rebuild succeeds, and the error page reloads itself too.

The library never prints: progress goes to the ``log`` callback the CLI passes in.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from sitegen.dev.http import (
    HOST,
    State,
    _bind,
    _Handler,
)
from sitegen.errors import SitegenError, UsageError
from sitegen.pipeline.writer import WRITER_TAGS, check_target

# Files the watcher ignores on top of watchfiles' defaults (editor swap files, .git, ...):
# the writer's and the cache's temporary files, which a build itself creates.
IGNORE_PATTERNS = (r"^\.sitegen-", r"^\.tmp-")
# How long the watcher waits for a change before it reports a quiet spell (see watch_ticks).
WATCH_TICK_MS = 200

Builder = Callable[[], str]
# log(kind, text): kind is "info", "error" (a failed build) or "request" (one HTTP request).
Log = Callable[[str, str], None]


class DevServer:
    """Serve a folder on 127.0.0.1, rebuild it when watched files change, reload browsers."""

    def __init__(
        self,
        site: Path,
        build: Builder,
        *,
        watch: Sequence[Path] = (),
        ignore: Sequence[Path] = (),
        port: int | None = None,
        host: str = HOST,
        log: Log | None = None,
        log_requests: bool = False,
    ) -> None:
        self.site = site
        self._build = build
        self._watch = [p.resolve() for p in watch if p.exists()]
        self._ignore = list(ignore)
        self._log = log or (lambda kind, text: None)
        self._log_requests = log_requests
        self._state = State()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        # Counts the watcher's passes (a batch of changes, or a quiet spell of WATCH_TICK_MS):
        # once it moves, the watcher is running, and a pass after a build means every change
        # that build made has been seen (and filtered). Tests wait on it instead of sleeping.
        self._ticks = 0
        self._ticked = threading.Condition()
        self._threads: list[threading.Thread] = []
        # Requests answered (or dropped) so far: tests wait on it instead of sleeping.
        self._requests = 0
        self._answered = threading.Condition()
        self.host_names: tuple[str, ...] = (host,)
        self._httpd = _bind(host, port, partial(_Handler, directory=str(site)))
        self._httpd.dev = self

    @property
    def url(self) -> str:
        """Return the server's address, e.g. http://127.0.0.1:8000/."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/"

    @property
    def port(self) -> int:
        """Return the port the server listens on."""
        return int(self._httpd.server_address[1])

    def state(self) -> State:
        """Return a copy of the last build's outcome."""
        with self._lock:
            return State(self._state.version, self._state.error, self._state.seconds)

    def watch_ticks(self) -> int:
        """Return how many passes the file watcher has made (0: not watching yet)."""
        with self._ticked:
            return self._ticks

    def wait_for_watch_tick(self, after: int, timeout: float) -> bool:
        """Block until the watcher has made a pass after the given count; False on timeout."""
        with self._ticked:
            return self._ticked.wait_for(lambda: self._ticks > after, timeout)

    def _tick(self) -> None:
        with self._ticked:
            self._ticks += 1
            self._ticked.notify_all()

    def request_done(self) -> None:
        """Count one request handled (answered, refused or dropped by its client)."""
        with self._answered:
            self._requests += 1
            self._answered.notify_all()

    def wait_for_requests(self, count: int, timeout: float) -> bool:
        """Block until count requests in all have been handled; False on timeout."""
        with self._answered:
            return self._answered.wait_for(lambda: self._requests >= count, timeout)

    def log_error(self, text: str) -> None:
        """Log a request that failed in the server itself (a bug, not a client)."""
        self._log("error", text)

    def log_request(self, text: str) -> None:
        """Log one HTTP request (only with log_requests, i.e. --verbose)."""
        if self._log_requests:
            self._log("request", text)

    def rebuild(self) -> State:
        """Build the site once; record the outcome; never raise for a broken project."""
        t0 = time.perf_counter()
        error: str | None = None
        summary = ""
        try:
            summary = self._build()
        except SitegenError as exc:
            error = str(exc)
        except Exception as exc:  # a bug must not kill the server the user is working with
            error = "sitegen crashed (please report this):\n" + "".join(
                traceback.format_exception(exc)
            )
        seconds = time.perf_counter() - t0
        with self._lock:
            self._state = State(self._state.version + 1, error, seconds)
            state = State(self._state.version, error, seconds)
        if error is None:
            self._log("info", f"Built in {seconds:.1f}s" + (f": {summary}" if summary else ""))
        else:
            self._log("error", f"Build failed ({seconds:.1f}s); the page shows the error:\n{error}")
        return state

    def start(self, *, build_first: bool = True) -> None:
        """Build once (unless told not to), then serve and watch in background threads."""
        if build_first:
            self.rebuild()
        serve = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True
        )
        watch = threading.Thread(target=self._watch_loop, daemon=True)
        self._threads = [serve, watch]
        for t in self._threads:
            t.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until stop() is called (or timeout seconds); return True when stopped."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._stop.is_set():
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return False
            # Short waits keep the main thread responsive to Ctrl-C.
            self._stop.wait(0.2 if left is None else min(0.2, left))
        return True

    def stop(self) -> None:
        """Stop serving and watching; wait for the threads to end."""
        self._stop.set()
        if self._threads:
            # shutdown() waits for serve_forever to end: it would wait forever if never started.
            self._httpd.shutdown()
        self._httpd.server_close()
        for t in self._threads:
            t.join(timeout=10)

    def _watch_loop(self) -> None:
        if not self._watch:
            return
        import watchfiles

        default = watchfiles.DefaultFilter(
            ignore_entity_patterns=(
                *watchfiles.DefaultFilter.ignore_entity_patterns,
                *IGNORE_PATTERNS,
            )
        )
        ignored = [p.resolve() for p in self._ignore]

        def flt(change: Any, path: str) -> bool:
            # By path parts, not string prefix: ignoring site/ must not ignore sitegen.toml.
            p = Path(path)
            if any(p == i or p.is_relative_to(i) for i in ignored):
                return False
            # The writer's lock file and temporary folders beside the site (-o p/site).
            if any(tag in part for part in p.parts for tag in WRITER_TAGS):
                return False
            return bool(default(change, path))

        for changes in watchfiles.watch(
            *self._watch,
            watch_filter=flt,
            debounce=400,
            stop_event=self._stop,
            raise_interrupt=False,
            rust_timeout=WATCH_TICK_MS,
            yield_on_timeout=True,
        ):
            if self._stop.is_set():
                break
            if not changes:  # a quiet spell: nothing changed
                self._tick()
                continue
            names = sorted({_short(Path(p)) for _, p in changes})
            more = " ..." if len(names) > 5 else ""
            self._log("info", "Changed: " + ", ".join(names[:5]) + more)
            self.rebuild()
            self._tick()


def _short(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


class ProjectServer(DevServer):
    """A DevServer for one project folder: builds it with the build cache, watches it."""

    def __init__(
        self,
        project: Path,
        *,
        output: Path | None = None,
        port: int | None = None,
        strict: bool = False,
        log: Log | None = None,
        log_requests: bool = False,
        force: bool = False,
    ) -> None:
        # Imported here for start-up speed only: DevServer alone needs no config or cache.
        from sitegen.config.project import is_project
        from sitegen.pipeline.cache import Cache, default_dir
        from sitegen.theme.env import themes_dir

        if not project.is_dir() or not is_project(project):
            raise UsageError(
                f"{project} is not a project folder (no sitegen.toml)",
                hint="'sitegen serve' serves one project; 'sitegen new DIR' creates one",
            )
        self.project = project.resolve()
        self._tmp: Path | None = None
        if output is None:
            self._tmp = Path(tempfile.mkdtemp(prefix="sitegen-serve-"))
            site = self._tmp / "site"
        else:
            site = output.resolve()
            # Refused now, not as an error page: -o onto a project or a foreign folder.
            check_target(site, [self.project], force=force)
        self._force = force
        cache_dir = default_dir(site)
        self._cache = Cache(cache_dir)
        self._strict = strict
        try:
            super().__init__(
                site,
                self._build_project,
                watch=[self.project, themes_dir()],
                ignore=[site, cache_dir],
                port=port,
                log=log,
                log_requests=log_requests,
            )
        except BaseException:
            self._cleanup()
            raise

    def _build_project(self) -> str:
        # Imported here for start-up speed only: the first build needs it, not the server.
        from sitegen.pipeline.run import build_project

        result = build_project(
            self.project, self.site, strict=self._strict, cache=self._cache, force=self._force
        )
        warnings = "".join(f"\n  warning: {w}" for w in result.warnings)
        return (
            f"{result.pages} pages, {result.charts} charts, {len(result.warnings)} warnings"
            + warnings
        )

    def stop(self) -> None:
        """Stop the server and delete the temporary site."""
        try:
            super().stop()
        finally:
            self._cleanup()

    def _cleanup(self) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None


__all__ = ["DevServer", "ProjectServer"]
