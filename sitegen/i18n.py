"""Locale formatting (numbers, money, dates) and UI text (gettext) for the report pages.

Numbers, currencies and dates follow CLDR through babel, for any locale babel knows. UI text
comes from the gettext catalogues in ``sitegen/locales/<lang>/LC_MESSAGES/messages.po``,
compiled in memory at run time (no ``.mo`` files in the repository); English is the source
language, so a locale without a catalogue shows English UI text (see ``ui_fallback_warning``).
Charts get the same conventions as d3 locale dictionaries for vl-convert.

Run ``python -m sitegen.i18n`` to re-extract ``messages.pot`` from the templates and code and
merge it into every ``messages.po`` (see docs/translations.md).
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from babel import Locale, UnknownLocaleError, dates, numbers, units
from babel.messages.extract import DEFAULT_KEYWORDS
from babel.support import Translations

from sitegen.errors import ConfigError, SitegenWarning

if TYPE_CHECKING:
    import jinja2
    from babel.messages.catalog import Catalog

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"

# "No value" on a page: an en dash, never 0 and never "nan".
NO_VALUE = "\u2013"

# Python code calls gettext(locale, msgid) and ngettext(locale, singular, plural, n), while
# templates and Translations objects use the one-argument forms: the argument count tells
# the extractor where the message is.
EXTRACT_KEYWORDS: dict[str, Any] = {
    **DEFAULT_KEYWORDS,
    "gettext": {None: None, 2: (2,)},
    "ngettext": {None: (1, 2), 4: (2, 3)},
    "NP_": (1, 2),
}
COMMENT_TAGS = ("Translators:",)

# Used when the repository has no babel.cfg (e.g. an installed package).
_DEFAULT_MAPPING = (
    ("themes/**/templates/**.html", "jinja2"),
    ("sitegen/**.py", "python"),
)


# --- locales -----------------------------------------------------------------------------


def ui_languages() -> list[str]:
    """Return the languages with translated UI text, the source language included."""
    found = {p.parent.parent.name for p in LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return sorted(found | {SOURCE_LANGUAGE})


def parse_locale(locale: str) -> Locale:
    """Return the babel Locale for a code such as 'ru', 'lv', 'en_GB' or 'en-GB'."""
    try:
        return Locale.parse(locale.strip().replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        raise ConfigError(
            f"unknown locale {locale!r}",
            key="project.locale",
            expected="a CLDR locale code",
            found=repr(locale),
            hint=f"UI text is translated for {', '.join(ui_languages())}; any other CLDR "
            "locale (e.g. de, en_GB) formats numbers and dates and keeps English UI text",
        ) from None


def _catalogue_language(loc: Locale) -> str | None:
    for candidate in (str(loc), loc.language):
        if (LOCALES_DIR / candidate / "LC_MESSAGES" / f"{DOMAIN}.po").is_file():
            return candidate
    return None


def ui_fallback_warning(locale: str) -> SitegenWarning | None:
    """Return a warning when the locale has no UI translation (its pages keep English text)."""
    loc = parse_locale(locale)
    if loc.language == SOURCE_LANGUAGE or _catalogue_language(loc) is not None:
        return None
    return SitegenWarning(
        f"no UI translation for locale {locale!r}: numbers and dates follow it, "
        "page text stays in English",
        key="project.locale",
        hint=f"translated: {', '.join(ui_languages())}; docs/translations.md shows how to "
        "add a language",
        code="locale-fallback",
    )


# --- numbers and dates -------------------------------------------------------------------


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
        return self._apply(
            self.locale.currency_formats["standard"], _round(d, n), (n, n), currency=code
        )

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

    def week(self, d: dt.date | None) -> str:
        """Return the ISO week that holds d: 'W03 2025' (translated)."""
        if d is None:
            return NO_VALUE
        iso = d.isocalendar()
        # Translators: an ISO week and its year, e.g. "W03 2025"; %(week)02d pads to 2 digits.
        label = self._translations.gettext("W%(week)02d %(year)d")
        return label % {"week": iso.week, "year": iso.year}


# --- d3 locales for charts ---------------------------------------------------------------


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


# --- UI text -----------------------------------------------------------------------------


def N_(msgid: str) -> str:
    """Return msgid unchanged: marks a string for extraction, translated later."""
    return msgid


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Return both forms unchanged: marks a plural message for extraction."""
    return singular, plural


@cache
def _catalogue_translations(language: str | None) -> Translations:
    if language is None:
        return Translations()  # the source language: every msgid is its own text
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    path = LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=language, domain=DOMAIN)
    buf = BytesIO()
    # Fuzzy entries are unchecked guesses of babel's merge: they stay untranslated.
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return Translations(buf, domain=DOMAIN)


def get_translations(locale: str) -> Translations:
    """Return the UI translations for a locale (English text when it has no catalogue)."""
    return _catalogue_translations(_catalogue_language(parse_locale(locale)))


def gettext(locale: str, msgid: str, /) -> str:
    """Return msgid translated for the locale (format its %(name)s fields yourself)."""
    return get_translations(locale).gettext(msgid)


