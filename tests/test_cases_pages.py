"""Built sites: the case-study, competitor and portfolio pages, by selector, and kpis.json."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from sitegen.pipeline.outcome import BuildResult
from sitegen.pipeline.portfolio import write_portfolio
from sitegen.pipeline.run import build_project

# Monthly rows: Jan-Mar is the default baseline of the Apr-Jun campaign.
# Leads 120 -> 180 (+50 %); spend 1600 -> 2220, so CPL 40/3 -> 37/3 (-7.5 %, lower is better).
OWN = """date,leads,spend,likes,reach,followers,posts,mentions
2025-01,40,400,100,1000,1000,8,10
2025-02,40,400,100,1000,1010,8,10
2025-03,40,800,100,1000,1020,8,10
2025-04,60,450,150,1000,1100,8,10
2025-05,60,450,150,1000,1150,8,10
2025-06,60,1320,150,1000,1200,8,10
"""
RIVALS = """date,channel,competitor,followers,likes,posts,mentions
2025-01,instagram,Rival A,5000,300,4,5
2025-02,instagram,Rival A,5100,300,4,5
2025-03,instagram,Rival A,5200,300,4,5
2025-04,instagram,Rival A,5300,300,4,5
2025-05,instagram,Rival A,5400,300,4,5
2025-06,instagram,Rival A,5500,300,4,5
2025-06,instagram,Rival B,,20,2,
"""
CASES = """
[[cases]]
id = "reels"
title = "Spring Reels"
period = { start = 2025-04-01, end = 2025-06-30 }
kpis = ["leads", "cpl"]

[[cases]]
id = "early"
title = "Early push"
period = { start = 2025-04-01, end = 2025-06-30 }
baseline_period = { start = 2024-01-01, end = 2024-03-31 }
kpis = ["leads"]

[[references]]
name = "Company X"
goal = "Grow the customer base through engagement"
kpi = "leads"
change = "+30%"
months = 3
source = "Retail Social Report 2024: Company X case study"
url = "https://reports.example.com/retail-social-2024"

