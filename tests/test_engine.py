"""Exact numbers for the KPI engine: worked examples, ratio of sums, stocks, edge cases."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.errors import ConfigError, FormulaError
from sitegen.model.catalogue import CustomKpi, builtin, with_custom
from sitegen.model.engine import Engine
from sitegen.model.periods import Period, buckets

D = date.fromisoformat


def frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    metrics = sorted({k for r in rows for k in r} - {"date", "channel", "competitor"})
    data = {
        "date": [D(r["date"]) for r in rows],
        "channel": [r.get("channel", "main") for r in rows],
        "competitor": pl.Series([r.get("competitor") for r in rows], dtype=pl.Utf8),
    }
    for m in metrics:
        data[m] = pl.Series([r.get(m) for r in rows], dtype=pl.Float64)
    return pl.DataFrame(data)


def engine(rows: list[dict[str, Any]]) -> Engine:
    return Engine(frame(rows), builtin())


JAN = Period(D("2025-01-01"), D("2025-01-31"))


def test_worked_example_roi_and_roas() -> None:
    e = engine([{"date": "2025-01-10", "spend": 100_000.0, "revenue": 250_000.0}])
    assert e.value("roi", JAN) == 150.0
    assert e.value("roas", JAN) == 2.5


def test_worked_example_cpl() -> None:
    e = engine([{"date": "2025-01-10", "spend": 40_000.0, "leads": 80.0}])
    assert e.value("cpl", JAN) == 500.0


def test_worked_example_follower_growth() -> None:
    e = engine(
        [
            {"date": "2024-12-31", "followers": 3000.0},
            {"date": "2025-01-15", "followers": 3100.0},
            {"date": "2025-01-31", "followers": 3150.0},
        ]
    )
    assert e.value("follower_growth_rate", JAN) == 5.0


def test_ratio_of_sums_not_mean_of_daily_ratios() -> None:
    # Day 1: 1 click / 10 impressions (10 %); day 2: 99 clicks / 990 impressions... no:
    # day 2: 1 click / 1000 impressions (0.1 %). Mean of daily ratios = 5.05 %,
    # ratio of sums = 2 / 1010 = 0.198 %.
    e = engine(
        [
            {"date": "2025-01-01", "clicks": 1.0, "impressions": 10.0},
            {"date": "2025-01-02", "clicks": 1.0, "impressions": 1000.0},
        ]
    )
    assert e.value("ctr", JAN) == pytest.approx(2 / 1010 * 100)
    assert e.value("ctr", JAN) != pytest.approx((10.0 + 0.1) / 2)


def test_zero_and_missing_denominators_give_none() -> None:
    e = engine([{"date": "2025-01-01", "spend": 100.0, "leads": 0.0, "clicks": None}])
    assert e.value("cpl", JAN) is None
    assert e.value("cpc", JAN) is None  # clicks column exists but has no value
    assert e.value("cpm", JAN) is None  # impressions column absent
    assert e.missing_inputs("cpm") == ["impressions"]
    assert e.missing_inputs("cpc") == ["clicks"]


def test_no_data_in_period_is_none_not_zero() -> None:
    e = engine([{"date": "2025-01-01", "leads": 5.0}])
    assert e.value("leads", Period(D("2024-01-01"), D("2024-01-31"))) is None
    assert e.value("leads", JAN) == 5.0


def test_engagement_counts_missing_parts_as_absent() -> None:
    e = engine([{"date": "2025-01-01", "likes": 10.0, "comments": 2.0, "reach": 100.0}])
    assert e.value("engagement", JAN) == 12.0
    assert e.value("engagement_rate", JAN) == 12.0
    assert e.available("engagement")
    e2 = engine([{"date": "2025-01-01", "reach": 100.0}])
    assert not e2.available("engagement")
    assert e2.value("engagement", JAN) is None
    assert e2.missing_inputs("engagement_rate") == ["comments", "likes", "saves", "shares"]


def test_stocks_across_channels_and_periods() -> None:
    e = engine(
        [
            {"date": "2024-12-20", "channel": "vk", "followers": 900.0},
            {"date": "2025-01-05", "channel": "vk", "followers": 950.0},
            {"date": "2025-01-25", "channel": "vk", "followers": 1000.0},
            {"date": "2025-01-03", "channel": "ig", "followers": 2000.0},
            {"date": "2025-01-30", "channel": "ig", "followers": 2100.0},
        ]
    )
    assert e.value("followers", JAN, ["vk"]) == 1000.0
    assert e.value("followers", JAN) == 3100.0
    # Start: vk's last value before January (900), ig's first value in January (2000).
    assert e.value("follower_growth_rate", JAN) == pytest.approx((3100 - 2900) / 2900 * 100)
    assert e.value("follower_growth_rate", JAN, ["ig"]) == pytest.approx(5.0)
    # A stock is not summed over time.
    series = e.series("followers", "week", JAN, ["vk"])
    assert [v for _, v in series] == [950.0, None, None, 1000.0, None]


def test_mean_metric_is_averaged_over_rows() -> None:
    e = engine(
        [
            {"date": "2025-01-01", "channel": "a", "response_time": 10.0},
            {"date": "2025-01-02", "channel": "a", "response_time": 20.0},
            {"date": "2025-01-02", "channel": "b", "response_time": 60.0},
        ]
    )
    assert e.value("avg_response_time", JAN) == 30.0


def test_competitors_are_kept_apart() -> None:
    e = engine(
        [
            {"date": "2025-01-01", "likes": 10.0, "reach": 100.0},
            {"date": "2025-01-01", "competitor": "Rival", "likes": 50.0, "reach": 100.0},
        ]
    )
    assert e.competitors == ["Rival"]
    assert e.value("likes", JAN) == 10.0
    assert e.value("likes", JAN, competitor="Rival") == 50.0


def test_custom_kpi_and_nested_custom_kpis() -> None:
    cat = with_custom(
        builtin(),
        [
            CustomKpi("cost_per_save", "Cost per save", "spend / saves", "currency", "lower"),
            CustomKpi("double_cps", "x2", "cost_per_save * 2", "currency", "lower", index=1),
        ],
        "sitegen.toml",
    )
    e = Engine(frame([{"date": "2025-01-01", "spend": 90.0, "saves": 3.0}]), cat)
    assert e.value("cost_per_save", JAN) == 30.0
    assert e.value("double_cps", JAN) == 60.0


def test_custom_kpi_cycle_is_an_error() -> None:
    with pytest.raises(FormulaError, match="cycle: a -> b -> a"):
        with_custom(
            builtin(),
            [
                CustomKpi("a", "A", "b + 1", "count", "higher"),
                CustomKpi("b", "B", "a + 1", "count", "higher", index=1),
            ],
            "sitegen.toml",
        )


def test_custom_kpi_unknown_name_names_file_and_key() -> None:
    with pytest.raises(FormulaError) as info:
        with_custom(
            builtin(), [CustomKpi("x", "X", "spend / savez", "currency", "lower")], "sitegen.toml"
        )
    msg = str(info.value)
    assert msg.startswith("sitegen.toml [kpis[0] (x).formula]: unknown name 'savez'")
    assert "did you mean saves?" in msg


def test_custom_kpi_cannot_shadow_builtin() -> None:
    with pytest.raises(ConfigError, match="already a built-in"):
        with_custom(builtin(), [CustomKpi("ctr", "CTR", "clicks", "count", "higher")], "s.toml")


# --- properties ---------------------------------------------------------------------------

day_values = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=89),
        st.sampled_from(["a", "b", "c"]),
        st.integers(min_value=0, max_value=1000),
        st.integers(min_value=0, max_value=1000),
    ),
    min_size=1,
    max_size=40,
    unique_by=lambda t: (t[0], t[1]),
)
Q1 = Period(D("2025-01-01"), D("2025-03-31"))


def _from(rows: list[tuple[int, str, int, int]]) -> Engine:
    return engine(
        [
            {
                "date": (D("2025-01-01") + timedelta(days=d)).isoformat(),
                "channel": ch,
                "clicks": float(c),
                "impressions": float(i),
                "spend": float(c + i),
                "leads": float(c % 7),
            }
            for d, ch, c, i in rows
        ]
    )


@settings(max_examples=60, deadline=None)
@given(day_values)
def test_flow_total_equals_sum_of_channels(rows: list[tuple[int, str, int, int]]) -> None:
    e = _from(rows)
    total = e.value("clicks", Q1)
    parts = [e.value("clicks", Q1, [ch]) for ch in e.channels]
    assert total == sum(p for p in parts if p is not None)


@settings(max_examples=60, deadline=None)
@given(day_values)
def test_months_recombine_to_the_period_for_ratio_kpis(
    rows: list[tuple[int, str, int, int]],
) -> None:
    e = _from(rows)
    for kpi, num, den, scale in (
        ("ctr", "clicks", "impressions", 100.0),
        ("cpc", "spend", "clicks", 1.0),
        ("cpl", "spend", "leads", 1.0),
    ):
        months = buckets(Q1, "month")
        nums = [e.value(num, b.period) for b in months]
        dens = [e.value(den, b.period) for b in months]
        n = sum(x for x in nums if x is not None)
        d = sum(x for x in dens if x is not None)
        expected = None if d == 0 else n / d * scale
        got = e.value(kpi, Q1)
        if expected is None:
            assert got is None
        else:
            assert got == pytest.approx(expected)
