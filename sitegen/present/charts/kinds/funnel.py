"""The funnel plan: planned against actual leads and customers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt

from sitegen.present.charts.model import Chart, Fmt, LegendItem
from sitegen.present.charts.spec import Values, finish
from sitegen.present.charts.style import BAD, GOOD, GRID, MUTED, WIDTH, value_axis
from sitegen.present.i18n.gettext import gettext


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
    vals = Values()
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
    axis = value_axis("count", [v for _, p, a in steps for v in (p, a) if v is not None])
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
            x=axis.x("plan:Q", domain=True, grid=True),
            tooltip=alt.Tooltip("tip:N"),
        )
    )
    actual_bars = (
        alt.Chart(vals(recs))
        .mark_bar(height={"band": 0.4})
        .encode(
            y=y,
            x=alt.X("actual:Q", scale=axis.scale(), title=None),
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
        finish(chart, brand, vals),
        columns,
        rows,
        f"{title}: {alt_text}.",
        "funnel",
        legend=legend,
    )