def ngettext(locale: str, singular: str, plural: str, n: int, /) -> str:
    """Return the singular or plural message for n, translated per the locale's plural rules."""
    return get_translations(locale).ngettext(singular, plural, n)


def install_i18n(env: jinja2.Environment, locale: str) -> None:
    """Install the locale's gettext, ngettext and _ in a Jinja environment (new style)."""
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    # babel.cfg extracts {% trans %} blocks trimmed, so they must be looked up trimmed too.
    env.policies["ext.i18n.trimmed"] = True
    # The i18n extension adds this method to the environment at run time, unseen by mypy.
    # New style: _("%(n)s per month", n=x) formats and escapes; ngettext gets num=n.
    install = env.install_gettext_translations  # type: ignore[attr-defined]
    install(get_translations(locale), newstyle=True)


# --- extraction and catalogue upkeep -----------------------------------------------------


def _mapping(root: Path) -> tuple[list[tuple[str, str]], dict[str, dict[str, str]]]:
    cfg = root / "babel.cfg"
    if cfg.is_file():
        from babel.messages.frontend import parse_mapping_cfg

        with cfg.open(encoding="utf-8") as f:
            # babel leaves this function unannotated; it returns the two lists typed below.
            method_map, options_map = parse_mapping_cfg(  # type: ignore[no-untyped-call]
                f, filename=str(cfg)
            )
        return method_map, options_map
    return list(_DEFAULT_MAPPING), {}


_HEADER = (
    "# %s for sitegen's UI text.\n"
    "# This file is distributed under the same license as the sitegen project.\n"
    "# Update with `python -m sitegen.i18n`; see docs/translations.md."
)


def extract_catalog(root: str | Path) -> Catalog:
    """Return the template catalogue of every message used in root's templates and code."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    root = Path(root)
    method_map, options_map = _mapping(root)
    catalog = Catalog(
        project="sitegen",
        version=None,
        header_comment=_HEADER % "Translations template",
        copyright_holder="sitegen contributors",
        domain=DOMAIN,
        charset="utf-8",
        fuzzy=False,
    )
    for filename, lineno, message, comments, context in extract_from_dir(
        root,
        method_map,
        options_map,
        keywords=EXTRACT_KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    ):
        catalog.add(
            message,
            None,
            [(Path(filename).as_posix(), lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def extract_messages(root: str | Path) -> set[str]:
    """Return the msgids (singular forms) used in root's templates and Python code."""
    return {_singular(m.id) for m in extract_catalog(root) if m.id}


def _singular(msgid: str | tuple[str, ...] | list[str]) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def update_catalogues(root: str | Path, languages: Iterable[str] | None = None) -> list[Path]:
    """Re-extract messages.pot under root and merge it into each language's messages.po."""
    from babel.messages.pofile import read_po, write_po

    root = Path(root)
    locales = root / "sitegen" / "locales"
    template = extract_catalog(root)
    pot = locales / f"{DOMAIN}.pot"
    if pot.is_file():
        with pot.open("rb") as f:
            # Keep the creation date so that an unchanged .pot stays byte-identical.
            template.creation_date = read_po(f).creation_date
    locales.mkdir(parents=True, exist_ok=True)
    written = [pot]
    # No line numbers in the files: they then change only when the messages do.
    with pot.open("wb") as f:
        write_po(f, template, width=100, include_lineno=False)
    if languages is None:
        languages = [p.parent.parent.name for p in locales.glob(f"*/LC_MESSAGES/{DOMAIN}.po")]
    for lang in sorted(languages):
        po = locales / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        if po.is_file():
            with po.open("rb") as f:
                catalog = read_po(f, locale=lang, domain=DOMAIN)
        else:
            from babel.messages.catalog import Catalog

            po.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(
                locale=lang,
                domain=DOMAIN,
                project="sitegen",
                version=None,
                header_comment=_HEADER % f"{Locale.parse(lang).english_name} translations",
                copyright_holder="sitegen contributors",
                charset="utf-8",
                fuzzy=False,
            )
        catalog.update(template, update_header_comment=False)
        with po.open("wb") as f:
            write_po(f, catalog, width=100, include_lineno=False, ignore_obsolete=True)
        written.append(po)
    return written


# --- the UI vocabulary -------------------------------------------------------------------

