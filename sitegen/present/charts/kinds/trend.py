"""Line and stacked-area trends over time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import altair as alt

from sitegen.present.charts.model import Chart, Fmt, LegendItem, Series
from sitegen.present.charts.spec import Values, finish, trend_alt, wide_table
from sitegen.present.charts.style import (
    DASHES,
    GOOD,
    HEIGHT,
    MAX_POINTS,
    WIDTH,
    axis_format,
    colors,
    scale_value,
    time_x,
)
from sitegen.present.i18n.gettext import gettext


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
    vals = Values()
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
            x=time_x(months=months),
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
    columns, rows = wide_table(series, unit, fmt, gettext(locale, "Period"))
    if band is not None:
        columns.append(band[2])
        lo, hi = fmt.value(band[0], unit), fmt.value(band[1], unit)
        for row in rows:
            row.append(lo if lo == hi else f"{lo} – {hi}")
    alt_text = trend_alt(locale, title, unit, fmt, series[0].points if series else [])
    return Chart(
        chart_id,
        title,
        finish(chart, brand, vals),
        columns,
        rows,
        alt_text,
        "line",
        legend=legend,
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
    vals = Values()
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
    columns, rows = wide_table(series, unit, fmt, gettext(locale, "Period"))
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
        finish(chart, brand, vals),
        columns,
        rows,
        alt_text,
        "stacked",
        legend=legend,
    )
