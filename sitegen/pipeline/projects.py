"""Build several projects: unchanged ones skipped, the others over worker processes (-j).

Each worker keeps its JavaScript engine warm for every project it builds. Results come back
in the order of the tasks whatever the finishing order, so output and messages are
deterministic.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.errors import SitegenError
from sitegen.pipeline.cache import Cache
from sitegen.pipeline.draw import resolve_jobs, worker_pool
from sitegen.pipeline.events import Progress, ignore
from sitegen.pipeline.fastpath import stamp, stored_result
from sitegen.pipeline.manifest import Stamp, record
from sitegen.pipeline.outcome import BuildResult, result_to_json
from sitegen.pipeline.plan import Task
from sitegen.pipeline.run import build_project


def _fresh(cache: Cache | None, task: Task) -> tuple[Stamp | None, BuildResult | None]:
    """Return the task's stamp and, when the project is unchanged, its stored result."""
    if cache is None:
        return None, None
    t0 = time.perf_counter()
    task_stamp = stamp(cache, task)
    return task_stamp, stored_result(cache, task, task_stamp, t0)


def _build(
    task: Task, cache: Cache | None, task_stamp: Stamp | None, jobs: int, progress: Progress
) -> BuildResult:
    # Never built with this cache (or no cache): every chart will be drawn.
    first = cache is None or task_stamp is None or cache.get("site", task_stamp.key) is None

    def recorded(result: BuildResult) -> None:
        # Under the output's lock: the manifest holds this build's site, not a later one's.
        if cache is not None and task_stamp is not None:
            record(cache, task_stamp, result_to_json(result))

    return build_project(
        task.project,
        task.out_dir,
        out_root=task.out_root,
        strict=task.strict,
        cache=cache,
        jobs=jobs,
        progress=progress,
        first_build=first,
        force=task.force,
        on_written=recorded,
        pdf=task.pdf,
    )


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


def _worker_build(task: Task, cache_root: Path | None, task_stamp: Stamp | None) -> Any:
    """Build one project in a worker process; return its result or its error."""
    cache = Cache(cache_root) if cache_root is not None else None
    try:
        return _build(task, cache, task_stamp, 1, ignore)
    except SitegenError as exc:
        return _Failure(type(exc), exc.args, dict(exc.__dict__))


def build_projects(
    tasks: Sequence[Task],
    *,
    jobs: int = 1,
    cache: Cache | None = None,
    progress: Progress = ignore,
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
        for task, (task_stamp, hit) in zip(tasks, checked, strict=True):
            # progress reaches build_project here only: worker processes cannot call back.
            yield hit if hit is not None else _build(task, cache, task_stamp, workers, progress)
    else:
        yield from _build_in_workers(tasks, checked, stale, workers, cache)
    if cache is not None:
        cache.evict()


def _build_in_workers(
    tasks: Sequence[Task],
    checked: list[tuple[Stamp | None, BuildResult | None]],
    stale: list[int],
    workers: int,
    cache: Cache | None,
) -> Iterator[BuildResult]:
    root = cache.root if cache is not None else None
    with worker_pool(min(workers, len(stale))) as pool:
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
