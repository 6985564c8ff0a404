"""Goal evaluation: targets, baselines, current, progress, every status, forecast, run rate."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from test_goals_support import FakeEngine, engine

from sitegen.config.goals import parse_goals
from sitegen.errors import GoalError, MultipleErrors
from sitegen.model.goals import GoalResult, evaluate_goals, theil_sen
from sitegen.model.periods import Period
from sitegen.model.specs import GoalSpec
from sitegen.present.results import goal_json

JAN1 = date(2025, 1, 1)
APR30 = date(2025, 4, 30)
MONTHS_2024 = ["2024-09", "2024-10", "2024-11", "2024-12"]


def goal(**kw: Any) -> GoalSpec:
    table = {"title": "A goal", "start": JAN1, "deadline": APR30, **kw}
    goals, _, _ = parse_goals({"goals": [table]})
    return goals[0]


def evaluate(e: FakeEngine, as_of: date, **kw: Any) -> GoalResult:
    results, _ = evaluate_goals([goal(**kw)], e, as_of=as_of)
    return results[0]


def warnings_of(e: FakeEngine, as_of: date, *specs: GoalSpec) -> list[str]:
    _, warnings = evaluate_goals(list(specs), e, as_of=as_of)
    return [str(w) for w in warnings]


# -- a cumulative count: "500 leads by April" ----------------------------------------------


def leads_engine(april: float | None = None) -> FakeEngine:
    values: dict[str, float] = {
        "2024-09": 80,
        "2024-10": 85,
        "2024-11": 90,
        "2024-12": 95,
        "2025-01": 130,
        "2025-02": 146,
        "2025-03": 150,
    }
    if april is not None:
        values["2025-04"] = april
    return engine(leads=values)


def test_count_goal_not_started_needs_the_whole_target_over_the_window() -> None:
    r = evaluate(leads_engine(), date(2024, 12, 31), kpi="leads", target=500)
    assert r.status == "not_started"
    assert (r.current, r.progress, r.expected_progress) == (None, None, 0.0)
    assert r.cumulative is True and r.grain == "month"
    assert (r.run_rate_needed, r.run_rate_unit) == (125.0, "month")
    assert r.forecast is None and r.forecast_points == 0 and r.series == []


def test_count_goal_missed_at_the_deadline() -> None:
    r = evaluate(leads_engine(april=60), APR30, kpi="leads", target=500)
    assert (r.current, r.status, r.expected_progress) == (486.0, "missed", 1.0)
    assert r.run_rate_needed is None


def test_count_goal_pace_line_runs_from_zero_to_the_target_at_month_ends() -> None:
    r = evaluate(leads_engine(), date(2025, 2, 28), kpi="leads", target=480)
    assert r.pace == [
        (JAN1, 0.0),
        (date(2025, 1, 31), 480 * 31 / 120),
        (date(2025, 2, 28), 480 * 59 / 120),
        (date(2025, 3, 31), 360.0),
        (APR30, 480.0),
    ]


def test_count_goal_relative_change_scales_a_shorter_baseline_period() -> None:
    # Two baseline months (Nov + Dec = 185) stand for four: 370, and +20% of that is 444.
    r = evaluate(
        leads_engine(),
        date(2025, 2, 28),
        kpi="leads",
        change="+20%",
        baseline_period={"start": date(2024, 11, 1), "end": date(2024, 12, 31)},
    )
    assert r.baseline == 370.0
    assert r.target == pytest.approx(444.0)
    assert r.baseline_period == Period(date(2024, 11, 1), date(2024, 12, 31))


def test_unrealistic_count_goal_warns_with_the_best_month() -> None:
    g = goal(id="leads-1000", kpi="leads", target=1000)
    assert warnings_of(leads_engine(), date(2024, 12, 31), g) == [
        'goals.toml [goals[0] (leads-1000)]: goal "leads-1000" looks unrealistic: it needs 250 '
        "leads a month from now on, more than twice the best month so far (95 in 2024-12) "
        "(hint: ambitious goals are fine, but unrealistic ones demotivate (seeds 000, 001); "
        "check the target and the deadline)"
    ]
    assert warnings_of(leads_engine(), date(2024, 12, 31), goal(kpi="leads", target=700)) == []


def test_best_month_counts_the_last_month_of_monthly_rows_dated_the_first() -> None:
    # The data's last row is dated 2025-03-01 but stands for all of March (150 leads).
    g = goal(id="q2", kpi="leads", target=1000, start=date(2025, 4, 1), deadline=date(2025, 6, 30))
    [w] = warnings_of(leads_engine(), date(2025, 3, 31), g)
    assert "it needs 333.33 leads a month from now on" in w
    assert "(150 in 2025-03)" in w


# -- a ratio: engagement rate +35% --------------------------------------------------------


def er_engine(feb_likes: float, *, before: float = 390) -> FakeEngine:
    months = [*MONTHS_2024, "2025-01", "2025-02"]
    likes = {m: before for m in MONTHS_2024} | {"2025-01": 400, "2025-02": feb_likes}
    return engine(likes=likes, reach=dict.fromkeys(months, 10000))


def test_ratio_goal_run_rate_is_the_value_needed_for_the_rest_of_the_window() -> None:
    r = evaluate(
        er_engine(460), date(2025, 2, 28), kpi="engagement_rate", change="+35%", baseline=3.9
    )
    # 59 days at 4.3 so far, 61 days left: 5.265 + (5.265 - 4.3) x 59 / 61
    assert r.run_rate_needed == pytest.approx(6.198360655737704)
    assert r.run_rate_unit == "rest_of_window"


def test_ratio_goal_baseline_is_computed_over_the_previous_period() -> None:
    r = evaluate(er_engine(560), date(2025, 2, 28), kpi="engagement_rate", change="+35%")
    assert r.baseline == pytest.approx(3.9)  # 4 x 390 likes / 40 000 reach
    assert r.baseline_period == Period(date(2024, 9, 1), date(2024, 12, 31))
    assert r.target == pytest.approx(5.265)


# -- per = "month" ------------------------------------------------------------------------


def per_engine(**extra: float) -> FakeEngine:
    values = {
        "2024-07": 80,
        "2024-08": 85,
        "2024-09": 90,
        "2024-10": 95,
        "2024-11": 100,
        "2024-12": 110,
        "2025-01": 100,
        "2025-02": 110,
        "2025-03": 50,
    } | extra
    return engine(leads=values)


def per_goal(**kw: Any) -> dict[str, Any]:
    table = {"kpi": "leads", "per": "month", "target": 120, "deadline": date(2025, 6, 30)} | kw
    return {k: v for k, v in table.items() if v is not None}


def test_per_month_goal_relative_change_applies_to_the_average_month() -> None:
    r = evaluate(per_engine(), date(2025, 3, 15), **per_goal(target=None, change="+50%"))
    assert r.target == pytest.approx(140.0)  # 93.33 x 1.5


# -- lower is better: cost per lead -------------------------------------------------------


def cpl_engine(feb_leads: float) -> FakeEngine:
    months = [*MONTHS_2024, "2025-01", "2025-02"]
    leads = dict.fromkeys(MONTHS_2024, 40) | {"2025-01": 44, "2025-02": feb_leads}
    return engine(spend=dict.fromkeys(months, 20000), leads=leads)


def test_lower_is_better_relative_target_and_wrong_direction_warning() -> None:
    r = evaluate(cpl_engine(50), date(2025, 2, 28), kpi="cpl", change="-10%")
    assert r.target == 450.0
    g = goal(id="cpl-up", kpi="cpl", change="+10%")
    assert warnings_of(cpl_engine(50), date(2025, 2, 28), g) == [
        'goals.toml [goals[0] (cpl-up)]: goal "cpl-up": the target (550) is above the baseline '
        '(500), but lower cpl is better (hint: did you mean change = "-10%"?)'
    ]


# -- stocks and vanity metrics -----------------------------------------------------------


def followers_engine() -> FakeEngine:
    return engine(
        followers={date(2024, 12, 31): 3000, date(2025, 1, 31): 3020, date(2025, 2, 28): 3060},
        leads={"2025-01": 10},
    )


def test_a_goal_on_a_vanity_metric_warns_and_a_business_goal_does_not() -> None:
    vanity = goal(id="fans", kpi="followers", target=3150)
    assert warnings_of(followers_engine(), date(2025, 2, 28), vanity) == [
        'goals.toml [goals[0] (fans).kpi]: goal "fans" is on followers, a vanity metric: it can '
        "grow without moving the business (hint: add or prefer a goal on a KPI tied to the "
        "business result, such as leads, conversion_rate, cpl, roi or engagement_rate)"
    ]
    business = goal(id="leads", kpi="leads", target=20)
    assert warnings_of(followers_engine(), date(2025, 2, 28), business) == []
    # Beside a business goal the vanity goal still warns: it is measured on followers alone.
    both = warnings_of(followers_engine(), date(2025, 2, 28), vanity, business)
    assert [w.split(":")[0] for w in both] == ["goals.toml [goals[0] (fans).kpi]"]


# -- errors: the data cannot give the goal ------------------------------------------------


def test_missing_columns_are_an_error_naming_the_goal_and_the_columns() -> None:
    g = goal(id="er-35", kpi="engagement_rate", change="+35%")
    with pytest.raises(GoalError) as exc:
        evaluate_goals([g], engine(likes={"2025-01": 1}, leads={"2025-01": 1}), as_of=APR30)
    assert str(exc.value) == (
        'goals.toml [goals[0] (er-35).kpi]: goal "er-35" needs engagement_rate, but the data '
        "has no reach\n"
        "  expected: data columns for engagement_rate: likes, reach\n"
        "  found:    columns in data/: leads, likes\n"
        "  hint: add the missing columns to a file in data/ (kpis.md lists their names and "
        "aliases), or choose a KPI the data gives"
    )


def test_unknown_channel_is_an_error_with_a_suggestion() -> None:
    g = goal(id="ig", kpi="leads", target=5, channel="instagarm")
    with pytest.raises(GoalError) as exc:
        evaluate_goals([g], leads_engine(), as_of=APR30)
    assert str(exc.value) == (
        "goals.toml [goals[0] (ig).channel]: goal \"ig\": channel 'instagarm' is not in the data\n"
        "  expected: one of: instagram\n"
        "  found:    'instagarm'\n"
        "  hint: did you mean 'instagram'?"
    )


def test_relative_change_without_baseline_data_is_an_error() -> None:
    g = goal(id="g", kpi="leads", change="+10%", start=date(2026, 1, 1), deadline=date(2026, 3, 31))
    with pytest.raises(GoalError) as exc:
        evaluate_goals([g], leads_engine(), as_of=APR30)
    assert str(exc.value).splitlines()[0] == (
        'goals.toml [goals[0] (g).baseline]: goal "g": change +10% needs a baseline, but the '
        "data has no leads in 2025-10-01..2025-12-31"
    )


def test_every_goal_error_is_collected() -> None:
    both = [
        {"id": i, "title": i, "kpi": k, "target": 1, "start": JAN1, "deadline": APR30}
        for i, k in (("a", "ctr"), ("b", "cpl"))
    ]
    goals, _, _ = parse_goals({"goals": both})
    with pytest.raises(MultipleErrors) as exc:
        evaluate_goals(goals, leads_engine(), as_of=APR30)
    assert [e.key for e in exc.value.errors] == ["goals[0] (a).kpi", "goals[1] (b).kpi"]


# -- the pieces --------------------------------------------------------------------------


def test_theil_sen_ignores_an_outlier_and_needs_three_points() -> None:
    fit = theil_sen([(0, 1), (1, 2), (2, 3), (3, 100), (4, 5)])
    assert fit is not None
    assert (fit.slope, fit.at(5)) == (1.0, 6.0)
    assert theil_sen([(0, 1), (1, 2)]) is None


def test_expected_progress_is_clamped_and_counts_both_ends() -> None:
    e = leads_engine(april=60)
    assert evaluate(e, JAN1, kpi="leads", target=500).expected_progress == 1 / 120
    assert evaluate(e, date(2025, 6, 1), kpi="leads", target=500).expected_progress == 1.0


def test_to_json_has_the_output_contract_fields() -> None:
    r = evaluate(leads_engine(), date(2025, 3, 31), kpi="leads", target=500, channel="instagram")
    doc = goal_json(r, "en")
    assert list(doc)[:11] == [
        "id",
        "kpi",
        "channel",
        "baseline",
        "target",
        "current",
        "progress",
        "expected_progress",
        "status",
        "forecast",
        "title",
    ]
    assert doc["channel"] == "instagram" and doc["status"] == "on_track"
    # Monthly rows: March's 150 leads over 31 days is the pace; 74 more take 16 days.
    assert (doc["start"], doc["deadline"], doc["projected_date"]) == (
        "2025-01-01",
        "2025-04-30",
        "2025-04-16",
    )
    assert (doc["measure"], doc["reachable"], doc["reached_on"]) == ("total", True, None)
    assert doc["share_of_target"] == 426 / 500
    assert doc["drivers"][0]["channel"] == "instagram"
    assert doc["window"] == {"start": "2025-01-01", "end": "2025-04-30"}
    assert doc["series"][0] == {
        "period": "2025-01",
        "start": "2025-01-01",
        "end": "2025-01-31",
        "partial": False,
        "value": 130.0,  # the measure: the running total at the end of January
    }
    assert doc["pace"][-1] == {"date": "2025-04-30", "value": 500.0}
    assert doc["series"][2]["value"] == 426.0  # 130 + 146 + 150
    assert doc["run_rate_needed"] == 74.0 and doc["forecast_method"] == "recent_rate"


def test_labels_follow_the_locale() -> None:
    results, _ = evaluate_goals([goal(kpi="leads", target=5)], leads_engine(), as_of=APR30)
    assert results[0].kpi.label("ru") == "Leads (ru)"
    assert goal_json(results[0], "ru")["kpi_label"] == "Leads (ru)"
