"""Locale formatting, d3 chart locales and the UI message catalogues (sitegen.present.i18n)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import jinja2
import pytest
from babel import dates as babel_dates
from babel import numbers
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from cldr import spaced

from sitegen.errors import ConfigError
from sitegen.present.i18n.catalog import extract_catalog, extract_messages, update_catalogues
from sitegen.present.i18n.d3 import d3_format_locale, d3_time_format_locale
from sitegen.present.i18n.format import NO_VALUE, Formatter
from sitegen.present.i18n.gettext import get_translations, gettext, install_i18n, ngettext
from sitegen.present.i18n.locales import parse_locale, ui_fallback_warning, ui_languages
from sitegen.present.i18n.vocabulary import UI_MESSAGES, UI_PLURALS

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "sitegen" / "locales"


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


# --- numbers ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def en() -> Formatter:
    return Formatter("en", "USD")


@pytest.fixture(scope="module")
def ru() -> Formatter:
    return Formatter("ru", "RUB")


@pytest.fixture(scope="module")
def lv() -> Formatter:
    return Formatter("lv", "EUR")


@pytest.mark.parametrize(
    ("x", "digits", "expected_en", "expected_ru"),
    [
        # "_": a no-break space, whichever CLDR uses (cldr.spaced)
        (1234.5, None, "1,235", "1_235"),  # counts from 100 up: whole numbers
        (1234.5, 2, "1,234.50", "1_234,50"),
        (12.345, None, "12.35", "12,35"),  # small values: up to two decimals, half up
        (2.5, None, "2.5", "2,5"),
        (3.0, None, "3", "3"),
        (0.0123, None, "0.012", "0,012"),  # below 1: two significant digits
        (0.000456, None, "0.00046", "0,00046"),
        (-12, None, "-12", "-12"),
        (0, None, "0", "0"),
        (2.5, 0, "3", "3"),  # half away from zero, as spreadsheets round
        (-0.04, 1, "0.0", "0,0"),  # no "-0.0"
    ],
)
def test_number(
    en: Formatter,
    ru: Formatter,
    x: float,
    digits: int | None,
    expected_en: str,
    expected_ru: str,
) -> None:
    assert en.number(x, digits) == expected_en
    assert spaced(ru.number(x, digits)) == expected_ru


def test_no_value_is_an_en_dash(en: Formatter) -> None:
    assert NO_VALUE == "\u2013"
    assert en.number(None) == "\u2013"
    assert en.number(float("nan")) == "\u2013"
    assert en.percent(float("inf")) == "\u2013"
    for method in (en.percent, en.change, en.currency, en.ratio, en.minutes, en.points):
        assert method(None) == "\u2013"
    for unit in ("count", "percent", "currency", "ratio", "minutes", "points"):
        assert en.value(None, unit) == "\u2013"
    assert en.date(None) == en.month(None) == en.week(None) == "\u2013"
    assert en.period(None, date(2025, 1, 1)) == "\u2013"


def test_percent_takes_percent_values(en: Formatter, ru: Formatter, lv: Formatter) -> None:
    assert en.percent(1.234) == "1.2%"
    assert spaced(ru.percent(1.234)) == "1,2_%"
    assert lv.percent(1.234) == "1,2%"
    assert en.percent(150) == "150.0%"
    assert en.percent(12.25, digits=0) == "12%"
    assert en.percent(1234.5, digits=0) == "1,235%"
    assert spaced(ru.percent(-3.04)) == "-3,0_%"


def test_change_is_signed(en: Formatter, ru: Formatter, lv: Formatter) -> None:
    assert en.change(0.1218) == "+12.2%"
    assert spaced(ru.change(0.1218)) == "+12,2_%"
    assert lv.change(0.1218) == "+12,2%"
    assert en.change(-0.03) == "-3.0%"
    assert spaced(ru.change(-0.03)) == "-3,0_%"
    assert en.change(0.0) == "0.0%"
    assert en.change(-0.00001) == "0.0%"  # rounds to zero: no sign
    assert en.change(0.5, digits=0) == "+50%"


def test_minus_sign_follows_cldr() -> None:
    # Whatever minus CLDR gives a locale is the one written (Swedish has had U+2212, not
    # the ASCII hyphen-minus of en, ru and lv).
    sv = Formatter("sv", "SEK")
    minus = numbers.get_minus_sign_symbol("sv")
    assert spaced(sv.change(-0.03)) == f"{minus}3,0_%"
    assert spaced(sv.change(0.03)) == "+3,0_%"
    assert sv.number(-12) == f"{minus}12"
    assert spaced(sv.currency(-5)) == f"{minus}5,00_kr"
    assert d3_format_locale("sv")["minus"] == minus


def test_currency(en: Formatter, ru: Formatter, lv: Formatter) -> None:
    assert en.currency(1234.5) == "$1,234.50"
    assert spaced(ru.currency(1234.5)) == "1_234,50_₽"
    assert spaced(lv.currency(1234.5)) == "1_234,50_€"
    assert en.currency(-500) == "-$500.00"
    assert spaced(ru.currency(250000, digits=0)) == "250_000_₽"
    assert Formatter("en", "jpy").currency(1234.5) == "¥1,235"  # the yen has no minor unit
    assert spaced(Formatter("ru", "EUR").currency(400)) == "400,00_€"


def test_value_dispatches_on_the_kpi_unit(en: Formatter, ru: Formatter) -> None:
    assert en.value(2633.0, "count") == "2,633"
    assert en.value(1.234, "percent") == "1.2%"
    assert en.value(500, "currency") == "$500.00"
    assert en.value(2.5, "ratio") == "2.5×"
    assert ru.value(2.5, "ratio") == "2,5×"
    assert en.value(12, "minutes") == "12 min"
    assert en.value(12.4, "minutes") == "12 min"
    assert ru.value(2.54, "minutes") == "2,5 мин"
    assert Formatter("lv", "EUR").value(12, "minutes") == "12 min"
    assert en.value(42.6, "points") == "43"
    assert en.value(-20.4, "points") == "-20"
    with pytest.raises(ValueError, match="unknown KPI unit 'bananas'"):
        en.value(1, "bananas")


# --- dates --------------------------------------------------------------------------------


DASHES = "\u2012\u2013\u2014-"  # CLDR releases change which dash a locale uses


def test_dates(en: Formatter, ru: Formatter, lv: Formatter) -> None:
    # What a reader needs: the month's name in the report's language, the day, the year, in
    # the locale's order. The exact spaces and abbreviation marks are CLDR's, compared with
    # babel's own output for the same pattern rather than pinned to one CLDR release.
    d = date(2025, 1, 5)
    assert en.date(d) == "Jan 5, 2025"
    assert ru.date(d) == babel_dates.format_date(d, "medium", locale="ru")
    assert re.fullmatch(r"5 янв\.? 2025\s?г\.", ru.date(d))
    assert lv.date(d) == babel_dates.format_date(d, "medium", locale="lv")
    assert re.fullmatch(r"2025\. gada 5\. janv\.?", lv.date(d))
    assert en.month(d) == "Jan 2025"
    may = ru.month(date(2025, 5, 1))
    assert may.startswith("май 2025")  # stand-alone, not "мая"
    assert lv.month(d).startswith("2025. g. janv")


def _range_parts(text: str) -> tuple[str, str]:
    """Split a date range at its one dash (any of CLDR's), spaces trimmed."""
    parts = re.split(f"[{DASHES}]", text)
    assert len(parts) == 2, text
    return parts[0].strip(), parts[1].strip()


def test_period(en: Formatter, ru: Formatter, lv: Formatter) -> None:
    start, end = date(2025, 1, 1), date(2025, 10, 31)
    for fmt, locale in ((en, "en"), (ru, "ru"), (lv, "lv")):
        # One CLDR interval for the pattern yMMMd, whatever dash this CLDR release uses.
        assert fmt.period(start, end) == babel_dates.format_interval(
            start, end, "yMMMd", locale=locale
        )
    assert _range_parts(en.period(start, end)) == ("Jan 1", "Oct 31, 2025")
    first, last = _range_parts(ru.period(start, end))
    assert re.fullmatch(r"1 янв\.?", first)  # day before month, the year said once
    assert re.fullmatch(r"31 окт\.? 2025\s?г\.", last)
    first, last = _range_parts(lv.period(start, end))
    assert re.fullmatch(r"2025\. gada 1\. janv\.?", first)  # the year first, said once
    assert re.fullmatch(r"31\. okt\.?", last)
    assert _range_parts(en.period(date(2024, 12, 1), date(2025, 1, 31))) == (
        "Dec 1, 2024",
        "Jan 31, 2025",
    )
    assert en.period(start, start) == "Jan 1, 2025"


def test_week_is_the_iso_week(en: Formatter, ru: Formatter, lv: Formatter) -> None:
    assert en.week(date(2025, 1, 15)) == "W03 2025"
    assert en.week(date(2024, 12, 30)) == "W01 2025"  # ISO week-year, not the calendar year
    assert ru.week(date(2025, 1, 15)) == "3-я нед. 2025"
    assert lv.week(date(2025, 1, 15)) == "2025. g. 3. ned."


# --- locales ------------------------------------------------------------------------------


def test_unknown_locale_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as err:
        Formatter("xx", "USD")
    assert err.value.key == "project.locale"
    assert str(err.value) == (
        "[project.locale]: unknown locale 'xx'\n"
        "  expected: a CLDR locale code\n"
        "  found:    'xx'\n"
        "  hint: UI text is translated for en, lv, ru; any other CLDR locale (e.g. de, en_GB) "
        "formats numbers and dates and keeps English UI text"
    )
    with pytest.raises(ConfigError, match="unknown locale ''"):
        parse_locale("")


def test_unknown_currency_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as err:
        Formatter("en", "DOLLARS")
    assert err.value.key == "project.currency"
    assert err.value.message == "unknown currency 'DOLLARS'"


def test_locale_codes_and_fallback() -> None:
    assert {"en", "lv", "ru"} <= set(ui_languages())
    assert str(parse_locale("en-GB")) == "en_GB"
    assert Formatter("en-GB", "GBP").date(date(2025, 1, 5)) == "5 Jan 2025"
    assert gettext("ru_RU", "Goals") == "Цели"  # a territory falls back to its language
    for code in ("en", "en_GB", "ru", "lv", "ru-RU"):
        assert ui_fallback_warning(code) is None
    warning = ui_fallback_warning("de")
    assert warning is not None
    assert warning.key == "project.locale"
    assert warning.message == (
        "no UI translation for locale 'de': numbers and dates follow it, page text stays in English"
    )
    de = Formatter("de", "EUR")
    assert spaced(de.currency(1234.5)) == "1.234,50_€"
    assert de.week(date(2025, 1, 15)) == "W03 2025"  # English UI text


# --- d3 locales and charts ----------------------------------------------------------------


def test_d3_format_locale() -> None:
    ru = d3_format_locale("ru", "RUB")
    # CLDR's symbols for Russian; "_": a no-break space, whichever CLDR uses (cldr.spaced).
    shown = {k: spaced(v) if isinstance(v, str) else v for k, v in ru.items()}
    assert shown | {"currency": [spaced(c) for c in ru["currency"]]} == {
        "decimal": numbers.get_decimal_symbol("ru"),
        "thousands": "_",
        "grouping": [3],
        "currency": ["", "_₽"],
        "minus": numbers.get_minus_sign_symbol("ru"),
        "percent": "_%",
        "nan": "\u2013",  # sitegen's no-value dash, not CLDR's NaN
    }
    assert d3_format_locale("en", "USD")["currency"] == ["$", ""]
    assert [spaced(c) for c in d3_format_locale("lv", "EUR")["currency"]] == ["", "_€"]
    assert d3_format_locale("lv")["currency"] == ["", ""]  # no currency: plain numbers
    assert d3_format_locale("hi")["grouping"] == [3, 2]  # 12,34,567


def test_d3_time_format_locale() -> None:
    lv = d3_time_format_locale("lv")
    assert lv["months"][:3] == ["janvāris", "februāris", "marts"]
    assert lv["shortMonths"][:3] == ["janv.", "febr.", "marts"]
    assert lv["days"][:2] == ["Svētdiena", "Pirmdiena"]  # d3 weeks start on Sunday
    assert lv["periods"] == ["priekšp.", "pēcp."]
    assert (lv["dateTime"], lv["date"], lv["time"]) == ("%x %X", "%d.%m.%y", "%H:%M:%S")
    ru = d3_time_format_locale("ru")
    assert ru["months"][4] == "май"  # stand-alone: axis labels stand alone
    assert (ru["dateTime"], ru["date"]) == ("%x, %X", "%d.%m.%Y")
    en = d3_time_format_locale("en")
    assert (en["date"], spaced(en["time"])) == ("%-m/%-d/%y", "%-I:%M:%S_%p")


def _svg_texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_chart_axis_labels_follow_the_locale() -> None:
    vl_convert = pytest.importorskip("vl_convert")
    spec = {
        "data": {
            "values": [
                {"month": "2025-01-01", "v": 0.5},
                {"month": "2025-02-01", "v": 1.25},
                {"month": "2025-03-01", "v": -1.5},
            ]
        },
        "mark": "line",
        "width": 200,
        "height": 100,
        "encoding": {
            "x": {"field": "month", "type": "temporal", "timeUnit": "yearmonth", "title": None},
            "y": {"field": "v", "type": "quantitative", "title": None, "axis": {"format": ",.1f"}},
        },
    }
    svg = vl_convert.vegalite_to_svg(
        spec,
        format_locale=d3_format_locale("ru", "RUB"),
        time_format_locale=d3_time_format_locale("ru"),
    )
    assert _svg_texts(svg) == ["янв. 2025", "февр. 2025", "март 2025", "-1,0", "0,0", "1,0"]
    svg = vl_convert.vegalite_to_svg(
        spec,
        format_locale=d3_format_locale("lv", "EUR"),
        time_format_locale=d3_time_format_locale("lv"),
    )
    assert _svg_texts(svg)[:3] == ["janv. 2025", "febr. 2025", "marts 2025"]


# --- gettext ------------------------------------------------------------------------------


def test_gettext_and_plurals() -> None:
    assert gettext("en", "Overview") == "Overview"
    assert gettext("ru", "Overview") == "Обзор"
    assert gettext("lv", "Overview") == "Pārskats"
    assert gettext("ru", "not in the catalogue") == "not in the catalogue"
    days = ("%(num)d day left", "%(num)d days left")
    assert [ngettext("ru", *days, n) % {"num": n} for n in (1, 3, 5, 11, 21, 22)] == [
        "остался 1 день",
        "осталось 3 дня",
        "осталось 5 дней",
        "осталось 11 дней",
        "остался 21 день",
        "осталось 22 дня",
    ]
    assert [ngettext("lv", *days, n) % {"num": n} for n in (0, 1, 2, 11, 21)] == [
        "atlikušas 0 dienas",
        "atlikusi 1 diena",
        "atlikušas 2 dienas",
        "atlikušas 11 dienas",
        "atlikusi 21 diena",
    ]
    assert [ngettext("en", *days, n) % {"num": n} for n in (1, 2)] == ["1 day left", "2 days left"]
    assert get_translations("ru") is get_translations("ru_RU")  # compiled once per catalogue


def test_install_i18n_in_jinja() -> None:
    env = jinja2.Environment(autoescape=True)  # without the extension: install adds it
    install_i18n(env, "ru")
    template = env.from_string(
        '{{ _("Goals") }}|{{ _("%(n)s per month from now on", n="<b>5</b>") }}|'
        '{{ ngettext("%(num)d day left", "%(num)d days left", 3) }}|'
        "{% trans %}\n  Skip to\n  content\n{% endtrans %}"
    )
    # {% trans %} blocks are trimmed, as babel.cfg extracts them.
    assert template.render() == (
        "Цели|&lt;b&gt;5&lt;/b&gt; в месяц начиная с этого момента|осталось 3 дня|"
        "Перейти к содержимому"
    )
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    install_i18n(env, "lv")
    assert env.from_string('{{ _("Off track") }}').render() == "Atpaliek"


# --- the catalogues -----------------------------------------------------------------------


def _ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}


