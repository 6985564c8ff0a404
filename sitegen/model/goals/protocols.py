"""What goals and plans need from the KPI engine, as structural types.

``sitegen.model.engine.Engine`` satisfies these protocols; tests use a small fake with the same
shape, so the goal logic is tested without data files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from sitegen.model.periods import Period


class KpiInfo(Protocol):
    """The parts of a KPI definition the goal logic reads."""

    @property
    def unit(self) -> str:
        """Return the unit: count, percent, currency, ratio, minutes or points."""
        ...

    @property
    def better(self) -> str:
        """Return "higher" or "lower"."""
        ...

    @property
    def bounds(self) -> tuple[float, float] | None:
        """Return the values the KPI can take at all (a share: 0 to 100), or None."""
        ...

    def label(self, locale: str = "en") -> str:
        """Return the KPI's label in locale."""
        ...


class CatalogueInfo(Protocol):
    """The parts of the metric and KPI catalogue the goal logic reads."""

    @property
    def metric_kinds(self) -> Mapping[str, str]:
        """Return {base metric id: "flow" | "stock" | "mean"}."""
        ...

    def is_additive(self, kpi_id: str) -> bool:
        """Return True when the KPI adds up over time (flows joined by + and -)."""
        ...

    def inputs(self, kpi_id: str) -> set[str]:
        """Return the base metrics the KPI ultimately reads."""
        ...


class GoalEngine(Protocol):
    """The KPI engine as seen by goals and plans (docs/dev/architecture.md)."""

    @property
    def channels(self) -> Sequence[str]:
        """Return the client's own channels."""
        ...

    @property
    def metrics(self) -> Sequence[str]:
        """Return the base metric columns present in the data."""
        ...

    @property
    def span(self) -> Period | None:
        """Return the first..last date of the client's own data."""
        ...

    @property
    def catalogue(self) -> CatalogueInfo:
        """Return the catalogue the engine evaluates."""
        ...

    def kpi(self, kpi_id: str) -> KpiInfo:
        """Return the KPI definition; KeyError when unknown."""
        ...

    def available(self, kpi_id: str, channels: Sequence[str] | None = None) -> bool:
        """Return True when the data has the KPI's inputs."""
        ...

    def missing_inputs(self, kpi_id: str, channels: Sequence[str] | None = None) -> list[str]:
        """Return the base metrics the KPI needs that the data lacks."""
        ...

    def value(
        self,
        kpi_id: str,
        period: Period,
        channels: Sequence[str] | None = None,
        competitor: str | None = None,
    ) -> float | None:
        """Return the KPI over the period (ratio of sums); None when undefined."""
        ...

    def series(
        self,
        kpi_id: str,
        grain: str,
        period: Period,
        channels: Sequence[str] | None = None,
        competitor: str | None = None,
    ) -> list[tuple[Period, float | None]]:
        """Return [(bucket clipped to period, value)] at grain."""
        ...
