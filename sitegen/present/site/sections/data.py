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
        # Build warnings are for the analyst (stderr, the build summary), not the client.
        {"files": list(site.data_files)},
        section="data",
        crumbs=site.home(),
    )
