"""Reverse-funnel plans (seed 004): implied funnel, rounding, actual monthly funnel."""

from __future__ import annotations

from datetime import date

import pytest
from test_goals_support import FakeEngine, engine

from sitegen.errors import GoalError
from sitegen.model.goals import evaluate_plans, implied_funnel
from sitegen.model.periods import Period
from sitegen.model.specs import PlanSpec

Q1 = Period(date(2025, 1, 1), date(2025, 3, 31))


def plan(**kw: float | str | None) -> PlanSpec:
    values: dict[str, object] = {
        "id": "kitchens",
        "title": "Kitchens",
        "revenue_target": 800000.0,
        "average_order": 80000.0,
        "lead_to_customer": 0.10,
        "budget": 40000.0,
    } | kw
    return PlanSpec(**values)  # type: ignore[arg-type]


def test_seed_004_reverse_funnel() -> None:
    # 800 000 / 80 000 = 10 customers; 10 / 10 % = 100 leads; 40 000 / 100 = 400 per lead
    # (the article's "80 leads, 500 per lead" is an arithmetic slip).
    assert implied_funnel(plan()) == (10.0, 10, 100.0, 100, 400.0)


def test_fractional_people_are_rounded_up_and_leads_follow_whole_customers() -> None:
    # 850 000 / 80 000 = 10.625 -> 11 customers -> 110 leads -> 40 000 / 110 per lead
    *head, ceiling = implied_funnel(plan(revenue_target=850000.0))
    assert head == [10.625, 11, 110.0, 110]
    assert ceiling == pytest.approx(40000 / 110)
    # 3 / 0.1 is 30.000000000000004 in floating point: still 30 leads, not 31
    _, customers, _, leads, _ = implied_funnel(plan(revenue_target=240000.0))
    assert (customers, leads) == (3, 30)
    assert implied_funnel(plan(budget=None))[4] is None


def funnel_engine() -> FakeEngine:
    return engine(
        revenue={"2025-01": 640000, "2025-02": 800000, "2025-03": 300000},
        customers={"2025-01": 8, "2025-02": 10, "2025-03": 4},
        leads={"2025-01": 90, "2025-02": 100, "2025-03": 50},
        spend={"2025-01": 40000, "2025-02": 45000, "2025-03": 20000},
    )


def test_actual_funnel_per_month_and_the_step_that_falls_short() -> None:
    [r] = evaluate_plans([plan()], funnel_engine(), as_of=date(2025, 3, 15), period=Q1)
    assert (r.customers, r.leads, r.cpl_ceiling) == (10, 100, 400.0)
    jan, feb, mar = r.months
    assert jan.values["revenue"] == 640000.0 and jan.values["leads"] == 90.0
    assert jan.values["cpl"] == pytest.approx(40000 / 90)
    assert jan.values["lead_conversion_rate"] == pytest.approx(8 / 90 * 100)
    assert jan.short == ["revenue", "customers", "leads", "cpl"]
    # February makes the revenue, customers and leads, but 45 000 / 100 = 450 per lead
    # is above the 400 ceiling and the spend is above the budget.
    assert feb.short == ["cpl", "budget"]
    assert feb.meets == {
        "revenue": True,
        "customers": True,
        "leads": True,
        "cpl": False,
        "budget": False,
    }
    # March is not over on the 15th: no verdict.
    assert mar.complete is False and mar.short == [] and mar.meets["revenue"] is None
    assert r.latest is feb
    assert r.shortfall == "cpl"


def test_first_shortfall_is_named_in_funnel_order() -> None:
    [r] = evaluate_plans([plan()], funnel_engine(), as_of=date(2025, 1, 31), period=Q1)
    assert r.latest is r.months[0]
    assert r.shortfall == "revenue"


def test_missing_funnel_columns_give_no_value_and_no_verdict() -> None:
    e = engine(leads={"2025-01": 120})
    [r] = evaluate_plans([plan()], e, as_of=date(2025, 3, 31), period=Q1)
    jan = r.months[0]
    assert jan.values == {
        "revenue": None,
        "customers": None,
        "leads": 120.0,
        "spend": None,
        "cpl": None,
        "lead_conversion_rate": None,
    }
    assert jan.meets["revenue"] is None and jan.meets["leads"] is True
    assert r.shortfall is None


def test_partial_first_month_of_the_period_is_not_complete() -> None:
    period = Period(date(2025, 1, 15), date(2025, 2, 28))
    [r] = evaluate_plans([plan()], funnel_engine(), as_of=date(2025, 2, 28), period=period)
    assert [(m.period, m.complete) for m in r.months] == [
        (Period(date(2025, 1, 15), date(2025, 1, 31)), False),
        (Period(date(2025, 2, 1), date(2025, 2, 28)), True),
    ]


def test_plan_channel_must_be_in_the_data() -> None:
    with pytest.raises(GoalError) as exc:
        evaluate_plans(
            [plan(channel="facebok")], funnel_engine(), as_of=date(2025, 3, 31), period=Q1
        )
    assert str(exc.value) == (
        "goals.toml [plans[0] (kitchens).channel]: plan \"kitchens\": channel 'facebok' is not "
        "in the data\n"
        "  expected: one of: instagram\n"
        "  found:    'facebok'"
    )


def test_plan_to_json() -> None:
    [r] = evaluate_plans([plan()], funnel_engine(), as_of=date(2025, 3, 15), period=Q1)
    doc = r.to_json()
    assert list(doc)[:4] == ["title", "customers", "leads", "cpl_ceiling"]
    assert (doc["title"], doc["customers"], doc["leads"], doc["cpl_ceiling"]) == (
        "Kitchens",
        10,
        100,
        400.0,
    )
    assert (doc["shortfall"], doc["latest_month"], doc["rounded"]) == ("cpl", "2025-02", False)
    assert doc["months"][1]["period"] == "2025-02"
    assert doc["months"][1]["short"] == ["cpl", "budget"]
    assert doc["months"][1]["cpl"] == 450.0
