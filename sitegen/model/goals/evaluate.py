"""Evaluate goals against the data: baseline, target, current, progress, status and forecast.

The rules are project-format.md's "Meaning" section; docs/goals.md explains them to users,
with the choices this module makes where the contract is silent. Pure: the engine and the
as-of date come in, results come out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sitegen.errors import GoalError, MultipleErrors, SitegenError, SitegenWarning
from sitegen.model.catalogue import VANITY
from sitegen.model.periods import (
    Period,
    bucket_end,
    bucket_label,
    bucket_start,
    is_whole_months,
    months_in,
    previous_period,
)
from sitegen.model.specs import GoalSpec
from sitegen.model.values import did_you_mean, pct

from .protocols import GoalEngine, KpiInfo
from .trend import Fit, bucket_at, index, is_full, segments, theil_sen, units, whole_buckets

STATUSES = ("not_started", "achieved", "missed", "on_track", "at_risk", "off_track")
AT_RISK_SHARE = 0.75  # progress >= 0.75 x expected is at risk, below that off track
UNREALISTIC_FACTOR = 2.0  # needing more than twice the best window so far looks unrealistic
PROJECTION_YEARS = 10  # projected_date looks no further than this past the deadline
REST_OF_WINDOW = "rest_of_window"
_EPS = 1e-9


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
    series: list[tuple[Period, float | None]] = field(default_factory=list)
    pace: list[tuple[date, float]] = field(default_factory=list)
    note: str | None = None  # why progress is empty, when it is

    @property
    def id(self) -> str:
        """Return the goal's id."""
        return self.spec.id


def fmt(x: float) -> str:
    """Return a number for a message: at most two decimals, no trailing zeros."""
    text = f"{x:,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def expected_progress(spec: GoalSpec, as_of: date) -> float:
    """Return the share of the goal window's days elapsed at as_of, in [0, 1]."""
    if as_of < spec.start:
        return 0.0
    elapsed = (min(as_of, spec.deadline) - spec.start).days + 1
    return min(1.0, elapsed / spec.window.days)


def goal_grain(spec: GoalSpec) -> str:
    """Return the goal's grain: per, else month when the window holds 3+ whole months."""
    if spec.per is not None:
        return spec.per
    return "month" if len(whole_buckets(spec.window, "month")) >= 3 else "week"


def meets(value: float | None, target: float, better: str) -> bool:
    """Return True when value reaches target in the better direction."""
    if value is None:
        return False
    tol = _EPS * max(1.0, abs(target))  # 3.9 * 1.35 must meet 5.265
    return value >= target - tol if better != "lower" else value <= target + tol


def status_of(
    *,
    spec: GoalSpec,
    as_of: date,
    current: float | None,
    target: float,
    progress: float | None,
    expected: float,
    better: str,
    cap: bool,
) -> str:
    """Return the goal's status (project-format.md "Meaning"; caps: see docs/goals.md)."""
    if as_of < spec.start:
        return "not_started"
    done = as_of >= spec.deadline
    if cap:
        # A ceiling on a total ("at most 100 unfollows by June") holds trivially at first, so
        # it is achieved only when the window is over, and broken as soon as it is passed.
        if current is not None and not meets(current, target, "lower"):
            return "missed" if done else "off_track"
        if done:
            return "achieved" if current is not None else "missed"
        if progress is None:
            return "at_risk"
        return "on_track" if progress <= expected + _EPS else "at_risk"
    if meets(current, target, better):
        return "achieved"
    if done:
        return "missed"
    if progress is None:
        return "at_risk"  # nothing shows it is on track
    if progress >= expected - _EPS:
        return "on_track"
    if progress >= AT_RISK_SHARE * expected - _EPS:
        return "at_risk"
    return "off_track"


@dataclass(frozen=True)
class _Ctx:
    """What every step of one goal's evaluation needs."""

    spec: GoalSpec
    engine: GoalEngine
    as_of: date
    channels: list[str] | None
    better: str
    additive: bool
    grain: str

    @property
    def cumulative(self) -> bool:
        return self.additive and self.spec.per is None

    @property
    def higher(self) -> bool:
        return self.better != "lower"

    @property
    def observed(self) -> Period | None:
        """Return the part of the window up to as of; None before the start."""
        if self.as_of < self.spec.start:
            return None
        return Period(self.spec.start, min(self.as_of, self.spec.deadline))

    def warning(self, message: str, hint: str | None, code: str, key: str = "") -> SitegenWarning:
        return SitegenWarning(
            message, file=self.spec.file, key=self.spec.where + key, hint=hint, code=code
        )


