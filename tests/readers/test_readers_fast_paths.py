"""The reader's fast paths give what the general paths give, on tricky inputs too.

A big export takes shortcuts: a UTF-8 file sniffed memory-mapped and read by polars from the
file, ISO dates parsed natively (which also proves no date cell a blank, a total or a
header), whole-number columns read as Int64 by polars, one regex pass over the date column
for blanks, totals and repeated headers, ids proved distinct by their numbers (as read) or
hashes, rows grouped by a date column already in order, a '#' footer found from the '#'
signs. Each test reads the same input with the shortcut and with it switched off and
compares everything: the frame, the warnings, or the error and its location.
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
    monkeypatch.setattr(sources, "_int_columns", lambda layout, numbers, ids=None: [])
    monkeypatch.setattr(clean, "plain_dates", lambda *args: False)
    monkeypatch.setattr(combine, "all_different", lambda ids: False)
    monkeypatch.setattr(combine, "numbers_all_different", lambda ids: False)
    monkeypatch.setattr(sources, "_read_mapped", lambda *args: None)
    monkeypatch.setattr(combine, "_sorted_dates", lambda rows, key: rows)


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
    "posts newest first": (
        "Post ID,Publish time,Impressions\n4,2025-01-03 09:00,1\n3,2025-01-02 10:00,2\n"
        "2,2025-01-02 08:00,3\n1,2025-01-01 10:00,4\n"
    ),
    "posts out of order": (
        "Post ID,Publish time,Impressions\n4,2025-01-02 09:00,1\n3,2025-01-01 10:00,2\n"
        "2,2025-01-02 08:00,3\n1,2025-01-03 10:00,4\n"
    ),
    "bom": "\ufeffDate,Impressions,Likes\n2025-01-01,100,5\n2025-01-02,120,6\n",
    "ids with spaces": ("Post ID,Date,Likes\n7 ,2025-01-01,5\n 8,2025-01-01,6\n7 ,2025-01-01,5\n"),
    "ids with spaces that differ": "Post ID,Date,Likes\n7 ,2025-01-01,5\n7,2025-01-01,5\n",
    "ids shared by breakdown rows": (
        "Campaign ID,Date,Device,Clicks\n1,2025-01-01,Mobile,5\n1,2025-01-01,Desktop,6\n"
        "1,2025-01-01,Mobile,5\n"
    ),
    "lines in many columns": (
        "Date,"
        + ",".join(f"Note {i}" for i in range(12))
        + ",Likes\n"
        + "2025-01-01,"
        + ",".join('"a\nb"' for _ in range(12))
        + ",5\n"
        + "2025-01-02,"
        + ",".join("x" for _ in range(12))
        + ",six\n"
    ),
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


@pytest.fixture
def schemas(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, pl.DataType]]:
    """Return the schemas polars is asked to read with, as the reads happen."""
    seen: list[dict[str, pl.DataType]] = []
    polars_read = sources._polars_read

    def spy(source: Any, layout: Any, schema: dict[str, pl.DataType]) -> pl.DataFrame:
        seen.append(schema)
        return polars_read(source, layout, schema)

    monkeypatch.setattr(sources, "_polars_read", spy)
    return seen


def test_whole_number_columns_are_read_as_numbers(read, write, rows, schemas):
    write("fb.csv", FILES["posts"])
    assert rows(read(), "impressions", "likes", "posts") == [
        ("2025-01-01", "fb", None, 220.0, 11.0, 2.0),
        ("2025-01-02", "fb", None, 170.0, 1.0, 2.0),
    ]
    # Impressions and reactions as Int64, and the post id (plain whole numbers); the title
    # and time stay text.
    assert [[n for n, t in s.items() if t == pl.Int64] for s in schemas] == [["c0", "c3", "c4"]]


@pytest.mark.parametrize(
    ("ids", "typed"),
    [
        (["1", "2", "3"], True),
        (["1", "02", "3"], False),  # "02" is no 2: the ids stay text
        (["1", "+2", "3"], False),
        (["1", " 2", "3"], False),
        (["1", "2a", "3"], False),
        (["9" * 18, "1"], True),
        (["9" * 19, "1"], False),  # past Int64: text
    ],
)
def test_ids_are_read_as_numbers_only_when_they_are_plain(
    monkeypatch, read, write, schemas, ids, typed
):
    body = "".join(f"{i},2025-01-0{1 + n},5\n" for n, i in enumerate(ids))
    write("fb.csv", "Post ID,Date,Likes\n" + body)
    fast, general = _both(monkeypatch, read)
    assert fast == general
    assert (schemas[0]["c0"] == pl.Int64) is typed


@pytest.mark.parametrize("cell", ["0301", "+301", " 301", "301x", "9" * 19])
def test_an_id_past_the_sample_that_is_not_plain(monkeypatch, read, write, cell):
    # Read as numbers from the sample; a later id that is not a plain whole number either
    # reads as the same number (" 301") or sends the file back to text: the same rows.
    monkeypatch.setattr(sniff, "SAMPLE_BYTES", 400)
    body = "".join(f"{i},2025-01-{1 + i % 28:02d},{i % 7}\n" for i in range(1, 300))
    write("fb.csv", "Post ID,Date,Likes\n" + body + f"{cell},2025-01-05,4\n")
    fast, general = _both(monkeypatch, read)
    assert fast == general


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


def _big(rows: int, last: str = "", head: str = "Post ID,Title,Publish time,Likes\n") -> bytes:
    """Return a post export past the sniffing sample (1 MB), with `last` as its last row."""
    body = "".join(
        f'{i},"Post {i}, with\na line break",2025-01-{1 + i % 28:02d} 10:{i % 60:02d},{i % 9}\n'
        if i % 5 == 0
        else f"{i},Post {i},2025-01-{1 + i % 28:02d} 10:{i % 60:02d},{i % 9}\n"
        for i in range(rows)
    )
    return (head + body + last).encode()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf-8", _big(30_000)),
        ("bom", b"\xef\xbb\xbf" + _big(30_000)),
        # Windows-1251 text after an ASCII megabyte: polars refuses it, the whole read
        # finds the encoding.
        (
            "1251 late",
            _big(30_000, "Итого,x,2025-01-05 10:00,1\n".encode("cp1251").decode("latin-1")),
        ),
        ("not utf-8 late", _big(30_000, "\u00e9t\u00e9,x,2025-01-05 10:00,1\n")[:-40] + b"\xff\n"),
        ("nul late", _big(30_000) + b"1,x\x00,2025-01-05 10:00,1\n"),
        ("bad cell late", _big(30_000, "9,x,2025-01-05 10:00,lots\n")),
        ("ragged late", _big(30_000, "9,x,2025-01-05 10:00,1,2\n")),
        ("dos end", _big(30_000) + b"\x1a"),
    ],
)
def test_big_files_read_as_the_whole_bytes_path(monkeypatch, read, data_dir, name, data):
    (data_dir / "fb.csv").write_bytes(data)
    fast, general = _both(monkeypatch, read)
    assert fast == general


def test_lines_after_quoted_line_breaks_past_the_sample(read, data_dir):
    # 30,000 rows, one in five with a line break in its title: the bad cell's row starts
    # on line 1 (header) + 30,000 rows + 6,000 extra lines + 1.
    (data_dir / "fb.csv").write_bytes(_big(30_000, "9,x,2025-01-05 10:00,lots\n"))
    with pytest.raises(SitegenError) as err:
        read()
    assert err.value.line == 1 + 30_000 + 6_000 + 1


def test_windows_1251_text_after_an_ascii_megabyte(read, data_dir):
    # The encoding is judged where the 8-bit text is, not on the first (ASCII) megabyte:
    # read as Windows-1252, "Итого" would be "Èòîãî" and no total.
    total = "9,Итого,2025-01-05 10:00,1\n".encode("cp1251")
    (data_dir / "fb.csv").write_bytes(_big(30_000) + total)
    data = read()
    assert [w.message for w in data.warnings] == [
        "dropped 1 total row(s) (line 36002); totals are recomputed from the rows"
    ]


def test_a_file_that_cannot_be_mapped_is_read_whole(monkeypatch, read, data_dir, rows):
    # Some file systems (network, FUSE) refuse mmap: the whole read takes the file.
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OSError(19, "No such device")

    monkeypatch.setattr(sources.mmap, "mmap", refuse)
    (data_dir / "fb.csv").write_bytes(_big(30_000))
    fast, general = _both(monkeypatch, read)
    assert fast == general
    assert read().frame.height == 28


def test_a_utf8_export_is_not_copied_into_memory(monkeypatch, read, data_dir):
    (data_dir / "fb.csv").write_bytes(_big(30_000))
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read whole"))
    assert read().frame.height == 28  # one row a day


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


@pytest.mark.parametrize(
    ("ids", "different"),
    [
        (["1", "2", "3"], True),
        (["1", "01"], False),  # the same number: maybe the same id
        (["1 ", "2"], False),  # a space: compared stripped
        (["a", "b"], False),
        ([None, "1"], False),
        ([], True),
    ],
)
def test_numbers_all_different(ids, different):
    assert combine.numbers_all_different(pl.Series(ids, dtype=pl.Utf8)) is different


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
