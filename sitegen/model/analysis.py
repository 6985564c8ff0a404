"""The compute stage: every KPI with comparisons and series, goals, plans, cases -> ``Analysis``.

Pure: the data frame, the project's plain settings and the validated goals.toml/cases.toml
tables come in; one frozen ``Analysis`` comes out. The as-of date is the report period's last
day (project-format.md). The pages and data files get the ``Analysis``, never the engine:
whatever they show is computed here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from sitegen.errors import DataError, SitegenError, SitegenWarning
from sitegen.model.cases import CasesResult
from sitegen.model.cases import evaluate as evaluate_cases
from sitegen.model.catalogue import Catalogue, KpiDef
from sitegen.model.compare import relative_change
from sitegen.model.engine import Engine
from sitegen.model.explain import Explanation, explain
from sitegen.model.goals import (
    GoalResult,
    GoalSettings,
    PlanResult,
    evaluate_goals,
    evaluate_plans,
)
from sitegen.model.periods import (
    Bucket,
    Period,
    bucket_end,
    bucket_start,
    previous_period,
    year_ago,
)
from sitegen.model.specs import CasesSpec, GoalSpec, PlanSpec

SERIES_GRAINS = ("month", "week")
Series = tuple[tuple[Bucket, float | None], ...]


@dataclass(frozen=True)
class KpiResult:
    """One KPI over the report period with its comparisons and series."""

    kpi: KpiDef
    value: float | None
    previous: float | None
    change: float | None
    year_ago: float | None
    yoy_change: float | None
    channels: Mapping[str, float | None]
    previous_channels: Mapping[str, float | None]  # each channel over the previous period
    shares: Mapping[str, float | None]  # flows only: each channel's share of the total
    series: Mapping[str, Series]
    previous_series: Series  # month grain, previous period
    year_ago_series: Series  # month grain, a year before
    channel_series: Mapping[str, Series]  # month grain per channel
    additive: bool  # adds up over channels and time (flows joined by + and -)
    # The periods of the period-total reports (no date column) that `value` adds up, and
    # the same per channel: the pages say "March 2026 total" next to such a value.
    total_periods: tuple[Period, ...] = ()
    channel_total_periods: Mapping[str, tuple[Period, ...]] = field(default_factory=dict)
    # Whether daily rows add to those totals ("incl. March 2026 total"), overall and per channel.
    total_mixed: bool = False
    channel_total_mixed: Mapping[str, bool] = field(default_factory=dict)
    # Why it moved against the previous period: channels' changes, rate and mix for ratios.
    explanation: Explanation | None = None

    @property
    def id(self) -> str:
        """Return the KPI id."""
        return self.kpi.id

    def channel_change(self, channel: str) -> float | None:
        """Return one channel's change against the previous period."""
        return relative_change(self.channels.get(channel), self.previous_channels.get(channel))


@dataclass(frozen=True)
class Settings:
    """The project's settings the computation reads: plain values, no paths."""

    catalogue: Catalogue
    client_name: str = "Client"
    period: Period | None = None  # [period] of sitegen.toml; None: the span of the data
    goals: GoalSettings = field(default_factory=GoalSettings)  # [goals] of sitegen.toml


@dataclass(frozen=True)
class Specs:
    """goals.toml's and cases.toml's validated tables, with the warnings found reading them."""

    goals: Sequence[GoalSpec] = ()
    plans: Sequence[PlanSpec] = ()
    goal_warnings: Sequence[SitegenWarning] = ()
    cases: CasesSpec | None = None
    case_warnings: Sequence[SitegenWarning] = ()


@dataclass(frozen=True)
class Analysis:
    """Everything the pages and data files show, computed before anything is written."""

    catalogue: Catalogue
    period: Period
    previous_period: Period
    year_ago_period: Period
    as_of: date
    channels: tuple[str, ...]  # the client's own channels
    competitors: tuple[str, ...]
    kpis: Mapping[str, KpiResult]
    metrics: Mapping[str, KpiResult]
    goals: tuple[GoalResult, ...]
    plans: tuple[PlanResult, ...]
    cases: CasesResult
    warnings: tuple[SitegenWarning, ...]


