"""Fast builds: cached and parallel chart rendering, parallel projects, CI shards.

Charts dominate a cold build (vl-convert lays out every label), so they are rendered once per
distinct spec, taken from the cache when they can be, and spread over worker processes when
there are enough of them to pay for the workers' start-up (about 0.5 s each: a fresh Python
and vl-convert's JavaScript engine). A portfolio's projects are spread over workers the same
way; each worker keeps its engine warm for every project it builds.

Workers are started with "spawn": a fork of a process whose polars and vl-convert threads are
running can deadlock. Results come back in the input order whatever the finishing order, so
output and messages are deterministic.

Only the standard library and sitegen's light modules are imported at the top, so the
no-change check (``unchanged_build``) answers before the pipeline is imported.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen import cache as cache_mod
from sitegen.cache import Cache
from sitegen.errors import SitegenError, SitegenWarning, UsageError

if TYPE_CHECKING:
    from sitegen.build import BuildResult
    from sitegen.charts import Chart

# Below this many charts to render, one process is faster than starting workers (bench/run.py
# measures both: about 25 ms a chart against about 0.6 s to start and warm a worker).
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


def _pool(workers: int) -> ProcessPoolExecutor:
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


def _render_chunk(specs: list[str], fmt: Any, tfmt: Any) -> list[str]:
    """Render specs in a worker; the same call as sitegen.charts.render_svg, without altair."""
    import vl_convert as vlc

    return [
        vlc.vegalite_to_svg(
            json.loads(s), format_locale=fmt, time_format_locale=tfmt, allowed_base_urls=[]
        )
        for s in specs
    ]


def render_all(
    charts: Mapping[str, Chart],
    format_locale: Any,
    time_format_locale: Any,
    *,
    cache: Cache | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> ChartStats:
    """Set every chart's svg: from the cache, else rendered once per distinct spec.

    progress(done, total) is called as distinct charts are done, for a progress display.
    """
    stats = ChartStats(total=len(charts))
    by_key: dict[str, list[Chart]] = {}
    texts: dict[str, str] = {}
    for chart in charts.values():
        if chart.svg and not chart.spec:  # drawn by sitegen itself (sparklines)
            continue
        text = spec_json(chart.spec)
        key = cache_mod.chart_key(text, format_locale, time_format_locale)
        by_key.setdefault(key, []).append(chart)
        texts[key] = text
    stats.distinct = len(by_key)
    svgs: dict[str, str] = {}
    if cache is not None:
        for key in by_key:
            data = cache.get("svg", key)
            if data is not None:
                svgs[key] = data.decode("utf-8")
        stats.cached = len(svgs)
    todo = [k for k in by_key if k not in svgs]
    stats.rendered = len(todo)
    tick = progress or (lambda done, total: None)
    tick(len(svgs), len(by_key))
    workers = min(resolve_jobs(jobs), -(-len(todo) // (MIN_PARALLEL_CHARTS // 2)))
    if workers > 1 and len(todo) >= MIN_PARALLEL_CHARTS:
        stats.workers = workers
        chunks = [todo[i : i + CHART_CHUNK] for i in range(0, len(todo), CHART_CHUNK)]
        with _pool(workers) as pool:
            futures = [
                pool.submit(
                    _render_chunk, [texts[k] for k in chunk], format_locale, time_format_locale
                )
                for chunk in chunks
            ]
            # The main process would only wait: make the site's Vega bundle meanwhile (1.5 s
            # of work on a cold cache, needed by the render stage anyway).
            cache_mod.cached_bundle(cache)
            for chunk, fut in zip(chunks, futures, strict=True):
                svgs.update(zip(chunk, fut.result(), strict=True))
                tick(len(svgs), len(by_key))
    else:
        from sitegen.charts import render_svg

        for key in todo:
            svgs[key] = render_svg(by_key[key][0].spec, format_locale, time_format_locale)
            tick(len(svgs), len(by_key))
    for key in todo:
        if cache is not None:
            cache.put("svg", key, svgs[key].encode("utf-8"))
    for key, group in by_key.items():
        for chart in group:
            chart.svg = svgs[key]
    return stats


# -- projects --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    """One project to build: into out_dir (the site itself) or into out_root/<slug>."""

    project: Path
    out_dir: Path | None = None
    out_root: Path | None = None
    strict: bool = False

    @property
    def single(self) -> bool:
        """Return True when out_dir names the site itself."""
        return self.out_dir is not None

    @property
    def target(self) -> Path:
        """Return the folder the build writes into (the site, or the folder of sites)."""
        target = self.out_dir if self.out_dir is not None else self.out_root
        if target is None:
            raise UsageError("no output folder given")
        return target


def _stamp(cache: Cache, task: Task) -> cache_mod.Stamp:
    return cache_mod.project_stamp(
        cache, task.project, task.target, single=task.single, strict=task.strict
    )


def result_to_json(result: BuildResult) -> dict[str, Any]:
    """Return what the manifest stores of a build's result."""
    return {
        "name": result.name,
        "slug": result.slug,
        "out_dir": str(result.out_dir.resolve()),
        "pages": result.pages,
        "charts": result.charts,
        "files": result.files,
        "warnings": cache_mod.warnings_to_json(result.warnings),
        "summary": result.summary,
    }


