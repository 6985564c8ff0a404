"""The locales sitegen knows: parsing a locale code and finding its UI catalogue."""

from __future__ import annotations

from pathlib import Path

from babel import Locale, UnknownLocaleError

from sitegen.errors import ConfigError, SitegenWarning

LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"


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


def catalogue_language(loc: Locale) -> str | None:
    """Return the language whose catalogue serves the locale, or None (English text)."""
    for candidate in (str(loc), loc.language):
        if (LOCALES_DIR / candidate / "LC_MESSAGES" / f"{DOMAIN}.po").is_file():
            return candidate
    return None


def ui_fallback_warning(locale: str) -> SitegenWarning | None:
    """Return a warning when the locale has no UI translation (its pages keep English text)."""
    loc = parse_locale(locale)
    if loc.language == SOURCE_LANGUAGE or catalogue_language(loc) is not None:
        return None
    return SitegenWarning(
        f"no UI translation for locale {locale!r}: numbers and dates follow it, "
        "page text stays in English",
        key="project.locale",
        hint=f"translated: {', '.join(ui_languages())}; docs/translations.md shows how to "
        "add a language",
        code="locale-fallback",
    )
