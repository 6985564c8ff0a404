"""Phones (390 px wide) in headless Chromium: the portfolio, the Latvian cases page and the
pages with source names fit the screen (Debian's chromium through playwright, as in
tests/test_browser.py; skipped only where it is missing and CI is not "true").

The portfolio table is stacked, one card per client, so each goal's result and status are
on the screen; other wide tables scroll inside their box with the first column fixed, and
no cell is squeezed to a letter per line; nothing runs out of its card.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_browser import ARGS, CHROMIUM, _need_browser

from sitegen.pipeline.portfolio import write_portfolio
from sitegen.pipeline.run import build_project

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
PHONE = 390
# Latvian (the cases page with long words) and Russian (sources on KPI and cases pages).
CLIENTS = ("restorans-liepa", "kuhni-master")
PAGES = (
    "index.html",
    "restorans-liepa/cases/index.html",
    "restorans-liepa/index.html",
    "kuhni-master/cases/index.html",
    "kuhni-master/kpis/cpl.html",
    "kuhni-master/competitors/index.html",
)

# Cells in a table narrower than 40 px that hold more than 3 characters: a column squeezed
# until its words break letter by letter.
SQUEEZED = """() => [...document.querySelectorAll('main td, main th')]
  .filter(c => c.getBoundingClientRect().width > 0 && c.getBoundingClientRect().width < 40
               && c.textContent.trim().length > 3)
  .map(c => c.textContent.trim().slice(0, 30))"""
# Boxes whose content is wider than the box: a source name running out of its card.
SPILLED = """() => [...document.querySelectorAll(
    'main .card, main .facts > div, main .chart, main li, main p, main dd')]
  .filter(b => b.scrollWidth > b.clientWidth + 1 && getComputedStyle(b).overflowX === 'visible')
  .map(b => b.className + ': ' + b.textContent.trim().slice(0, 40))"""
# Elements that end past the screen's right edge while not inside a scrolling box.
OFF_SCREEN = """(sel) => [...document.querySelectorAll(sel)]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .map(e => e.textContent.trim().slice(0, 30))"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _need_browser()
    out = tmp_path_factory.mktemp("phone") / "output"
    results = [build_project(ROOT / "content" / c, out_root=out) for c in CLIENTS]
    write_portfolio(out, results)
    return out


@pytest.fixture(scope="module")
def phone(sites: Path) -> Any:
    sync_api = _need_browser()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": PHONE, "height": 800})
        try:
            yield context.new_page()
        finally:
            browser.close()


@pytest.mark.parametrize("rel", PAGES)
def test_page_fits_a_phone(phone: Any, sites: Path, rel: str) -> None:
    phone.goto((sites / rel).as_uri(), wait_until="load")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE, rel
    assert phone.evaluate(SQUEEZED) == [], rel
    assert phone.evaluate(SPILLED) == [], rel


def test_portfolio_shows_every_result_and_status_on_a_phone(phone: Any, sites: Path) -> None:
    phone.goto((sites / "index.html").as_uri(), wait_until="load")
    statuses = phone.locator("table.portfolio .status")
    assert statuses.count() >= 8  # restorans-liepa has 5 goals, kuhni-master 4
    results = "table.portfolio tr[data-kind] td:nth-of-type(3)"
    assert phone.locator(results).count() >= statuses.count()
    assert phone.evaluate(OFF_SCREEN, "table.portfolio .status") == []
    assert phone.evaluate(OFF_SCREEN, results) == []
    # Each row is laid out without scrolling: the table's box is no wider than the screen.
    assert phone.evaluate("document.querySelector('.table-wrap').scrollWidth") <= PHONE


def test_wide_tables_scroll_with_their_first_column_fixed(phone: Any, sites: Path) -> None:
    phone.goto((sites / "restorans-liepa/cases/index.html").as_uri(), wait_until="load")
    first = phone.locator("table.case-list tbody th").first
    assert first.evaluate("c => getComputedStyle(c).position") == "sticky"
    wrap = phone.locator(".table-wrap").first
    before = first.bounding_box()
    wrap.evaluate("w => { w.scrollLeft = 200; }")
    after = first.bounding_box()
    assert before is not None and after is not None
    assert wrap.evaluate("w => w.scrollLeft") > 0  # the table is wider and does scroll
    assert after["x"] == before["x"]  # while the campaign's name stays put
