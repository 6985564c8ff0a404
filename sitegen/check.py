"""Validate a project the way a build would, without writing a site (``sitegen check``).

Every stage runs even when an earlier one failed, as far as it can, so one run reports every
problem: the settings, the data files, the goals, the cases and the theme. When sitegen.toml
itself is wrong, the data is still read with the ``[data]`` settings that could be read, and
goals.toml and cases.toml are still parsed. The result also summarises the data found:
channels, date span, metrics per channel, gaps in the dates and columns the reader ignored.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from sitegen.config.cases import parse_cases_doc
from sitegen.config.goals import parse_goals
from sitegen.config.limits import DEFAULT_LIMITS, Limits
from sitegen.config.project import (
    CASES,
    CONFIG,
    GOALS,
    Project,
    is_project,
    load_project,
    read_config,
)
from sitegen.config.toml import read_toml
from sitegen.errors import MultipleErrors, SitegenError, SitegenWarning
from sitegen.model.analysis import NoDataError
from sitegen.model.catalogue import Catalogue, builtin
from sitegen.model.periods import Period, bucket_end, bucket_start
from sitegen.pipeline.run import Problems, compute
from sitegen.readers import SUFFIXES, DataSet, FileRule, read_data, read_file
from sitegen.theme.env import theme_dir


@dataclass
class ChannelSummary:
    """What the data holds for one of the client's own channels."""

    channel: str
    grain: str
    span: Period
    rows: int
    metrics: list[str]
    gaps: list[Period]

    def to_json(self) -> dict[str, Any]:
        """Return the channel summary as JSON-ready data."""
        return {
            "channel": self.channel,
            "grain": self.grain,
            "span": self.span.to_json(),
            "rows": self.rows,
            "metrics": self.metrics,
            "gaps": [g.to_json() for g in self.gaps],
        }


