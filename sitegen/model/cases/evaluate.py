"""Evaluate campaign cases: each KPI before and after the campaign, and its lift.

A **case** compares each KPI over the campaign period ("after") with the baseline period
("before"): lift = (after - before) / |before|, None when before is 0 or has no value. The
lift of a lower-is-better KPI is still the relative change; only its tone follows the KPI's
better direction. References are in ``references.py``, benchmarks in ``benchmarks.py``.

Pure: the engine comes in, numbers, status codes and warnings go out; the summary sentences
are written by ``sitegen.present.text``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sitegen.errors import SitegenError, SitegenWarning
from sitegen.model.catalogue import KpiDef
from sitegen.model.compare import relative_change, tone
from sitegen.model.datacheck import missing_kpi, unknown_channels
from sitegen.model.engine import Engine
from sitegen.model.periods import Period
from sitegen.model.specs import CaseSpec

from .spans import (
    aligned_grain,
    coarsest_grain,
    coverage_note,
    coverage_warning,
    data_span,
    default_baseline,
    steps_of,
)

INSTEAD = "remove the KPI from cases.toml"


def lift(before: float | None, after: float | None) -> float | None:
    """Return (after - before) / |before|; None when before is 0 or either has no value."""
    return relative_change(after, before)


@dataclass(frozen=True)
class Lift:
    """A KPI before and after, its lift and the lift's tone."""

    before: float | None
    after: float | None
    lift: float | None
    tone: str

    def to_json(self) -> dict[str, Any]:
        """Return {"before", "after", "lift", "tone"}."""
        return {"before": self.before, "after": self.after, "lift": self.lift, "tone": self.tone}


def make_lift(before: float | None, after: float | None, better: str) -> Lift:
    """Return the Lift of a KPI from its before and after values."""
    change = lift(before, after)
    return Lift(before, after, change, tone(change, better))


@dataclass(frozen=True)
class Step:
    """One aligned step of a case chart: the n-th month/week/day of both periods."""

    number: int  # 1-based
    baseline: Period | None
    campaign: Period | None
    before: float | None
    after: float | None


@dataclass(frozen=True)
class CaseKpi:
    """One KPI of a case: totals, per channel and aligned steps."""

    kpi: KpiDef
    total: Lift
    channels: dict[str, Lift]
    steps: list[Step]


@dataclass(frozen=True)
class CaseResult:
    """A campaign case evaluated against the data."""

    spec: CaseSpec
    baseline: Period
    baseline_default: bool
    baseline_has_data: bool
    campaign_has_data: bool
    channels: list[str]
    grain: str  # of the aligned steps: month, week or day
    kpis: list[CaseKpi]
    notes: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Return the case's id."""
        return self.spec.id


def check_case(spec: CaseSpec, engine: Engine) -> list[SitegenError]:
    """Return the errors that keep a case from being evaluated (unknown channel, missing KPI)."""
    who = f'case "{spec.id}"'
    errors = unknown_channels(spec.channels, engine, who, spec.file, f"{spec.where}.channels")
    if errors:
        return errors
    for i, kpi in enumerate(spec.kpis):
        err = missing_kpi(
            engine, kpi, spec.channels, who, spec.file, f"{spec.where}.kpis[{i}]", instead=INSTEAD
        )
        if err is not None:
            errors.append(err)
    return errors


def evaluate_case(
    spec: CaseSpec,
    engine: Engine,
    grains: Mapping[str, str] | None = None,
) -> tuple[CaseResult, list[SitegenWarning]]:
    """Return the case's before/after/lift for each KPI and channel, with its warnings."""
    warnings: list[SitegenWarning] = []
    baseline = spec.baseline_period or default_baseline(spec.period)
    chans = list(spec.channels) if spec.channels else None
    span = data_span(engine, chans, grains=grains)
    notes: list[str] = []
    has: dict[str, bool] = {}
    for what, key, period in (
        ("baseline period", "baseline_period", baseline),
        ("campaign period", "period", spec.period),
    ):
        note = coverage_note(span, period, what)
        has[what] = span is not None and span.clip(period) is not None
        if note is not None:
            notes.append(note)
            if what == "campaign period":
                hint = "check the campaign's dates against the data"
            elif not has[what]:
                hint = (
                    "set baseline_period to a period the data covers; until then the case "
                    "shows the campaign's values without a lift"
                )
            else:
                hint = "totals over part of the baseline understate it: set baseline_period "
                hint += "to a period the data covers"
            warnings.append(
                coverage_warning(
                    f'case "{spec.id}"',
                    note,
                    span,
                    file=spec.file,
                    key=f"{spec.where}.{key}",
                    hint=hint,
                    code="case-coverage",
                )
            )
    per_channel = list(chans or engine.channels)
    grain = aligned_grain(baseline, spec.period, coarsest_grain(grains, per_channel))
    base_steps, camp_steps = steps_of(baseline, grain), steps_of(spec.period, grain)
    kpis: list[CaseKpi] = []
    for kid in spec.kpis:
        k = engine.kpi(kid)
        before = engine.value(kid, baseline, chans) if has["baseline period"] else None
        after = engine.value(kid, spec.period, chans)
        total = make_lift(before, after, k.better)
        channels = {
            ch: make_lift(
                engine.value(kid, baseline, [ch]) if has["baseline period"] else None,
                engine.value(kid, spec.period, [ch]),
                k.better,
            )
            for ch in per_channel
            if engine.available(kid, [ch])
        }
        steps = []
        for i in range(max(len(base_steps), len(camp_steps))):
            bp = base_steps[i] if i < len(base_steps) else None
            cp = camp_steps[i] if i < len(camp_steps) else None
            steps.append(
                Step(
                    i + 1,
                    bp,
                    cp,
                    engine.value(kid, bp, chans) if bp is not None else None,
                    engine.value(kid, cp, chans) if cp is not None else None,
                )
            )
        kpis.append(CaseKpi(k, total, channels, steps))
    result = CaseResult(
        spec=spec,
        baseline=baseline,
        baseline_default=spec.baseline_period is None,
        baseline_has_data=has["baseline period"],
        campaign_has_data=has["campaign period"],
        channels=per_channel,
        grain=grain,
        kpis=kpis,
        notes=notes,
    )
    return result, warnings
