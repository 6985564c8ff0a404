"""The built site in a real browser: headless Chromium (Debian's package) through playwright.

Every page of an example site is opened from file:// and from a local HTTP server under a
sub-path: no console error, no failed request, every chart drawn as static SVG and mounted
as a live Vega view. A few pages are photographed at phone and desktop widths (the folder is
printed; set SITEGEN_SCREENSHOTS to choose it) and checked for sideways overflow, and the
site is checked with JavaScript off and in print.

Skipped only where chromium is missing and CI is not "true": in CI a missing browser fails.
"""

from __future__ import annotations

import functools
import http.server
import inspect
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitegen.pipeline.run import build_project

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "content" / "kuhni-master"  # Russian, with goals, a plan, cases, competitors
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTHS = {"phone": 390, "desktop": 1280}
SUBPATH = "reports/kuhni-master/"
ALL_LIVE = (
    "() => [...document.querySelectorAll('figure[data-chart]')]"
    ".every(f => f.hasAttribute('data-live'))"
)


def _need_browser() -> Any:
    """Return playwright's sync API; skip (or fail in CI) when it or chromium is missing."""
    in_ci = os.environ.get("CI") == "true"
    missing = None
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        missing = f"chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        from playwright import sync_api
    except ImportError:  # pragma: no cover - the dev extra installs it
        missing = missing or "playwright is not installed (pip install -e '.[dev]')"
        sync_api = None
    if missing:
        if in_ci:
            pytest.fail(missing)
        pytest.skip(missing)
    return sync_api


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the example once for the module, under a sub-path of a served folder."""
    _need_browser()
    served = tmp_path_factory.mktemp("served")
    out = served / SUBPATH
    kwargs: dict[str, Any] = {}
    if "jobs" in inspect.signature(build_project).parameters:
        kwargs["jobs"] = 0  # one chart worker per CPU, where the build supports it
    build_project(EXAMPLE, out, **kwargs)
    return out


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """Serve the folder above the site on 127.0.0.1 at a free port; yield the site's URL."""
    root = site.parents[1]
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/{SUBPATH}"
    finally:
        httpd.shutdown()
        httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def browser(site: Path) -> Iterator[Any]:
    sync_api = _need_browser()
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("SITEGEN_SCREENSHOTS") or tmp_path_factory.mktemp("screens"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


def pages_of(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


class Watch:
    """Collects what went wrong on a page: console errors, page errors, failed requests."""

    def __init__(self, page: Any) -> None:
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _failed(self, request: Any) -> None:
        # A request cut short by moving on to the next page (the icon, fetched late) is not
        # a failure of the site; a missing file or a blocked one is.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"failed: {request.url} ({request.failure})")

    def _console(self, msg: Any) -> None:
        if msg.type in ("error", "warning"):
            self.problems.append(f"console {msg.type}: {msg.text}")

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")


def open_page(page: Any, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_function(ALL_LIVE, timeout=15_000)


def check_charts(page: Any, where: str) -> None:
    state = page.evaluate(
        """() => [...document.querySelectorAll('figure[data-chart]')].map(f => [
            f.id, f.getAttribute('data-live'),
            !!f.querySelector('.chart-static svg'), !!f.querySelector('.chart-live svg')])"""
    )
    bad = [s for s in state if s[1:] != ["true", True, True]]
    assert bad == [], (where, bad)


def visit_all(browser: Any, site: Path, base: str, tabs: int = 4) -> int:
    """Open every page, a few tabs at a time; return the number of charts seen."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pool = [context.new_page() for _ in range(tabs)]
    watches = [Watch(p) for p in pool]
    todo = pages_of(site)
    charts = 0
    try:
        for i in range(0, len(todo), tabs):
            batch = list(zip(pool, watches, todo[i : i + tabs], strict=False))
            for page, watch, rel in batch:
                watch.problems.clear()
                page.goto(base + rel, wait_until="commit")
            for page, watch, rel in batch:
                page.wait_for_load_state("load")
                page.wait_for_function(ALL_LIVE, timeout=15_000)
                check_charts(page, rel)
                charts += page.locator("figure[data-chart]").count()
                assert watch.problems == [], (rel, watch.problems)
    finally:
        context.close()
    return charts


def test_every_page_from_file(browser: Any, site: Path) -> None:
    charts = visit_all(browser, site, site.as_uri() + "/")
    assert charts > 50


def test_every_page_over_http_under_a_sub_path(browser: Any, site: Path, server: str) -> None:
    assert visit_all(browser, site, server) > 50


SCREENS = [
    "index.html",
    "kpis/engagement_rate.html",
    "goals/index.html",
    "goals/cpl-400.html",
    "channels/index.html",
]


@pytest.mark.parametrize("device", list(WIDTHS))
def test_screenshots_and_no_sideways_scroll(
    browser: Any, site: Path, shots: Path, device: str
) -> None:
    width = WIDTHS[device]
    plan = next(p for p in pages_of(site) if p.startswith("plans/"))
    context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    try:
        for rel in [*SCREENS, plan]:
            open_page(page, (site / rel).as_uri())
            # Wide tables scroll inside their own box; the page itself never scrolls sideways.
            overflow = page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= width, (rel, overflow)
            out = shots / f"{device}-{rel.replace('/', '_').removesuffix('.html')}.png"
            page.screenshot(path=str(out), full_page=True)
            assert out.stat().st_size > 10_000
        # Dark mode, one page per width.
        page.emulate_media(color_scheme="dark")
        open_page(page, (site / "index.html").as_uri())
        page.screenshot(path=str(shots / f"{device}-index-dark.png"), full_page=True)
        bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert bg != "rgb(246, 247, 249)"  # the light theme's background
    finally:
        context.close()


def test_charts_without_javascript(browser: Any, site: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto((site / "kpis/engagement_rate.html").as_uri())
        static = page.locator("figure[data-chart] .chart-static svg")
        assert static.count() == 3
        assert all(static.nth(i).is_visible() for i in range(static.count()))
        assert page.locator(".chart-live svg").count() == 0
        # The numbers are there as a table, one click away.
        page.locator("figure[data-chart] summary").first.click()
        assert page.locator("figure[data-chart] details table").first.is_visible()
    finally:
        context.close()


def test_print_shows_static_charts_and_no_navigation(browser: Any, site: Path) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        open_page(page, (site / "kpis/engagement_rate.html").as_uri())
        page.emulate_media(media="print")
        assert page.locator(".site-nav").is_hidden()
        assert page.locator(".chart-live").first.is_hidden()
        assert page.locator(".chart-static svg").first.is_visible()
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
    finally:
        context.close()


def test_the_printed_overview_keeps_the_agency_line_and_every_kpi(browser: Any, site: Path) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        open_page(page, (site / "index.html").as_uri())
        families = page.locator(".all-kpis details.family")
        assert families.count() > 1
        # On screen the families are closed: their cards wait behind a click.
        assert page.locator(".all-kpis .kpi-card").first.is_hidden()
        page.emulate_media(media="print")
        # On paper every family is open under its name, with no empty boxes.
        for i in range(families.count()):
            family = families.nth(i)
            assert family.locator("summary").is_visible()
            assert family.locator(".kpi-card").first.is_visible()
        # The agency's line is on paper; the data link and generator note are not.
        assert page.locator(".site-footer .report-footer").is_visible()
        assert page.locator(".site-footer .footer-data").is_hidden()
    finally:
        context.close()


def test_tooltip_on_hover(browser: Any, site: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        open_page(page, (site / "kpis/leads.html").as_uri())
        dot = page.locator("#kpi-leads-month .chart-live .mark-symbol path").first
        box = dot.bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_function(
            "document.querySelector('#vg-tooltip-element')?.classList.contains('visible')",
            timeout=5_000,
        )
        tip = page.locator("#vg-tooltip-element")
        # The tooltip is the page's own text: the month and the value in the site's locale.
        assert tip.inner_text().startswith("янв. 2025")
    finally:
        context.close()
