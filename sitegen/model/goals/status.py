"""The goal rules: the progress expected by a date, meeting a target, and the status.

project-format.md's "Meaning" section, with the choices docs/goals.md explains. Pure.
"""

from __future__ import annotations

from datetime import date

from sitegen.model.specs import GoalSpec

from .trend import whole_buckets

STATUSES = ("not_started", "achieved", "missed", "on_track", "at_risk", "off_track")
AT_RISK_SHARE = 0.75  # progress >= 0.75 x expected is at risk, below that off track
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


def status_of(
    *,
    spec: GoalSpec,
    as_of: date,
    current: float | None,
    target: float,
    progress: float | None,
    expected: float,
    better: str,
    cap: bool,
) -> str:
    """Return the goal's status (project-format.md "Meaning"; caps: see docs/goals.md)."""
    if as_of < spec.start:
        return "not_started"
    done = as_of >= spec.deadline
    if cap:
        # A ceiling on a total ("at most 100 unfollows by June") holds trivially at first, so
        # it is achieved only when the window is over, and broken as soon as it is passed.
        if current is not None and not meets(current, target, "lower"):
            return "missed" if done else "off_track"
        if done:
            return "achieved" if current is not None else "missed"
        if progress is None:
            return "at_risk"
        return "on_track" if progress <= expected + EPS else "at_risk"
    if meets(current, target, better):
        return "achieved"
    if done:
        return "missed"
    if progress is None:
        return "at_risk"  # nothing shows it is on track
    if progress >= expected - EPS:
        return "on_track"
    if progress >= AT_RISK_SHARE * expected - EPS:
        return "at_risk"
    return "off_track"
