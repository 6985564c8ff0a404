"""The periods a case or reference compares, and how much of them the data covers."""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

import polars as pl

from sitegen.errors import SitegenWarning
from sitegen.model.engine import Engine
from sitegen.model.periods import (
    Period,
    add_months,
    bucket_end,
    bucket_start,
    is_whole_months,
    month_end,
    months_in,
)


def default_baseline(period: Period) -> Period:
    """Return the same length right before period: whole months for whole months, else days."""
    if is_whole_months(period):
        n = months_in(period)
        return Period(add_months(period.start, -n), period.start - timedelta(days=1))
    return Period(period.start - timedelta(days=period.days), period.start - timedelta(days=1))


def months_ending(end: date, months: int) -> Period:
    """Return the span of `months` months that ends on end (whole months when end is one's end)."""
    if end == month_end(end):
        return Period(add_months(end, -(months - 1)), end)
    first = add_months(end, -months)
    day = min(end.day, calendar.monthrange(first.year, first.month)[1])
    return Period(first.replace(day=day) + timedelta(days=1), end)


def aligned_grain(baseline: Period, campaign: Period, data_grain: str = "day") -> str:
    """Return the step of a case chart: months (3+ whole months, or monthly rows), weeks, days."""
    whole = is_whole_months(baseline) and is_whole_months(campaign)
    if whole and (min(months_in(baseline), months_in(campaign)) >= 3 or data_grain == "month"):
        return "month"
    if min(baseline.days, campaign.days) >= 14 or data_grain != "day":
        return "week"
    return "day"


def steps_of(period: Period, grain: str) -> list[Period]:
    """Cut period into calendar months, or 7-day / 1-day blocks counted from its first day."""
    out: list[Period] = []
    if grain == "month":
        cur = period.start
        while cur <= period.end:
            out.append(Period(cur, month_end(cur)))
            cur = month_end(cur) + timedelta(days=1)
        return out
    size = 7 if grain == "week" else 1
    cur = period.start
    while cur <= period.end:
        out.append(Period(cur, min(cur + timedelta(days=size - 1), period.end)))
        cur += timedelta(days=size)
    return out


def data_span(
    engine: Engine,
    channels: Sequence[str] | None = None,
    competitor: str | None = None,
    grains: Mapping[str, str] | None = None,
) -> Period | None:
    """Return the first..last day of the rows for channels (or all) and competitor (or own).

    A week or month row (``grains``: the reader's grain per channel) stands for its whole week
    or month, so the span ends at the end of the last row's bucket, as the report period does.
    """
    f = engine.frame.filter(
        pl.col("competitor").is_null() if competitor is None else pl.col("competitor") == competitor
    )
    t = engine.totals.filter(
        pl.col("competitor").is_null() if competitor is None else pl.col("competitor") == competitor
    )
    if channels is not None:
        f = f.filter(pl.col("channel").is_in(list(channels)))
        t = t.filter(pl.col("channel").is_in(list(channels)))
    # Period totals (no days) cover their whole period.
    firsts = [d for d in (f.get_column("date").min(), t.get_column("start").min()) if d]
    lasts = [d for d in (f.get_column("date").max(), t.get_column("end").max()) if d]
    if not firsts:
        return None
    start, end = min(firsts), max(lasts)
    assert isinstance(start, date) and isinstance(end, date)
    for (ch,), part in f.group_by(["channel"]):
        grain = (grains or {}).get(str(ch), "day")
        last = part.get_column("date").max()
        if grain != "day" and isinstance(last, date):
            end = max(end, bucket_end(bucket_start(last, grain), grain))
    return Period(start, end)


def coarsest_grain(grains: Mapping[str, str] | None, channels: Sequence[str]) -> str:
    """Return the coarsest row grain (day < week < month) among channels."""
    order = ("day", "week", "month")
    seen = [(grains or {}).get(ch, "day") for ch in channels]
    return max(seen, key=lambda g: order.index(g) if g in order else 0, default="day")


def coverage_note(span: Period | None, period: Period, what: str) -> str | None:
    """Return a note when the data covers only part of period (None when all of it)."""
    if span is None or span.clip(period) is None:
        return f"no data for the {what} {period}"
    start, end = max(span.start, period.start), min(span.end, period.end)
    if (start, end) == (period.start, period.end):
        return None
    return f"the data covers only {Period(start, end)} of the {what} {period}"


def coverage_warning(
    who: str, note: str, span: Period | None, *, file: str, key: str, hint: str, code: str
) -> SitegenWarning:
    """Return the warning for a coverage note of who (a case or a reference)."""
    return SitegenWarning(
        f"{who}: {note}" + ("" if span is None else f" (the data spans {span})"),
        file=file,
        key=key,
        hint=hint,
        code=code,
    )
