"""Several files of one channel, [[data.files]] entries, delimiter and encoding settings,
estimates from rates, and what each file was read as (sitegen.readers.files)."""

from __future__ import annotations

import datetime as dt

import pytest

from sitegen.errors import ConfigError, DataError
from sitegen.readers import FileRule

D = dt.date

# Two monthly X exports of one account, as X names them; their ranges share 2017-02-01.
JAN = "tweet_activity_metrics_acme_20170101_20170201_en.csv"
FEB = "tweet_activity_metrics_acme_20170201_20170301_en.csv"
X_HEADER = "Date,impressions,engagements,retweets,likes\n"


def test_monthly_exports_of_one_account_merge_into_one_channel(write, read, rows):
    write(JAN, X_HEADER + "2017-01-31,100,7,1,4\n2017-02-01,80,5,0,3\n")
    write(FEB, X_HEADER + "2017-02-01,80,5,0,3\n2017-02-02,90,6,2,5\n")
    data = read(files=(FileRule("tweet_activity_metrics_acme_*", 0, channel="x"),))
    # The shared day is kept once: impressions 80, not 80 + 80 = 160.
    assert rows(data, "impressions", "likes") == [
        ("2017-01-31", "x", None, 100.0, 4.0),
        ("2017-02-01", "x", None, 80.0, 3.0),
        ("2017-02-02", "x", None, 90.0, 5.0),
    ]
    # Over the three days: 100 + 80 + 90 = 270 impressions.
    assert data.frame["impressions"].sum() == 270.0
    assert list(data.grains) == ["x"]


def test_without_an_entry_monthly_x_exports_are_recognised_as_one_channel(write, read, rows):
    # X's file names are recognised (readers/platforms.toml): both files are the channel x,
    # and the day they share (2017-02-01) is kept once: 100 + 80 + 90 = 270 impressions.
    write(JAN, X_HEADER + "2017-01-31,100,7,1,4\n2017-02-01,80,5,0,3\n")
    write(FEB, X_HEADER + "2017-02-01,80,5,0,3\n2017-02-02,90,6,2,5\n")
    data = read()
    assert sorted(data.frame["channel"].unique()) == ["x"]
    assert data.frame["impressions"].sum() == 270.0


def test_overlapping_exports_that_disagree_name_both_files_and_values(write, read):
    write(JAN, X_HEADER + "2017-02-01,80,5,0,3\n")
    write(FEB, X_HEADER + "2017-02-01,81,5,0,3\n")
    with pytest.raises(DataError) as info:
        read(files=(FileRule("tweet_*", 0, channel="x"),))
    err = info.value
    assert err.message == "two files give different impressions for 2017-02-01 (channel x)"
    assert err.found == f"80 in data/{JAN}:2 and 81 in data/{FEB}:2"
    assert (err.file, err.line) == (f"data/{FEB}", 2)
    assert "[[data.files]]" in (err.hint or "")
    assert all(len(line) < 300 for line in str(err).splitlines())


def test_values_within_float_noise_agree(write, read, rows):
    # 0.1 + 0.2 is 0.30000000000000004: a relative difference of 1.9e-16, under 1e-9.
    write("a.csv", "Date,Channel,Spend\n2025-01-01,ads,0.30000000000000004\n")
    write("b.csv", "Date,Channel,Spend\n2025-01-01,ads,0.3\n")
    assert rows(read(), "spend") == [("2025-01-01", "ads", None, 0.30000000000000004)]


def test_stocks_of_two_exports_are_never_summed(write, read, rows):
    # One Facebook page exported twice: 631 followers on 2025-03-01, 1,094 on 2025-03-31.
    write("page_march.csv", "Date,Page followers\n2025-03-01,631\n2025-03-31,1094\n")
    write("page_last_day.csv", "Date,Page followers\n2025-03-31,1094\n")
    data = read(files=(FileRule("page_*", 0, channel="facebook"),))
    assert rows(data, "followers") == [
        ("2025-03-01", "facebook", None, 631.0),
        ("2025-03-31", "facebook", None, 1094.0),  # not 1,094 + 1,094
    ]


def test_stocks_that_disagree_across_files_are_an_error(write, read):
    write("page_a.csv", "Date,Page followers\n2025-03-31,1094\n")
    write("page_b.csv", "Date,Page followers\n2025-03-31,631\n")
    with pytest.raises(DataError) as info:
        read(files=(FileRule("page_*", 0, channel="facebook"),))
    assert info.value.found == "1094 in data/page_a.csv:2 and 631 in data/page_b.csv:2"


