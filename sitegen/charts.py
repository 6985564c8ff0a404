"""Chart specs with Altair, rendered to static SVG by vl-convert at build time.

Each ``Chart`` carries its Vega-Lite spec (upgraded to an interactive view in the browser by
the bundled Vega runtime), its numbers as a table (already formatted for the locale) and an
alt text. Building specs is separate from rendering them so the build can render (and cache)
many charts at once.

Conventions that keep the static SVG and the live view identical and deterministic:
- data are inline values (no URLs), dates are ISO strings read on a UTC scale, so neither
  the build machine's nor the reader's time zone moves a month;
- percent KPIs (1.5 means 1.5 %) are drawn as fractions so the axis uses the locale's d3
  percent format; currency axes use the d3 locale's currency affixes;
- tooltips show text formatted by babel, the same text as the page's tables;
- element ids in the SVG are prefixed per chart, so several charts can share one page.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, Protocol

import altair as alt

from sitegen.i18n import gettext

# Okabe-Ito based: readable in light and dark mode and for common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
GOOD = "#059669"
BAD = "#dc2626"
WARN = "#d97706"
MUTED = "#9ca3af"
INK = "#4b5563"
GRID = "#e5e7eb"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"
WIDTH = 680  # plot width of the static SVG; the live view is fitted to its container
HEIGHT = 240
MAX_POINTS = 24  # above this many points a line has no dots (week trends)
STATUS_COLORS = {
    "achieved": GOOD,
    "on_track": GOOD,
    "at_risk": WARN,
    "off_track": BAD,
    "missed": BAD,
    "not_started": MUTED,
}
# Dash patterns that tell overlaid series apart without colour (print, colour blindness).
DASHES = [[1, 0], [6, 4], [2, 3], [8, 3, 2, 3]]


class Fmt(Protocol):
    """The locale formatter the charts need (sitegen.i18n.Formatter)."""

    def value(self, x: float | None, unit: str) -> str:
        """Return x formatted for its unit."""
        ...

    def change(self, fraction: float | None, digits: int = 1) -> str:
        """Return a relative change as a signed percentage."""
        ...

    def percent(self, x: float | None, digits: int = 1) -> str:
        """Return a value given in percent."""
        ...

    def date(self, d: date | None) -> str:
        """Return a date in the locale's medium form."""
        ...


@dataclass(frozen=True)
class Point:
    """One point of a series: the bucket's start and end, its label and its value."""

    start: date
    end: date
    label: str  # for tables and tooltips, e.g. "Jan 2025" in the locale
    value: float | None


@dataclass(frozen=True)
class Series:
    """A named line: its points and whether it is the main one (drawn solid, in brand colour)."""

    name: str
    points: Sequence[Point]


@dataclass(frozen=True)
class LegendItem:
    """One legend entry, drawn in HTML above the chart so it wraps on a phone."""

    name: str
    color: str
    shape: str = "line"  # line | square | band | tick
    dash: tuple[int, ...] = ()


@dataclass
class Chart:
    """A chart: id, title, Vega-Lite spec, its numbers as a formatted table and alt text."""

    id: str
    title: str
    spec: dict[str, Any]
    columns: list[str]
    rows: list[list[str]]
    alt: str
    kind: str = "line"
    svg: str = ""
    interactive: bool = True  # False for sparklines: static only, no table
    legend: list[LegendItem] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Return a content hash of the spec (the render cache key)."""
        blob = json.dumps(self.spec, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()


# --- shared pieces -----------------------------------------------------------------------


def colors(brand: str | None) -> list[str]:
    """Return the category colours: the client's brand colour first, then the palette."""
    return [brand, *PALETTE] if brand else list(PALETTE)


def base_config(brand: str | None) -> dict[str, Any]:
    """Return the Vega-Lite config every chart shares (fonts, greys, palette)."""
    return {
        "view": {"stroke": None},
        # No ARIA attributes on every mark: the chart's container is role="img" with the alt
        # text (so screen readers never reach the marks) and its numbers are a table. They
        # were a quarter of the static SVG's bytes and of vl-convert's time.
        "aria": False,
        "font": FONT,
        "padding": 4,
        "axis": {
            "labelFontSize": 12,
            "titleFontSize": 12,
            "titleFontWeight": "normal",
            "gridColor": GRID,
            "domainColor": MUTED,
            "tickColor": MUTED,
            "labelColor": INK,
            "titleColor": INK,
            "labelOverlap": "greedy",
            # No truncation of tick labels (dates, numbers: always short). vl-convert measures
            # every label once more to check it against a limit, about a third of a line
            # chart's drawing time. Axes of names (channels, competitors) set their own limit.
            "labelLimit": 0,
        },
        "legend": {
            "labelFontSize": 12,
            "titleFontSize": 12,
            "orient": "top",
            "labelColor": INK,
            "titleColor": INK,
            "symbolStrokeWidth": 2.5,
            "labelLimit": 220,
        },
        "range": {"category": colors(brand)},
        "background": "transparent",
    }


@cache
def vega_locale(locale: str, currency: str) -> dict[str, Any]:
    """Return the d3 number and time locales for a spec's config.locale (static and live)."""
    from sitegen.i18n import d3_format_locale, d3_time_format_locale

    return {
        "number": dict(d3_format_locale(locale, currency)),
        "time": dict(d3_time_format_locale(locale)),
    }


