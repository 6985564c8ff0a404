"""Generate the site's pages and charts from a computed report (the "generators" stage).

Nothing here writes files: ``build_site`` returns the pages (path, template, title, context)
and the charts they use; rendering and writing come after, once everything is gathered.

The site is made of sections, each a function that adds pages, charts and a navigation
entry to a ``SiteBuilder``; ``SECTIONS`` lists them in navigation order. A new kind of page
(case studies, competitors) is one more function in that list:

    def case_pages(site: SiteBuilder) -> None:
        site.nav_item("cases", site.t("Case studies"), "cases/index.html")
        site.add_page("cases/index.html", "cases.html", ..., section="cases")

UI text is translated here (page titles, navigation, breadcrumbs), so templates receive
plain strings and never pass user text such as a page title through gettext.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sitegen.cases import comparison_section
from sitegen.charts import (
    Chart,
    GoalBar,
    Point,
    Series,
    bullet_chart,
    funnel_chart,
    goal_chart,
    localize,
    sparkline,
    stacked_chart,
    trend_chart,
    unchecked_specs,
)
from sitegen.config.slug import slugify
from sitegen.errors import DataError, SitegenError
from sitegen.i18n import Formatter, gettext
from sitegen.periods import Bucket, Period
from sitegen.render import Page, markdown_to_html, split_front_matter
from sitegen.report import KpiResult, Report, relative_change

# Headline KPIs for the overview's charts, in order of preference: the first two the data gives.
HEADLINE = ("engagement_rate", "leads", "revenue", "ctr", "cpl", "roas", "followers", "reach")
# The flow whose split by channel the channels page shows, in order of preference.
SHARE_OF = ("reach", "impressions", "engagement", "clicks", "leads")
Crumbs = list[tuple[str, str]]


def channel_slug(channel: str) -> str:
    """Return a channel's slug for paths and ids; distinct and safe for any channel name."""
    slug = slugify(channel)
    if slug != channel:
        # Names that are not already slugs get a short hash so "FB Ads" and "fb-ads" differ.
        slug += "-" + hashlib.sha1(channel.encode()).hexdigest()[:6]  # noqa: S324 - not security
    return slug


def channel_path(channel: str) -> str:
    """Return the site path of a channel's page; safe for any channel name."""
    return f"channels/{channel_slug(channel)}.html"


def kpi_path(kpi_id: str) -> str:
    """Return the site path of a KPI's page (KPI ids are validated identifiers)."""
    return f"kpis/{kpi_id}.html"


def goal_path(goal_id: str) -> str:
    """Return the site path of a goal's page (goal ids are validated slugs)."""
    return f"goals/{goal_id}.html"


def plan_path(plan_id: str) -> str:
    """Return the site path of a funnel plan's page."""
    return f"plans/{plan_id}.html"


def tone(change: float | None, better: str) -> str:
    """Return 'good', 'bad' or 'flat' for a change given the KPI's better direction."""
    if change is None or change == 0:
        return "flat"
    up = change > 0
    return "good" if up == (better == "higher") else "bad"


@dataclass
class SiteModel:
    """All pages and charts of one project's site, and the files that go with them."""

    pages: list[Page]
    charts: dict[str, Chart]
    nav: list[tuple[str, str, str]]  # (section id, title in the locale, path)
    assets: dict[str, bytes] = field(default_factory=dict)


def status_text(locale: str, status: str) -> str:
    """Return a goal status in the locale."""
    texts = {
        "not_started": gettext(locale, "Not started"),
        "achieved": gettext(locale, "Achieved"),
        "missed": gettext(locale, "Missed"),
        "on_track": gettext(locale, "On track"),
        "at_risk": gettext(locale, "At risk"),
        "off_track": gettext(locale, "Off track"),
    }
    return texts.get(status, status)


def family_title(locale: str, family: str) -> str:
    """Return the heading of a KPI family in the locale."""
    texts = {
        "engagement": gettext(locale, "Engagement"),
        "reach": gettext(locale, "Reach"),
        "conversion": gettext(locale, "Conversion"),
        "awareness": gettext(locale, "Awareness"),
        "customer_experience": gettext(locale, "Customer experience"),
        "finance": gettext(locale, "Finance"),
        "custom": gettext(locale, "Custom KPIs"),
        "metric": gettext(locale, "Metrics"),
    }
    return texts.get(family, family)


