"""Goal test fixtures on the real engine: daily rows, goals.toml tables, an as-of date.

Every fixture is registered in FIXTURES so that tests/test_goals_invariants.py walks each goal
of each fixture with goals.md's invariants, besides the tests that check its numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import polars as pl

from sitegen.config.goals import parse_goals
from sitegen.model.catalogue import builtin
from sitegen.model.engine import Engine
from sitegen.model.goals import GoalResult, GoalSettings, evaluate_goals

Row = dict[str, Any]


def days(first: date, last: date) -> Iterable[date]:
    """Yield every day from first to last."""
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


def real_engine(rows: list[Row]) -> Engine:
    """Return the real engine and catalogue over rows {date, channel?, metric: value}."""
    metrics = sorted({k for r in rows for k in r} - {"date", "channel"})
    data: dict[str, Any] = {
        "date": [r["date"] for r in rows],
        "channel": [r.get("channel", "instagram") for r in rows],
        "competitor": pl.Series([None] * len(rows), dtype=pl.Utf8),
    }
    for m in metrics:
        data[m] = pl.Series([r.get(m) for r in rows], dtype=pl.Float64)
    return Engine(pl.DataFrame(data), builtin())


@dataclass(frozen=True)
class Fixture:
    """Rows, goals and the as-of date of one goal test."""

    rows: Callable[[], list[Row]]
    goals: list[dict[str, Any]]
    as_of: date

    def evaluate(self, settings: GoalSettings | None = None) -> list[GoalResult]:
        """Return every goal of the fixture evaluated at its as-of date."""
        specs, _, _ = parse_goals({"goals": self.goals})
        results, _ = evaluate_goals(
            specs, real_engine(self.rows()), as_of=self.as_of, settings=settings
        )
        return results


def leads_5_a_day() -> list[Row]:
    """5 leads a day from 1 February 2025 to 31 May."""
    return [{"date": d, "leads": 5.0} for d in days(date(2025, 2, 1), date(2025, 5, 31))]


def cpl_rows() -> list[Row]:
    """2,000 a day of spend; 4 leads a day to 3 October 2025, then 5 a day to 31 October."""
    return [
        {"date": d, "spend": 2000.0, "leads": 4.0 if d <= date(2025, 10, 3) else 5.0}
        for d in days(date(2025, 1, 1), date(2025, 10, 31))
    ]


def followers_rows() -> list[Row]:
    """10,000 followers on 1 January 2025, 10 more every day to 31 March."""
    first = date(2025, 1, 1)
    return [
        {"date": d, "followers": 10000.0 + 10 * (d - first).days}
        for d in days(first, date(2025, 3, 31))
    ]


def per_month_rows() -> list[Row]:
    """3 leads a day from 1 January to 30 April 2025 (Jan 93, Feb 84, Mar 93, Apr 90)."""
    return [{"date": d, "leads": 3.0} for d in days(date(2025, 1, 1), date(2025, 4, 30))]


def ctr_rows() -> list[Row]:
    """goals.md's worked example: 2024 A 1,000/20 and B 1,000/10; 2025 A 1,000/20, B 3,000/30."""
    out: list[Row] = []
    for year, b_impr, b_clicks in ((2024, 1000.0, 10.0), (2025, 3000.0, 30.0)):
        for d in days(date(year, 1, 1), date(year, 1, 20)):
            out.append({"date": d, "channel": "a", "impressions": 50.0, "clicks": 1.0})
            out.append(
                {"date": d, "channel": "b", "impressions": b_impr / 20, "clicks": b_clicks / 20}
            )
    return out


def ctr_1pct_rows() -> list[Row]:
    """1,000 impressions and 10 clicks (CTR 1 %) a day from 1 January to 31 October 2025."""
    return [
        {"date": d, "impressions": 1000.0, "clicks": 10.0}
        for d in days(date(2025, 1, 1), date(2025, 10, 31))
    ]


def _goal(gid: str, **kw: Any) -> dict[str, Any]:
    return {"id": gid, "title": gid, **kw}


TOTAL = {"kpi": "leads", "start": date(2025, 2, 1), "deadline": date(2025, 10, 31)}
RATIO = {"kpi": "cpl", "start": date(2025, 1, 1), "deadline": date(2025, 12, 31), "baseline": 520}
LEVEL = {"kpi": "followers", "start": date(2025, 1, 1), "deadline": date(2025, 6, 30)}
PER = {"kpi": "leads", "per": "month", "start": date(2025, 1, 1), "deadline": date(2025, 6, 30)}
CTR = {"kpi": "ctr", "start": date(2025, 1, 1), "deadline": date(2025, 12, 31)}
CTR_BASE = {"start": date(2024, 1, 1), "end": date(2024, 12, 31)}

FIXTURES: dict[str, Fixture] = {
    "total": Fixture(
        leads_5_a_day,
        [
            _goal("leads-1300", target=1300, **TOTAL),
            _goal("leads-1500", target=1500, **TOTAL),
            _goal("leads-500", target=500, **TOTAL),
            _goal("early", target=1300, **{**TOTAL, "start": date(2025, 5, 25)}),
            _goal("later", target=100, **{**TOTAL, "start": date(2025, 6, 1)}),
            _goal("quick-40", target=40, **{**TOTAL, "start": date(2025, 5, 25)}),
            _goal("quick-30", target=30, **{**TOTAL, "start": date(2025, 5, 25)}),
        ],
        date(2025, 5, 31),
    ),
    "total-done": Fixture(
        leads_5_a_day,
        [
            _goal("met", target=600, **{**TOTAL, "deadline": date(2025, 5, 31)}),
            _goal("short", target=700, **{**TOTAL, "deadline": date(2025, 5, 31)}),
        ],
        date(2025, 5, 31),
    ),
    "share": Fixture(
        ctr_1pct_rows,
        [_goal("ctr-5", target=5, **CTR), _goal("ctr-20", target=20, **CTR)],
        date(2025, 10, 31),
    ),
    "ratio": Fixture(
        cpl_rows,
        [
            _goal("cpl-400", target=400, **RATIO),
            _goal("cpl-480", target=480, **RATIO),
            _goal("cpl-380", target=380, **RATIO),
        ],
        date(2025, 10, 31),
    ),
    "level": Fixture(
        followers_rows,
        [
            _goal("f-11500", target=11500, baseline=10000, **LEVEL),
            _goal("f-11900", target=11900, baseline=10000, **LEVEL),
            _goal("f-12100", target=12100, baseline=10000, **LEVEL),
            _goal("f-10500", target=10500, baseline=10000, **LEVEL),
        ],
        date(2025, 3, 31),
    ),
    "per-period": Fixture(
        per_month_rows,
        [
            _goal("m-90", target=90, baseline=80, **PER),
            _goal("m-91", target=91, baseline=80, **PER),
            _goal("m-95", target=95, baseline=80, **PER),
        ],
        date(2025, 4, 30),
    ),
    "ctr-mix": Fixture(
        ctr_rows,
        [_goal("ctr-2", target=2.0, baseline_period=CTR_BASE, **CTR)],
        date(2025, 1, 20),
    ),
}


def result(fixture: str, goal_id: str, settings: GoalSettings | None = None) -> GoalResult:
    """Return one goal of a fixture, evaluated."""
    found = {r.id: r for r in FIXTURES[fixture].evaluate(settings)}
    return found[goal_id]
