"""avg(stock) in the engine and the per-post follower rates built on it (docs/kpis.md)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from sitegen.model.catalogue import builtin
from sitegen.model.engine import Engine
from sitegen.model.periods import Period

D = date.fromisoformat
APRIL = Period(D("2025-04-01"), D("2025-04-30"))  # 30 days


def _engine(rows: dict[str, list[object]]) -> Engine:
    data = dict(rows)
    data["competitor"] = pl.Series([None] * len(rows["date"]), dtype=pl.Utf8)
    return Engine(pl.DataFrame(data), builtin())


# docs/kpis.md's worked example: 10,000 followers on 31 March, 11,000 from 16 April; 12 posts
# in April with 1,500 likes, comments, shares and saves in all (60 of them shares).
WORKED = {
    "date": [D("2025-03-31"), D("2025-04-16"), D("2025-04-05"), D("2025-04-20")],
    "channel": ["instagram"] * 4,
    "followers": [10000.0, 11000.0, None, None],
    "posts": [None, None, 6.0, 6.0],
    "likes": [None, None, 700.0, 600.0],
    "comments": [None, None, 50.0, 50.0],
    "shares": [None, None, 30.0, 30.0],
    "saves": [None, None, 20.0, 20.0],
}


def test_worked_example_of_the_per_post_rates() -> None:
    eng = _engine(WORKED)
    # Average followers: 10,000 x 15 days (1-15) + 11,000 x 15 days (16-30) = 315,000 / 30
    assert eng.value("engagement", APRIL) == 1500.0  # 1,300 + 100 + 60 + 40
    avg = (10000 * 15 + 11000 * 15) / 30  # 10,500
    # 1,500 / 12 posts = 125 a post; 125 / 10,500 x 100 = 1.1905 %
    assert eng.value("engagement_rate_followers", APRIL) == pytest.approx(125 / avg * 100)
    assert eng.value("engagement_rate_followers", APRIL) == pytest.approx(1.19047619)
    # 60 shares / 12 posts = 5 a post; 5 / 10,500 x 100 = 0.0476 %
    assert eng.value("amplification_rate", APRIL) == pytest.approx(5 / avg * 100)


def test_rate_does_not_grow_with_the_length_of_the_period() -> None:
    # Same pace every month: 3 posts and 300 engagement a month, 1,000 followers throughout.
    months = [D(f"2025-{m:02d}-10") for m in range(1, 11)]
    eng = _engine(
        {
            "date": [D("2024-12-31"), *months],
            "channel": ["vk"] * 11,
            "followers": [1000.0] + [None] * 10,
            "posts": [None] + [3.0] * 10,
            "likes": [None] + [300.0] * 10,
        }
    )
    jan = Period(D("2025-01-01"), D("2025-01-31"))
    ten = Period(D("2025-01-01"), D("2025-10-31"))
    # 300 / 3 = 100 a post over 1,000 followers = 10 %, for one month and for ten months
    # (the old "engagement / followers" read 300 % over ten months).
    assert eng.value("engagement_rate_followers", jan) == pytest.approx(10.0)
    assert eng.value("engagement_rate_followers", ten) == pytest.approx(10.0)


def test_average_of_a_stock_over_channels_and_gaps() -> None:
    eng = _engine(
        {
            "date": [D("2025-04-11"), D("2025-04-21"), D("2025-05-02")],
            "channel": ["a", "a", "b"],
            "followers": [100.0, 200.0, 999.0],
            "posts": [1.0, None, None],
            "likes": [10.0, None, None],
        }
    )
    # a: no value before 11 April, so days 1-10 take the first value: 100 x 20 + 200 x 10
    # = 4,000 / 30 = 133.33; b's first value is after April, so b is left out.
    # engagement 10 / 1 post / 133.33 x 100 = 7.5 %
    assert eng.value("engagement_rate_followers", APRIL) == pytest.approx(10 / (4000 / 30) * 100)


def test_per_post_rates_are_unavailable_without_posts() -> None:
    rows = {k: v for k, v in WORKED.items() if k != "posts"}
    eng = _engine(rows)
    assert eng.missing_inputs("engagement_rate_followers") == ["posts"]
    assert eng.missing_inputs("amplification_rate") == ["posts"]
    assert not eng.available("engagement_rate_followers")