class SiteBuilder:
    """Collects pages, charts and navigation while the sections run; shared helpers."""

    def __init__(self, report: Report, on_chart: Callable[[Chart], None] | None = None) -> None:
        cfg = report.project.config
        self.on_chart = on_chart
        self.report = report
        self.locale = cfg.locale
        self.brand = cfg.brand_color
        self.currency = cfg.currency
        self.fmt = Formatter(cfg.locale, cfg.currency)
        self.pages: list[Page] = []
        self.charts: dict[str, Chart] = {}
        self.nav: list[tuple[str, str, str]] = []
        self.assets: dict[str, bytes] = {}
        self.results: dict[str, KpiResult] = {**report.kpis, **report.metrics}
        self._month_charts: dict[str, Chart] = {}
        self._sparks: dict[str, Chart] = {}

    # -- collecting ------------------------------------------------------------------------

    def t(self, msgid: str) -> str:
        """Return a UI message in the site's locale (mark the literal where it is written)."""
        return gettext(self.locale, msgid)

    def add_chart(self, chart: Chart) -> Chart:
        """Register a chart for rendering, in the site's locale; return it."""
        if chart.id in self.charts and self.charts[chart.id] is not chart:
            raise ValueError(f"two charts with the id {chart.id}")
        if chart.id not in self.charts:
            self.charts[chart.id] = localize(chart, self.locale, self.currency)
            if self.on_chart is not None:
                self.on_chart(chart)
        return chart

    def add_page(
        self,
        path: str,
        template: str,
        title: str,
        context: dict[str, Any] | None = None,
        *,
        section: str,
        crumbs: Crumbs | None = None,
    ) -> Page:
        """Add a page; crumbs are the (title, path) pairs above it, the overview first."""
        if any(p.path == path for p in self.pages):
            raise ValueError(f"two pages at {path}")
        page = Page(
            path, template, title, dict(context or {}), section=section, crumbs=list(crumbs or [])
        )
        self.pages.append(page)
        return page

    def nav_item(self, section: str, title: str, path: str) -> None:
        """Add a top-level navigation entry."""
        self.nav.append((section, title, path))

    def home(self) -> Crumbs:
        """Return the breadcrumb trail's first step: the overview."""
        return [(self.t("Overview"), "index.html")]

    # -- shared pieces ---------------------------------------------------------------------

    def label(self, start: date, grain: str) -> str:
        """Return a bucket's label in the locale: 'Jan 2025', 'W03 2025'."""
        if grain == "month":
            return self.fmt.month(start)
        if grain == "week":
            return self.fmt.week(start)
        return self.fmt.date(start)

    def points(self, series: Sequence[tuple[Bucket, float | None]]) -> list[Point]:
        """Return a bucket series as chart points labelled in the locale."""
        return [
            Point(b.full.start, b.full.end, self.label(b.full.start, b.grain), v) for b, v in series
        ]

    def period_points(
        self, series: Sequence[tuple[Period, float | None]], grain: str
    ) -> list[Point]:
        """Return a period series (goals) as chart points labelled in the locale."""
        return [Point(p.start, p.end, self.label(p.start, grain), v) for p, v in series]

    def spark(self, kpi_id: str) -> Chart:
        """Return the sparkline of a KPI's monthly series (one per KPI, shared)."""
        if kpi_id not in self._sparks:
            r = self.results[kpi_id]
            self._sparks[kpi_id] = self.add_chart(
                sparkline(
                    f"spark-{kpi_id}", self.points(r.series["month"]), r.kpi.unit, brand=self.brand
                )
            )
        return self._sparks[kpi_id]

    def benchmark(self, kpi_id: str) -> Any | None:
        """Return the first all-channel benchmark for a KPI (from cases.toml), if any."""
        cases = self.report.cases  # sitegen.cases.CasesResult; its benchmarks are validated
        return None if cases is None else cases.chart_benchmark(kpi_id)

    def month_chart(self, kpi_id: str) -> Chart:
        """Return a KPI's monthly trend with the previous period and a year ago overlaid."""
        if kpi_id in self._month_charts:
            return self._month_charts[kpi_id]
        r = self.results[kpi_id]
        label = r.kpi.label(self.locale)
        current = self.points(r.series["month"])
        series = [Series(self.t("Report period"), current)]
        # Earlier periods are drawn on the report period's months so the lines align.
        for name, earlier in (
            (self.t("Previous period"), r.previous_series),
            (self.t("Same period last year"), r.year_ago_series),
        ):
            if any(v is not None for _, v in earlier):
                shifted = [
                    Point(c.start, c.end, c.label, v)
                    for c, (_, v) in zip(current, earlier, strict=False)
                ]
                series.append(Series(name, shifted))
        band = None
        b = self.benchmark(kpi_id)
        if b is not None:
            band = (float(b.low), float(b.high), getattr(b, "label", "") or self.t("Benchmark"))
        chart = self.add_chart(
            trend_chart(
                f"kpi-{kpi_id}-month",
                label,
                series,
                r.kpi.unit,
                self.fmt,
                locale=self.locale,
                brand=self.brand,
                band=band,
            )
        )
        self._month_charts[kpi_id] = chart
        return chart

    def kpi_row(self, r: KpiResult, channels: Sequence[str] | None = None) -> dict[str, Any]:
        """Return a KPI's value, previous value and change, for all channels or some."""
        if channels is None:
            return {"r": r, "value": r.value, "previous": r.previous, "change": r.change}
        engine, rep = self.report.engine, self.report
        value = engine.value(r.kpi.id, rep.period, list(channels))
        previous = engine.value(r.kpi.id, rep.previous_period, list(channels))
        return {
            "r": r,
            "value": value,
            "previous": previous,
            "change": relative_change(value, previous),
        }

    def finish(self) -> SiteModel:
        """Return the collected site."""
        return SiteModel(self.pages, self.charts, self.nav, self.assets)


