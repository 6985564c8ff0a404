"""Reverse-funnel plans (seed 004): from a monthly revenue target to leads and a CPL ceiling.

Customers and leads are whole people, so a fractional need is rounded up: 10.5 customers
means 11. The actual funnel comes from the data, month by month. Pure: no I/O, no clock.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sitegen.errors import GoalError, MultipleErrors, SitegenError
from sitegen.model.datacheck import unknown_channel
from sitegen.model.periods import Period, bucket_label
from sitegen.model.specs import PlanSpec
from sitegen.model.values import finite

from .protocols import GoalEngine
from .trend import is_full, segments

FUNNEL = ("revenue", "customers", "leads", "spend", "cpl", "lead_conversion_rate")
STEPS = ("revenue", "customers", "leads", "cpl")  # the order in which a shortfall is named


def whole_people(x: float) -> int:
    """Return x rounded up to a whole number, ignoring float noise (3 / 0.1 is 30, not 31)."""
    return math.ceil(round(x, 9))


@dataclass(frozen=True)
class PlanMonth:
    """One month of the actual funnel, with whether each step meets the plan."""

    period: Period  # the month, clipped to the report period
    complete: bool  # a whole calendar month, ended by as of
    values: Mapping[str, float | None]  # revenue, customers, leads, spend, cpl, ... (None: no data)
    meets: Mapping[str, bool | None]  # step -> meets the plan; None: unknown or month incomplete

    @property
    def short(self) -> list[str]:
        """Return the steps that miss the plan this month, in funnel order."""
        return [s for s in (*STEPS, "budget") if self.meets.get(s) is False]

    def to_json(self) -> dict[str, Any]:
        """Return this month as a JSON object."""
        return {
            "period": bucket_label(self.period.start, "month"),
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "complete": self.complete,
            **{k: finite(v) for k, v in self.values.items()},
            "meets": dict(self.meets),
            "short": self.short,
        }


@dataclass(frozen=True)
class PlanResult:
    """A plan's implied funnel next to the actual one in the data."""

    spec: PlanSpec
    customers_exact: float  # revenue_target / average_order
    customers: int  # rounded up to whole customers
    leads_exact: float  # customers / lead_to_customer
    leads: int  # rounded up to whole leads
    cpl_ceiling: float | None  # budget / leads; None without a budget
    months: list[PlanMonth] = field(default_factory=list)
    latest: PlanMonth | None = None  # the latest complete month
    shortfall: str | None = None  # the first step of STEPS that misses the plan in `latest`

    @property
    def rounded(self) -> bool:
        """Return True when customers or leads were rounded up to whole people."""
        return self.customers != self.customers_exact or self.leads != self.leads_exact

    def to_json(self) -> dict[str, Any]:
        """Return the kpis.json entry for this plan (output.md fields first)."""
        s = self.spec
        return {
            "title": s.title,
            "customers": self.customers,
            "leads": self.leads,
            "cpl_ceiling": finite(self.cpl_ceiling),
            "id": s.id,
            "channel": s.channel,
            "revenue_target": s.revenue_target,
            "average_order": s.average_order,
            "lead_to_customer": s.lead_to_customer,
            "budget": s.budget,
            "customers_exact": self.customers_exact,
            "leads_exact": self.leads_exact,
            "rounded": self.rounded,
            "latest_month": bucket_label(self.latest.period.start, "month")
            if self.latest
            else None,
            "shortfall": self.shortfall,
            "months": [m.to_json() for m in self.months],
        }


def implied_funnel(spec: PlanSpec) -> tuple[float, int, float, int, float | None]:
    """Return (customers exact, customers, leads exact, leads, CPL ceiling) for a plan."""
    customers_exact = spec.revenue_target / spec.average_order
    customers = whole_people(customers_exact)
    # Leads follow the whole customers: 11 customers at 10 % need 110 leads, not 106.25.
    leads_exact = customers / spec.lead_to_customer
    leads = whole_people(leads_exact)
    ceiling = spec.budget / leads if spec.budget is not None else None
    return customers_exact, customers, leads_exact, leads, ceiling


def _meets(
    values: Mapping[str, float | None],
    spec: PlanSpec,
    customers: int,
    leads: int,
    ceiling: float | None,
) -> dict[str, bool | None]:
    def at_least(v: float | None, need: float | None) -> bool | None:
        return None if v is None or need is None else v >= need

    def at_most(v: float | None, limit: float | None) -> bool | None:
        return None if v is None or limit is None else v <= limit

    return {
        "revenue": at_least(values.get("revenue"), spec.revenue_target),
        "customers": at_least(values.get("customers"), customers),
        "leads": at_least(values.get("leads"), leads),
        "cpl": at_most(values.get("cpl"), ceiling),
        "budget": at_most(values.get("spend"), spec.budget),
    }


def _check_channel(spec: PlanSpec, engine: GoalEngine) -> None:
    if spec.channel is None:
        return
    who, key = f'plan "{spec.id}"', f"{spec.where}.channel"
    err = unknown_channel(spec.channel, engine, who, spec.file, key, otherwise=None)
    if err is not None:
        raise err


def _value(
    engine: GoalEngine, kpi: str, period: Period, channels: list[str] | None
) -> float | None:
    try:
        if not engine.available(kpi, channels):
            return None
    except KeyError:  # an engine whose catalogue lacks the KPI
        return None
    return engine.value(kpi, period, channels)


def evaluate_plans(
    plans: Sequence[PlanSpec], engine: GoalEngine, *, as_of: date, period: Period
) -> list[PlanResult]:
    """Return each plan's implied funnel and the actual funnel per month of period."""
    out: list[PlanResult] = []
    errors: list[SitegenError] = []
    for spec in plans:
        try:
            _check_channel(spec, engine)
        except GoalError as exc:
            errors.append(exc)
            continue
        channels = [spec.channel] if spec.channel else None
        customers_exact, customers, leads_exact, leads, ceiling = implied_funnel(spec)
        months: list[PlanMonth] = []
        for _, part, _ in segments(period.start - timedelta(days=1), period.end, "month"):
            values = {k: _value(engine, k, part, channels) for k in FUNNEL}
            complete = is_full(part, "month") and part.end <= as_of
            meets = (
                _meets(values, spec, customers, leads, ceiling)
                if complete
                else dict.fromkeys((*STEPS, "budget"))
            )
            months.append(PlanMonth(part, complete, values, meets))
        latest = next((m for m in reversed(months) if m.complete), None)
        shortfall = None
        if latest is not None:
            shortfall = next((s for s in STEPS if latest.meets.get(s) is False), None)
        out.append(
            PlanResult(
                spec,
                customers_exact,
                customers,
                leads_exact,
                leads,
                ceiling,
                months,
                latest,
                shortfall,
            )
        )
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise MultipleErrors(errors)
    return out