def result_from_json(data: Mapping[str, Any], seconds: float) -> BuildResult:
    """Return the BuildResult of an unchanged project from its manifest."""
    from sitegen.build import BuildResult

    return BuildResult(
        name=data["name"],
        slug=data["slug"],
        out_dir=Path(data["out_dir"]),
        pages=data["pages"],
        charts=data["charts"],
        files=data["files"],
        warnings=cache_mod.warnings_from_json(data["warnings"]),
        timings={"unchanged": seconds},
        summary=dict(data["summary"]),
    )


def _fresh(cache: Cache | None, task: Task) -> tuple[cache_mod.Stamp | None, BuildResult | None]:
    """Return the task's stamp and, when the project is unchanged, its stored result."""
    if cache is None:
        return None, None
    t0 = time.perf_counter()
    stamp = _stamp(cache, task)
    stored = cache_mod.fresh_result(cache, stamp)
    if stored is None or (task.strict and stored["warnings"]):
        return stamp, None
    return stamp, result_from_json(stored, time.perf_counter() - t0)


def _build(
    task: Task,
    cache: Cache | None,
    stamp: cache_mod.Stamp | None,
    jobs: int,
    progress: Callable[[str, str], None] | None = None,
) -> Any:
    from sitegen.build import build_project

    result = build_project(
        task.project,
        task.out_dir,
        out_root=task.out_root,
        strict=task.strict,
        cache=cache,
        jobs=jobs,
        progress=progress,
    )
    if cache is not None and stamp is not None:
        cache_mod.record(cache, stamp, result_to_json(result))
    return result


@dataclass
class _Failure:
    """A SitegenError from a worker, carried back whatever its constructor's signature."""

    cls: type[SitegenError]
    args: tuple[Any, ...]
    state: dict[str, Any]

    def error(self) -> SitegenError:
        exc = self.cls.__new__(self.cls)
        exc.args = self.args
        exc.__dict__.update(self.state)
        return exc


def _worker_build(task: Task, cache_root: Path | None, stamp: cache_mod.Stamp | None) -> Any:
    """Build one project in a worker process; return its result or its error."""
    cache = Cache(cache_root) if cache_root is not None else None
    try:
        return _build(task, cache, stamp, 1)
    except SitegenError as exc:
        return _Failure(type(exc), exc.args, dict(exc.__dict__))


def build_projects(
    tasks: Sequence[Task],
    *,
    jobs: int = 1,
    cache: Cache | None = None,
    progress: Callable[[str, str], None] | None = None,
) -> Iterator[BuildResult]:
    """Build the projects, skipping unchanged ones; yield results in the order of tasks.

    With jobs > 1 and more than one project to build, projects are built in jobs worker
    processes (charts one after another inside each); with a single project to build, its
    charts use the workers instead. The first SitegenError in task order is raised once the
    projects before it are yielded; projects not yet started are cancelled.
    """
    workers = resolve_jobs(jobs)
    checked = [_fresh(cache, t) for t in tasks]
    stale = [i for i, (_, hit) in enumerate(checked) if hit is None]
    if workers == 1 or len(stale) <= 1:
        for task, (stamp, hit) in zip(tasks, checked, strict=True):
            # progress reaches build_project here only: worker processes cannot call back.
            yield hit if hit is not None else _build(task, cache, stamp, workers, progress)
    else:
        yield from _build_in_workers(tasks, checked, stale, workers, cache)
    if cache is not None:
        cache.evict()