def localize(chart: Chart, locale: str, currency: str) -> Chart:
    """Set the chart's number and date formats to the locale's; return the chart."""
    if chart.kind != "sparkline":  # no axes, no text: no locale needed
        chart.spec.setdefault("config", {})["locale"] = vega_locale(locale, currency)
    return chart


class _Values:
    """Inline data sets of one chart, referenced by name until the spec is finished.

    Altair deep-copies inline values at every step of building a chart; named data sets
    (Vega-Lite's top-level ``datasets``) keep the values out of its way.
    """

    def __init__(self) -> None:
        self.sets: dict[str, list[dict[str, Any]]] = {}

    def __call__(self, values: list[dict[str, Any]]) -> alt.NamedData:
        for name, known in self.sets.items():
            if known is values:  # layers over the same records share one data set
                return alt.NamedData(name=name)
        name = f"d{len(self.sets)}"
        self.sets[name] = values
        return alt.NamedData(name=name)


def unchecked_specs() -> AbstractContextManager[None]:
    """Return a context in which Altair does not validate every object as it is made.

    Altair's debug mode (on by default) checks each object against the Vega-Lite schema when
    it is created: a third of the time a build spends making chart specs. The tests validate
    every chart kind against the schema instead (tests/test_charts.py).
    """
    from altair.utils.schemapi import debug_mode

    return debug_mode(False)


def _finish(chart: alt.TopLevelMixin, brand: str | None, values: _Values) -> dict[str, Any]:
    # Validation is Altair's schema check: worth its cost once per chart kind in the tests,
    # not for every chart of every build.
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec.pop("$schema", None)
    spec["datasets"] = values.sets
    spec["config"] = base_config(brand)
    return spec


def scale_value(x: float, unit: str) -> float:
    """Return a value as drawn: percent KPIs become fractions for the d3 percent format."""
    return x / 100 if unit == "percent" else x


def axis_format(unit: str, values: Sequence[float]) -> str:
    """Return the d3 format of a value axis for the unit and the range of values drawn."""
    top = max((abs(v) for v in values), default=0.0)
    if unit == "percent":  # values are fractions here
        return ",.2~%" if top < 0.01 else ",.1~%" if top < 1 else ",.0%"
    if unit == "currency":
        return "$,.0f" if top >= 100 else "$,.2~f"
    if unit in ("ratio", "count") and top < 10:
        return ",.2~f"
    if top >= 10_000_000:
        return ",.3~s"
    return ",.0f"


def _month_label_expr() -> str:
    # Month ticks read "Jan 2025, Feb, Mar, ..., Jan 2026": the year only where it changes.
    return "utcFormat(datum.value, datum.index == 0 || utcmonth(datum.value) == 0 ? '%b %Y' : '%b')"


def _time_x(title: str | None = None, *, field_name: str = "x", months: bool = True) -> alt.X:
    axis = alt.Axis(
        labelExpr=_month_label_expr(),
        tickCount={"interval": "month", "step": 1} if months else alt.Undefined,
        grid=False,
        labelAngle=0,
        labelPadding=6,
    )
    return alt.X(f"{field_name}:T", title=title, scale=alt.Scale(type="utc"), axis=axis)


def _alt_trend(cx_locale: str, title: str, unit: str, fmt: Fmt, pts: Sequence[Point]) -> str:
    vals = [p for p in pts if p.value is not None]
    if not vals:
        return gettext(cx_locale, "%(title)s: no data for this period.") % {"title": title}
    high = max(vals, key=lambda p: p.value or 0.0)
    return gettext(
        cx_locale,
        "%(title)s, %(start)s to %(end)s: from %(first)s to %(last)s; "
        "highest %(high)s in %(when)s.",
    ) % {
        "title": title,
        "start": vals[0].label,
        "end": vals[-1].label,
        "first": fmt.value(vals[0].value, unit),
        "last": fmt.value(vals[-1].value, unit),
        "high": fmt.value(high.value, unit),
        "when": high.label,
    }


def _wide_table(
    series: Sequence[Series], unit: str, fmt: Fmt, first_column: str
) -> tuple[list[str], list[list[str]]]:
    """Return one row per bucket (in date order) and one column per series."""
    starts: dict[date, str] = {}
    for s in series:
        for p in s.points:
            starts.setdefault(p.start, p.label)
    cells: dict[tuple[int, date], float | None] = {
        (i, p.start): p.value for i, s in enumerate(series) for p in s.points
    }
    rows = [
        [starts[d], *[fmt.value(cells.get((i, d)), unit) for i in range(len(series))]]
        for d in sorted(starts)
    ]
    return [first_column, *[s.name for s in series]], rows


# --- chart kinds -------------------------------------------------------------------------