@dataclass
class DataSummary:
    """The data found in data/: files, channels, competitors, span and report contents."""

    files: list[str]
    channels: list[ChannelSummary]
    competitors: list[str]
    span: Period | None
    unknown_columns: dict[str, list[str]]
    period: Period | None = None
    kpis: list[str] = field(default_factory=list)
    goals: int = 0
    plans: int = 0
    cases: int = 0
    # Per file: what it was read as (FileSummary.to_json(): platform, channels, dates, ...).
    read_as: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Return the summary as JSON-ready data."""
        return {
            "files": self.files,
            "read_as": self.read_as,
            "channels": [c.to_json() for c in self.channels],
            "competitors": self.competitors,
            "span": self.span.to_json() if self.span else None,
            "period": self.period.to_json() if self.period else None,
            "unknown_columns": self.unknown_columns,
            "kpis": self.kpis,
            "goals": self.goals,
            "plans": self.plans,
            "cases": self.cases,
        }


@dataclass
class CheckResult:
    """Everything ``check_project`` found for one project."""

    path: Path
    name: str | None = None
    slug: str | None = None
    errors: list[SitegenError] = field(default_factory=list)
    warnings: list[SitegenWarning] = field(default_factory=list)
    summary: DataSummary | None = None

    def add(self, exc: SitegenError) -> None:
        """Record an error (each of several, for MultipleErrors) and the warnings it carries."""
        self.errors.extend(flatten(exc))
        self.warnings.extend(exc.warnings)

    def ok(self, strict: bool = False) -> bool:
        """Return True when a build would succeed (with strict: and warn about nothing)."""
        # As in build --strict: notes about a normal export (a dropped Total row) never fail.
        serious = [w for w in self.warnings if w.code != "note"]
        return not self.errors and not (strict and serious)

    def to_json(self, strict: bool = False) -> dict[str, Any]:
        """Return the result as JSON-ready data."""
        return {
            "path": str(self.path),
            "name": self.name,
            "slug": self.slug,
            "ok": self.ok(strict),
            "errors": [error_json(e) for e in self.errors],
            "warnings": [warning_json(w) for w in self.warnings],
            "summary": self.summary.to_json() if self.summary else None,
        }


def flatten(exc: SitegenError) -> list[SitegenError]:
    """Return the single errors inside exc (MultipleErrors may nest)."""
    if isinstance(exc, MultipleErrors):
        return [e for inner in exc.errors for e in flatten(inner)]
    return [exc]


def error_json(e: SitegenError) -> dict[str, Any]:
    """Return an error as JSON-ready data: its fields and the text the terminal shows."""
    return {
        "type": type(e).__name__,
        "message": e.message,
        "file": e.file,
        "line": e.line,
        "column": e.column,
        "key": e.key,
        "expected": e.expected,
        "found": e.found,
        "hint": e.hint,
        "text": str(e),
    }


def warning_json(w: SitegenWarning) -> dict[str, Any]:
    """Return a warning as JSON-ready data."""
    return {
        "code": w.code,
        "message": w.message,
        "file": w.file,
        "line": w.line,
        "key": w.key,
        "hint": w.hint,
        "text": str(w),
    }


def gaps(dates: Iterable[dt.date], grain: str) -> list[Period]:
    """Return the runs of missing grain buckets between the first and the last date."""
    starts = sorted({bucket_start(d, grain) for d in dates})
    out: list[Period] = []
    for prev, nxt in itertools.pairwise(starts):
        expected = bucket_end(prev, grain) + dt.timedelta(days=1)
        if nxt > expected:
            out.append(Period(expected, nxt - dt.timedelta(days=1)))
    return out


def summarise(dataset: Any, root: Path) -> DataSummary:
    """Return the summary of a read DataSet (sitegen.readers.DataSet)."""
    frame: pl.DataFrame = dataset.frame
    own = frame.filter(pl.col("competitor").is_null())
    channels: list[ChannelSummary] = []
    for ch in sorted(own.get_column("channel").unique().to_list()):
        dates = own.filter(pl.col("channel") == ch).get_column("date").to_list()
        grain = dataset.grains.get(ch, "day")
        channels.append(
            ChannelSummary(
                channel=ch,
                grain=grain,
                span=Period(min(dates), max(dates)),
                rows=len(dates),
                metrics=list(dataset.metrics_by_channel.get(ch, [])),
                gaps=gaps(dates, grain),
            )
        )
    # Period totals (no days): one line per channel of totals alone, without gaps.
    own_totals = dataset.totals.filter(pl.col("competitor").is_null())
    for ch in sorted(set(own_totals["channel"].to_list()) - {c.channel for c in channels}):
        rows = own_totals.filter(pl.col("channel") == ch)
        period = Period(rows["start"].min(), rows["end"].max())
        metrics = list(dataset.metrics_by_channel.get(ch, []))
        channels.append(ChannelSummary(ch, "total", period, rows.height, metrics, []))
    channels.sort(key=lambda c: c.channel)
    competitors = sorted(frame.get_column("competitor").drop_nulls().unique().to_list())
    span = None
    if channels:
        span = Period(min(c.span.start for c in channels), max(c.span.end for c in channels))
    files = []
    for p in dataset.files:
        try:
            files.append(p.relative_to(root).as_posix())
        except ValueError:
            files.append(p.as_posix())
    return DataSummary(
        files=files,
        channels=channels,
        competitors=competitors,
        span=span,
        unknown_columns={f"data/{k}": v for k, v in dataset.unknown_columns.items()},
        read_as=[f.to_json() for f in getattr(dataset, "file_summaries", [])],
    )


@dataclass
class _Settings:
    """What the data reader and the goals need, from a valid or a broken sitegen.toml."""

    catalogue: Catalogue
    columns: dict[str, str]
    date_format: str | None
    timezone: str | None
    year: int | None  # of dates whose date_format has none
    goals_doc: Mapping[str, Any] | None
    cases_doc: Mapping[str, Any] | None
    # Custom KPI ids of a sitegen.toml that failed validation: goals may still name them.
    custom_ids: frozenset[str] = frozenset()
    limits: Limits = DEFAULT_LIMITS
    delimiter: str | None = None
    encoding: str | None = None
    files: tuple[FileRule, ...] = ()

    def reader(self) -> dict[str, Any]:
        """Return the data reader's settings (keyword arguments of read_data, read_file)."""
        return {
            "metric_kinds": self.catalogue.metric_kinds,
            "columns": self.columns,
            "date_format": self.date_format,
            "timezone": self.timezone,
            "year": self.year,
            "limits": self.limits,
            "delimiter": self.delimiter,
            "encoding": self.encoding,
            "files": self.files,
        }

    def known(self) -> set[str]:
        """Return every KPI or metric id a goal or case may name."""
        return self.catalogue.known() | self.custom_ids


def _fallback(root: Path, res: CheckResult) -> _Settings | None:
    """Return the valid part of the settings when load_project failed, so later stages run."""
    if not is_project(root) or not (root / "data").is_dir():
        return None
    failed = {e.file for e in res.errors}
    try:
        doc = read_toml(root / CONFIG, CONFIG)
    except SitegenError:
        doc = {}
    # The build's own schema: its problems are in res already; a bad value is left out, so
    # the data is not read with it.
    config, _ = read_config(doc, root)
    res.name = config.name or res.name
    docs: dict[str, Mapping[str, Any] | None] = {}
    for name in (GOALS, CASES):
        docs[name] = None
        # load_project stops at the first file it cannot parse: read the others here.
        if (root / name).is_file() and name not in failed:
            try:
                docs[name] = read_toml(root / name, name)
            except SitegenError as exc:
                res.add(exc)
    return _Settings(
        builtin(),
        dict(config.columns),
        config.date_format,
        config.timezone,
        config.dates_year,
        docs[GOALS],
        docs[CASES],
        frozenset(k.id for k in config.custom_kpis),
        config.limits,
        config.delimiter,
        config.encoding,
        config.files,
    )


