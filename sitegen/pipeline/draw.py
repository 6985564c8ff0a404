"""Draw the charts' static SVGs: cached, once per distinct spec, in worker processes.

Charts dominate a cold build (vl-convert lays out every label), so they are rendered once per
distinct spec, taken from the cache when they can be, and spread over worker processes when
there are enough of them to pay for the workers' start-up (about 0.5 s each: a fresh Python
and vl-convert's JavaScript engine). ``sitegen.pipeline.projects`` spreads a portfolio's
projects over workers the same way (``worker_pool``).

Workers are started with "spawn": a fork of a process whose polars and vl-convert threads are
running can deadlock. Results come back in the input order whatever the finishing order, so
output and messages are deterministic.

Only the standard library and sitegen's light modules are imported at the top, so a worker
that only draws never imports polars, altair or Jinja.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sitegen.errors import UsageError
from sitegen.pipeline.cache import Cache, chart_key

if TYPE_CHECKING:
    from sitegen.present.charts.model import Chart

# A drawing worker costs about 0.5 s to start and warm, some 24 charts' worth of drawing
# (bench/run.py measures both): one worker is started per MIN_PARALLEL_CHARTS // 2 charts
# to draw (ChartRenderer.submit).
MIN_PARALLEL_CHARTS = 48
# Each worker gets charts in runs of this many, to keep the inter-process traffic low while
# still balancing cheap sparklines against expensive line charts.
CHART_CHUNK = 4


def cpu_count() -> int:
    """Return the CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def resolve_jobs(jobs: int) -> int:
    """Return the number of processes for -j N (0 means one per CPU)."""
    if jobs < 0:
        raise UsageError(f"-j must be 0 (one per CPU) or more, not {jobs}")
    return jobs or cpu_count()


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """Return a pool of workers started with "spawn" (see the module's docstring)."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


# -- charts ----------------------------------------------------------------------------------


@dataclass
class ChartStats:
    """How the charts of one build were obtained."""

    total: int = 0
    distinct: int = 0
    cached: int = 0
    rendered: int = 0
    workers: int = 0


def spec_json(spec: Mapping[str, Any]) -> str:
    """Return a chart spec as canonical JSON (the same spec always gives the same text)."""
    return json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# Compiled Vega per chart "shape" (a spec without its datasets), kept by each process for all
# the charts and projects it draws; cleared when full rather than tracked, as shapes repeat.
_SHAPES: dict[str, dict[str, Any] | None] = {}
MAX_SHAPES = 4096


def _shape(spec: dict[str, Any], names: list[str]) -> dict[str, Any] | None:
    """Return the Vega of spec compiled with its named datasets empty (None: not shareable)."""
    import vl_convert as vlc

    key = spec_json(spec) + "\n" + "\n".join(names)
    if key not in _SHAPES:
        vega: dict[str, Any] | None = vlc.vegalite_to_vega(
            {**spec, "datasets": {n: [] for n in names}}
        )
        # Each named dataset must come out as one top-level Vega data set holding the (empty)
        # values, so that filling in the values gives what compiling the whole spec gives.
        if vega is not None:
            found = [e.get("name") for e in vega.get("data", []) if e.get("values") == []]
            if sorted(n for n in found if n in names) != sorted(names):
                vega = None
        if len(_SHAPES) >= MAX_SHAPES:
            _SHAPES.clear()
        _SHAPES[key] = vega
    return _SHAPES[key]


def convert(text: str, fmt: Any, tfmt: Any) -> str:
    """Return the static SVG of a Vega-Lite spec given as JSON; as vl-convert draws it.

    Most charts of a build differ from another one only in their numbers, and compiling
    Vega-Lite to Vega is a fifth of vl-convert's time for a chart: each spec is compiled once
    per shape with its datasets left empty, and every chart of that shape gets its own values
    put into the compiled Vega. The SVG is the same (tests/test_parallel.py checks it).
    """
    import vl_convert as vlc

    whole: dict[str, Any] = json.loads(text)
    spec = {k: v for k, v in whole.items() if k != "datasets"}
    datasets: dict[str, Any] = whole.get("datasets") or {}
    vega = _shape(spec, sorted(datasets)) if datasets else None
    if vega is None:
        svg: str = vlc.vegalite_to_svg(
            whole, format_locale=fmt, time_format_locale=tfmt, allowed_base_urls=[]
        )
        return svg
    data = [
        {**e, "values": datasets[e["name"]]} if e.get("name") in datasets else e
        for e in vega["data"]
    ]
    svg = vlc.vega_to_svg(
        {**vega, "data": data}, format_locale=fmt, time_format_locale=tfmt, allowed_base_urls=[]
    )
    return svg


def _render_chunk(specs: list[str], fmt: Any, tfmt: Any) -> list[str]:
    """Render specs in a worker (no altair there): the same SVG as vl-convert in one process."""
    return [convert(s, fmt, tfmt) for s in specs]


def _warm_up() -> None:
    """Start a worker's JavaScript engine (about 0.4 s) before its first chart arrives."""
    convert(spec_json({"mark": "point"}), None, None)