# --- sections -------------------------------------------------------------------------------


def families(site: SiteBuilder) -> list[tuple[str, str, list[KpiResult]]]:
    """Return the report's KPIs grouped by family: (family, title, results), catalogue order."""
    from sitegen.catalogue import FAMILIES

    out = []
    for fam in FAMILIES:
        members = [r for r in site.report.kpis.values() if r.kpi.family == fam]
        if members:
            out.append((fam, family_title(site.locale, fam), members))
    metrics = list(site.report.metrics.values())
    if metrics:
        out.append(("metric", family_title(site.locale, "metric"), metrics))
    return out


def overview_section(site: SiteBuilder) -> None:
    """Add the overview: period, KPI cards by family, goal badges, headline charts."""
    rep = site.report
    groups = families(site)
    for _, _, members in groups:
        for r in members:
            site.spark(r.kpi.id)
    headline = [(site.results[k], site.month_chart(k)) for k in HEADLINE if k in site.results][:2]
    goals_by_kpi: dict[str, list[Any]] = {}
    for g in rep.goals:
        goals_by_kpi.setdefault(g.spec.kpi, []).append(g)
    site.nav_item("overview", site.t("Overview"), "index.html")
    site.add_page(
        "index.html",
        "overview.html",
        rep.project.config.name,
        {
            "families": groups,
            "sparks": site._sparks,
            "headline": headline,
            "goals_by_kpi": goals_by_kpi,
            "achieved": sum(1 for g in rep.goals if g.status == "achieved"),
        },
        section="overview",
    )


def goals_section(site: SiteBuilder) -> None:
    """Add the goals overview, a page per goal and a page per funnel plan."""
    rep = site.report
    if not rep.goals and not rep.plans:
        return
    loc, fmt = site.locale, site.fmt
    title = site.t("Goals")
    site.nav_item("goals", title, "goals/index.html")
    bullet = None
    if rep.goals:
        bullet = site.add_chart(
            bullet_chart(
                "goals-progress",
                site.t("Progress"),
                [
                    GoalBar(
                        g.spec.title,
                        g.progress,
                        g.expected_progress,
                        g.status,
                        status_text(loc, g.status),
                    )
                    for g in rep.goals
                ],
                fmt,
                locale=loc,
                brand=site.brand,
            )
        )
    site.add_page(
        "goals/index.html",
        "goals.html",
        title,
        {
            "goals": rep.goals,
            "plans": rep.plans,
            "bullet": bullet,
            "status_text": lambda s: status_text(loc, s),
            "achieved": sum(1 for g in rep.goals if g.status == "achieved"),
        },
        section="goals",
        crumbs=site.home(),
    )
    crumbs = [*site.home(), (title, "goals/index.html")]
    for g in rep.goals:
        site.add_page(
            goal_path(g.spec.id),
            "goal.html",
            g.spec.title,
            {
                "g": g,
                "trend": site.add_chart(_goal_chart(site, g)),
                "kpi": site.results.get(g.spec.kpi),
                "kdef": rep.engine.kpi(g.spec.kpi),
                "status_label": status_text(loc, g.status),
                "run_rate": _run_rate_text(site, g),
                "days_left": (g.spec.deadline - rep.as_of).days,
                "grain_label": lambda d, grain=g.grain: site.label(d, grain),
            },
            section="goals",
            crumbs=crumbs,
        )
    for p in rep.plans:
        site.add_page(
            plan_path(p.spec.id),
            "plan.html",
            p.spec.title,
            _plan_context(site, p),
            section="goals",
            crumbs=crumbs,
        )


