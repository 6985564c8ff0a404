"""The SiteBuilder: collects pages, charts and navigation while the sections run."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sitegen.config.project import ProjectConfig
from sitegen.errors import ConfigError
from sitegen.model.analysis import Analysis, KpiResult
from sitegen.model.catalogue import FAMILIES
from sitegen.model.periods import Bucket, Period
from sitegen.present.charts.kinds.trend import trend_chart
from sitegen.present.charts.model import Chart, Point, Reference, Series
from sitegen.present.charts.sparkline import sparkline
from sitegen.present.charts.style import GOOD, INK, localize
from sitegen.present.i18n.format import formatter
from sitegen.present.i18n.gettext import gettext
from sitegen.present.site.labels import family_title
from sitegen.present.site.names import ChannelNames
from sitegen.present.site.routes import path_for
from sitegen.readers.pages import PageSource
from sitegen.theme.render import Page

# Headline KPIs for the overview's charts, in order of preference: the first two the data gives.
HEADLINE = ("engagement_rate", "leads", "revenue", "ctr", "cpl", "roas", "followers", "reach")
Crumbs = list[tuple[str, str]]


@dataclass
class SiteModel:
    """All pages and charts of one project's site, and its navigation."""

    pages: list[Page]
    charts: dict[str, Chart]
    nav: list[tuple[str, str, str]]  # (section id, title in the locale, path)


class SiteBuilder:
    """Collects pages, charts and navigation while the sections run; shared helpers."""

    def __init__(
        self,
        report: Analysis,
        cfg: ProjectConfig,
        page_sources: Sequence[PageSource] = (),
        data_files: Sequence[str] = (),
        on_chart: Callable[[Chart], None] | None = None,
    ) -> None:
        self.on_chart = on_chart
        self.report = report
        self.config = cfg
        self.page_sources = page_sources
        self.data_files = data_files
        # Per data file: (metric, rate header, base header) of each metric estimated from a rate.
        self.estimates: dict[str, Sequence[tuple[str, str, str]]] = {}
        self.locale = cfg.locale
        self.brand = cfg.brand_color
        self.currency = cfg.currency
        self.fmt = formatter(cfg.locale, cfg.currency)
        self.channel_name = ChannelNames(cfg.look.channels, cfg.locale)
        self.pages: list[Page] = []
        self.charts: dict[str, Chart] = {}
        self.nav: list[tuple[str, str, str]] = []
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
            # Two ids that differ only where the route table renames them ("index" and
            # "index-2"): a message, not a traceback.
            raise ConfigError(
                f"two pages would be written at {path}",
                found=repr(title),
                hint="give one of them another id",
            )
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
        return [(self.t("Overview"), path_for("overview"))]

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
        return self.report.cases.chart_benchmark(kpi_id)  # cases.toml's are validated

    def references(self, kpi_id: str) -> list[Reference]:
        """Return the levels drawn on a KPI's monthly trend: its benchmark and goals' targets.

        A target is drawn when it is a level of the charted values: a goal on all channels
        whose measure is the KPI per month (a ratio, a level, a per-month total), not a
        total that adds up over the window (1,300 leads by October is no monthly value).
        """
        unit = self.results[kpi_id].kpi.unit
        refs: list[Reference] = []
        b = self.benchmark(kpi_id)
        if b is not None:
            name = b.label or b.source or self.t("Benchmark")
            shown = self.fmt.value(b.low, unit)
            if b.is_range:
                shown = f"{shown} – {self.fmt.value(b.high, unit)}"
            refs.append(
                Reference(
                    name,
                    float(b.low),
                    float(b.high),
                    GOOD,
                    label=f"{self.t('Benchmark')}: {shown}",
                    tip=f"{self.t('Benchmark')}: {shown} ({name})",
                    dash=(2, 2),
                )
            )
        seen: set[float] = set()
        for g in self.report.goals:
            drawn = g.spec.kpi == kpi_id and g.spec.channel is None and not g.cumulative
            if not drawn or g.spec.per not in (None, "month") or g.target in seen:
                continue
            seen.add(g.target)
            shown = self.fmt.value(g.target, unit)
            refs.append(
                Reference(
                    f"{self.t('Target')}: {g.spec.title}",
                    g.target,
                    g.target,
                    INK,
                    label=f"{self.t('Target')}: {shown}",
                    tip=f"{self.t('Target')}: {shown} ({g.spec.title})",
                )
            )
        return refs

    def month_chart(self, kpi_id: str) -> Chart:
        """Return a KPI's monthly trend with the previous period and a year ago overlaid."""
        if kpi_id in self._month_charts:
            return self._month_charts[kpi_id]
        r = self.results[kpi_id]
        label = r.kpi.label(self.locale)
        current = self.points(r.series["month"])
        series = [Series(self.t("Report period"), current)]
        # Earlier periods are drawn on the report period's months so the lines align; each
        # point keeps its own month for its tooltip ("Mar 2024 · Previous period").
        for name, earlier in (
            (self.t("Previous period"), r.previous_series),
            (self.t("Same period last year"), r.year_ago_series),
        ):
            if any(v is not None for _, v in earlier):
                shifted = [
                    Point(
                        b.full.start, b.full.end, self.label(b.full.start, b.grain), v, at=c.start
                    )
                    for c, (b, v) in zip(current, earlier, strict=False)
                ]
                series.append(Series(name, shifted))
        chart = self.add_chart(
            trend_chart(
                f"kpi-{kpi_id}-month",
                label,
                series,
                r.kpi.unit,
                self.fmt,
                locale=self.locale,
                brand=self.brand,
                refs=self.references(kpi_id),
            )
        )
        self._month_charts[kpi_id] = chart
        return chart

    def kpi_row(self, r: KpiResult, channels: Sequence[str] | None = None) -> dict[str, Any]:
        """Return a KPI's value, previous value and change, for all channels or some."""
        if channels is None:
            return {
                "r": r,
                "value": r.value,
                "previous": r.previous,
                "change": r.change,
                "totals": r.total_periods,
                "mixed": r.total_mixed,
            }
        [ch] = channels  # one channel's values are computed with the KPI
        return {
            "r": r,
            "value": r.channels.get(ch),
            "previous": r.previous_channels.get(ch),
            "change": r.channel_change(ch),
            "totals": r.channel_total_periods.get(ch, ()),
            "mixed": r.channel_total_mixed.get(ch, False),
        }

    def finish(self) -> SiteModel:
        """Return the collected site."""
        return SiteModel(self.pages, self.charts, self.nav)

    def families(self) -> list[tuple[str, str, list[KpiResult]]]:
        """Return the KPIs grouped by family: (family, title, results), in catalogue order."""
        out = []
        for fam in FAMILIES:
            members = [r for r in self.report.kpis.values() if r.kpi.family == fam]
            if members:
                out.append((fam, family_title(self.locale, fam), members))
        metrics = list(self.report.metrics.values())
        if metrics:
            out.append(("metric", family_title(self.locale, "metric"), metrics))
        return out
