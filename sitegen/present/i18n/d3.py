"""The d3 number and time locales that make charts follow the page's locale."""

from __future__ import annotations

import re
from typing import TypedDict

from babel import numbers

from sitegen.present.i18n.format import NO_VALUE
from sitegen.present.i18n.locales import parse_locale


class D3FormatLocale(TypedDict):
    """A d3-format locale definition, as vl-convert's format_locale accepts it."""

    decimal: str
    thousands: str
    grouping: list[int]
    currency: list[str]
    minus: str
    percent: str
    nan: str


class D3TimeFormatLocale(TypedDict):
    """A d3-time-format locale definition, as vl-convert's time_format_locale accepts it."""

    dateTime: str
    date: str
    time: str
    periods: list[str]
    days: list[str]
    shortDays: list[str]
    months: list[str]
    shortMonths: list[str]


def d3_format_locale(locale: str, currency: str | None = None) -> D3FormatLocale:
    """Return the d3 number locale for a CLDR locale; currency affixes for the given code."""
    loc = parse_locale(locale)
    grouping = loc.decimal_formats[None].grouping
    affixes = ["", ""]
    if currency:
        cur = loc.currency_formats["standard"]
        symbol = numbers.get_currency_symbol(currency.upper(), loc)
        affixes = [a.replace("¤", symbol).replace("'", "") for a in (cur.prefix[0], cur.suffix[0])]
    pct = loc.percent_formats[None]
    return {
        "decimal": numbers.get_decimal_symbol(loc),
        "thousands": numbers.get_group_symbol(loc),
        "grouping": [grouping[0]] if grouping[0] == grouping[1] else [grouping[0], grouping[1]],
        "currency": affixes,
        "minus": numbers.get_minus_sign_symbol(loc),
        # d3 can only put the percent sign after the number; where CLDR puts it first
        # (e.g. tr) the chart keeps d3's plain suffix.
        "percent": pct.suffix[0] if not pct.prefix[0] else "%",
        "nan": NO_VALUE,
    }


# CLDR date-pattern letters -> d3-time-format directives, by the run's length (longest first).
_CLDR_TO_D3: dict[str, list[tuple[int, str]]] = {
    "y": [(3, "%Y"), (2, "%y"), (1, "%Y")],
    "M": [(4, "%B"), (3, "%b"), (2, "%m"), (1, "%-m")],
    "L": [(4, "%B"), (3, "%b"), (2, "%m"), (1, "%-m")],
    "d": [(2, "%d"), (1, "%-d")],
    "E": [(4, "%A"), (1, "%a")],
    "c": [(4, "%A"), (1, "%a")],
    "H": [(2, "%H"), (1, "%-H")],
    "k": [(2, "%H"), (1, "%-H")],
    "h": [(2, "%I"), (1, "%-I")],
    "K": [(2, "%I"), (1, "%-I")],
    "m": [(2, "%M"), (1, "%-M")],
    "s": [(2, "%S"), (1, "%-S")],
    "a": [(1, "%p")],
}
_CLDR_TOKEN = re.compile(r"'(?:[^']|'')*'|\{[01]\}|([A-Za-z])\1*|.", re.S)


def _cldr_to_d3(pattern: str) -> str:
    """Return a CLDR date pattern as a d3-time-format specifier ('d MMM y' -> '%-d %b %Y')."""
    out: list[str] = []
    for m in _CLDR_TOKEN.finditer(pattern):
        tok = m.group(0)
        if tok.startswith("'"):
            out.append((tok[1:-1].replace("''", "'") or "'").replace("%", "%%"))
        elif tok in ("{0}", "{1}"):
            out.append("%X" if tok == "{0}" else "%x")
        elif m.group(1):
            choices = _CLDR_TO_D3.get(tok[0])
            if choices is not None:  # era, zone and week fields have no d3 directive: dropped
                out.append(next(d for n, d in choices if len(tok) >= n))
        else:
            out.append(tok.replace("%", "%%"))
    return "".join(out).strip(" ,")


def d3_time_format_locale(locale: str) -> D3TimeFormatLocale:
    """Return the d3 time locale for a CLDR locale: month and day names, date patterns."""
    loc = parse_locale(locale)
    # Axis labels stand alone ("январь", not "января"), so stand-alone forms are used.
    months = loc.months["stand-alone"]
    days = loc.days["stand-alone"]
    sunday_first = [6, 0, 1, 2, 3, 4, 5]  # babel counts from Monday, d3 from Sunday
    combined = loc.datetime_formats["medium"]
    periods = loc.day_periods["format"]["abbreviated"]
    return {
        "dateTime": _cldr_to_d3(combined if isinstance(combined, str) else combined.pattern),
        "date": _cldr_to_d3(loc.date_formats["short"].pattern),
        "time": _cldr_to_d3(loc.time_formats["medium"].pattern),
        "periods": [periods.get("am", "AM"), periods.get("pm", "PM")],
        "days": [days["wide"][i] for i in sunday_first],
        "shortDays": [days["abbreviated"][i] for i in sunday_first],
        "months": [months["wide"][i] for i in range(1, 13)],
        "shortMonths": [months["abbreviated"][i] for i in range(1, 13)],
    }