def report_period(
    engine: Engine, period: Period | None = None, grains: Mapping[str, str] | None = None
) -> Period | None:
    """Return period (sitegen.toml's [period]) if given, else the span of the client's data.

    A week or month row stands for the whole week or month, so the data's end is extended to
    the end of the last row's bucket: monthly exports do not make the last month look partial.
    """
    if period is not None:
        return period
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
    additive = engine.catalogue.is_additive(kpi_id)
    shares: dict[str, float | None] = {}
    if additive:
        total = value
        shares = {
            ch: (v / total if v is not None and total else None) for ch, v in channels.items()
        }
    series = {g: tuple(engine.bucket_series(kpi_id, g, period)) for g in SERIES_GRAINS}
    totals = engine.total_periods(kpi_id, period)
    channel_totals = {
        ch: found for ch in engine.channels if (found := engine.total_periods(kpi_id, period, [ch]))
    }
    channel_series = {
        ch: tuple(engine.bucket_series(kpi_id, "month", period, [ch]))
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
        previous_channels={ch: engine.value(kpi_id, prev, [ch]) for ch in engine.channels},
        shares=shares,
        series=series,
        previous_series=tuple(engine.bucket_series(kpi_id, "month", prev)),
        year_ago_series=tuple(engine.bucket_series(kpi_id, "month", ago)),
        channel_series=channel_series,
        additive=additive,
        total_periods=totals,
        channel_total_periods=channel_totals,
        total_mixed=bool(totals) and engine.has_daily(kpi_id, period),
        channel_total_mixed={ch: engine.has_daily(kpi_id, period, [ch]) for ch in channel_totals},
        explanation=explain(engine, kpi_id, period, prev),
    )


def partial_period_warning(engine: Engine, period: Period) -> SitegenWarning | None:
    """Return the warning for data that ends before the report period does, if it does."""
    if engine.span is not None and engine.span.end < period.end:
        return SitegenWarning(
            f"the data ends on {engine.span.end}, before the report period's end "
            f"({period.end}); the last month is partial",
            file="sitegen.toml",
            key="period.end",
        )
    return None


def compute_kpis(engine: Engine, period: Period) -> tuple[dict[str, KpiResult], ...]:
    """Return ({KPI id: result}, {base metric id: result}) for every available one."""
    kpis = {k: compute_kpi(engine, k, period) for k in engine.available_kpis()}
    metrics = {m: compute_kpi(engine, m, period) for m in engine.metrics if engine.available(m)}
    return kpis, metrics


class NoDataError(DataError):
    """The data hold no rows for the client's own channels: there is nothing to report."""

    def __init__(self) -> None:
        super().__init__(
            "data/ holds no rows for the client's own channels",
            file="data/",
            hint="add the platforms' exports (CSV, XLSX, JSON, Parquet) with a date column",
        )


def analyse(
    settings: Settings,
    frame: pl.DataFrame,
    grains: Mapping[str, str],
    specs: Specs | None = None,
    warnings: Sequence[SitegenWarning] = (),
    on_error: Callable[[SitegenError], None] | None = None,
    totals: pl.DataFrame | None = None,
) -> Analysis:
    """Compute the whole analysis of one project's data; raise SitegenError for what cannot be.

    warnings are the ones found before (the project's, the data's); the analysis's warnings
    are those, then the computation's, in the order they were found. With on_error, a goals
    or cases step that fails is handed to it and left empty, so that one run can report
    every problem (``sitegen check``). totals are the period-total reports' rows
    (``DataSet.totals``).
    """
    specs = specs or Specs()
    engine = Engine(frame, settings.catalogue, totals)
    period = report_period(engine, settings.period, grains)
    if period is None:
        raise NoDataError()
    found = list(warnings)
    partial = partial_period_warning(engine, period)
    if partial is not None:
        found.append(partial)
    kpis, metrics = compute_kpis(engine, period)
    as_of = period.end
    found.extend(specs.goal_warnings)
    goals: Sequence[GoalResult] = ()
    plans: Sequence[PlanResult] = ()
    cases: CasesResult | None = None
    try:
        goals, goal_warnings = evaluate_goals(
            specs.goals, engine, as_of=as_of, settings=settings.goals
        )
        found.extend(goal_warnings)
        plans = evaluate_plans(specs.plans, engine, as_of=as_of, period=period)
    except SitegenError as exc:
        if on_error is None:
            raise
        on_error(exc)
        found.extend(exc.warnings)
    found.extend(specs.case_warnings)
    try:
        cases = evaluate_cases(
            specs.cases or CasesSpec(),
            engine,
            period=period,
            as_of=as_of,
            client_name=settings.client_name,
            grains=grains,
        )
        found.extend(cases.warnings)
    except SitegenError as exc:
        if on_error is None:
            raise
        on_error(exc)
        found.extend(exc.warnings)
    if cases is None:
        cases = evaluate_cases(CasesSpec(), engine, period=period, as_of=as_of)
    return Analysis(
        catalogue=settings.catalogue,
        period=period,
        previous_period=previous_period(period),
        year_ago_period=year_ago(period),
        as_of=as_of,
        channels=tuple(engine.channels),
        competitors=tuple(engine.competitors),
        kpis=kpis,
        metrics=metrics,
        goals=tuple(goals),
        plans=tuple(plans),
        cases=cases,
        warnings=tuple(found),
    )
