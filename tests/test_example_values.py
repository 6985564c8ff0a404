"""Every KPI of every example project holds values a client would believe (issue 17).

Rates that cannot pass 100 % stay within 0..100, scores within -100..100, counts and money are
never negative (except the KPIs that are differences), and money amounts (sums of spend or
revenue) carry no more precision than cents. A finding is fixed in the KPI's definition or in
the example data (scripts/generate_examples.py), never in the display.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.model.analysis import Analysis, KpiResult
from sitegen.model.catalogue import KpiDef, builtin
from sitegen.pipeline.run import compute, load, read

CONTENT = Path(__file__).resolve().parent.parent / "content"
PROJECTS = sorted(p.name for p in CONTENT.iterdir() if (p / "sitegen.toml").is_file())

# Shares of a whole: a part over the whole it belongs to (or per post over the audience).
AT_MOST_100 = {
    "engagement_rate",
    "engagement_rate_followers",
    "amplification_rate",
    "virality_rate",
    "ctr",
    "conversion_rate",
    "bounce_rate",
    "lead_conversion_rate",
    "share_of_voice",
    "response_rate",
    "csat",
    "video_view_rate",
    "unfollow_rate",
}
SCORES = {"sentiment_score", "nps"}  # -100..100
# Differences that may fall below zero; growth and ROI no lower than -100 %.
SIGNED = {"net_follower_growth"}
FLOOR_MINUS_100 = {"follower_growth_rate", "roi"}


def absurd(kpi: KpiDef, value: float, additive: bool) -> str | None:
    """Return why a client would not believe value for kpi, or None."""
    if kpi.id in AT_MOST_100 and not 0 <= value <= 100:
        return "a share outside 0..100 %"
    if kpi.id in SCORES and not -100 <= value <= 100:
        return "a score outside -100..100"
    if kpi.id in FLOOR_MINUS_100 and value < -100:
        return "below -100 %"
    if kpi.unit in ("count", "currency") and kpi.id not in SIGNED and value < 0:
        return "a negative count or amount"
    # An amount of money (a sum) has whole cents; a ratio (CPL) is an exact fraction.
    if kpi.unit == "currency" and additive and round(value, 2) != value:
        return "money with more precision than cents"
    return None


def _values(r: KpiResult) -> Iterator[tuple[str, float]]:
    named = {"value": r.value, "previous": r.previous, "year_ago": r.year_ago}
    named |= {f"channel {ch}": v for ch, v in r.channels.items()}
    for grain, points in r.series.items():
        named |= {f"{grain} {b.label}": v for b, v in points}
    for ch, points in r.channel_series.items():
        named |= {f"{ch} month {b.label}": v for b, v in points}
    named |= {f"previous month {b.label}": v for b, v in r.previous_series}
    yield from ((k, v) for k, v in named.items() if v is not None)


@pytest.fixture(scope="module", params=PROJECTS)
def analysis(request: pytest.FixtureRequest) -> Analysis:
    project = load(CONTENT / request.param)
    return compute(project, read(project))


def test_every_example_kpi_is_believable(analysis: Analysis) -> None:
    found = [
        f"{r.kpi.id} {where}: {value!r} is {why}"
        for r in [*analysis.kpis.values(), *analysis.metrics.values()]
        for where, value in _values(r)
        if (why := absurd(r.kpi, value, r.additive or r.kpi.metric is not None))
    ]
    assert found == []
    assert analysis.kpis  # an example with no KPI would pass the walk above unchecked


def test_the_checker_catches_what_the_old_definitions_gave() -> None:
    cat = builtin()
    # The old engagement_rate_followers summed ten months of engagement over the followers:
    # 80,060 / 10,000 x 100 = 800.6 %, as on the example site before the per-post rate.
    assert absurd(cat.get("engagement_rate_followers"), 800.6, False) == "a share outside 0..100 %"
    assert absurd(cat.get("nps"), -101.0, False) == "a score outside -100..100"
    assert absurd(cat.get("roi"), 1952.85, False) is None  # returns may exceed 100 %
    assert absurd(cat.get("roi"), -100.5, False) == "below -100 %"
    assert absurd(cat.get("leads"), -1.0, True) == "a negative count or amount"
    assert absurd(cat.get("net_follower_growth"), -40.0, True) is None
    # 1,264,310.61 summed in floating point without the engine's rounding:
    assert absurd(cat.get("revenue"), 1264310.6099999999, True) == (
        "money with more precision than cents"
    )
    assert absurd(cat.get("revenue"), 1264310.61, True) is None
    assert absurd(cat.get("cpl"), 448.71519269776877, False) is None  # a ratio, exact
