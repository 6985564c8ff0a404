"""The tone a change is shown in: good, bad or flat, given the KPI's better direction."""

from __future__ import annotations


def tone(change: float | None, better: str) -> str:
    """Return 'good', 'bad' or 'flat' for a change given the KPI's better direction."""
    if change is None or change == 0:
        return "flat"
    up = change > 0
    return "good" if up == (better == "higher") else "bad"
