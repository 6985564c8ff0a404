"""goals.md's invariants hold for every goal of every example project and every goal fixture.

The examples are content/*; the fixtures are tests/goal_fixtures.FIXTURES (the constant-pace
tests' data) and the real-engine goals of test_goals_engine.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from goal_fixtures import FIXTURES
from test_goals_engine import doc as engine_doc
from test_goals_engine import real_engine as monthly_engine
from test_goals_engine import rows as monthly_rows

from sitegen.config.goals import parse_goals
from sitegen.model.goals import MEASURES, STATUSES, GoalResult, evaluate_goals
from sitegen.model.goals.status import meets
from sitegen.pipeline.run import compute, load
from sitegen.present.i18n.format import formatter
from sitegen.present.site.goaltext import goal_verdict, progress_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.name for p in (ROOT / "content").iterdir() if (p / "goals.toml").is_file())


def check(g: GoalResult, kpi_value: float | None = None) -> None:
    """Assert goals.md's invariants for one evaluated goal."""
    assert g.status in STATUSES and g.measure in MEASURES
    if g.status == "on_track":
        assert meets(g.forecast, g.target, g.better), g.id
    if g.status in ("at_risk", "off_track"):
        assert g.forecast is not None and not meets(g.forecast, g.target, g.better), g.id
    if g.run_rate_needed is not None:
        assert g.run_rate_needed >= 0, g.id  # never a negative count, cost or rate
    if not g.reachable:
        assert g.run_rate_needed is None, g.id  # "can no longer be reached", not a number
    if g.projected_date is not None:
        assert g.spec.start <= g.projected_date <= date(g.spec.deadline.year + 5, 12, 31), g.id
        assert g.as_of is not None
        assert g.projected_date > g.as_of or g.projected_date == g.reached_on, g.id
    if g.reached_on is not None:
        assert g.spec.start <= g.reached_on, g.id
    effects = [d for d in g.drivers if d.rate_effect is not None and d.mix_effect is not None]
    if effects and g.baseline_period is not None and g.current is not None:
        assert g.baseline is not None
        split = sum(d.rate_effect + d.mix_effect for d in effects)  # type: ignore[operator]
        assert split == pytest.approx(g.current - g.baseline, abs=1e-9), g.id
    if kpi_value is not None:
        assert g.current == pytest.approx(kpi_value, rel=1e-12), g.id
    # What the reader sees: a clamped bar, no negative percentage, a why unless achieved.
    for locale in ("en", "ru", "lv"):
        fmt = formatter(locale, "USD")
        shown = progress_text(g, fmt, locale)
        assert 0.0 <= shown.bar <= 1.0
        assert not shown.text.startswith(("-", "\u2212")), (g.id, shown.text)
        verdict = goal_verdict(g, fmt, locale)
        assert (verdict.why is None) == (g.status in ("achieved", "not_started")), g.id


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_goal_keeps_the_invariants(name: str) -> None:
    project = load(ROOT / "content" / name)
    analysis = compute(project, project.read_data())
    assert analysis.goals
    for g in analysis.goals:
        same_window = (
            g.spec.channel is None
            and g.spec.per is None
            and g.current_period == analysis.period
            and g.spec.kpi in analysis.kpis
        )
        check(g, analysis.kpis[g.spec.kpi].value if same_window else None)


def test_the_examples_show_every_status_but_too_early() -> None:
    seen = set()
    for name in EXAMPLES:
        project = load(ROOT / "content" / name)
        seen |= {g.status for g in compute(project, project.read_data()).goals}
    assert set(STATUSES) - seen <= {"not_enough_data"}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_every_fixture_goal_keeps_the_invariants(name: str) -> None:
    for g in FIXTURES[name].evaluate():
        check(g)


def test_the_monthly_real_engine_goals_keep_the_invariants() -> None:
    specs, _, _ = parse_goals(engine_doc())
    results, _ = evaluate_goals(specs, monthly_engine(monthly_rows()), as_of=date(2025, 3, 31))
    for g in results:
        check(g)


def test_the_invariant_check_catches_a_contradiction() -> None:
    # The restorans-liepa case: "off track" beside a forecast that beats the target.
    from dataclasses import replace

    [g] = [r for r in FIXTURES["total"].evaluate() if r.id == "leads-1300"]
    with pytest.raises(AssertionError):
        check(replace(g, status="off_track"))