def trend_chart(
    chart_id: str,
    title: str,
    series: Sequence[Series],
    unit: str,
    fmt: Fmt,
    *,
    locale: str,
    brand: str | None = None,
    height: int = HEIGHT,
    band: tuple[float, float, str] | None = None,
    months: bool = True,
) -> Chart:
    """Return a line chart of one or more series over time (month or week buckets).

    The first series is the main one; later ones (previous period, year ago, channels) are
    drawn in other colours and dash patterns. ``band`` is (low, high, label): a benchmark
    range drawn behind the lines.
    """
    vals = _Values()
    names = [s.name for s in series]
    recs: list[dict[str, Any]] = []
    for s in series:
        for p in s.points:
            if p.value is None:
                continue
            text = fmt.value(p.value, unit)
            recs.append(
                {
                    "x": p.start.isoformat(),
                    "y": scale_value(p.value, unit),
                    "s": s.name,
                    "tip": f"{p.label} · {s.name}: {text}"
                    if len(series) > 1
                    else f"{p.label}: {text}",
                }
            )
    drawn = [r["y"] for r in recs]
    if band is not None:
        drawn += [scale_value(band[0], unit), scale_value(band[1], unit)]
    fmt_axis = axis_format(unit, drawn)
    many = max((len(s.points) for s in series), default=0) > MAX_POINTS
    dashes = [DASHES[i % len(DASHES)] for i in range(len(names))]
    legend = (
        [
            LegendItem(n, c, "line", tuple(d))
            for n, c, d in zip(names, colors(brand), dashes, strict=False)
        ]
        if len(names) > 1
        else []
    )
    line = (
        alt.Chart(vals(recs))
        .mark_line(strokeWidth=2.25, point=False if many else alt.OverlayMarkDef(size=36))
        .encode(
            x=_time_x(months=months),
            y=alt.Y(
                "y:Q",
                title=None,
                axis=alt.Axis(format=fmt_axis, tickCount=5, domain=False, ticks=False),
                scale=alt.Scale(zero=unit == "count", nice=True),
            ),
            color=alt.Color(
                "s:N",
                title=None,
                scale=alt.Scale(domain=names, range=colors(brand)[: len(names)]),
                legend=None,
            ),
            strokeDash=alt.StrokeDash(
                "s:N",
                title=None,
                scale=alt.Scale(domain=names, range=dashes),
                legend=None,
            ),
            tooltip=alt.Tooltip("tip:N"),
        )
    )
    layers: list[alt.Chart] = []
    if band is not None:
        low, high, label = band
        bdata = vals(
            [
                {
                    "lo": scale_value(low, unit),
                    "hi": scale_value(high, unit),
                    "tip": f"{label}: {fmt.value(low, unit)}"
                    + (f" – {fmt.value(high, unit)}" if high != low else ""),
                }
            ]
        )
        layers.append(
            alt.Chart(bdata)
            .mark_rect(color=GOOD, opacity=0.12)
            .encode(y="lo:Q", y2="hi:Q", tooltip=alt.Tooltip("tip:N"))
        )
        legend.append(LegendItem(label, GOOD, "band"))
    chart = (alt.layer(*layers, line) if layers else line).properties(width=WIDTH, height=height)
    columns, rows = _wide_table(series, unit, fmt, gettext(locale, "Period"))
    if band is not None:
        columns.append(band[2])
        lo, hi = fmt.value(band[0], unit), fmt.value(band[1], unit)
        for row in rows:
            row.append(lo if lo == hi else f"{lo} – {hi}")
    alt_text = _alt_trend(locale, title, unit, fmt, series[0].points if series else [])
    return Chart(
        chart_id, title, _finish(chart, brand, vals), columns, rows, alt_text, "line", legend=legend
    )


def stacked_chart(
    chart_id: str,
    title: str,
    series: Sequence[Series],
    unit: str,
    fmt: Fmt,
    *,
    locale: str,
    brand: str | None = None,
    normalize: bool = False,
    height: int = HEIGHT,
) -> Chart:
    """Return stacked bars per bucket, one colour per series (e.g. channels).

    With ``normalize`` the bars show each series' share of the bucket's total (stacked share).
    """
    vals = _Values()
    names = [s.name for s in series]
    totals: dict[date, float] = {}
    for s in series:
        for p in s.points:
            if p.value is not None:
                totals[p.start] = totals.get(p.start, 0.0) + p.value
    recs: list[dict[str, Any]] = []
    for order, s in enumerate(series):
        for p in s.points:
            if p.value is None:
                continue
            total = totals.get(p.start) or 0.0
            share = fmt.percent(p.value / total * 100) if total else fmt.value(None, unit)
            recs.append(
                {
                    "x": p.start.isoformat(),
                    "y": scale_value(p.value, unit),
                    "s": s.name,
                    "o": order,
                    "tip": f"{p.label} · {s.name}: {fmt.value(p.value, unit)} ({share})",
                }
            )
    if normalize:
        fmt_axis = ".0%"
    else:
        fmt_axis = axis_format(unit, [scale_value(v, unit) for v in totals.values()])
    chart = (
        alt.Chart(vals(recs))
        .mark_bar(width={"band": 0.75})
        .encode(
            x=alt.X(
                "x:O",
                title=None,
                axis=alt.Axis(
                    labelExpr=(
                        "utcFormat(toDate(datum.value), datum.index == 0 || "
                        "utcmonth(toDate(datum.value)) == 0 ? '%b %Y' : '%b')"
                    ),
                    labelAngle=0,
                    labelOverlap="greedy",
                ),
            ),
            y=alt.Y(
                "y:Q",
                title=None,
                stack="normalize" if normalize else "zero",
                axis=alt.Axis(format=fmt_axis, tickCount=5, domain=False, ticks=False),
            ),
            color=alt.Color(
                "s:N",
                title=None,
                scale=alt.Scale(domain=names, range=colors(brand)[: len(names)]),
                legend=None,
            ),
            order=alt.Order("o:Q"),
            tooltip=alt.Tooltip("tip:N"),
        )
        .properties(width=WIDTH, height=height)
    )
    columns, rows = _wide_table(series, unit, fmt, gettext(locale, "Period"))
    totals_by_label = {p.start: p.label for s in series for p in s.points}
    if totals_by_label:
        columns.append(gettext(locale, "Total"))
        for row, d in zip(rows, sorted(totals_by_label), strict=True):
            row.append(fmt.value(totals.get(d), unit))
    if totals:
        top = max(totals, key=lambda d: totals[d])
        alt_text = gettext(
            locale, "%(title)s by %(parts)s; the highest total is %(high)s in %(when)s."
        ) % {
            "title": title,
            "parts": ", ".join(names),
            "high": fmt.value(totals[top], unit),
            "when": totals_by_label[top],
        }
    else:
        alt_text = gettext(locale, "%(title)s: no data for this period.") % {"title": title}
    legend = [LegendItem(n, c, "square") for n, c in zip(names, colors(brand), strict=False)]
    return Chart(
        chart_id,
        title,
        _finish(chart, brand, vals),
        columns,
        rows,
        alt_text,
        "stacked",
        legend=legend,
    )


