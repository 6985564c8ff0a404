"""Case studies and comparisons: campaigns, published references, competitors, benchmarks.

- cases.toml is parsed by ``sitegen.config.cases`` (all problems at once, like goals.toml).
- ``evaluate``: cases (before/after/lift), references (client vs a published change),
  benchmarks (below/within/above, stale after two years) and competitors (side by side,
  ranked), all from the KPI engine; pure, the as-of date is an argument.
- ``compute_cases``: the build's compute step for one project's report.
- ``site_pages``: the pages, charts and navigation entries these results add to the site.

User docs: docs/cases.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sitegen.config.cases import BenchmarkSpec, CasesSpec, parse_cases
from sitegen.engine import Engine
from sitegen.errors import MultipleErrors, SitegenError, SitegenWarning
from sitegen.i18n import Formatter
from sitegen.periods import Period

from .competitors import METRICS, Brand, Competitors, compare_competitors
from .evaluate import (
    BenchmarkResult,
    CaseKpi,
    CaseResult,
    Lift,
    ReferenceResult,
    Step,
    check_case,
    check_reference,
    evaluate_benchmark,
    evaluate_case,
    evaluate_reference,
    lift,
    months_ending,
)

if TYPE_CHECKING:
    from sitegen.config.project import Project
    from sitegen.report import Report
    from sitegen.site import SiteBuilder

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
    "comparison_section",
    "compute_cases",
    "evaluate",
    "lift",
    "months_ending",
]


@dataclass
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

    def to_json(self) -> dict[str, Any]:
        """Return kpis.json's cases, references, competitors and benchmarks."""
        empty = {
            "period": self.period.to_json(),
            "window": None,
            "metrics": list(METRICS),
            "engagement_basis": None,
            "brands": [],
        }
        return {
            "cases": [c.to_json() for c in self.cases],
            "references": [r.to_json() for r in self.references],
            "competitors": self.competitors.to_json() if self.competitors else empty,
            "benchmarks": [b.to_json() for b in self.benchmarks],
        }


def evaluate(
    spec: CasesSpec,
    engine: Engine,
    *,
    period: Period,
    as_of: date,
    locale: str = "en",
    currency: str = "USD",
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
    fmt = Formatter(locale, currency)
    out = CasesResult(period=period, as_of=as_of)
    for case in spec.cases:
        result, warnings = evaluate_case(case, engine, fmt, locale, grains)
        out.cases.append(result)
        out.warnings.extend(warnings)
    for ref in spec.references:
        rresult, warnings = evaluate_reference(ref, engine, as_of, fmt, locale, grains)
        out.references.append(rresult)
        out.warnings.extend(warnings)
    for bench in spec.benchmarks:
        bresult, warnings = evaluate_benchmark(bench, engine, period, as_of)
        out.benchmarks.append(bresult)
        out.warnings.extend(warnings)
    out.competitors = compare_competitors(engine, period, client_name, grains)
    return out


def compute_cases(project: Project, report: Report) -> CasesResult:
    """Parse the project's cases.toml and evaluate it with the competitors for the report."""
    cfg = project.config
    spec, warnings = parse_cases_doc(project.cases_doc, project.catalogue.known())
    result = evaluate(
        spec,
        report.engine,
        period=report.period,
        as_of=report.as_of,
        locale=cfg.locale,
        currency=cfg.currency,
        client_name=cfg.name,
        grains=report.dataset.grains,
    )
    result.warnings[:0] = warnings
    return result


def parse_cases_doc(
    doc: Mapping[str, Any] | None, known_kpis: set[str]
) -> tuple[CasesSpec, list[SitegenWarning]]:
    """Return the specs of a parsed cases.toml; no file means no cases."""
    if doc is None:
        return CasesSpec(), []
    return parse_cases(doc, known_kpis=known_kpis)


def comparison_section(site: SiteBuilder) -> None:
    """Add the case studies and competitors pages to a site (a sitegen.site section)."""
    from .pages import comparison_section as add

    add(site)
