"""Locale output compared without pinning CLDR's bytes.

CLDR decides which no-break space a locale puts between digit groups, before a currency or
percent sign and before AM/PM (U+00A0 or U+202F, and it has switched between them). A test
states where a no-break space must be (so that the number never wraps), not which one: it
compares ``spaced(text)``, where each no-break space reads "_".
"""

from __future__ import annotations

import re

NO_BREAK = "\u00a0\u202f"  # no-break space, narrow no-break space


def spaced(text: str) -> str:
    """Return text with each no-break space written as "_" (an ASCII space stays one)."""
    return re.sub(f"[{NO_BREAK}]", "_", text)
