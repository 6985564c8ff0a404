"""Compute a project's report: every KPI with comparisons and series, goals, plans, cases.

This is the "compute" stage of the pipeline. It is pure: the data set and the project come
in, a ``Report`` comes out; the as-of date is the report period's last day (project-format.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from sitegen.catalogue import KpiDef
from sitegen.config.project import Project
from sitegen.engine import Engine
from sitegen.errors import SitegenWarning
from sitegen.periods import Bucket, Period, bucket_end, bucket_start, previous_period, year_ago
from sitegen.readers import DataSet

SERIES_GRAINS = ("month", "week")


def relative_change(value: float | None, base: float | None) -> float | None:
    """Return (value - base) / |base| as a fraction; None when undefined."""
    if value is None or base is None or base == 0:
        return None
    return (value - base) / abs(base)


@dataclass
class KpiResult:
    """One KPI over the report period with its comparisons and series."""

    kpi: KpiDef
    value: float | None
    previous: float | None
    change: float | None
    year_ago: float | None
    yoy_change: float | None
    channels: dict[str, float | None]
    shares: dict[str, float | None]  # flows only: each channel's share of the total (fraction)
    series: dict[str, list[tuple[Bucket, float | None]]]
    previous_series: list[tuple[Bucket, float | None]]  # month grain, previous period
    year_ago_series: list[tuple[Bucket, float | None]]  # month grain, a year before
    channel_series: dict[str, list[tuple[Bucket, float | None]]]  # month grain per channel

    @property
    def id(self) -> str:
        """Return the KPI id."""
        return self.kpi.id


@dataclass
class Report:
    """Everything the pages and data files show, computed before anything is written."""

    project: Project
    dataset: DataSet
    engine: Engine
    period: Period
    previous_period: Period
    year_ago_period: Period
    as_of: date
    kpis: dict[str, KpiResult]
    metrics: dict[str, KpiResult]
    warnings: list[SitegenWarning]
    goals: list[Any] = field(default_factory=list)
    plans: list[Any] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)
    cases: Any = None  # sitegen.cases.CasesResult: cases, references, competitors, benchmarks

    @property
    def channels(self) -> list[str]:
        """Return the client's own channels."""
        return self.engine.channels


def report_period(
    project: Project, engine: Engine, grains: dict[str, str] | None = None
) -> Period | None:
    """Return [period] from sitegen.toml, else the span of the client's own data.

    A week or month row stands for the whole week or month, so the data's end is extended to
    the end of the last row's bucket: monthly exports do not make the last month look partial.
    """
    if project.config.period is not None:
        return project.config.period
    span = engine.span
    if span is None:
        return None
    end = span.end
    own = engine.frame.filter(pl.col("competitor").is_null())
    for ch, grain in (grains or {}).items():
        if grain == "day":
            continue
        last = own.filter(pl.col("channel") == ch).get_column("date").max()
        if isinstance(last, date):
            end = max(end, bucket_end(bucket_start(last, grain), grain))
    return Period(span.start, end)


def compute_kpi(engine: Engine, kpi_id: str, period: Period) -> KpiResult:
    """Compute one KPI's value, comparisons, per-channel values and series."""
    kpi = engine.kpi(kpi_id)
    prev = previous_period(period)
    ago = year_ago(period)
    value = engine.value(kpi_id, period)
    previous = engine.value(kpi_id, prev)
    yago = engine.value(kpi_id, ago)
    channels = {ch: engine.value(kpi_id, period, [ch]) for ch in engine.channels}
    shares: dict[str, float | None] = {}
    if engine.catalogue.is_additive(kpi_id):
        total = value
        shares = {
            ch: (v / total if v is not None and total else None) for ch, v in channels.items()
        }
    series = {g: engine.bucket_series(kpi_id, g, period) for g in SERIES_GRAINS}
    channel_series = {
        ch: engine.bucket_series(kpi_id, "month", period, [ch])
        for ch in engine.channels
        if engine.available(kpi_id, [ch])
    }
    return KpiResult(
        kpi=kpi,
        value=value,
        previous=previous,
        change=relative_change(value, previous),
        year_ago=yago,
        yoy_change=relative_change(value, yago),
        channels=channels,
        shares=shares,
        series=series,
        previous_series=engine.bucket_series(kpi_id, "month", prev),
        year_ago_series=engine.bucket_series(kpi_id, "month", ago),
        channel_series=channel_series,
    )


def compute_report(project: Project, dataset: DataSet, engine: Engine, period: Period) -> Report:
    """Compute every available KPI and base metric for the report period."""
    warnings = list(project.warnings) + list(dataset.warnings)
    if engine.span is not None and engine.span.end < period.end:
        warnings.append(
            SitegenWarning(
                f"the data ends on {engine.span.end}, before the report period's end "
                f"({period.end}); the last month is partial",
                file="sitegen.toml",
                key="period.end",
            )
        )
    kpis = {k: compute_kpi(engine, k, period) for k in engine.available_kpis()}
    metrics = {m: compute_kpi(engine, m, period) for m in engine.metrics if engine.available(m)}
    return Report(
        project=project,
        dataset=dataset,
        engine=engine,
        period=period,
        previous_period=previous_period(period),
        year_ago_period=year_ago(period),
        as_of=period.end,
        kpis=kpis,
        metrics=metrics,
        warnings=warnings,
    )