def _goal_chart(site: SiteBuilder, g: Any) -> Chart:
    pts = site.period_points(g.series, g.grain)
    if g.cumulative:
        # A total "by the deadline" is compared with the pace as a running total.
        running = list(itertools.accumulate((p.value or 0.0) for p in pts))
        pts = [
            Point(p.start, p.end, p.label, total if p.value is not None or i else None)
            for i, (p, total) in enumerate(zip(pts, running, strict=True))
        ]
    forecast = (g.spec.deadline, g.forecast) if g.forecast is not None else None
    return goal_chart(
        f"goal-{g.spec.id}",
        g.spec.title,
        pts,
        g.pace,
        g.unit,
        site.fmt,
        locale=site.locale,
        brand=site.brand,
        target=g.target,
        baseline=None if g.cumulative else g.baseline,
        forecast=forecast,
        window=(g.spec.start, g.spec.deadline),
    )


def _run_rate_text(site: SiteBuilder, g: Any) -> str | None:
    if g.run_rate_needed is None:
        return None
    n = site.fmt.value(g.run_rate_needed, g.unit)
    if g.run_rate_unit == "month":
        return site.t("%(n)s per month from now on") % {"n": n}
    if g.run_rate_unit == "week":
        return site.t("%(n)s per week from now on") % {"n": n}
    if g.run_rate_unit == "day":
        return site.t("%(n)s per day from now on") % {"n": n}
    return n


def _plan_context(site: SiteBuilder, p: Any) -> dict[str, Any]:
    eng = site.report.engine
    labels = {
        k: (eng.kpi(k).label(site.locale) if k in eng.catalogue.known() else k)
        for k in ("revenue", "customers", "leads", "spend", "cpl", "lead_conversion_rate")
    }
    latest = p.latest
    actual = latest.values if latest is not None else {}
    steps = [
        (labels["leads"], float(p.leads), actual.get("leads")),
        (labels["customers"], float(p.customers), actual.get("customers")),
    ]
    month = site.fmt.month(latest.period.start) if latest is not None else ""
    chart = site.add_chart(
        funnel_chart(
            f"plan-{p.spec.id}",
            f"{site.t('Funnel plan')}: {month}" if month else site.t("Funnel plan"),
            steps,
            site.fmt,
            locale=site.locale,
            brand=site.brand,
        )
    )
    return {
        "p": p,
        "labels": labels,
        "funnel": chart,
        "latest_label": month,
        "month_label": lambda d: site.fmt.month(d),
    }


