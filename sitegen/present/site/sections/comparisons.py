"""The site's comparison pages: case studies, one page per campaign case, competitors.

Nothing is written here: pages and charts go to the SiteBuilder like every section's.
The benchmark bands on the KPI pages' charts come from ``CasesResult.band_for``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitegen.model.cases.competitors import METRICS, UNITS
from sitegen.present.charts.kinds.cases import aligned_chart, brand_bars
from sitegen.present.charts.kinds.lift import lift_chart
from sitegen.present.charts.kinds.trend import trend_chart
from sitegen.present.charts.model import Chart, Point, Series
from sitegen.present.i18n.format import Formatter
from sitegen.present.i18n.gettext import N_, gettext
from sitegen.present.site.builder import SiteBuilder
from sitegen.present.site.routes import path_for
from sitegen.present.text import case_summary, reference_summary

if TYPE_CHECKING:
    from sitegen.model.analysis import Analysis
    from sitegen.model.cases import CaseResult, CasesResult, Competitors

# The n-th step of both periods on a case chart's shared axis.
_STEP = {
    "month": N_("Month %(num)d"),
    "week": N_("Week %(num)d"),
    "day": N_("Day %(num)d"),
}


def metric_label(metric: str, c: Competitors, report: Analysis, locale: str) -> str:
    """Return the column title of a competitor metric in the locale."""
    cat = report.catalogue
    if metric == "followers":
        return cat.get("followers").label(locale)
    if metric == "follower_growth":
        return cat.get("follower_growth_rate").label(locale)
    if metric == "engagement_rate":
        if c.engagement_basis == "mixed":
            return gettext(locale, "Engagement rate (mixed bases)")
        if c.engagement_basis == "reach":
            return cat.get("engagement_rate").label(locale)
        return gettext(locale, "Weekly engagement rate by followers")
    if metric == "posts_per_week":
        return gettext(locale, "Posts per week")
    return cat.get("share_of_voice").label(locale)


def case_charts(
    case: CaseResult, fmt: Formatter, locale: str, brand: str | None
) -> dict[str, Chart]:
    """Return a case's lifts as diverging bars and one aligned before/after chart per KPI."""
    names = (gettext(locale, "Baseline period"), gettext(locale, "Campaign period"))
    out: dict[str, Chart] = {}
    out["lifts"] = lift_chart(
        f"case-{case.id}-lifts",
        gettext(locale, "Lift"),
        [(k.kpi.label(locale), k.total.lift, k.kpi.better) for k in case.kpis],
        fmt,
        locale=locale,
        brand=brand,
    )
    step = gettext(locale, _STEP[case.grain])
    for k in case.kpis:
        steps = [(step % {"num": st.number}, st.before, st.after) for st in k.steps]
        out[k.kpi.id] = aligned_chart(
            f"case-{case.id}-{k.kpi.id}",
            k.kpi.label(locale),
            steps,
            k.kpi.unit,
            names,
            fmt,
            locale=locale,
            brand=brand,
        )
    return out


def competitor_charts(
    c: Competitors, report: Analysis, fmt: Formatter, locale: str, brand: str | None
) -> dict[str, Chart]:
    """Return one bar chart per compared metric and the followers' trend per brand."""
    out: dict[str, Chart] = {}
    for metric in METRICS:
        values = [(b.name, b.values.get(metric), b.client) for b in c.brands]
        if any(v is not None for _, v, _ in values):
            out[metric] = brand_bars(
                f"competitors-{metric.replace('_', '-')}",
                metric_label(metric, c, report, locale),
                values,
                UNITS[metric],
                fmt,
                locale=locale,
                brand=brand,
            )
    if c.followers_series:
        label = report.catalogue.get("followers").label(locale)
        # The client first: trend_chart draws its first series as the main one.
        order = [b.name for b in c.brands if b.client] + [b.name for b in c.brands if not b.client]
        series = [
            Series(
                name,
                [
                    Point(b.period.start, b.period.end, fmt.month(b.period.start), v)
                    for b, v in c.followers_series[name]
                ],
            )
            for name in order
            if name in c.followers_series
        ]
        out["followers_trend"] = trend_chart(
            "competitors-followers-trend", label, series, "count", fmt, locale=locale, brand=brand
        )
    return out


def comparison_section(site: SiteBuilder) -> None:
    """Add the case studies (cases, references, benchmarks) and the competitors' page."""
    cr: CasesResult = site.report.cases
    report, fmt, loc, brand = site.report, site.fmt, site.locale, site.brand
    if cr.has_cases_page:
        title = gettext(loc, "Case studies")
        site.nav_item("cases", title, path_for("cases"))
        refs = [reference_summary(r, loc, fmt) for r in cr.references]
        site.add_page(
            path_for("cases"),
            "cases.html",
            title,
            {"cr": cr, "ref_summaries": refs},
            section="cases",
            crumbs=site.home(),
        )
        for case in cr.cases:
            charts = {k: site.add_chart(c) for k, c in case_charts(case, fmt, loc, brand).items()}
            site.add_page(
                path_for("case", case.id),
                "case.html",
                case.spec.title,
                {
                    "case": case,
                    "case_charts": charts,
                    "summaries": {
                        k.kpi.id: case_summary(k, case.baseline_has_data, loc, fmt)
                        for k in case.kpis
                    },
                },
                section="cases",
                crumbs=[*site.home(), (title, path_for("cases"))],
            )
    comp = cr.competitors
    if comp is not None:
        title = gettext(loc, "Competitors")
        charts = {
            k: site.add_chart(c)
            for k, c in competitor_charts(comp, report, fmt, loc, brand).items()
        }
        site.nav_item("competitors", title, path_for("competitors"))
        site.add_page(
            path_for("competitors"),
            "competitors.html",
            title,
            {
                "comp": comp,
                "comp_charts": charts,
                "metric_labels": {m: metric_label(m, comp, report, loc) for m in METRICS},
                "metric_units": UNITS,
                "metrics": METRICS,
            },
            section="competitors",
            crumbs=site.home(),
        )
