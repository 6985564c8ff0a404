"""Evaluate campaign cases, published references and industry benchmarks against the data.

- A **case** compares each KPI over the campaign period ("after") with the baseline period
  ("before"): lift = (after - before) / |before|, None when before is 0 or has no value. The
  lift of a lower-is-better KPI is still the relative change; only its tone follows the
  KPI's better direction.
- A **reference** (a published result such as "+30% customers in 6 months") is compared with
  the client's own change in that KPI: the KPI over the N months ending at *as of* against the
  N months before them.
- A **benchmark** places the client's KPI over the report period below, within or above an
  industry value or range, and is flagged when older than two years at *as of*.

Pure: the engine and the as-of date come in, numbers, status codes and warnings go out;
the summary sentences are written by ``sitegen.present.text``.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import polars as pl

from sitegen.errors import GoalError, SitegenError, SitegenWarning
from sitegen.model.catalogue import KpiDef
from sitegen.model.compare import relative_change, tone
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
from sitegen.model.specs import BenchmarkSpec, CaseSpec, ReferenceSpec
from sitegen.model.values import did_you_mean

LEVEL_TOLERANCE = 0.0005  # within 0.05 percentage points the two changes read as equal
STALE_YEARS = 2


def lift(before: float | None, after: float | None) -> float | None:
    """Return (after - before) / |before|; None when before is 0 or either has no value."""
    return relative_change(after, before)


@dataclass(frozen=True)
class Lift:
    """A KPI before and after, its lift and the lift's tone."""

    before: float | None
    after: float | None
    lift: float | None
    tone: str

    def to_json(self) -> dict[str, Any]:
        """Return {"before", "after", "lift", "tone"}."""
        return {"before": self.before, "after": self.after, "lift": self.lift, "tone": self.tone}


def make_lift(before: float | None, after: float | None, better: str) -> Lift:
    """Return the Lift of a KPI from its before and after values."""
    change = lift(before, after)
    return Lift(before, after, change, tone(change, better))


@dataclass(frozen=True)
class Step:
    """One aligned step of a case chart: the n-th month/week/day of both periods."""

    number: int  # 1-based
    baseline: Period | None
    campaign: Period | None
    before: float | None
    after: float | None


@dataclass(frozen=True)
class CaseKpi:
    """One KPI of a case: totals, per channel and aligned steps."""

    kpi: KpiDef
    total: Lift
    channels: dict[str, Lift]
    steps: list[Step]


@dataclass(frozen=True)
class CaseResult:
    """A campaign case evaluated against the data."""

    spec: CaseSpec
    baseline: Period
    baseline_default: bool
    baseline_has_data: bool
    campaign_has_data: bool
    channels: list[str]
    grain: str  # of the aligned steps: month, week or day
    kpis: list[CaseKpi]
    notes: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Return the case's id."""
        return self.spec.id


@dataclass(frozen=True)
class ReferenceResult:
    """A published result next to the client's own change over the same span."""

    spec: ReferenceSpec
    kpi: KpiDef
    window: Period  # the N months ending at as of
    previous: Period  # the N months before them
    client_before: float | None
    client_after: float | None
    client_change: float | None
    gap: float | None  # client_change - published change, in fraction points
    verdict: str  # ahead | behind | level | no_data
    tone: str
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BenchmarkResult:
    """An industry benchmark with the client's KPI over the report period beside it."""

    spec: BenchmarkSpec
    kpi: KpiDef
    value: float | None
    position: str | None  # below | within | above; None without a value
    tone: str
    stale: bool
    # Drawn as a band on the KPI's all-channel charts: not for one channel, and not for a
    # total (leads, clicks), whose benchmark depends on the length of the chart's buckets.
    drawable: bool = False

    def to_json(self) -> dict[str, Any]:
        """Return the kpis.json entry for this benchmark."""
        s = self.spec
        return {
            "kpi": s.kpi,
            "value": s.low if not s.is_range else None,
            "low": s.low,
            "high": s.high,
            "source": s.source,
            "date": s.date.isoformat(),
            "channel": s.channel,
            "label": s.label,
            "stale": self.stale,
            "client_value": self.value,
            "position": self.position,
            "tone": self.tone,
            "drawable": self.drawable,
        }


