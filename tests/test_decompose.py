"""The rate/mix split of goals.md section 5, with the spec's worked example."""

from __future__ import annotations

import pytest

from sitegen.model.decompose import flow_effects, rate_mix, ratio_change


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
