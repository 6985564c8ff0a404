"""The goal rules: the progress expected by a date, meeting a target, and the status.

goals.md section 3, with the choices docs/goals.md explains. Pure.
"""

from __future__ import annotations

from datetime import date

from sitegen.model.specs import GoalSpec

from .trend import whole_buckets

STATUSES = (
    "not_started",
    "not_enough_data",
    "achieved",
    "missed",
    "on_track",
    "at_risk",
    "off_track",
)
EPS = 1e-9


def fmt(x: float) -> str:
    """Return a number for a message: at most two decimals, no trailing zeros."""
    text = f"{x:,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def expected_progress(spec: GoalSpec, as_of: date) -> float:
    """Return the share of the goal window's days elapsed at as_of, in [0, 1]."""
    if as_of < spec.start:
        return 0.0
    elapsed = (min(as_of, spec.deadline) - spec.start).days + 1
    return min(1.0, elapsed / spec.window.days)


def goal_grain(spec: GoalSpec) -> str:
    """Return the goal's grain: per, else month when the window holds 3+ whole months."""
    if spec.per is not None:
        return spec.per
    return "month" if len(whole_buckets(spec.window, "month")) >= 3 else "week"


def meets(value: float | None, target: float, better: str) -> bool:
    """Return True when value reaches target in the better direction."""
    if value is None:
        return False
    tol = EPS * max(1.0, abs(target))  # 3.9 * 1.35 must meet 5.265
    return value >= target - tol if better != "lower" else value <= target + tol


def tolerance_of(target: float, baseline: float | None, share: float) -> float:
    """Return how far a forecast may miss the target and still be at risk (goals.md section 3).

    share of the distance from the baseline to the target; half of it of the target when
    there is no baseline to measure a distance from (10 % and 5 % by default).
    """
    if baseline is not None and baseline != target:
        return share * abs(target - baseline)
    return share / 2 * abs(target)


def status_of(
    *,
    measure: str,
    started: bool,
    enough_data: bool,
    done: bool,
    current: float | None,
    forecast: float | None,
    target: float,
    better: str,
    tolerance: float,
) -> str:
    """Return the goal's status: goals.md section 3's table, checked in its order."""
    if not started:
        return "not_started"
    if done:
        return "achieved" if meets(current, target, better) else "missed"
    if measure == "total" and current is not None:
        # A total only grows: a reached target stays reached, a passed ceiling stays passed.
        # These are facts, so they come before "too early to tell", which is about the
        # forecast (goals.md lists not_enough_data first; a reader would not expect "too
        # early" beside a target already met).
        if better != "lower" and meets(current, target, better):
            return "achieved"
        if better == "lower" and not meets(current, target, better):
            return "missed"
    if not enough_data:
        return "not_enough_data"
    if forecast is None:
        return "not_enough_data"
    if meets(forecast, target, better):
        return "on_track"
    miss = forecast - target if better == "lower" else target - forecast
    return "at_risk" if miss <= tolerance + EPS * max(1.0, abs(target)) else "off_track"
