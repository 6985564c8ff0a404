"""Finish Altair charts as specs: named inline data, the shared config, alt texts, tables."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

import altair as alt
from altair.utils.schemapi import debug_mode

from sitegen.present.charts.model import Fmt, LegendItem, Point, Reference, Series
from sitegen.present.charts.style import ValueAxis, base_config, scale_value
from sitegen.present.i18n.gettext import gettext


class Values:
    """Inline data sets of one chart, referenced by name until the spec is finished.

    Altair deep-copies inline values at every step of building a chart; named data sets
    (Vega-Lite's top-level ``datasets``) keep the values out of its way.
    """

    def __init__(self) -> None:
        self.sets: dict[str, list[dict[str, Any]]] = {}

    def __call__(self, values: list[dict[str, Any]]) -> alt.NamedData:
        for name, known in self.sets.items():
            if known is values:  # layers over the same records share one data set
                return alt.NamedData(name=name)
        name = f"d{len(self.sets)}"
        self.sets[name] = values
        return alt.NamedData(name=name)


def unchecked_specs() -> AbstractContextManager[None]:
    """Return a context in which Altair does not validate every object as it is made.

    Altair's debug mode (on by default) checks each object against the Vega-Lite schema when
    it is created: a third of the time a build spends making chart specs. The tests validate
    every chart kind against the schema instead (tests/test_charts.py).
    """
    return debug_mode(False)


def finish(chart: alt.TopLevelMixin, brand: str | None, values: Values) -> dict[str, Any]:
    """Return the chart's Vega-Lite spec with its data sets and the shared config."""
    # Validation is Altair's schema check: worth its cost once per chart kind in the tests,
    # not for every chart of every build.
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec.pop("$schema", None)
    spec["datasets"] = values.sets
    spec["config"] = base_config(brand)
    return spec


def sentence(text: str) -> str:
    """Return text ending in one full stop: a label that ends in one ("2025 г.") keeps it."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def trend_alt(cx_locale: str, title: str, unit: str, fmt: Fmt, pts: Sequence[Point]) -> str:
    """Return the alt text of a trend: its span, first, last and highest values."""
    vals = [p for p in pts if p.value is not None]
    if not vals:
        return gettext(cx_locale, "%(title)s: no data for this period.") % {"title": title}
    high = max(vals, key=lambda p: p.value or 0.0)
    # One line, no trailing comma: babel counts a trailing comma as a third argument and then
    # skips the call, so this message never reached the catalogues (English on ru/lv sites).
    text = gettext(cx_locale, "%(title)s, %(start)s to %(end)s: from %(first)s to %(last)s; highest %(high)s in %(when)s")  # fmt: skip # noqa: E501
    text = text % {
        "title": title,
        "start": vals[0].label,
        "end": vals[-1].label,
        "first": fmt.value(vals[0].value, unit),
        "last": fmt.value(vals[-1].value, unit),
        "high": fmt.value(high.value, unit),
        "when": high.label,
    }
    return sentence(text)


def reference_values(refs: Sequence[Reference], unit: str) -> list[float]:
    """Return the drawn values of references, for the value axis to include them."""
    return [scale_value(v, unit) for r in refs for v in (r.low, r.high)]


def reference_legend(refs: Sequence[Reference]) -> list[LegendItem]:
    """Return the legend entries of references: a band swatch or a dashed rule."""
    return [
        LegendItem(
            r.name, r.color, "band" if r.is_band else "line", r.dash if not r.is_band else ()
        )
        for r in refs
    ]


def reference_layers(
    refs: Sequence[Reference], unit: str, values: Values, axis: ValueAxis
) -> list[alt.Chart]:
    """Return the layers that draw references behind a chart's marks, on the value axis.

    A band is a tinted rectangle with a rule at each edge, a value a rule; each carries its
    label at the right end, so they are seen and named in the static SVG as in the live view.
    """
    layers: list[alt.Chart] = []
    span = (axis.domain[1] - axis.domain[0]) or 1.0
    labelled: list[float] = []
    for r in refs:
        lo, hi = scale_value(r.low, unit), scale_value(r.high, unit)
        # A label near another's (a target equal to the benchmark) goes under its rule.
        under = any(abs(hi - y) < 0.08 * span for y in labelled)
        if r.label:
            labelled.append(hi)
        tip = r.tip or r.name
        data = values([{"lo": lo, "hi": hi, "t": r.label, "tip": tip}])
        if r.is_band:
            layers.append(
                alt.Chart(data)
                .mark_rect(color=r.color, opacity=0.14)
                .encode(
                    y=alt.Y("lo:Q", scale=axis.scale(), title=None),
                    y2="hi:Q",
                    tooltip=alt.Tooltip("tip:N"),
                )
            )
        edges = values([{"e": e, "tip": tip} for e in sorted({lo, hi})])
        layers.append(
            alt.Chart(edges)
            .mark_rule(color=r.color, strokeWidth=1.5, strokeDash=list(r.dash))
            .encode(
                y=alt.Y("e:Q", scale=axis.scale(), title=None),
                tooltip=alt.Tooltip("tip:N"),
            )
        )
        if r.label:
            layers.append(
                alt.Chart(data)
                .mark_text(
                    x="width",
                    align="right",
                    baseline="top" if under else "bottom",
                    dy=3 if under else -3,
                    fontSize=11,
                    limit=320,
                    color=r.color,
                )
                .encode(y=alt.Y("hi:Q", scale=axis.scale(), title=None), text="t:N")
            )
    return layers


def wide_table(
    series: Sequence[Series], unit: str, fmt: Fmt, first_column: str
) -> tuple[list[str], list[list[str]]]:
    """Return one row per bucket (in date order) and one column per series."""
    starts: dict[date, str] = {}
    for s in series:
        for p in s.points:
            starts.setdefault(p.x, p.label)
    cells: dict[tuple[int, date], float | None] = {
        (i, p.x): p.value for i, s in enumerate(series) for p in s.points
    }
    rows = [
        [starts[d], *[fmt.value(cells.get((i, d)), unit) for i in range(len(series))]]
        for d in sorted(starts)
    ]
    return [first_column, *[s.name for s in series]], rows
