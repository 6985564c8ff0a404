"""The shapes a date cell may take, and the options that settle what the values cannot.

Each value is matched against ``SHAPES`` in order (ISO, 31.01.2025, 01/31/2025, 20250131,
Jan 31, 2025, 31 января 2025, 2025-W05, 2025-01 ...); Excel serials and ranges have their own
patterns. Month names are known in English, Russian and Latvian.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = {
    **{
        m: i + 1
        for i, m in enumerate(
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        )
    },
    **{
        m: i + 1
        for i, m in enumerate(
            ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"]
        )
    },
    "мая": 5,
    "mai": 5,
    "jūn": 6,
    "jūl": 7,
    "okt": 10,
}

_TIME = (
    r"(?P<hh>\d{1,2}):(?P<mi>\d{2})(?::(?P<ss>\d{2})(?:[.,]\d+)?)?\s*(?P<ampm>[ap]\.?m\.?)?"
    r"\s*(?P<tz>z|utc|gmt|[+-]\d{2}:?\d{2}|[+-]\d{2})?"
)
_TAIL = rf"(?:(?:t|\s+|,\s*){_TIME})?"
TIME_ONLY = r"(?i)(?:t|\s+|,\s*)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[ap]\.?m\.?)?$"
# A time of 00:00 says nothing about the row (daily exports stamp every day at midnight).
MIDNIGHT = r"(?i)(?:t|\s+|,\s*)(?:0?0:00(?::00(?:[.,]0+)?)?|12:00(?::00)?\s*a\.?m\.?)$"
_LETTERS = r"[^\W\d_]"

# (shape, grain, regex): tried in this order on the lower-cased, stripped value.
SHAPES: tuple[tuple[str, str, str], ...] = (
    ("iso", "day", rf"^(?P<y>\d{{4}})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}})\.?{_TAIL}$"),
    (
        "dot",
        "day",
        rf"^(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?P<y>\d{{4}}|\d{{2}})\.?(?:\s*г\.?)?{_TAIL}$",
    ),
    ("slash", "day", rf"^(?P<a>\d{{1,2}})[/-](?P<b>\d{{1,2}})[/-](?P<y>\d{{4}}|\d{{2}}){_TAIL}$"),
    ("compact", "day", r"^(?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])$"),
    (
        "text_mdy",
        "day",
        rf"^(?:{_LETTERS}+\.?,?\s+)?(?P<mon>{_LETTERS}{{3,}})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?"
        rf",?\s+(?P<y>\d{{4}}){_TAIL}$",
    ),
    (
        "text_dmy",
        "day",
        rf"^(?P<d>\d{{1,2}})\.?\s+(?P<mon>{_LETTERS}{{3,}})\.?,?\s+(?P<y>\d{{4}})(?:\s*г\.?)?"
        rf"{_TAIL}$",
    ),
    (
        "text_lv",
        "day",
        rf"^(?P<y>\d{{4}})\.\s*gada\s+(?P<d>\d{{1,2}})\.\s*(?P<mon>{_LETTERS}{{3,}})$",
    ),
    ("week", "week", r"^(?P<y>\d{4})[-\s]?w(?:eek)?\s?(?P<w>\d{1,2})$"),
    ("month_ym", "month", r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})$"),
    ("month_my", "month", r"^(?P<m>\d{1,2})[./](?P<y>\d{4})$"),
    ("month_compact", "month", r"^(?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])$"),
    ("month_text", "month", rf"^(?P<mon>{_LETTERS}{{3,}})\.?,?\s+(?P<y>\d{{4}})(?:\s*г\.?)?$"),
    ("month_text_y", "month", rf"^(?P<y>\d{{4}})\s+(?P<mon>{_LETTERS}{{3,}})$"),
)
SERIAL = r"^(?P<n>\d{5})(?:\.\d+)?$"
RANGES = (
    r"^(?P<l>.+?)\s+[-–—]\s+(?P<r>.+)$",
    r"^(?P<l>[^–—]+?)\s*[–—]\s*(?P<r>.+)$",
    r"^(?P<l>\d{1,2}\.\d{1,2}\.\d{2,4})-(?P<r>\d{1,2}\.\d{1,2}\.\d{2,4})$",
)
# An ISO date from the year 1000 on, maybe with a time of day (no offset): cells the general
# parse reads with its ISO shape and time-of-day stripping, and the fast path reads alike
# (0050-01-01, 2025-1-5 or 7:05 go the general way).
ISO_FAST = r"^[1-9]\d{3}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$"
GROUPS = ("y", "m", "d", "a", "b", "mon", "w", "n", "hh", "mi", "ss", "ampm", "tz")
EXPECTED = "a date such as 2025-01-31, 31.01.2025, 01/31/2025, 2025-W05 or 2025-01"
DATE_FORMAT_HINT = 'add date_format = "%d/%m/%Y" (or "%m/%d/%Y") under [data] in sitegen.toml'


@dataclass(frozen=True)
class DateOptions:
    """How to read dates the values cannot settle alone."""

    date_format: str | None = None
    timezone: str | None = None
    role: str = "date"  # the header's kind: date | week | month
    year: int | None = None  # the year of dates whose date_format has none ("%B %d")
    # The platform writes slashed dates month first (Meta, LinkedIn: 03/02/2025 is March 2);
    # used only when no day above 12 and no date_format settle the order.
    month_first: bool = False


# strftime codes that give the year: %Y, %y, %G, and the compound %D, %F, %c, %x, %s.
_YEAR_CODE = re.compile(r"%[-_0^#]?[YyGDFcxs]")
YEAR_HINT = "add year = 2026 (the dates' year) under [data] in sitegen.toml"


def has_year(date_format: str) -> bool:
    """Return True when a strftime pattern gives the year (TikTok's "%B %d" does not)."""
    return bool(_YEAR_CODE.search(date_format.replace("%%", "")))
