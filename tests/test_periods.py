from __future__ import annotations

from datetime import date

import pytest

from sitegen.model.periods import Period, buckets, previous_period, year_ago


def p(a: str, b: str) -> Period:
    return Period(date.fromisoformat(a), date.fromisoformat(b))


def test_previous_period_whole_months() -> None:
    assert previous_period(p("2025-04-01", "2025-06-30")) == p("2025-01-01", "2025-03-31")
    assert previous_period(p("2025-01-01", "2025-12-31")) == p("2024-01-01", "2024-12-31")
    assert previous_period(p("2025-03-01", "2025-03-31")) == p("2025-02-01", "2025-02-28")


def test_previous_period_days() -> None:
    assert previous_period(p("2025-04-10", "2025-04-19")) == p("2025-03-31", "2025-04-09")
    # Not whole months (starts mid-month): same number of days right before.
    assert previous_period(p("2025-03-15", "2025-03-31")) == p("2025-02-26", "2025-03-14")


def test_year_ago_keeps_month_ends() -> None:
    assert year_ago(p("2024-02-01", "2024-02-29")) == p("2023-02-01", "2023-02-28")
    assert year_ago(p("2025-02-01", "2025-02-28")) == p("2024-02-01", "2024-02-29")
    assert year_ago(p("2025-03-10", "2025-03-20")) == p("2024-03-10", "2024-03-20")


def test_buckets_flag_partial_edges() -> None:
    bs = buckets(p("2025-01-15", "2025-03-10"), "month")
    assert [b.label for b in bs] == ["2025-01", "2025-02", "2025-03"]
    assert [b.partial for b in bs] == [True, False, True]
    assert bs[0].period == p("2025-01-15", "2025-01-31")
    weeks = buckets(p("2025-01-01", "2025-01-12"), "week")
    assert [w.label for w in weeks] == ["2025-W01", "2025-W02"]
    assert weeks[0].full == p("2024-12-30", "2025-01-05")
    assert [b.label for b in buckets(p("2025-01-01", "2025-12-31"), "quarter")] == [
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
    ]


def test_end_before_start_is_rejected() -> None:
    with pytest.raises(ValueError):
        p("2025-02-01", "2025-01-01")
