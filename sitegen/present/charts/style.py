"""The look every chart shares: colours, sizes, the Vega-Lite config, axes and the locale."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import altair as alt

from sitegen.present.brand import contrast, rgb
from sitegen.present.charts.model import Chart
from sitegen.present.i18n.d3 import d3_format_locale, d3_time_format_locale

# Okabe-Ito hues, each darkened (light mode) or lightened (dark mode) just enough for a line
# to stand out 3:1 from the chart's background (WCAG 1.4.11); tests/test_charts.py computes the
# ratios. The main series is not in these lists: it is the brand colour, made the most
# visible line of each mode by main_color().
PALETTE = ["#bd8200", "#0072b2", "#009e73", "#c474a0", "#d55e00", "#4794bf", "#958d29", "#868e9a"]
DARK_PALETTE = [
    "#da9702",
    "#3f98d2",
    "#14b084",
    "#cc79a7",
    "#e0702a",
    "#52abdd",
    "#afa738",
    "#999999",
]
DEFAULT_MAIN = "#0b5fff"  # the theme's --brand when sitegen.toml sets none
LIGHT_SURFACE = "#ffffff"  # site.css --surface, the background of a chart's card
DARK_SURFACE = "#161a22"  # site.css --surface in dark mode
DARK_TEXT = "#cbd5e1"  # site.css: the fill of chart text in dark mode
LINE_CONTRAST = 3.0  # WCAG 1.4.11 for graphical objects
TEXT_CONTRAST = 4.5  # WCAG AA for text
MAIN_LIGHT_CONTRAST = 5.5  # above every palette colour but one on white (blue, 5.19)
MAIN_DARK_CONTRAST = 8.0  # above every dark palette colour (at most 7)
GOOD = "#059669"
BAD = "#dc2626"
WARN = "#d97706"
MUTED = "#868e9a"
INK = "#4b5563"
GRID = "#e5e7eb"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"
WIDTH = 680  # plot width of the static SVG; the live view is fitted to its container
HEIGHT = 240
MAX_POINTS = 24  # above this many points a line has no dots (week trends)
# Light colours of marks (not text: site.css recolours chart text) and their dark-mode twins.
DARK_TWINS = {
    **dict(zip(PALETTE, DARK_PALETTE, strict=True)),
    INK: DARK_TEXT,
    GRID: "#2a303b",
    BAD: "#f05252",
}
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
    """Return the category colours: the main (brand) colour first, then the palette."""
    return [main_color(brand), *PALETTE]


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


# -- colours and contrast ----------------------------------------------------------------------


def _mix(a: str, b: str, t: float) -> str:
    return "#" + "".join(
        f"{round(x + (y - x) * t):02x}" for x, y in zip(rgb(a), rgb(b), strict=True)
    )


def _reach(color: str, end: str, surface: str, ratio: float) -> str:
    """Return color mixed toward end in 2 % steps until it stands out ratio:1 from surface."""
    for step in range(51):
        mixed = _mix(color, end, step / 50)
        if contrast(mixed, surface) >= ratio:
            return mixed
    return end


def main_color(brand: str | None) -> str:
    """Return the main series' colour in light mode: the brand, darkened if it is too pale."""
    return _reach((brand or DEFAULT_MAIN).lower(), "#000000", LIGHT_SURFACE, MAIN_LIGHT_CONTRAST)


def dark_main_color(brand: str | None) -> str:
    """Return the main series' colour in dark mode: the brand lightened to stand out most."""
    return _reach(main_color(brand), "#ffffff", DARK_SURFACE, MAIN_DARK_CONTRAST)


def chart_dark_css(brand: str | None = None) -> str:
    """Return the CSS that gives chart marks their dark-mode colours.

    Vega (static and live) and the legend swatches write colours as SVG presentation
    attributes, which any CSS rule overrides: one attribute selector per light colour, so the
    charts need no second rendering for dark mode. Without ``brand`` the rules are the
    palette's (site.css holds them; a test checks they match); with it, only the main colour's
    (written to static/brand.css).
    """
    pairs = (
        [(main_color(brand), dark_main_color(brand))]
        if brand
        else [(main_color(None), dark_main_color(None)), *DARK_TWINS.items()]
    )
    rules = [
        f'  .chart [{attr}="{light.lower()}" i] {{ {attr}: {dark}; }}'
        for light, dark in pairs
        for attr in ("stroke", "fill")
    ]
    # Screen only: a page printed from a dark screen keeps the light colours on paper.
    return "@media screen and (prefers-color-scheme: dark) {\n" + "\n".join(rules) + "\n}\n"


# -- value axes --------------------------------------------------------------------------------

ZERO_BASED_UNITS = ("count", "currency")  # amounts: a bar or line from a cut axis misleads


