"""Line and stacked-area trends over time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import altair as alt

from sitegen.present.charts.model import Chart, Fmt, LegendItem, Reference, Series, series_colors
from sitegen.present.charts.spec import (
    Values,
    finish,
    reference_layers,
    reference_legend,
    reference_values,
    sentence,
    trend_alt,
    wide_table,
)
from sitegen.present.charts.style import (
    DASHES,
    HEIGHT,
    MAX_POINTS,
    MUTED,
    WIDTH,
    ValueAxis,
    colors,
    scale_value,
    time_x,
    value_axis,
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
    refs: Sequence[Reference] = (),
    months: bool = True,
) -> Chart:
    """Return a line chart of one or more series over time (month or week buckets).

    The first series is the main one (the brand colour, the widest line); later ones
    (previous period, year ago, channels) are drawn in other colours and dash patterns, each
    point at its ``Point.x`` and its tooltip naming its own bucket. ``refs`` are targets and
    benchmarks drawn as rules or bands behind the lines, labelled in the chart.
    """
    vals = Values()
    names = [s.name for s in series]
    recs: list[dict[str, Any]] = []
    for i, s in enumerate(series):
        for p in s.points:
            if p.value is None:
                continue
            text = fmt.value(p.value, unit)
            recs.append(
                {
                    "x": p.x.isoformat(),
                    "y": scale_value(p.value, unit),
                    "s": s.name,
                    "w": 1.75 if i else 2.5,  # the main series stands out in width too
                    "tip": f"{p.label} · {s.name}: {text}"
                    if len(series) > 1
                    else f"{p.label}: {text}",
                }
            )
    axis = value_axis(unit, [r["y"] for r in recs] + reference_values(refs, unit))
    many = max((len(s.points) for s in series), default=0) > MAX_POINTS
    dashes = [DASHES[i % len(DASHES)] for i in range(len(names))]
    legend = (
        [
            LegendItem(n, c, "line", tuple(d))
            for n, c, d in zip(names, series_colors(series, colors(brand)), dashes, strict=False)
        ]
        if len(names) > 1
        else []
    )
    line = (
        alt.Chart(vals(recs))
        .mark_line(point=False if many else alt.OverlayMarkDef(size=36))
        .encode(
            x=time_x(months=months),
            y=axis.y(),
            color=alt.Color(
                "s:N",
                title=None,
                scale=alt.Scale(domain=names, range=series_colors(series, colors(brand))),
                legend=None,
            ),
            strokeDash=alt.StrokeDash(
                "s:N",
                title=None,
                scale=alt.Scale(domain=names, range=dashes),
                legend=None,
            ),
            strokeWidth=alt.StrokeWidth("w:Q", scale=None, legend=None),
            tooltip=alt.Tooltip("tip:N"),
        )
    )
    layers = reference_layers(refs, unit, vals, axis)
    legend += reference_legend(refs)
    if not axis.zero_based:
        legend.append(LegendItem(gettext(locale, "The axis does not start at zero"), MUTED, "note"))
    chart = alt.layer(*layers, line) if layers else line
    chart = chart.properties(width=WIDTH, height=height)
    columns, rows = wide_table(series, unit, fmt, gettext(locale, "Period"))
    for r in refs:
        columns.append(r.name)
        lo, hi = fmt.value(r.low, unit), fmt.value(r.high, unit)
        for row in rows:
            row.append(lo if not r.is_band else f"{lo} – {hi}")
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
                totals[p.x] = totals.get(p.x, 0.0) + p.value
    recs: list[dict[str, Any]] = []
    for order, s in enumerate(series):
        for p in s.points:
            if p.value is None:
                continue
            total = totals.get(p.x) or 0.0
            share = fmt.percent(p.value / total * 100) if total else fmt.value(None, unit)
            recs.append(
                {
                    "x": p.x.isoformat(),
                    "y": scale_value(p.value, unit),
                    "s": s.name,
                    "o": order,
                    "tip": f"{p.label} · {s.name}: {fmt.value(p.value, unit)} ({share})",
                }
            )
    if normalize:
        axis = ValueAxis((0.0, 1.0), (0.0, 0.2, 0.4, 0.6, 0.8, 1.0), ".0%", zero=True)
    else:
        axis = value_axis(unit, [scale_value(v, unit) for v in totals.values()], zero=True)
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
                scale=axis.scale(),
                axis=axis.axis(),
            ),
            color=alt.Color(
                "s:N",
                title=None,
                scale=alt.Scale(domain=names, range=series_colors(series, colors(brand))),
                legend=None,
            ),
            order=alt.Order("o:Q"),
            tooltip=alt.Tooltip("tip:N"),
        )
        .properties(width=WIDTH, height=height)
    )
    columns, rows = wide_table(series, unit, fmt, gettext(locale, "Period"))
    totals_by_label = {p.x: p.label for s in series for p in s.points}
    if totals_by_label:
        columns.append(gettext(locale, "Total"))
        for row, d in zip(rows, sorted(totals_by_label), strict=True):
            row.append(fmt.value(totals.get(d), unit))
    if totals:
        top = max(totals, key=lambda d: totals[d])
        alt_text = sentence(
            gettext(locale, "%(title)s by %(parts)s; the highest total is %(high)s in %(when)s")
            % {
                "title": title,
                "parts": ", ".join(names),
                "high": fmt.value(totals[top], unit),
                "when": totals_by_label[top],
            }
        )
    else:
        alt_text = gettext(locale, "%(title)s: no data for this period.") % {"title": title}
    legend = [
        LegendItem(n, c, "square")
        for n, c in zip(names, series_colors(series, colors(brand)), strict=False)
    ]
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
