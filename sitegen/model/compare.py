"""Comparing two values: the relative change and its tone (a status code, not a colour).

Pure: numbers in, a number or one of "good", "bad", "flat" out; the pages colour the tone.
"""

from __future__ import annotations


def relative_change(value: float | None, base: float | None) -> float | None:
    """Return (value - base) / |base| as a fraction; None when undefined."""
    if value is None or base is None or base == 0:
        return None
    return (value - base) / abs(base)


def tone(change: float | None, better: str) -> str:
    """Return 'good', 'bad' or 'flat' for a change given the KPI's better direction."""
    if change is None or change == 0:
        return "flat"
    up = change > 0
    return "good" if up == (better == "higher") else "bad"
