"""A goal's measure M over its window (goals.md section 1): one point per bucket, on its bucket.

Cumulative for totals, window-to-date for window ratios, the stock for levels, the KPI over
each whole bucket for per-period goals. The chart, the series in kpis.json and the count of
buckets met all read these points.
"""

from __future__ import annotations

from datetime import timedelta

from sitegen.model.periods import Period

from .context import GoalContext
from .status import meets
from .trend import segments, whole_buckets


def measure_series(c: GoalContext) -> list[tuple[Period, float | None]]:
    """Return [(bucket clipped to the window so far, M at the bucket's end)]."""
    observed = c.observed
    if observed is None:
        return []
    kpi, e, ch = c.spec.kpi, c.engine, c.channels
    if c.spec.per is not None:
        return [(b, e.value(kpi, b, ch)) for b in whole_buckets(observed, c.spec.per)]
    parts = [p for _, p, _ in segments(observed.start - timedelta(days=1), observed.end, c.grain)]
    if c.measure == "total":
        out: list[tuple[Period, float | None]] = []
        total: float | None = None
        for p in parts:
            v = e.value(kpi, p, ch)
            if v is not None:
                total = (total or 0.0) + v
            out.append((p, total))
        return out
    if c.measure == "level":
        return [(p, e.value(kpi, p, ch)) for p in parts]
    return [(p, e.value(kpi, Period(observed.start, p.end), ch)) for p in parts]


def buckets_met(
    c: GoalContext, series: list[tuple[Period, float | None]], target: float
) -> tuple[int | None, int | None]:
    """Return (whole buckets that met the target, whole buckets) for per-period goals."""
    if c.spec.per is None:
        return None, None
    return sum(1 for _, v in series if meets(v, target, c.better)), len(series)
