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
    """One point of a series: the bucket's start and end, its label and its value."""

    start: date
    end: date
    label: str  # for tables and tooltips, e.g. "Jan 2025" in the locale
    value: float | None


@dataclass(frozen=True)
class Series:
    """A named line: its points and whether it is the main one (drawn solid, in brand colour)."""

    name: str
    points: Sequence[Point]


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
class GoalBar:
    """One row of the goals bullet chart."""

    name: str
    progress: float | None  # the progress shown (share of target or of the way), clamped 0-1
    expected: float | None  # fraction of the window elapsed (totals only: their pace)
    status: str
    status_text: str  # the status in the locale
