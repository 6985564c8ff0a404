"""Goals and plans on the real KPI engine and catalogue (the fake's numbers must hold here)."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

from sitegen.config.goals import parse_goals
from sitegen.errors import GoalError
from sitegen.model.catalogue import builtin
from sitegen.model.engine import Engine
from sitegen.model.goals import GoalEngine, evaluate_goals, evaluate_plans
from sitegen.model.periods import Period

MONTHS = ["2024-09", "2024-10", "2024-11", "2024-12", "2025-01", "2025-02", "2025-03"]


def real_engine(rows: list[dict[str, Any]]) -> Engine:
    metrics = sorted({k for r in rows for k in r} - {"date", "channel"})
    data: dict[str, Any] = {
        "date": [date.fromisoformat(r["date"]) for r in rows],
        "channel": [r.get("channel", "instagram") for r in rows],
        "competitor": pl.Series([None] * len(rows), dtype=pl.Utf8),
    }
    for m in metrics:
        data[m] = pl.Series([r.get(m) for r in rows], dtype=pl.Float64)
    return Engine(pl.DataFrame(data), builtin())


def rows() -> list[dict[str, Any]]:
    leads = [80, 85, 90, 95, 130, 146, 150]
    return [
        {
            "date": f"{m}-01",
            "leads": n,
            "spend": 20000.0,
            "likes": 400.0,
            "reach": 10000.0,
            "revenue": 64000.0 * n / 10,
            "customers": n / 10,
        }
        for m, n in zip(MONTHS, leads, strict=True)
    ]


def doc() -> dict[str, Any]:
    window = {"start": date(2025, 1, 1), "deadline": date(2025, 4, 30)}
    return {
        "goals": [
            {
                "id": "leads-500",
                "title": "500 leads by April",
                "kpi": "leads",
                "target": 500,
                **window,
            },
            {"id": "cpl", "title": "CPL -10%", "kpi": "cpl", "change": "-10%", **window},
            {"id": "er", "title": "ER 5.5", "kpi": "engagement_rate", "target": 5.5, **window},
        ],
        "plans": [
            {
                "title": "Kitchens",
                "revenue_target": 800000,
                "average_order": 80000,
                "lead_to_customer": 0.1,
                "budget": 40000,
            }
        ],
    }


def test_goals_on_the_real_engine() -> None:
    e: GoalEngine = real_engine(rows())  # the real engine satisfies the protocol
    specs, _, warnings = parse_goals(doc(), known_kpis=builtin().known())
    assert warnings == []
    results, gwarnings = evaluate_goals(specs, e, as_of=date(2025, 3, 31))
    leads, cpl, er = results
    # Monthly rows: the pace is March's 150 leads over its 31 days; 30 days of April left.
    assert (leads.current, leads.run_rate_needed) == (426.0, 74.0)
    assert leads.forecast == pytest.approx(426 + 150 / 31 * 30)  # 571.16
    assert leads.projected_date == date(2025, 4, 16)  # 74 / (150 / 31) = 15.3 -> 16 days
    assert leads.cumulative is True and leads.kpi.label() == "Leads"
    # CPL: baseline 80 000 / 350 = 228.57, target -10%; so far 60 000 / 426 = 140.85
    assert cpl.baseline == pytest.approx(80000 / 350)
    assert cpl.target == pytest.approx(80000 / 350 * 0.9)
    assert cpl.current == pytest.approx(60000 / 426)
    # A window ratio under its target is on track, not achieved: it can still rise.
    assert (cpl.status, cpl.better, cpl.cumulative) == ("on_track", "lower", False)
    assert cpl.measure == "window_ratio"
    assert er.current == pytest.approx(4.0)
    assert er.status == "off_track"
    assert er.run_rate_unit == "rest_of_window"
    # 30,000 reach so far, 10,000 / 31 x 30 to come: April needs 5.5 + 1.5 x 30,000 / 9,677
    assert er.run_rate_needed == pytest.approx(5.5 + 1.5 * 30000 / (10000 / 31 * 30))
    assert [w.code for w in gwarnings] == ["goal-unrealistic"]


def test_plans_on_the_real_engine() -> None:
    _, plans, _ = parse_goals(doc())
    [r] = evaluate_plans(
        plans,
        real_engine(rows()),
        as_of=date(2025, 3, 31),
        period=Period(date(2025, 1, 1), date(2025, 3, 31)),
    )
    assert (r.customers, r.leads, r.cpl_ceiling) == (10, 100, 400.0)
    mar = r.months[2]
    assert mar.values["leads"] == 150.0 and mar.values["customers"] == 15.0
    assert mar.values["cpl"] == pytest.approx(20000 / 150)
    assert mar.values["lead_conversion_rate"] == pytest.approx(10.0)
    assert mar.short == []  # revenue 960 000, 15 customers, 150 leads, CPL 133 in March
    assert r.shortfall is None


def test_real_engine_missing_columns_error() -> None:
    specs, _, _ = parse_goals(
        {
            "goals": [
                {
                    "id": "ctr",
                    "title": "CTR",
                    "kpi": "ctr",
                    "target": 2,
                    "start": date(2025, 1, 1),
                    "deadline": date(2025, 4, 30),
                }
            ]
        }
    )
    with pytest.raises(GoalError) as exc:
        evaluate_goals(specs, real_engine(rows()), as_of=date(2025, 3, 31))
    assert str(exc.value).splitlines()[:3] == [
        'goals.toml [goals[0] (ctr).kpi]: goal "ctr" needs ctr, but the data has no clicks, '
        "impressions",
        "  expected: data columns for ctr: clicks, impressions",
        "  found:    columns in data/: customers, leads, likes, reach, revenue, spend",
    ]
