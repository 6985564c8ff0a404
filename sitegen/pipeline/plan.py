"""Which projects a build covers and where each one goes: the output plan.

``sitegen.api.build`` and the no-change fast path both follow this one plan. The module is
light (standard library only), so the fast path can use it before polars, altair and Jinja
are imported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import UsageError
from sitegen.pipeline.cache import default_dir
from sitegen.pipeline.shard import Shard

DEFAULT_OUTPUT = Path("output")
DEFAULT_CONTENT = Path("content")
# sitegen.project.CONFIG: a project folder is one that holds it. Tested here without
# importing sitegen.project (babel), which would slow the fast path.
PROJECT_FILE = "sitegen.toml"


@dataclass(frozen=True)
class Task:
    """One project to build: into out_dir (the site itself) or into out_root/<slug>."""

    project: Path
    out_dir: Path | None = None
    out_root: Path | None = None
    strict: bool = False
    force: bool = False
    pdf: bool = False  # also write report.pdf into the site (--pdf)

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


@dataclass(frozen=True)
class OutputPlan:
    """The projects' tasks, the folder of sites, the portfolio's folder and the cache's."""

    tasks: tuple[Task, ...]
    several: bool
    out_root: Path
    portfolio: Path | None
    cache_dir: Path | None
    sharded: bool


def is_project(path: Path) -> bool:
    """Return True when path is a project folder (it has a sitegen.toml)."""
    return (path / PROJECT_FILE).is_file()


def project_dirs(targets: Sequence[Path] | None, content: Path = DEFAULT_CONTENT) -> list[Path]:
    """Return the project folders of targets (folders of projects expand), or under content/."""
    if targets and all(is_project(p) for p in targets):
        return list(targets)  # as find_projects gives them, without importing it
    # Imported here for start-up speed only: the common call names project folders.
    from sitegen.config.project import find_projects

    if not targets:
        return _content_projects(content, find_projects)
    out: list[Path] = []
    for p in targets:
        if not p.is_dir():
            raise UsageError(f"{p} is not a folder", hint="give a project folder")
        projects = find_projects(p)
        if not projects:
            raise UsageError(
                f"{p} is neither a project (no sitegen.toml) nor a folder of projects",
                hint="'sitegen new DIR' creates a project",
            )
        out.extend(projects)
    return out


def _content_projects(content: Path, find_projects: Callable[[Path], list[Path]]) -> list[Path]:
    """Return every project under content/ (a portfolio folder's projects included)."""
    if not content.is_dir():
        raise UsageError(
            f"no project given and no {content.name}/ folder here",
            hint="run 'sitegen build PROJECT' or run from a folder that has content/",
        )
    found: list[Path] = list(find_projects(content))
    # A portfolio inside content/ (a folder of client folders) counts too.
    for sub in sorted(content.iterdir()):
        if sub.is_dir() and not sub.name.startswith(".") and sub not in found:
            found.extend(find_projects(sub))
    if not found:
        raise UsageError(f"no project (a folder with sitegen.toml) under {content}")
    return found


def output_plan(
    targets: Sequence[Path] | None,
    dirs: Sequence[Path],
    output: Path | None,
    *,
    strict: bool = False,
    shard: Shard | None = None,
    cache: bool = True,
    cache_dir: Path | None = None,
    force: bool = False,
    pdf: bool = False,
) -> OutputPlan:
    """Return where each project goes: -o is the site of one project, else the folder of sites.

    Several projects (or a folder of projects) go to OUT/<slug> with a portfolio index in
    OUT (default output/); one project goes to -o itself, or output/<slug>. The cache
    folder is --cache-dir, else .sitegen-cache/ next to the output folder.
    """
    several = len(dirs) > 1 or (targets is not None and any(not is_project(p) for p in targets))
    out_root = output if (output is not None and several) else DEFAULT_OUTPUT
    selected = shard.select(dirs) if shard is not None else list(dirs)
    single = output is not None and not several
    tasks = tuple(
        Task(d, out_dir=output, strict=strict, force=force, pdf=pdf)
        if single
        else Task(d, out_root=out_root, strict=strict, force=force, pdf=pdf)
        for d in selected
    )
    root = None
    if cache:
        root = cache_dir or default_dir(output if single and output else out_root)
    return OutputPlan(
        tasks=tasks,
        several=several,
        out_root=out_root,
        # A shard holds only some clients; the index is written by an unsharded build.
        portfolio=out_root if several and shard is None else None,
        cache_dir=root,
        sharded=shard is not None,
    )