def _check_inputs(spec: GoalSpec, engine: GoalEngine) -> None:
    """Raise GoalError when the data cannot give the goal's KPI (for its channel)."""
    where = spec.where
    if spec.channel is not None and spec.channel not in engine.channels:
        close = did_you_mean(spec.channel, list(engine.channels))
        raise GoalError(
            f'goal "{spec.id}": channel {spec.channel!r} is not in the data',
            file=spec.file,
            key=f"{where}.channel",
            expected="one of: " + (", ".join(engine.channels) or "no channels"),
            found=repr(spec.channel),
            hint=f"did you mean {close!r}?"
            if close
            else "a channel is a data file's name or the value of its channel column",
        )
    try:
        engine.kpi(spec.kpi)
    except KeyError:
        raise GoalError(
            f'goal "{spec.id}": unknown KPI {spec.kpi!r}',
            file=spec.file,
            key=f"{where}.kpi",
            expected="a built-in or custom KPI id, or a base metric",
            found=repr(spec.kpi),
            hint="run `sitegen kpis` to list the KPIs",
        ) from None
    channels = [spec.channel] if spec.channel else None
    missing = engine.missing_inputs(spec.kpi, channels)
    if missing:
        scope = f" for channel {spec.channel}" if spec.channel else ""
        needed = sorted(engine.catalogue.inputs(spec.kpi)) or missing
        raise GoalError(
            f'goal "{spec.id}" needs {spec.kpi}, but the data has no {", ".join(missing)}{scope}',
            file=spec.file,
            key=f"{where}.kpi",
            expected=f"data columns for {spec.kpi}: {', '.join(needed)}",
            found="columns in data/: " + (", ".join(sorted(engine.metrics)) or "none"),
            hint="add the missing columns to a file in data/ (kpis.md lists their names and "
            "aliases), or choose a KPI the data gives",
        )


def _baseline(c: _Ctx) -> tuple[float | None, Period | None]:
    """Return the baseline and the period it was computed over (None when given)."""
    spec = c.spec
    if spec.baseline is not None:
        return spec.baseline, None
    bp = spec.baseline_period or previous_period(spec.window)
    value = c.engine.value(spec.kpi, bp, c.channels)
    if value is None or not c.additive:
        return value, bp
    if spec.per is not None:
        # "100 leads a month" compares with the baseline period's average month.
        return value / units(bp, spec.per), bp
    # A total over the window compares with a total over as long a time.
    if is_whole_months(bp) and is_whole_months(spec.window):
        return value * months_in(spec.window) / months_in(bp), bp
    return value * spec.window.days / bp.days, bp


def _current(c: _Ctx) -> tuple[float | None, Period | None]:
    """Return the KPI over the window so far, or over its latest whole per-bucket."""
    observed = c.observed
    if observed is None:
        return None, None
    if c.spec.per is None:
        return c.engine.value(c.spec.kpi, observed, c.channels), observed
    whole = whole_buckets(observed, c.spec.per)
    if not whole:
        return None, None
    return c.engine.value(c.spec.kpi, whole[-1], c.channels), whole[-1]


def _points(series: Sequence[tuple[Period, float | None]], grain: str) -> list[tuple[float, float]]:
    """Return (bucket position, value) for the whole buckets that have a value."""
    return [
        (float(index(p.start, grain)), v) for p, v in series if v is not None and is_full(p, grain)
    ]


def _fit(
    c: _Ctx, series: Sequence[tuple[Period, float | None]]
) -> tuple[Fit | None, str, list[tuple[float, float]]]:
    """Fit the trend on the goal's grain, or on weeks while too few whole months exist."""
    pts = _points(series, c.grain)
    fit = theil_sen(pts)
    observed = c.observed
    if fit is None and c.spec.per is None and c.grain == "month" and observed is not None:
        # A monthly goal only gets 3 whole months late in its life; weeks give a trend sooner.
        # (Not for per goals: a week's total is not comparable with a monthly target.)
        weekly = _points(c.engine.series(c.spec.kpi, "week", observed, c.channels), "week")
        weekly_fit = theil_sen(weekly)
        if weekly_fit is not None:
            return weekly_fit, "week", weekly
    return fit, c.grain, pts


def _flow(fit: Fit, k: int, clip: bool) -> float:
    v = fit.at(k)
    return max(0.0, v) if clip else v


def _forecast(
    c: _Ctx, fit: Fit | None, grain: str, pts: list[tuple[float, float]], current: float | None
) -> float | None:
    """Return the projected value at the deadline: the level, or the total for cumulative goals."""
    if fit is None:
        return None
    if not c.cumulative:
        return fit.at(index(c.spec.deadline, grain))
    if current is None:
        return None
    # Flows cannot turn negative when none ever was: a falling trend stops at zero.
    clip = all(y >= 0 for _, y in pts)
    rest = segments(c.as_of, c.spec.deadline, grain)
    return current + sum(_flow(fit, k, clip) * share for k, _, share in rest)


