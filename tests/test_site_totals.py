"""A project with a Yandex.Direct report (a March 2026 total, no days) and daily Facebook rows,
built end to end: the totals add up only in periods containing March, and the pages say so.

Facebook: every day of March 2026, 100 impressions, 4 clicks and 2.00 spend a day; every day
of February 2026, 50 impressions, 1 click and 1.00 spend. Yandex.Direct (XLSX, ru UI): rows by
campaign, "Поиск" 1000 impressions / 30 clicks / 600.00 ₽ and "РСЯ" 2000 / 20 / 400.00, under
an "Итого" row (3000 / 50 / 1000.00) that must not be added again.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import xlsxwriter
from bs4 import BeautifulSoup, Tag

from sitegen.check import check_project
from sitegen.pipeline.run import build_project
from sitegen.terminal import check_text


def _facebook() -> str:
    lines = ["Date,Impressions,Link clicks,Amount spent"]
    day = date(2026, 2, 1)
    while day <= date(2026, 3, 31):
        march = day.month == 3
        lines.append(
            f"{day.isoformat()},{100 if march else 50},{4 if march else 1},"
            f"{'2.00' if march else '1.00'}"
        )
        day += timedelta(days=1)
    return "\n".join(lines) + "\n"


def _yandex(path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Отчет")
    rows: list[list[object]] = [
        ["Статистика по кампаниям"],
        ["Период: 01.03.2026 - 31.03.2026"],
        [],
        ["Кампания", "№ Кампании", "Показы", "Клики", "CTR (%)", "Расход (руб.)"],
        ["Итого", "", 3000, 50, 1.67, 1000.0],
        ["Поиск", 701, 1000, 30, 3.0, 600.0],
        ["РСЯ", 702, 2000, 20, 1.0, 400.0],
    ]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()


def _project(root: Path, period: tuple[str, str]) -> Path:
    (root / "data").mkdir(parents=True)
    (root / "sitegen.toml").write_text(
        '[project]\nname = "Totals"\nslug = "totals"\nlocale = "en"\ncurrency = "EUR"\n\n'
        f"[period]\nstart = {period[0]}\nend = {period[1]}\n",
        encoding="utf-8",
    )
    (root / "data" / "facebook.csv").write_text(_facebook(), encoding="utf-8")
    _yandex(root / "data" / "yandex-direct.xlsx")
    return root


def _text(node: Tag | None) -> str:
    assert node is not None
    return re.sub(r"\s+", " ", node.get_text(" ")).strip()


def _page(site: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((site / name).read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def march(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("totals")
    build_project(_project(tmp / "p", ("2026-03-01", "2026-03-31")), tmp / "site")
    return tmp / "site"


def test_kpis_json_adds_the_total_in_march_and_names_its_period(march: Path) -> None:
    doc = json.loads((march / "data" / "kpis.json").read_text(encoding="utf-8"))
    kpis, metrics = doc["kpis"], doc["metrics"]
    clicks = metrics["clicks"]
    # 31 x 4 = 124 Facebook clicks + 30 + 20 Yandex clicks (not the "Итого" row again) = 174
    assert clicks["value"] == 174
    assert clicks["channels"] == {"facebook": 124, "yandex-direct": 50}
    # February: 28 x 1 = 28 Facebook clicks, no Yandex total (it is March's)
    assert clicks["previous"] == 28
    march_json = {"start": "2026-03-01", "end": "2026-03-31"}
    assert clicks["total_periods"] == [march_json]
    assert clicks["channel_total_periods"] == {"yandex-direct": [march_json]}
    assert clicks["channels"]["yandex-direct"] == 50  # the "Итого" row's 50 agrees
    # CTR is a ratio of sums: 174 / (31 x 100 + 3000 = 6100) x 100
    assert kpis["ctr"]["value"] == pytest.approx(174 / 6100 * 100, rel=1e-12)
    # spend: 31 x 2.00 = 62 + 600 + 400 = 1062
    assert metrics["spend"]["value"] == pytest.approx(1062.0)
    # Monthly series: the March bucket holds the whole total.
    assert [p["value"] for p in clicks["series"]["month"]] == [174]


def test_pages_mark_values_that_come_from_the_total(march: Path) -> None:
    overview = _page(march, "index.html")
    card = overview.select_one('.kpi-card[data-kpi="ctr"]')
    assert isinstance(card, Tag)
    # All channels: Facebook's days plus the Yandex total.
    assert _text(card.select_one(".total-note")) == "incl. March 2026 total"
    kpi = _page(march, "kpis/ctr.html")
    assert _text(kpi.select_one(".facts .total-note")) == "incl. March 2026 total"
    # Channels are named by their platforms (Yandex.Direct, Facebook), not their ids.
    rows = {_text(tr.th): tr for tr in kpi.select(".channel-table tbody tr")}
    assert _text(rows["Yandex.Direct"].select_one(".total-note")) == "March 2026 total"
    assert rows["Facebook"].select_one(".total-note") is None
    fb = _page(march, "channels/facebook.html")
    assert fb.select_one(".total-note") is None  # daily rows only
    yd = _page(march, "channels/yandex-direct.html")
    row = yd.select_one('tr[data-kpi="cpc"]')
    assert isinstance(row, Tag)
    assert _text(row.select_one(".total-note")) == "March 2026 total"
    matrix = _page(march, "channels/index.html").select_one('tr[data-kpi="ctr"]')
    assert isinstance(matrix, Tag)
    assert [_text(n) for n in matrix.select(".total-note")] == ["March 2026 total"]


def test_the_note_is_translated(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", ("2026-03-01", "2026-03-31"))
    toml = root / "sitegen.toml"
    english = toml.read_text(encoding="utf-8")
    notes = {}
    for locale in ("ru", "lv"):
        toml.write_text(english.replace('locale = "en"', f'locale = "{locale}"'), encoding="utf-8")
        build_project(root, tmp_path / locale)
        cpc = _page(tmp_path / locale, "channels/yandex-direct.html")
        ctr = _page(tmp_path / locale, "kpis/ctr.html")
        notes[locale] = (
            _text(cpc.select_one('tr[data-kpi="cpc"] .total-note')),
            _text(ctr.select_one(".facts .total-note")),
        )
    assert notes == {
        "ru": ("итого за март 2026 г.", "включая итог за март 2026 г."),
        "lv": ("2026. gada. marts: kopsumma", "ieskaitot kopsummu (2026. gada. marts)"),
    }


def test_a_report_period_cutting_the_total_has_no_yandex_values(tmp_path: Path) -> None:
    build_project(_project(tmp_path / "p", ("2026-03-01", "2026-03-15")), tmp_path / "site")
    doc = json.loads((tmp_path / "site" / "data" / "kpis.json").read_text(encoding="utf-8"))
    clicks = doc["metrics"]["clicks"]
    # Half of March cannot hold the March total: no value, never 50 x 15/31.
    assert clicks["value"] is None
    assert clicks["channels"] == {"facebook": 60, "yandex-direct": None}  # 15 x 4 = 60
    assert clicks["total_periods"] == []
    assert _page(tmp_path / "site", "index.html").select_one(".total-note") is None


def test_sitegen_check_lists_the_channel_of_totals(tmp_path: Path) -> None:
    res = check_project(_project(tmp_path / "p", ("2026-03-01", "2026-03-31")))
    lines = check_text(res)
    expected = "    yandex-direct: period totals 2026-03-01..2026-03-31, 3 metrics: "
    assert expected + "impressions, clicks, spend" in lines
    assert any(line.startswith("    facebook: daily 2026-02-01..2026-03-31") for line in lines)
