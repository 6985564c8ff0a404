"""The no-change fast path: answer an unchanged project before the pipeline is imported.

``sitegen build PROJECT [-o OUT]`` with nothing to do (the common CI call) answers in
milliseconds from the project's manifest in the build cache, before polars, altair and Jinja
are imported. It follows the same output plan as every build (``sitegen.pipeline.plan``), and
``sitegen.pipeline.projects`` skips unchanged projects of a larger build the same way.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from sitegen.pipeline.cache import Cache
from sitegen.pipeline.manifest import Stamp, fresh_result, project_stamp
from sitegen.pipeline.outcome import BuildResult, result_from_json
from sitegen.pipeline.plan import OutputPlan, Task, is_project


def stamp(cache: Cache, task: Task) -> Stamp:
    """Return the hash of the task's inputs, which names its manifest in the cache."""
    return project_stamp(
        cache, task.project, task.target, single=task.single, strict=task.strict, pdf=task.pdf
    )


def stored_result(cache: Cache, task: Task, task_stamp: Stamp, since: float) -> BuildResult | None:
    """Return the task's stored result when its project and site are unchanged, else None."""
    stored = fresh_result(cache, task_stamp)
    if stored is None or (task.strict and stored["warnings"]):
        return None
    return result_from_json(stored, time.perf_counter() - since)


def unchanged_build(targets: Sequence[Path] | None, plan: OutputPlan) -> BuildResult | None:
    """Return the stored result when the build names one unchanged project, else None.

    Anything else (several projects, content/, a shard, no cache) returns None and the
    normal build, which checks each project the same way, takes over.
    """
    if (
        targets is None
        or len(targets) != 1
        or not is_project(targets[0])
        or plan.cache_dir is None
        or plan.sharded
    ):
        return None
    (task,) = plan.tasks
    t0 = time.perf_counter()
    cache = Cache(plan.cache_dir)
    return stored_result(cache, task, stamp(cache, task), t0)
