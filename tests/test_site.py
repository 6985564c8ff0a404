"""The built report site, checked by selectors: cards, colours, locale, escaping, links, goals.

One English project with hostile names (a project name, a channel, a goal title and a page
title carrying markup) is built once for the module; the Russian and Latvian builds are
smaller. Expected numbers come from tests/test_site_support.py's data: in Q1 2025 spend is
300 a day and leads 12 a day (CPL 25), in Q4 2024 leads were 6 a day (CPL 50).
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from cldr import spaced
from test_site_support import IMG, SCRIPT, make_project

from sitegen.pipeline.run import build_project


def soups(site: Path) -> dict[str, BeautifulSoup]:
    return {
        p.relative_to(site).as_posix(): BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
        for p in sorted(site.rglob("*.html"))
    }


def text(node: Tag | None) -> str:
    """Return the node's text with runs of ASCII white space made one (no-break spaces are
    kept; tests compare them through cldr.spaced)."""
    assert node is not None
    return re.sub(r"[ \t\r\n]+", " ", node.get_text(" ")).strip()


@pytest.fixture(scope="module")
def en_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("en")
    root = make_project(
        tmp / "acme", name=f"Acme {SCRIPT}", hostile=True, base_url="https://reports.example/acme/"
    )
    build_project(root, tmp / "site")
    return tmp / "site"


@pytest.fixture(scope="module")
def en(en_site: Path) -> dict[str, BeautifulSoup]:
    return soups(en_site)


def card(page: BeautifulSoup, kpi: str) -> Tag:
    found = page.select_one(f'.kpi-card[data-kpi="{kpi}"]')
    assert isinstance(found, Tag), kpi
    return found


# --- overview ---------------------------------------------------------------------------------


def test_kpi_cards_show_value_change_and_sparkline(en: dict[str, BeautifulSoup]) -> None:
    page = en["index.html"]
    cpl = card(page, "cpl")
    assert text(cpl.select_one(".card-title")) == "Cost per lead"
    assert cpl.select_one(".card-title a")["href"] == "kpis/cpl.html"
    assert text(cpl.select_one(".card-value")) == "$25.00"
    assert text(cpl.select_one(".change")) == "▼ -50.0%"
    assert cpl.select_one(".spark svg") is not None
    assert text(card(page, "leads").select_one(".card-value")) == "1,080"
    # Cards are grouped by KPI family, each family a section with a heading.
    # The KPIs not in the headline are folded by family, each family a <details>.
    families = [text(d.select_one("summary .family-title")) for d in page.select("details.family")]
    assert "Finance" in families and families[-1] == "Metrics"


@pytest.mark.parametrize(
    ("kpi", "tone"),
    [
        ("cpl", "good"),  # down, and lower is better
        ("leads", "good"),  # up, and higher is better
        ("ctr", "good"),  # up
        ("impressions", "bad"),  # down, and higher is better
        ("cpc", "good"),  # spend flat, clicks up: down
    ],
)
def test_change_colour_follows_the_better_direction(
    en: dict[str, BeautifulSoup], kpi: str, tone: str
) -> None:
    c = card(en["index.html"], kpi)
    assert c["data-tone"] == tone
    assert c.select_one(f".card-change .change-{tone}") is not None


def test_overview_has_period_goals_and_headline_charts(en: dict[str, BeautifulSoup]) -> None:
    page = en["index.html"]
    facts = text(page.select_one(".period-facts"))
    assert "Jan 1" in facts and "Mar 31, 2025" in facts  # report period
    assert "Oct 1" in facts and "Dec 31, 2024" in facts  # previous period
    assert page.select_one(".period time")["datetime"] == "2025-03-31"  # as of
    rows = page.select(".goals-glance .goal-row")
    assert [r["data-goal"] for r in rows] == ["cpl-20", "leads-2000"]
    assert rows[0].select_one(".status")["data-status"] in {"on_track", "at_risk", "off_track"}
    headline = [f["data-chart"] for f in page.select(".headline figure")]
    # The first two headline KPIs: the goals' (CPL, leads).
    assert headline == ["kpi-cpl-month", "kpi-leads-month"]
    # The CPL card carries its goal's badge and links to the goal's page.
    link = card(page, "cpl").select_one(".card-goals a")
    assert link["href"] == "goals/cpl-20.html"


# --- navigation and links -----------------------------------------------------------------------


def test_navigation_shows_where_you_are(en: dict[str, BeautifulSoup]) -> None:
    page = en["kpis/cpl.html"]
    current = page.select(".site-nav a[aria-current]")
    assert [text(a) for a in current] == ["KPIs"]
    assert current[0]["href"] == "index.html"  # kpis/index.html seen from kpis/cpl.html
    crumbs = [text(li) for li in page.select(".crumbs li")]
    assert crumbs == ["Overview", "KPIs", text(page.h1)]
    assert page.select_one(".crumbs [aria-current=page]") is not None
    assert en["index.html"].select_one('.site-nav a[aria-current="page"]')["href"] == "index.html"
    # Markdown pages join the navigation in front-matter order: Method (1) before About (2).
    nav = [text(a) for a in en["index.html"].select(".site-nav a")]
    assert nav.index("Method") < nav.index(IMG.lstrip('"'))
    assert nav[-1] == "Data"


def test_every_link_is_relative_and_resolves(en_site: Path, en: dict[str, BeautifulSoup]) -> None:
    for path, page in en.items():
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for node in page.find_all(tag):
                url = node.get(attr)
                if url is None or url.startswith("#"):
                    continue
                parts = urlsplit(url)
                # Markdown may link out with http(s): nothing else leaves the site.
                if parts.scheme in ("http", "https") and tag == "a":
                    continue
                assert not parts.scheme and not parts.netloc, (path, url)
                assert not url.startswith("/"), (path, url)
                target = posixpath.normpath(posixpath.join(posixpath.dirname(path), parts.path))
                assert (en_site / target).is_file(), (path, url)


def test_sitemap_lists_every_page(en_site: Path, en: dict[str, BeautifulSoup]) -> None:
    xml = (en_site / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", xml)
    assert sorted(locs) == sorted(f"https://reports.example/acme/{p}" for p in en)


# --- escaping -------------------------------------------------------------------------------------


def test_hostile_names_are_text_never_markup(en: dict[str, BeautifulSoup]) -> None:
    for path, page in en.items():
        for node in page.find_all(True):
            assert not any(a.lower().startswith("on") for a in node.attrs), (path, node.name)
        for s in page.find_all("script"):
            # Only the site's own script files and inert JSON data blocks.
            assert s.get("src", "").endswith(".js") or s.get("type") == "application/json", path
            if s.get("type") == "application/json":
                assert "</" not in s.string
                json.loads(s.string)
        for img in page.find_all("img"):
            assert img["src"].endswith("assets/logo.svg"), (path, img)
    # The strings are shown as written, in titles, headings and tables.
    assert text(en["index.html"].h1) == f"Acme {SCRIPT}"
    assert SCRIPT in en["index.html"].title.string
    channel = next(p for path, p in en.items() if path.startswith("channels/img-src"))
    assert text(channel.h1) == IMG
    assert IMG in text(en["channels/index.html"].select_one(".channel-matrix thead"))
    assert text(en["goals/cpl-20.html"].h1) == f"Cut CPL {SCRIPT}"
    about = en["pages/01-about.html"]
    # The page's own "# Notes" is its one heading; the hostile title names it in the nav.
    assert [text(h) for h in about.select("h1")] == ["Notes"]
    assert IMG.lstrip('"') in [text(a) for a in about.select("nav a")]


def test_hostile_channel_name_in_chart_svg_is_escaped(en_site: Path) -> None:
    html = (en_site / "kpis" / "leads.html").read_text(encoding="utf-8")
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html or "&#34;&gt;&lt;img" in html


def test_markdown_pages_are_sanitised(en: dict[str, BeautifulSoup]) -> None:
    body = en["pages/01-about.html"].select_one(".prose")
    assert body is not None
    assert body.find("script") is None
    assert not body.select("a[href^=javascript]")
    assert "Plain" in text(body) and body.find("em") is not None


# --- charts -----------------------------------------------------------------------------------------


def test_every_chart_has_static_svg_spec_table_and_alt(en: dict[str, BeautifulSoup]) -> None:
    for path, page in en.items():
        ids = [n["id"] for n in page.select("[id]")]
        assert len(ids) == len(set(ids)), path
        for fig in page.select("figure[data-chart]"):
            where = (path, fig["data-chart"])
            assert fig.select_one(".chart-static svg") is not None, where
            assert fig.select_one(".chart-static")["aria-label"], where
            spec = json.loads(fig.select_one("script.chart-spec").string)
            assert spec["config"]["locale"]["number"]["currency"] == ["$", ""], where
            assert "url" not in json.dumps(spec.get("data", {})), where
            table = fig.select_one("details.chart-table table")
            assert table is not None and table.select("tbody tr"), where


def test_kpi_page_has_trends_overlays_channels_and_definition(
    en: dict[str, BeautifulSoup],
) -> None:
    page = en["kpis/cpl.html"]
    charts = [f["data-chart"] for f in page.select("figure[data-chart]")]
    assert charts == ["kpi-cpl-month", "kpi-cpl-week", "kpi-cpl-channels"]
    legend = [text(li) for li in page.select("#kpi-cpl-month .chart-legend li")]
    # The goal on CPL (a ratio on all channels) is drawn as a rule, its title as text.
    assert legend == [
        "Report period",
        "Previous period",
        "Same period last year",
        "Target: Cut CPL <script>alert(1)</script>",
    ]
    month = page.select_one("#kpi-cpl-month table")
    assert text(month.select_one("thead th")) == "Period"
    assert [text(r.th) for r in month.select("tbody tr")] == ["Jan 2025", "Feb 2025", "Mar 2025"]
    assert text(page.select_one(".method .formula")) == "spend / leads"
    assert "Better when lower" in text(page.select_one(".method"))
    shares = page.select(".channel-table tbody tr")
    assert len(shares) == 2


# --- goals and plans -----------------------------------------------------------------------------------


def test_goals_overview_and_goal_page(en: dict[str, BeautifulSoup]) -> None:
    goals = en["goals/index.html"]
    assert goals.select_one("figure#goals-progress") is not None
    cards = goals.select(".goal-card")
    assert [c["data-goal"] for c in cards] == ["cpl-20", "leads-2000"]
    facts = {text(d.dt): text(d.dd) for d in cards[0].select(".mini-facts > div")}
    assert facts["Target"] == "$20.00"
    assert facts["Current"] == "$25.00 for the goal window so far"  # the measure in words
    page = en["goals/cpl-20.html"]
    assert page.select_one("figure#goal-cpl-20 .chart-static svg") is not None
    legend = [text(li) for li in page.select(".chart-legend li")]
    assert legend == ["Actual", "Pace to the target", "Forecast", "Target"]
    big = [text(d) for d in page.select(".facts .big")]
    # current of target, target, baseline, forecast (CPL 25 every day: the forecast is 25)
    assert big == ["$25.00 of $20.00", "$20.00", "$50.00", "$25.00"]
    assert "spend / leads" in text(page.select_one(".method"))


def test_goal_pages_say_the_verdict_and_why(en: dict[str, BeautifulSoup]) -> None:
    cpl = en["goals/cpl-20.html"]
    # CPL 25 every day of Q1, forecast 25: misses 20 by 5 > 10 % of (50 - 20) = 3.
    assert cpl.select_one(".goal-status .status")["data-status"] == "off_track"
    assert text(cpl.select_one(".goal-why")) == (
        "Off track: $25.00 so far; at the recent pace it ends at $25.00, target $20.00."
    )
    # (25 - 50) / (20 - 50) = 0.833 of the way; the label says which progress it is.
    assert text(cpl.select_one(".meter-legend span")) == (
        "Share of the way from baseline to target 83%"
    )
    # 1,080 leads so far, 12 a day x 91 days to come: 20 + (20 - 25) x 1,080 / 1,092 = 15.05
    assert text(cpl.select_one(".goal-run-rate")) == "$15.05 over the rest of the window"
    leads = en["goals/leads-2000.html"]
    assert leads.select_one(".goal-status .status")["data-status"] == "on_track"
    # 12 a day x 90 days = 1,080; the pace line stands at 2,000 x 90 / 181 = 994 on 31 March
    why = text(leads.select_one(".goal-why"))
    assert why.startswith("On track: 1,080 so far against 994 expected by now; ")
    # the channel furthest behind: ads, 4 a day; 920 / 91 days = 10.11 a day, a third of it
    assert why.endswith(" brings 4 a day, 3.37 a day are needed from it.")
    assert leads.select_one(".goal-why img") is None  # the hostile channel name is text
    assert text(leads.select_one(".goal-date")) == "Projected to be met on Jun 16, 2025"
    assert text(leads.select_one(".goal-progress")) == "54%"  # 1,080 / 2,000
    rows = leads.select(".goal-drivers tbody tr")
    assert len(rows) == 2 and text(rows[1].th) == "Instagram"  # the platform's name, not the id
    cells = [text(td) for td in rows[1].select("td")]
    assert cells[:2] == ["67%", "8"]  # two thirds of the leads, 8 a day


def test_plan_page_shows_the_implied_funnel(en: dict[str, BeautifulSoup]) -> None:
    page = en["plans/funnel.html"]
    plan = {
        r["data-step"]: [text(td) for td in r.select("td")]
        for r in page.select(".funnel-table tbody tr")
    }
    assert plan["customers"][0] == "20"
    assert plan["leads"][0] == "200"
    assert plan["cpl"][0] == "$20.00"
    assert page.select_one("figure#plan-funnel") is not None
    assert len(page.select(".plan-months tbody tr")) == 3


# --- data page, brand, determinism ----------------------------------------------------------------------


def test_data_page_links_the_results(en: dict[str, BeautifulSoup], en_site: Path) -> None:
    links = {a["href"] for a in en["data/index.html"].select(".downloads a")}
    assert links == {"kpis.json", "kpis.csv"}
    assert (en_site / "data" / "kpis.json").is_file() and (en_site / "data" / "kpis.csv").is_file()


def test_brand_colour_and_logo_apply_without_editing_the_theme(
    en_site: Path, en: dict[str, BeautifulSoup]
) -> None:
    css = (en_site / "static" / "brand.css").read_text(encoding="utf-8")
    # The brand colour with its ink (#1f5f7a against white is 7.06:1, tests/test_overview.py),
    # then its lighter twin for the main chart line in dark mode.
    assert css.startswith(
        ":root { --brand: #1f5f7a; --brand-ink: #ffffff; }\n"
        "@media screen and (prefers-color-scheme: dark)"
    )
    assert '.chart [stroke="#1f5f7a" i] { stroke: #98b5c2; }' in css
    head = en["kpis/cpl.html"]
    assert head.select_one('link[href="../static/brand.css"]') is not None
    assert head.select_one(".brand img.logo")["src"] == "../assets/logo.svg"


def test_content_security_policy_allows_only_the_site(en: dict[str, BeautifulSoup]) -> None:
    csp = en["index.html"].select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
    assert "script-src 'self';" in csp and "unsafe-eval" not in csp
    assert "default-src 'none'" in csp


def test_two_builds_are_byte_identical(en_site: Path, tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "acme",
        name=f"Acme {SCRIPT}",
        hostile=True,
        base_url="https://reports.example/acme/",
    )
    build_project(root, tmp_path / "again")
    first = {p.relative_to(en_site): p.read_bytes() for p in en_site.rglob("*") if p.is_file()}
    again = {
        p.relative_to(tmp_path / "again"): p.read_bytes()
        for p in (tmp_path / "again").rglob("*")
        if p.is_file()
    }
    assert sorted(first) == sorted(again)
    assert [str(k) for k in first if first[k] != again[k]] == []


# --- locales ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "currency", "cpl", "change", "nav", "month"),
    [
        ("en", "USD", "$25.00", "▼ -50.0%", "Overview", "Jan"),
        # "_": a no-break space, whichever CLDR uses (cldr.spaced).
        ("ru", "RUB", "25,00_₽", "▼ -50,0_%", "Обзор", "янв."),
        ("lv", "EUR", "25,00_€", "▼ -50,0%", "Pārskats", "janv."),
    ],
)
def test_locale_formats_numbers_dates_text_and_chart_axes(
    tmp_path: Path, locale: str, currency: str, cpl: str, change: str, nav: str, month: str
) -> None:
    root = make_project(
        tmp_path / "p",
        locale=locale,
        currency=currency,
        goals=False,
        pages=False,
        second_channel=False,
    )
    build_project(root, tmp_path / "site")
    pages = soups(tmp_path / "site")
    page = pages["index.html"]
    assert page.html["lang"] == locale
    c = card(page, "cpl")
    assert spaced(text(c.select_one(".card-value"))) == cpl
    assert spaced(text(c.select_one(".change"))) == change
    assert text(page.select_one(".site-nav a")) == nav
    assert month in text(page.select_one(".period-facts"))
    # The static chart's axes use the same locale: month names and the currency sign.
    svg = pages["kpis/cpl.html"].select_one("#kpi-cpl-month .chart-static svg")
    labels = [t.get_text() for t in svg.find_all("text")]
    assert any(month.rstrip(".") in t for t in labels), labels
    sign = {"USD": "$", "RUB": "₽", "EUR": "€"}[currency]
    assert any(sign in t for t in labels), labels


def test_project_templates_and_the_classic_theme(tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "p", theme="classic", goals=False, pages=False, second_channel=False
    )
    (root / "templates").mkdir()
    (root / "templates" / "data.html").write_text(
        '{% extends "default:data.html" %}{% block content %}<p id="custom">Ours</p>'
        "{{ super() }}{% endblock %}",
        encoding="utf-8",
    )
    build_project(root, tmp_path / "site")
    pages = soups(tmp_path / "site")
    # The classic theme adds its stylesheet, shipped with the site, to every page.
    for page in pages.values():
        assert page.select_one('link[href$="static/classic.css"]') is not None
    assert (tmp_path / "site" / "static" / "classic.css").is_file()
    data = pages["data/index.html"]
    assert text(data.select_one("#custom")) == "Ours"
    assert data.select_one(".downloads") is not None  # the default template's block, kept
