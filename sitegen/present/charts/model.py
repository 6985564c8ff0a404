"""The chart model: points, series, legend entries and the finished chart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol


class Fmt(Protocol):
    """The locale formatter the charts need (sitegen.present.i18n.format.Formatter)."""

    def value(self, x: float | None, unit: str) -> str:
        """Return x formatted for its unit."""
        ...

    def change(self, fraction: float | None, digits: int = 1) -> str:
        """Return a relative change as a signed percentage."""
        ...

    def percent(self, x: float | None, digits: int = 1) -> str:
        """Return a value given in percent."""
        ...

    def date(self, d: date | None) -> str:
        """Return a date in the locale's medium form."""
        ...


@dataclass(frozen=True)
class Point:
    """One point of a series: the bucket's start and end, its label and its value.

    ``at`` is where a comparison point is drawn when that is not its own bucket: a previous
    period's March 2024 drawn on the report period's January 2025, so the lines align. Its
    start, end and label stay its own, so its tooltip names its own month.
    """

    start: date
    end: date
    label: str  # for tables and tooltips, e.g. "Jan 2025" in the locale
    value: float | None
    at: date | None = None

    @property
    def x(self) -> date:
        """Return the date the point is drawn at: ``at``, else its own bucket's start."""
        return self.at or self.start


@dataclass(frozen=True)
class Series:
    """A named line: its points and whether it is the main one (drawn solid, in brand colour)."""

    name: str
    points: Sequence[Point]
    color: str | None = None  # its own colour ([channels.<id>] colour), else the palette's


def series_colors(series: Sequence[Series], palette: Sequence[str]) -> list[str]:
    """Return each series' colour: its own when it has one, else the palette's in turn."""
    return [s.color or palette[i % len(palette)] for i, s in enumerate(series)]


@dataclass(frozen=True)
class LegendItem:
    """One legend entry, drawn in HTML above the chart so it wraps on a phone."""

    name: str
    color: str
    shape: str = "line"  # line | square | band | tick
    dash: tuple[int, ...] = ()


@dataclass
class Chart:
    """A chart: id, title, Vega-Lite spec, its numbers as a formatted table and alt text."""

    id: str
    title: str
    spec: dict[str, Any]
    columns: list[str]
    rows: list[list[str]]
    alt: str
    kind: str = "line"
    svg: str = ""
    interactive: bool = True  # False for sparklines: static only, no table
    legend: list[LegendItem] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Reference:
    """A level drawn across a value chart: a rule (one value) or a band (low..high).

    Targets of goals and benchmarks use it; ``name`` goes to the legend, ``label`` is written
    at the rule's right end in the chart itself (so the static SVG and print name it too) and
    ``tip`` is its tooltip. Values are in the KPI's unit (percent as percent).
    """

    name: str
    low: float
    high: float
    color: str
    label: str = ""
    tip: str = ""
    dash: tuple[int, ...] = (6, 3)

    @property
    def is_band(self) -> bool:
        """Return True for a range (drawn as a band), False for one value (a rule)."""
        return self.high != self.low


@dataclass(frozen=True)
class GoalBar:
    """One row of the goals bullet chart."""

    name: str
    progress: float | None  # the progress shown (share of target or of the way), clamped 0-1
    expected: float | None  # fraction of the window elapsed (totals only: their pace)
    status: str
    status_text: str  # the status in the locale