def _settings(project: Project) -> _Settings:
    cfg = project.config
    return _Settings(
        project.catalogue,
        dict(cfg.columns),
        cfg.date_format,
        cfg.timezone,
        cfg.dates_year,
        project.goals_doc,
        project.cases_doc,
        limits=cfg.limits,
        delimiter=cfg.delimiter,
        encoding=cfg.encoding,
        files=cfg.files,
    )


def check_project(root: Path) -> CheckResult:
    """Run every stage of a build but the writing; collect all errors and warnings."""
    res = CheckResult(path=root)
    project: Project | None = None
    try:
        project = load_project(root)
    except SitegenError as exc:
        res.add(exc)
    settings = _settings(project) if project is not None else _fallback(root.resolve(), res)
    if project is not None:
        res.name, res.slug = project.config.name, project.config.slug
    if settings is None:
        return res

    dataset = None
    try:
        dataset = read_data(root.resolve() / "data", **settings.reader())
        res.summary = summarise(dataset, root.resolve())
    except SitegenError as exc:
        res.add(exc)
        # The reader stops at the first bad file; read the files one by one for the others.
        seen = {str(e) for e in res.errors}
        for other in _file_errors(root.resolve() / "data", settings):
            if str(other) not in seen:
                seen.add(str(other))
                res.add(other)

    if project is None or dataset is None:
        # Without settings or data the goals cannot be evaluated, but they can be validated.
        if project is None and dataset is not None:
            res.warnings.extend(dataset.warnings)
        _parse_only(settings, res)
        return res
    _compute(project, dataset, res)
    return res


def _file_errors(data_dir: Path, settings: _Settings) -> list[SitegenError]:
    """Return the error of each data file that cannot be read on its own."""
    errors: list[SitegenError] = []
    for path in sorted(data_dir.iterdir()):
        if (
            not path.is_file()
            or path.name.startswith((".", "~$"))
            or path.name.upper().startswith("README")
            or path.suffix.lower() not in SUFFIXES
        ):
            continue
        rule = next((r for r in settings.files if r.matches(path.name)), None)
        if rule is not None and rule.skip:
            continue
        try:
            read_file(path, display=f"data/{path.name}", **settings.reader())
        except SitegenError as exc:
            errors.extend(flatten(exc))
    return errors


def _parse_only(settings: _Settings, res: CheckResult) -> None:
    known = settings.known()
    if settings.goals_doc is not None:
        try:
            _, _, warnings = parse_goals(
                settings.goals_doc,
                file=GOALS,
                known_kpis=known,
                max_goals=settings.limits.max_goals,
            )
            res.warnings.extend(warnings)
        except SitegenError as exc:
            res.add(exc)
    try:
        _, warnings = parse_cases_doc(settings.cases_doc, known, settings.limits.max_cases)
        res.warnings.extend(warnings)
    except SitegenError as exc:
        res.add(exc)


def _compute(project: Project, dataset: DataSet, res: CheckResult) -> None:
    """Run the build's compute stage, collecting what its steps raise."""
    try:
        theme_dir(project)
    except SitegenError as exc:
        res.add(exc)
    problems = Problems()
    try:
        report = compute(project, dataset, problems)
    except NoDataError as exc:
        res.warnings.extend(project.warnings)
        res.warnings.extend(dataset.warnings)
        res.add(exc)
        _parse_only(_settings(project), res)
        return
    except SitegenError as exc:
        res.add(exc)
        return
    # The warnings of a failed step are in the report's, in the order they came.
    res.errors.extend(e for exc in problems.errors for e in flatten(exc))
    res.warnings.extend(report.warnings)  # the project's and the data's warnings included
    summary = res.summary
    assert summary is not None
    summary.period = report.period
    summary.kpis = sorted(report.kpis)
    summary.goals, summary.plans, summary.cases = _counts(project)


def _counts(project: Project) -> tuple[int, int, int]:
    """Return how many goals, plans and cases the project's files define (0 where invalid)."""
    goal_count = plan_count = case_count = 0
    known = project.catalogue.known()
    with suppress(SitegenError):  # reported by the compute stage
        if project.goals_doc is not None:
            specs, plans, _ = parse_goals(
                project.goals_doc,
                file=GOALS,
                known_kpis=known,
                max_goals=project.config.limits.max_goals,
            )
            goal_count, plan_count = len(specs), len(plans)
    with suppress(SitegenError):
        limit = project.config.limits.max_cases
        case_count = len(parse_cases_doc(project.cases_doc, known, limit)[0].cases)
    return goal_count, plan_count, case_count
