"""A robust straight-line trend (Theil-Sen) and grain arithmetic for forecasts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median

from sitegen.model.periods import Period, bucket_end, bucket_start

MIN_POINTS = 3  # fewer points give no forecast: two points always fit a line exactly


@dataclass(frozen=True)
class Fit:
    """A fitted line y = intercept + slope * (x - origin), and how many points it rests on."""

    slope: float
    intercept: float  # the fitted value at origin
    points: int
    origin: float = 0.0  # x of the first point: keeps the intercept small and exact

    def at(self, x: float) -> float:
        """Return the fitted value at x."""
        return self.intercept + self.slope * (x - self.origin)

    def reaches(self, y: float) -> float:
        """Return the x at which the line takes the value y (the slope must not be 0)."""
        return self.origin + (y - self.intercept) / self.slope


def theil_sen(points: Sequence[tuple[float, float]]) -> Fit | None:
    """Fit a Theil-Sen line (median of pairwise slopes); None for fewer than 3 points."""
    if len(points) < MIN_POINTS:
        return None
    slopes = [
        (y2 - y1) / (x2 - x1)
        for i, (x1, y1) in enumerate(points)
        for (x2, y2) in points[i + 1 :]
        if x2 != x1
    ]
    if not slopes:
        return None
    slope = median(slopes)
    origin = points[0][0]
    intercept = median(y - slope * (x - origin) for x, y in points)
    return Fit(slope, intercept, len(points), origin)


def index(d: date, grain: str) -> int:
    """Return the whole-number position of d's grain bucket (consecutive buckets differ by 1)."""
    start = bucket_start(d, grain)
    if grain == "week":
        return (start.toordinal() - 1) // 7  # ordinal 1 (0001-01-01) is a Monday
    if grain == "month":
        return start.year * 12 + start.month - 1
    if grain == "quarter":
        return start.year * 4 + (start.month - 1) // 3
    if grain == "year":
        return start.year
    return start.toordinal()


def bucket_at(k: int, grain: str) -> Period:
    """Return the full grain bucket at position k (the inverse of index)."""
    if grain == "week":
        start = date.fromordinal(k * 7 + 1)
    elif grain == "month":
        start = date(k // 12, k % 12 + 1, 1)
    elif grain == "quarter":
        start = date(k // 4, (k % 4) * 3 + 1, 1)
    elif grain == "year":
        start = date(k, 1, 1)
    else:
        start = date.fromordinal(k)
    return Period(start, bucket_end(start, grain))


def is_full(p: Period, grain: str) -> bool:
    """Return True when p is a whole grain bucket (a calendar month, an ISO week ...)."""
    return bucket_start(p.start, grain) == p.start and bucket_end(p.start, grain) == p.end


def segments(after: date, end: date, grain: str) -> list[tuple[int, Period, float]]:
    """Return (bucket position, part, share of the bucket) for the days after `after` to end."""
    out: list[tuple[int, Period, float]] = []
    day = after + timedelta(days=1)
    while day <= end:
        k = index(day, grain)
        full = bucket_at(k, grain)
        part = Period(day, min(full.end, end))
        out.append((k, part, part.days / full.days))
        day = part.end + timedelta(days=1)
    return out


def units(p: Period, grain: str) -> float:
    """Return how many grain buckets p spans, counting partial buckets by their share of days."""
    return sum(share for _, _, share in segments(p.start - timedelta(days=1), p.end, grain))


def whole_buckets(p: Period, grain: str) -> list[Period]:
    """Return the whole grain buckets that lie inside p."""
    return [
        part
        for _, part, share in segments(p.start - timedelta(days=1), p.end, grain)
        if share == 1.0
    ]
