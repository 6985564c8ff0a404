"""Goal charts: the bullet chart of every goal and one goal's actual against its pace."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import altair as alt

from sitegen.present.charts.model import Chart, Fmt, GoalBar, LegendItem, Point
from sitegen.present.charts.spec import Values, finish
from sitegen.present.charts.style import (
    GOOD,
    GRID,
    HEIGHT,
    INK,
    MUTED,
    PALETTE,
    STATUS_COLORS,
    WARN,
    WIDTH,
    axis_format,
    month_label_expr,
    scale_value,
)
from sitegen.present.i18n.gettext import gettext


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
    vals = Values()
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
        finish(chart, brand, vals),
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
    vals = Values()
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
            labelExpr=month_label_expr(),
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
        chart_id,
        title,
        finish(chart, brand, vals),
        columns,
        rows,
        summary,
        "goal",
        legend=legend,
    )
