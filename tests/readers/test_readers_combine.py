"""Finer rows added up, stocks and means, duplicates, channels, competitors, merging files."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from sitegen.errors import ConfigError, DataError
from sitegen.readers import read_file


def test_campaign_rows_add_up_stocks_take_the_last_means_average(write, read, rows):
    write(
        "ads.csv",
        "Date,Campaign,Clicks,Followers,Response time,Spend\n"
        "2025-01-01,A,10,100,4,1.5\n"
        "2025-01-01,B,,105,8,\n"
        "2025-01-01,C,5,,,2\n"
        "2025-01-02,A,,,,\n"
        "2025-01-02,B,1,99,3,0\n",
    )
    assert rows(read(), "followers", "clicks", "spend", "response_time") == [
        ("2025-01-01", "ads", None, 105.0, 15.0, 3.5, 6.0),
        ("2025-01-02", "ads", None, 99.0, 1.0, 0.0, 3.0),
    ]


def test_a_day_with_only_empty_cells_for_a_metric_stays_missing(write, read, rows):
    write("ads.csv", "Date,Ad name,Clicks,Leads\n2025-01-01,x,1,\n2025-01-01,y,2,\n")
    assert rows(read(), "clicks", "leads") == [("2025-01-01", "ads", None, 3.0, None)]


def test_timestamps_tell_rows_apart(write, read, rows):
    write(
        "mentions.csv",
        "Time,Mentions\n2025-01-01 10:00,1\n2025-01-01 11:00,1\n2025-01-02 09:00,1\n",
    )
    assert rows(read(), "mentions") == [
        ("2025-01-01", "mentions", None, 2.0),
        ("2025-01-02", "mentions", None, 1.0),
    ]


def test_duplicate_rows_name_both_lines(write, read):
    write("vk.csv", "Дата;Лайки\n31.01.2025;1\n01.02.2025;2\n31.01.2025;3\n")
    with pytest.raises(DataError) as info:
        read()
    err = info.value
    assert (err.file, err.line) == ("data/vk.csv", 4)
    assert err.found == "line 2 and line 4"
    assert err.message == "two rows for 2025-01-31 (channel vk) that nothing tells apart"


def test_repeated_post_id_on_one_date_is_a_duplicate(write, read):
    write("ig.csv", "Post ID,Date,Likes\n11,2025-01-31,1\n12,2025-01-31,2\n11,2025-01-31,1\n")
    with pytest.raises(DataError) as info:
        read()
    assert info.value.found == "line 2 and line 4"
    assert "with the same id" in info.value.message


def test_post_by_day_rows_are_fine(write, read, rows):
    write("ig.csv", "Post ID,Date,Likes\n11,2025-01-30,1\n11,2025-01-31,2\n12,2025-01-31,4\n")
    assert rows(read(), "likes", "posts") == [
        ("2025-01-30", "ig", None, 1.0, 1.0),
        ("2025-01-31", "ig", None, 6.0, 2.0),
    ]


def test_a_posts_column_is_not_replaced_by_the_row_count(write, read, rows):
    write("ig.csv", "Post ID,Date,Posts\n11,2025-01-31,1\n12,2025-01-31,0\n")
    assert rows(read(), "posts") == [("2025-01-31", "ig", None, 1.0)]


def test_channel_column_and_competitors_kept_apart(write, read, rows):
    write(
        "social.csv",
        "date,channel,competitor,likes\n"
        "2025-01-01,Instagram,,10\n"
        "2025-01-01,instagram,Rival Co,30\n"
        "2025-01-01,  INSTAGRAM ,rival co,5\n"
        "2025-01-01,,,7\n",
    )
    data = read()
    assert rows(data, "likes") == [
        ("2025-01-01", "instagram", None, 10.0),
        ("2025-01-01", "instagram", "Rival Co", 30.0),
        ("2025-01-01", "instagram", "rival co", 5.0),
        ("2025-01-01", "social", None, 7.0),
    ]
    assert data.metrics_by_channel == {"instagram": ["likes"], "social": ["likes"]}


def test_files_merge_column_wise(write, read, rows):
    write("instagram.csv", "Date,Likes,Reach\n2025-01-01,10,100\n2025-01-02,12,120\n")
    write(
        "ads.csv",
        "Date,Channel,Spend,Clicks\n2025-01-01,Instagram,5.5,3\n2025-01-03,instagram,1,1\n",
    )
    data = read()
    assert rows(data, "reach", "likes", "clicks", "spend") == [
        ("2025-01-01", "instagram", None, 100.0, 10.0, 3.0, 5.5),
        ("2025-01-02", "instagram", None, 120.0, 12.0, None, None),
        ("2025-01-03", "instagram", None, None, None, 1.0, 1.0),
    ]


def test_the_same_metric_from_two_files_is_kept_once_when_they_agree(write, read, rows):
    write("instagram.csv", "Date,Likes\n2025-01-01,10\n2025-01-02,12\n")
    write("more.csv", "Date,Channel,Likes\n2025-01-02,instagram,12\n")
    # 12 on 2025-01-02 in both files: one value, never 12 + 12 = 24.
    assert rows(read(), "likes") == [
        ("2025-01-01", "instagram", None, 10.0),
        ("2025-01-02", "instagram", None, 12.0),
    ]


def test_the_same_metric_from_two_files_that_disagree_is_an_error(write, read):
    write("instagram.csv", "Date,Likes\n2025-01-01,10\n2025-01-02,12\n")
    write("more.csv", "Date,Channel,Likes\n2025-01-02,instagram,13\n")
    with pytest.raises(DataError) as info:
        read()
    err = info.value
    assert err.message == "two files give different likes for 2025-01-02 (channel instagram)"
    assert err.found == "12 in data/instagram.csv:3 and 13 in data/more.csv:2"
    assert (err.file, err.line) == ("data/more.csv", 2)


def test_frame_is_sorted_and_typed(write, read):
    write("b.csv", "Date,Likes\n2025-01-02,1\n2025-01-01,2\n")
    write("a.csv", "Date,Competitor,Likes\n2025-01-01,Z,1\n2025-01-01,,2\n")
    frame = read().frame
    assert frame.select("channel", "competitor", "date").rows() == [
        ("a", None, dt.date(2025, 1, 1)),
        ("a", "Z", dt.date(2025, 1, 1)),
        ("b", None, dt.date(2025, 1, 1)),
        ("b", None, dt.date(2025, 1, 2)),
    ]
    assert frame.schema == pl.Schema(
        {"date": pl.Date, "channel": pl.String, "competitor": pl.String, "likes": pl.Float64}
    )


def test_project_columns_add_aliases_and_fields(write, read, rows):
    write("ads.csv", "Tag,Day of report,Link Clicks (All),Weird\nx,2025-01-01,5,1\n")
    data = read(columns={"Link Clicks (All)": "clicks", "Day of report": "date", "Weird": "ignore"})
    assert rows(data, "clicks") == [("2025-01-01", "ads", None, 5.0)]
    assert data.unknown_columns == {"ads.csv": ["Tag"]}


def test_project_column_to_an_unknown_metric(write, read):
    write("ads.csv", "Date,Foo\n2025-01-01,5\n")
    with pytest.raises(ConfigError) as info:
        read(columns={"Foo": "fooz"})
    assert info.value.key == "data.columns.Foo"


def test_unknown_columns_one_warning(write, read):
    write("fb.csv", "Date,Likes,Mood,Weather,Page name\n2025-01-01,1,ok,sun,Acme\n")
    data = read()
    [warning] = data.warnings
    assert warning.code == "unknown_columns"
    assert warning.message == "ignored 2 unknown column(s): 'Mood', 'Weather'"
    assert data.unknown_columns == {"fb.csv": ["Mood", "Weather"]}


def test_two_columns_for_one_metric(write, read, rows):
    write("fb.csv", "Date,Total clicks,Link clicks\n2025-01-01,9,4\n")
    data = read()
    assert rows(data, "clicks") == [("2025-01-01", "fb", None, 4.0)]
    assert [w.code for w in data.warnings] == ["duplicate_column"]


def test_header_matching_ignores_case_space_punctuation_accents(write, read, rows):
    write(
        "lv.csv",
        "  DATUMS ;SEKOTAJI;Jauni_sekotāji;klikšķi.;Izmaksas, EUR\n01.01.2025;10;2;3;4,5\n",
    )
    assert rows(read(), "followers", "new_followers", "clicks", "spend") == [
        ("2025-01-01", "lv", None, 10.0, 2.0, 3.0, 4.5),
    ]


def test_read_file_alone(data_dir, kinds):
    path = data_dir / "fb.csv"
    path.write_text("Date,Likes\n2025-01-01,1\n2025-01-01,2\n")
    with pytest.raises(DataError) as info:
        read_file(path, metric_kinds=kinds)
    assert info.value.file == "data/fb.csv"
    path.write_text("Date,Likes\n2025-01-01,1\n")
    part = read_file(path, metric_kinds=kinds)
    assert part.frame.columns == ["date", "channel", "competitor", "likes", "_line"]
    assert part.grains == {"fb": "day"}


def test_a_campaign_number_repeated_on_breakdown_rows_is_not_a_duplicate(write, read, rows):
    # Yandex.Direct by device: one campaign number per device row on each day.
    write(
        "direct.csv",
        "День;№ Кампании;Тип устройства;Показы;Клики\n"
        "02.03.2026;7001;десктоп;120;4\n"
        "02.03.2026;7001;смартфоны;310;9\n"
        "02.03.2026;7001;планшеты;15;0\n"
        "03.03.2026;7001;десктоп;100;4\n",
    )
    assert rows(read(), "impressions", "clicks") == [
        ("2026-03-02", "direct", None, 445.0, 13.0),
        ("2026-03-03", "direct", None, 100.0, 4.0),
    ]


def test_placeholder_video_ids_are_not_duplicates(write, read, rows):
    # YouTube Studio table data: "--" for the rows that are not one video.
    write(
        "yt.csv",
        "Video ID,Video title,Date,Views\n"
        "--,Shorts feed,2026-04-01,50\n"
        "--,Other,2026-04-01,7\n"
        "abc123,Launch,2026-04-01,300\n",
    )
    assert rows(read(), "impressions") == [("2026-04-01", "yt", None, 357.0)]


def test_a_row_pasted_twice_is_still_a_duplicate(write, read):
    write(
        "direct.csv",
        "День;№ Кампании;Тип устройства;Показы\n"
        "02.03.2026;7001;десктоп;120\n"
        "02.03.2026;7001;смартфоны;310\n"
        "02.03.2026;7001;десктоп;120\n",
    )
    with pytest.raises(DataError) as info:
        read()
    assert info.value.found == "line 2 and line 4"
    assert "with the same id" in info.value.message
