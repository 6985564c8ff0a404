"""A goal's trend: the fit, the value forecast at the deadline, the date the target is reached."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

from sitegen.model.periods import Period
from sitegen.model.specs import GoalSpec

from .context import GoalContext
from .status import EPS, meets
from .trend import Fit, bucket_at, index, is_full, segments, theil_sen

PROJECTION_YEARS = 10  # projected_date looks no further than this past the deadline


def _points(series: Sequence[tuple[Period, float | None]], grain: str) -> list[tuple[float, float]]:
    """Return (bucket position, value) for the whole buckets that have a value."""
    return [
        (float(index(p.start, grain)), v) for p, v in series if v is not None and is_full(p, grain)
    ]


def fit_trend(
    c: GoalContext, series: Sequence[tuple[Period, float | None]]
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


def forecast_at_deadline(
    c: GoalContext,
    fit: Fit | None,
    grain: str,
    pts: list[tuple[float, float]],
    current: float | None,
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


def projected_date(
    c: GoalContext,
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
                days = math.ceil((target - total) / (flow / part.days) - EPS)
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
    k = max(k0, math.ceil(fit.reaches(target) - EPS))
    if k > index(_horizon(spec), grain):
        return None
    return bucket_at(k, grain).end
