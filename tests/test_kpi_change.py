"""A KPI page's "what changed": channels' parts of a sum, rate and mix of a ratio (issue 17).

Two channels, one day of data in January (the base) and one in February (now), so every
number below is hand arithmetic on the rows written here.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from bs4 import BeautifulSoup

from sitegen.model.catalogue import builtin
from sitegen.model.engine import Engine
from sitegen.model.explain import explain
from sitegen.model.periods import Period
from sitegen.present.change import ChangeView, change_drivers_json, change_view, signed
from sitegen.present.i18n.format import formatter

D = date.fromisoformat
JAN = Period(D("2025-01-01"), D("2025-01-31"))
FEB = Period(D("2025-02-01"), D("2025-02-28"))


def engine(rows: list[tuple[str, str, float | None, float | None, float | None]]) -> Engine:
    """Rows of (date, channel, spend, leads, revenue)."""
    return Engine(
        pl.DataFrame(
            {
                "date": [D(r[0]) for r in rows],
                "channel": [r[1] for r in rows],
                "spend": [r[2] for r in rows],
                "leads": [r[3] for r in rows],
                "revenue": [r[4] for r in rows],
                "competitor": pl.Series([None] * len(rows), dtype=pl.Utf8),
            }
        ),
        builtin(),
    )


# January: meta-ads 4,100 / 10 leads (CPL 410), google-ads 4,000 / 20 (CPL 200): 8,100 / 30 = 270.
# February: meta-ads 10,400 / 20 (CPL 520), google-ads 4,000 / 20 (200): 14,400 / 40 = 360.
RATE = engine(
    [
        ("2025-01-15", "meta-ads", 4100.0, 10.0, None),
        ("2025-01-15", "google-ads", 4000.0, 20.0, None),
        ("2025-02-15", "meta-ads", 10400.0, 20.0, None),
        ("2025-02-15", "google-ads", 4000.0, 20.0, None),
    ]
)
# Same CPL in each channel both months; only meta-ads' share of the leads grows (1/3 -> 1/2):
# February 8,200 / 20 + 4,000 / 20 = 12,200 / 40 = 305.
MIX = engine(
    [
        ("2025-01-15", "meta-ads", 4100.0, 10.0, None),
        ("2025-01-15", "google-ads", 4000.0, 20.0, None),
        ("2025-02-15", "meta-ads", 8200.0, 20.0, None),
        ("2025-02-15", "google-ads", 4000.0, 20.0, None),
    ]
)
EN = formatter("en", "USD")


def view(eng: Engine, kpi: str, locale: str = "en") -> ChangeView:
    cat = eng.catalogue
    return change_view(
        explain(eng, kpi, FEB, JAN),
        cat,
        cat.get(kpi).label(locale),
        cat.get(kpi).unit,
        locale,
        formatter(locale, "USD"),
    )


def test_ratio_change_splits_into_rate_and_mix_that_add_up() -> None:
    ex = explain(RATE, "cpl", FEB, JAN)
    assert ex.value == pytest.approx(360.0) and ex.base_value == pytest.approx(270.0)
    # rate: meta-ads 1/2 x (520 - 410) = 55; google-ads 1/2 x (200 - 200) = 0
    # mix:  meta-ads (1/2 - 1/3) x 410 = 68.33; google-ads (1/2 - 2/3) x 200 = -33.33
    assert ex.rate_effect == pytest.approx(55.0)
    assert ex.mix_effect == pytest.approx(35.0)
    assert ex.rate_effect + ex.mix_effect == pytest.approx(360 - 270)
    doc = change_drivers_json(ex)
    assert doc is not None and doc["kind"] == "ratio"
    meta = doc["channels"][0]
    assert meta["channel"] == "meta-ads"  # the largest part of the change first
    assert meta["share"] == pytest.approx(0.5) and meta["previous_share"] == pytest.approx(1 / 3)
    assert meta["rate_effect"] == pytest.approx(55.0)
    assert meta["mix_effect"] == pytest.approx(410 / 6)  # 68.33
    assert meta["change"] == pytest.approx(55 + 410 / 6)
    assert sum(c["change"] for c in doc["channels"]) == pytest.approx(doc["change"])


def test_sentence_names_the_channel_behind_a_rate_change() -> None:
    v = view(RATE, "cpl")
    assert v.sentence == (
        "Cost per lead: from $270.00 to $360.00 against the previous period, mostly because "
        "values changed within channels (+$55.00): meta-ads went from $410.00 to $520.00."
    )


def test_sentence_names_the_channel_behind_a_mix_change() -> None:
    # rate 0 (each channel's CPL is unchanged); mix (1/2 - 1/3) x 410 + (1/2 - 2/3) x 200 = 35
    v = view(MIX, "cpl")
    assert v.mix_effect == pytest.approx(35.0)
    assert v.sentence == (
        "Cost per lead: from $270.00 to $305.00 against the previous period, mostly because "
        "the mix of channels shifted (+$35.00): meta-ads now takes 50.0% of leads, "
        "against 33.3%."
    )
    ru = view(MIX, "cpl", "ru")
    assert "на канал meta-ads теперь приходится 50,0" in ru.sentence
    assert "«Заявки»" in ru.sentence


def test_sum_names_the_channel_with_the_largest_part() -> None:
    # Leads 30 -> 40 (+33.3 %): meta-ads 10 -> 20 (+10), google-ads 20 -> 20 (0).
    v = view(RATE, "leads")
    assert v.sentence == (
        "Leads: from 30 to 40 (+33.3%) against the previous period; the largest part of the "
        "change is meta-ads with +10."
    )
    lv = view(RATE, "leads", "lv")
    assert lv.sentence == (
        "Potenciālie klienti: no 30 līdz 40 (+33,3%) salīdzinājumā ar iepriekšējo periodu; "
        "lielākā daļa izmaiņu ir kanālā meta-ads: +10."
    )
    assert [(r.channel, r.change) for r in v.rows] == [
        ("meta-ads", 10.0),
        ("google-ads", 0.0),
    ]


def test_ratio_whose_parts_live_in_different_channels_is_not_split() -> None:
    # Revenue in the CRM, spend in the ad account: each channel's ROAS is 0 or undefined, so
    # rate + mix (0) would not add up to the change (2.0 -> 3.0); only values are shown.
    eng = engine(
        [
            ("2025-01-15", "ads", 1000.0, None, None),
            ("2025-01-15", "crm", None, None, 2000.0),
            ("2025-02-15", "ads", 1000.0, None, None),
            ("2025-02-15", "crm", None, None, 3000.0),
        ]
    )
    v = view(eng, "roas")
    assert v.kind == "other"
    assert v.rows == ()  # ads' own ROAS (0x) would mislead
    assert v.sentence == ("Return on ad spend: from 2× to 3× (+50.0%) against the previous period.")
    assert change_drivers_json(explain(eng, "roas", FEB, JAN))["kind"] == "other"  # type: ignore[index]


def test_no_previous_value_says_so() -> None:
    eng = engine([("2025-02-15", "ads", 100.0, 4.0, None)])
    assert view(eng, "cpl").sentence == (
        "Cost per lead: no value in the previous period, so there is nothing to compare."
    )


def test_kpi_page_shows_what_changed(tmp_path: object) -> None:
    from pathlib import Path

    from test_site_support import make_project

    from sitegen.pipeline.run import build_project

    tmp = Path(str(tmp_path))
    root = make_project(tmp / "p", goals=False, pages=False)
    build_project(root, tmp / "site")
    doc = (tmp / "site" / "data" / "kpis.json").read_text(encoding="utf-8")
    import json

    drivers = json.loads(doc)["kpis"]["cpl"]["change_drivers"]
    page = BeautifulSoup((tmp / "site" / "kpis" / "cpl.html").read_text("utf-8"), "html.parser")
    sec = page.select_one("section.what-changed")
    assert sec is not None
    assert sec.select_one("h2").get_text() == "What changed against the previous period"
    assert sec.select_one(".change-sentence").get_text().startswith("Cost per lead: from ")
    rows = sec.select("table.change-table tbody tr")
    assert [r["data-channel"] for r in rows] == [c["channel"] for c in drivers["channels"]]
    # The footer's change is the page's value minus the previous value (CPL 50 -> 25).
    assert drivers["previous"] == pytest.approx(50.0) and drivers["value"] == pytest.approx(25.0)
    assert sec.select_one("tfoot td:last-child").get_text() == "\u2212$25.00"


def test_a_percent_kpi_changes_by_percentage_points() -> None:
    # CTR 2.0 % -> 3.5 %: +1.5 percentage points, never "+1.5 %" (a relative change).
    fmt = formatter("ru", "RUB")

    assert signed(EN, 1.5, "percent") == "+1.5 pp"
    assert signed(fmt, -0.24, "percent", "ru") == "\u22120,2 п. п."
    assert signed(EN, 0.01, "percent") == "0.0 pp"  # too small to show: no sign
    assert signed(EN, -38.0, "currency") == "\u2212$38.00"
