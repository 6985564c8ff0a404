"""Competitor benchmarking with hand-computed numbers (sitegen.model.cases.competitors)."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

from sitegen.model.cases import compare_competitors
from sitegen.model.cases.competitors import common_window, engagement_basis, missing_inputs, rank
from sitegen.model.catalogue import builtin
from sitegen.model.engine import Engine
from sitegen.model.periods import Period

D = date.fromisoformat


def frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    metrics = sorted({k for r in rows for k in r} - {"date", "channel", "competitor"})
    data: dict[str, Any] = {
        "date": [D(r["date"]) for r in rows],
        "channel": [r.get("channel", "ig") for r in rows],
        "competitor": pl.Series([r.get("competitor") for r in rows], dtype=pl.Utf8),
    }
    for m in metrics:
        data[m] = pl.Series([r.get(m) for r in rows], dtype=pl.Float64)
    return pl.DataFrame(data)


TWO_WEEKS = Period(D("2025-01-01"), D("2025-01-14"))

# Client: followers 1000 -> 1100 (+10 %), engagement 30 + 20 = 50, 4 posts, 80 mentions.
# Rival A: followers 2000 -> 2100 (+5 %), engagement 110, 14 posts, 20 mentions, no reach.
# Rival B: no followers and no mentions; engagement 10 on reach 1000, 1 post.
ROWS: list[dict[str, Any]] = [
    {
        "date": "2025-01-01",
        "followers": 1000.0,
        "likes": 30.0,
        "posts": 2.0,
        "mentions": 60.0,
        "reach": 1000.0,
    },
    {
        "date": "2025-01-14",
        "followers": 1100.0,
        "likes": 20.0,
        "posts": 2.0,
        "mentions": 20.0,
        "reach": 1000.0,
    },
    {
        "date": "2025-01-01",
        "competitor": "Rival A",
        "followers": 2000.0,
        "likes": 100.0,
        "posts": 7.0,
        "mentions": 20.0,
    },
    {
        "date": "2025-01-14",
        "competitor": "Rival A",
        "followers": 2100.0,
        "likes": 10.0,
        "posts": 7.0,
    },
    {"date": "2025-01-01", "competitor": "Rival B", "likes": 5.0, "reach": 500.0, "posts": 1.0},
    {"date": "2025-01-14", "competitor": "Rival B", "likes": 5.0, "reach": 500.0},
]


def compare(rows: list[dict[str, Any]] = ROWS, period: Period = TWO_WEEKS) -> Any:
    return compare_competitors(Engine(frame(rows), builtin()), period, "Acme")


def test_side_by_side_values() -> None:
    comp = compare()
    by = {b.name: b for b in comp.brands}
    acme, a, b = by["Acme"], by["Rival A"], by["Rival B"]
    assert acme.client and not a.client
    assert acme.values["followers"] == 1100.0
    assert acme.values["follower_growth"] == pytest.approx(10.0)
    assert acme.values["posts_per_week"] == pytest.approx(2.0)  # 4 posts / 14 days x 7
    assert a.values["followers"] == 2100.0
    assert a.values["follower_growth"] == pytest.approx(5.0)
    assert a.values["posts_per_week"] == pytest.approx(7.0)
    assert b.values["posts_per_week"] == pytest.approx(0.5)
    # Share of voice: 80 and 20 mentions of 100; Rival B has no mention data.
    assert acme.values["share_of_voice"] == pytest.approx(80.0)
    assert a.values["share_of_voice"] == pytest.approx(20.0)
    assert b.values["share_of_voice"] is None


def test_a_competitor_missing_metrics_is_shown_without_them() -> None:
    comp = compare()
    b = next(x for x in comp.brands if x.name == "Rival B")
    assert b.values["followers"] is None and b.values["follower_growth"] is None
    assert b.missing == {
        "followers": ["followers"],
        "follower_growth": ["followers"],
        "share_of_voice": ["mentions"],
    }
    assert b.ranks["followers"] is None
    js = comp.to_json()["brands"]
    assert js[-1]["name"] == "Rival B" and js[-1]["followers"] is None
    assert js[-1]["missing"]["share_of_voice"] == ["mentions"]


def test_engagement_rate_basis_is_common_or_said_to_be_mixed() -> None:
    # Rival B has no followers and Rival A no reach: no basis every brand allows.
    comp = compare()
    by = {b.name: b for b in comp.brands}
    assert comp.engagement_basis == "mixed"
    assert by["Acme"].engagement_basis == "followers"
    # Per follower and per week: engagement / followers at the end x 100, x 7 / 14 days.
    assert by["Acme"].values["engagement_rate"] == pytest.approx(50 / 1100 * 100 / 2)
    assert by["Rival A"].values["engagement_rate"] == pytest.approx(110 / 2100 * 100 / 2)
    assert by["Rival B"].engagement_basis == "reach"
    assert by["Rival B"].values["engagement_rate"] == pytest.approx(10 / 1000 * 100)
    assert "engagement_rate" not in by["Acme"].ranks  # rates on other bases are not ranked
    # Without Rival B every brand has followers: one basis, ranked.
    two = compare([r for r in ROWS if r.get("competitor") != "Rival B"])
    assert two.engagement_basis == "followers"
    assert {b.name: b.ranks["engagement_rate"] for b in two.brands} == {"Rival A": 1, "Acme": 2}


def test_ranking_table_order() -> None:
    comp = compare()
    by = {b.name: b for b in comp.brands}
    assert by["Acme"].ranks == {
        "followers": 2,
        "follower_growth": 1,
        "posts_per_week": 2,
        "share_of_voice": 1,
    }
    assert by["Rival A"].ranks == {
        "followers": 1,
        "follower_growth": 2,
        "posts_per_week": 1,
        "share_of_voice": 2,
    }
    # Average ranks 1.5, 1.5 and 3: a tie shares rank 1, then by name.
    assert [(b.name, b.overall_rank) for b in comp.brands] == [
        ("Acme", 1),
        ("Rival A", 1),
        ("Rival B", 3),
    ]


def test_brands_are_compared_over_the_window_all_their_data_covers() -> None:
    late = [
        dict(r, date="2025-01-08")
        if r.get("competitor") == "Rival A" and r["date"] == "2025-01-01"
        else r
        for r in ROWS
    ]
    comp = compare(late)
    assert comp.window == Period(D("2025-01-08"), D("2025-01-14"))
    acme = next(b for b in comp.brands if b.client)
    # In Jan 8-14 the client has one row: 2 posts in 7 days, 20 mentions of 20 + 20.
    assert acme.values["posts_per_week"] == pytest.approx(2.0)
    assert acme.values["share_of_voice"] == pytest.approx(50.0)
    assert comp.to_json()["window"] == {"start": "2025-01-08", "end": "2025-01-14"}


def test_no_competitors_no_comparison() -> None:
    assert compare([r for r in ROWS if "competitor" not in r]) is None


def test_helpers() -> None:
    assert rank({"a": 3.0, "b": 3.0, "c": 1.0, "d": None}) == {"a": 1, "b": 1, "c": 3, "d": None}
    assert common_window(TWO_WEEKS, [Period(D("2024-12-01"), D("2025-01-10"))]) == Period(
        D("2025-01-01"), D("2025-01-10")
    )
    assert common_window(TWO_WEEKS, [Period(D("2025-02-01"), D("2025-02-10"))]) == TWO_WEEKS
    assert engagement_basis({"x": {"followers": False, "reach": False}}) == (None, {"x": None})
    present = {"likes", "reach"}
    assert missing_inputs(builtin(), "engagement_rate", present) == []
    assert missing_inputs(builtin(), "engagement_rate_followers", present) == ["followers", "posts"]
    assert missing_inputs(builtin(), "engagement", set()) == [
        "comments",
        "likes",
        "saves",
        "shares",
    ]
