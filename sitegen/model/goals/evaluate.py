"""Evaluate goals against the data: baseline, target, current, progress, status and forecast.

The rules are the goals spec (one measure, one projection, one verdict, and why); docs/goals.md
explains them to users, with the choices made where the contract is silent. Pure: the engine
and the as-of date come in, results come out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sitegen.errors import GoalError, MultipleErrors, SitegenError, SitegenWarning
from sitegen.model.catalogue import VANITY
from sitegen.model.periods import Period
from sitegen.model.specs import GoalSpec
from sitegen.model.values import pct

from .context import (
    MIN_DATA_DAYS,
    GoalContext,
    GoalSettings,
    baseline_of,
    check_inputs,
    current_of,
    data_grain,
    measure_of,
)
from .drivers import Driver, drivers_of
from .forecast import project, projected_date, reached_on
from .measure import buckets_met, measure_series
from .pace import pace_line, run_rate, unrealistic_warning
from .protocols import GoalEngine, KpiInfo
from .status import expected_progress, fmt, goal_grain, status_of, tolerance_of


@dataclass(frozen=True)
class GoalResult:
    """A goal evaluated at an as-of date (see docs/goals.md for every field)."""

    spec: GoalSpec
    kpi: KpiInfo  # the KPI's definition: its label is shown in the locale
    unit: str
    better: str
    cumulative: bool  # a total that adds up over the window ("500 leads by April")
    grain: str  # the goal's grain: per, else month for 3+ whole months, else week
    baseline: float | None
    baseline_period: Period | None  # what the baseline was computed over; None when given
    target: float
    current: float | None
    current_period: Period | None
    progress: float | None
    expected_progress: float
    status: str
    forecast: float | None
    forecast_points: int
    forecast_method: str | None
    forecast_grain: str | None
    projected_date: date | None
    run_rate_needed: float | None
    run_rate_unit: str | None
    window: Period
    series: list[tuple[Period, float | None]] = field(default_factory=list)  # M per bucket
    pace: list[tuple[date, float]] = field(default_factory=list)
    note: str | None = None  # why progress is empty, when it is
    measure: str = "total"  # total, per_period, level, window_ratio (goals.md section 1)
    as_of: date | None = None
    reached_on: date | None = None  # the first day the data met the target (totals, levels)
    reachable: bool = True  # False: no value of the KPI can meet the target by the deadline
    share_of_target: float | None = None  # current / target (totals and levels)
    buckets_met: int | None = None  # per-period goals: whole buckets that met the target
    buckets: int | None = None
    drivers: tuple[Driver, ...] = ()
    tolerance: float = 0.0  # how far the forecast may miss the target and be at_risk
    pace_rate: float | None = None  # the recent daily rate (totals) or trend slope (levels)
    pace_period: Period | None = None  # the recent days the pace comes from
    pace_value: float | None = None  # where the pace line stands at as of

    @property
    def id(self) -> str:
        """Return the goal's id."""
        return self.spec.id


