"""Catalogue upkeep: extract the UI messages into messages.pot and merge it into each .po.

Run ``python -m sitegen.present.i18n.catalog`` after changing UI text (docs/translations.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel import Locale
from babel.messages.extract import DEFAULT_KEYWORDS

from sitegen.present.i18n.locales import DOMAIN

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

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
    "# Update with `python -m sitegen.present.i18n.catalog`; see docs/translations.md."
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


if __name__ == "__main__":  # pragma: no cover - the catalogue upkeep command
    for path in update_catalogues(Path(__file__).resolve().parents[3]):
        print(path)
