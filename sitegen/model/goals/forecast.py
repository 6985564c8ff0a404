"""A goal's projection (goals.md section 2): the forecast, the projected date and reached_on.

Flows are projected from their recent daily rate (the last ``pace_days`` complete days); a
window ratio projects its numerator and denominator as flows; a level follows a Theil-Sen line
over the last 8 weeks of the stock; a per-period goal projects the deadline's bucket from the
recent rates of its parts. The forecast, the projected date and the run rate needed all come
from this one projection.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sitegen.model.catalogue import KpiDef
from sitegen.model.explain import RatioShape, ratio_shape
from sitegen.model.formula import Formula, Name, Node
from sitegen.model.periods import Period, bucket_end, bucket_start

from .context import MIN_DATA_DAYS, GoalContext
from .protocols import GoalEngine
from .status import EPS, meets
from .trend import Fit, theil_sen

LEVEL_DAYS = 56  # a level's trend rests on the last 8 weeks of the stock
HORIZON_YEARS = 5  # goals.md invariants: a projected date is at most 5 years past the deadline


@dataclass(frozen=True)
class RatioParts:
    """A window ratio's parts: so far, and their recent daily rates (x scale)."""

    numerator: float
    denominator: float
    numerator_rate: float
    denominator_rate: float
    scale: float

    def value(self, days: int) -> float | None:
        """Return the ratio after days more at the recent rates."""
        den = self.denominator + self.denominator_rate * days
        if den == 0:
            return None
        return (self.numerator + self.numerator_rate * days) / den * self.scale


@dataclass(frozen=True)
class Projection:
    """What the recent pace says about the deadline."""

    forecast: float | None
    method: str | None  # "recent_rate", "parts", "theil_sen", "final"
    rate: float | None = None  # a flow's (or a level's trend's) change per day
    parts: RatioParts | None = None  # window ratios of flows
    fit: Fit | None = None  # levels: x is the day's ordinal
    points: int = 0


def shape_of(engine: GoalEngine, kpi: str) -> RatioShape | None:
    """Return the KPI as numerator / denominator when it is a ratio of flows, else None."""
    kdef = engine.kpi(kpi)
    if not isinstance(kdef, KpiDef):
        return None  # an engine without formulas (the tests' fake) projects the ratio itself
    cat = engine.catalogue
    kinds = cat.metric_kinds
    inputs = cat.inputs(kpi)
    if not inputs or not all(kinds.get(m) == "flow" for m in inputs):
        return None  # a stock in the denominator is not a flow to project
    return ratio_shape(kdef)


def part_value(
    engine: GoalEngine, node: Node, period: Period, channels: Sequence[str] | None
) -> float | None:
    """Return one side of a ratio over period and channels."""
    if isinstance(node, Name):
        return engine.value(node.name, period, channels)
    return Formula("", node).evaluate(lambda n: engine.value(n, period, channels), lambda _n: None)


def ratio_parts(c: GoalContext, shape: RatioShape) -> RatioParts | None:
    """Return the window ratio's parts so far and their recent daily rates."""
    observed, pace = c.observed, c.pace_period
    if observed is None or pace is None:
        return None
    e, ch = c.engine, c.channels
    num = part_value(e, shape.numerator, observed, ch)
    den = part_value(e, shape.denominator, observed, ch)
    num_recent = part_value(e, shape.numerator, pace, ch)
    den_recent = part_value(e, shape.denominator, pace, ch)
    if den is None or den_recent is None:
        return None
    return RatioParts(
        num or 0.0, den, (num_recent or 0.0) / pace.days, den_recent / pace.days, shape.scale
    )


def daily_rate(c: GoalContext) -> float | None:
    """Return the KPI's recent daily rate (a flow's sum over the pace days, per day)."""
    pace = c.pace_period
    if pace is None:
        return None
    value = c.engine.value(c.spec.kpi, pace, c.channels)
    return value / pace.days if value is not None else None


def level_fit(c: GoalContext) -> Fit | None:
    """Return the stock's Theil-Sen line over its last 8 weeks up to as of (x: day ordinal)."""
    last = min(c.as_of, c.spec.deadline)
    # Weekly or monthly rows need a longer look back to give the line three points.
    back = {"day": LEVEL_DAYS, "week": LEVEL_DAYS, "month": 4 * 31}[c.data_grain]
    recent = Period(last - timedelta(days=back - 1), last)
    daily = c.engine.series(c.spec.kpi, "day", recent, c.channels)
    pts = [(float(p.start.toordinal()), v) for p, v in daily if v is not None]
    return theil_sen(pts)