def _horizon(spec: GoalSpec) -> date:
    d = spec.deadline
    if d.year + PROJECTION_YEARS > date.max.year - 1:
        return date(date.max.year - 1, 12, 31)  # leave room for the bucket arithmetic
    return d.replace(year=d.year + PROJECTION_YEARS, day=min(d.day, 28))


def _projected_date(
    c: _Ctx,
    fit: Fit | None,
    grain: str,
    pts: list[tuple[float, float]],
    series: Sequence[tuple[Period, float | None]],
    current: float | None,
    target: float,
) -> date | None:
    """Return the first date the trend reaches the target; None if it never does."""
    spec = c.spec
    if c.cumulative:
        if not c.higher:
            return None  # reaching a ceiling is not an achievement
        if meets(current, target, c.better):
            total = 0.0
            for p, v in series:
                total += v or 0.0
                if meets(total, target, c.better):
                    return p.end
            return None
        if fit is None or current is None:
            return None
        clip = all(y >= 0 for _, y in pts)
        total = current
        for k, part, share in segments(c.as_of, _horizon(spec), grain):
            flow = _flow(fit, k, clip) * share
            if flow > 0 and meets(total + flow, target, c.better):
                days = math.ceil((target - total) / (flow / part.days) - _EPS)
                return part.start + timedelta(days=max(1, days) - 1)
            total += flow
        return None
    if fit is None:
        return None
    k0 = index(spec.start, grain)
    if meets(fit.at(k0), target, c.better):
        return bucket_at(k0, grain).end
    toward = fit.slope > 0 if c.higher else fit.slope < 0
    if not toward:
        return None
    k = max(k0, math.ceil(fit.reaches(target) - _EPS))
    if k > index(_horizon(spec), grain):
        return None
    return bucket_at(k, grain).end


def _ratio_of_flows(c: _Ctx) -> bool:
    """Return True for a ratio whose parts all add up over time (ER, CTR, CPL, ROI ...)."""
    cat = c.engine.catalogue
    kinds = cat.metric_kinds
    if c.additive or c.spec.kpi in kinds:
        return False
    parts = cat.inputs(c.spec.kpi)
    return bool(parts) and all(kinds.get(m) == "flow" for m in parts)


def _run_rate(
    c: _Ctx, current: float | None, baseline: float | None, target: float
) -> tuple[float | None, str | None]:
    """Return what is needed from as of to the deadline, and its unit (docs/goals.md)."""
    spec = c.spec
    if c.as_of >= spec.deadline:
        return None, None
    if spec.per is not None:
        return target, spec.per  # every remaining whole per-bucket must reach the target
    after = max(c.as_of, spec.start - timedelta(days=1))
    remaining = units(Period(after + timedelta(days=1), spec.deadline), c.grain)
    if c.cumulative:
        return max(0.0, (target - (current or 0.0)) / remaining), c.grain
    if c.engine.catalogue.metric_kinds.get(spec.kpi) == "stock":
        level = current if current is not None else baseline
        if level is None:
            return None, None
        step = (target - level) / remaining
        return (max(0.0, step) if c.higher else min(0.0, step)), c.grain
    if _ratio_of_flows(c):
        if c.as_of < spec.start:
            return target, REST_OF_WINDOW
        if current is None:
            return None, None
        # Assume the denominator keeps flowing at its rate so far: then the window's ratio is
        # the days-weighted mean of the part so far and the rest.
        elapsed = (c.as_of - spec.start).days + 1
        rest = (spec.deadline - c.as_of).days
        return target + (target - current) * elapsed / rest, REST_OF_WINDOW
    return None, None


def _pace(c: _Ctx, baseline: float | None, target: float) -> list[tuple[date, float]]:
    """Return the pace line: from the baseline (0 for totals) to the target, at bucket ends."""
    w = c.spec.window
    if c.cumulative:
        first = 0.0
    elif baseline is None:
        return []
    else:
        first = baseline
    out = [(w.start, first)]
    for _, part, _ in segments(w.start - timedelta(days=1), w.end, c.grain):
        elapsed = (part.end - w.start).days + 1
        out.append((part.end, first + (target - first) * elapsed / w.days))
    out[-1] = (w.end, target)
    return out


def _best(c: _Ctx, grain: str) -> tuple[float, Period] | None:
    """Return the best whole-bucket value in the history up to as of, and its bucket."""
    span = c.engine.span
    if span is None or c.as_of < span.start:
        return None
    # Monthly rows are dated the 1st: widen the data's span to whole buckets (still <= as of).
    first = bucket_start(span.start, grain)
    history = Period(
        first, max(first, min(c.as_of, bucket_end(bucket_start(span.end, grain), grain)))
    )
    best: tuple[float, Period] | None = None
    for p, v in c.engine.series(c.spec.kpi, grain, history, c.channels):
        if v is None or not is_full(p, grain):
            continue
        if best is None or (v > best[0] if c.higher else v < best[0]):
            best = (v, p)
    return best