@pytest.mark.parametrize("lang", [lang for lang in ui_languages() if lang != "en"])
def test_every_message_is_translated(lang: str) -> None:
    pot = _read(LOCALES / "messages.pot")
    po = _read(LOCALES / lang / "LC_MESSAGES" / "messages.po", locale=lang)
    assert _ids(po) == _ids(pot), "run `python -m sitegen.present.i18n.catalog` to merge the .pot"
    untranslated = sorted(
        str(m.id)
        for m in po
        if m.id
        and (
            m.fuzzy
            or not (m.string if isinstance(m.string, str) else all(m.string))
            or (not isinstance(m.string, str) and len(m.string) != po.num_plurals)
        )
    )
    assert untranslated == []
    # babel's checks: the same %(name)s fields in msgid and msgstr, plural forms complete.
    problems = [(m.id, [str(e) for e in errors]) for m, errors in po.check()]
    assert problems == []


def test_pot_is_current_with_templates_and_code() -> None:
    pot = _read(LOCALES / "messages.pot")
    used = _ids(extract_catalog(ROOT))
    missing = sorted(map(str, used - _ids(pot)))
    assert missing == [], (
        "run `python -m sitegen.present.i18n.catalog` and translate the new messages"
    )
    stale = sorted(map(str, _ids(pot) - used))
    assert stale == [], (
        "run `python -m sitegen.present.i18n.catalog` to drop messages no longer used"
    )
    assert {"Overview", "%(n)s per month from now on"} <= extract_messages(ROOT)