def bar_chart(
    chart_id: str,
    title: str,
    values: Sequence[tuple[str, float | None]],
    unit: str,
    fmt: Fmt,
    *,
    locale: str,
    brand: str | None = None,
    name_column: str | None = None,
) -> Chart:
    """Return a horizontal bar chart of one value per category (e.g. per channel)."""
    vals = _Values()
    recs: list[dict[str, Any]] = [
        {"n": name, "y": scale_value(v, unit), "o": i, "tip": f"{name}: {fmt.value(v, unit)}"}
        for i, (name, v) in enumerate(values)
        if v is not None
    ]
    fmt_axis = axis_format(unit, [r["y"] for r in recs])
    chart = (
        alt.Chart(vals(recs))
        .mark_bar(cornerRadiusEnd=3, height={"band": 0.7}, color=brand or PALETTE[0])
        .encode(
            y=alt.Y(
                "n:N",
                title=None,
                sort=alt.EncodingSortField("o", op="min"),
                axis=alt.Axis(labelLimit=200, domain=False, ticks=False),
            ),
            x=alt.X("y:Q", title=None, axis=alt.Axis(format=fmt_axis, tickCount=5)),
            tooltip=alt.Tooltip("tip:N"),
        )
        .properties(width=WIDTH - 120, height=max(40, 30 * len(recs)))
    )
    rows = [[name, fmt.value(v, unit)] for name, v in values]
    columns = [name_column or gettext(locale, "Channel"), title]
    shown = [(n, v) for n, v in values if v is not None]
    if shown:
        top = max(shown, key=lambda nv: nv[1] or 0.0)
        alt_text = gettext(locale, "%(title)s: highest %(high)s (%(name)s).") % {
            "title": title,
            "high": fmt.value(top[1], unit),
            "name": top[0],
        }
    else:
        alt_text = gettext(locale, "%(title)s: no data for this period.") % {"title": title}
    return Chart(chart_id, title, _finish(chart, brand, vals), columns, rows, alt_text, "bar")


def lift_chart(
    chart_id: str,
    title: str,
    items: Sequence[tuple[str, float | None, str]],
    fmt: Fmt,
    *,
    locale: str,
    brand: str | None = None,
    name_column: str | None = None,
) -> Chart:
    """Return diverging bars of relative changes (name, fraction, better), coloured by tone."""
    vals = _Values()
    recs: list[dict[str, Any]] = []
    for i, (name, change, better) in enumerate(items):
        if change is None:
            continue
        good = (change > 0) == (better == "higher")
        recs.append(
            {
                "n": name,
                "y": change,
                "o": i,
                "c": "good" if change != 0 and good else "bad" if change != 0 else "flat",
                "tip": f"{name}: {fmt.change(change)}",
            }
        )
    chart = (
        alt.Chart(vals(recs))
        .mark_bar(height={"band": 0.7})
        .encode(
            y=alt.Y(
                "n:N",
                title=None,
                sort=alt.EncodingSortField("o", op="min"),
                axis=alt.Axis(labelLimit=200, domain=False, ticks=False),
            ),
            x=alt.X("y:Q", title=None, axis=alt.Axis(format="+,.0%", tickCount=5)),
            color=alt.Color(
                "c:N",
                legend=None,
                scale=alt.Scale(domain=["good", "bad", "flat"], range=[GOOD, BAD, MUTED]),
            ),
            tooltip=alt.Tooltip("tip:N"),
        )
        .properties(width=WIDTH - 120, height=max(40, 30 * len(recs)))
    )
    rule = alt.Chart(vals([{"z": 0}])).mark_rule(color=MUTED).encode(x="z:Q")
    rows = [[name, fmt.change(change)] for name, change, _ in items]
    columns = [name_column or gettext(locale, "KPI"), gettext(locale, "Change")]
    alt_text = "; ".join(f"{n}: {fmt.change(c)}" for n, c, _ in items if c is not None)
    return Chart(
        chart_id,
        title,
        _finish(alt.layer(chart, rule), brand, vals),
        columns,
        rows,
        f"{title}: {alt_text}." if alt_text else title,
        "lift",
    )