_DONE = ""  # the queue's end marker (no chart key is empty)


class ChartRenderer:
    """Draw the charts' static SVGs, in worker processes while the pages are still being made.

    submit() is called as each chart is made (build_site's on_chart hook): a chart already
    in the cache is taken from it, a spec seen before is drawn once, and the rest are queued.
    With jobs > 1, worker processes start drawing the queue at once, each starting its
    JavaScript engine while the pages are made; a worker is added for every
    MIN_PARALLEL_CHARTS // 2 charts queued (up to jobs), so a rebuild with a few changed
    charts starts none and draws them here, in finish(). finish() waits for the last chart
    and sets every chart's svg. (Drawing in a thread of this process would not help:
    vl-convert holds the GIL while it draws.) Which process draws a chart never changes its
    SVG, so the site is the same for any -j.
    """

    def __init__(
        self,
        format_locale: Any,
        time_format_locale: Any,
        *,
        cache: Cache | None = None,
        jobs: int = 1,
        progress: Callable[[int, int], None] | None = None,
        first_build: bool = False,
    ) -> None:
        import queue
        import threading

        self.fmt, self.tfmt, self.cache = format_locale, time_format_locale, cache
        self.stats = ChartStats()
        jobs = resolve_jobs(jobs)
        self._max_workers = jobs if jobs > 1 else 0
        self._tick = progress or (lambda done, total: None)
        self._charts: list[Chart] = []
        self._keys: dict[int, str] = {}  # id(chart) -> key
        self._texts: dict[str, str] = {}
        self._svgs: dict[str, str] = {}
        self._drawn: list[str] = []  # keys queued for drawing, in order
        self._ended = False
        self._errors: list[BaseException] = []
        self._queue: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._changed = threading.Condition()
        self._threads: list[threading.Thread] = []
        self._pool: ProcessPoolExecutor | None = None
        if first_build and self._max_workers:
            # Every chart will be drawn: start a worker now, so its start-up (about 0.5 s)
            # overlaps reading the data instead of delaying the first drawings.
            self._add_worker()

    def _store(self, keys: list[str], svgs: list[str]) -> None:
        with self._changed:
            self._svgs.update(zip(keys, svgs, strict=True))
            self._changed.notify_all()

    def _feed_worker(self) -> None:
        """Send queued charts to the worker processes, a few at a time (a feeder thread)."""
        import queue

        pool = self._pool
        assert pool is not None
        done = False
        while not done:
            chunk = [self._queue.get()]
            # More keys if already waiting: fewer round trips, still balanced with the others.
            while len(chunk) < CHART_CHUNK and chunk[-1] != _DONE:
                try:
                    chunk.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            if chunk[-1] == _DONE:
                chunk.pop()
                done = True
            if not chunk:
                continue
            try:
                texts = [self._texts[k] for k in chunk]
                self._store(chunk, pool.submit(_render_chunk, texts, self.fmt, self.tfmt).result())
            except BaseException as exc:  # carried to finish(), raised in the main thread
                with self._changed:
                    self._errors.append(exc)
                    self._changed.notify_all()

    def _add_worker(self) -> None:
        import threading

        if self._pool is None:
            self._pool = worker_pool(self._max_workers)
        self._pool.submit(_warm_up)
        thread = threading.Thread(target=self._feed_worker, daemon=True, name="sitegen-charts")
        thread.start()
        self._threads.append(thread)
        self.stats.workers = len(self._threads)

    def submit(self, chart: Chart) -> None:
        """Take a chart as it is made: from the cache, or queued for drawing."""
        if chart.svg and not chart.spec:  # drawn by sitegen itself (sparklines)
            return
        self._charts.append(chart)
        text = spec_json(chart.spec)
        key = chart_key(text, self.fmt, self.tfmt)
        self._keys[id(chart)] = key
        if key in self._texts:
            return
        self._texts[key] = text
        data = self.cache.get("svg", key) if self.cache is not None else None
        if data is not None:
            self._svgs[key] = data.decode("utf-8")
            self.stats.cached += 1
            return
        self._queue.put(key)
        self._drawn.append(key)
        # One more worker per so many charts to draw: each costs about 0.5 s to start.
        wanted = min(self._max_workers, len(self._drawn) // (MIN_PARALLEL_CHARTS // 2))
        while len(self._threads) < wanted:
            self._add_worker()

    def finish(self, charts: Mapping[str, Chart] | None = None) -> ChartStats:
        """Draw what is still queued, here and in the workers; set every chart's svg."""
        import queue

        for chart in (charts or {}).values():
            if id(chart) not in self._keys:
                self.submit(chart)
        total = len(self._texts)
        # Without workers, this process draws. With them, it only waits: vl-convert holds the
        # GIL while it draws, which would starve the threads that feed the workers.
        while not self._threads:
            try:
                key = self._queue.get_nowait()
            except queue.Empty:
                break
            self._store([key], [convert(self._texts[key], self.fmt, self.tfmt)])
            self._tick(len(self._svgs), total)
        self._end_queue()
        with self._changed:
            while len(self._svgs) < total and not self._errors:
                self._tick(len(self._svgs), total)
                self._changed.wait()
        self.close()
        if self._errors:
            raise self._errors[0]
        self._tick(total, total)
        self.stats.total, self.stats.distinct, self.stats.rendered = (
            len(self._charts),
            total,
            len(self._drawn),
        )
        if self.cache is not None:
            for key in self._drawn:
                self.cache.put("svg", key, self._svgs[key].encode("utf-8"))
        for chart in self._charts:
            chart.svg = self._svgs[self._keys[id(chart)]]
        return self.stats

    def _end_queue(self, *, drop: bool = False) -> None:
        import queue

        if self._ended:
            return
        self._ended = True
        if drop:  # a failed build: what is still queued will not be needed
            with contextlib.suppress(queue.Empty):
                while True:
                    self._queue.get_nowait()
        for _ in self._threads:
            self._queue.put(_DONE)

    def close(self) -> None:
        """Stop the feeder threads and workers, whether or not finish() ran; idempotent."""
        self._end_queue(drop=True)
        for thread in self._threads:
            thread.join()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> ChartRenderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def render_all(
    charts: Mapping[str, Chart],
    format_locale: Any,
    time_format_locale: Any,
    *,
    cache: Cache | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> ChartStats:
    """Set every chart's svg: from the cache, else drawn once per distinct spec."""
    with ChartRenderer(
        format_locale, time_format_locale, cache=cache, jobs=jobs, progress=progress
    ) as renderer:
        return renderer.finish(charts)