def _evaluate(
    spec: GoalSpec, engine: GoalEngine, as_of: date, settings: GoalSettings
) -> tuple[GoalResult, list[SitegenWarning]]:
    check_inputs(spec, engine)
    kdef = engine.kpi(spec.kpi)
    c = GoalContext(
        spec=spec,
        engine=engine,
        as_of=as_of,
        channels=[spec.channel] if spec.channel else None,
        better=kdef.better,
        additive=engine.catalogue.is_additive(spec.kpi),
        grain=goal_grain(spec),
        measure=measure_of(spec, engine),
        data_grain=data_grain(spec, engine, as_of),
        settings=settings,
        bounds=kdef.bounds,
    )
    warnings: list[SitegenWarning] = []
    # A goal measured on a vanity metric alone (project-format.md), whatever the other goals.
    if spec.kpi in VANITY:
        warnings.append(
            c.warning(
                f'goal "{spec.id}" is on {spec.kpi}, a vanity metric: it can grow without moving '
                "the business",
                "add or prefer a goal on a KPI tied to the business result, such as leads, "
                "conversion_rate, cpl, roi or engagement_rate",
                "goal-vanity",
                ".kpi",
            )
        )

    baseline, bp = baseline_of(c)
    note: str | None = None
    if spec.change is not None:
        if baseline is None:
            assert bp is not None
            raise GoalError(
                f'goal "{spec.id}": change {pct(spec.change)} needs a baseline, but the data '
                f"has no {spec.kpi} in {bp}",
                file=spec.file,
                key=f"{spec.where}.baseline",
                expected="baseline = <number>, or a baseline_period the data covers",
                found=f"no {spec.kpi} in {bp}",
                hint="add baseline = ... to the goal, or set baseline_period to dates with data",
            )
        target = baseline * (1 + spec.change)
    else:
        assert spec.target is not None
        target = spec.target
        if baseline is None and not c.cumulative:
            note = "no baseline: progress cannot be measured"
            warnings.append(
                c.warning(
                    f'goal "{spec.id}": no baseline: the data has no {spec.kpi} in {bp}',
                    "add baseline = <number> or a baseline_period the data covers; without it "
                    "progress is not measured",
                    "goal-no-baseline",
                )
            )

    if baseline is not None and not c.cumulative and target == baseline:
        note = "the target equals the baseline: progress cannot be measured"
        warnings.append(
            c.warning(
                f'goal "{spec.id}": the target equals the baseline ({fmt(target)})',
                "set a target that differs from it",
                "goal-direction",
            )
        )
    elif baseline is not None and (target < baseline if c.higher else target > baseline):
        side = "below" if target < baseline else "above"
        hint = (
            f'did you mean change = "{pct(-spec.change)}"?'
            if spec.change is not None
            else "check the target and the KPI"
        )
        warnings.append(
            c.warning(
                f'goal "{spec.id}": the target ({fmt(target)}) is {side} the baseline '
                f"({fmt(baseline)}), but {c.better} {spec.kpi} is better",
                hint,
                "goal-direction",
            )
        )

    current, current_period = current_of(c)
    observed = c.observed
    if observed is not None and current is None and note is None:
        if spec.per is not None and current_period is None:
            note = f"no whole {spec.per} in the goal window yet"
        else:
            note = "no data in the goal window yet"
            warnings.append(
                c.warning(
                    f'goal "{spec.id}": the data has no {spec.kpi} in the goal window up to '
                    f"{observed.end.isoformat()}",
                    "check that data/ covers the goal window",
                    "goal-no-data",
                )
            )

    progress: float | None = None
    share: float | None = None
    if current is not None:
        if c.measure in ("total", "level") and target != 0:
            share = current / target
        if c.cumulative:
            progress = share
        elif baseline is not None and target != baseline:
            progress = (current - baseline) / (target - baseline)
    expected = expected_progress(spec, as_of)
    proj = project(c, current)
    tolerance = tolerance_of(target, baseline, c.settings.tolerance)
    status = status_of(
        measure=c.measure,
        started=as_of >= spec.start,
        enough_data=c.data_days >= MIN_DATA_DAYS,
        done=c.done,
        current=current,
        forecast=proj.forecast,
        target=target,
        better=c.better,
        tolerance=tolerance,
    )
    series = measure_series(c)
    met, whole = buckets_met(c, series, target)
    reached = reached_on(c, current, target)
    projected = reached if reached is not None else projected_date(c, proj, current, target)
    needed, needed_unit, reachable = run_rate(c, current, baseline, target, proj)
    unrealistic = unrealistic_warning(c, target, needed, needed_unit, status, reachable)
    if unrealistic is not None:
        warnings.append(unrealistic)
    per_day = None
    if c.cumulative and needed is not None and c.days_left:
        per_day = max(0.0, target - (current or 0.0)) / c.days_left
    drivers = drivers_of(c, baseline, bp, current_period, target, per_day)
    pace = pace_line(c, baseline, target)
    pace_value = None
    if observed is not None and pace:
        first = pace[0][1]
        pace_value = first + (target - first) * observed.days / spec.window.days

    result = GoalResult(
        spec=spec,
        kpi=kdef,
        unit=kdef.unit,
        better=c.better,
        cumulative=c.cumulative,
        grain=c.grain,
        baseline=baseline,
        baseline_period=bp,
        target=target,
        current=current,
        current_period=current_period,
        progress=progress,
        expected_progress=expected,
        status=status,
        forecast=proj.forecast,
        forecast_points=proj.points,
        forecast_method=proj.method,
        forecast_grain="day" if proj.method is not None else None,
        projected_date=projected,
        run_rate_needed=needed,
        run_rate_unit=needed_unit,
        window=spec.window,
        series=series,
        pace=pace,
        note=note,
        measure=c.measure,
        as_of=as_of,
        reached_on=reached,
        reachable=reachable,
        share_of_target=share,
        buckets_met=met,
        buckets=whole,
        drivers=tuple(drivers),
        tolerance=tolerance,
        pace_rate=proj.rate,
        pace_period=c.pace_period,
        pace_value=pace_value,
    )
    return result, warnings


def evaluate_goals(
    goals: Sequence[GoalSpec],
    engine: GoalEngine,
    *,
    as_of: date,
    settings: GoalSettings | None = None,
) -> tuple[list[GoalResult], list[SitegenWarning]]:
    """Evaluate every goal at as_of; raise GoalError(s) for goals the data cannot give."""
    results: list[GoalResult] = []
    warnings: list[SitegenWarning] = []
    errors: list[SitegenError] = []
    for spec in goals:
        try:
            result, found = _evaluate(spec, engine, as_of, settings or GoalSettings())
        except GoalError as exc:
            errors.append(exc)
            continue
        results.append(result)
        warnings.extend(found)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise MultipleErrors(errors)
    return results, warnings