def before_after_chart(
    chart_id: str,
    title: str,
    before: tuple[str, float | None],
    after: tuple[str, float | None],
    unit: str,
    better: str,
    fmt: Fmt,
    *,
    locale: str,
    brand: str | None = None,
) -> Chart:
    """Return two bars, before and after (a case study's KPI), the after bar coloured by tone."""
    vals = _Values()
    (b_label, b), (a_label, a) = before, after
    tone = "flat"
    if a is not None and b is not None and a != b:
        tone = "good" if (a > b) == (better == "higher") else "bad"
    recs: list[dict[str, Any] | None] = [
        {
            "n": b_label,
            "y": scale_value(b, unit),
            "c": "before",
            "o": 0,
            "tip": f"{b_label}: {fmt.value(b, unit)}",
        }
        if b is not None
        else None,
        {
            "n": a_label,
            "y": scale_value(a, unit),
            "c": tone,
            "o": 1,
            "tip": f"{a_label}: {fmt.value(a, unit)}",
        }
        if a is not None
        else None,
    ]
    values: list[dict[str, Any]] = [r for r in recs if r is not None]
    chart = (
        alt.Chart(vals(values))
        .mark_bar(height={"band": 0.65}, cornerRadiusEnd=3)
        .encode(
            y=alt.Y(
                "n:N",
                title=None,
                sort=alt.EncodingSortField("o", op="min"),
                axis=alt.Axis(domain=False, ticks=False, labelLimit=200),
            ),
            x=alt.X(
                "y:Q",
                title=None,
                axis=alt.Axis(format=axis_format(unit, [v["y"] for v in values]), tickCount=4),
            ),
            color=alt.Color(
                "c:N",
                legend=None,
                scale=alt.Scale(
                    domain=["before", "good", "bad", "flat"],
                    range=[MUTED, GOOD, BAD, brand or PALETTE[0]],
                ),
            ),
            tooltip=alt.Tooltip("tip:N"),
        )
        .properties(width=WIDTH - 200, height=80)
    )
    rows = [[b_label, fmt.value(b, unit)], [a_label, fmt.value(a, unit)]]
    alt_text = f"{title}: {b_label} {fmt.value(b, unit)}, {a_label} {fmt.value(a, unit)}."
    return Chart(
        chart_id, title, _finish(chart, brand, vals), ["", title], rows, alt_text, "before-after"
    )


@dataclass(frozen=True)
class GoalBar:
    """One row of the goals bullet chart."""

    name: str
    progress: float | None  # fraction of the way from baseline to target (not clamped)
    expected: float  # fraction of the window elapsed
    status: str
    status_text: str  # the status in the locale


def bullet_chart(
    chart_id: str,
    title: str,
    goals: Sequence[GoalBar],
    fmt: Fmt,
    *,
    locale: str,
    brand: str | None = None,
) -> Chart:
    """Return a bullet chart of goals: progress bars, a tick where progress is expected now."""
    vals = _Values()
    lo, hi = -0.25, 1.5  # progress is not clamped; the chart is, and the table is exact
    recs: list[dict[str, Any]] = []
    for i, g in enumerate(goals):
        shown = min(max(g.progress, lo), hi) if g.progress is not None else 0.0
        recs.append(
            {
                "n": g.name,
                "o": i,
                "p": shown,
                "e": min(g.expected, hi),
                "c": g.status,
                "tip": f"{g.name}: {g.status_text}; {gettext(locale, 'Progress')} "
                f"{fmt.percent(g.progress * 100 if g.progress is not None else None, 0)}, "
                f"{gettext(locale, 'Expected by now')} {fmt.percent(g.expected * 100, 0)}",
            }
        )
    y = alt.Y(
        "n:N",
        title=None,
        sort=alt.EncodingSortField("o", op="min"),
        axis=alt.Axis(labelLimit=260, domain=False, ticks=False, labelPadding=8),
    )
    x_scale = alt.Scale(
        domain=[
            min(0.0, *(r["p"] for r in recs)) if recs else 0.0,
            max(1.0, *(r["p"] for r in recs)) if recs else 1.0,
        ],
        clamp=True,
        nice=False,
    )
    back = (
        alt.Chart(vals(recs))
        .mark_bar(color=GRID, height={"band": 0.7})
        .encode(y=y, x=alt.X("zero:Q", scale=x_scale), x2="one:Q")
        .transform_calculate(zero="0", one="1")
    )
    bars = (
        alt.Chart(vals(recs))
        .mark_bar(height={"band": 0.36})
        .encode(
            y=y,
            x=alt.X(
                "p:Q",
                title=None,
                scale=x_scale,
                axis=alt.Axis(format=".0%", tickCount=5, grid=True),
            ),
            color=alt.Color(
                "c:N",
                legend=None,
                scale=alt.Scale(domain=list(STATUS_COLORS), range=list(STATUS_COLORS.values())),
            ),
            tooltip=alt.Tooltip("tip:N"),
        )
    )
    ticks = (
        alt.Chart(vals(recs))
        .mark_tick(color="#111827", thickness=2.5, size=22)
        .encode(y=y, x=alt.X("e:Q", scale=x_scale), tooltip=alt.Tooltip("tip:N"))
    )
    chart = alt.layer(back, bars, ticks).properties(
        width=WIDTH - 160, height=34 * max(1, len(recs))
    )
    rows = [
        [
            g.name,
            g.status_text,
            fmt.percent(g.progress * 100 if g.progress is not None else None, 0),
            fmt.percent(g.expected * 100, 0),
        ]
        for g in goals
    ]
    columns = [
        gettext(locale, "Goal"),
        gettext(locale, "Status"),
        gettext(locale, "Progress"),
        gettext(locale, "Expected by now"),
    ]
    legend = [
        LegendItem(gettext(locale, "Progress"), GOOD, "square"),
        LegendItem(gettext(locale, "Expected by now"), "#111827", "tick"),
    ]
    alt_text = "; ".join(f"{g.name}: {g.status_text}" for g in goals)
    return Chart(
        chart_id,
        title,
        _finish(chart, brand, vals),
        columns,
        rows,
        f"{title}: {alt_text}." if goals else title,
        "bullet",
        legend=legend,
    )


