"""The look every chart shares: colours, sizes, the Vega-Lite config, axes and the locale."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import altair as alt

from sitegen.present.charts.model import Chart
from sitegen.present.i18n.d3 import d3_format_locale, d3_time_format_locale

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
    "not_enough_data": MUTED,
}
# Dash patterns that tell overlaid series apart without colour (print, colour blindness).
DASHES = [[1, 0], [6, 4], [2, 3], [8, 3, 2, 3]]


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
    return {
        "number": dict(d3_format_locale(locale, currency)),
        "time": dict(d3_time_format_locale(locale)),
    }


def localize(chart: Chart, locale: str, currency: str) -> Chart:
    """Set the chart's number and date formats to the locale's; return the chart."""
    if chart.kind != "sparkline":  # no axes, no text: no locale needed
        chart.spec.setdefault("config", {})["locale"] = vega_locale(locale, currency)
    return chart


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


def month_label_expr() -> str:
    # Month ticks read "Jan 2025, Feb, Mar, ..., Jan 2026": the year only where it changes.
    return "utcFormat(datum.value, datum.index == 0 || utcmonth(datum.value) == 0 ? '%b %Y' : '%b')"


def time_x(title: str | None = None, *, field_name: str = "x", months: bool = True) -> alt.X:
    axis = alt.Axis(
        labelExpr=month_label_expr(),
        tickCount={"interval": "month", "step": 1} if months else alt.Undefined,
        grid=False,
        labelAngle=0,
        labelPadding=6,
    )
    return alt.X(f"{field_name}:T", title=title, scale=alt.Scale(type="utc"), axis=axis)