[[benchmarks]]
kpi = "cpl"
low = 8
high = 12
source = "Old survey"
date = 2022-01-01
"""
GOALS = """
[[goals]]
id = "more-leads"
title = "30% more leads in spring"
kpi = "leads"
change = "+30%"
start = 2025-04-01
deadline = 2025-06-30
"""


def write_project(root: Path, name: str, *, full: bool) -> Path:
    (root / "data").mkdir(parents=True)
    (root / "sitegen.toml").write_text(
        f'[project]\nname = "{name}"\nlocale = "en"\ncurrency = "USD"\n', encoding="utf-8"
    )
    (root / "data" / "instagram.csv").write_text(OWN, encoding="utf-8")
    if full:
        (root / "data" / "rivals.csv").write_text(RIVALS, encoding="utf-8")
        (root / "cases.toml").write_text(CASES, encoding="utf-8")
        (root / "goals.toml").write_text(GOALS, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("portfolio")
    out = base / "output"
    results: list[BuildResult] = []
    for name, full in (("Acme", True), ("Beta", False)):
        root = write_project(base / "clients" / name.lower(), name, full=full)
        results.append(build_project(root, out_root=out))
    write_portfolio(out, results)
    return {"out": out, "results": results}


def page(built: dict[str, Any], path: str) -> BeautifulSoup:
    return BeautifulSoup((built["out"] / path).read_text(encoding="utf-8"), "html.parser")


def test_kpis_json_has_cases_references_competitors_and_benchmarks(built: dict[str, Any]) -> None:
    doc = json.loads((built["out"] / "acme" / "data" / "kpis.json").read_text(encoding="utf-8"))
    leads = doc["cases"][0]["kpis"]["leads"]
    assert (leads["before"], leads["after"], leads["lift"]) == (120.0, 180.0, 0.5)
    assert doc["cases"][0]["kpis"]["cpl"]["lift"] == pytest.approx(-0.075)
    assert doc["cases"][1]["baseline_has_data"] is False
    ref = doc["references"][0]
    assert (ref["name"], ref["kpi"], ref["change"], ref["client_change"]) == (
        "Company X",
        "leads",
        0.30,
        0.5,
    )
    assert ref["verdict"] == "ahead"  # the model's verdict stays in kpis.json for scripts
    assert ref["url"] == "https://reports.example.com/retail-social-2024"
    assert doc["benchmarks"][0]["stale"] is True
    assert doc["benchmarks"][0]["url"] == ""  # none given
    assert doc["benchmarks"][0]["client_value"] == pytest.approx(3820 / 300)
    brands = {b["name"]: b for b in doc["competitors"]["brands"]}
    # Rival B has one month of data, so every brand is compared over June.
    assert doc["competitors"]["window"] == {"start": "2025-06-01", "end": "2025-06-30"}
    assert brands["Acme"]["share_of_voice"] == pytest.approx(10 / 15 * 100)
    assert brands["Rival B"]["followers"] is None
    assert brands["Rival B"]["missing"]["followers"] == ["followers"]


def test_warnings_name_the_case_without_baseline_data_and_the_old_benchmark(
    built: dict[str, Any],
) -> None:
    keys = {w.key for w in built["results"][0].warnings}
    assert "cases[1] (early).baseline_period" in keys
    assert "benchmarks[0] (cpl).date" in keys


def test_case_studies_page(built: dict[str, Any]) -> None:
    soup = page(built, "acme/cases/index.html")
    nav = {a.get_text(strip=True): a["href"] for a in soup.select("nav.site-nav a")}
    assert nav["Case studies"] == "index.html" and nav["Competitors"] == "../competitors/index.html"
    row = soup.select_one('table.case-list tr[data-case="reels"]')
    assert row is not None
    assert row.select_one("a")["href"] == "reels.html"
    lifts = {li["data-kpi"]: li.select_one(".change") for li in row.select("li")}
    assert lifts["leads"].get_text(strip=True) == "+50.0%"
    assert "change-good" in lifts["leads"]["class"]
    assert lifts["cpl"].get_text(strip=True) == "-7.5%"
    assert "change-good" in lifts["cpl"]["class"]  # lower is better
    ref = soup.select_one('table.reference-table tr[data-reference="0"]')
    assert ref.select_one("th").get_text(strip=True) == "Company X"
    assert ref.select_one(".published").get_text(" ", strip=True).startswith("+30.0%")
    assert ref.select_one(".client-change").get_text(strip=True) == "+50.0%"
    # Neutral wording: the two changes side by side, no "ahead"/"behind" badge or sentence.
    assert ref.select_one(".verdict") is None
    assert not re.search(r"\b(ahead|behind)\b", soup.select_one("main").get_text(" "), re.I)
    summary = soup.select_one('.reference-summaries li[data-reference="0"]').get_text(
        " ", strip=True
    )
    assert summary.startswith(
        "Published result for Company X: Leads +30.0% over 3 months; this client: +50.0% over"
        " 3 months up to Jun 30, 2025."
    )
    link = soup.select_one('.reference-summaries li[data-reference="0"] a.source-link')
    assert link.get_text(strip=True) == "Retail Social Report 2024: Company X case study"
    assert link["href"] == "https://reports.example.com/retail-social-2024"
    assert "000_" not in soup.get_text()  # a source is a title, never a file name
    bench = soup.select_one('table.benchmark-table tr[data-kpi="cpl"]')
    assert "stale" in bench["class"]
    assert bench.select_one(".stale-mark").get_text(strip=True) == "More than two years old"
    assert bench.select_one(".position-above").get_text(strip=True) == "Above the benchmark"


def test_case_page(built: dict[str, Any]) -> None:
    soup = page(built, "acme/cases/reels.html")
    assert soup.select_one("h1").get_text(strip=True) == "Spring Reels"
    cpl = soup.select_one('table.case-table tr[data-kpi="cpl"]')
    assert cpl.select_one(".before").get_text(strip=True) == "$13.33"
    assert cpl.select_one(".after").get_text(strip=True) == "$12.33"
    assert "change-good" in cpl.select_one(".lift .change")["class"]
    summary = soup.select_one('.case-summary li[data-kpi="cpl"]').get_text(" ", strip=True)
    assert summary.endswith("Lower is better for this KPI, so this is an improvement.")
    assert soup.select_one("figure#case-reels-leads") is not None
    assert soup.select_one("figure#case-reels-lifts") is not None
    table = soup.select("figure#case-reels-leads .chart-table tbody tr")
    assert [[c.get_text(strip=True) for c in tr.find_all(["th", "td"])] for tr in table] == [
        ["Month 1", "40", "60"],
        ["Month 2", "40", "60"],
        ["Month 3", "40", "60"],
    ]
    assert soup.select_one(".note-no-baseline") is None


def test_case_without_baseline_data_says_so(built: dict[str, Any]) -> None:
    soup = page(built, "acme/cases/early.html")
    note = soup.select_one(".note-no-baseline")
    assert note is not None and note.get_text(strip=True).startswith("No data for the baseline")
    row = soup.select_one('table.case-table tr[data-kpi="leads"]')
    assert row.select_one(".before").get_text(strip=True) == "–"
    assert row.select_one(".after").get_text(strip=True) == "180"


def test_competitors_page(built: dict[str, Any]) -> None:
    soup = page(built, "acme/competitors/index.html")
    rows = soup.select("table.competitor-table tbody tr")
    assert [r["data-brand"] for r in rows] == ["Acme", "Rival A", "Rival B"]
    assert "client" in rows[0]["class"]
    b = soup.select_one('tr[data-brand="Rival B"]')
    assert b.select_one('td[data-metric="followers"]').get_text(strip=True) == "–"
    missing = soup.select_one('li.missing[data-brand="Rival B"]').get_text(" ", strip=True)
    assert "Followers (followers)" in missing
    assert soup.select_one(".window") is not None  # compared over June only
    assert soup.select_one("figure#competitors-share-of-voice") is not None


def test_kpi_chart_shows_the_benchmark_band(built: dict[str, Any]) -> None:
    soup = page(built, "acme/kpis/cpl.html")
    spec = json.loads(soup.select_one("figure#kpi-cpl-month script.chart-spec").string)
    marks = [layer.get("mark", {}) for layer in spec.get("layer", [])]
    assert any((m.get("type") if isinstance(m, dict) else m) == "rect" for m in marks)


def test_portfolio_index_is_a_case_study_table_linking_into_each_report(
    built: dict[str, Any],
) -> None:
    out = built["out"]
    soup = page(built, "index.html")
    acme = soup.select_one('tbody.client[data-client="acme"]')
    assert acme.select_one("a.client-link")["href"] == "acme/index.html"
    goal = acme.select_one('tr[data-kind="goal"]')
    assert goal.select_one("td a")["href"] == "acme/goals/more-leads.html"
    assert [td.get_text(" ", strip=True) for td in goal.find_all("td")][1] == "Leads"
    assert goal.select_one(".status-achieved") is not None
    case = acme.select_one('tr[data-kind="case"]')
    assert case.select_one("td a")["href"] == "acme/cases/reels.html"
    assert [s.get_text(strip=True) for s in case.select(".change")] == ["+50.0%", "-7.5%"]
    assert acme.select_one(".glance").get_text(strip=True) == "1 of 1 goals achieved"
    beta = soup.select_one('tbody.client[data-client="beta"]')
    headline = beta.select_one('tr[data-kind="headline"]')
    assert headline.select_one("td a")["href"] == "beta/kpis/leads.html"
    # Every link of the index leads to a page that was built.
    for a in soup.select("a[href]"):
        assert (out / a["href"]).is_file(), a["href"]
    doc = json.loads((out / "portfolio.json").read_text(encoding="utf-8"))
    assert [c["slug"] for c in doc["clients"]] == ["acme", "beta"]
    assert doc["clients"][0]["rows"][0]["kind"] == "goal"
