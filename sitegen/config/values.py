"""Small value helpers shared by the config files and the code that uses their results."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sitegen.model.values import finite

PERCENT = re.compile(r"^\s*([+\-\u2212]?)\s*(\d+(?:[.,]\d+)?)\s*%\s*$")


def show(value: Any) -> str:
    """Return how a found value is shown in a message: 'text', 5 (int), a table, a list."""
    if isinstance(value, str):
        return repr(value[:80]) + ("…" if len(value) > 80 else "")
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, datetime):
        return f"{value.isoformat()} (a date-time)"
    if isinstance(value, date):
        return f"{value.isoformat()} (a date)"
    return f"{value!r} ({type(value).__name__})"


def parse_change(value: Any) -> float | None:
    """Return "+35%" as 0.35 (also "-10 %", "35,5%", a bare number as a fraction); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return finite(float(value))
    if not isinstance(value, str):
        return None
    m = PERCENT.match(value)
    if not m:
        return None
    sign = -1.0 if m.group(1) in ("-", "\u2212") else 1.0
    return sign * float(m.group(2).replace(",", ".")) / 100


def parse_share(value: Any) -> float | None:
    """Return a share as a fraction: 0.10 or "10%" -> 0.10; None when it is neither."""
    if isinstance(value, str):
        return parse_change(value) if PERCENT.match(value) else None
    return parse_change(value)
