"""Case studies and comparisons, evaluated against the KPI engine (pure).

- ``evaluate``: cases (before/after/lift), references (client vs a published change),
  benchmarks (below/within/above, stale after two years) and competitors (side by side,
  ranked), all from the KPI engine; the as-of date is an argument.

cases.toml is parsed by ``sitegen.config.cases`` into ``sitegen.model.specs``; the pages are
``sitegen.present.site.sections.comparisons``.
User docs: docs/cases.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sitegen.errors import MultipleErrors, SitegenError, SitegenWarning
from sitegen.model.engine import Engine
from sitegen.model.periods import Period
from sitegen.model.specs import BenchmarkSpec, CasesSpec

from .benchmarks import BenchmarkResult, evaluate_benchmark
from .competitors import METRICS, Brand, Competitors, compare_competitors
from .evaluate import CaseKpi, CaseResult, Lift, Step, check_case, evaluate_case, lift
from .references import ReferenceResult, check_reference, evaluate_reference
from .spans import months_ending

__all__ = [
    "METRICS",
    "BenchmarkResult",
    "Brand",
    "CaseKpi",
    "CaseResult",
    "CasesResult",
    "Competitors",
    "Lift",
    "ReferenceResult",
    "Step",
    "compare_competitors",
    "evaluate",
    "lift",
    "months_ending",
]


@dataclass(frozen=True)
class CasesResult:
    """Everything the comparison pages and kpis.json show for one project."""

    period: Period
    as_of: date
    cases: list[CaseResult] = field(default_factory=list)
    references: list[ReferenceResult] = field(default_factory=list)
    benchmarks: list[BenchmarkResult] = field(default_factory=list)
    competitors: Competitors | None = None
    warnings: list[SitegenWarning] = field(default_factory=list)

    def benchmarks_for(self, kpi_id: str) -> list[BenchmarkResult]:
        """Return the benchmarks of one KPI."""
        return [b for b in self.benchmarks if b.spec.kpi == kpi_id]

    def chart_benchmark(self, kpi_id: str) -> BenchmarkSpec | None:
        """Return the KPI's newest benchmark that its charts can show as a band, if any."""
        drawable = [b.spec for b in self.benchmarks_for(kpi_id) if b.drawable]
        return max(drawable, key=lambda s: s.date) if drawable else None

    @property
    def has_cases_page(self) -> bool:
        """Return True when there is a case, reference or benchmark to show."""
        return bool(self.cases or self.references or self.benchmarks)


def evaluate(
    spec: CasesSpec,
    engine: Engine,
    *,
    period: Period,
    as_of: date,
    client_name: str = "Client",
    grains: Mapping[str, str] | None = None,
) -> CasesResult:
    """Evaluate cases.toml's specs and the competitor rows; raise every data problem at once."""
    errors: list[SitegenError] = []
    for case in spec.cases:
        errors.extend(check_case(case, engine))
    for ref in spec.references:
        errors.extend(check_reference(ref, engine))
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise MultipleErrors(errors)
    found: list[SitegenWarning] = []
    cases: list[CaseResult] = []
    for case in spec.cases:
        result, warnings = evaluate_case(case, engine, grains)
        cases.append(result)
        found.extend(warnings)
    references: list[ReferenceResult] = []
    for ref in spec.references:
        rresult, warnings = evaluate_reference(ref, engine, as_of, grains)
        references.append(rresult)
        found.extend(warnings)
    benchmarks: list[BenchmarkResult] = []
    for bench in spec.benchmarks:
        bresult, warnings = evaluate_benchmark(bench, engine, period, as_of)
        benchmarks.append(bresult)
        found.extend(warnings)
    return CasesResult(
        period=period,
        as_of=as_of,
        cases=cases,
        references=references,
        benchmarks=benchmarks,
        competitors=compare_competitors(engine, period, client_name, grains),
        warnings=found,
    )
