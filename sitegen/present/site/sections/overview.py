"""The overview: the period, KPI cards by family, goal badges and headline charts."""

from __future__ import annotations

from typing import Any

from sitegen.present.site.builder import HEADLINE, SiteBuilder
from sitegen.present.site.routes import path_for


def overview_section(site: SiteBuilder) -> None:
    """Add the overview: period, KPI cards by family, goal badges, headline charts."""
    rep = site.report
    groups = site.families()
    for _, _, members in groups:
        for r in members:
            site.spark(r.kpi.id)
    headline = [(site.results[k], site.month_chart(k)) for k in HEADLINE if k in site.results][:2]
    goals_by_kpi: dict[str, list[Any]] = {}
    for g in rep.goals:
        goals_by_kpi.setdefault(g.spec.kpi, []).append(g)
    site.nav_item("overview", site.t("Overview"), path_for("overview"))
    site.add_page(
        path_for("overview"),
        "overview.html",
        site.config.name,
        {
            "families": groups,
            "sparks": site._sparks,
            "headline": headline,
            "goals_by_kpi": goals_by_kpi,
            "achieved": sum(1 for g in rep.goals if g.status == "achieved"),
        },
        section="overview",
    )
