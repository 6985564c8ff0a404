"""Evaluate published references: the client's own change over the same span, ahead or behind.

A **reference** (a published result such as "+30% customers in 6 months") is compared with the
client's own change in that KPI: the KPI over the N months ending at *as of* against the N
months before them. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from sitegen.errors import SitegenError, SitegenWarning
from sitegen.model.catalogue import KpiDef
from sitegen.model.compare import relative_change
from sitegen.model.datacheck import missing_kpi, unknown_channels
from sitegen.model.engine import Engine
from sitegen.model.periods import Period
from sitegen.model.specs import ReferenceSpec

from .evaluate import INSTEAD
from .spans import coverage_note, coverage_warning, data_span, months_ending

LEVEL_TOLERANCE = 0.0005  # within 0.05 percentage points the two changes read as equal


@dataclass(frozen=True)
class ReferenceResult:
    """A published result next to the client's own change over the same span."""

    spec: ReferenceSpec
    kpi: KpiDef
    window: Period  # the N months ending at as of
    previous: Period  # the N months before them
    client_before: float | None
    client_after: float | None
    client_change: float | None
    gap: float | None  # client_change - published change, in fraction points
    verdict: str  # ahead | behind | level | no_data
    tone: str
    notes: list[str] = field(default_factory=list)


def check_reference(spec: ReferenceSpec, engine: Engine) -> list[SitegenError]:
    """Return the errors that keep a reference from being compared (unknown channel, KPI)."""
    who = f'reference "{spec.name}"'
    chans = [spec.channel] if spec.channel else None
    errors = unknown_channels(chans, engine, who, spec.file, f"{spec.where}.channel")
    if errors:
        return errors
    err = missing_kpi(engine, spec.kpi, chans, who, spec.file, f"{spec.where}.kpi", instead=INSTEAD)
    return [err] if err is not None else []


def verdict_of(client_change: float | None, change: float, better: str) -> tuple[str, float | None]:
    """Return (ahead | behind | level | no_data, gap): the client against a published change."""
    if client_change is None:
        return "no_data", None
    gap = client_change - change
    if abs(gap) < LEVEL_TOLERANCE:
        return "level", gap
    return ("ahead" if (gap > 0) == (better != "lower") else "behind"), gap


def evaluate_reference(
    spec: ReferenceSpec,
    engine: Engine,
    as_of: date,
    grains: Mapping[str, str] | None = None,
) -> tuple[ReferenceResult, list[SitegenWarning]]:
    """Return the client's change over the reference's months ending at as_of, and the verdict."""
    k = engine.kpi(spec.kpi)
    chans = [spec.channel] if spec.channel else None
    window = months_ending(as_of, spec.months)
    previous = months_ending(window.start - timedelta(days=1), spec.months)
    span = data_span(engine, chans, grains=grains)
    notes: list[str] = []
    warnings: list[SitegenWarning] = []
    for period, what in ((previous, "comparison period"), (window, "period")):
        note = coverage_note(span, period, f"{spec.months}-month {what}")
        if note is not None:
            notes.append(note)
            warnings.append(
                coverage_warning(
                    f'reference "{spec.name}"',
                    note,
                    span,
                    file=spec.file,
                    key=f"{spec.where}.months",
                    hint=f"the client's change compares {window} with {previous}; "
                    "add data for both, or shorten months",
                    code="reference-coverage",
                )
            )
    before = engine.value(spec.kpi, previous, chans)
    after = engine.value(spec.kpi, window, chans)
    client_change = relative_change(after, before)
    verdict, gap = verdict_of(client_change, spec.change, k.better)
    verdict_tone = {"ahead": "good", "behind": "bad"}.get(verdict, "flat")
    result = ReferenceResult(
        spec=spec,
        kpi=k,
        window=window,
        previous=previous,
        client_before=before,
        client_after=after,
        client_change=client_change,
        gap=gap,
        verdict=verdict,
        tone=verdict_tone,
        notes=notes,
    )
    return result, warnings
