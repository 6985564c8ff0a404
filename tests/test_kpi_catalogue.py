"""Every built-in KPI pinned with hand-computed numbers over two days and two channels."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from sitegen.model.catalogue import FAMILIES, UNITS, builtin
from sitegen.model.engine import Engine
from sitegen.model.periods import Period

D = date.fromisoformat
JAN = Period(D("2025-01-01"), D("2025-01-31"))

# Two channels, two days each. Flows add up; followers is a stock (start = last value
# before January: 1000 + 500 on 2024-12-31).
ROWS = {
    "date": [
        D("2024-12-31"),
        D("2024-12-31"),
        D("2025-01-10"),
        D("2025-01-20"),
        D("2025-01-10"),
        D("2025-01-20"),
    ],
    "channel": ["a", "b", "a", "a", "b", "b"],
    "followers": [1000.0, 500.0, 1050.0, 1100.0, 520.0, 550.0],
    "impressions": [None, None, 4000.0, 6000.0, 3000.0, 7000.0],  # 20000
    "reach": [None, None, 2000.0, 3000.0, 1000.0, 2000.0],  # 8000
    "likes": [None, None, 100.0, 150.0, 50.0, 100.0],  # 400
    "comments": [None, None, 10.0, 20.0, 5.0, 5.0],  # 40
    "shares": [None, None, 5.0, 5.0, 5.0, 5.0],  # 20
    "saves": [None, None, 10.0, 10.0, 10.0, 10.0],  # 40  -> engagement 500
    "posts": [None, None, 2.0, 3.0, 1.0, 4.0],  # 10
    "new_followers": [None, None, 60.0, 60.0, 25.0, 35.0],  # 180
    "unfollows": [None, None, 5.0, 5.0, 3.0, 2.0],  # 15
    "clicks": [None, None, 100.0, 150.0, 50.0, 100.0],  # 400
    "conversions": [None, None, 4.0, 6.0, 2.0, 8.0],  # 20
    "sessions": [None, None, 300.0, 200.0, 250.0, 250.0],  # 1000
    "bounces": [None, None, 120.0, 80.0, 100.0, 100.0],  # 400
    "leads": [None, None, 10.0, 10.0, 5.0, 15.0],  # 40
    "customers": [None, None, 1.0, 2.0, 1.0, 1.0],  # 5
    "orders": [None, None, 3.0, 2.0, 2.0, 3.0],  # 10
    "revenue": [None, None, 3000.0, 2000.0, 2500.0, 2500.0],  # 10000
    "spend": [None, None, 1000.0, 1000.0, 1000.0, 1000.0],  # 4000
    "mentions": [None, None, 30.0, 30.0, 20.0, 20.0],  # 100
    "competitor_mentions": [None, None, 100.0, 100.0, 100.0, 0.0],  # 300
    "positive_mentions": [None, None, 20.0, 20.0, 10.0, 10.0],  # 60
    "neutral_mentions": [None, None, 5.0, 5.0, 5.0, 5.0],  # 20
    "negative_mentions": [None, None, 5.0, 5.0, 5.0, 5.0],  # 20
    "messages": [None, None, 20.0, 20.0, 5.0, 5.0],  # 50
    "responses": [None, None, 18.0, 18.0, 4.0, 5.0],  # 45
    "response_time": [None, None, 10.0, 20.0, 30.0, 60.0],  # mean 30
    "survey_responses": [None, None, 10.0, 10.0, 10.0, 10.0],  # 40
    "satisfied": [None, None, 8.0, 9.0, 7.0, 6.0],  # 30
    "promoters": [None, None, 6.0, 6.0, 4.0, 4.0],  # 20
    "passives": [None, None, 3.0, 3.0, 2.0, 2.0],  # 10
    "detractors": [None, None, 1.0, 1.0, 4.0, 4.0],  # 10
    "video_views": [None, None, 400.0, 600.0, 500.0, 500.0],  # 2000
}

# Average daily followers in January, each day taking the last value on or before it:
# a: 1000 x 9 days (1-9) + 1050 x 10 (10-19) + 1100 x 12 (20-31) = 32700
# b:  500 x 9          +  520 x 10          +  550 x 12          = 16300
AVG_FOLLOWERS = (32700 + 16300) / 31  # 1580.645...

EXPECTED = {
    "engagement": 500.0,
    "engagement_rate": 500 / 8000 * 100,  # 6.25
    # Per post over the average daily followers (avg_followers above): 500 / 10 posts = 50.
    "engagement_rate_followers": 50 / AVG_FOLLOWERS * 100,  # 3.1632...
    "engagement_per_post": 50.0,
    "follower_growth_rate": (1650 - 1500) / 1500 * 100,  # 10.0
    "net_follower_growth": 165.0,
    "new_follower_rate": 180 / 1500 * 100,  # 12.0
    "unfollow_rate": 15 / 1500 * 100,  # 1.0
    "amplification_rate": 20 / 10 / AVG_FOLLOWERS * 100,  # 2 shares a post: 0.12653...
    "virality_rate": 20 / 20000 * 100,  # 0.1
    "ctr": 400 / 20000 * 100,  # 2.0
    "conversion_rate": 20 / 400 * 100,  # 5.0
    "bounce_rate": 40.0,
    "lead_conversion_rate": 5 / 40 * 100,  # 12.5
    "cpc": 10.0,
    "cpm": 4000 / 20000 * 1000,  # 200
    "cpl": 100.0,
    "cac": 800.0,
    "cost_per_follower": 4000 / 180,
    "roi": (10000 - 4000) / 4000 * 100,  # 150
    "roas": 2.5,
    "aov": 1000.0,
    "share_of_voice": 25.0,
    "sentiment_score": (60 - 20) / 100 * 100,  # 40
    "response_rate": 90.0,
    "avg_response_time": 30.0,
    "csat": 75.0,
    "nps": (20 - 10) / 40 * 100,  # 25
    "video_view_rate": 10.0,
}


@pytest.fixture(scope="module")
def engine() -> Engine:
    data = dict(ROWS)
    data["competitor"] = pl.Series([None] * 6, dtype=pl.Utf8)
    return Engine(pl.DataFrame(data), builtin())


def test_every_builtin_kpi_is_pinned() -> None:
    assert set(EXPECTED) == set(builtin().kpis)


@pytest.mark.parametrize("kpi", sorted(EXPECTED))
def test_builtin_kpi_value(engine: Engine, kpi: str) -> None:
    assert engine.value(kpi, JAN) == pytest.approx(EXPECTED[kpi], rel=1e-12)


def test_channel_values(engine: Engine) -> None:
    assert engine.value("ctr", JAN, ["a"]) == pytest.approx(250 / 10000 * 100)
    assert engine.value("ctr", JAN, ["b"]) == pytest.approx(150 / 10000 * 100)
    assert engine.value("share_of_voice", JAN, ["b"]) == pytest.approx(40 / 140 * 100)
    assert engine.value("followers", JAN, ["b"]) == 550.0


def test_catalogue_is_well_formed() -> None:
    cat = builtin()
    known = cat.known()
    for k in cat.kpis.values():
        k.formula.check_names(known)
        assert k.unit in UNITS
        assert k.better in ("higher", "lower")
        assert k.family in FAMILIES
        for loc in ("en", "ru", "lv"):
            assert k.label(loc) and k.labels.get(loc), (k.id, loc)
            assert k.definitions.get(loc), (k.id, loc)
    for m in cat.metrics.values():
        for loc in ("en", "ru", "lv"):
            assert m.labels.get(loc), (m.id, loc)


def test_seed_example_lower_is_better_kpis() -> None:
    cat = builtin()
    assert {k for k, d in cat.kpis.items() if d.better == "lower"} == {
        "unfollow_rate",
        "bounce_rate",
        "cpc",
        "cpm",
        "cpl",
        "cac",
        "cost_per_follower",
        "avg_response_time",
    }
