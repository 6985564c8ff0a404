"""The reader's fast paths give what the general paths give, on tricky inputs too.

A big export takes shortcuts: ISO dates parsed natively, whole-number columns read as Int64
by polars, one regex pass over the date column for blanks, totals and repeated headers, ids
proved distinct by their numbers or hashes, a '#' footer found from the '#' signs. Each test
reads the same input with the shortcut and with it switched off and compares everything:
the frame, the warnings, or the error and its location.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

import polars as pl
import pytest

from sitegen.errors import SitegenError
from sitegen.readers import dates, sniff
from sitegen.readers.cells import CellError
from sitegen.readers.dates import DateOptions, parse_dates


def _general(monkeypatch: pytest.MonkeyPatch) -> None:
    """Switch every fast path off."""
    monkeypatch.setattr(dates, "_iso_column", lambda text: None)


def _outcome(fn: Callable[[], Any]) -> Any:
    try:
        data = fn()
    except (SitegenError, CellError) as exc:
        return type(exc).__name__, str(exc), vars(exc)
    if isinstance(data, pl.DataFrame):
        return data.to_dicts(), data.schema
    return (
        data.frame.to_dicts(),
        data.frame.schema,
        data.grains,
        data.warnings,
        data.unknown_columns,
        data.metrics_by_channel,
    )


def _both(monkeypatch: pytest.MonkeyPatch, fn: Callable[[], Any]) -> tuple[Any, Any]:
    fast = _outcome(fn)
    with monkeypatch.context() as m:
        _general(m)
        general = _outcome(fn)
    return fast, general


# ------------------------------------------------------------------------------------------
# Dates
# ------------------------------------------------------------------------------------------

DATE_COLUMNS = [
    ["2025-01-31", "2025-02-01", None],
    ["2025-01-31 10:00", "2025-01-31 00:00", "2025-02-01T00:00:00", "2025-02-01 12:00"],
    ["2025-01-31 00:00", "2025-02-01 00:00:00", "2025-02-02T00:00"],
    ["2025-01-31 09:30:15", "2025-01-31", None, "2025-12-31 23:59"],
    ["2025-02-30 10:00"],  # not a real date
    ["2025-13-01"],
    ["0050-01-01", "0099-12-31 10:00"],  # two-digit years, written with four digits
    ["2025-1-5", "2025-01-05 7:05"],  # one-digit parts: the general parse only
    [" 2025-01-05 ", "2025-01-05\t10:00"],
    ["2025-01-05 25:99"],
    ["2025-01-05 10:00+02:00", "2025-01-05T23:30:00Z"],
    ["2025-01-05", "05.01.2025", "Jan 6, 2025"],
    ["2025-01-05", "Lifetime"],
    ["2025-01-06 - 2025-01-12"],
    [],
    [None, None],
]


@pytest.mark.parametrize("values", DATE_COLUMNS)
@pytest.mark.parametrize(
    "options",
    [{}, {"role": "week"}, {"role": "month"}, {"timezone": "Asia/Tokyo"}],
    ids=["date", "week", "month", "tz"],
)
def test_iso_dates_parse_as_the_general_path(monkeypatch, values, options):
    series = pl.Series(values, dtype=pl.Utf8)
    fast, general = _both(monkeypatch, lambda: parse_dates(series, DateOptions(**options)))
    assert fast == general


def test_random_iso_timestamps_parse_as_the_general_path(monkeypatch):
    r = random.Random(5)
    day = dt.date(2024, 1, 1)
    values = []
    for i in range(3000):
        d = (day + dt.timedelta(days=i // 7)).isoformat()
        sep = r.choice([" ", "T"])
        time = r.choice(["", f"{sep}{r.randrange(24):02d}:{r.randrange(60):02d}", f"{sep}00:00"])
        values.append(d + time + r.choice(["", ":00", f":{r.randrange(60):02d}"]) if time else d)
    series = pl.Series(values)
    fast, general = _both(monkeypatch, lambda: parse_dates(series, DateOptions()))
    assert fast == general
    assert dates._iso_column(series) is not None  # the fast path did take them


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
