"""Reports that total a period (no date column): each shape built here with our own numbers.

Layouts follow the platforms' exports: Yandex.Direct (XLSX, preamble "Период: ..", "Итого"
first; en UI "Period: .." and "Total"), Google Ads (a title line, then "January 20, 2026 -
January 21, 2026", "--" cells, several "Total: ..." rows), YouTube Studio "Table data" (the
period in the file or folder name, a "Total" row first), Meta Ads Manager ("Reporting starts"
and "Reporting ends" per row), a Latvian report with "Kopā".
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from conftest import METRIC_KINDS, Read, Write

from sitegen.errors import DataError
from sitegen.readers import DataSet, FileRule, read_file
from sitegen.readers.aliases import alias_table
from sitegen.readers.periodtext import period_in
from sitegen.readers.rows import ReadOptions, shape_file
from sitegen.readers.sources import read_raw

D = date.fromisoformat


def totals_rows(data: DataSet, *metrics: str) -> list[tuple[object, ...]]:
    frame = data.totals.sort("channel", "start")
    return [
        (str(r["start"]), str(r["end"]), r["channel"], *(r[m] for m in metrics))
        for r in frame.iter_rows(named=True)
    ]


def _xlsx(path: Path, rows: list[list[object]]) -> None:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.close()


def test_yandex_direct_xlsx_ru_preamble_and_itogo_row_first(data_dir: Path, read: Read) -> None:
    _xlsx(
        data_dir / "yandex-direct.xlsx",
        [
            ["Статистика по всем кампаниям"],
            ["Период: 01.03.2026 - 31.03.2026"],
            [None],
            ["Кампания", "№ Кампании", "Показы", "Клики", "CTR (%)", "Расход (руб.)"],
            ["Итого", None, 3000, 50, 1.67, 1000.5],
            ["Поиск | бренд", 701, 1000, 30, 3.0, 600.25],
            ["РСЯ | ретаргетинг", 702, 2000, 20, 1.0, 400.25],
        ],
    )
    data = read()
    assert data.frame.height == 0  # nothing is spread over days
    # 1000 + 2000 = 3000 impressions, 30 + 20 = 50 clicks, 600.25 + 400.25 = 1000.5 spend;
    # the "Итого" row is dropped, not added (it would double every number).
    assert totals_rows(data, "impressions", "clicks", "spend") == [
        ("2026-03-01", "2026-03-31", "yandex-direct", 3000.0, 50.0, 1000.5)
    ]
    assert any("dropped 1 total row(s)" in w.message for w in data.warnings)
    assert data.metrics_by_channel == {"yandex-direct": ["impressions", "clicks", "spend"]}


def test_yandex_direct_csv_en_ui(write: Write, read: Read) -> None:
    write(
        "direct.csv",
        "Campaign statistics\n"
        "Period: 01.02.2026 - 28.02.2026\n"
        "Campaign;Impressions;Clicks;Cost (RUB)\n"
        "Total;700;14;350,50\n"
        "Brand;300;10;200,00\n"
        "Generic;400;4;150,50\n",
    )
    # Recognised as Yandex.Direct (platforms.toml), so the channel is yandex-direct.
    # 300 + 400 = 700 impressions, 10 + 4 = 14 clicks, 200.00 + 150.50 = 350.50
    assert totals_rows(read(), "impressions", "clicks", "spend") == [
        ("2026-02-01", "2026-02-28", "yandex-direct", 700.0, 14.0, 350.5)
    ]


GOOGLE_ADS = (
    "Campaign report\n"
    '"January 20, 2026 - January 21, 2026"\n'
    "Campaign status,Campaign,Budget,Currency code,Clicks,Impr.,CTR,Avg. CPC,Cost,Conversions\n"
    "Enabled,Brand,10.00,EUR,12,300,4.00%,0.50,6.00,2.00\n"
    "Paused,Generic,--,EUR,8,200,4.00%,0.75,6.00,--\n"
    "Enabled,Display,5.00,EUR,0,1000,0.00%,--,0.00,0.00\n"
    "Total: Account,--,--,EUR,20,1500,1.33%,0.60,12.00,2.00\n"
    "Total: Search,--,--,EUR,20,500,4.00%,0.60,12.00,2.00\n"
    "Total: Display,--,--,EUR,0,1000,0.00%,--,0.00,0.00\n"
)


def test_google_ads_title_and_range_lines_dashes_and_total_rows(write: Write, read: Read) -> None:
    write("google-ads.csv", GOOGLE_ADS)
    data = read()
    # clicks 12 + 8 + 0 = 20; impressions 300 + 200 + 1000 = 1500; cost 6 + 6 + 0 = 12;
    # conversions 2 + (--) + 0 = 2. The three "Total: ..." rows are not added.
    assert totals_rows(data, "clicks", "impressions", "spend", "conversions") == [
        ("2026-01-20", "2026-01-21", "google-ads", 20.0, 1500.0, 12.0, 2.0)
    ]
    note = next(w for w in data.warnings if "total row" in w.message)
    assert note.message.startswith("dropped 3 total row(s) (lines 7, 8, 9)")
    # "Total: Account" (20 clicks, 1500 impressions, 12.00 cost, 2 conversions) agrees.
    assert not [w for w in data.warnings if w.code == "total_mismatch"]


def test_a_grand_total_row_that_disagrees_with_the_rows_is_a_warning(
    write: Write, read: Read
) -> None:
    write(
        "direct.csv",
        "Period: 01.02.2026 - 28.02.2026\n"
        "Campaign;Impressions;Clicks;Cost (RUB)\n"
        "Total;700;16;350,52\n"
        "Brand;300;10;200,00\n"
        "Generic;400;4;150,50\n",
    )
    data = read()
    # The rows give 10 + 4 = 14 clicks and 350.50 cost; the total row says 16 and 350.52.
    # Rounding may account for half a cent per row (2 rows: 0.01); 0.02 is more: both named.
    [warning] = [w for w in data.warnings if w.code == "total_mismatch"]
    assert warning.line == 3
    assert warning.message == (
        "the total row disagrees with the sum of the rows: clicks 16 against 14; "
        "spend 350.52 against 350.5"
    )
    assert totals_rows(data, "clicks") == [("2026-02-01", "2026-02-28", "yandex-direct", 14.0)]


def test_google_ads_xlsx(data_dir: Path, read: Read) -> None:
    _xlsx(
        data_dir / "google-ads.xlsx",
        [
            ["Campaign report"],
            ["January 1, 2026 - January 31, 2026"],
            ["Campaign", "Clicks", "Impr.", "Cost"],
            ["Brand", 5, 50, 2.5],
            ["Generic", 7, 70, 3.5],
            ["Total: Account", 12, 120, 6.0],
        ],
    )
    # 5 + 7 = 12 clicks, 50 + 70 = 120 impressions, 2.5 + 3.5 = 6.0 cost
    assert totals_rows(read(), "clicks", "impressions", "spend") == [
        ("2026-01-01", "2026-01-31", "google-ads", 12.0, 120.0, 6.0)
    ]


YOUTUBE_TABLE = (
    "Content,Video title,Duration,Impressions,Watch time (hours)\n"
    "Total,,,2500,40.5\n"
    "abc123,First video,300,1500,30.5\n"
    "def456,Second video,200,1000,10\n"
)


def test_youtube_table_data_with_the_period_in_the_file_name(write: Write, read: Read) -> None:
    write("Content 2026-01-01_2026-01-31 Channel Table data.csv", YOUTUBE_TABLE)
    data = read()
    # 1500 + 1000 = 2500 impressions; the "Total" row first is dropped
    [(start, end, _, impressions)] = totals_rows(data, "impressions")
    assert (start, end, impressions) == ("2026-01-01", "2026-01-31", 2500.0)


def test_youtube_table_data_takes_the_period_of_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "Content 2026-02-01_2026-02-28 Channel"
    folder.mkdir()
    path = folder / "Table data.csv"
    path.write_text(YOUTUBE_TABLE, encoding="utf-8")
    part = read_file(path, metric_kinds=METRIC_KINDS)
    assert part.total_period == (D("2026-02-01"), D("2026-02-28"))
    assert part.frame["impressions"].to_list() == [2500.0]  # 1500 + 1000
    assert part.frame["end"].to_list() == [D("2026-02-28")]


def test_a_youtube_export_folder_copied_into_data_is_read_with_its_period(
    data_dir: Path, write: Write, read: Read
) -> None:
    # YouTube Studio's export is a folder; copied into data/ as it is, with a daily file
    # beside it. The folder's name is the only place that states the period.
    folder = data_dir / "Content 2026-02-01_2026-02-28 Channel"
    folder.mkdir()
    (folder / "Table data.csv").write_text(YOUTUBE_TABLE, encoding="utf-8")
    (data_dir / ".hidden").mkdir()
    (data_dir / ".hidden" / "x.csv").write_text("Date,Clicks\n2026-02-01,99\n", encoding="utf-8")
    write("daily.csv", "Date,Channel,Clicks\n2026-02-01,ads,4\n")
    data = read()
    # 1500 + 1000 = 2500 impressions for February; the hidden folder is not read (no 99).
    [(start, end, _, impressions)] = totals_rows(data, "impressions")
    assert (start, end, impressions) == ("2026-02-01", "2026-02-28", 2500.0)
    assert data.frame["clicks"].to_list() == [4.0]
    assert [s.file for s in data.file_summaries] == [
        "data/Content 2026-02-01_2026-02-28 Channel/Table data.csv",
        "data/daily.csv",
    ]


def test_a_folder_in_data_that_links_out_of_the_project_is_refused(
    data_dir: Path, read: Read
) -> None:
    outside = data_dir.parent.parent / "elsewhere"
    outside.mkdir()
    (outside / "secret.csv").write_text("Date,Clicks\n2026-02-01,99\n", encoding="utf-8")
    (data_dir / "Content 2026-02-01_2026-02-28 X").symlink_to(outside)
    with pytest.raises(DataError) as info:
        read()
    assert info.value.message == "the folder is a link to a folder outside the project"
    assert info.value.file == "data/Content 2026-02-01_2026-02-28 X/"


def test_a_files_entry_matches_a_file_in_a_folder_by_path_or_name(
    data_dir: Path, read: Read
) -> None:
    folder = data_dir / "Content 2026-02-01_2026-02-28 Shop"
    folder.mkdir()
    (folder / "Table data.csv").write_text(YOUTUBE_TABLE, encoding="utf-8")
    # The entry's period wins over the folder's.
    for match in ("Content*/Table*.csv", "Table data.csv"):
        rule = FileRule(match, 0, period=(D("2026-03-01"), D("2026-03-31")))
        [(start, end, _, impressions)] = totals_rows(read(files=(rule,)), "impressions")
        assert (start, end, impressions) == ("2026-03-01", "2026-03-31", 2500.0)


def test_latvian_report_with_kopa_row_and_a_latvian_period(write: Write, read: Read) -> None:
    write(
        "kampanas.csv",
        "Periods: 2026. gada 1. marts - 2026. gada 31. marts\n"
        "Kampaņa;Klikšķi;Apmeklējumi\n"
        "Pavasaris;10;8\n"
        "Vasara;5;4\n"
        "Kopā;15;12\n",
    )
    # 10 + 5 = 15 clicks, 8 + 4 = 12 sessions ("Kopā" dropped)
    assert totals_rows(read(), "clicks", "sessions") == [
        ("2026-03-01", "2026-03-31", "kampanas", 15.0, 12.0)
    ]


def test_meta_ads_manager_rows_keep_their_own_reporting_periods(write: Write, read: Read) -> None:
    write(
        "meta-ads.csv",
        "Campaign name,Reporting starts,Reporting ends,Impressions,Link clicks,Amount spent (EUR)\n"
        "Spring,2026-01-01,2026-01-31,1000,10,5.50\n"
        "Summer,2026-01-01,2026-01-31,3000,30,4.50\n"
        "Spring,2026-02-01,2026-02-28,2000,20,7.00\n"
        "Spring,2026-03-01,2026-03-15,500,5,1.25\n",
    )
    data = read()
    assert data.frame.height == 0
    # January: 1000 + 3000 impressions, 10 + 30 clicks, 5.50 + 4.50 spend
    assert totals_rows(data, "impressions", "clicks", "spend") == [
        ("2026-01-01", "2026-01-31", "meta-ads", 4000.0, 40.0, 10.0),
        ("2026-02-01", "2026-02-28", "meta-ads", 2000.0, 20.0, 7.0),
        ("2026-03-01", "2026-03-15", "meta-ads", 500.0, 5.0, 1.25),
    ]


def test_meta_ads_manager_by_day_stays_daily(write: Write, read: Read) -> None:
    write(
        "meta-ads.csv",
        "Campaign name,Reporting starts,Reporting ends,Impressions\n"
        "Spring,2026-01-01,2026-01-01,100\n"
        "Summer,2026-01-01,2026-01-01,50\n"
        "Spring,2026-01-02,2026-01-02,70\n",
    )
    data = read()
    assert data.totals.height == 0
    # 2026-01-01: 100 + 50 = 150; 2026-01-02: 70
    assert data.frame["impressions"].to_list() == [150.0, 70.0]


def test_meta_ads_manager_with_a_day_column_is_daily(write: Write, read: Read) -> None:
    write(
        "meta-ads.csv",
        "Day,Campaign name,Reporting starts,Reporting ends,Impressions\n"
        "2026-01-01,Spring,2026-01-01,2026-01-31,100\n"
        "2026-01-02,Spring,2026-01-01,2026-01-31,70\n",
    )
    data = read()
    assert data.totals.height == 0
    assert data.frame["impressions"].to_list() == [100.0, 70.0]


def test_the_period_of_the_files_entry_wins(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    path.write_text("Campaign,Clicks\nA,3\nB,4\n", encoding="utf-8")
    opts = ReadOptions(
        metric_kinds=METRIC_KINDS,
        columns=None,
        date_format=None,
        timezone=None,
        table=alias_table(),
        period=(D("2026-04-01"), D("2026-04-30")),
    )
    raw = read_raw(path, "data/report.csv", opts.score_row, opts.number_columns, opts.limits)
    part = shape_file(raw, path, "data/report.csv", opts)
    assert part.total_period == (D("2026-04-01"), D("2026-04-30"))
    assert part.frame.select("date", "end", "clicks").rows() == [
        (D("2026-04-01"), D("2026-04-30"), 7.0)  # 3 + 4
    ]


def test_a_report_without_a_period_is_refused_in_one_short_message(
    write: Write, read: Read
) -> None:
    write("report.csv", "Campaign report\nCampaign,Clicks,Impr.\nA,3,30\nTotal: Account,3,30\n")
    with pytest.raises(DataError) as info:
        read()
    err = info.value
    assert (err.file, err.line) == ("data/report.csv", 2)
    assert err.message == "no date column and no period: the rows cannot be placed in time"
    assert "export it with a day (or week/month) breakdown" in (err.hint or "")
    assert "period =" in (err.hint or "") and "[[data.files]]" in (err.hint or "")
    assert "map" not in (err.hint or "")
    assert max(len(line) for line in str(err).splitlines()) <= 300


@pytest.mark.parametrize(
    ("name", "text", "by"),
    [
        # Meta Business Suite's audience: ages by gender, shares of the followers.
        ("Audience.csv", "Age,Women,Men\n18-24,12.5%,8.1%\n25-34,30.2%,14.0%\n", "age"),
        ("Аудитория.csv", "Город,Подписчики\nМосква,1200\nКазань,300\n", "city"),
        ("Auditorija.csv", "Valsts;Sekotāji\nLatvija;900\nLietuva;50\n", "country"),
    ],
)
def test_an_audience_breakdown_is_left_out_with_a_warning(
    write: Write, read: Read, name: str, text: str, by: str
) -> None:
    # Beside it, a daily file of the same project still reads: 4 + 6 = 10 clicks.
    write("daily.csv", "Date,Channel,Clicks\n2026-01-20,ads,4\n2026-01-21,ads,6\n")
    write(name, text)
    data = read()
    assert data.frame["clicks"].sum() == 10.0
    [w] = [w for w in data.warnings if w.code == "breakdown"]
    assert (w.file, w.line) == (f"data/{name}", 1)
    assert w.message == f"a breakdown by {by} with no dates: not a series in time, so not used"
    assert "skip = true" in (w.hint or "")


def test_daily_rows_of_the_channel_win_over_an_overlapping_total(write: Write, read: Read) -> None:
    # Two files of one channel: a channel column names it in both.
    write("daily.csv", "Date,Channel,Clicks\n2026-01-20,ads,5\n2026-01-21,ads,6\n")
    write(
        "report.csv",
        'Campaign report\n"January 20, 2026 - January 21, 2026"\n'
        "Channel,Campaign,Clicks,Cost\nads,A,99,3.5\n",
    )
    data = read()
    # clicks: the daily 5 + 6 stay, the total's 99 is dropped; cost only the total gives.
    assert data.frame["clicks"].to_list() == [5.0, 6.0]
    assert totals_rows(data, "clicks", "spend") == [("2026-01-20", "2026-01-21", "ads", None, 3.5)]
    assert any(
        w.code == "note" and "daily rows of the same channel give clicks" in w.message
        for w in data.warnings
    )


def test_two_different_totals_for_one_period_are_refused_naming_both(
    write: Write, read: Read
) -> None:
    body = 'Campaign report\n"January 1, 2026 - January 31, 2026"\nChannel,Campaign,Clicks\n'
    write("a.csv", body + "ads,A,10\n")
    write("b.csv", body + "ads,A,12\n")
    with pytest.raises(DataError) as info:
        read()
    assert info.value.message == "two totals of clicks for channel ads differ"
    assert info.value.file == "data/b.csv"
    assert "data/a.csv (10)" in (info.value.found or "")


def test_the_same_total_twice_is_kept_once(write: Write, read: Read) -> None:
    body = 'Campaign report\n"January 1, 2026 - January 31, 2026"\nChannel,Campaign,Clicks\n'
    write("a.csv", body + "ads,A,10\n")
    write("a (1).csv", body + "ads,A,10\n")
    assert totals_rows(read(), "clicks") == [("2026-01-01", "2026-01-31", "ads", 10.0)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Период: 01.03.2026 - 31.03.2026", ("2026-03-01", "2026-03-31")),
        ("January 20, 2026 - January 21, 2026", ("2026-01-20", "2026-01-21")),
        ("Content 2026-01-01_2026-01-31 Channel", ("2026-01-01", "2026-01-31")),
        ("с 1 марта 2026 по 31 марта 2026", ("2026-03-01", "2026-03-31")),
        ("2026. gada 1. marts - 2026. gada 31. marts", ("2026-03-01", "2026-03-31")),
        ("Mar 1 - Mar 31, 2026", ("2026-03-01", "2026-03-31")),
        ("Dec 1 - Jan 31, 2026", ("2025-12-01", "2026-01-31")),
        ("Отчёт за март 2026", ("2026-03-01", "2026-03-31")),
        ("February 2024", ("2024-02-01", "2024-02-29")),
        ("Campaign report", None),
        ("31.03.2026 - 01.03.2026", None),  # backwards: not a period
    ],
)
def test_period_phrases(text: str, expected: tuple[str, str] | None) -> None:
    found = period_in([text])
    assert found == (None if expected is None else (D(expected[0]), D(expected[1])))


def test_a_totals_frame_has_its_schema_when_there_are_none(write: Write, read: Read) -> None:
    write("fb.csv", "Date,Clicks\n2026-01-01,1\n")
    data = read()
    assert data.totals.schema["start"] == pl.Date and data.totals.height == 0


def test_an_ad_set_schedule_column_does_not_turn_the_refusal_into_a_mapping_hint(
    write: Write, read: Read
) -> None:
    # "Starts" holds dates, but it is an ad set's schedule (a known, ignored column).
    write("ads.csv", "Ad set name,Starts,Impressions\nA,2026-01-05,100\n")
    with pytest.raises(DataError) as info:
        read()
    assert info.value.message.startswith("no date column and no period")


def test_totals_of_overlapping_periods_are_refused_naming_both_files(
    write: Write, read: Read
) -> None:
    head = 'Campaign report\n"{}"\nChannel,Campaign,Clicks\n'
    write("q1.csv", head.format("January 1, 2026 - March 31, 2026") + "ads,A,30\n")
    write("march.csv", head.format("March 1, 2026 - March 31, 2026") + "ads,A,12\n")
    with pytest.raises(DataError) as info:
        read()
    err = info.value
    # Adding both would count March twice in the quarter.
    assert err.message == "two totals of clicks for channel ads cover overlapping periods"
    assert err.found == (
        "2026-01-01..2026-03-31 in data/q1.csv (30), 2026-03-01..2026-03-31 in data/march.csv (12)"
    )
    assert max(len(line) for line in str(err).splitlines()) <= 300
