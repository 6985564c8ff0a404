"""The reader's fast paths give what the general paths give, on tricky inputs too.

A big export takes shortcuts: ISO dates parsed natively, whole-number columns read as Int64
by polars, one regex pass over the date column for blanks, totals and repeated headers, ids
proved distinct by their numbers or hashes, a '#' footer found from the '#' signs. Each test
reads the same input with the shortcut and with it switched off and compares everything:
the frame, the warnings, or the error and its location.
"""

from __future__ import annotations

import random

from sitegen.readers import sniff

# ------------------------------------------------------------------------------------------
# Pieces
# ------------------------------------------------------------------------------------------


def test_footer_search_finds_what_the_pattern_search_finds(monkeypatch):
    r = random.Random(3)
    for limit in (1000, 2):
        monkeypatch.setattr(sniff, "_MAX_HASHES", limit)
        for _ in range(20_000):
            data = bytes(r.choice(b'\n\r#"a') for _ in range(r.randrange(0, 24)))
            start = r.randrange(0, len(data) + 1)
            assert sniff._trailing_section(data, start) == sniff._trailing_section_search(
                data, start
            )
