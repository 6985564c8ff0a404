"""The rate/mix split of goals.md section 5, with the spec's worked example."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

from sitegen.model.catalogue import builtin
from sitegen.model.decompose import flow_effects, rate_mix, ratio_change
from sitegen.model.engine import Engine
from sitegen.model.explain import explain, ratio_shape
from sitegen.model.periods import Period


def test_worked_ctr_example_is_all_mix() -> None:
    # Base: A 1,000 impressions / 20 clicks, B 1,000 / 10 -> 30 / 2,000 = 1.5 %.
    # Now:  A 1,000 / 20, B 3,000 / 30 -> 50 / 4,000 = 1.25 %. Change -0.25 points.
    base = {"A": (20.0, 1000.0), "B": (10.0, 1000.0)}
    now = {"A": (20.0, 1000.0), "B": (30.0, 3000.0)}
    effects = {e.channel: e for e in rate_mix(base, now, scale=100)}
    assert ratio_change(base, now, scale=100) == pytest.approx(-0.25)
    # Rates did not move: A 2 % -> 2 %, B 1 % -> 1 %.
    assert effects["A"].rate_effect == pytest.approx(0.0)
    assert effects["B"].rate_effect == pytest.approx(0.0)
    # Mix: A (0.25 - 0.5) x 2 = -0.5; B (0.75 - 0.5) x 1 = +0.25; total -0.25.
    assert effects["A"].mix_effect == pytest.approx(-0.5)
    assert effects["B"].mix_effect == pytest.approx(0.25)
    assert effects["B"].weight == pytest.approx(0.75)
    assert effects["B"].base_weight == pytest.approx(0.5)
    assert sum(e.effect for e in effects.values()) == pytest.approx(-0.25, abs=1e-12)


def test_new_and_gone_channels_add_up() -> None:
    # C is new (its 5/100 = 5 % is all mix), B is gone (w1 = 0).
    base = {"A": (10.0, 200.0), "B": (6.0, 100.0)}
    now = {"A": (30.0, 300.0), "C": (5.0, 100.0)}
    effects = {e.channel: e for e in rate_mix(base, now)}
    change = ratio_change(base, now)
    assert change == pytest.approx(35 / 400 - 16 / 300)
    assert effects["C"].rate_effect == 0.0 and effects["C"].base_value is None
    assert effects["B"].weight == 0.0 and effects["B"].value is None
    assert sum(e.effect for e in effects.values()) == pytest.approx(change, abs=1e-12)


def test_flow_effects_largest_first() -> None:
    effects = flow_effects({"a": 10.0, "b": 5.0}, {"a": 12.0, "b": 1.0, "c": 3.0})
    assert [(e.channel, e.change) for e in effects] == [("b", -4.0), ("c", 3.0), ("a", 2.0)]


def _engine(rows: list[dict[str, Any]]) -> Engine:
    frame = pl.DataFrame(rows).with_columns(
        pl.col("date").cast(pl.Date), pl.lit(None, dtype=pl.Utf8).alias("competitor")
    )
    metrics = [m for m in builtin().metrics if m in frame.columns]
    return Engine(frame.with_columns(pl.col(m).cast(pl.Float64) for m in metrics), builtin())


JAN = Period(date(2026, 1, 1), date(2026, 1, 31))
FEB = Period(date(2026, 2, 1), date(2026, 2, 28))


def test_explain_ctr_is_the_worked_example_through_the_engine() -> None:
    # January: A 1,000 impressions / 20 clicks, B 1,000 / 10; February: A 1,000 / 20, B 3,000 / 30.
    rows = [
        {"date": date(2026, 1, 10), "channel": "A", "impressions": 1000, "clicks": 20},
        {"date": date(2026, 1, 10), "channel": "B", "impressions": 1000, "clicks": 10},
        {"date": date(2026, 2, 10), "channel": "A", "impressions": 1000, "clicks": 20},
        {"date": date(2026, 2, 10), "channel": "B", "impressions": 3000, "clicks": 30},
    ]
    ex = explain(_engine(rows), "ctr", FEB, JAN)
    assert ex.kind == "ratio"
    assert ex.value == pytest.approx(1.25) and ex.base_value == pytest.approx(1.5)
    assert ex.rate_effect == pytest.approx(0.0, abs=1e-12)
    assert ex.mix_effect == pytest.approx(-0.25)
    assert ex.rate_effect + ex.mix_effect == pytest.approx(ex.change, abs=1e-9)


def test_explain_cpl_and_a_sum() -> None:
    # CPL = spend / leads. Jan: A 400 / 4 = 100, B 300 / 1 = 300 -> 700 / 5 = 140.
    # Feb: A 600 / 5 = 120, B 300 / 1 = 300 -> 900 / 6 = 150. Change +10.
    # Rate: w1_A (120 - 100) = 5/6 x 20 = 16.667; B 1/6 x 0 = 0.
    # Mix: A (5/6 - 4/5) x 100 = 3.333; B (1/6 - 1/5) x 300 = -10. Sum 16.667 + 3.333 - 10 = 10.
    rows = [
        {"date": date(2026, 1, 5), "channel": "A", "spend": 400, "leads": 4},
        {"date": date(2026, 1, 5), "channel": "B", "spend": 300, "leads": 1},
        {"date": date(2026, 2, 5), "channel": "A", "spend": 600, "leads": 5},
        {"date": date(2026, 2, 5), "channel": "B", "spend": 300, "leads": 1},
    ]
    eng = _engine(rows)
    ex = explain(eng, "cpl", FEB, JAN)
    by = {e.channel: e for e in ex.ratios}
    assert ex.change == pytest.approx(10.0)
    assert by["A"].rate_effect == pytest.approx(50 / 3)
    assert by["A"].mix_effect == pytest.approx(10 / 3)
    assert by["B"].mix_effect == pytest.approx(-10.0)
    # Spend is a flow: each channel's own change, largest first (A +200, B 0).
    spend = explain(eng, "spend", FEB, JAN)
    assert spend.kind == "sum"
    assert [(e.channel, e.change) for e in spend.flows] == [("A", 200.0), ("B", 0.0)]


def test_ratio_shape_peels_constants() -> None:
    cat = builtin()
    shape = ratio_shape(cat.kpis["ctr"])
    assert shape is not None and shape.scale == 100
    assert ratio_shape(cat.kpis["follower_growth_rate"]) is None  # start(): not a ratio of parts
