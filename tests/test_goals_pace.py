"""goals.md on constant-pace data: the forecast, status, projected date and reached_on equal
the arithmetic; the rate/mix drivers of the worked example add up to the change."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from goal_fixtures import result

from sitegen.model.goals import GoalSettings
from sitegen.model.periods import Period


def test_total_at_constant_pace_is_on_track_and_projected_on_18_october() -> None:
    r = result("total", "leads-1300")
    assert r.measure == "total"
    assert r.current == 600.0  # 5 a day x 120 days (Feb 28 + Mar 31 + Apr 30 + May 31)
    assert r.pace_rate == 5.0  # the last 28 days: 140 leads / 28
    assert r.forecast == 1365.0  # 600 + 5 x 153 days (Jun 30 + Jul 31 + Aug 31 + Sep 30 + Oct 31)
    assert r.status == "on_track"
    # 700 more at 5 a day: 140 days after 31 May (Jun 30, Jul 61, Aug 92, Sep 122, Oct +18)
    assert r.projected_date == date(2025, 10, 18)
    assert r.reached_on is None
    assert r.share_of_target == pytest.approx(600 / 1300)
    assert (r.run_rate_needed, r.run_rate_unit, r.reachable) == (140.0, "month", True)  # 700 / 5


def test_total_that_the_pace_misses_by_more_than_the_tolerance_is_off_track() -> None:
    r = result("total", "leads-1500")
    # No data before 1 February: no baseline, so at_risk is within 5 % of 1,500 = 75;
    # the forecast 1,365 misses by 135.
    assert (r.baseline, r.tolerance, r.forecast) == (None, 75.0, 1365.0)
    assert r.status == "off_track"
    assert r.projected_date == date(2025, 11, 27)  # 900 / 5 = 180 days after 31 May


def test_a_wider_tolerance_makes_the_same_miss_at_risk() -> None:
    r = result("total", "leads-1500", GoalSettings(tolerance=0.2))
    assert r.tolerance == 150.0  # 0.2 / 2 x 1,500
    assert r.status == "at_risk"  # misses by 135 <= 150


def test_a_reached_total_is_achieved_and_reports_the_day_it_was_reached() -> None:
    r = result("total", "leads-500")
    assert r.status == "achieved"
    assert r.reached_on == date(2025, 5, 11)  # 500 / 5 = day 100 from 1 February
    assert r.projected_date == date(2025, 5, 11)  # reached_on, never a projection


def test_fewer_than_14_days_of_data_is_too_early_to_tell() -> None:
    r = result("total", "early")  # 25..31 May: 7 days
    assert (r.status, r.forecast, r.current) == ("not_enough_data", None, 35.0)
    assert result("total", "later").status == "not_started"


def test_a_total_met_within_its_first_14_days_is_achieved_not_too_early() -> None:
    # From 25 May to 31 May: 7 days x 5 = 35 leads, too few days for a forecast (14).
    r = result("total", "quick-40")
    assert (r.current, r.status) == (35.0, "not_enough_data")  # 35 < 40: no verdict yet
    # A target of 30 is already met: a fact, so achieved at once (a total cannot fall back).
    r = result("total", "quick-30")
    assert (r.current, r.status) == (35.0, "achieved")


def test_after_the_deadline_the_facts_decide() -> None:
    met, short = result("total-done", "met"), result("total-done", "short")
    assert (met.status, met.forecast, met.reached_on) == ("achieved", 600.0, date(2025, 5, 31))
    assert (short.status, short.run_rate_needed, short.projected_date) == ("missed", None, None)


def test_window_ratio_projects_its_parts_not_the_ratio() -> None:
    r = result("ratio", "cpl-400")
    assert r.measure == "window_ratio"
    # spend 304 days x 2,000 = 608,000; leads 276 x 4 + 28 x 5 = 1,244
    assert r.current == pytest.approx(608000 / 1244)  # 488.75
    # 61 days left at the last 28 days' rates: spend +122,000, leads +305
    assert r.forecast == pytest.approx(730000 / 1549)  # 471.27, although recent CPL is 400
    assert r.status == "off_track"  # misses 400 by 71.27 > 10 % of (520 - 400) = 12
    # the rest of the window must bring 400 x 1,549 - 608,000 = 11,600 over 305 leads
    assert r.run_rate_needed == pytest.approx(11600 / 305)
    assert r.projected_date is None


def test_window_ratio_on_track_and_unreachable() -> None:
    assert result("ratio", "cpl-480").status == "on_track"  # 471.27 <= 480
    r = result("ratio", "cpl-380")
    # 380 x 1,549 = 588,620 < 608,000 already spent: only a negative cost would do.
    assert (r.reachable, r.run_rate_needed, r.run_rate_unit) == (False, None, None)


def test_a_share_that_would_need_over_100_percent_can_no_longer_be_reached() -> None:
    # CTR 1 % on 304 days x 1,000 = 304,000 impressions; 61 days left bring 61,000 more.
    # Target 5 %: the rest must average 5 + (5 - 1) x 304,000 / 61,000 = 24.93 %: possible.
    r = result("share", "ctr-5")
    assert r.reachable and r.run_rate_needed == pytest.approx(5 + 4 * 304 / 61)
    # Target 20 %: 20 + 19 x 304 / 61 = 114.69 %, and a CTR cannot pass 100 % (kpis.toml range).
    r = result("share", "ctr-20")
    assert (r.reachable, r.run_rate_needed) == (False, None)
    assert r.status == "off_track"


def test_level_follows_its_theil_sen_line_to_the_deadline() -> None:
    r = result("level", "f-11500")
    assert r.measure == "level"
    assert r.current == 10890.0  # 10,000 + 89 days x 10 on 31 March
    assert r.forecast == pytest.approx(11800.0)  # 10,000 + 180 days x 10 on 30 June
    assert r.status == "on_track"
    assert r.projected_date == date(2025, 5, 31)  # 10,000 + 150 x 10 = 11,500
    # tolerance 10 % of (11,900 - 10,000) = 190 >= the miss of 100
    assert result("level", "f-11900").status == "at_risk"
    assert result("level", "f-12100").status == "off_track"  # misses by 300 > 210


def test_a_level_already_at_the_target_reports_reached_on_and_stays_open() -> None:
    r = result("level", "f-10500")
    assert r.reached_on == date(2025, 2, 20)  # 10,000 + 50 x 10
    assert r.status == "on_track"  # a level can fall back: achieved only at the deadline


def test_per_period_goal_projects_the_deadline_bucket_and_counts_months_met() -> None:
    r = result("per-period", "m-90")
    assert r.measure == "per_period"
    assert r.current_period == Period(date(2025, 4, 1), date(2025, 4, 30))
    assert r.current == 90.0  # 3 x 30
    assert r.forecast == 90.0  # June: 3 a day x 30 days
    assert r.status == "on_track"
    assert (r.buckets_met, r.buckets) == (3, 4)  # Jan 93, Feb 84, Mar 93, Apr 90
    assert result("per-period", "m-91").status == "at_risk"  # 1 <= 10 % of 11
    m95 = result("per-period", "m-95")
    assert (m95.status, m95.buckets_met) == ("off_track", 0)  # 5 > 10 % of 15


def test_rate_and_mix_of_the_worked_example_add_up_to_the_change() -> None:
    r = result("ctr-mix", "ctr-2")
    assert r.baseline == pytest.approx(1.5)  # 30 clicks / 2,000 impressions
    assert r.current == pytest.approx(1.25)  # 50 / 4,000
    a, b = sorted(r.drivers, key=lambda d: d.channel)
    assert (a.value, a.weight, a.base_weight) == (2.0, 0.25, 0.5)
    assert (b.value, b.weight, b.base_weight) == (1.0, 0.75, 0.5)
    rate = sum(d.rate_effect or 0.0 for d in r.drivers)
    mix = sum(d.mix_effect or 0.0 for d in r.drivers)
    assert rate == pytest.approx(0.0, abs=1e-12)  # each channel's CTR is unchanged
    assert mix == pytest.approx(-0.25)  # B's share rose from 50 % to 75 %
    assert rate + mix == pytest.approx(r.current - r.baseline, abs=1e-9)


# -- the words: goal_verdict on the same fixtures (present layer) ---------------------------


def verdict(fixture: str, goal_id: str, locale: str = "en") -> str | None:
    from sitegen.model.catalogue import builtin
    from sitegen.present.i18n.format import formatter
    from sitegen.present.site.goaltext import goal_verdict

    g = result(fixture, goal_id)
    return goal_verdict(g, formatter(locale, "USD"), locale, builtin()).why


def test_the_why_of_a_level_is_its_net_change_against_the_pace() -> None:
    # 10,890 - 10,000 = +890 since 1 January; the pace line from 10,000 to 11,900 over 181
    # days stands at 10,000 + 1,900 x 90 / 181 = 10,944.75 (+945); 1,010 more in 13 weeks.
    assert verdict("level", "f-11900") == (
        "At risk: +890 since the start against +945 expected by now; 77.69 a week needed."
    )


def test_the_why_of_a_per_period_goal_counts_the_buckets_met() -> None:
    assert verdict("per-period", "m-95") == (
        "Off track: 90 in the latest whole period against 95; met in 0 of 4 months."
    )


def test_the_why_of_a_mix_shift_names_the_channel_and_its_share() -> None:
    # The whole change is mix (-0.25): A's share of impressions fell from 50 % to 25 %.
    assert verdict("ctr-mix", "ctr-2") == (
        "Off track: a went from 50% to 25% of the impressions, at Click-through rate of 2.0%."
    )


def test_the_why_says_when_a_goal_can_no_longer_be_reached_and_is_translated() -> None:
    assert verdict("ratio", "cpl-380") == (
        "Off track: $488.75 so far; at the recent pace it ends at $471.27, target $380.00. "
        "It can no longer be reached by the deadline."
    )
    assert verdict("total", "early", "ru") == (
        "Пока рано судить: для прогноза нужно 14 дней данных в периоде цели."
    )
    assert verdict("total", "leads-500") is None  # achieved: nothing to explain


def test_goals_table_of_sitegen_toml_sets_pace_days_and_tolerance(tmp_path: Path) -> None:
    from sitegen.config.project import parse_config
    from sitegen.errors import ConfigError

    doc = {"project": {"name": "A"}, "goals": {"pace_days": 14, "tolerance": 0.2}}
    config, _ = parse_config(doc, tmp_path)
    assert (config.goals_pace_days, config.goals_tolerance) == (14, 0.2)
    default, _ = parse_config({"project": {"name": "A"}}, tmp_path)
    assert (default.goals_pace_days, default.goals_tolerance) == (28, 0.1)
    with pytest.raises(ConfigError) as exc:
        parse_config({"project": {"name": "A"}, "goals": {"pace_days": 7}}, tmp_path)
    assert "goals.pace_days" in str(exc.value) and "14 to 366" in str(exc.value)


def test_a_shorter_pace_follows_the_latest_days() -> None:
    # CPL fixture: the last 14 days bring 5 leads a day like the last 28, so the forecast is
    # the same; the pace period is 18-31 October.
    r = result("ratio", "cpl-400", GoalSettings(pace_days=14))
    assert r.pace_period == Period(date(2025, 10, 18), date(2025, 10, 31))
    assert r.forecast == pytest.approx(730000 / 1549)


def test_the_why_of_a_missed_goal_says_what_the_window_came_to() -> None:
    assert verdict("total-done", "short") == "Missed: 600 at the deadline, against a target of 700."