def test_a_stock_within_one_file_takes_the_last_value_of_the_day(write, read, rows):
    write(
        "fb.csv",
        "Date,Page followers,Impressions\n"
        "2025-03-01 09:00,100,10\n2025-03-01 18:00,104,15\n2025-03-02 09:00,105,20\n",
    )
    # Followers: the day's last value (104); impressions: the day's sum, 10 + 15 = 25.
    assert rows(read(), "followers", "impressions") == [
        ("2025-03-01", "fb", None, 104.0, 25.0),
        ("2025-03-02", "fb", None, 105.0, 20.0),
    ]


def test_one_file_per_metric_of_one_channel(write, read, rows):
    # Meta Business Suite: one daily file per metric.
    write("Reach.csv", "Date,Reach\n2025-05-01,300\n2025-05-02,320\n")
    write("Follows.csv", "Date,Follows\n2025-05-01,4\n2025-05-02,6\n")
    data = read(files=(FileRule("*.csv", 0, channel="instagram"),))
    assert rows(data, "reach", "new_followers") == [
        ("2025-05-01", "instagram", None, 300.0, 4.0),
        ("2025-05-02", "instagram", None, 320.0, 6.0),
    ]


# -- [[data.files]] -------------------------------------------------------------------------


def test_the_first_matching_entry_wins(write, read):
    write("Reach.csv", "Date,Reach\n2025-05-01,300\n")
    rules = (
        FileRule("reach*", 0, channel="instagram"),  # letter case ignored
        FileRule("*.csv", 1, channel="facebook"),
    )
    data = read(files=rules)
    assert data.frame["channel"].to_list() == ["instagram"]
    assert [(s.file, s.channels) for s in data.file_summaries] == [
        ("data/Reach.csv", ("instagram",))
    ]


def test_an_entry_that_matches_no_file_names_itself_and_the_closest_file(write, read):
    write("Reach.csv", "Date,Reach\n2025-05-01,300\n")
    with pytest.raises(ConfigError) as info:
        read(files=(FileRule("Reech.csv", 0, channel="x"),))
    err = info.value
    assert (err.file, err.key) == ("sitegen.toml", "data.files[0].match")
    assert err.found == "'Reech.csv'; data/ holds Reach.csv"
    assert err.hint == "did you mean 'Reach.csv'?"


def test_a_skipped_file_is_not_read_and_is_listed(write, read):
    write("Reach.csv", "Date,Reach\n2025-05-01,300\n")
    write("broken.csv", "not a table at all\n")
    data = read(files=(FileRule("broken.csv", 0, skip=True),))
    assert data.frame["channel"].to_list() == ["reach"]
    assert [(s.file, s.skipped) for s in data.file_summaries] == [
        ("data/Reach.csv", False),
        ("data/broken.csv", True),
    ]
    assert [p.name for p in data.files] == ["Reach.csv"]


def test_an_entrys_columns_win_over_the_projects(write, read, rows):
    write("a.csv", "Date,Hits\n2025-05-01,7\n")
    write("b.csv", "Date,Hits\n2025-05-01,9\n")
    data = read(
        columns={"Hits": "clicks"},
        files=(FileRule("b.csv", 0, columns={"Hits": "sessions"}),),
    )
    assert rows(data, "clicks", "sessions") == [
        ("2025-05-01", "a", None, 7.0, None),
        ("2025-05-01", "b", None, None, 9.0),
    ]


def test_an_entrys_date_format_and_year(write, read, rows):
    write("tiktok.csv", "Date,Video views\nApril 12,50\nApril 13,60\n")
    data = read(files=(FileRule("tiktok.csv", 0, date_format="%B %d", year=2026),))
    assert rows(data, "video_views") == [
        ("2026-04-12", "tiktok", None, 50.0),
        ("2026-04-13", "tiktok", None, 60.0),
    ]


def test_the_platform_of_an_entry_is_on_the_file(write, read):
    write("page.csv", "Date,Reach\n2025-05-01,300\n")
    data = read(files=(FileRule("page.csv", 0, platform="facebook"),))
    assert data.file_summaries[0].platform == "facebook"


# -- delimiter and encoding -----------------------------------------------------------------

# Quoted semicolons in every row make ";" as likely as "," to the guess, and ";" ranks first.
SEMICOLONS_IN_QUOTES = 'Date,"Note;x",Clicks\n2025-01-01,"a;b",3\n2025-01-02,"c;d",4\n'


def test_the_delimiter_guess_can_go_wrong(write, read):
    write("ads.csv", SEMICOLONS_IN_QUOTES)
    with pytest.raises(DataError):
        read()


