"""A corpus of exports shaped like the platforms' own files, each read to exact rows."""

from __future__ import annotations

import datetime as dt

import polars as pl
import xlsxwriter

from sitegen.errors import SitegenWarning


def _codes(warnings: list[SitegenWarning]) -> list[str]:
    return [w.code for w in warnings]


def test_plain_csv_with_canonical_headers(write, read, rows):
    write(
        "social.csv",
        "date,channel,impressions,reach,likes,comments,shares,saves,followers,clicks,spend,leads\n"
        "2025-01-01,Instagram,1000,800,50,5,3,2,3000,20,10.50,1\n"
        "2025-01-02,Instagram,1200,900,60,,4,1,3010,25,12.25,0\n"
        "2025-01-01,Facebook,500,400,10,1,0,0,1500,5,5,0\n",
    )
    data = read()
    assert rows(data, "impressions", "comments", "followers", "spend") == [
        ("2025-01-01", "facebook", None, 500.0, 1.0, 1500.0, 5.0),
        ("2025-01-01", "instagram", None, 1000.0, 5.0, 3000.0, 10.5),
        ("2025-01-02", "instagram", None, 1200.0, None, 3010.0, 12.25),
    ]
    assert data.frame.columns == [
        "date",
        "channel",
        "competitor",
        "impressions",
        "reach",
        "followers",
        "likes",
        "comments",
        "shares",
        "saves",
        "clicks",
        "leads",
        "spend",
    ]
    assert data.frame.schema["date"] == pl.Date
    assert all(data.frame.schema[m] == pl.Float64 for m in data.frame.columns[3:])
    assert data.grains == {"facebook": "day", "instagram": "day"}
    assert data.warnings == []
    assert data.metrics_by_channel["instagram"] == [
        "impressions",
        "reach",
        "followers",
        "likes",
        "comments",
        "shares",
        "saves",
        "clicks",
        "leads",
        "spend",
    ]


def test_meta_business_suite_utf16_with_title_line(write, read, rows):
    # Meta Business Suite: UTF-16 LE with BOM, a sep= hint, the metric named in a title line,
    # then "Date","Primary".
    text = (
        'sep=,\r\n"Facebook Page reach"\r\n"Date","Primary"\r\n'
        '"2025-01-01T00:00:00","1234"\r\n"2025-01-02T00:00:00","0"\r\n'
        '"2025-01-03T00:00:00",""\r\n'
    )
    write("facebook.csv", b"\xff\xfe" + text.encode("utf-16-le"))
    data = read()
    assert rows(data, "reach") == [
        ("2025-01-01", "facebook", None, 1234.0),
        ("2025-01-02", "facebook", None, 0.0),
        ("2025-01-03", "facebook", None, None),
    ]
    assert data.warnings == []


def test_utf16_big_endian(write, read, rows):
    write("vk.csv", b"\xfe\xff" + "Дата\tОхват\n31.01.2025\t1 500\n".encode("utf-16-be"))
    assert rows(read(), "reach") == [("2025-01-31", "vk", None, 1500.0)]


def test_old_facebook_insights_description_row(write, read, rows):
    write(
        "Facebook Insights.csv",
        "Date,Lifetime Total Likes,Daily New Likes,Daily Unlikes,Daily Total Reach,"
        "Weekly Total Reach,Daily Total Impressions\n"
        ",Lifetime: The total number of people who have liked your Page. (Unique Users),"
        "Daily: The number of new people who have liked your Page (Unique Users),"
        "Daily: The number of Unlikes of your Page (Total Count),"
        "Daily: The number of people who had any content from your Page enter their screen.,"
        "Weekly: reach,Daily: impressions\n"
        "2025-01-01,1000,5,1,300,2000,450\n"
        "2025-01-02,1004,6,2,310,2100,470\n",
    )
    data = read()
    assert rows(data, "followers", "new_followers", "unfollows", "reach", "impressions") == [
        ("2025-01-01", "facebook", None, 1000.0, 5.0, 1.0, 300.0, 450.0),
        ("2025-01-02", "facebook", None, 1004.0, 6.0, 2.0, 310.0, 470.0),
    ]
    # Legacy Insights: a weekly column is a rolling window, known there and read as nothing.
    assert data.unknown_columns == {}
    assert data.warnings == []


