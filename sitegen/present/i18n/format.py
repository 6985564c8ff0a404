"""Numbers, money and dates written the way a locale writes them (CLDR, through babel)."""

from __future__ import annotations

import copy
import datetime as dt
import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel import dates, numbers, units

from sitegen.errors import ConfigError
from sitegen.model.periods import Period, is_whole_months, months_in
from sitegen.present.i18n.gettext import get_translations
from sitegen.present.i18n.locales import parse_locale

# "No value" on a page: an en dash, never 0 and never "nan".
NO_VALUE = "\u2013"
# Cards show money from this amount up in whole units ("$1,264,311"): cents add nothing to a
# figure read at a glance. Tables and kpis.json keep the currency's own digits.
WHOLE_MONEY_FROM = 1000
# Percentages on cards: one decimal, more (up to this many) only when one decimal would
# show two different values as the same number.
MOST_PERCENT_DIGITS = 3


def _decimal(x: float | None) -> Decimal | None:
    """Return x as an exact Decimal of its shortest repr, or None for no value / NaN / inf."""
    if x is None or not math.isfinite(x):
        return None
    return Decimal(repr(float(x)))


def _round(x: Decimal, digits: int) -> Decimal:
    # Half away from zero, as spreadsheets round, so the pages agree with the client's Excel;
    # a result of zero loses its sign ("0.0", not "-0.0").
    r = x.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return abs(r) if r == 0 else r


def _smart_digits(x: Decimal) -> int:
    """Return the decimals worth showing: none from 100 up, two below, two significant < 1."""
    a = abs(x)
    if a >= 100:
        return 0
    if a >= 1 or a == 0:
        return 2
    return min(1 - a.adjusted(), 6)


def digits_apart(
    values: list[float | None], least: int = 1, most: int = MOST_PERCENT_DIGITS
) -> int:
    """Return the fewest decimals (least..most) that keep the distinct values distinct."""
    exact = {d for d in (_decimal(v) for v in values) if d is not None}
    for digits in range(least, most + 1):
        if len({_round(d, digits) for d in exact}) == len(exact):
            return digits
    return most


def _currency_spacing(text: str, symbol: str) -> str:
    """Put a no-break space between a letter symbol and the digits: 'RUB 448.72', not 'RUB448.72'.

    CLDR's currencySpacing rule, which babel does not apply: a symbol that ends (or starts)
    in a letter is kept apart from the number next to it.
    """
    if not symbol or (not symbol[-1].isalpha() and not symbol[0].isalpha()):
        return text
    at = text.find(symbol)
    if at < 0:
        return text
    end = at + len(symbol)
    if symbol[-1].isalpha() and end < len(text) and text[end].isdigit():
        text = text[:end] + "\u00a0" + text[end:]
    if symbol[0].isalpha() and at > 0 and text[at - 1].isdigit():
        text = text[:at] + "\u00a0" + text[at:]
    return text


def _with_frac(pattern: numbers.NumberPattern, frac: tuple[int, int]) -> numbers.NumberPattern:
    """Return a copy of a CLDR number pattern with (min, max) fraction digits."""
    p = copy.copy(pattern)
    p.frac_prec = frac
    return p


