"""Period totals in the engine: served only for periods containing theirs, never spread."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import polars as pl

from sitegen.model.catalogue import builtin
from sitegen.model.engine import Engine
from sitegen.model.periods import Period

D = date.fromisoformat
MARCH = Period(D("2026-03-01"), D("2026-03-31"))
Q1 = Period(D("2026-01-01"), D("2026-03-31"))
FIRST_HALF_OF_MARCH = Period(D("2026-03-01"), D("2026-03-15"))


def daily(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "date": [D(r["date"]) for r in rows],
            "channel": [r["channel"] for r in rows],
            "competitor": pl.Series([None] * len(rows), dtype=pl.Utf8),
            "clicks": pl.Series([r.get("clicks") for r in rows], dtype=pl.Float64),
            "impressions": pl.Series([r.get("impressions") for r in rows], dtype=pl.Float64),
        }
    )


def totals(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "start": [D(r["start"]) for r in rows],
            "end": [D(r["end"]) for r in rows],
            "channel": [r["channel"] for r in rows],
            "competitor": pl.Series([None] * len(rows), dtype=pl.Utf8),
            "clicks": pl.Series([r.get("clicks") for r in rows], dtype=pl.Float64),
            "impressions": pl.Series([r.get("impressions") for r in rows], dtype=pl.Float64),
            "spend": pl.Series([r.get("spend") for r in rows], dtype=pl.Float64),
        }
    )


# Facebook: 10 clicks and 200 impressions a day, every day of March 2026 (31 days).
FB = daily(
    [
        {
            "date": str(D("2026-03-01") + timedelta(days=i)),
            "channel": "facebook",
            "clicks": 10.0,
            "impressions": 200.0,
        }
        for i in range(31)
    ]
)
# Yandex.Direct: one total for March 2026.
YD = totals(
    [
        {
            "start": "2026-03-01",
            "end": "2026-03-31",
            "channel": "yandex-direct",
            "clicks": 70.0,
            "impressions": 1500.0,
            "spend": 3500.5,
        }
    ]
)


def engine() -> Engine:
    return Engine(FB, builtin(), YD)


def test_a_period_containing_the_total_adds_it_to_the_daily_rows() -> None:
    e = engine()
    assert e.channels == ["facebook", "yandex-direct"]
    assert e.span == MARCH
    # 31 x 10 = 310 Facebook clicks + 70 Yandex clicks = 380
    assert e.value("clicks", MARCH) == 380.0
    assert e.value("clicks", Q1) == 380.0  # the quarter contains March too
    # CTR is a ratio of sums: 380 / (31 x 200 + 1500 = 7700) x 100
    assert e.value("ctr", MARCH) == 380.0 / 7700.0 * 100
    assert e.value("spend", MARCH, ["yandex-direct"]) == 3500.5
    # CPC from the total alone: 3500.5 / 70 = 50.0071...
    assert e.value("cpc", MARCH, ["yandex-direct"]) == 3500.5 / 70.0
    assert e.total_periods("ctr", MARCH) == (MARCH,)
    assert e.total_periods("ctr", MARCH, ["facebook"]) == ()


def test_a_period_that_cuts_the_total_has_no_value_for_it_never_a_share() -> None:
    e = engine()
    # The channel alone: unavailable (None), not zero and not 70 x 15/31.
    assert e.value("clicks", FIRST_HALF_OF_MARCH, ["yandex-direct"]) is None
    assert e.value("spend", FIRST_HALF_OF_MARCH) is None
    # All channels: clicks cannot be known for half of March either.
    assert e.value("clicks", FIRST_HALF_OF_MARCH) is None
    # Facebook alone is untouched: 15 x 10 = 150
    assert e.value("clicks", FIRST_HALF_OF_MARCH, ["facebook"]) == 150.0
    assert e.total_periods("clicks", FIRST_HALF_OF_MARCH) == ()
    # A period without any overlap just has no Yandex rows: February is Facebook-less too.
    assert e.value("clicks", Period(D("2026-02-01"), D("2026-02-28"))) is None


def test_buckets_take_a_total_only_when_they_contain_its_period() -> None:
    e = engine()
    months = e.series("clicks", "month", Q1)
    # January and February have no rows; March: 310 + 70 = 380
    assert [v for _, v in months] == [None, None, 380.0]
    weeks = e.series("clicks", "week", MARCH, ["yandex-direct"])
    assert all(v is None for _, v in weeks)  # never spread over the weeks
    fb_weeks = e.series("clicks", "week", MARCH)
    # The first bucket is Sunday 1 March alone (weeks start on Monday): 1 x 10 Facebook clicks,
    # the Yandex total left out of every week.
    assert fb_weeks[0][1] == 10.0
    assert sum(v or 0.0 for _, v in fb_weeks) == 310.0


def test_a_month_point_holds_only_totals_that_cover_the_month() -> None:
    two_days = totals(
        [{"start": "2026-01-20", "end": "2026-01-21", "channel": "google-ads", "clicks": 9.0}]
    )
    e = Engine(FB, builtin(), two_days)
    # The report period (Q1) contains the two days: 310 Facebook clicks + 9 = 319
    assert e.value("clicks", Q1) == 319.0
    # ... but no month's point is two days' worth: January has no value, March only Facebook.
    assert [v for _, v in e.series("clicks", "month", Q1)] == [None, None, 310.0]
    assert [v for _, v in e.series("clicks", "month", Q1, ["google-ads"])] == [None] * 3
    # Three monthly totals tile the quarter: the quarter's point adds them (1 + 2 + 3 = 6).
    months = totals(
        [
            {"start": "2026-01-01", "end": "2026-01-31", "channel": "x", "clicks": 1.0},
            {"start": "2026-02-01", "end": "2026-02-28", "channel": "x", "clicks": 2.0},
            {"start": "2026-03-01", "end": "2026-03-31", "channel": "x", "clicks": 3.0},
        ]
    )
    e = Engine(FB, builtin(), months)
    assert e.series("clicks", "quarter", Q1, ["x"])[0][1] == 6.0
    assert [v for _, v in e.series("clicks", "month", Q1, ["x"])] == [1.0, 2.0, 3.0]


def test_two_totals_inside_one_period_add_up() -> None:
    two = totals(
        [
            {"start": "2026-03-01", "end": "2026-03-15", "channel": "google-ads", "clicks": 4.0},
            {"start": "2026-03-16", "end": "2026-03-31", "channel": "google-ads", "clicks": 6.0},
        ]
    )
    e = Engine(FB, builtin(), two)
    assert e.value("clicks", MARCH, ["google-ads"]) == 10.0  # 4 + 6
    assert e.value("clicks", FIRST_HALF_OF_MARCH, ["google-ads"]) == 4.0
    assert e.total_periods("clicks", MARCH) == (
        Period(D("2026-03-01"), D("2026-03-15")),
        Period(D("2026-03-16"), D("2026-03-31")),
    )


def test_an_engine_of_totals_alone_has_a_span_and_the_metrics() -> None:
    e = Engine(daily([]), builtin(), YD)
    assert e.span == MARCH
    assert e.available("cpc")
    assert e.value("cpm", MARCH) == 3500.5 / 1500.0 * 1000


def test_a_stock_total_is_the_last_value_and_never_doubles_a_daily_stock() -> None:
    days = pl.DataFrame(
        {
            "date": [D("2026-03-30"), D("2026-03-31")],
            "channel": ["facebook", "facebook"],
            "competitor": pl.Series([None, None], dtype=pl.Utf8),
            "followers": [990.0, 1000.0],
        }
    )
    stock = pl.DataFrame(
        {
            "start": [D("2026-02-01"), D("2026-03-01"), D("2026-03-01")],
            "end": [D("2026-02-28"), D("2026-03-31"), D("2026-03-31")],
            "channel": ["youtube", "youtube", "facebook"],
            "competitor": pl.Series([None, None, None], dtype=pl.Utf8),
            "followers": [400.0, 500.0, 7777.0],
        }
    )
    e = Engine(days, builtin(), stock)
    # facebook's daily 1000 (its 7777 total is not added on top) + youtube's March 500 = 1500
    assert e.value("followers", MARCH) == 1500.0
    # youtube alone: start 400 (February's total, before March), end 500: growth 25 %
    assert e.value("follower_growth_rate", MARCH, ["youtube"]) == (500.0 - 400.0) / 400.0 * 100