def goal_chart(
    chart_id: str,
    title: str,
    actual: Sequence[Point],
    pace: Sequence[tuple[date, float]],
    unit: str,
    fmt: Fmt,
    *,
    locale: str,
    brand: str | None = None,
    target: float,
    baseline: float | None = None,
    forecast: tuple[date, float] | None = None,
    window: tuple[date, date],
) -> Chart:
    """Return a goal's progress against its pace line, with target, baseline and forecast.

    ``actual`` points are placed at their bucket's end, where the pace line has its points.
    """
    vals = _Values()
    actual_name = gettext(locale, "Actual")
    pace_name = gettext(locale, "Expected progress")
    fc_name = gettext(locale, "Forecast")
    recs: list[dict[str, Any]] = []
    for p in actual:
        if p.value is not None:
            recs.append(
                {
                    "x": p.end.isoformat(),
                    "y": scale_value(p.value, unit),
                    "s": actual_name,
                    "tip": f"{p.label}: {fmt.value(p.value, unit)}",
                }
            )
    for d, v in pace:
        recs.append(
            {
                "x": d.isoformat(),
                "y": scale_value(v, unit),
                "s": pace_name,
                "tip": f"{pace_name}, {fmt.date(d)}: {fmt.value(v, unit)}",
            }
        )
    last = next((p for p in reversed(actual) if p.value is not None), None)
    if forecast is not None and last is not None:
        ends: list[tuple[date, float | None]] = [(last.end, last.value), forecast]
        for when, fv in ends:
            assert fv is not None
            recs.append(
                {
                    "x": when.isoformat(),
                    "y": scale_value(fv, unit),
                    "s": fc_name,
                    "tip": f"{fc_name}, {fmt.date(when)}: {fmt.value(fv, unit)}",
                }
            )
    names = [actual_name, pace_name] + ([fc_name] if forecast is not None and last else [])
    line_colors = [brand or PALETTE[0], MUTED, WARN]
    line_dashes: list[tuple[int, ...]] = [(1, 0), (6, 4), (2, 3)]
    legend = [
        LegendItem(n, c, "line", d)
        for n, c, d in zip(names, line_colors, line_dashes, strict=False)
    ]
    end = window[1].isoformat()
    refs = [
        {
            "y": scale_value(target, unit),
            "x": end,
            "t": gettext(locale, "Target"),
            "tip": f"{gettext(locale, 'Target')}: {fmt.value(target, unit)}",
        }
    ]
    if baseline is not None:
        refs.append(
            {
                "y": scale_value(baseline, unit),
                "x": end,
                "t": gettext(locale, "Baseline"),
                "tip": f"{gettext(locale, 'Baseline')}: {fmt.value(baseline, unit)}",
            }
        )
    fmt_axis = axis_format(unit, [r["y"] for r in recs] + [r["y"] for r in refs])
    x = alt.X(
        "x:T",
        title=None,
        scale=alt.Scale(type="utc", domain=[window[0].isoformat(), window[1].isoformat()]),
        axis=alt.Axis(
            labelExpr=_month_label_expr(),
            grid=False,
            labelAngle=0,
            tickCount={"interval": "month", "step": 1},
        ),
    )
    yq = alt.Y(
        "y:Q",
        title=None,
        scale=alt.Scale(zero=unit == "count", nice=True),
        axis=alt.Axis(format=fmt_axis, tickCount=5, domain=False, ticks=False),
    )
    color = alt.Color(
        "s:N",
        title=None,
        legend=None,
        scale=alt.Scale(domain=names, range=line_colors[: len(names)]),
    )
    dash = alt.StrokeDash(
        "s:N",
        title=None,
        legend=None,
        scale=alt.Scale(domain=names, range=[list(d) for d in line_dashes[: len(names)]]),
    )
    # The pace is a reference: a plain dashed line; the actual values and forecast get dots.
    pace_line = (
        alt.Chart(vals([r for r in recs if r["s"] == pace_name]))
        .mark_line(strokeWidth=1.75)
        .encode(x=x, y=yq, color=color, strokeDash=dash, tooltip=alt.Tooltip("tip:N"))
    )
    lines = (
        alt.Chart(vals([r for r in recs if r["s"] != pace_name]))
        .mark_line(strokeWidth=2.25, point=alt.OverlayMarkDef(size=36))
        .encode(x=x, y=yq, color=color, strokeDash=dash, tooltip=alt.Tooltip("tip:N"))
    )
    rules = (
        alt.Chart(vals(refs))
        .mark_rule(strokeDash=[2, 2], color=INK, strokeWidth=1.25)
        .encode(y=alt.Y("y:Q"), tooltip=alt.Tooltip("tip:N"))
    )
    labels = (
        alt.Chart(vals(refs))
        .mark_text(align="right", baseline="bottom", dy=-3, color=INK, fontSize=11)
        .encode(y=alt.Y("y:Q"), x=x, text="t:N")
    )
    chart = alt.layer(rules, labels, pace_line, lines).properties(width=WIDTH, height=HEIGHT)
    # The table: one row per bucket end, the actual value and the pace line's value there.
    pace_at = dict(pace)
    rows = [
        [p.label, fmt.value(p.value, unit), fmt.value(pace_at.get(p.end), unit)] for p in actual
    ]
    columns = [gettext(locale, "Period"), actual_name, pace_name]
    summary = gettext(locale, "%(title)s: %(current)s now, target %(target)s by %(deadline)s.") % {
        "title": title,
        "current": fmt.value(last.value if last else None, unit),
        "target": fmt.value(target, unit),
        "deadline": fmt.date(window[1]),
    }
    return Chart(
        chart_id, title, _finish(chart, brand, vals), columns, rows, summary, "goal", legend=legend
    )