def _unrealistic(
    c: _Ctx, target: float, needed: float | None, unit: str | None, status: str
) -> SitegenWarning | None:
    """Warn when the goal needs far more than the best bucket in the history."""
    spec = c.spec
    if status in ("achieved", "missed") or (c.cumulative and not c.higher):
        return None
    if c.cumulative or unit == REST_OF_WINDOW:
        if needed is None:
            return None
        value = needed
    else:
        value = target
    if unit == REST_OF_WINDOW and not c.higher and value <= 0:
        # A cost or rate cannot go below zero: what is done so far already rules the goal out.
        return c.warning(
            f'goal "{spec.id}" can no longer be reached: the rest of the window would need '
            f"{spec.kpi} of {fmt(value)}",
            "a later deadline or a less ambitious target would make it reachable",
            "goal-unrealistic",
        )
    found = _best(c, c.grain)
    if found is None:
        return None
    best, bucket = found
    label = bucket_label(bucket.start, c.grain)
    if best <= 0:
        return None
    if c.cumulative:
        what = f"{fmt(value)} {spec.kpi} a {c.grain} from now on"
    elif unit == REST_OF_WINDOW:
        what = f"{spec.kpi} of {fmt(value)} for the rest of the window"
    else:
        what = f"{spec.kpi} of {fmt(value)}"
    hint = (
        "ambitious goals are fine, but unrealistic ones demotivate (seeds 000, 001); "
        "check the target and the deadline"
    )
    if c.higher and value > UNREALISTIC_FACTOR * best:
        return c.warning(
            f'goal "{spec.id}" looks unrealistic: it needs {what}, more than '
            f"twice the best {c.grain} so far ({fmt(best)} in {label})",
            hint,
            "goal-unrealistic",
        )
    if not c.higher and value < best / UNREALISTIC_FACTOR:
        return c.warning(
            f'goal "{spec.id}" looks unrealistic: it needs {what}, less than '
            f"half the best {c.grain} so far ({fmt(best)} in {label})",
            hint,
            "goal-unrealistic",
        )
    return None


def _evaluate(
    spec: GoalSpec, engine: GoalEngine, as_of: date
) -> tuple[GoalResult, list[SitegenWarning]]:
    _check_inputs(spec, engine)
    kdef = engine.kpi(spec.kpi)
    c = _Ctx(
        spec=spec,
        engine=engine,
        as_of=as_of,
        channels=[spec.channel] if spec.channel else None,
        better=kdef.better,
        additive=engine.catalogue.is_additive(spec.kpi),
        grain=goal_grain(spec),
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

    baseline, bp = _baseline(c)
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

    current, current_period = _current(c)
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
    if current is not None:
        if c.cumulative:
            progress = current / target if target != 0 else None
        elif baseline is not None and target != baseline:
            progress = (current - baseline) / (target - baseline)
    expected = expected_progress(spec, as_of)
    status = status_of(
        spec=spec,
        as_of=as_of,
        current=current,
        target=target,
        progress=progress,
        expected=expected,
        better=c.better,
        cap=c.cumulative and not c.higher,
    )

    series = engine.series(spec.kpi, c.grain, observed, c.channels) if observed else []
    fit, fit_grain, pts = _fit(c, series)
    forecast = _forecast(c, fit, fit_grain, pts, current)
    projected = _projected_date(c, fit, fit_grain, pts, series, current, target)
    needed, needed_unit = _run_rate(c, current, baseline, target)
    unrealistic = _unrealistic(c, target, needed, needed_unit, status)
    if unrealistic is not None:
        warnings.append(unrealistic)

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
        forecast=forecast,
        forecast_points=len(pts),
        forecast_method="theil_sen" if fit is not None else None,
        forecast_grain=fit_grain if fit is not None else None,
        projected_date=projected,
        run_rate_needed=needed,
        run_rate_unit=needed_unit,
        window=spec.window,
        series=list(series),
        pace=_pace(c, baseline, target),
        note=note,
    )
    return result, warnings


def evaluate_goals(
    goals: Sequence[GoalSpec], engine: GoalEngine, *, as_of: date
) -> tuple[list[GoalResult], list[SitegenWarning]]:
    """Evaluate every goal at as_of; raise GoalError(s) for goals the data cannot give."""
    results: list[GoalResult] = []
    warnings: list[SitegenWarning] = []
    errors: list[SitegenError] = []
    for spec in goals:
        try:
            result, found = _evaluate(spec, engine, as_of)
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
