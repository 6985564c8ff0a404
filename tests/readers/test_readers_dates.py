"""Dates as exports write them: shapes, day/month order, times and zones, weeks and months."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from sitegen.errors import ConfigError, DataError
from sitegen.readers.cells import CellError
from sitegen.readers.dateformats import DateOptions
from sitegen.readers.dates import date_share, parse_dates


def parse(values: list[str | None], **options: str) -> list[tuple[str | None, str | None]]:
    out = parse_dates(pl.Series(values, dtype=pl.Utf8), DateOptions(**options))
    return [
        (None if d is None else d.isoformat(), g)
        for d, g in zip(out["date"].to_list(), out["grain"].to_list(), strict=True)
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-01-31", "2025-01-31"),
        ("2025/1/31", "2025-01-31"),
        ("2025.01.31.", "2025-01-31"),
        ("31.01.2025", "2025-01-31"),
        ("31.01.25", "2025-01-31"),
        ("31.01.2025 г.", "2025-01-31"),
        ("20250131", "2025-01-31"),
        ("Jan 31, 2025", "2025-01-31"),
        ("January 31st, 2025", "2025-01-31"),
        ("Fri, Jan 31, 2025", "2025-01-31"),
        ("31 Jan 2025", "2025-01-31"),
        ("31 января 2025 г.", "2025-01-31"),
        ("2025. gada 31. janvāris", "2025-01-31"),
        ("2025-01-31T10:15:00", "2025-01-31"),
        ("2025-01-31 10:15", "2025-01-31"),
        ("31.01.2025 10:15:59", "2025-01-31"),
        ("2025-01-31T23:59:59.123+00:00", "2025-01-31"),
        ("31/01/2025", "2025-01-31"),
    ],
)
def test_day_shapes(value, expected):
    assert parse([value]) == [(expected, "day")]


@pytest.mark.parametrize(
    ("value", "expected", "grain"),
    [
        ("2025-W03", "2025-01-13", "week"),
        ("2025-w3", "2025-01-13", "week"),
        ("2025W01", "2024-12-30", "week"),
        ("2025-01", "2025-01-01", "month"),
        ("01.2025", "2025-01-01", "month"),
        ("202502", "2025-02-01", "month"),
        ("January 2025", "2025-01-01", "month"),
        ("Май 2025", "2025-05-01", "month"),
        ("2025-01-06 - 2025-01-12", "2025-01-06", "week"),
        ("01.02.2025 – 28.02.2025", "2025-02-01", "month"),
        ("01.02.2025-01.02.2025", "2025-02-01", "day"),
    ],
)
def test_week_and_month_rows(value, expected, grain):
    assert parse([value]) == [(expected, grain)]


def test_slashed_dates_are_settled_by_the_whole_column():
    assert parse(["01/02/2025", "13/02/2025"]) == [("2025-02-01", "day"), ("2025-02-13", "day")]
    assert parse(["01/02/2025", "02/13/2025"]) == [("2025-01-02", "day"), ("2025-02-13", "day")]
    assert parse(["1/2/25 10:00 PM", "1/31/25"]) == [("2025-01-02", "day"), ("2025-01-31", "day")]


def test_ambiguous_slashed_dates_need_date_format():
    with pytest.raises(CellError) as info:
        parse(["01/02/2025", "03/04/2025"])
    assert info.value.row == 0
    assert "date_format" in (info.value.hint or "")
    assert parse(["01/02/2025", "03/04/2025"], date_format="%m/%d/%Y") == [
        ("2025-01-02", "day"),
        ("2025-03-04", "day"),
    ]
    assert parse(["01/02/2025", "03/04/2025"], date_format="%d/%m/%Y") == [
        ("2025-02-01", "day"),
        ("2025-04-03", "day"),
    ]


def test_date_format_reads_unusual_shapes():
    assert parse(["2025|31|01"], date_format="%Y|%d|%m") == [("2025-01-31", "day")]


def test_two_orders_in_one_column():
    with pytest.raises(CellError) as info:
        parse(["13/01/2025", "01/13/2025"])
    assert (info.value.row, info.value.other_row) == (1, 0)


@pytest.mark.parametrize("bad", ["Lifetime", "2025-02-30", "31.13.2025", "yesterday", "45"])
def test_not_dates(bad):
    with pytest.raises(CellError) as info:
        parse(["2025-01-01", bad])
    assert info.value.row == 1


def test_offsets_move_to_the_project_timezone():
    values = [
        "2025-01-31T23:30:00-08:00",
        "2025-01-31 22:30 +0000",
        "2025-01-31T10:00:00Z",
        "2025-01-31 23:30",
    ]
    assert [d for d, _ in parse(values, timezone="Europe/Riga")] == [
        "2025-02-01",
        "2025-02-01",
        "2025-01-31",
        "2025-01-31",
    ]
    assert [d for d, _ in parse(values)] == ["2025-01-31"] * 4


def test_typed_dates_datetimes_and_excel_serials():
    dates = parse_dates(pl.Series([dt.date(2025, 1, 31), None]), DateOptions())
    assert dates["date"].to_list() == [dt.date(2025, 1, 31), None]
    aware = pl.Series([dt.datetime(2025, 1, 31, 23, 0)]).dt.replace_time_zone("UTC")
    assert parse_dates(aware, DateOptions(timezone="Europe/Riga"))["date"].to_list() == [
        dt.date(2025, 2, 1)
    ]
    serials = parse_dates(pl.Series([45688.0, 45689.75]), DateOptions())
    assert serials["date"].to_list() == [dt.date(2025, 1, 31), dt.date(2025, 2, 1)]
    assert parse(["45688", "45689"]) == [("2025-01-31", "day"), ("2025-02-01", "day")]


def test_week_and_month_headers_make_week_and_month_rows():
    out = parse_dates(pl.Series(["2025-01-15"]), DateOptions(role="month"))
    assert (out["date"][0], out["grain"][0]) == (dt.date(2025, 1, 1), "month")
    out = parse_dates(pl.Series(["2025-01-06"]), DateOptions(role="week"))
    assert (out["date"][0], out["grain"][0]) == (dt.date(2025, 1, 6), "week")


def test_date_share():
    assert date_share(pl.Series(["Lifetime", "Lifetime"])) == 0.0
    assert date_share(pl.Series(["2025-01-01", "x", None])) == 0.5
    assert date_share(pl.Series(["2025-01-06 - 2025-01-12"])) == 1.0


def test_grains_per_channel(write, read, rows):
    write("fb.csv", "Week,Likes\n2025-W02,10\n2025-W03,12\n")
    write("ig.csv", "Month,Likes\n2025-01,40\n")
    write("vk.csv", "Date,Channel,Likes\n2025-01-05,vk,1\n2025-W02,vk,10\n")
    data = read()
    assert data.grains == {"fb": "week", "ig": "month", "vk": "day"}
    assert rows(data, "likes")[:3] == [
        ("2025-01-06", "fb", None, 10.0),
        ("2025-01-13", "fb", None, 12.0),
        ("2025-01-01", "ig", None, 40.0),
    ]


def test_ambiguous_dates_in_a_file_say_which_setting_to_add(write, read):
    write("linkedin.csv", "Date,Impressions\n\n01/02/2025,5\n03/04/2025,6\n")
    with pytest.raises(DataError) as info:
        read()
    err = info.value
    assert (err.file, err.line, err.column, err.key) == ("data/linkedin.csv", 3, 1, "Date")
    assert err.hint == 'add date_format = "%d/%m/%Y" (or "%m/%d/%Y") under [data] in sitegen.toml'
    assert read(date_format="%m/%d/%Y").frame["date"].to_list() == [
        dt.date(2025, 1, 2),
        dt.date(2025, 3, 4),
    ]


def test_post_times_pick_the_publish_column_over_lifetime(write, read, rows):
    write(
        "ig.csv",
        "Post ID,Publish time,Date,Likes\n1,2025-01-31 10:00,Lifetime,3\n"
        "2,2025-01-31 11:00,Lifetime,4\n",
    )
    assert rows(read(), "likes", "posts") == [("2025-01-31", "ig", None, 7.0, 2.0)]


def test_unknown_timezone_is_a_config_error(write, read):
    write("fb.csv", "Date,Likes\n2025-01-31,1\n")
    with pytest.raises(ConfigError) as info:
        read(timezone="Mars/Olympus")
    assert info.value.key == "project.timezone"


def test_midnight_stamps_do_not_tell_rows_apart():
    timed = parse_dates(
        pl.Series(
            [
                "2025-01-01T00:00:00",
                "2025-01-01 12:00 AM",
                "2025-01-01 00:00 +0000",
                "2025-01-01 12:00",
                "2025-01-01 12:00 PM",
                "2025-01-01 00:01",
                "2025-01-01",
            ]
        ),
        DateOptions(),
    )["timed"].to_list()
    assert timed == [False, False, False, True, True, True, False]


def test_daily_rows_stamped_at_midnight_are_still_checked_for_duplicates(write, read):
    write("fb.csv", '"Date","Primary"\n"2025-01-01T00:00:00","1"\n"2025-01-01T00:00:00","2"\n')
    with pytest.raises(DataError) as info:
        read()
    assert info.value.found == "line 2 and line 3"