@dataclass(frozen=True)
class ValueAxis:
    """A value axis worked out once for every chart kind: domain, ticks and format.

    The spec carries only what does not depend on the numbers (zero or not, a tick count,
    a format without precision), so charts of one shape still compile once
    (sitegen/pipeline/draw.py). Vega then makes the domain "nice" for that tick count, puts
    ticks 1, 2 or 5 times a power of ten apart on it and takes the format's precision from
    their step: no two ticks read alike ("1.10%", "1.15%", never "1%", "1%"), in the static
    SVG and the live view alike. ``domain`` and ``ticks`` are what Vega draws, computed the
    same way (d3's nice and ticks), for the chart's legend and the tests.
    """

    domain: tuple[float, float]
    ticks: tuple[float, ...]
    format: str
    zero: bool  # the scale is asked to include zero
    count: int = 5
    fixed: bool = False  # all values zero: the domain is given, Vega cannot make it nice

    @property
    def zero_based(self) -> bool:
        """Return True when the axis shows zero (else the chart says it does not)."""
        return self.domain[0] <= 0 <= self.domain[1]

    def scale(self) -> alt.Scale:
        """Return the Vega-Lite scale of this axis."""
        if self.fixed:
            return alt.Scale(domain=list(self.domain), nice=False, zero=True)
        return alt.Scale(zero=self.zero, nice=self.count)

    def axis(self, **kwargs: Any) -> alt.Axis:
        """Return the Vega-Lite axis: this format and tick count; kwargs override the look."""
        look: dict[str, Any] = {"domain": False, "ticks": False, **kwargs}
        return alt.Axis(format=self.format, tickCount=self.count, **look)

    def y(self, field: str = "y:Q", **axis: Any) -> alt.Y:
        """Return a y encoding of field on this axis."""
        return alt.Y(field, title=None, scale=self.scale(), axis=self.axis(**axis))

    def x(self, field: str, **axis: Any) -> alt.X:
        """Return an x encoding of field on this axis (horizontal bars)."""
        return alt.X(field, title=None, scale=self.scale(), axis=self.axis(**axis))


def tick_step(lo: float, hi: float, count: int) -> float:
    """Return d3's tick step for about count ticks over lo..hi: 1, 2 or 5 times 10^k."""
    raw = (hi - lo) / max(1, count)
    power = math.floor(math.log10(raw))
    error = raw / 10**power
    factor = (
        10
        if error >= math.sqrt(50)
        else 5
        if error >= math.sqrt(10)
        else 2
        if error >= math.sqrt(2)
        else 1
    )
    # Below 1, d3 counts in whole multiples of the inverse step, so the ends are exact.
    return float(factor * 10**power) if power >= 0 else factor / 10**-power


def nice(lo: float, hi: float, count: int) -> tuple[float, float]:
    """Return lo, hi widened to multiples of the tick step, as d3's scale.nice(count) does."""
    prev = 0.0
    for _ in range(10):
        step = tick_step(lo, hi, count)
        if step == prev:
            break
        if step >= 1:
            lo, hi = math.floor(lo / step) * step, math.ceil(hi / step) * step
        else:
            inv = round(1 / step)
            lo, hi = math.floor(lo * inv) / inv, math.ceil(hi * inv) / inv
        prev = step
    return lo, hi


def value_axis(
    unit: str, values: Sequence[float], *, count: int = 5, zero: bool | None = None
) -> ValueAxis:
    """Return the axis for values as drawn (percent as fractions; unit "change": fractions).

    Counts and money start at zero (``zero`` overrides): a cut axis would make a small change
    look large. Other units are zoomed to their values unless zero is near; the chart then
    says the axis does not start at zero (``zero_based``).
    """
    finite = [v for v in values if math.isfinite(v)]
    lo, hi = (min(finite), max(finite)) if finite else (0.0, 0.0)
    if zero is None:
        zero = unit in (*ZERO_BASED_UNITS, "change") or (0 <= lo <= 0.25 * hi) or lo == hi
    if zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    fixed = lo == hi  # all zero
    lo, hi = (0.0, 1.0) if fixed else nice(lo, hi, count)
    step = tick_step(lo, hi, count)
    first, last = round(lo / step), round(hi / step)
    ticks = tuple(round(i * step, 12) or 0.0 for i in range(first, last + 1))
    return ValueAxis(
        (lo, hi), ticks, tick_format(unit, step, max(abs(lo), abs(hi))), zero, count, fixed
    )


def tick_format(unit: str, step: float, top: float) -> str:
    """Return the d3 format of the unit's ticks; Vega sets its precision from the step."""
    if unit in ("percent", "change"):  # fractions: 0.015 -> 1.5%
        return "+,%" if unit == "change" else ",%"
    if unit == "currency":  # money in whole units or in cents, never in tenths
        return "$,f" if step >= 1 else "$,.2f"
    if top >= 10_000_000:  # 45M rather than 45,000,000
        return ",~s"
    return ",f"
