"""One goal being evaluated: what every step needs, its measure, baseline and current."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sitegen.errors import GoalError, SitegenWarning
from sitegen.model.datacheck import missing_kpi, unknown_channel
from sitegen.model.periods import (
    Period,
    bucket_start,
    is_whole_months,
    months_in,
    previous_period,
)
from sitegen.model.specs import GoalSpec

from .protocols import GoalEngine
from .trend import units, whole_buckets

MEASURES = ("total", "per_period", "level", "window_ratio")
MIN_DATA_DAYS = 14  # goals.md section 2: no forecast from fewer days of data in the window
PACE_DAYS = 28  # [goals] pace_days: the recent complete days a flow's daily rate comes from
GRAIN_DAYS = 120  # the recent days whose rows tell daily from weekly or monthly exports
TOLERANCE = 0.10  # [goals] tolerance: at_risk within this share of baseline -> target


@dataclass(frozen=True)
class GoalSettings:
    """The [goals] table of sitegen.toml: how recent the pace is, how wide at_risk is."""

    pace_days: int = PACE_DAYS
    tolerance: float = TOLERANCE


@dataclass(frozen=True)
class GoalContext:
    """What every step of one goal's evaluation needs."""

    spec: GoalSpec
    engine: GoalEngine
    as_of: date
    channels: list[str] | None
    better: str
    additive: bool
    grain: str
    measure: str = "total"
    settings: GoalSettings = field(default_factory=GoalSettings)
    data_grain: str = "day"  # "month" or "week" for exports with one row per month or week
    # The values the KPI can take at all (catalogue `range`); None: from zero up, unbounded.
    bounds: tuple[float, float] | None = None

    @property
    def cumulative(self) -> bool:
        return self.measure == "total"

    @property
    def higher(self) -> bool:
        return self.better != "lower"

    @property
    def done(self) -> bool:
        """Return True when the deadline has passed (as of is on or after it)."""
        return self.as_of >= self.spec.deadline

    @property
    def observed(self) -> Period | None:
        """Return the part of the window up to as of; None before the start."""
        if self.as_of < self.spec.start:
            return None
        return Period(self.spec.start, min(self.as_of, self.spec.deadline))

    @property
    def data_days(self) -> int:
        """Return the days of the window up to as of that the client's data covers."""
        observed, span = self.observed, self.engine.span
        if observed is None or span is None or span.start > observed.end:
            return 0
        return (observed.end - max(observed.start, span.start)).days + 1

    @property
    def pace_period(self) -> Period | None:
        """Return the recent days the pace is taken from: the last pace_days up to as of."""
        observed = self.observed
        if observed is None:
            return None
        first = observed.end - timedelta(days=self.settings.pace_days - 1)
        if self.data_grain != "day":
            # A monthly row dated the 1st stands for its month: take whole months, or the
            # recent days would miss the row and read a rate of zero.
            first = bucket_start(first, self.data_grain)
        return Period(max(observed.start, first), observed.end)

    @property
    def days_left(self) -> int:
        """Return the days after as of up to the deadline (the whole window before start)."""
        if self.as_of < self.spec.start:
            return self.spec.window.days
        return max(0, (self.spec.deadline - self.as_of).days)

    def warning(self, message: str, hint: str | None, code: str, key: str = "") -> SitegenWarning:
        return SitegenWarning(
            message, file=self.spec.file, key=self.spec.where + key, hint=hint, code=code
        )


def data_grain(spec: GoalSpec, engine: GoalEngine, as_of: date) -> str:
    """Return "month" or "week" when the KPI's recent rows all fall on bucket starts, else "day"."""
    last = min(as_of, spec.deadline)
    recent = Period(last - timedelta(days=GRAIN_DAYS - 1), last)
    channels = [spec.channel] if spec.channel else None
    dated = [p.start for p, v in engine.series(spec.kpi, "day", recent, channels) if v is not None]
    if len(dated) < 2:
        return "day"
    if all(d.day == 1 for d in dated):
        return "month"
    if all(d.weekday() == 0 for d in dated):
        return "week"
    return "day"


def measure_of(spec: GoalSpec, engine: GoalEngine) -> str:
    """Return the goal's measure (goals.md section 1): per_period, total, level, window_ratio."""
    if spec.per is not None:
        return "per_period"
    cat = engine.catalogue
    if cat.is_additive(spec.kpi):
        return "total"
    kinds = cat.metric_kinds
    if kinds.get(spec.kpi) == "stock":
        return "level"
    parts = cat.inputs(spec.kpi)
    if spec.kpi not in kinds and parts and all(kinds.get(m) == "stock" for m in parts):
        return "level"  # a sum of stocks (followers on two networks) is a stock too
    return "window_ratio"


def check_inputs(spec: GoalSpec, engine: GoalEngine) -> None:
    """Raise GoalError when the data cannot give the goal's KPI (for its channel)."""
    who, where = f'goal "{spec.id}"', spec.where
    if spec.channel is not None:
        err = unknown_channel(spec.channel, engine, who, spec.file, f"{where}.channel")
        if err is not None:
            raise err
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
    instead = "choose a KPI the data gives"
    err = missing_kpi(engine, spec.kpi, channels, who, spec.file, f"{where}.kpi", instead=instead)
    if err is not None:
        raise err


def baseline_of(c: GoalContext) -> tuple[float | None, Period | None]:
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


def current_of(c: GoalContext) -> tuple[float | None, Period | None]:
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