def test_extraction_and_update(tmp_path: Path) -> None:
    (tmp_path / "babel.cfg").write_text(
        (ROOT / "babel.cfg").read_text(encoding="utf-8"), encoding="utf-8"
    )
    code = tmp_path / "sitegen" / "summary.py"
    code.parent.mkdir()
    code.write_text(
        "from sitegen.present.i18n.gettext import N_, gettext, ngettext\n"
        "def f(locale, n, t):\n"
        '    a = gettext(locale, "Summary sentence")\n'
        '    b = ngettext(locale, "%(num)d goal", "%(num)d goals", n)\n'
        '    c = t.gettext("Via translations")\n'
        "    # Translators: a note for translators.\n"
        '    return N_("Marked"), a, b, c\n',
        encoding="utf-8",
    )
    template = tmp_path / "themes" / "x" / "templates" / "page.html"
    template.parent.mkdir(parents=True)
    template.write_text(
        '{{ _("In a template") }} {{ gettext("Per %(n)s", n=3) }}\n'
        "{% trans %}\n  A\n  block\n{% endtrans %}\n"
        '{{ ngettext("%(num)d row", "%(num)d rows", 2) }}\n',
        encoding="utf-8",
    )
    assert extract_messages(tmp_path) == {
        "Summary sentence",
        "%(num)d goal",
        "Via translations",
        "Marked",
        "In a template",
        "Per %(n)s",
        "A block",
        "%(num)d row",
    }
    po = tmp_path / "sitegen" / "locales" / "ru" / "LC_MESSAGES" / "messages.po"
    update_catalogues(tmp_path, ["ru"])
    ru = _read(po, locale="ru")
    assert ru.num_plurals == 3
    ru["Marked"].string = "Отмечено"
    with po.open("wb") as f:
        from babel.messages.pofile import write_po

        write_po(f, ru, width=100, include_lineno=False)
    code.write_text(code.read_text(encoding="utf-8").replace("Via translations", "Via t"))
    written = update_catalogues(tmp_path)
    assert written == [tmp_path / "sitegen" / "locales" / "messages.pot", po]
    pot_text = written[0].read_text(encoding="utf-8")
    assert "#. a note for translators.\n#: sitegen/summary.py\n" in pot_text
    ru = _read(po, locale="ru")
    assert ru["Marked"].string == "Отмечено"  # translations survive the merge
    assert ru["Via t"] is not None and "Via translations" not in _ids(ru)
    before = [p.read_bytes() for p in written]
    update_catalogues(tmp_path)
    assert [p.read_bytes() for p in written] == before  # an unchanged run changes nothing


def test_ui_vocabulary_is_marked() -> None:
    assert len(set(UI_MESSAGES)) == len(UI_MESSAGES)
    pot = _ids(_read(LOCALES / "messages.pot"))
    assert set(UI_MESSAGES) | set(UI_PLURALS) <= pot


def test_remembered_values_keep_their_unit_and_sign() -> None:
    # Formatter.value remembers what it wrote: a value seen under another unit, or the other
    # zero, must not come back in the wrong form.
    f = Formatter("ru", "RUB")
    assert spaced(f.value(1234.5, "currency")) == "1_234,50_₽"
    assert spaced(f.value(1234.5, "count")) == "1_235"  # counts this size: no decimals
    assert spaced(f.value(1234.5, "currency")) == "1_234,50_₽"
    assert f.value(-0.0, "count") == f.value(0.0, "count") == "0"
    assert f.value(None, "percent") == NO_VALUE
