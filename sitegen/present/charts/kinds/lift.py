"""Lifts: one bar per KPI, coloured by whether the change is good."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt

from sitegen.present.charts.model import Chart, Fmt
from sitegen.present.charts.spec import Values, finish
from sitegen.present.charts.style import BAD, GOOD, MUTED, WIDTH, value_axis
from sitegen.present.i18n.gettext import gettext


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
    vals = Values()
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
    # Changes on one signed percent axis through zero, ticks none alike (+2%, +4%, ...).
    axis = value_axis("change", [r["y"] for r in recs], zero=True)
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
            x=axis.x("y:Q", domain=True, grid=True),
            color=alt.Color(
                "c:N",
                legend=None,
                scale=alt.Scale(domain=["good", "bad", "flat"], range=[GOOD, BAD, MUTED]),
            ),
            tooltip=alt.Tooltip("tip:N"),
        )
        .properties(width=WIDTH - 120, height=max(40, 30 * len(recs)))
    )
    rule = (
        alt.Chart(vals([{"z": 0}]))
        .mark_rule(color=MUTED)
        .encode(x=alt.X("z:Q", scale=axis.scale(), title=None))
    )
    rows = [[name, fmt.change(change)] for name, change, _ in items]
    columns = [name_column or gettext(locale, "KPI"), gettext(locale, "Change")]
    alt_text = "; ".join(f"{n}: {fmt.change(c)}" for n, c, _ in items if c is not None)
    return Chart(
        chart_id,
        title,
        finish(alt.layer(chart, rule), brand, vals),
        columns,
        rows,
        f"{title}: {alt_text}." if alt_text else title,
        "lift",
    )