def funnel_chart(
    chart_id: str,
    title: str,
    steps: Sequence[tuple[str, float, float | None]],
    fmt: Fmt,
    *,
    locale: str,
    brand: str | None = None,
) -> Chart:
    """Return a plan's funnel: per step (name, plan, actual) a plan bar and the actual inside."""
    vals = _Values()
    plan_name, actual_name = gettext(locale, "Plan"), gettext(locale, "Actual")
    recs: list[dict[str, Any]] = []
    for i, (name, plan, actual) in enumerate(steps):
        meets = actual is not None and actual >= plan
        recs.append(
            {
                "n": name,
                "o": i,
                "plan": plan,
                "actual": actual,
                "c": "good" if meets else "bad" if actual is not None else "flat",
                "tip": f"{name}: {actual_name} {fmt.value(actual, 'count')}, "
                f"{plan_name} {fmt.value(plan, 'count')}",
            }
        )
    y = alt.Y(
        "n:N",
        title=None,
        sort=alt.EncodingSortField("o", op="min"),
        axis=alt.Axis(domain=False, ticks=False, labelLimit=200, labelPadding=8),
    )
    plan_bars = (
        alt.Chart(vals(recs))
        .mark_bar(color=GRID, height={"band": 0.75}, stroke=MUTED, strokeWidth=1)
        .encode(
            y=y,
            x=alt.X("plan:Q", title=None, axis=alt.Axis(format=",.0f", tickCount=5)),
            tooltip=alt.Tooltip("tip:N"),
        )
    )
    actual_bars = (
        alt.Chart(vals(recs))
        .mark_bar(height={"band": 0.4})
        .encode(
            y=y,
            x=alt.X("actual:Q"),
            color=alt.Color(
                "c:N",
                legend=None,
                scale=alt.Scale(domain=["good", "bad", "flat"], range=[GOOD, BAD, MUTED]),
            ),
            tooltip=alt.Tooltip("tip:N"),
        )
    )
    chart = alt.layer(plan_bars, actual_bars).properties(
        width=WIDTH - 160, height=44 * max(1, len(recs))
    )
    rows = [[n, fmt.value(p, "count"), fmt.value(a, "count")] for n, p, a in steps]
    columns = ["", plan_name, actual_name]
    legend = [LegendItem(plan_name, GRID, "square"), LegendItem(actual_name, GOOD, "square")]
    alt_text = "; ".join(
        f"{n}: {actual_name} {fmt.value(a, 'count')}, {plan_name} {fmt.value(p, 'count')}"
        for n, p, a in steps
    )
    return Chart(
        chart_id,
        title,
        _finish(chart, brand, vals),
        columns,
        rows,
        f"{title}: {alt_text}.",
        "funnel",
        legend=legend,
    )


SPARK_W, SPARK_H, SPARK_PAD = 240, 40, 3


def _num(x: float) -> str:
    """Return x with at most 3 decimals and no trailing zeros (SVG path numbers)."""
    text = f"{x:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _tick_step(start: float, stop: float, count: int = 10) -> float:
    """Return d3's tickIncrement: 1, 2 or 5 times a power of ten (negative: its inverse)."""
    step = (stop - start) / count
    power = math.floor(math.log10(step))
    error = step / 10**power
    factor = (
        10
        if error >= math.sqrt(50)
        else 5
        if error >= math.sqrt(10)
        else 2
        if error >= math.sqrt(2)
        else 1
    )
    # Below 1, d3 returns minus the inverse step, so the domain is rounded in whole numbers.
    return -(10**-power) / factor if power < 0 else float(factor * 10**power)


