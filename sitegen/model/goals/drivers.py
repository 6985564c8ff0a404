"""Why a goal stands where it does (goals.md section 5): each channel's part, in the goal's measure.

- a total: each channel's part of the gap between the total so far and the pace, its recent
  daily rate and its share of the rate needed;
- a window ratio (and a per-period ratio): the change from the baseline split exactly into
  each channel's rate and mix effects (model/decompose.py);
- a level: each channel's net change since the start against its share of the pace.

Pure: the engine and the goal's numbers in, frozen drivers out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sitegen.model.decompose import rate_mix
from sitegen.model.periods import Period

from .context import GoalContext
from .forecast import LEVEL_DAYS, part_value, shape_of

EXACT = 1e-9  # goals.md invariants: the rate and mix effects add up to the change to this


@dataclass(frozen=True)
class Driver:
    """One channel's part in a goal (kpis.json ``drivers``; which fields apply: docs/goals.md)."""

    channel: str
    value: float | None  # total: recent daily rate; ratio: own value now; level: level now
    weight: float | None  # share of the total, of the denominator or of the level now
    rate_effect: float | None = None  # ratios: w1 (r1 - r0)
    mix_effect: float | None = None  # ratios: (w1 - w0) r0
    gap: float | None = None  # total/level: its part of current - pace; ratio: rate + mix
    base_value: float | None = None  # ratio: own value in the baseline period
    base_weight: float | None = None  # share in the baseline period
    needed: float | None = None  # total: its share of the daily rate needed; level: weekly


def _channels(c: GoalContext) -> list[str]:
    return list(c.channels) if c.channels is not None else list(c.engine.channels)


def _share(values: dict[str, float]) -> dict[str, float]:
    total = sum(values.values())
    return {ch: v / total for ch, v in values.items()} if total else {}


def pace_now(c: GoalContext, first: float, target: float) -> float:
    """Return the pace line's value at as of: first + the share of the window gone x the way."""
    observed = c.observed
    assert observed is not None
    return first + (target - first) * observed.days / c.spec.window.days


def _ratio_drivers(c: GoalContext, base: Period, now: Period) -> list[Driver]:
    shape = shape_of(c.engine, c.spec.kpi)
    chans = _channels(c)
    if shape is None:
        return [
            Driver(
                ch,
                c.engine.value(c.spec.kpi, now, [ch]),
                None,
                base_value=c.engine.value(c.spec.kpi, base, [ch]),
            )
            for ch in chans
        ]

    def parts(p: Period) -> dict[str, tuple[float, float]]:
        out: dict[str, tuple[float, float]] = {}
        for ch in chans:
            num = part_value(c.engine, shape.numerator, p, [ch])
            den = part_value(c.engine, shape.denominator, p, [ch])
            if den:  # a channel with no denominator takes no share of the ratio
                out[ch] = (num or 0.0, den)
        return out

    effects = rate_mix(parts(base), parts(now), shape.scale)
    value = c.engine.value(c.spec.kpi, now, c.channels)
    before = c.engine.value(c.spec.kpi, base, c.channels)
    split = sum(e.effect for e in effects)
    if (
        value is None
        or before is None
        or abs(split - (value - before)) > EXACT * max(1.0, abs(value), abs(before))
    ):
        # The parts live on different channels (a blended ROAS: revenue on the shop, spend on
        # the ad networks): the channels' own ratios do not explain the whole, so no drivers.
        return []
    return [
        Driver(
            e.channel,
            e.value,
            e.weight,
            e.rate_effect,
            e.mix_effect,
            e.effect,
            e.base_value,
            e.base_weight,
        )
        for e in effects
    ]


def _flow_drivers(
    c: GoalContext,
    now: Period,
    pace: float,
    base: Period | None,
    needed_per_day: float | None,
) -> list[Driver]:
    chans = _channels(c)
    kpi, e = c.spec.kpi, c.engine
    current = {ch: e.value(kpi, now, [ch]) or 0.0 for ch in chans}
    before = {ch: e.value(kpi, base, [ch]) or 0.0 for ch in chans} if base is not None else {}
    base_share = _share(before)
    share = base_share or _share(current)
    recent = c.pace_period
    out = []
    for ch in chans:
        if not current[ch] and not before.get(ch):
            continue  # a channel that never carried the KPI has no part in it
        rate = None
        if recent is not None:
            v = e.value(kpi, recent, [ch])
            rate = v / recent.days if v is not None else None
        out.append(
            Driver(
                ch,
                rate,
                _share(current).get(ch),
                gap=current[ch] - pace * share.get(ch, 0.0),
                base_weight=base_share.get(ch),
                needed=needed_per_day * share.get(ch, 0.0) if needed_per_day is not None else None,
            )
        )
    return out


def _level_drivers(c: GoalContext, baseline: float | None, target: float) -> list[Driver]:
    observed = c.observed
    assert observed is not None
    kpi, e = c.spec.kpi, c.engine
    start = Period(c.spec.start - timedelta(days=LEVEL_DAYS), c.spec.start)
    chans = _channels(c)
    now = {ch: e.value(kpi, observed, [ch]) for ch in chans}
    then = {ch: e.value(kpi, start, [ch]) for ch in chans}
    first_total = sum(v for v in then.values() if v is not None)
    first = baseline if baseline is not None else first_total
    expected = pace_now(c, first, target) - first
    weights = _share({ch: v for ch, v in then.items() if v is not None})
    levels = _share({ch: v for ch, v in now.items() if v is not None})
    weekly = (target - pace_now(c, first, target)) / max(1.0, c.days_left / 7)
    out = []
    for ch in chans:
        n, t = now[ch], then[ch]
        if n is None and t is None:
            continue
        gap = n - t - expected * weights.get(ch, 0.0) if n is not None and t is not None else None
        out.append(Driver(ch, n, levels.get(ch), gap=gap, needed=weekly * weights.get(ch, 0.0)))
    return out


def drivers_of(
    c: GoalContext,
    baseline: float | None,
    baseline_period: Period | None,
    current_period: Period | None,
    target: float,
    needed_per_day: float | None,
) -> list[Driver]:
    """Return each channel's part in the goal's standing, the most harmful first."""
    observed = c.observed
    if observed is None or current_period is None:
        return []
    if c.measure == "total":
        drivers = _flow_drivers(
            c, observed, pace_now(c, 0.0, target), baseline_period, needed_per_day
        )
    elif c.measure == "level":
        drivers = _level_drivers(c, baseline, target)
    elif c.measure == "per_period" and c.additive:
        drivers = _flow_drivers(c, current_period, target, baseline_period, None)
    elif baseline_period is not None:
        drivers = _ratio_drivers(c, baseline_period, current_period)
    else:
        # A given baseline has no period to split the change from: own values and shares only.
        drivers = [
            Driver(d.channel, d.value, d.weight)
            for d in _ratio_drivers(c, current_period, current_period)
        ]
    sign = 1.0 if c.higher else -1.0
    return sorted(drivers, key=lambda d: (sign * (d.gap or 0.0), d.channel))