# -- periods and coverage --------------------------------------------------------------------


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
    if channels is not None:
        f = f.filter(pl.col("channel").is_in(list(channels)))
    if not f.height:
        return None
    dates = f.get_column("date")
    start, end = dates.min(), dates.max()
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


def _coverage_note(span: Period | None, period: Period, what: str) -> str | None:
    """Return a note when the data covers only part of period (None when all of it)."""
    if span is None or span.clip(period) is None:
        return f"no data for the {what} {period}"
    start, end = max(span.start, period.start), min(span.end, period.end)
    if (start, end) == (period.start, period.end):
        return None
    return f"the data covers only {Period(start, end)} of the {what} {period}"


# -- checks --------------------------------------------------------------------------------


def _check_channels(
    channels: Sequence[str] | None, engine: Engine, file: str, key: str, who: str
) -> list[SitegenError]:
    errors: list[SitegenError] = []
    for ch in channels or ():
        if ch not in engine.channels:
            close = did_you_mean(ch, list(engine.channels))
            errors.append(
                GoalError(
                    f"{who}: channel {ch!r} is not in the data",
                    file=file,
                    key=key,
                    expected="one of: " + (", ".join(engine.channels) or "no channels"),
                    found=repr(ch),
                    hint=f"did you mean {close!r}?"
                    if close
                    else "a channel is a data file's name or the value of its channel column",
                )
            )
    return errors


def missing_kpi_error(
    engine: Engine, kpi: str, channels: Sequence[str] | None, file: str, key: str, who: str
) -> GoalError | None:
    """Return the GoalError for a KPI the data cannot give (for channels), or None."""
    missing = engine.missing_inputs(kpi, channels)
    if not missing:
        return None
    scope = f" for channel {', '.join(channels)}" if channels else ""
    needed = sorted(engine.catalogue.inputs(kpi)) or missing
    return GoalError(
        f"{who} needs {kpi}, but the data has no {', '.join(missing)}{scope}",
        file=file,
        key=key,
        expected=f"data columns for {kpi}: {', '.join(needed)}",
        found="columns in data/: " + (", ".join(sorted(engine.metrics)) or "none"),
        hint="add the missing columns to a file in data/ (kpis.md lists their names and "
        "aliases), or remove the KPI from cases.toml",
    )


# -- cases ---------------------------------------------------------------------------------


def check_case(spec: CaseSpec, engine: Engine) -> list[SitegenError]:
    """Return the errors that keep a case from being evaluated (unknown channel, missing KPI)."""
    who = f'case "{spec.id}"'
    errors = _check_channels(spec.channels, engine, spec.file, f"{spec.where}.channels", who)
    if errors:
        return errors
    for i, kpi in enumerate(spec.kpis):
        err = missing_kpi_error(
            engine, kpi, spec.channels, spec.file, f"{spec.where}.kpis[{i}]", who
        )
        if err is not None:
            errors.append(err)
    return errors


