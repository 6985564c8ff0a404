"""Sparklines drawn as plain SVG paths: a port of d3's nice scale and monotone curve."""

from __future__ import annotations

from collections.abc import Sequence

from sitegen.present.charts.model import Chart, Point
from sitegen.present.charts.style import main_color, nice, scale_value

SPARK_W, SPARK_H, SPARK_PAD = 240, 40, 3


def _num(x: float) -> str:
    """Return x with at most 3 decimals and no trailing zeros (SVG path numbers)."""
    text = f"{x:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def nice_domain(lo: float, hi: float, count: int = 10) -> tuple[float, float]:
    """Return lo, hi widened to round numbers, as d3's scale.nice() does (Vega-Lite's y)."""
    if hi == lo:  # a flat line sits mid-height
        pad = abs(lo) or 1.0
        return lo - pad, hi + pad
    return nice(lo, hi, count)


def monotone_path(xy: Sequence[tuple[float, float]]) -> str:
    """Return an SVG path through the points with d3's curveMonotoneX (no overshoot)."""
    if not xy:
        return ""
    if len(xy) == 1:
        return f"M{_num(xy[0][0])},{_num(xy[0][1])}Z"
    xs, ys = [p[0] for p in xy], [p[1] for p in xy]
    n = len(xy)

    def slope3(i: int) -> float:  # slope at point i from its two neighbours (Steffen)
        h0, h1 = xs[i] - xs[i - 1], xs[i + 1] - xs[i]
        s0 = (ys[i] - ys[i - 1]) / h0 if h0 else 0.0
        s1 = (ys[i + 1] - ys[i]) / h1 if h1 else 0.0
        p = (s0 * h1 + s1 * h0) / (h0 + h1) if h0 + h1 else 0.0
        sign = (s0 > 0) - (s0 < 0) + (s1 > 0) - (s1 < 0)
        return sign * min(abs(s0), abs(s1), 0.5 * abs(p))

    def slope2(i: int, j: int, t: float) -> float:  # one-sided slope at an end point
        h = xs[j] - xs[i]
        return (3 * (ys[j] - ys[i]) / h - t) / 2 if h else t

    if n == 2:
        return f"M{_num(xs[0])},{_num(ys[0])}L{_num(xs[1])},{_num(ys[1])}"
    t = [slope3(i) if 0 < i < n - 1 else 0.0 for i in range(n)]
    t[0] = slope2(0, 1, t[1])
    t[-1] = slope2(n - 2, n - 1, t[-2])
    parts = [f"M{_num(xs[0])},{_num(ys[0])}"]
    for i in range(1, n):
        dx = (xs[i] - xs[i - 1]) / 3
        c = (xs[i - 1] + dx, ys[i - 1] + dx * t[i - 1], xs[i] - dx, ys[i] - dx * t[i], xs[i], ys[i])
        parts.append("C" + ",".join(_num(v) for v in c))
    return "".join(parts)


def sparkline(
    chart_id: str, points: Sequence[Point], unit: str, *, brand: str | None = None
) -> Chart:
    """Return a small axis-less line for a KPI card (static only: decorative).

    Drawn here as a plain SVG path rather than by vl-convert: it has no text to lay out, and
    one per KPI card made it the most numerous chart of a build (47 of 170 in an example),
    at 9 ms each in vl-convert against well under 0.1 ms here. The look follows Vega-Lite's:
    a UTC time x from the first to the last month, a "nice" y not forced to zero, d3's
    monotone curve and a dot on the latest value.
    """
    pts = [(p.start, scale_value(p.value, unit)) for p in points if p.value is not None]
    color = main_color(brand)
    w, h, pad = SPARK_W, SPARK_H, SPARK_PAD
    body = ""
    if pts:
        days = [(d - pts[0][0]).days for d, _ in pts]
        span = days[-1] or 1
        lo, hi = nice_domain(min(v for _, v in pts), max(v for _, v in pts))
        xy = [(w * x / span, h * (hi - v) / (hi - lo)) for x, (_, v) in zip(days, pts, strict=True)]
        if len(xy) == 1:
            xy = [(w / 2, xy[0][1])]
        last = xy[-1]
        body = (
            f'<path d="{monotone_path(xy)}" fill="none" stroke="{color}" stroke-width="1.75"/>'
            f'<circle cx="{_num(last[0])}" cy="{_num(last[1])}" r="2.345" fill="{color}"/>'
        )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="{w + 2 * pad}" '
        f'height="{h + 2 * pad}" viewBox="0 0 {w + 2 * pad} {h + 2 * pad}">'
        f'<g transform="translate({pad},{pad})">{body}</g></svg>'
    )
    return Chart(chart_id, "", {}, [], [], "", "sparkline", svg=svg, interactive=False)
