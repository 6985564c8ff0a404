"""A small fake KPI engine for the goal tests, and tests that it aggregates like the real one.

Data: {channel: {metric: {date: value}}}. Flows are summed (None when a period has no
value), stocks take each channel's last value in the period, KPIs are ratios of the sums.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sitegen.model.periods import Period, buckets

KINDS = {
    "leads": "flow",
    "customers": "flow",
    "revenue": "flow",
    "spend": "flow",
    "likes": "flow",
    "reach": "flow",
    "clicks": "flow",
    "impressions": "flow",
    "unfollows": "flow",
    "followers": "stock",
}
LOWER = {"spend", "unfollows"}
UNITS = {"revenue": "currency", "spend": "currency"}

Agg = Mapping[str, float | None]


def _ratio(num: str, den: str, scale: float = 1.0) -> Callable[[Agg], float | None]:
    def f(a: Agg) -> float | None:
        n, d = a.get(num), a.get(den)
        if n is None or d is None or d == 0:
            return None
        return n / d * scale

    return f


# id: (unit, better, inputs, formula)
FORMULAS: dict[str, tuple[str, str, set[str], Callable[[Agg], float | None]]] = {
    "cpl": ("currency", "lower", {"spend", "leads"}, _ratio("spend", "leads")),
    "engagement_rate": ("percent", "higher", {"likes", "reach"}, _ratio("likes", "reach", 100)),
    "ctr": ("percent", "higher", {"clicks", "impressions"}, _ratio("clicks", "impressions", 100)),
    "lead_conversion_rate": (
        "percent",
        "higher",
        {"customers", "leads"},
        _ratio("customers", "leads", 100),
    ),
}


@dataclass(frozen=True)
class FakeKpi:
    id: str
    unit: str
    better: str
    bounds: tuple[float, float] | None = None

    def label(self, locale: str = "en") -> str:
        return self.id.replace("_", " ").capitalize() + ("" if locale == "en" else f" ({locale})")


class FakeCatalogue:
    @property
    def metric_kinds(self) -> dict[str, str]:
        return dict(KINDS)

    def is_additive(self, kpi_id: str) -> bool:
        return KINDS.get(kpi_id) == "flow"

    def inputs(self, kpi_id: str) -> set[str]:
        if kpi_id in KINDS:
            return {kpi_id}
        return set(FORMULAS[kpi_id][2]) if kpi_id in FORMULAS else set()


@dataclass
class FakeEngine:
    data: dict[str, dict[str, dict[date, float]]]
    catalogue: FakeCatalogue = field(default_factory=FakeCatalogue)

    @property
    def channels(self) -> list[str]:
        return sorted(self.data)

    @property
    def metrics(self) -> list[str]:
        return sorted({m for ch in self.data.values() for m in ch})

    @property
    def span(self) -> Period | None:
        days = [d for ch in self.data.values() for vals in ch.values() for d in vals]
        return Period(min(days), max(days)) if days else None

    def kpi(self, kpi_id: str) -> FakeKpi:
        if kpi_id in FORMULAS:
            unit, better, _, _ = FORMULAS[kpi_id]
            return FakeKpi(kpi_id, unit, better)
        if kpi_id in KINDS:
            return FakeKpi(
                kpi_id, UNITS.get(kpi_id, "count"), "lower" if kpi_id in LOWER else "higher"
            )
        raise KeyError(kpi_id)

    def missing_inputs(self, kpi_id: str, channels: Sequence[str] | None = None) -> list[str]:
        chans = channels if channels is not None else self.channels
        present = {m for ch in chans for m in self.data.get(ch, {})}
        return sorted(self.catalogue.inputs(kpi_id) - present)

    def available(self, kpi_id: str, channels: Sequence[str] | None = None) -> bool:
        known = kpi_id in KINDS or kpi_id in FORMULAS
        return known and not self.missing_inputs(kpi_id, channels)

    def _agg(self, metric: str, period: Period, channels: Sequence[str] | None) -> float | None:
        total: float | None = None
        for ch in channels if channels is not None else self.channels:
            vals = self.data.get(ch, {}).get(metric, {})
            inside = sorted((d, v) for d, v in vals.items() if d in period)
            if not inside:
                continue
            part = inside[-1][1] if KINDS[metric] == "stock" else sum(v for _, v in inside)
            total = (total or 0.0) + part
        return total

    def value(
        self,
        kpi_id: str,
        period: Period,
        channels: Sequence[str] | None = None,
        competitor: str | None = None,
    ) -> float | None:
        if kpi_id in KINDS:
            return self._agg(kpi_id, period, channels)
        _, _, inputs, formula = FORMULAS[kpi_id]
        return formula({m: self._agg(m, period, channels) for m in inputs})

    def series(
        self,
        kpi_id: str,
        grain: str,
        period: Period,
        channels: Sequence[str] | None = None,
        competitor: str | None = None,
    ) -> list[tuple[Period, float | None]]:
        return [(b.period, self.value(kpi_id, b.period, channels)) for b in buckets(period, grain)]


def monthly(values: Mapping[str, float]) -> dict[date, float]:
    """Return {first day of month: value} from {"2025-01": value}."""
    return {date.fromisoformat(k + "-01"): float(v) for k, v in values.items()}


def engine(**metrics: Mapping[str, float] | Mapping[date, float]) -> FakeEngine:
    """Return a one-channel ("instagram") engine; month keys "2025-01" or dates."""
    data: dict[str, dict[date, float]] = {}
    for m, vals in metrics.items():
        data[m] = {
            (date.fromisoformat(k + "-01") if isinstance(k, str) else k): float(v)
            for k, v in vals.items()
        }
    return FakeEngine({"instagram": data})


def test_fake_sums_flows_and_divides_sums() -> None:
    e = engine(spend={"2025-01": 20000, "2025-02": 20000}, leads={"2025-01": 44, "2025-02": 50})
    assert e.value("leads", Period(date(2025, 1, 1), date(2025, 2, 28))) == 94.0
    assert e.value("cpl", Period(date(2025, 1, 1), date(2025, 2, 28))) == 40000 / 94
    assert e.value("leads", Period(date(2025, 3, 1), date(2025, 3, 31))) is None


def test_fake_stock_takes_last_value_and_series_clips() -> None:
    e = engine(followers={date(2025, 1, 1): 3000, date(2025, 1, 20): 3040})
    assert e.value("followers", Period(date(2025, 1, 1), date(2025, 1, 31))) == 3040.0
    s = e.series("followers", "month", Period(date(2025, 1, 10), date(2025, 2, 28)))
    assert s == [
        (Period(date(2025, 1, 10), date(2025, 1, 31)), 3040.0),
        (Period(date(2025, 2, 1), date(2025, 2, 28)), None),
    ]