class Formatter:
    """Formats numbers, money and dates for one locale and currency, per CLDR."""

    def __init__(self, locale: str, currency: str) -> None:
        self.locale = parse_locale(locale)
        code = currency.strip().upper()
        if not numbers.is_currency(code):
            raise ConfigError(
                f"unknown currency {currency!r}",
                key="project.currency",
                expected="an ISO 4217 currency code such as USD, EUR or RUB",
                found=repr(currency),
            )
        self.currency_code = code
        self._translations = get_translations(locale)
        self._minus = numbers.get_minus_sign_symbol(self.locale)
        self._plus = numbers.get_plus_sign_symbol(self.locale)
        self._values: dict[tuple[float | None, str], str] = {}

    def _apply(
        self,
        pattern: numbers.NumberPattern,
        value: Decimal,
        frac: tuple[int, int],
        *,
        currency: str | None = None,
        plus: bool = False,
    ) -> str:
        # babel writes an ASCII "-" whatever the locale says, so the sign is put in here:
        # the negative form places it where CLDR wants it, and a wanted "+" takes its place.
        p = _with_frac(pattern, frac)
        if value < 0 or (plus and value > 0):
            text = str(p.apply(-abs(value), self.locale, currency=currency, currency_digits=False))
            return text.replace("-", self._minus if value < 0 else self._plus, 1)
        return str(p.apply(value, self.locale, currency=currency, currency_digits=False))

    def number(self, x: float | None, digits: int | None = None) -> str:
        """Return x with the locale's separators; digits=None picks a precision by size."""
        d = _decimal(x)
        if d is None:
            return NO_VALUE
        lo, hi = (0, _smart_digits(d)) if digits is None else (digits, digits)
        return self._apply(self.locale.decimal_formats[None], _round(d, hi), (lo, hi))

    def percent(self, x: float | None, digits: int = 1) -> str:
        """Return a value given in percent (1.234 means 1.234 %) as the locale writes it."""
        d = _decimal(x)
        if d is None:
            return NO_VALUE
        return self._apply(
            self.locale.percent_formats[None], _round(d, digits).scaleb(-2), (digits, digits)
        )

    def change(self, fraction: float | None, digits: int = 1) -> str:
        """Return a relative change (0.122 means +12.2 %) as a signed percentage."""
        d = _decimal(fraction)
        if d is None:
            return NO_VALUE
        value = _round(d.scaleb(2), digits).scaleb(-2)
        return self._apply(self.locale.percent_formats[None], value, (digits, digits), plus=True)

    def currency(self, x: float | None, digits: int | None = None) -> str:
        """Return an amount in the project's currency; digits=None uses the currency's own."""
        d = _decimal(x)
        if d is None:
            return NO_VALUE
        code = self.currency_code
        n = numbers.get_currency_precision(code) if digits is None else digits
        text = self._apply(
            self.locale.currency_formats["standard"], _round(d, n), (n, n), currency=code
        )
        return _currency_spacing(text, numbers.get_currency_symbol(code, self.locale))

    def glance(self, x: float | None, unit: str, other: float | None = None) -> str:
        """Return a value as a card shows it: whole money from WHOLE_MONEY_FROM up, and
        percentages with one decimal, more only when other (e.g. the previous value)
        would read the same."""
        if unit == "currency":
            d = _decimal(x)
            if d is not None and abs(d) >= WHOLE_MONEY_FROM:
                return self.currency(x, 0)
            return self.currency(x)
        if unit == "percent":
            return self.percent(x, digits_apart([x, other]))
        return self.value(x, unit)

    def ratio(self, x: float | None) -> str:
        """Return a ratio such as ROAS as a multiple: '2.5×'."""
        text = self.number(x)
        return text if text == NO_VALUE else text + "\u00d7"

    def minutes(self, x: float | None) -> str:
        """Return minutes with the locale's short unit (a decimal below 10): '12 min', '2,5 мин'."""
        d = _decimal(x)
        if d is None:
            return NO_VALUE
        n = 0 if abs(d) >= 10 else 1
        p = _with_frac(self.locale.decimal_formats[None], (0, n))
        # babel annotates format as a pattern string but parses a NumberPattern as well; a
        # number (not a preformatted string) lets it pick the unit's plural form.
        return units.format_unit(
            _round(d, n),
            "duration-minute",
            length="short",
            format=p,  # type: ignore[arg-type]
            locale=self.locale,
        )

    def points(self, x: float | None) -> str:
        """Return a score in points such as NPS, as a whole number."""
        return self.number(x, 0)

    def value(self, x: float | None, unit: str) -> str:
        """Return a KPI value formatted for its unit (count, percent, currency, ratio, ...)."""
        # A site formats the same numbers again and again (cards, tables, tooltips, alt
        # texts): 9045 calls for 3381 distinct values in an example, each a babel pattern.
        key = (x, unit)
        text = self._values.get(key)
        if text is None:
            text = self._values[key] = self._value(x, unit)
        return text

    def _value(self, x: float | None, unit: str) -> str:
        if unit == "count":
            return self.number(x)
        if unit == "percent":
            return self.percent(x)
        if unit == "currency":
            return self.currency(x)
        if unit == "ratio":
            return self.ratio(x)
        if unit == "minutes":
            return self.minutes(x)
        if unit == "points":
            return self.points(x)
        raise ValueError(f"unknown KPI unit {unit!r}")

    def date(self, d: dt.date | None) -> str:
        """Return a date in the locale's medium form: 'Jan 5, 2025', '5 янв. 2025 г.'."""
        if d is None:
            return NO_VALUE
        return dates.format_date(d, "medium", locale=self.locale)

    def month(self, d: dt.date | None) -> str:
        """Return the month of d with its year: 'Jan 2025', 'янв. 2025 г.', '2025. g. janv.'."""
        if d is None:
            return NO_VALUE
        # The skeleton lets CLDR choose the order and the stand-alone month form.
        return dates.format_skeleton("yMMM", d, locale=self.locale)

    def period(self, start: dt.date | None, end: dt.date | None) -> str:
        """Return the inclusive date range as one CLDR interval: 'Jan 1 – Oct 31, 2025'."""
        if start is None or end is None:
            return NO_VALUE
        return dates.format_interval(start, end, "yMMMd", locale=self.locale)

    def totals(self, periods: Sequence[Period] | None, mixed: bool = False) -> str:
        """Return the note of a value that adds up period totals: 'March 2026 total', or with
        mixed (daily rows add to it) 'incl. March 2026 total'."""
        if not periods:
            return ""
        # A whole calendar month reads as its name; other periods as a date range.
        shown = ", ".join(
            dates.format_skeleton("yMMMM", p.start, locale=self.locale)
            if is_whole_months(p) and months_in(p) == 1
            else self.period(p.start, p.end)
            for p in periods
        )
        if mixed and len(periods) == 1:
            # Translators: under a value that adds daily data and a report totalling one
            # period (no days), e.g. "incl. March 2026 total".
            return self._translations.gettext("incl. %(period)s total") % {"period": shown}
        if mixed:
            # Translators: under a value that adds daily data and reports totalling periods.
            return self._translations.gettext("incl. totals of %(periods)s") % {"periods": shown}
        if len(periods) == 1:
            # Translators: under a value that comes from a report totalling one period (no
            # days), e.g. "March 2026 total" or "Jan 20 – 21, 2026 total".
            return self._translations.gettext("%(period)s total") % {"period": shown}
        # Translators: under a value that adds up reports totalling several periods.
        return self._translations.gettext("totals of %(periods)s") % {"periods": shown}

    def week(self, d: dt.date | None) -> str:
        """Return the ISO week that holds d: 'W03 2025' (translated)."""
        if d is None:
            return NO_VALUE
        iso = d.isocalendar()
        # Translators: an ISO week and its year, e.g. "W03 2025"; %(week)02d pads to 2 digits.
        label = self._translations.gettext("W%(week)02d %(year)d")
        return label % {"week": iso.week, "year": iso.year}


@cache
def formatter(locale: str, currency: str) -> Formatter:
    """Return the one shared Formatter of a locale and currency."""
    return Formatter(locale, currency)