def test_instagram_post_export_adds_posts_up_per_day(write, read, rows):
    # Meta's post export: one row per post, "Date" says "Lifetime", the day is in
    # "Publish time" (month first, settled by day 31), descriptions with newlines and commas.
    write(
        "instagram.csv",
        "Post ID,Account username,Description,Duration (sec),Publish time,Permalink,"
        "Post type,Date,Views,Reach,Likes,Shares,Follows,Comments,Saves\n"
        '17900000000000001,acme,"New menu,\nsee bio",0,01/30/2025 09:15,'
        "https://instagram.com/p/1,IG image,Lifetime,1500,1200,80,4,2,10,6\n"
        '17900000000000002,acme,"Reel: ""behind the bar""",15,01/30/2025 18:40,'
        "https://instagram.com/p/2,IG reel,Lifetime,3000,2500,200,25,9,31,40\n"
        "17900000000000003,acme,Weekend,0,01/31/2025 11:00,https://instagram.com/p/3,"
        "IG carousel,Lifetime,900,700,,1,0,4,3\n",
    )
    data = read()
    assert rows(
        data,
        "impressions",
        "reach",
        "likes",
        "shares",
        "new_followers",
        "comments",
        "saves",
        "posts",
    ) == [
        ("2025-01-30", "instagram", None, 4500.0, 3700.0, 280.0, 29.0, 11.0, 41.0, 46.0, 2.0),
        ("2025-01-31", "instagram", None, 900.0, 700.0, None, 1.0, 0.0, 4.0, 3.0, 1.0),
    ]
    # Recognised as Meta's Instagram post export: "Account username" names the account.
    assert data.unknown_columns == {}


def test_x_twitter_tweet_activity(write, read, rows):
    write(
        "x.csv",
        "Tweet id,Tweet permalink,Tweet text,time,impressions,engagements,engagement rate,"
        "retweets,replies,likes,user profile clicks,url clicks,follows,media views\n"
        "1880000000000000001,https://x.com/acme/status/1,Hello,2025-01-31 02:30 +0000,"
        "1000.0,50.0,0.05,3.0,2.0,30.0,4.0,5.0,1.0,0.0\n"
        "1880000000000000002,https://x.com/acme/status/2,World,2025-01-31 15:00 +0000,"
        "2000.0,80.0,0.04,6.0,1.0,50.0,3.0,9.0,0.0,120.0\n",
    )
    data = read()
    assert rows(
        data,
        "impressions",
        "shares",
        "comments",
        "likes",
        "profile_visits",
        "clicks",
        "new_followers",
        "video_views",
        "posts",
    ) == [
        ("2025-01-31", "x", None, 3000.0, 9.0, 3.0, 80.0, 7.0, 14.0, 1.0, 120.0, 2.0),
    ]
    assert "responses" not in data.frame.columns  # X's replies are comments
    # In New York the 02:30 UTC tweet was posted on the evening of the 30th.
    data = read(timezone="America/New_York")
    assert rows(data, "impressions", "posts") == [
        ("2025-01-30", "x", None, 1000.0, 1.0),
        ("2025-01-31", "x", None, 2000.0, 1.0),
    ]


def test_tiktok_overview(write, read, rows):
    write(
        "tiktok.csv",
        "Date,Video Views,Profile Views,Likes,Comments,Shares\n"
        '"2025-01-01","12,034","310","1,204","85","40"\n'
        '"2025-01-02","9,876","290","998","70","33"\n',
    )
    assert rows(read(), "video_views", "profile_visits", "likes") == [
        ("2025-01-01", "tiktok", None, 12034.0, 310.0, 1204.0),
        ("2025-01-02", "tiktok", None, 9876.0, 290.0, 998.0),
    ]


def test_linkedin_xlsx_with_title_row_and_us_dates(data_dir, read, rows):
    book = xlsxwriter.Workbook(str(data_dir / "linkedin.xlsx"))
    sheet = book.add_worksheet("Content metrics")
    sheet.write_row(0, 0, ["Aggregated metrics for Acme, exported 2025-02-01"])
    sheet.write_row(
        1,
        0,
        [
            "Date",
            "Impressions (organic)",
            "Impressions (total)",
            "Clicks (total)",
            "Reactions (total)",
            "Comments (total)",
            "Reposts (total)",
            "Engagement rate (total)",
        ],
    )
    sheet.write_row(2, 0, ["01/30/2025", 100, 150, 7, 9, 1, 0, 0.113])
    sheet.write_row(3, 0, ["01/31/2025", 120, 180, 8, 12, 2, 1, 0.1278])
    book.close()
    data = read()
    assert rows(data, "impressions", "clicks", "likes", "comments", "shares") == [
        ("2025-01-30", "linkedin", None, 150.0, 7.0, 9.0, 1.0, 0.0),
        ("2025-01-31", "linkedin", None, 180.0, 8.0, 12.0, 2.0, 1.0),
    ]
    # LinkedIn's organic/sponsored splits are parts of the totals: read as nothing, no warning.
    assert data.unknown_columns == {}
    assert _codes(data.warnings) == []


