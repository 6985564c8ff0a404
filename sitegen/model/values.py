"""Small value helpers that the model, the config files and the pages share."""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping


def did_you_mean(
    word: str,
    choices: tuple[str, ...] | list[str],
    synonyms: Mapping[str, str] | None = None,
) -> str | None:
    """Return the closest choice to word (spelling or a known synonym) for a hint, or None."""
    if synonyms and word in synonyms and synonyms[word] in choices:
        return synonyms[word]
    close = difflib.get_close_matches(word, list(choices), n=1)
    return close[0] if close else None


def finite(x: float | None) -> float | None:
    """Return x when it is a finite number; None for no value, NaN or infinity."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return None  # an int is always finite (and may be too big for math.isfinite)
    return x


def pct(fraction: float) -> str:
    """Return a fraction as a signed percentage for messages: 0.35 -> +35%."""
    return f"{fraction * 100:+g}%"
