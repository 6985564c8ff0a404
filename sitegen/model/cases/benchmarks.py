"""Evaluate industry benchmarks: the client's KPI below, within or above, and stale ones.

A **benchmark** places the client's KPI over the report period below, within or above an
industry value or range, and is flagged when older than two years at *as of*. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sitegen.errors import SitegenWarning
from sitegen.model.catalogue import KpiDef
from sitegen.model.compare import tone
from sitegen.model.engine import Engine
from sitegen.model.periods import Period
from sitegen.model.specs import BenchmarkSpec

STALE_YEARS = 2


@dataclass(frozen=True)
class BenchmarkResult:
    """An industry benchmark with the client's KPI over the report period beside it."""

    spec: BenchmarkSpec
    kpi: KpiDef
    value: float | None
    position: str | None  # below | within | above; None without a value
    tone: str
    stale: bool
    # Drawn as a band on the KPI's all-channel charts: not for one channel, and not for a
    # total (leads, clicks), whose benchmark depends on the length of the chart's buckets.
    drawable: bool = False

    def to_json(self) -> dict[str, Any]:
        """Return the kpis.json entry for this benchmark."""
        s = self.spec
        return {
            "kpi": s.kpi,
            "value": s.low if not s.is_range else None,
            "low": s.low,
            "high": s.high,
            "source": s.source,
            "url": s.url,
            "date": s.date.isoformat(),
            "channel": s.channel,
            "label": s.label,
            "stale": self.stale,
            "client_value": self.value,
            "position": self.position,
            "tone": self.tone,
            "drawable": self.drawable,
        }


def years_before(d: date, years: int) -> date:
    """Return the same day `years` years before d (29 February -> 28 February)."""
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


def position_of(value: float | None, low: float, high: float) -> str | None:
    """Return below, within or above for value against [low, high]; None without a value."""
    if value is None:
        return None
    if value < low:
        return "below"
    if value > high:
        return "above"
    return "within"


def evaluate_benchmark(
    spec: BenchmarkSpec, engine: Engine, period: Period, as_of: date
) -> tuple[BenchmarkResult, list[SitegenWarning]]:
    """Return the client's KPI over period against the benchmark; warn when it is stale."""
    k = engine.kpi(spec.kpi)
    warnings: list[SitegenWarning] = []
    chans = [spec.channel] if spec.channel else None
    value: float | None = None
    if spec.channel is not None and spec.channel not in engine.channels:
        warnings.append(
            SitegenWarning(
                f"benchmark for {spec.kpi}: channel {spec.channel!r} is not in the data",
                file=spec.file,
                key=f"{spec.where}.channel",
                hint="channels in the data: " + (", ".join(engine.channels) or "none"),
                code="benchmark-channel",
            )
        )
    elif not engine.available(spec.kpi, chans):
        warnings.append(
            SitegenWarning(
                f"benchmark for {spec.kpi}, but the data has no "
                + ", ".join(engine.missing_inputs(spec.kpi, chans)),
                file=spec.file,
                key=f"{spec.where}.kpi",
                hint="the benchmark is listed without the client's value",
                code="benchmark-no-data",
            )
        )
    else:
        value = engine.value(spec.kpi, period, chans)
    stale = spec.date < years_before(as_of, STALE_YEARS)
    if stale:
        warnings.append(
            SitegenWarning(
                f"the benchmark for {spec.kpi} ({spec.source}, {spec.date.isoformat()}) is more "
                f"than {STALE_YEARS} years older than the report (as of {as_of.isoformat()})",
                file=spec.file,
                key=f"{spec.where}.date",
                hint="look for a newer source; the page marks it as old",
                code="benchmark-stale",
            )
        )
    position = position_of(value, spec.low, spec.high)
    if position == "within" or position is None:
        pos_tone = "flat"
    else:
        pos_tone = tone(1.0 if position == "above" else -1.0, k.better)
    drawable = spec.channel is None and not engine.catalogue.is_additive(spec.kpi)
    return BenchmarkResult(spec, k, value, position, pos_tone, stale, drawable), warnings
