"""The KPIs: an index and one page per KPI and base metric, with their charts."""

from __future__ import annotations

from typing import Any

from sitegen.model.analysis import KpiResult
from sitegen.present.change import ChangeView, change_view, signed
from sitegen.present.charts.kinds.trend import stacked_chart, trend_chart
from sitegen.present.charts.model import Chart, Series
from sitegen.present.site.builder import SiteBuilder
from sitegen.present.site.labels import status_text
from sitegen.present.site.routes import path_for


def kpi_section(site: SiteBuilder) -> None:
    """Add the KPI index and one page per KPI and base metric."""
    rep = site.report
    title = site.t("KPIs")
    site.nav_item("kpis", title, path_for("kpis"))
    groups = site.families()
    site.add_page(
        path_for("kpis"),
        "kpis.html",
        title,
        {"families": groups},
        section="kpis",
        crumbs=site.home(),
    )
    goals_by_kpi: dict[str, list[Any]] = {}
    for g in rep.goals:
        goals_by_kpi.setdefault(g.spec.kpi, []).append(g)
    crumbs = [*site.home(), (title, path_for("kpis"))]
    for _, fam_title, members in groups:
        for r in members:
            site.add_page(
                path_for("kpi", r.kpi.id),
                "kpi.html",
                r.kpi.label(site.locale),
                {
                    "r": r,
                    "family_title": fam_title,
                    "charts": kpi_charts(site, r),
                    "goals": goals_by_kpi.get(r.kpi.id, []),
                    "benchmark": site.benchmark(r.kpi.id),
                    "status_text": lambda s: status_text(site.locale, s),
                    "change": kpi_change(site, r),
                    "signed": lambda x, unit: signed(site.fmt, x, unit, site.locale),
                },
                section="kpis",
                crumbs=crumbs,
            )


def kpi_change(site: SiteBuilder, r: KpiResult) -> ChangeView | None:
    """Return the KPI page's "what changed" against the previous period, None without data."""
    ex = r.explanation
    if ex is None or (ex.value is None and ex.base_value is None):
        return None
    label = r.kpi.label(site.locale)
    return change_view(
        ex, site.report.catalogue, label, r.kpi.unit, site.locale, site.fmt, site.channel_name
    )


def kpi_charts(site: SiteBuilder, r: KpiResult) -> dict[str, Chart]:
    """Return a KPI page's charts: month trend with overlays, week trend, split by channel."""
    k = r.kpi
    label = k.label(site.locale)
    out = {"month": site.month_chart(k.id)}
    week = site.points(r.series["week"])
    # Weekly detail is for KPIs; a base metric's page keeps its month trend and channel split
    # (about a fifth fewer charts to render for a typical site).
    if k.metric is None and sum(1 for p in week if p.value is not None) > 1:
        out["week"] = site.add_chart(
            trend_chart(
                f"kpi-{k.id}-week",
                label,
                [Series(site.t("Report period"), week)],
                k.unit,
                site.fmt,
                locale=site.locale,
                brand=site.brand,
                height=180,
            )
        )
    chans = {ch: s for ch, s in r.channel_series.items() if any(v is not None for _, v in s)}
    if len(chans) > 1:
        series = [
            Series(site.channel_name(ch), site.points(s), site.channel_name.colour(ch))
            for ch, s in sorted(chans.items())
        ]
        # Parts of a sum stack up; a ratio's channels are lines side by side.
        draw = stacked_chart if r.additive else trend_chart
        out["channels"] = site.add_chart(
            draw(
                f"kpi-{k.id}-channels",
                label,
                series,
                k.unit,
                site.fmt,
                locale=site.locale,
                brand=site.brand,
            )
        )
    return out