def test_vk_windows1251_semicolon_decimal_comma(write, read, rows):
    write(
        "vk.csv",
        "Дата;Охват;Просмотры;Вступили;Вышли;Лайки;Комментарии;Репосты;Расход, руб.\n"
        "01.02.2025;1\u00a0204;2 546;12;3;140;12;5;1 234,50\n"
        "02.02.2025;980;2.120;8;1;98;7;2;999,99\n",
        encoding="windows-1251",
    )
    data = read()
    assert rows(data, "reach", "impressions", "new_followers", "unfollows", "likes", "spend") == [
        ("2025-02-01", "vk", None, 1204.0, 2546.0, 12.0, 3.0, 140.0, 1234.5),
        ("2025-02-02", "vk", None, 980.0, 2120.0, 8.0, 1.0, 98.0, 999.99),
    ]
    assert data.warnings == []


def test_google_ads_report_with_title_lines_and_totals(write, read, rows):
    write(
        "google ads.csv",
        "Campaign performance report\n"
        '"January 1, 2025 - January 2, 2025"\n'
        "Day,Campaign,Currency code,Impr.,Clicks,CTR,Avg. CPC,Cost,Conversions,Conv. rate\n"
        '2025-01-01,Brand,USD,"1,234",56,4.54%,0.50,28.00,3.00,5.36%\n'
        "2025-01-01,Generic,USD,800,10,1.25%,1.10,11.00,0.00,0.00%\n"
        "2025-01-02,Brand,USD,900,30,3.33%,0.60,18.00,--,--\n"
        'Total: Account,--,USD,"2,934",96,3.27%,0.59,57.00,3.00,3.13%\n'
        'Total: Search,--,USD,"2,934",96,3.27%,0.59,57.00,3.00,3.13%\n',
    )
    data = read()
    assert rows(data, "impressions", "clicks", "spend", "conversions") == [
        ("2025-01-01", "google-ads", None, 2034.0, 66.0, 39.0, 3.0),
        ("2025-01-02", "google-ads", None, 900.0, 30.0, 18.0, None),
    ]
    notes = [w for w in data.warnings if w.code == "note"]
    assert [n.message.split(" (")[0] for n in notes] == [
        "dropped 2 total row(s)",
        "ignored rate/derived column(s) 'Avg. CPC', 'CTR', 'Conv. rate': KPIs are computed "
        "from their parts",
    ]
    assert notes[0].line == 7
    assert "lines 7, 8" in notes[0].message


def test_google_analytics_universal_export_sections(write, read, rows):
    write(
        "site.csv",
        "# ----------------------------------------\n"
        "# All Web Site Data\n"
        "# Audience Overview\n"
        "# 20250101-20250103\n"
        "# ----------------------------------------\n"
        "\n"
        "Day Index,Sessions\n"
        "1/1/25,120\n"
        "1/2/25,135\n"
        "1/13/25,99\n"
        ",354\n"
        "\n"
        "# ----------------------------------------\n"
        "Day Index,Users\n"
        "1/1/25,100\n",
    )
    data = read()
    assert rows(data, "sessions") == [
        ("2025-01-01", "google-analytics", None, 120.0),
        ("2025-01-02", "google-analytics", None, 135.0),
        ("2025-01-13", "google-analytics", None, 99.0),
    ]
    assert [w.line for w in data.warnings if w.code == "note"] == [11]


def test_google_analytics_4_compact_dates(write, read, rows):
    write(
        "ga4.csv",
        "# ----------------------------------------\n"
        "# Traffic acquisition\n"
        "# Account: Acme\n"
        "# ----------------------------------------\n"
        "#\n"
        "# Start date: 20250101\n"
        "# End date: 20250102\n"
        "Date,Sessions,Engaged sessions,Key events,Total revenue\n"
        "20250102,210,150,4,320.5\n"
        "20250101,200,140,3,0\n",
    )
    data = read()
    assert rows(data, "sessions", "conversions", "revenue") == [
        ("2025-01-01", "google-analytics", None, 200.0, 3.0, 0.0),
        ("2025-01-02", "google-analytics", None, 210.0, 4.0, 320.5),
    ]
    # GA4's engaged sessions are a part of sessions: known, read as nothing.
    assert data.unknown_columns == {}


