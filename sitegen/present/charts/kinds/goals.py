"""Goal charts: the bullet chart of every goal and one goal's actual against its pace."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import altair as alt

from sitegen.present.charts.model import Chart, Fmt, GoalBar, LegendItem
from sitegen.present.charts.spec import Values, finish
from sitegen.present.charts.style import (
    GOOD,
    GRID,
    HEIGHT,
    INK,
    MUTED,
    STATUS_COLORS,
    WARN,
    WIDTH,
    main_color,
    scale_value,
    value_axis,
)
from sitegen.present.i18n.gettext import gettext
from sitegen.present.text import one_stop


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
                "e": min(g.expected, hi) if g.expected is not None else None,
                "c": g.status,
                "tip": f"{g.name}: {g.status_text}; {gettext(locale, 'Progress')} "
                f"{fmt.percent(g.progress * 100 if g.progress is not None else None, 0)}"
                + (
                    f", {gettext(locale, 'Expected by now')} {fmt.percent(g.expected * 100, 0)}"
                    if g.expected is not None
                    else ""
                ),
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
        alt.Chart(vals([r for r in recs if r["e"] is not None]))
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
            fmt.percent(g.expected * 100 if g.expected is not None else None, 0),
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


@dataclass(frozen=True)
class GoalPoint:
    """One bucket of a goal chart: its label and the measure, pace and forecast at its end."""

    label: str  # the bucket in the locale ("Sep 2025"); every value of it is drawn here
    end: date
    actual: float | None  # M at the bucket's end (None: not yet)
    pace: float | None  # the pace line at the bucket's end
    forecast: float | None  # the projection, from the last actual bucket to the deadline's


def goal_chart(
    chart_id: str,
    title: str,
    points: Sequence[GoalPoint],
    unit: str,
    fmt: Fmt,
    *,
    locale: str,
    brand: str | None = None,
    target: float,
    baseline: float | None = None,
) -> Chart:
    """Return a goal's measure against its pace, forecast and target, one column per bucket.

    The x axis is the goal's buckets, so a month's value sits on that month's label (a time
    axis put September's month-end value on October's tick).
    """
    vals = Values()
    actual_name = gettext(locale, "Actual")
    pace_name = gettext(locale, "Pace to the target")
    fc_name = gettext(locale, "Forecast")
    order = [p.label for p in points]
    recs: list[dict[str, Any]] = []
    for p in points:
        for name, v in ((actual_name, p.actual), (pace_name, p.pace), (fc_name, p.forecast)):
            if v is not None:
                recs.append(
                    {
                        "x": p.label,
                        "y": scale_value(v, unit),
                        "s": name,
                        "tip": f"{p.label} · {name}: {fmt.value(v, unit)}",
                    }
                )
    has_fc = any(r["s"] == fc_name for r in recs)
    names = [actual_name, pace_name] + ([fc_name] if has_fc else [])
    line_colors = [main_color(brand), MUTED, WARN]
    line_dashes: list[tuple[int, ...]] = [(1, 0), (6, 4), (2, 3)]
    legend = [
        LegendItem(n, c, "line", d)
        for n, c, d in zip(names, line_colors, line_dashes, strict=False)
    ]
    legend.append(LegendItem(gettext(locale, "Target"), INK, "line", (2, 2)))
    refs = [
        {
            "y": scale_value(target, unit),
            "x": order[-1] if order else "",
            "t": gettext(locale, "Target"),
            "tip": f"{gettext(locale, 'Target')}: {fmt.value(target, unit)}",
        }
    ]
    if baseline is not None:
        refs.append(
            {
                "y": scale_value(baseline, unit),
                "x": order[0] if order else "",
                "t": gettext(locale, "Baseline"),
                "tip": f"{gettext(locale, 'Baseline')}: {fmt.value(baseline, unit)}",
            }
        )
    axis = value_axis(unit, [r["y"] for r in recs] + [r["y"] for r in refs])
    x = alt.X(
        "x:O",
        title=None,
        sort=order,
        scale=alt.Scale(domain=order),
        axis=alt.Axis(grid=False, labelAngle=0, labelOverlap=True),
    )
    # The shared value axis: ticks that never repeat a label, counts and money from zero.
    yq = axis.y(domain=False, ticks=False)
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
    rows = [
        [
            p.label,
            fmt.value(p.actual, unit),
            fmt.value(p.pace, unit),
            fmt.value(p.forecast, unit) if p.actual is None else "",
        ]
        for p in points
    ]
    columns = [gettext(locale, "Period"), actual_name, pace_name, fc_name]
    last = next((p for p in reversed(points) if p.actual is not None), None)
    # One full stop after a deadline label that ends in one ("дек. 2025 г.", "52. ned.").
    summary = one_stop(
        gettext(locale, "%(title)s: %(current)s now, target %(target)s by %(deadline)s.")
        % {
            "title": title,
            "current": fmt.value(last.actual if last else None, unit),
            "target": fmt.value(target, unit),
            "deadline": points[-1].label if points else "",
        }
    )
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
