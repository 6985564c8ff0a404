"""UI text: gettext lookups in the locale's catalogue, in code and in Jinja templates."""

from __future__ import annotations

from functools import cache
from io import BytesIO
from typing import TYPE_CHECKING

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from sitegen.present.i18n.locales import DOMAIN, LOCALES_DIR, catalogue_language, parse_locale

if TYPE_CHECKING:
    import jinja2


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
    return _catalogue_translations(catalogue_language(parse_locale(locale)))


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
