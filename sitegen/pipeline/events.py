"""Typed progress events of a build, for a progress display (``sitegen.api.build``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sitegen.pipeline.outcome import BuildResult


@dataclass(frozen=True)
class BuildStarted:
    """The projects to build are known (the fast path did not answer)."""

    projects: int


@dataclass(frozen=True)
class ProjectStarted:
    """A project's settings are loaded; its data are read next."""

    name: str


@dataclass(frozen=True)
class PagesMade:
    """A project's pages are made; the charts still being drawn are waited for next."""

    pages: int
    charts: int


@dataclass(frozen=True)
class ChartsDrawn:
    """done of a project's total distinct charts are drawn."""

    done: int
    total: int


@dataclass(frozen=True)
class SiteWriting:
    """A project's site is being written to out_dir."""

    out_dir: Path


@dataclass(frozen=True)
class WaitingForOutput:
    """Another build holds the output's lock (lock_file): this one waits for it."""

    lock_file: Path


@dataclass(frozen=True)
class ProjectBuilt:
    """A project is built (or found unchanged): done of total projects."""

    result: BuildResult
    done: int
    total: int
    fast_path: bool = False


@dataclass(frozen=True)
class PortfolioWritten:
    """The portfolio index of several projects is written to path."""

    path: Path


Event = (
    BuildStarted
    | ProjectStarted
    | PagesMade
    | ChartsDrawn
    | SiteWriting
    | WaitingForOutput
    | ProjectBuilt
    | PortfolioWritten
)
Progress = Callable[[Event], None]


def ignore(event: Event) -> None:
    """Drop an event (no progress display)."""
