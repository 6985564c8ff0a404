"""The period a report states in a title line or its file name: "Период: 01.03.2026 -
31.03.2026", "January 20, 2026 - January 21, 2026", "Content 2026-01-01_2026-01-31 Channel",
"2026. gada 1. marts - 2026. gada 31. marts", or a whole month ("March 2026", "март 2026").

Used for exports that total a period and have no date column (Yandex.Direct, Google Ads,
YouTube Studio): the reader takes their rows as totals for the period found here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

import polars as pl

from sitegen.readers.cells import CellError
from sitegen.readers.dateformats import DateOptions
from sitegen.readers.datetext import parse_values

_L = r"[^\W\d_]"
# One date inside free text; the year may be missing on the left side of a range
# ("Mar 1 - Mar 31, 2026"), which then takes the right side's year.
_DATE = (
    r"(?<![\d.])(?:"
    r"[12]\d{3}[-./][01]?\d[-./][0-3]?\d"  # 2026-03-01, 2026.03.01
    r"|[0-3]?\d\.[01]?\d\.[12]\d{3}"  # 01.03.2026
    r"|[0-3]?\d/[0-3]?\d/[12]\d{3}"  # 03/01/2026
    r"|(?:19|20)\d{2}[01]\d[0-3]\d"  # 20260301 (file names)
    r"|[12]\d{3}\.\s*gada\s+[0-3]?\d\.\s*" + _L + r"{3,}"  # 2026. gada 1. marts
    r"|" + _L + r"{3,}\.?\s+[0-3]?\d(?:st|nd|rd|th)?(?:,?\s+[12]\d{3})?"  # March 1, 2026
    r"|[0-3]?\d\.?\s+" + _L + r"{3,}\.?(?:,?\s+[12]\d{3}(?:\s*г\.?)?)?"  # 1 марта 2026 г.
    r")(?![\d])"
)
_JOIN = r"\s*(?:-|–|—|_|\.\.|~|to|until|through|по|до|līdz)\s*"
_RANGE = re.compile(rf"(?i)(?:from\s+|с\s+|no\s+)?(?P<l>{_DATE}){_JOIN}(?P<r>{_DATE})")
_MONTH = re.compile(
    rf"(?i)(?<!\w)(?P<m>{_L}{{3,}})\.?,?\s+(?P<y>[12]\d{{3}})(?:\s*г(?:ода|\.)?)?(?!\w)"
)
_YEAR = re.compile(r"[12]\d{3}")


def _parse(text: str) -> date | None:
    try:
        out = parse_values(pl.DataFrame({"v": [text.strip()], "_pos": [0]}), DateOptions())
    except CellError:
        return None
    value = out["date"][0] if out.height else None
    grain = out["grain"][0] if out.height else None
    return value if isinstance(value, date) and grain == "day" else None


def _range(left: str, right: str) -> tuple[date, date] | None:
    end = _parse(right)
    if end is None:
        return None
    start = _parse(left)
    if start is None and not _YEAR.search(left):
        # "Mar 1 - Mar 31, 2026": the left side takes the right side's year (or the year
        # before, for "Dec 1 - Jan 31, 2026").
        start = _parse(f"{left}, {end.year}") or _parse(f"{left} {end.year}")
        if start is not None and start > end:
            start = start.replace(year=end.year - 1)
    if start is None or start > end:
        return None
    return start, end


def _month(name: str, year: str) -> tuple[date, date] | None:
    first = _parse(f"1 {name} {year}")
    if first is None:
        return None
    nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def period_in(texts: Iterable[str], months: bool = True) -> tuple[date, date] | None:
    """Return the first period (start, end) that the texts state, or None.

    A range of two dates comes first; with months, a whole month named with its year
    ("March 2026") counts when a text names exactly one.
    """
    texts = [t for t in texts if t]
    for text in texts:
        for match in _RANGE.finditer(text):
            found = _range(match["l"], match["r"])
            if found is not None:
                return found
    if months:
        for text in texts:
            found_months = {
                m for hit in _MONTH.finditer(text) if (m := _month(hit["m"], hit["y"])) is not None
            }
            if len(found_months) == 1:
                return found_months.pop()
    return None
