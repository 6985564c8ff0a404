"""Locale formatting (numbers, money, dates), d3 chart locales and UI text (gettext).

Numbers, currencies and dates follow CLDR through babel, for any locale babel knows. UI text
comes from the gettext catalogues in ``sitegen/locales/<lang>/LC_MESSAGES/messages.po``,
compiled in memory at run time (no ``.mo`` files in the repository); English is the source
language, so a locale without a catalogue shows English UI text (see ``ui_fallback_warning``).
Charts get the same conventions as d3 locale dictionaries for vl-convert.

Run ``python -m sitegen.present.i18n.catalog`` to re-extract ``messages.pot`` from the
templates and code and merge it into every ``messages.po`` (see docs/translations.md).
"""
