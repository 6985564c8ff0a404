"""Periods and time grains: report period, previous period, year-ago period, grain buckets.

All functions are pure: dates come in, dates go out; nothing reads the clock.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

GRAINS = ("day", "week", "month", "quarter", "year")


@dataclass(frozen=True, order=True)
class Period:
    """An inclusive date range [start, end]."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period end {self.end} is before its start {self.start}")

    @property
    def days(self) -> int:
        """Return the number of days in the period, both ends included."""
        return (self.end - self.start).days + 1

    def __contains__(self, d: object) -> bool:
        return isinstance(d, date) and self.start <= d <= self.end

    def clip(self, other: Period) -> Period | None:
        """Return the overlap with other, or None when they do not overlap."""
        start, end = max(self.start, other.start), min(self.end, other.end)
        return Period(start, end) if start <= end else None

    def to_json(self) -> dict[str, str]:
        """Return {"start": ISO date, "end": ISO date}."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def month_end(d: date) -> date:
    """Return the last day of d's month."""
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def add_months(d: date, months: int) -> date:
    """Return the first day of the month `months` after d's month."""
    index = d.year * 12 + (d.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def is_whole_months(p: Period) -> bool:
    """Return True when p starts on a month's first day and ends on a month's last day."""
    return p.start.day == 1 and p.end == month_end(p.end)


def months_in(p: Period) -> int:
    """Return how many calendar months p touches."""
    return (p.end.year - p.start.year) * 12 + p.end.month - p.start.month + 1


def previous_period(p: Period) -> Period:
    """Return the period right before p (output.md: whole months -> months, else days)."""
    if is_whole_months(p):
        n = months_in(p)
        start = add_months(p.start, -n)
        return Period(start, p.start - timedelta(days=1))
    return Period(p.start - timedelta(days=p.days), p.start - timedelta(days=1))


def _shift_year(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February -> 28 February
        return d.replace(year=d.year + years, day=28)


def year_ago(p: Period) -> Period:
    """Return the same period one year earlier (month ends stay month ends)."""
    start = _shift_year(p.start, -1)
    end = month_end(_shift_year(p.end, -1)) if p.end == month_end(p.end) else _shift_year(p.end, -1)
    return Period(start, end)


def bucket_start(d: date, grain: str) -> date:
    """Return the first day of the grain bucket (ISO week, month, quarter, year) holding d."""
    if grain == "day":
        return d
    if grain == "week":
        return d - timedelta(days=d.weekday())
    if grain == "month":
        return d.replace(day=1)
    if grain == "quarter":
        return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
    if grain == "year":
        return date(d.year, 1, 1)
    raise ValueError(f"unknown grain {grain!r}; expected one of {', '.join(GRAINS)}")


def bucket_end(start: date, grain: str) -> date:
    """Return the last day of the grain bucket that starts at start."""
    if grain == "day":
        return start
    if grain == "week":
        return start + timedelta(days=6)
    if grain == "month":
        return month_end(start)
    if grain == "quarter":
        return month_end(add_months(start, 2))
    if grain == "year":
        return date(start.year, 12, 31)
    raise ValueError(f"unknown grain {grain!r}; expected one of {', '.join(GRAINS)}")


@dataclass(frozen=True)
class Bucket:
    """One step of a series: its grain, its full span, the part inside the period, partial flag."""

    grain: str
    full: Period
    period: Period
    partial: bool

    @property
    def label(self) -> str:
        """Return a stable machine label: 2025-01-05, 2025-W03, 2025-01, 2025-Q1, 2025."""
        return bucket_label(self.full.start, self.grain)


def bucket_label(start: date, grain: str) -> str:
    """Return the machine label of the bucket starting at start."""
    if grain == "day":
        return start.isoformat()
    if grain == "week":
        iso = start.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    if grain == "month":
        return f"{start.year}-{start.month:02d}"
    if grain == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}"


def buckets(p: Period, grain: str) -> list[Bucket]:
    """Cut p into grain buckets; the first and last may be partial (flagged)."""
    out: list[Bucket] = []
    cur = bucket_start(p.start, grain)
    while cur <= p.end:
        full = Period(cur, bucket_end(cur, grain))
        inner = full.clip(p)
        assert inner is not None
        out.append(Bucket(grain, full, inner, inner != full))
        cur = full.end + timedelta(days=1)
    return out