def kpi_section(site: SiteBuilder) -> None:
    """Add the KPI index and one page per KPI and base metric."""
    rep = site.report
    title = site.t("KPIs")
    site.nav_item("kpis", title, "kpis/index.html")
    groups = families(site)
    site.add_page(
        "kpis/index.html",
        "kpis.html",
        title,
        {"families": groups},
        section="kpis",
        crumbs=site.home(),
    )
    goals_by_kpi: dict[str, list[Any]] = {}
    for g in rep.goals:
        goals_by_kpi.setdefault(g.spec.kpi, []).append(g)
    crumbs = [*site.home(), (title, "kpis/index.html")]
    for _, fam_title, members in groups:
        for r in members:
            site.add_page(
                kpi_path(r.kpi.id),
                "kpi.html",
                r.kpi.label(site.locale),
                {
                    "r": r,
                    "family_title": fam_title,
                    "charts": kpi_charts(site, r),
                    "goals": goals_by_kpi.get(r.kpi.id, []),
                    "benchmark": site.benchmark(r.kpi.id),
                    "status_text": lambda s: status_text(site.locale, s),
                },
                section="kpis",
                crumbs=crumbs,
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
        series = [Series(ch, site.points(s)) for ch, s in sorted(chans.items())]
        if site.report.engine.catalogue.is_additive(k.id):
            out["channels"] = site.add_chart(
                stacked_chart(
                    f"kpi-{k.id}-channels",
                    label,
                    series,
                    k.unit,
                    site.fmt,
                    locale=site.locale,
                    brand=site.brand,
                )
            )
        else:
            out["channels"] = site.add_chart(
                trend_chart(
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


def channel_section(site: SiteBuilder) -> None:
    """Add the channel comparison and one page per channel."""
    rep = site.report
    title = site.t("Channels")
    site.nav_item("channels", title, "channels/index.html")
    rows = []
    for r in site.results.values():
        vals = [r.channels.get(ch) for ch in rep.channels]
        if any(v is not None for v in vals):
            rows.append((r, vals))
    share = None
    flow = next((k for k in SHARE_OF if k in site.results), None)
    if flow is not None and len(rep.channels) > 1:
        r = site.results[flow]
        series = [
            Series(ch, site.points(s))
            for ch, s in sorted(r.channel_series.items())
            if any(v is not None for _, v in s)
        ]
        if len(series) > 1:
            share = site.add_chart(
                stacked_chart(
                    f"channels-share-{flow}",
                    f"{r.kpi.label(site.locale)}: {site.t('Share of total')}",
                    series,
                    r.kpi.unit,
                    site.fmt,
                    locale=site.locale,
                    brand=site.brand,
                    normalize=True,
                )
            )
    site.add_page(
        "channels/index.html",
        "channels.html",
        title,
        {
            "channel_rows": rows,
            "share": share,
        },
        section="channels",
        crumbs=site.home(),
    )
    crumbs = [*site.home(), (title, "channels/index.html")]
    for ch in rep.channels:
        ch_rows = [
            site.kpi_row(r, [ch]) for r in site.results.values() if r.channels.get(ch) is not None
        ]
        chart = None
        key = next(
            (k for k in HEADLINE if k in site.results and ch in site.results[k].channel_series),
            None,
        )
        if key is not None:
            r = site.results[key]
            pts = site.points(r.channel_series[ch])
            if any(p.value is not None for p in pts):
                chart = site.add_chart(
                    trend_chart(
                        f"channel-{channel_slug(ch)}-{key}",
                        r.kpi.label(site.locale),
                        [Series(ch, pts)],
                        r.kpi.unit,
                        site.fmt,
                        locale=site.locale,
                        brand=site.brand,
                    )
                )
        site.add_page(
            channel_path(ch),
            "channel.html",
            ch,
            {
                "channel": ch,
                "rows": ch_rows,
                "trend": chart,
                "share_of": {r.kpi.id: r.shares.get(ch) for r in site.results.values() if r.shares},
            },
            section="channels",
            crumbs=crumbs,
        )


def markdown_section(site: SiteBuilder) -> None:
    """Add the project's Markdown pages (front matter: title, order), sanitised."""
    found = []
    project = site.report.project
    for i, path in enumerate(project.pages):
        try:
            meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as exc:
            raise DataError(
                "the page is not UTF-8 text",
                file=project.display(path),
                expected="a Markdown file saved as UTF-8",
                found=f"byte 0x{exc.object[exc.start]:02x} at offset {exc.start}",
                hint="save the file as UTF-8 in the editor",
            ) from None
        title = meta.get("title") or path.stem.replace("-", " ").replace("_", " ").strip()
        try:
            order = int(meta.get("order", i))
        except ValueError:
            order = i
        found.append((order, path.name, title, body, project.display(path)))
    used: set[str] = set()
    for _, name, title, body, where in sorted(found):
        slug = slugify(name.rsplit(".", 1)[0])
        while slug in used:  # "a-b.md" and "a_b.md" must not overwrite each other
            slug += "-2"
        used.add(slug)
        page_path = f"pages/{slug}.html"
        site.add_page(
            page_path,
            "markdown.html",
            title,
            {"html": _page_html(body, where)},
            section=f"page-{slug}",
            crumbs=site.home(),
        )
        site.nav_item(f"page-{slug}", title, page_path)


def _page_html(body: str, where: str) -> str:
    try:
        return markdown_to_html(body)
    except SitegenError as exc:
        exc.file = exc.file or where  # the renderer does not know which page it was given
        raise


def data_section(site: SiteBuilder) -> None:
    """Add the data page: the machine-readable results and the source files."""
    rep = site.report
    title = site.t("Data")
    site.nav_item("data", title, "data/index.html")
    site.add_page(
        "data/index.html",
        "data.html",
        title,
        # Build warnings are for the analyst (stderr, the build summary), not the client.
        {"files": [rep.project.display(p) for p in rep.dataset.files]},
        section="data",
        crumbs=site.home(),
    )


Section = Callable[[SiteBuilder], None]

# Navigation order. Case studies and competitor comparisons go after the channels.
SECTIONS: list[Section] = [
    overview_section,
    goals_section,
    kpi_section,
    channel_section,
    comparison_section,
    markdown_section,
    data_section,
]


def build_site(
    report: Report,
    sections: Sequence[Section] | None = None,
    on_chart: Callable[[Chart], None] | None = None,
) -> SiteModel:
    """Return every page and chart of the project's site.

    on_chart(chart) is called as each chart is made, so the build can start drawing it
    while the rest of the pages are made (its spec is final by then).
    """
    site = SiteBuilder(report, on_chart)
    with unchecked_specs():
        for section in SECTIONS if sections is None else sections:
            section(site)
    return site.finish()
