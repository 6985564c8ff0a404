"""Turn names into ASCII slugs for folder names, page addresses and ids."""

from __future__ import annotations

import re
import unicodedata

_SLUG = re.compile(r"[^a-z0-9]+")

# Russian transliteration for slugs (a simplified GOST 7.79 B), so Cyrillic names stay readable.
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)


def ascii_slug(text: str) -> str:
    """Return lower-case ASCII letters, digits and dashes for text ('' when none are left)."""
    text = "".join(_CYRILLIC.get(ch, ch) for ch in text.lower())
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG.sub("-", ascii_text.lower()).strip("-")


def slugify(text: str) -> str:
    """Return a URL-safe slug: lower-case ASCII letters, digits and dashes."""
    return ascii_slug(text) or "project"
