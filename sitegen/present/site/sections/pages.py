"""The project's own Markdown pages, sanitised, in the navigation after the report."""

from __future__ import annotations

import re

from sitegen.config.slug import slugify
from sitegen.errors import SitegenError
from sitegen.present.site.builder import SiteBuilder
from sitegen.present.site.labels import status_text
from sitegen.present.site.routes import path_for
from sitegen.present.site.shortcodes import Results, expand
from sitegen.readers.pages import PageSource
from sitegen.theme.markdown import markdown_to_html, split_front_matter


def page_results(site: SiteBuilder) -> Results:
    """Return what a page's shortcodes may read: the KPIs, goals and channels, formatted."""
    rep = site.report
    return Results(
        kpis=site.results,
        goals={g.spec.id: g for g in rep.goals},
        channels=rep.channels,
        fmt=site.fmt,
        status_text=lambda s: status_text(site.locale, s),
    )


def live_page(page: PageSource, results: Results) -> tuple[dict[str, str], str]:
    """Return a Markdown page's front matter and its body with the live numbers filled in."""
    meta, body = split_front_matter(page.text)
    # Live numbers in the body only (the title stays as written); error lines count from
    # the top of the file, front matter included.
    head = len(page.text) - len(body)
    return meta, expand(body, results, page.where, page.text.count("\n", 0, head) + 1)


def markdown_section(site: SiteBuilder) -> None:
    """Add the project's Markdown pages (front matter: title, order), sanitised."""
    found = []
    results = page_results(site)
    for i, page in enumerate(site.page_sources):
        meta, body = live_page(page, results)
        stem = page.name.rsplit(".", 1)[0]
        title = meta.get("title") or stem.replace("-", " ").replace("_", " ").strip()
        try:
            order = int(meta.get("order", i))
        except ValueError:
            order = i
        found.append((order, page.name, title, body, page.where))
    used: set[str] = set()
    for _, name, title, body, where in sorted(found):
        slug = slugify(name.rsplit(".", 1)[0])
        while slug in used:  # "a-b.md" and "a_b.md" must not overwrite each other
            slug += "-2"
        used.add(slug)
        page_path = path_for("page", slug)
        site.add_page(
            page_path,
            "markdown.html",
            title,
            {
                "html": _page_html(body, where, site.config.limits.max_page_chars),
                # One heading per page: the page's own "# ..." is it; else the title is.
                "own_heading": bool(_OWN_H1.match(body)),
            },
            section=f"page-{slug}",
            crumbs=site.home(),
        )
        site.nav_item(f"page-{slug}", title, page_path)


_OWN_H1 = re.compile(r"\A\s*#(?!#)\s*\S")


def _page_html(body: str, where: str, max_chars: int) -> str:
    try:
        return markdown_to_html(body, max_chars)
    except SitegenError as exc:
        exc.file = exc.file or where  # the renderer does not know which page it was given
        raise