def _build_in_workers(
    tasks: Sequence[Task],
    checked: list[tuple[cache_mod.Stamp | None, BuildResult | None]],
    stale: list[int],
    workers: int,
    cache: Cache | None,
) -> Iterator[BuildResult]:
    root = cache.root if cache is not None else None
    with _pool(min(workers, len(stale))) as pool:
        futures: dict[int, Future[Any]] = {
            i: pool.submit(_worker_build, tasks[i], root, checked[i][0]) for i in stale
        }
        try:
            for i, (_, hit) in enumerate(checked):
                if hit is not None:
                    yield hit
                    continue
                outcome = futures[i].result()
                if isinstance(outcome, _Failure):
                    raise outcome.error()
                yield outcome
        except BaseException:
            for fut in futures.values():
                fut.cancel()
            raise


# -- shards ----------------------------------------------------------------------------------


def parse_shard(text: str) -> tuple[int, int]:
    """Return (k, n) from 'K/N' with 1 <= K <= N."""
    try:
        k_text, n_text = text.split("/")
        k, n = int(k_text), int(n_text)
    except ValueError:
        raise UsageError(
            f"--shard takes K/N, e.g. 1/4, not {text!r}",
            hint="K counts from 1; N is the number of CI jobs",
        ) from None
    if not 1 <= k <= n:
        raise UsageError(f"--shard {text}: K must be between 1 and N", hint="e.g. --shard 2/4")
    return k, n


def shard_of(project: Path, n: int) -> int:
    """Return the shard (1..n) a project belongs to, from its folder name alone.

    A hash of the name, not the position in the list, so adding or removing a client moves
    no other client to another shard (their caches stay valid), on every machine.
    """
    h = hashlib.sha256(project.resolve().name.encode("utf-8")).digest()
    return int.from_bytes(h[:8], "big") % n + 1


def select_shard(projects: Sequence[Path], k: int, n: int) -> list[Path]:
    """Return the projects of shard k of n, in their given order."""
    return [p for p in projects if shard_of(p, n) == k]


# -- the no-change fast path -----------------------------------------------------------------


@dataclass
class Unchanged:
    """A project found unchanged before the pipeline was imported (see unchanged_build)."""

    name: str
    slug: str
    out_dir: Path
    pages: int
    charts: int
    warnings: list[SitegenWarning]
    seconds: float


def unchanged_build(
    projects: Sequence[Path] | None,
    output: Path | None,
    *,
    strict: bool,
    cache_dir: Path | None,
) -> Unchanged | None:
    """Return the stored result when `sitegen build PROJECT [-o OUT]` has nothing to do.

    Covers one project folder (the common CI call) and answers in milliseconds, before
    polars, altair and Jinja are imported; anything else returns None and the normal build,
    which checks each project the same way, takes over. The targets mirror the CLI: -o is
    the site itself, else output/<slug>.
    """
    if not projects or len(projects) != 1:
        return None
    project = projects[0]
    if not (project / "sitegen.toml").is_file():
        return None
    task = Task(project, out_dir=output, out_root=None if output else Path("output"), strict=strict)
    cache = Cache(cache_dir if cache_dir is not None else cache_mod.default_dir(task.target))
    t0 = time.perf_counter()
    stored = cache_mod.fresh_result(cache, _stamp(cache, task))
    if stored is None or (strict and stored["warnings"]):
        return None
    return Unchanged(
        name=stored["name"],
        slug=stored["slug"],
        out_dir=Path(stored["out_dir"]),
        pages=stored["pages"],
        charts=stored["charts"],
        warnings=cache_mod.warnings_from_json(stored["warnings"]),
        seconds=time.perf_counter() - t0,
    )
