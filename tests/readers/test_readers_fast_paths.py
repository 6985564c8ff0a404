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
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from sitegen.errors import SitegenError
from sitegen.readers import dates, sniff, sources
from sitegen.readers.cells import CellError
from sitegen.readers.dateformats import DateOptions
from sitegen.readers.dates import parse_dates
from sitegen.readers.rows import clean, combine


def _general(monkeypatch: pytest.MonkeyPatch) -> None:
    """Switch every fast path off."""
    monkeypatch.setattr(dates, "_iso_column", lambda text: None)
    monkeypatch.setattr(sources, "_int_columns", lambda layout, numbers: [])
    monkeypatch.setattr(clean, "plain_dates", lambda *args: False)
    monkeypatch.setattr(combine, "all_different", lambda ids: False)


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
# Whole files
# ------------------------------------------------------------------------------------------

FILES = {
    "plain": "Date,Impressions,Likes\n2025-01-01,100,5\n2025-01-02,120,\n2025-01-03,,7\n",
    "posts": (
        "Post ID,Title,Publish time,Impressions,Reactions\n"
        '1,"Sale, ""50%""\noff",2025-01-01 10:00,100,5\n'
        "2,Post two,2025-01-01 11:30,120,6\n"
        '3,"Two\nlines\nhere",2025-01-02 09:00,90,1\n'
        "4,x,2025-01-02 00:00,80,0\n"
    ),
    "signs and spaces": (
        "Date,Impressions,Likes,Reach\n"
        "2025-01-01, 100,+5,0012\n2025-01-02,-0, ,12\n2025-01-03,7,\t8,\n"
    ),
    "thousands separators": (
        'Date,Impressions,Likes\n2025-01-01,"1,234",5\n2025-01-02,"12,345,678",6\n'
    ),
    "decimal commas": "Date;Impressions;Spend\n01.01.2025;100;12,5\n02.01.2025;120;7,25\n",
    "percent": "Date,Sessions,Bounce rate\n2025-01-01,100,40%\n2025-01-02,50,12.5%\n",
    "missing tokens": "Date,Impressions,Likes\n2025-01-01,-,5\n2025-01-02,N/A,6\n",
    "formula": "Date,Impressions,Likes\n2025-01-01,=1+1,5\n2025-01-02,3,6\n",
    "text": "Date,Impressions\n2025-01-01,12\n2025-01-02,lots\n",
    "crlf": "Date,Impressions,Likes\r\n2025-01-01,100,5\r\n2025-01-02,120,6\r\n",
    "blank and comment rows": (
        "Date,Impressions,Likes\n2025-01-01,100,5\n\n,,\n# note\n2025-01-02,120,6\n"
    ),
    "comment in the date column": "# export\nDate,Likes\n2025-01-01,5\n#,7\n2025-01-02,6\n",
    "total rows": (
        "Date,Campaign,Clicks\n2025-01-01,A,5\n2025-01-01,B,6\nTotal,,11\n"
        "2025-01-02,Total: A,1\n,,12\n"
    ),
    "second table": "Day Index,Sessions\n1/1/25,120\n1/13/25,99\n\nDay Index,Users\n1/1/25,100\n",
    "footer": "Date,Likes\n2025-01-01,5\n2025-01-02,6\n\n# Footer\n# more,1,2\n",
    "row without a date": "Date,Likes\n2025-01-01,5\n   ,6\n2025-01-03,7\n",
    "ragged": "Date,Likes\n2025-01-01,5\n2025-01-02,6,7\n",
    "duplicate id": "Post ID,Date,Likes\n7,2025-01-01,5\n8,2025-01-01,6\n7,2025-01-01,6\n",
    "ids equal as numbers": "Post ID,Date,Likes\n7,2025-01-01,5\n07,2025-01-01,6\n+7,2025-01-01,6\n",
    "duplicate rows": "Date,Likes\n2025-01-01,5\n2025-01-01,6\n",
    "channels": "Date,Channel,Likes\n2025-01-01,FB,5\n2025-01-01,ig,6\n2025-01-02,,1\n",
    "competitors": "Date,Competitor,Likes\n2025-01-01,,5\n2025-01-01,Rival,6\n",
    "weeks": "Week,Likes\n2025-W01,5\n2025-W02,6\n",
    "dotted dates": "Date,Likes\n31.01.2025,5\n01.02.2025 10:00,6\n",
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_files_read_as_the_general_path(monkeypatch, read, write, name):
    write("fb.csv", FILES[name])
    fast, general = _both(monkeypatch, read)
    assert fast == general


def _late_cells(cell: str) -> str:
    """Return an export whose first 300 rows are whole numbers and one later row is not."""
    body = "".join(f"{i},2025-01-{1 + i % 28:02d},{i % 7}\n" for i in range(300))
    return "Post ID,Date,Likes\n" + body + f"300,2025-01-05,{cell}\n301,2025-01-06,4\n"


@pytest.mark.parametrize("cell", ["12.5", "1,234", '"1,234"', "-", "=1+1", "5%", "x", "12 "])
def test_a_cell_past_the_sample_that_is_not_a_whole_number(monkeypatch, read, write, cell):
    monkeypatch.setattr(sniff, "SAMPLE_BYTES", 400)
    write("fb.csv", _late_cells(cell))
    fast, general = _both(monkeypatch, read)
    assert fast == general


def test_whole_number_columns_are_read_as_numbers(monkeypatch, read, write, rows):
    schemas: list[dict[str, pl.DataType]] = []
    polars_read = sources._polars_read

    def spy(source: Any, layout: Any, schema: dict[str, pl.DataType]) -> pl.DataFrame:
        schemas.append(schema)
        return polars_read(source, layout, schema)

    monkeypatch.setattr(sources, "_polars_read", spy)
    write("fb.csv", FILES["posts"])
    assert rows(read(), "impressions", "likes", "posts") == [
        ("2025-01-01", "fb", None, 220.0, 11.0, 2.0),
        ("2025-01-02", "fb", None, 170.0, 1.0, 2.0),
    ]
    # Impressions and reactions as Int64; the id, title and time stay text.
    assert [[n for n, t in s.items() if t == pl.Int64] for s in schemas] == [["c3", "c4"]]


def test_the_same_post_export_with_and_without_the_fast_paths(monkeypatch, read, write):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    try:
        from bench_reader import make_csv
    finally:
        sys.path.pop(0)
    path = write("facebook.csv", "")
    make_csv(path, 20_000)
    fast, general = _both(monkeypatch, read)
    assert fast == general


# ------------------------------------------------------------------------------------------
# Pieces
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ids", "different"),
    [
        (["1", "2", "3"], True),
        (["a", "b"], True),
        (["1", "01"], True),  # the same number, different texts
        (["1", "2", "1"], False),
        (["x", "x"], False),
        ([None, "1"], True),
        ([None, None], False),
        ([], True),
    ],
)
def test_all_different(ids, different):
    assert combine.all_different(pl.Series(ids, dtype=pl.Utf8)) is different


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
