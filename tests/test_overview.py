"""The overview summary first, the client's words and the agency's branding (issue 19).

Numbers come from tests/test_site_support.py's data. Report period Q1 2025 (90 days),
previous period Q4 2024 (92 days); instagram.csv is scale 2, the facebook rows of ads.csv
scale 1. Leads are 4 x scale a day in 2025 and 2 x scale before; spend is 100 x scale a day:

- leads now 8 x 90 + 4 x 90 = 720 + 360 = 1080, before 4 x 92 + 2 x 92 = 368 + 184 = 552:
  +95.7 % (1080 / 552 = 1.9565); Instagram (720 - 368) / 552 = 63.8 points, Facebook
  (360 - 184) / 552 = 31.9 points.
- CPL now 27000 / 1080 = 25, before 27600 / 552 = 50; each channel's leads share is 2/3 and
  1/3 in both periods, so there is no mix effect and Instagram's own fall (50 -> 25, two
  thirds of the weight) moves it most.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from test_site_support import LOGO, make_project

from sitegen.config.cases import parse_cases
from sitegen.config.project import load_project
from sitegen.errors import ConfigError, MultipleErrors
from sitegen.pipeline.run import build_project
from sitegen.present.brand import brand_css, contrast, ink_on
from sitegen.present.charts.style import chart_dark_css
from sitegen.present.site.names import channel_label, humanise

LOOK = """
[report]
footer = "Prepared by Northwind Digital"
show_generator = false

