"""goals.toml validation: SMART checks, exact messages, warnings, defaults."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from typing import Any

import pytest

from sitegen.config.goals import parse_goals
from sitegen.errors import ConfigError, MultipleErrors
from sitegen.model.periods import Period
from sitegen.model.specs import GoalSpec, PlanSpec

KPIS = {"engagement_rate", "leads", "cpl", "followers"}
GOOD = {
    "title": "Leads",
    "kpi": "leads",
    "target": 500,
    "start": date(2025, 1, 1),
    "deadline": date(2025, 4, 30),
}


def one_error(table: dict[str, Any]) -> str:
    with pytest.raises(ConfigError) as exc:
        parse_goals({"goals": [table]}, known_kpis=KPIS)
    assert not isinstance(exc.value, MultipleErrors)
    return str(exc.value)


def test_the_spec_example_parses() -> None:
    doc = tomllib.loads("""
[[goals]]
id = "er-35"
title = "Raise engagement rate by 35% in four months"
kpi = "engagement_rate"
channel = "instagram"
change = "+35%"
baseline = 3.9
start = 2025-01-01
deadline = 2025-04-30
per = "month"

[[plans]]
title = "Kitchens: 800 000 a month from social media"
revenue_target = 800000
average_order = 80000
lead_to_customer = 0.10
budget = 40000
""")
    goals, plans, warnings = parse_goals(doc, known_kpis=KPIS)
    assert goals == [
        GoalSpec(
            id="er-35",
            title="Raise engagement rate by 35% in four months",
            kpi="engagement_rate",
            channel="instagram",
            change=0.35,
            baseline=3.9,
            start=date(2025, 1, 1),
            deadline=date(2025, 4, 30),
            per="month",
        )
    ]
    assert plans == [
        PlanSpec(
            id="kitchens-800-000-a-month-from-social-media",
            title="Kitchens: 800 000 a month from social media",
            revenue_target=800000.0,
            average_order=80000.0,
            lead_to_customer=0.10,
            budget=40000.0,
        )
    ]
    assert warnings == []
    assert goals[0].window == Period(date(2025, 1, 1), date(2025, 4, 30))
    assert goals[0].where == "goals[0] (er-35)"


@pytest.mark.parametrize(
    ("text", "fraction"),
    [("+35%", 0.35), ("-10%", -0.10), ("35 %", 0.35), ("−12,5%", -0.125), (0.2, 0.2)],
)
def test_change_is_a_fraction(text: str | float, fraction: float) -> None:
    table = {k: v for k, v in GOOD.items() if k != "target"} | {"change": text}
    goals, _, _ = parse_goals({"goals": [table]})
    assert goals[0].change == pytest.approx(fraction)
    assert goals[0].target is None


def test_id_defaults_to_a_slug_of_the_title_also_for_cyrillic_and_latvian() -> None:
    doc = {
        "goals": [
            {**GOOD, "title": "Поднять ER на 35% за 4 месяца"},
            {**GOOD, "title": "Palielināt iesaisti par 35%"},
            {**GOOD, "title": "!!!"},
        ]
    }
    goals, _, _ = parse_goals(doc)
    assert [g.id for g in goals] == [
        "podnyat-er-na-35-za-4-mesyatsa",
        "palielinat-iesaisti-par-35",
        "goal-3",
    ]


def test_no_measurable_target() -> None:
    table = {k: v for k, v in GOOD.items() if k != "target"} | {"id": "vague"}
    assert one_error(table) == (
        "goals.toml [goals[0] (vague)]: the goal has no measurable target\n"
        '  expected: exactly one of target = <number> or change = "+35%"\n'
        "  found:    neither\n"
        '  hint: a SMART goal is measurable: say how much, e.g. target = 500 or change = "+35%"'
    )


def test_both_target_and_change() -> None:
    assert one_error({**GOOD, "id": "g", "change": "+5%"}) == (
        "goals.toml [goals[0] (g)]: the goal has both a target and a change\n"
        '  expected: exactly one of target = <number> or change = "+35%"\n'
        "  found:    target = 500 (int), change = '+5%'\n"
        "  hint: keep target for an absolute value, change for one relative to the baseline"
    )


def test_missing_deadline_points_at_a_look_alike_key() -> None:
    table = {k: v for k, v in GOOD.items() if k != "deadline"} | {"id": "g"}
    assert one_error(table) == (
        "goals.toml [goals[0] (g).deadline]: 'deadline' is required\n"
        "  expected: a date such as 2025-04-30\n"
        "  hint: a SMART goal is time-bound: say by when, e.g. deadline = 2025-04-30"
    )
    assert one_error(table | {"end": date(2025, 4, 30)}).endswith(
        "  hint: rename 'end' to 'deadline'"
    )


def test_deadline_before_start() -> None:
    assert one_error({**GOOD, "id": "g", "deadline": date(2024, 12, 1)}) == (
        "goals.toml [goals[0] (g).deadline]: the deadline is before the start\n"
        "  expected: a date on or after the start (2025-01-01)\n"
        "  found:    2024-12-01 (a date)"
    )


def test_unknown_per_suggests_the_closest() -> None:
    assert one_error({**GOOD, "id": "g", "per": "monthly"}) == (
        "goals.toml [goals[0] (g).per]: unknown per\n"
        "  expected: one of: week, month, quarter, year\n"
        "  found:    'monthly'\n"
        "  hint: did you mean 'month'?"
    )


def test_per_needs_a_whole_bucket_in_the_window() -> None:
    assert one_error({**GOOD, "id": "g", "per": "month", "deadline": date(2025, 1, 20)}) == (
        "goals.toml [goals[0] (g).per]: per = 'month' but the goal window holds no whole month\n"
        "  expected: a window of at least one whole month\n"
        "  found:    2025-01-01..2025-01-20\n"
        "  hint: with per, current is the latest whole month in the window"
    )


def test_unknown_kpi_lists_close_matches() -> None:
    assert one_error({**GOOD, "id": "g", "kpi": "engagment_rate"}) == (
        "goals.toml [goals[0] (g).kpi]: unknown KPI 'engagment_rate'\n"
        "  expected: a built-in or custom KPI id, or a base metric\n"
        "  found:    'engagment_rate'\n"
        "  hint: did you mean 'engagement_rate'?"
    )
    # Without a catalogue, any id passes here; evaluation checks it against the data.
    assert parse_goals({"goals": [{**GOOD, "kpi": "engagment_rate"}]})[0][0].kpi == (
        "engagment_rate"
    )


@pytest.mark.parametrize(
    ("key", "value", "expected", "found"),
    [
        ("target", True, "a number, such as 5.2", "True (bool)"),
        ("target", "500", "a number, such as 5.2", "'500'"),
        ("target", float("nan"), "a number, such as 5.2", "nan (float)"),
        ("change", "35", 'a signed percentage such as "+35%" or "-10%"', "'35'"),
        ("change", "-150%", 'a change of "-100%" or more', "'-150%'"),
        (
            "start",
            datetime(2025, 1, 1, 9),
            "a date such as 2025-04-30",
            "2025-01-01T09:00:00 (a date-time)",
        ),
        ("title", 5, "a short text saying what the goal is", "5 (int)"),
        (
            "id",
            "er 35!",
            'letters, digits, "-" and "_", starting with a letter or digit',
            "'er 35!'",
        ),
    ],
)
def test_wrong_values_say_what_was_expected_and_found(
    key: str, value: Any, expected: str, found: str
) -> None:
    table = {**GOOD, key: value}
    if key == "change":
        del table["target"]
    text = one_error(table)
    assert f"\n  expected: {expected}\n  found:    {found}" in text
    assert f".{key}]" in text.splitlines()[0]


def test_all_problems_are_reported_together() -> None:
    doc = {
        "goals": [
            {**GOOD, "id": "a", "deadline": date(2024, 1, 1)},
            {**GOOD, "id": "a"},
            {"title": "t"},
        ]
    }
    with pytest.raises(MultipleErrors) as exc:
        parse_goals(doc)
    assert [e.key for e in exc.value.errors] == [
        "goals[0] (a).deadline",
        "goals[1] (a).id",
        "goals[2] (t).kpi",
        "goals[2] (t)",
        "goals[2] (t).start",
        "goals[2] (t).deadline",
    ]
    assert str(exc.value.errors[1]) == (
        "goals.toml [goals[1] (a).id]: duplicate goal id 'a'\n"
        "  expected: a different id for each entry\n"
        "  found:    goals[0] has the same id\n"
        "  hint: give each an id = ... of its own"
    )


def test_goals_must_be_an_array_of_tables() -> None:
    with pytest.raises(ConfigError) as exc:
        parse_goals({"goals": {"title": "x"}}, file="client/goals.toml")
    assert str(exc.value) == (
        "client/goals.toml [goals]: 'goals' must be a list of [[goals]] tables\n"
        "  expected: [[goals]] tables\n"
        "  found:    a table\n"
        "  hint: write each entry under its own [[goals]] header"
    )


def test_unknown_keys_warn_with_did_you_mean() -> None:
    doc = {
        "goal": [],
        "goals": [
            {
                **GOOD,
                "id": "g",
                "metric": "x",
                "deadlne": 1,
                "baseline_period": {"start": date(2024, 9, 1), "end": date(2024, 12, 31), "ned": 1},
            }
        ],
    }
    _, _, warnings = parse_goals(doc)
    assert [str(w) for w in warnings] == [
        "goals.toml [goal]: unknown key 'goal' is ignored (hint: did you mean 'goals'?)",
        "goals.toml [goals[0] (g).metric]: unknown key 'metric' is ignored "
        "(hint: did you mean 'kpi'?)",
        "goals.toml [goals[0] (g).deadlne]: unknown key 'deadlne' is ignored "
        "(hint: did you mean 'deadline'?)",
        "goals.toml [goals[0] (g).baseline_period.ned]: unknown key 'ned' is ignored "
        "(hint: did you mean 'end'?)",
    ]
    assert {w.code for w in warnings} == {"unknown-key"}


def test_value_warnings() -> None:
    table = {k: v for k, v in GOOD.items() if k != "target"} | {
        "id": "g",
        "change": 35,
        "baseline": 3.0,
        "baseline_period": {"start": date(2025, 1, 1), "end": date(2025, 2, 1)},
    }
    goals, _, warnings = parse_goals({"goals": [table]})
    assert goals[0].change == 35.0
    assert [str(w) for w in warnings] == [
        "goals.toml [goals[0] (g).change]: change = 35 is read as a fraction: +3500% "
        '(hint: for 35 percent write change = "+35%")',
        "goals.toml [goals[0] (g).baseline_period]: baseline_period is ignored: baseline is "
        "given (hint: remove one of the two)",
        "goals.toml [goals[0] (g).baseline_period]: the baseline period does not end before "
        "the goal starts (hint: a baseline is usually the period before the goal)",
    ]


def test_dates_may_be_iso_strings_and_baseline_period_is_a_period() -> None:
    table = {
        **GOOD,
        "start": "2025-01-01",
        "baseline_period": {"start": "2024-09-01", "end": date(2024, 12, 31)},
    }
    goal = parse_goals({"goals": [table]})[0][0]
    assert goal.start == date(2025, 1, 1)
    assert goal.baseline_period == Period(date(2024, 9, 1), date(2024, 12, 31))


# -- plans -------------------------------------------------------------------------------

PLAN = {
    "title": "Kitchens",
    "revenue_target": 800000,
    "average_order": 80000,
    "lead_to_customer": 0.1,
    "budget": 40000,
}


def test_plan_share_may_be_a_percentage_and_budget_is_optional() -> None:
    _, plans, _ = parse_goals(
        {
            "plans": [
                {**PLAN, "lead_to_customer": "10%", "id": "k"},
                {k: v for k, v in PLAN.items() if k != "budget"},
            ]
        }
    )
    assert plans[0].lead_to_customer == pytest.approx(0.1)
    assert (plans[1].budget, plans[1].id) == (None, "kitchens")


def test_plan_share_written_as_a_whole_percent_is_an_error_with_a_fix() -> None:
    with pytest.raises(ConfigError) as exc:
        parse_goals({"plans": [{**PLAN, "lead_to_customer": 10}]})
    assert str(exc.value) == (
        "goals.toml [plans[0] (kitchens).lead_to_customer]: the share is out of range\n"
        '  expected: a share of leads that become customers, such as 0.10 or "10%"\n'
        "  found:    10 (int)\n"
        '  hint: for 10 percent write 0.1 or "10%"'
    )


def test_plan_problems() -> None:
    with pytest.raises(MultipleErrors) as exc:
        parse_goals(
            {
                "plans": [
                    {
                        "title": "p",
                        "revenue": 800000,
                        "average_order": 0,
                        "lead_to_customer": 0.1,
                        "budget": -1,
                    }
                ]
            }
        )
    assert [str(e) for e in exc.value.errors] == [
        "goals.toml [plans[0] (p).revenue_target]: 'revenue_target' is required\n"
        "  expected: a positive number: the revenue wanted per month\n"
        "  hint: rename 'revenue' to 'revenue_target'",
        "goals.toml [plans[0] (p).average_order]: the number is out of range\n"
        "  expected: a positive number: the revenue of one customer's order\n"
        "  found:    0 (int)",
        "goals.toml [plans[0] (p).budget]: the number is out of range\n"
        "  expected: a number of 0 or more: the monthly budget\n"
        "  found:    -1 (int)",
    ]