def evaluate_case(
    spec: CaseSpec,
    engine: Engine,
    grains: Mapping[str, str] | None = None,
) -> tuple[CaseResult, list[SitegenWarning]]:
    """Return the case's before/after/lift for each KPI and channel, with its warnings."""
    warnings: list[SitegenWarning] = []
    baseline = spec.baseline_period or default_baseline(spec.period)
    chans = list(spec.channels) if spec.channels else None
    span = data_span(engine, chans, grains=grains)
    notes: list[str] = []
    has: dict[str, bool] = {}
    for what, key, period in (
        ("baseline period", "baseline_period", baseline),
        ("campaign period", "period", spec.period),
    ):
        note = _coverage_note(span, period, what)
        has[what] = span is not None and span.clip(period) is not None
        if note is not None:
            notes.append(note)
            if what == "campaign period":
                hint = "check the campaign's dates against the data"
            elif not has[what]:
                hint = (
                    "set baseline_period to a period the data covers; until then the case "
                    "shows the campaign's values without a lift"
                )
            else:
                hint = "totals over part of the baseline understate it: set baseline_period "
                hint += "to a period the data covers"
            warnings.append(
                SitegenWarning(
                    f'case "{spec.id}": {note}'
                    + ("" if span is None else f" (the data spans {span})"),
                    file=spec.file,
                    key=f"{spec.where}.{key}",
                    hint=hint,
                    code="case-coverage",
                )
            )
    per_channel = list(chans or engine.channels)
    grain = aligned_grain(baseline, spec.period, coarsest_grain(grains, per_channel))
    base_steps, camp_steps = steps_of(baseline, grain), steps_of(spec.period, grain)
    kpis: list[CaseKpi] = []
    for kid in spec.kpis:
        k = engine.kpi(kid)
        before = engine.value(kid, baseline, chans) if has["baseline period"] else None
        after = engine.value(kid, spec.period, chans)
        total = make_lift(before, after, k.better)
        channels = {
            ch: make_lift(
                engine.value(kid, baseline, [ch]) if has["baseline period"] else None,
                engine.value(kid, spec.period, [ch]),
                k.better,
            )
            for ch in per_channel
            if engine.available(kid, [ch])
        }
        steps = []
        for i in range(max(len(base_steps), len(camp_steps))):
            bp = base_steps[i] if i < len(base_steps) else None
            cp = camp_steps[i] if i < len(camp_steps) else None
            steps.append(
                Step(
                    i + 1,
                    bp,
                    cp,
                    engine.value(kid, bp, chans) if bp is not None else None,
                    engine.value(kid, cp, chans) if cp is not None else None,
                )
            )
        kpis.append(CaseKpi(k, total, channels, steps))
    result = CaseResult(
        spec=spec,
        baseline=baseline,
        baseline_default=spec.baseline_period is None,
        baseline_has_data=has["baseline period"],
        campaign_has_data=has["campaign period"],
        channels=per_channel,
        grain=grain,
        kpis=kpis,
        notes=notes,
    )
    return result, warnings


# -- references ----------------------------------------------------------------------------


def check_reference(spec: ReferenceSpec, engine: Engine) -> list[SitegenError]:
    """Return the errors that keep a reference from being compared (unknown channel, KPI)."""
    who = f'reference "{spec.name}"'
    chans = [spec.channel] if spec.channel else None
    errors = _check_channels(chans, engine, spec.file, f"{spec.where}.channel", who)
    if errors:
        return errors
    err = missing_kpi_error(engine, spec.kpi, chans, spec.file, f"{spec.where}.kpi", who)
    return [err] if err is not None else []


def verdict_of(client_change: float | None, change: float, better: str) -> tuple[str, float | None]:
    """Return (ahead | behind | level | no_data, gap): the client against a published change."""
    if client_change is None:
        return "no_data", None
    gap = client_change - change
    if abs(gap) < LEVEL_TOLERANCE:
        return "level", gap
    return ("ahead" if (gap > 0) == (better != "lower") else "behind"), gap


