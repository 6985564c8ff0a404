"""Chart specs with Altair, rendered to static SVG by vl-convert at build time.

Each ``Chart`` carries its Vega-Lite spec (for the interactive upgrade in the browser), its
numbers as rows (for the accessible table) and an alt text. Rendering is separate from
building specs so the build can render many charts at once and cache them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import polars as pl

from sitegen.periods import Bucket

# Colours that stay readable in light and dark mode and for common colour-vision deficiencies
# (Okabe-Ito based).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
WIDTH = 640
HEIGHT = 260


@dataclass
class Chart:
    """A chart: id, title, Vega-Lite spec, table of numbers and alt text."""

    id: str
    title: str
    spec: dict[str, Any]
    columns: list[str]
    rows: list[list[Any]]
    alt: str
    kind: str = "line"
    svg: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Return a content hash of the spec (the render cache key)."""
        blob = json.dumps(self.spec, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()


def _base_config(brand: str | None) -> dict[str, Any]:
    colors = [brand, *PALETTE] if brand else PALETTE
    return {
        "view": {"stroke": None},
        "font": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
        "axis": {"labelFontSize": 11, "titleFontSize": 11, "gridColor": "#e5e7eb",
                 "domainColor": "#9ca3af", "tickColor": "#9ca3af", "labelColor": "#374151",
                 "titleColor": "#374151"},
        "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom",
                   "labelColor": "#374151", "titleColor": "#374151"},
        "range": {"category": colors},
        "background": "transparent",
    }


def _finish(chart: alt.TopLevelMixin, brand: str | None) -> dict[str, Any]:
    spec = chart.to_dict()
    spec["config"] = _base_config(brand)
    spec.pop("$schema", None)
    return spec


def _fmt(unit: str) -> str:
    return {"percent": ",.1f", "currency": ",.0f", "ratio": ",.2f", "minutes": ",.0f",
            "points": ",.0f"}.get(unit, ",.0f")


def line_chart(
    chart_id: str,
    title: str,
    series: dict[str, list[tuple[Bucket, float | None]]],
    unit: str,
    y_title: str,
    *,
    brand: str | None = None,
    height: int = HEIGHT,
    labels: dict[str, str] | None = None,
) -> Chart:
    """Return a line chart with one line per named series over the same kind of buckets."""
    labels = labels or {}
    recs: list[dict[str, Any]] = []
    for name, pts in series.items():
        for b, v in pts:
            if v is None:
                continue
            recs.append({"date": b.full.start.isoformat(), "bucket": b.label,
                         "series": labels.get(name, name), "value": v})
    df = pl.DataFrame(recs, schema={"date": pl.Utf8, "bucket": pl.Utf8, "series": pl.Utf8,
                                    "value": pl.Float64})
    fmt = _fmt(unit)
    base = alt.Chart(df).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0)),
        y=alt.Y("value:Q", title=y_title, axis=alt.Axis(format=fmt)),
        color=alt.Color("series:N", title=None, legend=alt.Legend() if len(series) > 1 else None),
        tooltip=[alt.Tooltip("series:N", title=" "), alt.Tooltip("bucket:N", title="period"),
                 alt.Tooltip("value:Q", format=fmt)],
    )
    chart = (base.mark_line(point=True, strokeWidth=2)).properties(width=WIDTH, height=height)
    names = [labels.get(n, n) for n in series]
    rows = [[r["bucket"], r["series"], r["value"]] for r in recs]
    alt_text = f"{title}: line chart of {', '.join(names)}, {len(rows)} points."
    return Chart(chart_id, title, _finish(chart, brand), ["period", "series", "value"], rows,
                 alt_text, "line")


def bar_chart(
    chart_id: str,
    title: str,
    values: dict[str, float | None],
    unit: str,
    x_title: str,
    *,
    brand: str | None = None,
) -> Chart:
    """Return a horizontal bar chart of one value per category (e.g. per channel)."""
    recs = [{"name": k, "value": v} for k, v in values.items() if v is not None]
    df = pl.DataFrame(recs, schema={"name": pl.Utf8, "value": pl.Float64})
    fmt = _fmt(unit)
    chart = (
        alt.Chart(df)
        .mark_bar(cornerRadiusEnd=3)
        .encode(
            y=alt.Y("name:N", title=None, sort="-x"),
            x=alt.X("value:Q", title=x_title, axis=alt.Axis(format=fmt)),
            color=alt.value(brand or PALETTE[0]),
            tooltip=[alt.Tooltip("name:N", title=" "), alt.Tooltip("value:Q", format=fmt)],
        )
        .properties(width=WIDTH, height=max(60, 28 * len(recs)))
    )
    rows = [[r["name"], r["value"]] for r in recs]
    return Chart(chart_id, title, _finish(chart, brand), ["name", "value"], rows,
                 f"{title}: bar chart, {len(rows)} bars.", "bar")


def sparkline(chart_id: str, points: Sequence[tuple[Bucket, float | None]], *,
              brand: str | None = None) -> Chart:
    """Return a small axis-less line for a KPI card."""
    recs = [{"date": b.full.start.isoformat(), "value": v} for b, v in points if v is not None]
    df = pl.DataFrame(recs, schema={"date": pl.Utf8, "value": pl.Float64})
    chart = (
        alt.Chart(df)
        .mark_line(strokeWidth=1.5, color=brand or PALETTE[0])
        .encode(x=alt.X("date:T", axis=None), y=alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False)))
        .properties(width=120, height=32)
    )
    spec = _finish(chart, brand)
    spec["config"]["view"] = {"stroke": None}
    rows = [[r["date"], r["value"]] for r in recs]
    return Chart(chart_id, "", spec, ["period", "value"], rows, "trend", "sparkline")


def render_svg(spec: dict[str, Any], format_locale: Any = None, time_format_locale: Any = None) -> str:
    """Render a Vega-Lite spec to an SVG string (offline, no network access allowed)."""
    import vl_convert as vlc

    svg: str = vlc.vegalite_to_svg(
        spec,
        format_locale=format_locale,
        time_format_locale=time_format_locale,
        allowed_base_urls=[],
    )
    return svg
