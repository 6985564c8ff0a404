"""Generate the site's pages and charts from a computed report (the "generators" stage).

Nothing here writes files: it returns the pages (path, template, context) and the charts
they use; rendering and writing come after, once everything is gathered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sitegen.catalogue import FAMILIES
from sitegen.charts import Chart, bar_chart, line_chart, sparkline
from sitegen.render import Page, markdown_to_html, split_front_matter
from sitegen.report import KpiResult, Report

# Headline KPIs for the overview chart, in order of preference: the first two the data gives.
HEADLINE = ("engagement_rate", "leads", "revenue", "ctr", "cpl", "roas", "followers", "reach")


def channel_path(channel: str) -> str:
    """Return the site path of a channel's page; safe for any channel name."""
    import hashlib

    from sitegen.project import slugify

    slug = slugify(channel)
    if slug != channel:
        # Names that are not already slugs get a short hash so "FB Ads" and "fb-ads" differ.
        slug += "-" + hashlib.sha1(channel.encode()).hexdigest()[:6]  # noqa: S324 - not security
    return f"channels/{slug}.html"


def tone(change: float | None, better: str) -> str:
    """Return 'good', 'bad' or 'flat' for a change given the KPI's better direction."""
    if change is None or change == 0:
        return "flat"
    up = change > 0
    return "good" if up == (better == "higher") else "bad"


@dataclass
class SiteModel:
    """All pages and charts of one project's site."""

    pages: list[Page]
    charts: dict[str, Chart]
    nav: list[tuple[str, str, str]]  # (section id, title msgid, path)
    assets: dict[str, bytes] = field(default_factory=dict)


def _chart(charts: dict[str, Chart], chart: Chart) -> Chart:
    charts[chart.id] = chart
    return chart


def kpi_charts(r: KpiResult, report: Report, locale: str, brand: str | None,
               charts: dict[str, Chart]) -> dict[str, Chart]:
    """Return the charts of one KPI's page (month trend with overlays, week trend, channels)."""
    k = r.kpi
    label = k.label(locale)
    out: dict[str, Chart] = {}
    month = r.series["month"]
    overlay: dict[str, list[Any]] = {"current": month}
    # Shift earlier periods onto the report period's months so the lines align.
    if any(v is not None for _, v in r.year_ago_series):
        overlay["year_ago"] = [(month[i][0], v) for i, (_, v) in enumerate(r.year_ago_series)
                               if i < len(month)]
    if any(v is not None for _, v in r.previous_series) and len(r.previous_series) == len(month):
        overlay["previous"] = [(month[i][0], v) for i, (_, v) in enumerate(r.previous_series)]
    out["month"] = _chart(charts, line_chart(
        f"kpi-{k.id}-month", label, overlay, k.unit, label, brand=brand,
        labels={"current": str(report.period.start.year) if report.period.days <= 366 else "current",
                "year_ago": "year ago", "previous": "previous period"},
    ))
    out["week"] = _chart(charts, line_chart(
        f"kpi-{k.id}-week", label, {"current": r.series["week"]}, k.unit, label, brand=brand,
        height=200,
    ))
    if len(r.channel_series) > 1:
        out["channels"] = _chart(charts, line_chart(
            f"kpi-{k.id}-channels", label, dict(r.channel_series), k.unit, label, brand=brand,
        ))
        out["channel_bars"] = _chart(charts, bar_chart(
            f"kpi-{k.id}-channel-bars", label, {c: v for c, v in r.channels.items()}, k.unit,
            label, brand=brand,
        ))
    return out


def build_site(report: Report) -> SiteModel:
    """Return every page and chart of the project's site."""
    cfg = report.project.config
    loc = cfg.locale
    brand = cfg.brand_color
    charts: dict[str, Chart] = {}
    pages: list[Page] = []
    all_results = {**report.kpis, **report.metrics}

    sparks = {
        kid: _chart(charts, sparkline(f"spark-{kid}", r.series["month"], brand=brand))
        for kid, r in all_results.items()
    }
    families: list[tuple[str, list[KpiResult]]] = []
    for fam in FAMILIES:
        members = [r for r in report.kpis.values() if r.kpi.family == fam]
        if members:
            families.append((fam, members))

    headline_ids = [k for k in HEADLINE if k in all_results][:2]
    headline = []
    for kid in headline_ids:
        r = all_results[kid]
        headline.append((r, kpi_charts(r, report, loc, brand, charts)["month"]))

    goals_by_kpi: dict[str, list[Any]] = {}
    for g in report.goals:
        goals_by_kpi.setdefault(g.spec.kpi, []).append(g)

    nav: list[tuple[str, str, str]] = [("overview", "Overview", "index.html")]
    if report.goals or report.plans:
        nav.append(("goals", "Goals", "goals/index.html"))
    nav.append(("kpis", "KPIs", "kpis/index.html"))
    nav.append(("channels", "Channels", "channels/index.html"))

    pages.append(Page("index.html", "overview.html", cfg.name, {
        "families": families, "metrics": list(report.metrics.values()), "sparks": sparks,
        "headline": headline, "goals_by_kpi": goals_by_kpi,
    }, section="overview"))

    pages.append(Page("kpis/index.html", "kpis.html", "KPIs", {
        "families": families, "metrics": list(report.metrics.values()), "sparks": sparks,
    }, section="kpis", crumbs=[("Overview", "index.html")]))
    for kid, r in all_results.items():
        pages.append(Page(f"kpis/{kid}.html", "kpi.html", r.kpi.label(loc), {
            "r": r, "charts": kpi_charts(r, report, loc, brand, charts),
            "goals": goals_by_kpi.get(kid, []),
        }, section="kpis", crumbs=[("Overview", "index.html"), ("KPIs", "kpis/index.html")]))

    pages.append(Page("channels/index.html", "channels.html", "Channels", {
        "channel_rows": _channel_matrix(report),
    }, section="channels", crumbs=[("Overview", "index.html")]))
    for ch in report.channels:
        rows = [(r, r.channels.get(ch)) for r in all_results.values()
                if r.channels.get(ch) is not None]
        pages.append(Page(channel_path(ch), "channel.html", ch, {
            "channel": ch, "rows": rows,
        }, section="channels", crumbs=[("Overview", "index.html"),
                                       ("Channels", "channels/index.html")]))

    md_pages = []
    for i, path in enumerate(report.project.pages):
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        title = meta.get("title") or path.stem.replace("-", " ").replace("_", " ").strip()
        try:
            order = int(meta.get("order", i))
        except ValueError:
            order = i
        md_pages.append((order, path.stem, title, markdown_to_html(body)))
    for order, stem, title, html in sorted(md_pages):
        from sitegen.project import slugify

        slug = slugify(stem)
        pages.append(Page(f"pages/{slug}.html", "markdown.html", title, {"html": html},
                          section=f"page-{slug}", crumbs=[("Overview", "index.html")]))
        nav.append((f"page-{slug}", title, f"pages/{slug}.html"))

    nav.append(("data", "Data", "data/index.html"))
    pages.append(Page("data/index.html", "data.html", "Data", {
        "files": [report.project.display(p) for p in report.dataset.files],
    }, section="data", crumbs=[("Overview", "index.html")]))
    return SiteModel(pages, charts, nav)


def _channel_matrix(report: Report) -> list[tuple[KpiResult, list[float | None]]]:
    rows = []
    for r in list(report.kpis.values()) + list(report.metrics.values()):
        vals = [r.channels.get(ch) for ch in report.channels]
        if any(v is not None for v in vals):
            rows.append((r, vals))
    return rows