def evaluate_reference(
    spec: ReferenceSpec,
    engine: Engine,
    as_of: date,
    grains: Mapping[str, str] | None = None,
) -> tuple[ReferenceResult, list[SitegenWarning]]:
    """Return the client's change over the reference's months ending at as_of, and the verdict."""
    k = engine.kpi(spec.kpi)
    chans = [spec.channel] if spec.channel else None
    window = months_ending(as_of, spec.months)
    previous = months_ending(window.start - timedelta(days=1), spec.months)
    span = data_span(engine, chans, grains=grains)
    notes: list[str] = []
    warnings: list[SitegenWarning] = []
    for period, what in ((previous, "comparison period"), (window, "period")):
        note = _coverage_note(span, period, f"{spec.months}-month {what}")
        if note is not None:
            notes.append(note)
            warnings.append(
                SitegenWarning(
                    f'reference "{spec.name}": {note}'
                    + ("" if span is None else f" (the data spans {span})"),
                    file=spec.file,
                    key=f"{spec.where}.months",
                    hint=f"the client's change compares {window} with {previous}; "
                    "add data for both, or shorten months",
                    code="reference-coverage",
                )
            )
    before = engine.value(spec.kpi, previous, chans)
    after = engine.value(spec.kpi, window, chans)
    client_change = relative_change(after, before)
    verdict, gap = verdict_of(client_change, spec.change, k.better)
    verdict_tone = {"ahead": "good", "behind": "bad"}.get(verdict, "flat")
    result = ReferenceResult(
        spec=spec,
        kpi=k,
        window=window,
        previous=previous,
        client_before=before,
        client_after=after,
        client_change=client_change,
        gap=gap,
        verdict=verdict,
        tone=verdict_tone,
        notes=notes,
    )
    return result, warnings


# -- benchmarks ----------------------------------------------------------------------------


def years_before(d: date, years: int) -> date:
    """Return the same day `years` years before d (29 February -> 28 February)."""
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


def position_of(value: float | None, low: float, high: float) -> str | None:
    """Return below, within or above for value against [low, high]; None without a value."""
    if value is None:
        return None
    if value < low:
        return "below"
    if value > high:
        return "above"
    return "within"


def evaluate_benchmark(
    spec: BenchmarkSpec, engine: Engine, period: Period, as_of: date
) -> tuple[BenchmarkResult, list[SitegenWarning]]:
    """Return the client's KPI over period against the benchmark; warn when it is stale."""
    k = engine.kpi(spec.kpi)
    warnings: list[SitegenWarning] = []
    chans = [spec.channel] if spec.channel else None
    value: float | None = None
    if spec.channel is not None and spec.channel not in engine.channels:
        warnings.append(
            SitegenWarning(
                f"benchmark for {spec.kpi}: channel {spec.channel!r} is not in the data",
                file=spec.file,
                key=f"{spec.where}.channel",
                hint="channels in the data: " + (", ".join(engine.channels) or "none"),
                code="benchmark-channel",
            )
        )
    elif not engine.available(spec.kpi, chans):
        warnings.append(
            SitegenWarning(
                f"benchmark for {spec.kpi}, but the data has no "
                + ", ".join(engine.missing_inputs(spec.kpi, chans)),
                file=spec.file,
                key=f"{spec.where}.kpi",
                hint="the benchmark is listed without the client's value",
                code="benchmark-no-data",
            )
        )
    else:
        value = engine.value(spec.kpi, period, chans)
    stale = spec.date < years_before(as_of, STALE_YEARS)
    if stale:
        warnings.append(
            SitegenWarning(
                f"the benchmark for {spec.kpi} ({spec.source}, {spec.date.isoformat()}) is more "
                f"than {STALE_YEARS} years older than the report (as of {as_of.isoformat()})",
                file=spec.file,
                key=f"{spec.where}.date",
                hint="look for a newer source; the page marks it as old",
                code="benchmark-stale",
            )
        )
    position = position_of(value, spec.low, spec.high)
    if position == "within" or position is None:
        pos_tone = "flat"
    else:
        pos_tone = tone(1.0 if position == "above" else -1.0, k.better)
    drawable = spec.channel is None and not engine.catalogue.is_additive(spec.kpi)
    return BenchmarkResult(spec, k, value, position, pos_tone, stale, drawable), warnings
