"""Platform exports recognised with no settings: platform, channel, account, column meanings.

Every fixture is built here with made-up numbers in the platform's own layout (file name,
encoding, title lines, header names); the expected totals are worked out next to them.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import xlsxwriter

from sitegen.readers import _options, _read_one, read_file
from sitegen.readers.aliases import alias_table
from sitegen.readers.platforms import account_slug, build_platforms, platforms
from tests.readers.conftest import METRIC_KINDS


@pytest.fixture
def kinds() -> dict[str, str]:
    """Return the kpis.md metrics plus `interactions` (the platforms' own interaction count)."""
    return dict(METRIC_KINDS) | {"interactions": "flow"}


def _file(path: Path, kinds: dict[str, str], **options: object):  # type: ignore[no-untyped-def]
    return read_file(path, metric_kinds=kinds, **options)  # type: ignore[arg-type]


def _sums(data, *metrics):  # type: ignore[no-untyped-def]
    return tuple(data.frame[m].sum() for m in metrics)


# --- X / Twitter ------------------------------------------------------------------------------

TWEETS_HEADER = (
    "Tweet id,Tweet permalink,Tweet text,time,impressions,engagements,engagement rate,"
    "retweets,replies,likes,user profile clicks,url clicks,hashtag clicks,detail expands,"
    "permalink clicks,app opens,app installs,follows,email tweet,dial phone,media views,"
    "media engagements,promoted impressions,promoted retweets\n"
)


def _tweets(day: str, n: int, base: int) -> str:
    """Return n tweets on one day; tweet i has impressions base+i, retweets i, replies 1."""
    lines = []
    for i in range(n):
        lines.append(
            f"18{base}{i:05d},https://x.com/acme/status/{base}{i},Post {i},{day} 10:{i:02d} +0000,"
            f"{base + i},{i + 2},0.01,{i},1,{2 * i},0,{i},0,0,0,0,0,1,0,0,0,0,-,-\n"
        )
    return "".join(lines)


def test_x_tweet_activity_by_file_name_with_account(data_dir, kinds):
    path = data_dir / "tweet_activity_metrics_acme_20250101_20250201_en.csv"
    path.write_text(TWEETS_HEADER + _tweets("2025-01-10", 3, 100), "utf-8")
    data = _file(path, kinds)
    assert (data.platform, data.account) == ("x", "acme")
    assert data.frame["channel"].to_list() == ["x"]
    # impressions 100+101+102 = 303; retweets (shares) 0+1+2 = 3; replies (comments) 3;
    # likes 0+2+4 = 6; url clicks 0+1+2 = 3; follows 3; posts: 3 rows.
    assert _sums(data, "impressions", "shares", "comments", "likes", "clicks") == (
        303,
        3,
        3,
        6,
        3,
    )
    assert _sums(data, "new_followers", "posts") == (3, 3)
    assert data.unknown_columns == []  # promoted and other click columns are known on X


def test_x_daily_activity_tweets_published_are_posts(data_dir, kinds):
    path = data_dir / "daily_tweet_activity_metrics_acme_20250101_20250201_en.csv"
    path.write_text(
        "Date,Tweets published,impressions,engagements,engagement rate,retweets,replies,"
        "likes,user profile clicks,url clicks,follows,media views\n"
        "2025-01-01,2,500,20,0.04,3,1,10,2,4,1,7\n"
        "2025-01-02,0,300,5,0.017,1,0,4,1,0,0,0\n",
        "utf-8",
    )
    data = _file(path, kinds)
    assert (data.platform, data.account, data.frame["channel"].unique().to_list()) == (
        "x",
        "acme",
        ["x"],
    )
    assert data.frame["posts"].to_list() == [2, 0]
    # shares = retweets 3 + 1 = 4; profile visits 2 + 1 = 3; video views 7 + 0 = 7
    assert _sums(data, "shares", "profile_visits", "video_views") == (4, 3, 7)


def test_x_account_overview_2024_reposts_are_shares_not_x_shares(data_dir, kinds):
    path = data_dir / "account_overview_analytics (3).csv"
    path.write_text(
        "Date,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,Unfollows,Replies,"
        "Reposts,Profile visits,Create Post,Video views,Media views\n"
        '"2024-03-01",1000,40,90,5,7,6,2,3,11,9,2,50,60\n'
        '"2024-03-02",800,30,70,4,1,3,1,2,8,5,1,20,30\n',
        "utf-8",
    )
    data = _file(path, kinds)
    assert data.platform == "x"
    assert data.frame["channel"].unique().to_list() == ["x"]
    # shares = Reposts 11 + 8 = 19 (X's own Shares, 7 + 1, are not reposts); posts = Create
    # Post 2 + 1 = 3; saves = Bookmarks 5 + 4 = 9; comments = Replies 3 + 2 = 5.
    assert _sums(data, "shares", "posts", "saves", "comments") == (19, 3, 9, 5)
    assert _sums(data, "new_followers", "unfollows", "profile_visits", "video_views") == (
        9,
        3,
        14,
        70,
    )
    assert data.warnings == []


def test_x_content_2024_one_row_per_post(data_dir, kinds):
    path = data_dir / "account_analytics_content_2024-03-01_2024-03-31.csv"
    path.write_text(
        "Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Bookmarks,Shares,"
        "New follows,Replies,Reposts,Profile visits,Detail Expands,URL Clicks\n"
        "1,2024-03-01,Hi,https://x.com/a/status/1,100,5,9,1,1,0,1,2,3,4,1\n"
        "2,2024-03-01,Yo,https://x.com/a/status/2,50,1,2,0,0,1,0,1,0,1,0\n",
        "utf-8",
    )
    data = _file(path, kinds)
    assert data.platform == "x"
    # impressions 100 + 50 = 150; shares = reposts 2 + 1 = 3; posts = 2 rows; clicks 1 + 0
    assert data.frame.select("impressions", "shares", "posts", "clicks").row(0) == (
        150,
        3,
        2,
        1,
    )


def test_four_monthly_x_files_are_one_channel(write, read, rows):
    for month, (start, end) in enumerate(
        [("20250101", "20250201"), ("20250201", "20250301"), ("20250301", "20250401")], 1
    ):
        write(
            f"tweet_activity_metrics_acme_{start}_{end}_en.csv",
            TWEETS_HEADER + _tweets(f"2025-{month:02d}-15", 2, 100 * month),
        )
    write(
        "tweet_activity_metrics_acme_20250401_20250501_en.csv",
        TWEETS_HEADER + _tweets("2025-04-15", 1, 400),
    )
    data = read()
    # January 100+101, February 200+201, March 300+301, April 400: impressions per month.
    assert rows(data, "impressions", "posts") == [
        ("2025-01-15", "x", None, 201.0, 2.0),
        ("2025-02-15", "x", None, 401.0, 2.0),
        ("2025-03-15", "x", None, 601.0, 2.0),
        ("2025-04-15", "x", None, 400.0, 1.0),
    ]
    assert list(data.grains) == ["x"]


def test_two_x_accounts_are_two_channels(write, read, rows):
    write(
        "tweet_activity_metrics_acme_20250101_20250201_en.csv",
        TWEETS_HEADER + _tweets("2025-01-15", 2, 100),
    )
    write(
        "tweet_activity_metrics_Acme_Shop_20250101_20250201_en.csv",
        TWEETS_HEADER + _tweets("2025-01-15", 1, 700),
    )
    data = read()
    assert rows(data, "impressions") == [
        ("2025-01-15", "x-acme", None, 201.0),  # 100 + 101
        ("2025-01-15", "x-acme-shop", None, 700.0),
    ]
    assert sorted(data.grains) == ["x-acme", "x-acme-shop"]


# --- Meta Business Suite ------------------------------------------------------------------------


def _meta_daily(title: str, values: list[str]) -> bytes:
    """Return a Business Suite daily file: UTF-16 LE, BOM, sep=, title line, Date/Primary."""
    body = "".join(f'"2025-03-{d:02d}T00:00:00","{v}"\r\n' for d, v in enumerate(values, start=1))
    text = f'sep=,\r\n"{title}"\r\n"Date","Primary"\r\n{body}'
    return b"\xff\xfe" + text.encode("utf-16-le")


def test_seven_meta_daily_files_of_one_page_are_one_channel(write, read, rows):
    files = {
        "Reach.csv": ("Facebook Page reach", ["120", "80"]),
        "Views.csv": ("Facebook views", ["300", "200"]),
        "Visits (1).csv": ("Facebook visits", ["12", "8"]),
        "Follows.csv": ("Facebook follows", ["3", "1"]),
        "Content interactions.csv": ("Facebook Content interactions", ["25", "15"]),
        "Link clicks.csv": ("Facebook link clicks", ["6", "4"]),
        "Followers.csv": ("Facebook Page likes", ["1000", "1001"]),
    }
    for name, (title, values) in files.items():
        write(name, _meta_daily(title, values))
    data = read()
    assert data.metrics_by_channel == {
        "facebook": [
            "impressions",
            "reach",
            "followers",
            "new_followers",
            "profile_visits",
            "clicks",
            "interactions",
        ]
    }
    # Facebook visits are profile visits (Page visits), never website sessions; views are
    # impressions; follows are new followers; page likes are the follower level.
    assert "sessions" not in data.frame.columns
    assert rows(
        data,
        "reach",
        "impressions",
        "profile_visits",
        "new_followers",
        "interactions",
        "clicks",
        "followers",
    ) == [
        ("2025-03-01", "facebook", None, 120.0, 300.0, 12.0, 3.0, 25.0, 6.0, 1000.0),
        ("2025-03-02", "facebook", None, 80.0, 200.0, 8.0, 1.0, 15.0, 4.0, 1001.0),
    ]
    assert data.warnings == []


def test_meta_daily_files_in_russian_and_latvian(write, read, rows):
    write("Охват.csv", _meta_daily("Охват на Facebook", ["50", "60"]))
    write("Sekotāji.csv", _meta_daily("Facebook sekotāji", ["900", "905"]))
    assert rows(read(), "reach", "followers") == [
        ("2025-03-01", "facebook", None, 50.0, 900.0),
        ("2025-03-02", "facebook", None, 60.0, 905.0),
    ]


def test_instagram_daily_file_is_the_instagram_channel(write, read, rows):
    write("Visits.csv", _meta_daily("Instagram profile visits", ["7", "9"]))
    write("Reach.csv", _meta_daily("Instagram reach", ["70", "90"]))
    assert rows(read(), "reach", "profile_visits") == [
        ("2025-03-01", "instagram", None, 70.0, 7.0),
        ("2025-03-02", "instagram", None, 90.0, 9.0),
    ]


def test_meta_facebook_post_export_names_the_page(data_dir, kinds):
    path = data_dir / "Mar-01-2025_Mar-31-2025_1234567890.csv"
    path.write_text(
        "Post ID,Page ID,Page name,Title,Description,Duration (sec),Publish time,"
        "Caption type,Permalink,Is crosspost,Is share,Post type,Languages,Custom labels,"
        "Funded content status,Data comment,Date,Views,Reach,"
        '"Reactions, Comments and Shares",Reactions,Comments,Shares,Total clicks,'
        "Link clicks,Other Clicks,Seconds viewed\n"
        "111_1,111,Acme Cafe,,Spring menu,0,03/02/2025 09:00,,https://fb.com/1,No,No,"
        "Photos,,,,,Lifetime,900,700,33,25,5,3,40,12,28,0\n"
        "111_2,111,Acme Cafe,,Open late,0,03/02/2025 18:30,,https://fb.com/2,No,No,"
        "Links,,,,,Lifetime,400,350,10,8,1,1,9,6,3,0\n",
        "utf-8",
    )
    data = _file(path, kinds)
    assert (data.platform, data.account) == ("facebook", "Acme Cafe")
    # impressions = Views 900 + 400; likes = Reactions 25 + 8; clicks = Link clicks 12 + 6
    # (Total clicks, 40 + 9, would double them).
    assert data.frame.select(
        "date", "channel", "impressions", "reach", "likes", "clicks", "posts"
    ).rows() == [(data.frame["date"][0], "facebook", 1300, 1050, 33, 18, 2)]
    assert str(data.frame["date"][0]) == "2025-03-02"
    assert data.unknown_columns == []


def test_meta_instagram_post_export_names_the_account(data_dir, kinds):
    path = data_dir / "instagram posts.csv"
    path.write_text(
        "Post ID,Account ID,Account username,Account name,Description,Duration (sec),"
        "Publish time,Permalink,Post type,Data comment,Date,Views,Reach,Likes,Shares,"
        "Follows,Comments,Saves\n"
        "1,17,acme.cafe,Acme,Hi,0,03/05/2025 10:00,https://ig/p/1,IG image,,Lifetime,"
        "500,400,30,2,1,4,6\n",
        "utf-8",
    )
    data = _file(path, kinds)
    assert (data.platform, data.account) == ("instagram", "acme.cafe")
    assert data.frame.select("channel", "impressions", "new_followers", "saves").row(0) == (
        "instagram",
        500,
        1,
        6,
    )


# --- legacy Facebook Insights -------------------------------------------------------------------


def test_legacy_facebook_page_level_wide_with_descriptions(data_dir, kinds):
    names = ["Date", "Lifetime Total Likes", "Daily New Likes", "Daily Unlikes"]
    names += ["Daily Total Reach", "Daily Total Impressions", "Daily Logged-in Page Views"]
    extra = [
        f"{w} {m} - {k}"
        for w in ("Weekly", "28 Days", "Daily")
        for m in ("Page Engaged Users", "Total Reach by age", "Organic impressions")
        for k in range(30)
    ]
    header = names + extra
    descriptions = [""] + [
        f"Lifetime: what column {i} counts, in words." for i in range(1, len(header))
    ]
    days = [
        ["2017-01-01", "631", "4", "1", "200", "350", "11"],
        ["2017-01-02", "634", "5", "2", "240", "410", "13"],
    ]
    body = "".join(",".join(d + ["9"] * len(extra)) + "\n" for d in days)
    path = data_dir / "Facebook Insights Data Export - Acme Cafe - 2017-01-31.csv"
    path.write_text(",".join(header) + "\n" + ",".join(descriptions) + "\n" + body, "utf-8")
    data = _file(path, kinds)
    assert (data.platform, data.account) == ("facebook", "Acme Cafe")
    assert data.frame.select(
        "followers", "new_followers", "unfollows", "reach", "impressions", "profile_visits"
    ).rows() == [(631, 4, 1, 200, 350, 11), (634, 5, 2, 240, 410, 13)]
    assert data.unknown_columns == []  # 270 weekly, 28-day and daily splits, known there


def _post(post_id: str, link: str, message: str, kind: str, posted: str) -> list[str]:
    """Return a legacy post row's first eight cells (id, link, text, type, ..., posted)."""
    return [post_id, link, message, kind, "", "", posted, ""]


def test_legacy_facebook_post_level_lifetime_columns(data_dir, kinds):
    header = [
        "Post ID",
        "Permalink",
        "Post Message",
        "Type",
        "Countries",
        "Languages",
        "Posted",
        "Audience Targeting",
        "Lifetime Post Total Reach",
        "Lifetime Post organic reach",
        "Lifetime Post Total Impressions",
        "Lifetime Engaged Users",
        "Lifetime Post Stories by action type - like",
        "Lifetime Post Stories by action type - comment",
        "Lifetime Post Stories by action type - share",
        "Lifetime Post Consumptions by type - link clicks",
        "Lifetime Post Consumptions by type - photo view",
    ]
    description = ["", "", "", "", "", "", "", ""] + ["Lifetime: a count."] * 9
    posts = [
        [
            *_post("1_1", "https://fb.com/1", "Hello", "Photo", "2016-05-02 10:00:00"),
            "300",
            "250",
            "450",
            "40",
            "20",
            "4",
            "3",
            "9",
            "30",
        ],
        [
            *_post("1_2", "https://fb.com/2", "Link", "Link", "2016-05-02 16:00:00"),
            "100",
            "100",
            "150",
            "10",
            "5",
            "1",
            "0",
            "6",
            "2",
        ],
        [
            *_post("1_3", "https://fb.com/3", "Later", "Status", "2016-05-03 09:00:00"),
            "50",
            "50",
            "60",
            "2",
            "1",
            "0",
            "0",
            "0",
            "0",
        ],
    ]
    path = data_dir / "Facebook Insights Data Export (Post Level) - Acme Cafe - 2016-05-31.csv"
    text = "\n".join(",".join(r) for r in [header, description, *posts]) + "\n"
    path.write_text(text, "utf-8")
    data = _file(path, kinds)
    assert (data.platform, data.account) == ("facebook", "Acme Cafe")
    # May 2: reach 300 + 100, impressions 450 + 150, likes 20 + 5, comments 4 + 1,
    # shares 3 + 0, clicks (link clicks) 9 + 6, posts 2. May 3: the third post.
    assert data.frame.select(
        "reach", "impressions", "likes", "comments", "shares", "clicks", "posts"
    ).rows() == [(400, 600, 25, 5, 3, 15, 2), (50, 60, 1, 0, 0, 0, 1)]
    assert data.unknown_columns == []


# --- TikTok, YouTube, LinkedIn, VK, Telegram ---------------------------------------------------


def test_tiktok_followers_and_content(write, read, rows):
    write(
        "Followers.csv",
        "Date,Followers,Difference in followers from previous day\n"
        "2025-04-11,5000,12\n2025-04-12,5010,10\n",
    )
    write(
        "Content.csv",
        "Video title,Video link,Post time,Total likes,Total comments,Total shares,Total views\n"
        "Dance,https://tiktok.com/v/1,2025-04-11 10:00,100,5,3,2000\n"
        "Recipe,https://tiktok.com/v/2,2025-04-11 20:00,50,2,1,900\n",
    )
    data = read()
    assert rows(data, "followers", "likes", "comments", "shares", "video_views", "posts") == [
        # likes 100 + 50, comments 5 + 2, shares 3 + 1, views 2000 + 900, 2 videos
        ("2025-04-11", "tiktok", None, 5000.0, 150.0, 7.0, 4.0, 2900.0, 2.0),
        ("2025-04-12", "tiktok", None, 5010.0, None, None, None, None, None),
    ]
    assert data.unknown_columns == {}


def test_youtube_chart_data_views_are_video_views(write, read, rows):
    write(
        "Chart data.csv",
        "Date,Views,Impressions,Watch time (hours),Subscribers\n"
        "2025-05-01,120,3000,10.5,2\n2025-05-02,80,2500,6.25,-1\n",
    )
    write("Totals.csv", "Date,Subscribers gained,Subscribers lost\n2025-05-01,5,3\n")
    data = read()
    # On YouTube the Views column is video views and Impressions are thumbnail impressions.
    assert rows(data, "video_views", "impressions", "new_followers", "unfollows") == [
        ("2025-05-01", "youtube", None, 120.0, 3000.0, 5.0, 3.0),
        ("2025-05-02", "youtube", None, 80.0, 2500.0, None, None),
    ]
    assert "followers" not in data.frame.columns  # net change is not the subscriber level


def test_youtube_table_data_is_recognised_in_three_languages():
    table = platforms()
    en = ["Content", "Video title", "Video publish time", "Duration", "Views", "Impressions"]
    ru = ["Контент", "Название видео", "Время публикации видео", "Просмотры", "Показы"]
    lv = ["Saturs", "Video nosaukums", "Skatījumi", "Parādījumi"]
    for headers in (en, ru, lv):
        found = table.recognise("Table data", [], headers)
        assert found is not None and found.platform == "youtube", headers
        meanings = found.export.meanings
        assert meanings.target(alias_table_key(headers[-2])) == "video_views"
        assert meanings.target(alias_table_key(headers[-1])) == "impressions"


def alias_table_key(header: str) -> str:
    from sitegen.readers.aliases import normalise

    return normalise(header)


def test_linkedin_followers_and_visitors_workbooks_name_the_company(data_dir, read, rows):
    book = xlsxwriter.Workbook(str(data_dir / "acme-cafe_followers_1714000000000.xlsx"))
    sheet = book.add_worksheet("New followers")
    sheet.write_row(
        0,
        0,
        [
            "Date",
            "Sponsored followers",
            "Organic followers",
            "Auto-invited followers",
            "Total followers",
        ],
    )
    sheet.write_row(1, 0, ["04/01/2025", 1, 4, 0, 5])
    sheet.write_row(2, 0, ["04/02/2025", 0, 2, 1, 3])
    book.close()
    book = xlsxwriter.Workbook(str(data_dir / "acme-cafe_visitors_1714000000000.xlsx"))
    sheet = book.add_worksheet("Visitor metrics")
    sheet.write_row(
        0,
        0,
        [
            "Date",
            "Overview page views (desktop)",
            "Total page views (total)",
            "Total unique visitors (total)",
        ],
    )
    sheet.write_row(1, 0, ["04/01/2025", 20, 31, 12])
    book.close()
    data = read()
    # LinkedIn's "Total followers" is the day's gain (5 and 3), not the follower level.
    assert rows(data, "new_followers", "profile_visits") == [
        ("2025-04-01", "linkedin", None, 5.0, 31.0),
        ("2025-04-02", "linkedin", None, 3.0, None),
    ]
    assert data.unknown_columns == {}
    found = read_file(
        data_dir / "acme-cafe_followers_1714000000000.xlsx", metric_kinds=dict(METRIC_KINDS)
    )
    assert (found.platform, found.account) == ("linkedin", "acme-cafe")


def test_vk_community_statistics(write, read, rows):
    write(
        "stat.csv",
        "Дата;Просмотры;Уникальные посетители;Охват;Охват подписчиков;Подписались;Отписались\n"
        "01.02.2025;340;120;900;400;6;2\n02.02.2025;280;100;700;350;3;4\n",
        encoding="windows-1251",
    )
    data = read()
    # In community statistics "Просмотры" are views of the community page: profile visits.
    assert rows(data, "profile_visits", "reach", "new_followers", "unfollows") == [
        ("2025-02-01", "vk", None, 340.0, 900.0, 6.0, 2.0),
        ("2025-02-02", "vk", None, 280.0, 700.0, 3.0, 4.0),
    ]
    assert "impressions" not in data.frame.columns
    assert data.unknown_columns == {}


def test_telegram_channel_statistics(write, read, rows):
    write(
        "tgstat_acmecafe_2025-02.csv",
        "Дата,Подписчики,Прирост,Просмотры,ERR\n2025-02-01,1500,12,4000,21.5\n"
        "2025-02-02,1508,8,3600,20.1\n",
    )
    assert rows(read(), "followers", "impressions") == [
        ("2025-02-01", "telegram", None, 1500.0, 4000.0),
        ("2025-02-02", "telegram", None, 1508.0, 3600.0),
    ]


# --- Yandex, Google, Meta Ads ---------------------------------------------------------------------


def test_yandex_direct_with_a_period_preamble(write, read, rows):
    write(
        "report.csv",
        "Период: 01.03.2026 - 02.03.2026\n"
        "Дата;Кампания;Показы;Клики;CTR (%);Расход (руб.);Конверсии\n"
        "01.03.2026;Бренд;1 000;50;5,00;2 500,00;4\n"
        "02.03.2026;Бренд;600;20;3,33;1 000,50;1\n",
        encoding="windows-1251",
    )
    assert rows(read(), "impressions", "clicks", "spend", "conversions") == [
        ("2026-03-01", "yandex-direct", None, 1000.0, 50.0, 2500.0, 4.0),
        ("2026-03-02", "yandex-direct", None, 600.0, 20.0, 1000.5, 1.0),
    ]


def test_google_ads_interactions(write, read, rows):
    write(
        "Campaign report.csv",
        "Campaign report\n"
        '"January 20, 2026 - January 21, 2026"\n'
        "Day,Campaign,Impr.,Interactions,Interaction rate,Clicks,Cost\n"
        '2026-01-20,Video,"2,000",150,7.50%,20,30.00\n'
        "2026-01-20,Search,500,40,8.00%,40,22.50\n"
        "2026-01-21,Search,400,--,--,30,15.00\n"
        "Total: Account,--,2900,190,6.55%,90,67.50\n",
    )
    data = read()
    # impressions 2000 + 500, interactions 150 + 40, clicks 20 + 40, spend 30 + 22.50.
    assert rows(data, "impressions", "interactions", "clicks", "spend") == [
        ("2026-01-20", "google-ads", None, 2500.0, 190.0, 60.0, 52.5),
        ("2026-01-21", "google-ads", None, 400.0, None, 30.0, 15.0),
    ]


def test_ga4_views_are_page_views_not_impressions(data_dir, kinds):
    path = data_dir / "Reports_snapshot.csv"
    path.write_text(
        "# ----------------------------------------\n# Reports snapshot\n# Account: Acme Cafe\n"
        "# Property: acme.example\n# ----------------------------------------\n#\n"
        "# Start date: 20260101\n# End date: 20260102\n"
        "Date,Active users,Sessions,Views,Key events\n"
        "20260101,90,120,400,3\n20260102,80,100,350,2\n",
        "utf-8",
    )
    data = _file(path, kinds)
    assert (data.platform, data.account) == ("google-analytics", "Acme Cafe")
    assert "impressions" not in data.frame.columns
    assert data.frame.select("sessions", "conversions").rows() == [(120, 3), (100, 2)]
    assert data.unknown_columns == []


def test_search_console_dates(write, read, rows):
    write(
        "Dates.csv",
        "Date,Clicks,Impressions,CTR,Position\n2026-01-02,30,1000,3%,8.1\n2026-01-01,20,900,2.2%,9\n",
    )
    data = read()
    assert rows(data, "clicks", "impressions") == [
        ("2026-01-01", "search-console", None, 20.0, 900.0),
        ("2026-01-02", "search-console", None, 30.0, 1000.0),
    ]
    assert data.unknown_columns == {}


def test_meta_ads_manager_link_clicks_and_account(data_dir, kinds):
    path = data_dir / "Acme-Ads-Campaigns-Mar-1-2026-Mar-2-2026.csv"
    path.write_text(
        "Reporting starts,Reporting ends,Account name,Campaign name,Amount spent (EUR),"
        "Impressions,Reach,Link clicks,Clicks (all),Results,Result indicator\n"
        "2026-03-01,2026-03-01,Acme Ads,Spring,10.50,1000,800,12,30,2,actions:lead\n"
        "2026-03-01,2026-03-01,Acme Ads,Brand,4.50,500,450,3,9,0,actions:lead\n",
        "utf-8",
    )
    data = _file(path, kinds)
    assert (data.platform, data.account) == ("meta-ads", "Acme Ads")
    # spend 10.50 + 4.50, clicks = link clicks 12 + 3 (all clicks, 30 + 9, would double them)
    assert data.frame.select("channel", "spend", "impressions", "clicks").row(0) == (
        "meta-ads",
        15.0,
        1500,
        15,
    )
    assert data.warnings == []


# --- rules ------------------------------------------------------------------------------------------


def test_project_columns_beat_the_platform_meaning(write, read, rows):
    write(
        "account_overview_analytics.csv",
        "Date,Impressions,Shares,Reposts,Create Post\n2024-03-01,100,7,11,1\n",
    )
    data = read(columns={"Shares": "shares", "Reposts": "ignore"})
    assert rows(data, "shares", "posts") == [("2024-03-01", "x", None, 7.0, 1.0)]


def test_a_forced_platform_applies_its_meanings(data_dir, kinds):
    path = data_dir / "channel.csv"
    path.write_text("Date,Views,Impressions\n2025-05-01,120,3000\n", "utf-8")
    opts = dataclasses.replace(_options(kinds, None, None, None), platform="youtube")
    data = _read_one(path, "data/channel.csv", opts)
    assert (data.platform, data.frame["channel"][0]) == ("youtube", "youtube")
    assert data.frame.select("video_views", "impressions").row(0) == (120, 3000)
    # Unforced, the same file keeps the file-name channel and the generic aliases.
    plain = _read_one(path, "data/channel.csv", _options(kinds, None, None, None))
    assert (plain.platform, plain.frame["channel"][0]) == (None, "channel")


def test_an_unrecognised_file_keeps_its_name_as_channel(write, read, rows):
    write("crm.csv", "date,leads\n2025-01-01,3\n")
    assert rows(read(), "leads") == [("2025-01-01", "crm", None, 3.0)]


def test_every_platform_has_an_export_and_every_target_is_known():
    table = platforms()
    assert set(table.names) == {
        "facebook",
        "instagram",
        "x",
        "tiktok",
        "youtube",
        "linkedin",
        "vk",
        "telegram",
        "yandex-direct",
        "yandex-metrica",
        "google-ads",
        "google-analytics",
        "search-console",
        "meta-ads",
    }
    assert {e.platform for e in table.exports} == set(table.names)
    metrics = set(alias_table().metric_aliases())
    fields = {"ignore", "date", "week", "month", "value", "id:post", "id:group", "id:record"}
    for export in table.exports:
        for target in export.meanings.columns.values():
            assert target in metrics | fields, (export.kind, target)


def test_a_signature_that_would_match_every_file_is_refused():
    with pytest.raises(ValueError, match="every file"):
        build_platforms({"platforms": {"x": "X"}, "export": [{"platform": "x"}]})


@pytest.mark.parametrize(
    ("account", "slug"),
    [
        ("acme", "acme"),
        ("Acme_Shop", "acme-shop"),
        ("@Acme Cafe", "acme-cafe"),
        ("Кафе", "kafe"),
        ("東京", "東京"),
    ],
)
def test_account_slug(account, slug):
    assert account_slug(account) == slug


def test_a_big_file_read_in_batches_is_recognised_too(monkeypatch, data_dir, kinds):
    from sitegen.readers.rows import batches

    path = data_dir / "tweet_activity_metrics_acme_20250101_20250201_en.csv"
    path.write_text(TWEETS_HEADER + _tweets("2025-01-10", 3, 100), "utf-8")
    monkeypatch.setattr(batches, "BATCH_THRESHOLD", 0)
    monkeypatch.setattr(batches, "BATCH_BYTES", 200)
    batched: list[bool] = []
    real = batches.read_batched

    def spy(*args):  # type: ignore[no-untyped-def]
        result = real(*args)
        batched.append(result is not None)
        return result

    monkeypatch.setattr(batches, "read_batched", spy)
    data = _file(path, kinds)
    assert batched == [True]  # read in batches, not whole
    assert (data.platform, data.account, data.frame["channel"].to_list()) == ("x", "acme", ["x"])
    # impressions 100 + 101 + 102; shares (retweets) 0 + 1 + 2, as in the whole read above
    assert _sums(data, "impressions", "shares", "posts") == (303, 3, 3)


def test_a_file_named_after_a_platform_is_never_read_as_another(write, read, rows):
    # TikTok's overview header, but the user named the file after Instagram: the name wins.
    write("instagram.csv", "Date,Video Views,Profile Views\n2025-01-01,10,2\n")
    write("tiktok.csv", "Date,Video Views,Profile Views\n2025-01-01,30,4\n")
    assert rows(read(), "video_views", "profile_visits") == [
        ("2025-01-01", "instagram", None, 10.0, 2.0),
        ("2025-01-01", "tiktok", None, 30.0, 4.0),
    ]
    assert platforms().named("Twitter") == "x"
    assert platforms().named("Google Ads") == "google-ads"