@pytest.mark.parametrize("where", ["project", "file"])
def test_the_delimiter_setting_replaces_the_guess(write, read, rows, where):
    write("ads.csv", SEMICOLONS_IN_QUOTES)
    if where == "project":
        data = read(delimiter=",")
    else:
        data = read(files=(FileRule("ads.csv", 0, delimiter=","),))
    assert rows(data, "clicks") == [
        ("2025-01-01", "ads", None, 3.0),
        ("2025-01-02", "ads", None, 4.0),
    ]


KOI8 = "Дата;Клики\n2025-01-01;3\n2025-01-02;4\n"


def test_the_encoding_guess_can_go_wrong(write, read):
    write("direct.csv", KOI8, encoding="koi8-r")
    with pytest.raises(DataError):
        read()  # read as Windows-1251, the headers are garbled: no date column


@pytest.mark.parametrize("where", ["project", "file"])
def test_the_encoding_setting_replaces_the_guess(write, read, rows, where):
    write("direct.csv", KOI8, encoding="koi8-r")
    if where == "project":
        data = read(encoding="koi8-r")
    else:
        data = read(files=(FileRule("direct.csv", 0, encoding="koi8-r"),))
    assert rows(data, "clicks") == [
        ("2025-01-01", "direct", None, 3.0),
        ("2025-01-02", "direct", None, 4.0),
    ]


def test_a_file_not_in_the_given_encoding_is_an_error_naming_the_line(write, read):
    write("direct.csv", b"Date,Clicks\n2025-01-01,3\n2025-01-02,\xff\n")
    with pytest.raises(DataError) as info:
        read(encoding="utf-8")
    assert (info.value.file, info.value.line) == ("data/direct.csv", 3)


# -- estimates from rates (item 8) ------------------------------------------------------------


def test_clicks_estimated_from_ctr_are_a_note_naming_both_columns(write, read, rows):
    write("ads.csv", "Date,Impressions,CTR\n2025-01-01,1000,1.5%\n2025-01-02,2000,2%\n")
    data = read()
    # 1.5 % of 1,000 = 15; 2 % of 2,000 = 40.
    assert rows(data, "clicks") == [
        ("2025-01-01", "ads", None, pytest.approx(15.0)),
        ("2025-01-02", "ads", None, pytest.approx(40.0)),
    ]
    notes = [w for w in data.warnings if "estimated" in w.message]
    assert [(w.code, w.message) for w in notes] == [
        ("note", "clicks estimated from 'CTR' x 'Impressions': the file has no clicks column")
    ]
    assert data.file_summaries[0].estimates == (("clicks", "CTR", "Impressions"),)


def test_no_estimate_when_an_unknown_column_looks_like_the_metric(write, read):
    write("ads.csv", "Date,Impressions,CTR,Clics\n2025-01-01,1000,1.5%,16\n")
    data = read()
    assert "clicks" not in data.frame.columns
    skipped = [w for w in data.warnings if w.code == "estimate_skipped"]
    assert [w.message for w in skipped] == [
        "clicks not estimated from 'CTR' x 'Impressions': the column 'Clics' looks like clicks"
    ]
    assert skipped[0].hint == 'map it under [data.columns]: "Clics" = "clicks"'
    assert data.file_summaries[0].estimates == ()


def test_the_real_column_under_a_known_name_is_used_not_the_estimate(write, read, rows):
    write("ads.csv", "Date,Impressions,CTR,Link clicks\n2025-01-01,1000,1.5%,16\n")
    data = read()
    assert rows(data, "clicks") == [("2025-01-01", "ads", None, 16.0)]  # not 15
    assert not [w for w in data.warnings if "estimated" in w.message]


# -- what each file was read as -----------------------------------------------------------------


def test_each_file_summary_says_channel_dates_metrics_and_ignored_columns(write, read):
    write("ads.csv", "Date,Impressions,Clicks,Mood\n2025-01-01,100,5,x\n2025-01-05,130,7,z\n")
    write("rivals.csv", "Date,Competitor,Likes\n2025-02-01,Zeta,3\n")
    data = read()
    assert [s.to_json() for s in data.file_summaries] == [
        {
            "file": "data/ads.csv",
            "platform": None,
            "channels": ["ads"],
            "competitors": [],
            "first": "2025-01-01",
            "last": "2025-01-05",
            "total_period": None,
            "metrics": ["impressions", "clicks"],
            "ignored": 1,
            "rows": 2,
            "skipped": False,
            "estimates": [],
        },
        {
            "file": "data/rivals.csv",
            "platform": None,
            "channels": ["rivals"],
            "competitors": ["Zeta"],
            "first": "2025-02-01",
            "last": "2025-02-01",
            "total_period": None,
            "metrics": ["likes"],
            "ignored": 0,
            "rows": 1,
            "skipped": False,
            "estimates": [],
        },
    ]
