"""Charts of the comparison pages: a case's aligned periods and the brands' bars.

- ``aligned_chart``: a case's baseline and campaign as two lines on one axis of steps
  (month 1, month 2, ...), so the periods line up whatever their dates.
- ``brand_bars``: one bar per brand, the client's in the brand colour, the others muted.

They follow the conventions of the other kinds (inline data, percent drawn as fractions,
tooltips and table cells formatted by babel) and return a ``Chart``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt

from sitegen.present.charts.model import Chart, Fmt
from sitegen.present.charts.style import (
    HEIGHT,
    MUTED,
    WIDTH,
    base_config,
    main_color,
    scale_value,
    value_axis,
)
from sitegen.present.i18n.gettext import gettext


def _spec(chart: alt.TopLevelMixin, brand: str | None) -> dict[str, Any]:
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec.pop("$schema", None)
    spec["config"] = base_config(brand)
    return spec


def aligned_chart(
    chart_id: str,
    title: str,
    steps: Sequence[tuple[str, float | None, float | None]],
    unit: str,
    names: tuple[str, str],
    fmt: Fmt,
    *,
    locale: str,
    brand: str | None = None,
) -> Chart:
    """Return the baseline (muted, dashed) and the campaign (brand colour) step by step."""
    recs: list[dict[str, Any]] = []
    drawn: list[float] = []
    for n, (label, before, after) in enumerate(steps):
        for series, v in ((names[0], before), (names[1], after)):
            if v is not None:
                drawn.append(scale_value(v, unit))
                recs.append(
                    {
                        "n": n,
                        "x": label,
                        "y": scale_value(v, unit),
                        "s": series,
                        "tip": f"{label} · {series}: {fmt.value(v, unit)}",
                    }
                )
    chart = (
        alt.Chart({"values": recs})
        .mark_line(strokeWidth=2.25, point=alt.OverlayMarkDef(size=36))
        .encode(
            x=alt.X(
                "x:O",
                title=None,
                sort=[label for label, _, _ in steps],
                axis=alt.Axis(labelAngle=0, labelOverlap="greedy"),
            ),
            y=value_axis(unit, drawn).y(),
            color=alt.Color(
                "s:N",
                title=None,
                scale=alt.Scale(domain=list(names), range=[MUTED, main_color(brand)]),
                legend=alt.Legend(),
            ),
            strokeDash=alt.StrokeDash(
                "s:N",
                title=None,
                scale=alt.Scale(domain=list(names), range=[[6, 4], [1, 0]]),
                legend=alt.Legend(),
            ),
            tooltip=alt.Tooltip("tip:N"),
        )
        .properties(width=WIDTH, height=HEIGHT)
    )
    rows = [[label, fmt.value(b, unit), fmt.value(a, unit)] for label, b, a in steps]
    columns = [gettext(locale, "Period"), names[0], names[1]]
    alt_text = "; ".join(
        f"{label}: {fmt.value(b, unit)} / {fmt.value(a, unit)}" for label, b, a in steps
    )
    return Chart(
        chart_id,
        title,
        _spec(chart, brand),
        columns,
        rows,
        f"{title} ({names[0]} / {names[1]}): {alt_text}.",
        "line",
    )


def brand_bars(
    chart_id: str,
    title: str,
    values: Sequence[tuple[str, float | None, bool]],
    unit: str,
    fmt: Fmt,
    *,
    locale: str,
    brand: str | None = None,
) -> Chart:
    """Return one horizontal bar per brand (name, value, is the client), highest first."""
    drawn = [scale_value(v, unit) for _, v, _ in values if v is not None]
    recs = [
        {
            "n": name,
            "y": scale_value(v, unit),
            "c": "client" if is_client else "other",
            "tip": f"{name}: {fmt.value(v, unit)}",
        }
        for name, v, is_client in values
        if v is not None
    ]
    chart = (
        alt.Chart({"values": recs})
        .mark_bar(cornerRadiusEnd=3, height={"band": 0.7})
        .encode(
            y=alt.Y(
                "n:N",
                title=None,
                sort="-x",
                axis=alt.Axis(labelLimit=200, domain=False, ticks=False),
            ),
            x=value_axis(unit, drawn, zero=True).x("y:Q", domain=True, grid=True),
            color=alt.Color(
                "c:N",
                legend=None,
                scale=alt.Scale(domain=["client", "other"], range=[main_color(brand), MUTED]),
            ),
            tooltip=alt.Tooltip("tip:N"),
        )
        .properties(width=WIDTH - 120, height=max(40, 30 * len(recs)))
    )
    rows = [[name, fmt.value(v, unit)] for name, v, _ in values]
    shown = [(n, v) for n, v, _ in values if v is not None]
    if shown:
        top = max(shown, key=lambda nv: nv[1] or 0.0)
        alt_text = gettext(locale, "%(title)s: highest %(high)s (%(name)s).") % {
            "title": title,
            "high": fmt.value(top[1], unit),
            "name": top[0],
        }
    else:
        alt_text = gettext(locale, "%(title)s: no data for this period.") % {"title": title}
    return Chart(
        chart_id,
        title,
        _spec(chart, brand),
        [gettext(locale, "Brand"), title],
        rows,
        alt_text,
        "bar",
    )