# Every UI string a report needs, marked here so that the catalogues carry them before the
# templates use them: extraction finds them in this file like any other call. KPI labels and
# definitions are not here: they live, per locale, in sitegen/catalogue/kpis.toml.
UI_MESSAGES: tuple[str, ...] = (
    # Navigation and page furniture
    N_("Overview"),
    N_("Goals"),
    N_("KPIs"),
    N_("Channels"),
    N_("Case studies"),
    N_("Comparisons"),
    N_("Competitors"),
    N_("Data"),
    N_("Pages"),
    N_("Home"),
    N_("Menu"),
    N_("Skip to content"),
    N_("Site navigation"),
    # Translators: a link to the previous page in a sequence of pages.
    N_("Previous"),
    # Translators: a link to the next page in a sequence of pages.
    N_("Next"),
    N_("Back to top"),
    N_("Back to overview"),
    N_("Contents"),
    N_("Portfolio"),
    N_("Projects"),
    N_("Language"),
    N_("Close"),
    N_("Print"),
    N_("Page not found"),
    N_("The page you are looking for does not exist."),
    N_("Go to the home page"),
    N_("Generated by sitegen"),
    # Report header
    N_("Report period"),
    # Translators: a label before the last date of the report, e.g. "As of: 31 Oct 2025".
    N_("As of"),
    N_("Data as of %(date)s"),
    N_("Previous period"),
    N_("Previous year"),
    N_("Same period last year"),
    N_("Client"),
    N_("Summary"),
    N_("Headline results"),
    # KPI tables
    N_("KPI"),
    N_("Metric"),
    N_("Value"),
    N_("Change"),
    N_("vs previous period"),
    N_("Year over year"),
    # Translators: a change of a percentage in percentage points, e.g. "+1.2 pp".
    N_("%(value)s pp"),
    N_("Unit"),
    N_("Better when higher"),
    N_("Better when lower"),
    N_("Definition"),
    N_("Formula"),
    N_("Benchmark"),
    N_("Source"),
    N_("Custom KPI"),
    N_("Custom KPIs"),
    N_("Total"),
    N_("Average"),
    N_("All channels"),
    N_("Channel"),
    N_("By channel"),
    N_("Share of total"),
    N_("Trend"),
    N_("Trend by month"),
    N_("Trend by week"),
    N_("Period"),
    N_("Date"),
    N_("Day"),
    N_("Week"),
    N_("Month"),
    N_("Quarter"),
    N_("Year"),
    N_("No value"),
    N_("Missing data"),
    N_("No data for this period"),
    N_("Sum of the periods' reach: a person may be counted more than once"),
    # KPI families
    N_("Engagement"),
    N_("Reach"),
    N_("Conversion"),
    N_("Awareness"),
    N_("Customer experience"),
    N_("Finance"),
    # Charts and data
    N_("Chart"),
    N_("Table"),
    N_("Show the numbers (table)"),
    N_("Download data"),
    N_("Download CSV"),
    N_("Download JSON"),
    N_("Forecast"),
    N_("Data sources"),
    N_("Methodology"),
    N_("How these numbers are calculated"),
    N_("Notes"),
    # Goals
    N_("Goal"),
    N_("Target"),
    N_("Baseline"),
    N_("Current"),
    N_("Progress"),
    N_("Expected progress"),
    N_("Expected by now"),
    N_("Time elapsed"),
    N_("Forecast at deadline"),
    N_("Status"),
    # Translators: goal statuses (a goal is the subject: "the goal is achieved").
    N_("Not started"),
    N_("Achieved"),
    N_("Missed"),
    N_("On track"),
    N_("At risk"),
    N_("Off track"),
    N_("Start"),
    N_("Deadline"),
    N_("Goal window"),
    N_("Run rate needed"),
    N_("%(n)s per month from now on"),
    N_("Projected date"),
    N_("Ahead of schedule"),
    N_("Behind schedule"),
    N_("%(achieved)s of %(total)s goals achieved"),
    # Case studies and comparisons
    N_("Before"),
    N_("After"),
    N_("Lift"),
    N_("Company"),
    N_("Result"),
    N_("Campaign"),
    N_("Campaign period"),
    N_("Baseline period"),
    N_("Published results"),
    N_("Client's change"),
    N_("Competitor"),
    N_("Competitor benchmark"),
    # Translators: the client compared with a company, e.g. "+12% ahead of Company X".
    N_("ahead of"),
    # Translators: the client compared with a company, e.g. "-5% behind Company X".
    N_("behind"),
    N_("%(value)s ahead of %(name)s"),
    N_("%(value)s behind %(name)s"),
    # Funnel plans
    N_("Funnel plan"),
    N_("Revenue target"),
    N_("Average order value"),
    N_("Lead-to-customer rate"),
    N_("Budget"),
    N_("per month"),
    N_("Customers needed"),
    N_("Leads needed"),
    N_("Cost-per-lead ceiling"),
    N_("Actual"),
    N_("Plan"),
    # Translators: the actual funnel compared with the plan, e.g. "Leads: falls short".
    N_("falls short"),
    N_("falls short by %(value)s"),
    # Build notes
    N_("Warnings"),
)


# Plural messages: ngettext(singular, plural, n) picks the form, "num" is n in templates.
UI_PLURALS: tuple[tuple[str, str], ...] = (
    NP_("%(num)d day", "%(num)d days"),
    NP_("%(num)d day left", "%(num)d days left"),
    NP_("%(num)d week", "%(num)d weeks"),
    NP_("%(num)d month", "%(num)d months"),
    NP_("over %(num)d month", "over %(num)d months"),
    NP_("%(num)d warning", "%(num)d warnings"),
)


if __name__ == "__main__":  # pragma: no cover - the catalogue upkeep command
    for path in update_catalogues(Path(__file__).resolve().parent.parent):
        print(path)
