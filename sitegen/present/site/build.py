"""Run the sections in navigation order and return the site's pages and charts."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from sitegen.config.project import ProjectConfig
from sitegen.model.analysis import Analysis
from sitegen.present.charts.model import Chart
from sitegen.present.charts.spec import unchecked_specs
from sitegen.present.site.builder import SiteBuilder, SiteModel
from sitegen.present.site.sections.channels import channel_section
from sitegen.present.site.sections.comparisons import comparison_section
from sitegen.present.site.sections.data import data_section
from sitegen.present.site.sections.goals import goals_section
from sitegen.present.site.sections.kpis import kpi_section
from sitegen.present.site.sections.overview import overview_section
from sitegen.present.site.sections.pages import markdown_section
from sitegen.readers.pages import PageSource

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
    report: Analysis,
    cfg: ProjectConfig,
    page_sources: Sequence[PageSource] = (),
    data_files: Sequence[str] = (),
    sections: Sequence[Section] | None = None,
    on_chart: Callable[[Chart], None] | None = None,
    estimates: Mapping[str, Sequence[tuple[str, str, str]]] | None = None,
) -> SiteModel:
    """Return every page and chart of the project's site.

    on_chart(chart) is called as each chart is made, so the build can start drawing it
    while the rest of the pages are made (its spec is final by then). `estimates`: per data
    file, the metrics estimated from a rate (metric, rate header, base header).
    """
    site = SiteBuilder(report, cfg, page_sources, data_files, on_chart)
    site.estimates = dict(estimates or {})
    with unchecked_specs():
        for section in SECTIONS if sections is None else sections:
            section(site)
    return site.finish()