def project(c: GoalContext, current: float | None) -> Projection:
    """Return M at the deadline if the recent pace continues (None: too early to tell)."""
    if c.observed is None or current is None:
        return Projection(None, None)
    if c.done:
        return Projection(current, "final")
    if c.data_days < MIN_DATA_DAYS:
        return Projection(None, None)
    spec, left = c.spec, c.days_left
    if c.measure == "total":
        rate = daily_rate(c)
        if rate is None:
            return Projection(None, None)
        return Projection(current + rate * left, "recent_rate", rate=rate)
    if c.measure == "level":
        fit = level_fit(c)
        if fit is None:
            return Projection(None, None)
        return Projection(
            fit.at(spec.deadline.toordinal()),
            "theil_sen",
            rate=fit.slope,
            fit=fit,
            points=fit.points,
        )
    if c.measure == "per_period":
        assert spec.per is not None
        pace = c.pace_period
        assert pace is not None
        last = Period(bucket_start(spec.deadline, spec.per), bucket_end(spec.deadline, spec.per))
        if c.additive:
            rate = daily_rate(c)
            return Projection(
                rate * last.days if rate is not None else None, "recent_rate", rate=rate
            )
        if c.engine.catalogue.metric_kinds.get(spec.kpi) == "stock":
            fit = level_fit(c)
            value = fit.at(last.end.toordinal()) if fit is not None else None
            return Projection(value, "theil_sen", fit=fit, points=fit.points if fit else 0)
        # A ratio over the deadline's bucket from the recent parts is the recent ratio.
        return Projection(c.engine.value(spec.kpi, pace, c.channels), "recent_rate")
    shape = shape_of(c.engine, spec.kpi)
    parts = ratio_parts(c, shape) if shape is not None else None
    if parts is not None:
        return Projection(parts.value(left), "parts", parts=parts)
    # A mean (response time) or a ratio with a stock in it: the days so far and the days left
    # weigh the value so far and the recent value.
    pace, observed = c.pace_period, c.observed
    assert pace is not None and observed is not None
    recent = c.engine.value(spec.kpi, pace, c.channels)
    if recent is None:
        return Projection(None, None)
    so_far = observed.days
    return Projection((current * so_far + recent * left) / (so_far + left), "recent_rate")


def _horizon(c: GoalContext) -> date:
    d = c.spec.deadline
    if d.year + HORIZON_YEARS > date.max.year - 1:
        return date(date.max.year - 1, 12, 31)
    return d.replace(year=d.year + HORIZON_YEARS, day=min(d.day, 28))


def reached_on(c: GoalContext, current: float | None, target: float) -> date | None:
    """Return the first day a total or level met the target in the window (if it does now)."""
    observed = c.observed
    if observed is None or not meets(current, target, c.better):
        return None
    if c.measure == "total":
        if not c.higher:
            return None  # a ceiling is met from the first day: no date to report
        total = 0.0
        for p, v in c.engine.series(c.spec.kpi, "day", observed, c.channels):
            total += v or 0.0
            if meets(total, target, c.better):
                return p.end
        return observed.end
    if c.measure == "level":
        for p, v in c.engine.series(c.spec.kpi, "day", observed, c.channels):
            if v is not None and meets(v, target, c.better):
                return p.end
        return observed.end
    return None


def projected_date(
    c: GoalContext, proj: Projection, current: float | None, target: float
) -> date | None:
    """Return the day the forecast first meets the target, for totals and levels moving to it."""
    if current is None or proj.rate is None or c.done or meets(current, target, c.better):
        return None
    after = max(c.as_of, c.spec.start - timedelta(days=1))
    if c.measure == "total":
        if not c.higher or proj.rate <= 0:
            return None
        days = math.ceil((target - current) / proj.rate - EPS)
    elif c.measure == "level" and proj.fit is not None:
        toward = proj.fit.slope > 0 if c.higher else proj.fit.slope < 0
        if not toward:
            return None
        x = math.ceil(proj.fit.reaches(target) - EPS)
        days = x - after.toordinal()
    else:
        return None
    if after.toordinal() + max(1, days) > _horizon(c).toordinal():
        return None
    return after + timedelta(days=max(1, days))
