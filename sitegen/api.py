"""The library's one entry: build, check, new and kpis, as the CLI and scripts call them.

It decides single site or portfolio, the output folders, the shard and the cache folder,
raises typed ``SitegenError``s and never prints or exits: progress goes out as typed events
(``sitegen.pipeline.events``). Modules that import polars, altair or Jinja are imported in
the functions, so that an unchanged project is answered before they load.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.errors import UsageError
from sitegen.pipeline.cache import Cache
from sitegen.pipeline.events import BuildStarted, PortfolioWritten, Progress, ProjectBuilt, ignore
from sitegen.pipeline.fastpath import unchanged_build
from sitegen.pipeline.outcome import BuildResult
from sitegen.pipeline.plan import output_plan, project_dirs
from sitegen.pipeline.shard import Shard
from sitegen.pipeline.writer import check_root, mark_root

if TYPE_CHECKING:
    from sitegen.check import CheckResult
    from sitegen.dev.kpilist import Listing
    from sitegen.dev.serve import Log, ProjectServer

__all__ = ["BuildOptions", "Built", "Shard", "build", "check", "kpis", "new", "projects", "server"]


@dataclass(frozen=True)
class BuildOptions:
    """How to build: output folder, strictness, processes, shard and build cache."""

    output: Path | None = None
    strict: bool = False
    jobs: int = 1
    shard: Shard | None = None
    cache: bool = True
    cache_dir: Path | None = None
    # Replace a non-empty output folder that has no sitegen marker (--force).
    force: bool = False
    # Also write report.pdf, the report as one printed document, into each site (--pdf).
    pdf: bool = False


@dataclass(frozen=True)
class Built:
    """What a build produced: each project's result, where, and the portfolio index."""

    results: tuple[BuildResult, ...]
    where: Path
    portfolio: Path | None = None
    unchanged: bool = False


def build(
    targets: Sequence[Path] | None,
    options: BuildOptions = BuildOptions(),
    progress: Progress = ignore,
) -> Built:
    """Build the projects of targets (None: every project under content/); raise SitegenError."""
    dirs = project_dirs(targets)
    plan = output_plan(
        targets,
        dirs,
        options.output,
        strict=options.strict,
        shard=options.shard,
        cache=options.cache,
        cache_dir=options.cache_dir,
        force=options.force,
        pdf=options.pdf,
    )
    hit = unchanged_build(targets, plan)
    if hit is not None:
        progress(ProjectBuilt(hit, 1, 1, fast_path=True))
        return Built((hit,), hit.out_dir, unchanged=True)
    # Imported here for start-up speed only: the fast path above answers without them.
    from sitegen.pipeline.portfolio import write_portfolio
    from sitegen.pipeline.projects import build_projects

    if plan.portfolio is not None:
        # The folder of sites gets index.html and portfolio.json: it must be sitegen's.
        check_root(plan.portfolio, dirs, force=options.force)
        mark_root(plan.portfolio)
    progress(BuildStarted(len(plan.tasks)))
    cache = Cache(plan.cache_dir) if plan.cache_dir is not None else None
    results: list[BuildResult] = []
    slugs: dict[str, Path] = {}
    built = build_projects(plan.tasks, jobs=options.jobs, cache=cache, progress=progress)
    for task, result in zip(plan.tasks, built, strict=True):
        if result.slug in slugs:
            raise UsageError(
                f"two projects have the slug {result.slug!r}: {slugs[result.slug]} and "
                f"{task.project}",
                hint="set a distinct [project] slug in one of their sitegen.toml files",
            )
        slugs[result.slug] = task.project
        results.append(result)
        progress(ProjectBuilt(result, len(results), len(plan.tasks)))
    index = None
    if plan.portfolio is not None:
        index = write_portfolio(plan.portfolio, results)
        progress(PortfolioWritten(index))
    where = results[0].out_dir if len(results) == 1 and not plan.several else plan.out_root
    return Built(tuple(results), where, portfolio=index)


def projects(targets: Sequence[Path] | None) -> list[Path]:
    """Return the project folders of targets (folders of projects expand), or under content/."""
    return project_dirs(targets)


def check(root: Path) -> CheckResult:
    """Validate one project as a build would, writing nothing; collect every problem."""
    # Imported here for start-up speed only (polars).
    from sitegen.check import check_project

    return check_project(root)


def new(
    directory: Path, *, locale: str = "en", name: str | None = None, ci: str | None = None
) -> list[Path]:
    """Create a project that builds at once in directory; return the files written."""
    # Imported here for start-up speed only, like every command's own modules.
    from sitegen.dev.scaffold import create_project

    return create_project(directory, locale=locale, name=name, ci=ci)


def kpis(project: Path | None = None) -> Listing:
    """Return the KPI catalogue's listing; with a project, what its data can give."""
    # Imported here for start-up speed only, like every command's own modules.
    from sitegen.dev.kpilist import listing, project_listing

    return project_listing(project) if project is not None else listing()


def server(
    project: Path,
    *,
    output: Path | None = None,
    port: int | None = None,
    strict: bool = False,
    log: Log | None = None,
    log_requests: bool = False,
    force: bool = False,
) -> ProjectServer:
    """Return the dev server for a project (not started): it rebuilds and reloads on changes."""
    # Imported here for start-up speed only: the other commands need no server.
    from sitegen.dev.serve import ProjectServer

    return ProjectServer(
        project,
        output=output,
        port=port,
        strict=strict,
        log=log,
        log_requests=log_requests,
        force=force,
    )