def test_yandex_direct_windows1251_campaigns_and_total(write, read, rows):
    write(
        "yandex-direct.csv",
        '"Статистика по дням: 01.01.2025 - 02.01.2025"\n'
        "Дата;Кампания;Показы;Клики;CTR (%);Расход (руб.);Ср. цена клика (руб.);Конверсии\n"
        "01.01.2025;Бренд;1 234;56;4,54;1 234,56;22,05;3\n"
        "01.01.2025;Поиск;766;14;1,83;300,00;21,43;-\n"
        "02.01.2025;Бренд;1 000;40;4,00;900,10;22,50;2\n"
        "Итого;;3 000;110;3,67;2 434,66;22,13;5\n",
        encoding="windows-1251",
    )
    data = read()
    assert rows(data, "impressions", "clicks", "spend", "conversions") == [
        ("2025-01-01", "yandex-direct", None, 2000.0, 70.0, 1534.56, 3.0),
        ("2025-01-02", "yandex-direct", None, 1000.0, 40.0, 900.1, 2.0),
    ]


def test_yandex_metrica_total_first_and_bounce_rate(write, read, rows):
    # Metrica puts "Итого и средние" right under the header, and "Отказы" is a percentage.
    write(
        "metrica.csv",
        "Дата визита,Визиты,Посетители,Отказы,Глубина просмотра\n"
        'Итого и средние,300,250,"20,0 %","1,5"\n'
        '2025-01-01,100,90,"10,0 %","1,4"\n'
        '2025-01-02,200,160,"25,0 %","1,6"\n',
    )
    data = read()
    assert rows(data, "sessions", "bounces") == [
        ("2025-01-01", "yandex-metrica", None, 100.0, 10.0),
        ("2025-01-02", "yandex-metrica", None, 200.0, 50.0),
    ]
    # Metrica's "Посетители" are users, not a base metric: known there, read as nothing.
    assert data.unknown_columns == {}


def test_json_records_and_parquet(data_dir, write, read, rows):
    write(
        "email.json",
        '{"data": [{"date": "2025-01-01", "clicks": 10, "leads": 2, "note": "x"},'
        ' {"date": "2025-01-02", "clicks": "1 200", "leads": null}]}',
    )
    pl.DataFrame(
        {
            "Date": [dt.date(2025, 1, 1), dt.date(2025, 1, 2)],
            "Sessions": [100, 120],
            "Revenue": [10.5, None],
        }
    ).write_parquet(data_dir / "shop.parquet")
    data = read()
    assert rows(data, "clicks", "leads", "sessions", "revenue") == [
        ("2025-01-01", "email", None, 10.0, 2.0, None, None),
        ("2025-01-02", "email", None, 1200.0, None, None, None),
        ("2025-01-01", "shop", None, None, None, 100.0, 10.5),
        ("2025-01-02", "shop", None, None, None, 120.0, None),
    ]
    assert data.unknown_columns == {"email.json": ["note"]}
    assert [p.name for p in data.files] == ["email.json", "shop.parquet"]


def test_json_lines(write, read, rows):
    write(
        "chat.jsonl",
        '{"date": "2025-01-01", "messages": 5, "responses": 4}\n'
        '{"date": "2025-01-02", "messages": 7, "responses": 7}\n',
    )
    assert rows(read(), "messages", "responses") == [
        ("2025-01-01", "chat", None, 5.0, 4.0),
        ("2025-01-02", "chat", None, 7.0, 7.0),
    ]


def test_xlsx_typed_cells_total_and_best_sheet(data_dir, read, rows):
    book = xlsxwriter.Workbook(str(data_dir / "report.xlsx"))
    notes = book.add_worksheet("Notes")
    notes.write(0, 0, "Exported from the ads cabinet")
    sheet = book.add_worksheet("Data")
    date_fmt = book.add_format({"num_format": "dd.mm.yyyy"})
    sheet.write_row(0, 0, ["Отчёт за январь"])
    sheet.write_row(2, 0, ["Дата", "Канал", "Показы", "Клики", "Расход"])
    sheet.write_datetime(3, 0, dt.datetime(2025, 1, 5), date_fmt)
    sheet.write_row(3, 1, ["VK", 2633.0, 12, 10.25])
    sheet.write_datetime(4, 0, dt.datetime(2025, 1, 6), date_fmt)
    sheet.write_row(4, 1, ["VK", 1.234, "N/A", "1 000,5"])
    sheet.write_row(5, 0, ["Итого", "", 2634.234, 12, 1010.75])
    book.close()
    data = read()
    assert rows(data, "impressions", "clicks", "spend") == [
        ("2025-01-05", "vk", None, 2633.0, 12.0, 10.25),
        ("2025-01-06", "vk", None, 1.234, None, 1000.5),
    ]
    assert [w.line for w in data.warnings if w.code == "note"] == [6]
