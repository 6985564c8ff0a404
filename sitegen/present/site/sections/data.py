"""The data page: the machine-readable results and the source files."""

from __future__ import annotations

from sitegen.present.site.builder import SiteBuilder
from sitegen.present.site.routes import path_for


def data_section(site: SiteBuilder) -> None:
    """Add the data page: the machine-readable results and the source files."""
    title = site.t("Data")
    site.nav_item("data", title, path_for("data"))
    site.add_page(
        path_for("data"),
        "data.html",
        title,
        # Build warnings are for the analyst (stderr, the build summary), not the client;
        # but a number the report shows that is an estimate is the client's to know.
        {"files": list(site.data_files), "estimates": _estimates(site)},
        section="data",
        crumbs=site.home(),
    )


def _estimates(site: SiteBuilder) -> dict[str, list[dict[str, str]]]:
    """Return, per data file, its estimated metrics: label, rate column, base column."""
    metrics = site.report.catalogue.metrics
    out: dict[str, list[dict[str, str]]] = {}
    for file, rows in site.estimates.items():
        out[file] = [
            {
                "metric": metrics[m].label(site.locale) if m in metrics else m,
                "rate": rate,
                "base": base,
            }
            for m, rate, base in rows
        ]
    return out
