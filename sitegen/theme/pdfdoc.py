"""The site's pages -> one HTML document for the PDF: cover, then each page's main content.

The pages are rendered once, for the site; this module takes the ``<main>`` of the pages a
printed report holds (overview, goals, plans, KPI table, channels, cases, competitors, the
Markdown pages), in that order, and rewrites their links: a link to a page in the document
becomes a link inside the PDF, a link to a page left out (a KPI's own page, the data page)
becomes plain text, and images point at their path in the site, which the PDF stage serves
from memory (sitegen/pipeline/pdf.py).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2

from sitegen.theme.render import Page

# The sections of the printed report, in order: a page is in it when its path starts with
# one of these (a KPI's own page and the data page are left out: the KPI table holds them).
PDF_SECTIONS = (
    "index.html",
    "goals/",
    "plans/",
    "kpis/index.html",
    "channels/",
    "cases/",
    "competitors/",
    "pages/",
)
TEMPLATE = "report_pdf.html"

_MAIN = re.compile(r'<main id="main"[^>]*>(.*)</main>', re.S)
# Attributes are written by Jinja with double quotes and escaped values (autoescape).
_LINK = re.compile(r'(?<![\w:-])(href|src)="([^"]*)"')
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)
_CRUMBS = re.compile(r'<nav class="crumbs".*?</nav>', re.S)


@dataclass(frozen=True)
class Section:
    """One site page in the PDF: its anchor, section name and rewritten main content."""

    anchor: str
    section: str
    path: str
    title: str
    html: str


def anchor(path: str) -> str:
    """Return the id a site page has inside the PDF document."""
    return "p-" + re.sub(r"[^A-Za-z0-9_-]", "-", path)


def pdf_pages(pages: Sequence[Page]) -> list[Page]:
    """Return the pages a printed report holds, in the order of PDF_SECTIONS."""
    ordered: list[Page] = []
    for prefix in PDF_SECTIONS:
        group = [
            p
            for p in pages
            if p.path == prefix or (prefix.endswith("/") and p.path.startswith(prefix))
        ]
        # The section's index first, then its pages in site order.
        group.sort(key=lambda p: not p.path.endswith("index.html"))
        ordered.extend(p for p in group if p not in ordered)
    return ordered


def _rewrite(html: str, page: str, inside: frozenset[str]) -> str:
    """Rewrite a page's links and image sources for the one-document PDF."""

    def sub(m: re.Match[str]) -> str:
        attr, ref = m.group(1), m.group(2)
        if not ref or ref.startswith(("#", "data:")) or _EXTERNAL.match(ref):
            return m.group(0)
        target, _, frag = ref.partition("#")
        path = posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
        if attr == "src":
            return f'src="{path}"'
        if path in inside:
            return f'href="#{anchor(path)}"'
        # A page the PDF leaves out (or a download): the text stays, the link goes.
        return 'data-href="' + path + ("#" + frag if frag else "") + '"'

    return _LINK.sub(sub, html)


def sections(pages: Sequence[Page], html: Mapping[str, str]) -> list[Section]:
    """Return the PDF's sections: each page's main content with links rewritten."""
    chosen = pdf_pages(pages)
    inside = frozenset(p.path for p in chosen)
    out: list[Section] = []
    for page in chosen:
        found = _MAIN.search(html[page.path])
        if found is None:
            continue  # a theme's page without <main id="main">: nothing to print
        body = _CRUMBS.sub("", found.group(1))
        html_ = _rewrite(body, page.path, inside)
        out.append(Section(anchor(page.path), page.section, page.path, page.title, html_))
    return out


def pdf_document(
    env: jinja2.Environment,
    pages: Sequence[Page],
    html: Mapping[str, str],
    common: Mapping[str, Any],
    *,
    created: str,
) -> str:
    """Return the PDF's one HTML document: cover, then the sections (created: ISO date-time)."""
    template = env.get_template(TEMPLATE)
    ctx = dict(common)
    ctx.update(sections=sections(pages, html), created=created, url=lambda target: target)
    return template.render(ctx)