[channels.facebook]
label = "Facebook Page"
"""
COMMENTARY = (
    "---\ntitle: Agency commentary\norder: 1\ncommentary: true\n---\n"
    '# Q1 2025\n\nLeads **doubled** ({{ kpi("leads") }}) while spend stayed flat.\n\n'
    "Second paragraph.\n"
)


def text(node: Tag | None) -> str:
    assert node is not None
    return re.sub(r"\s+", " ", node.get_text(" ")).strip()


def build(tmp: Path, extra: str = "", *, commentary: bool = True, logo: bool = False) -> Path:
    root = make_project(tmp / "client")
    if logo:  # a second image for [report] logo
        (root / "assets" / "mark.svg").write_text(LOGO, encoding="utf-8")
    with (root / "sitegen.toml").open("a", encoding="utf-8") as f:
        f.write(extra)
    if commentary:
        (root / "pages" / "00-commentary.md").write_text(COMMENTARY, encoding="utf-8")
    build_project(root, tmp / "site")
    return tmp / "site"


def page(site: Path, path: str = "index.html") -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("overview"), LOOK)


@pytest.fixture(scope="module")
def overview(site: Path) -> BeautifulSoup:
    return page(site)


def test_overview_opens_with_goals_then_key_results_commentary_and_folded_rest(
    overview: BeautifulSoup,
) -> None:
    order = [s["class"][0] for s in overview.select("main > section")]
    assert order == ["goals-glance", "key-results", "commentary-excerpt", "headline", "all-kpis"]
    # Every other KPI is folded by family; none of the headline KPIs is repeated there.
    folded = overview.select(".all-kpis details.family")
    assert folded and all(d.get("open") is None for d in folded)
    rest = {c["data-kpi"] for c in overview.select(".all-kpis .kpi-card")}
    head = [c["data-kpi"] for c in overview.select(".key-results .kpi-card")]
    assert not rest & set(head)


def test_default_headline_is_goals_kpis_then_business_results(overview: BeautifulSoup) -> None:
    head = [c["data-kpi"] for c in overview.select(".key-results .kpi-card")]
    # goals.toml: cpl-20, leads-2000; business: leads (have), spend, cpl (have); then the
    # fillers the data gives until six: engagement_rate, reach, ctr.
    assert head == ["cpl", "leads", "spend", "engagement_rate", "reach", "ctr"]


def test_goal_rows_say_status_and_why(overview: BeautifulSoup) -> None:
    rows = overview.select(".goals-glance .goal-row")
    assert [r["data-goal"] for r in rows] == ["cpl-20", "leads-2000"]
    # Each row is the goal page's "why" without its status (the badge says it). CPL is a
    # window ratio at $25.00 whose recent parts keep it at $25.00: the forecast misses $20.00.
    assert text(rows[0].select_one(".goal-why")) == (
        "$25.00 so far; at the recent pace it ends at $25.00, target $20.00."
    )
    # Leads add up over the window: 1,080 so far; the pace line from 0 to 2,000 over the 181
    # days of January 1 to June 30 is at 2,000 x 90 / 181 = 994.5 on March 31. The channel
    # is named by its label (Facebook Page), never its id.
    assert text(rows[1].select_one(".goal-why")) == (
        "1,080 so far against 994 expected by now; Facebook Page brings 4 a day, 3.37 a day"
        " are needed from it."
    )


def test_summary_paragraph_names_changes_and_drivers(overview: BeautifulSoup) -> None:
    summary = text(overview.select_one(".key-results .summary-text"))
    # Business results first: leads, then CPL, then spend (see the module docstring).
    assert summary.startswith(
        "Leads +95.7% against the previous period: Instagram +64 points, Facebook Page +32 points."
        " Cost per lead fell from $50.00 to $25.00, mostly in Instagram ($50.00 to $25.00)."
    )
    # Engagement rate (likes / reach) is 12 / 700 in both periods: unchanged, not told. Reach
    # 2100 x 90 = 189000 against 2100 x 92 = 193200: -2.2 %; Instagram (126000 - 128800) /
    # 193200 = -1.4 points, Facebook (63000 - 64400) / 193200 = -0.7 -> -1. Spend, the cost of
    # the results, would come last; three sentences are told.
    assert summary.endswith(
        "Reach -2.2% against the previous period: Instagram \u22121 point, Facebook Page"
        " \u22121 point."
    )
    assert "Engagement rate" not in summary and "Spend" not in summary


def test_commentary_excerpt_is_its_first_paragraph_with_a_link(
    site: Path, overview: BeautifulSoup
) -> None:
    box = overview.select_one(".commentary-excerpt")
    assert text(box.h2) == "Agency commentary"
    # The excerpt's shortcode is filled in as on the page: 12 leads a day x 90 days = 1,080.
    assert text(box.select_one(".prose")) == "Leads doubled (1,080) while spend stayed flat."
    assert box.select_one(".prose strong") is not None
    href = box.select("a")[-1]["href"]
    assert (site / href).is_file() and "Second paragraph" in (site / href).read_text("utf-8")


def test_overview_kpis_setting_chooses_the_headline(tmp_path: Path) -> None:
    site = build(tmp_path, '\n[overview]\nkpis = ["ctr", "leads"]\n', commentary=False)
    ov = page(site)
    assert [c["data-kpi"] for c in ov.select(".key-results .kpi-card")] == ["ctr", "leads"]
    assert ov.select_one(".commentary-excerpt") is None  # no page says commentary: true
    # Leads lead the paragraph: a business result goes first whatever the cards order.
    assert text(ov.select_one(".summary-text")).startswith("Leads +95.7%")


def test_channel_labels_everywhere_ids_in_kpis_json(site: Path) -> None:
    channels = page(site, "channels/index.html")
    chips = [text(a) for a in channels.select(".chips a")]
    assert chips == ["Facebook Page", "Instagram"] or chips == ["Instagram", "Facebook Page"]
    assert text(page(site, "channels/facebook.html").h1) == "Facebook Page"
    kpi = page(site, "kpis/leads.html")
    assert {text(a) for a in kpi.select(".channel-table th a")} == {"Facebook Page", "Instagram"}
    for p in (channels, kpi, page(site)):
        visible = text(p.select_one("main"))
        assert not re.search(r"\b(facebook|instagram)\b", visible), "a raw channel id is shown"
    data = json.loads((site / "data" / "kpis.json").read_text("utf-8"))
    assert data["metrics"]["leads"]["channels"] == {"facebook": 360.0, "instagram": 720.0}


def test_footer_and_no_generator(site: Path, overview: BeautifulSoup, tmp_path: Path) -> None:
    assert (
        text(overview.select_one(".site-footer .report-footer")) == "Prepared by Northwind Digital"
    )
    for path in ("index.html", "kpis/cpl.html", "goals/cpl-20.html"):
        html = (site / path).read_text("utf-8")
        assert "Generated by sitegen" not in html and 'name="generator"' not in html
    default = page(build(tmp_path, commentary=False))
    assert "Generated by sitegen" in text(default.select_one(".site-footer"))


def test_brand_colour_gets_readable_ink(site: Path) -> None:
    # #1f5f7a: luminance 0.0988; against white (1.05 / 0.1488) = 7.06, against #111 (0.1488 /
    # 0.0556) = 2.68, so the text on it is white.
    assert round(contrast("#1f5f7a", "#ffffff"), 2) == 7.06
    assert round(contrast("#1f5f7a", "#111111"), 2) == 2.68
    assert contrast("#000", "#fff") == pytest.approx(21.0)
    assert ink_on("#1f5f7a") == "#ffffff" and ink_on("#f5d90a") == "#111111"
    assert brand_css("#1f5f7a") == ":root { --brand: #1f5f7a; --brand-ink: #ffffff; }\n"
    # brand.css: the brand and its ink, then the brand line's dark-mode chart colour.
    css = (site / "static" / "brand.css").read_text()
    assert css == brand_css("#1f5f7a") + chart_dark_css("#1f5f7a")


def test_report_table_overrides_project_logo_and_colour(tmp_path: Path) -> None:
    site = build(
        tmp_path,
        '\n[report]\nbrand_colour = "#f5d90a"\nlogo = "assets/mark.svg"\n',
        commentary=False,
        logo=True,
    )
    assert "--brand: #f5d90a; --brand-ink: #111111;" in (site / "static/brand.css").read_text()
    assert page(site).select_one(".site-header img.logo")["src"] == "assets/mark.svg"
    assert (site / "assets" / "mark.svg").is_file()


@pytest.mark.parametrize(
    ("toml", "key", "words"),
    [
        ('[overview]\nkpis = ["cpll"]\n', "overview.kpis[0]", "did you mean 'cpl'?"),
        ('[report]\nbrand_colour = "teal"\n', "report.brand_colour", "not a hex colour"),
        ('[report]\nlogo = "assets/none.svg"\n', "report.logo", "the file does not exist"),
        ('[report]\nshow_generator = "no"\n', "report.show_generator", "true or false"),
        ("[channels.vk]\nlabel = 3\n", "channels.vk.label", "wrong type"),
        ('[channels]\nvk = "VK"\n', "channels.vk", "[channels.vk]"),
    ],
)
def test_look_settings_errors_name_key_and_hint(
    tmp_path: Path, toml: str, key: str, words: str
) -> None:
    root = tmp_path / "p"
    (root / "data").mkdir(parents=True)
    (root / "sitegen.toml").write_text('[project]\nname = "Acme"\n\n' + toml, encoding="utf-8")
    with pytest.raises((ConfigError, MultipleErrors)) as info:
        load_project(root)
    errors = info.value.errors if isinstance(info.value, MultipleErrors) else [info.value]
    [e] = [e for e in errors if e.key == key]
    assert words in str(e) and str(e).startswith("sitegen.toml")
    assert len(str(e)) < 300


def test_too_many_headline_kpis(tmp_path: Path) -> None:
    root = tmp_path / "p"
    (root / "data").mkdir(parents=True)
    nine = '", "'.join(["leads", "cpl", "ctr", "cpc", "spend", "reach", "clicks", "likes", "roas"])
    (root / "sitegen.toml").write_text(
        f'[project]\nname = "Acme"\n\n[overview]\nkpis = ["{nine}"]\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="9 headline KPIs is too many") as info:
        load_project(root)
    assert info.value.key == "overview.kpis"


@pytest.mark.parametrize(
    ("channel", "locale", "name"),
    [
        ("meta-ads", "en", "Meta Ads"),
        ("google-analytics", "lv", "Google Analytics"),
        ("vk", "ru", "VK"),
        ("yandex-direct", "en", "Yandex.Direct"),
        ("yandex-direct", "ru", "Яндекс.Директ"),
        ("tiktok", "en", "TikTok"),
        ("brand-analytics", "en", "Brand analytics"),
        ("crm", "ru", "CRM"),
    ],
)
def test_platform_names_and_humanised_ids(channel: str, locale: str, name: str) -> None:
    assert channel_label({}, locale, channel) == name


def test_humanise_keeps_acronyms() -> None:
    assert humanise("seo_blog") == "SEO blog"
    assert humanise("partner-ads") == "Partner ads"


def test_channel_icon_and_colour(tmp_path: Path) -> None:
    site = build(
        tmp_path,
        '\n[channels.facebook]\nlabel = "Meta"\nicon = "assets/mark.svg"\ncolour = "#1877f2"\n',
        commentary=False,
        logo=True,
    )
    chip = page(site, "channels/index.html").select_one(".chips .channel-coloured")
    assert (
        text(chip) == "Meta" and chip.select_one("img.channel-icon")["src"] == "../assets/mark.svg"
    )
    slug = chip["data-channel-colour"]
    assert (
        f'[data-channel-colour="{slug}"] {{ --channel: #1877f2; }}'
        in (site / "static" / "brand.css").read_text()
    )
    assert page(site, "channels/facebook.html").h1["data-channel-colour"] == slug
    # The channel charts draw Meta in its own colour: the legend swatch beside its name.
    kpi = page(site, "kpis/leads.html")
    swatches = [
        li.select_one("svg rect")["fill"]
        for li in kpi.select(".chart-legend li")
        if text(li) == "Meta" and li.select_one("svg rect") is not None
    ]
    assert swatches == ["#1877f2"]


def test_reference_source_is_a_title_with_a_link_never_a_file_name() -> None:
    ref = {"name": "X", "kpi": "leads", "change": "+30%", "months": 6}
    good = {**ref, "source": "Retail Social Report 2024", "url": "https://r.example.com/2024"}
    spec, _ = parse_cases({"references": [good]}, known_kpis={"leads"})
    assert (spec.references[0].source, spec.references[0].url) == (good["source"], good["url"])
    bad = {**ref, "source": "000_c2a314ae5f359c10.txt", "url": "ftp://r.example.com"}
    with pytest.raises(MultipleErrors) as info:
        parse_cases({"references": [bad]}, known_kpis={"leads"})
    by_key = {e.key: str(e) for e in info.value.errors}
    assert "a file name" in by_key["references[0] (X).source"]
    assert 'url = "https://..."' in by_key["references[0] (X).source"]
    assert "not an http(s) URL" in by_key["references[0] (X).url"]


def test_goal_line_ends_with_one_full_stop_after_an_abbreviated_date(tmp_path: Path) -> None:
    root = make_project(tmp_path / "ru", locale="ru", currency="RUB")
    build_project(root, tmp_path / "site")
    why = text(page(tmp_path / "site").select_one('.goal-row[data-goal="cpl-20"] .goal-why'))
    # Russian medium dates end in "г."; the sentence must not add a second full stop.
    assert ".." not in why and why.endswith(".")
    assert why == "Сейчас 25,00 ₽; при нынешнем темпе к сроку будет 25,00 ₽, цель — 20,00 ₽."


def test_a_channel_table_the_data_lacks_is_a_warning_with_did_you_mean(tmp_path: Path) -> None:
    root = make_project(tmp_path / "client")
    with (root / "sitegen.toml").open("a", encoding="utf-8") as f:
        f.write('\n[channels.facebok]\nlabel = "Facebook Page"\n')
    result = build_project(root, tmp_path / "site")
    [w] = [w for w in result.warnings if w.code == "unknown-channel"]
    assert w.key == "channels.facebok" and w.hint == "did you mean 'facebook'?"