def nice_domain(lo: float, hi: float, count: int = 10) -> tuple[float, float]:
    """Return lo, hi widened to round numbers, as d3's scale.nice() does (Vega-Lite's y)."""
    if hi == lo:  # a flat line sits mid-height
        pad = abs(lo) or 1.0
        return lo - pad, hi + pad
    prev = 0.0
    for _ in range(10):
        step = _tick_step(lo, hi, count)
        if step == prev:
            break
        if step > 0:
            lo, hi = math.floor(lo / step) * step, math.ceil(hi / step) * step
        else:
            lo, hi = math.ceil(lo * step) / step, math.floor(hi * step) / step
        prev = step
    return lo, hi


def monotone_path(xy: Sequence[tuple[float, float]]) -> str:
    """Return an SVG path through the points with d3's curveMonotoneX (no overshoot)."""
    if not xy:
        return ""
    if len(xy) == 1:
        return f"M{_num(xy[0][0])},{_num(xy[0][1])}Z"
    xs, ys = [p[0] for p in xy], [p[1] for p in xy]
    n = len(xy)

    def slope3(i: int) -> float:  # slope at point i from its two neighbours (Steffen)
        h0, h1 = xs[i] - xs[i - 1], xs[i + 1] - xs[i]
        s0 = (ys[i] - ys[i - 1]) / h0 if h0 else 0.0
        s1 = (ys[i + 1] - ys[i]) / h1 if h1 else 0.0
        p = (s0 * h1 + s1 * h0) / (h0 + h1) if h0 + h1 else 0.0
        sign = (s0 > 0) - (s0 < 0) + (s1 > 0) - (s1 < 0)
        return sign * min(abs(s0), abs(s1), 0.5 * abs(p))

    def slope2(i: int, j: int, t: float) -> float:  # one-sided slope at an end point
        h = xs[j] - xs[i]
        return (3 * (ys[j] - ys[i]) / h - t) / 2 if h else t

    if n == 2:
        return f"M{_num(xs[0])},{_num(ys[0])}L{_num(xs[1])},{_num(ys[1])}"
    t = [slope3(i) if 0 < i < n - 1 else 0.0 for i in range(n)]
    t[0] = slope2(0, 1, t[1])
    t[-1] = slope2(n - 2, n - 1, t[-2])
    parts = [f"M{_num(xs[0])},{_num(ys[0])}"]
    for i in range(1, n):
        dx = (xs[i] - xs[i - 1]) / 3
        c = (xs[i - 1] + dx, ys[i - 1] + dx * t[i - 1], xs[i] - dx, ys[i] - dx * t[i], xs[i], ys[i])
        parts.append("C" + ",".join(_num(v) for v in c))
    return "".join(parts)


def sparkline(
    chart_id: str, points: Sequence[Point], unit: str, *, brand: str | None = None
) -> Chart:
    """Return a small axis-less line for a KPI card (static only: decorative).

    Drawn here as a plain SVG path rather than by vl-convert: it has no text to lay out, and
    one per KPI card made it the most numerous chart of a build (47 of 170 in an example),
    at 9 ms each in vl-convert against well under 0.1 ms here. The look follows Vega-Lite's:
    a UTC time x from the first to the last month, a "nice" y not forced to zero, d3's
    monotone curve and a dot on the latest value.
    """
    pts = [(p.start, scale_value(p.value, unit)) for p in points if p.value is not None]
    color = brand or PALETTE[0]
    w, h, pad = SPARK_W, SPARK_H, SPARK_PAD
    body = ""
    if pts:
        days = [(d - pts[0][0]).days for d, _ in pts]
        span = days[-1] or 1
        lo, hi = nice_domain(min(v for _, v in pts), max(v for _, v in pts))
        xy = [(w * x / span, h * (hi - v) / (hi - lo)) for x, (_, v) in zip(days, pts, strict=True)]
        if len(xy) == 1:
            xy = [(w / 2, xy[0][1])]
        last = xy[-1]
        body = (
            f'<path d="{monotone_path(xy)}" fill="none" stroke="{color}" stroke-width="1.75"/>'
            f'<circle cx="{_num(last[0])}" cy="{_num(last[1])}" r="2.345" fill="{color}"/>'
        )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="{w + 2 * pad}" '
        f'height="{h + 2 * pad}" viewBox="0 0 {w + 2 * pad} {h + 2 * pad}">'
        f'<g transform="translate({pad},{pad})">{body}</g></svg>'
    )
    return Chart(chart_id, "", {}, [], [], "", "sparkline", svg=svg, interactive=False)


# --- rendering -----------------------------------------------------------------------------


def render_svg(
    spec: dict[str, Any], format_locale: Any = None, time_format_locale: Any = None
) -> str:
    """Render a Vega-Lite spec to an SVG string (offline: no URL may be loaded).

    Specs made by this module carry their locale in ``config.locale``, so the locale
    arguments only matter for specs without one.
    """
    import vl_convert as vlc

    svg: str = vlc.vegalite_to_svg(
        spec,
        format_locale=format_locale,
        time_format_locale=time_format_locale,
        allowed_base_urls=[],
    )
    return svg
