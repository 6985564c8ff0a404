"""The PDF stage (``sitegen build --pdf``): the site's HTML document -> report.pdf, offline.

WeasyPrint lays out the one HTML document of sitegen/theme/pdfdoc.py with the site's print
CSS and static SVG charts. Every file it asks for is served from the site's files in memory:
no network and no other file of the machine is reached (``SiteFetcher``). The document's
dates come from ``SOURCE_DATE_EPOCH`` (else the report's as-of date), so two builds of the
same project give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import logging
import mimetypes
import os
from collections.abc import Mapping
from typing import Any

from sitegen.errors import SitegenError

# The document's made-up address: relative paths resolve under it, and the fetcher serves
# only paths under it, from the site's files in memory.
BASE_URL = "file:///sitegen-site/"
# The PDF's name in the site (the header links it).
PDF_FILE = "report.pdf"


class PdfError(SitegenError):
    """The PDF could not be made (WeasyPrint or its system libraries missing, a bad file)."""


def site_path(url: str, files: Mapping[str, bytes]) -> str | None:
    """Return the site path url names when it is one of the site's files, else None."""
    if not url.startswith(BASE_URL):
        return None
    path = url[len(BASE_URL) :].split("#", 1)[0].split("?", 1)[0]
    return path if path in files else None


def _fetcher(weasyprint: Any, files: Mapping[str, bytes]) -> Any:
    """Return WeasyPrint's url fetcher serving the site's files from memory, nothing else."""
    urls = weasyprint.urls

    class SiteFetcher(urls.URLFetcher):  # type: ignore[misc,name-defined]
        def fetch(self, url: str, headers: Any = None) -> Any:
            path = site_path(url, files)
            if path is None:
                # Never the network nor another file of the machine.
                raise ValueError(f"not a file of the site: {url}")
            mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return urls.URLFetcherResponse(url, files[path], {"Content-Type": mime})

    return SiteFetcher()


def created_at(as_of: dt.date) -> str:
    """Return the document's date: SOURCE_DATE_EPOCH when set, else the report's as-of date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        when = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    else:
        when = dt.datetime.combine(as_of, dt.time(), tzinfo=dt.UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def render_pdf(document: str, files: Mapping[str, bytes]) -> bytes:
    """Return the PDF of the HTML document, its files served from files (paths in the site)."""
    try:
        # Imported here: WeasyPrint loads Pango at import, and only --pdf needs it.
        import weasyprint
    except (ImportError, OSError) as exc:
        raise PdfError(
            f"WeasyPrint cannot start: {exc}",
            hint="install sitegen's locked requirements and the Pango library"
            " (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)",
        ) from None
    # WeasyPrint logs every refused fetch and unsupported CSS property; the site's own CSS
    # has screen-only properties by design, so these are not the user's problem.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    fetcher = _fetcher(weasyprint, files)
    html = weasyprint.HTML(string=document, base_url=BASE_URL, url_fetcher=fetcher)
    pdf = html.write_pdf(
        pdf_identifier=b"sitegen",
        uncompressed_pdf=False,
        # Fonts are embedded (subset); metadata comes from the document's <meta> tags.
        full_fonts=False,
    )
    if not isinstance(pdf, bytes):
        raise PdfError("WeasyPrint returned no PDF")
    return pdf
