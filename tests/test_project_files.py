"""sitegen.toml's [[data.files]] entries and [data] delimiter / encoding (config.datafiles)."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from sitegen.config.project import ProjectConfig, load_project, parse_config
from sitegen.errors import ConfigError, MultipleErrors, SitegenError
from sitegen.readers import FileRule


def config(tmp_path: Path, text: str) -> ProjectConfig:
    doc = tomllib.loads('[project]\nname = "A"\n' + text)
    return parse_config(doc, tmp_path)[0]


def errors(tmp_path: Path, text: str) -> list[SitegenError]:
    with pytest.raises(SitegenError) as info:
        config(tmp_path, text)
    exc = info.value
    return list(exc.errors) if isinstance(exc, MultipleErrors) else [exc]


def test_every_key_of_an_entry_is_read(tmp_path: Path) -> None:
    cfg = config(
        tmp_path,
        """
[data]
delimiter = "tab"
encoding = "windows-1251"

[[data.files]]
match = "Reach*.csv"
channel = "Instagram  Main"
platform = "instagram"
date_format = "%d.%m.%Y"
delimiter = ";"
encoding = "utf-16"
period = { start = 2026-03-01, end = 2026-03-31 }
year = 2026
columns = { "Охват" = "reach" }

[[data.files]]
match = "data/old.xlsx"
skip = true
""",
    )
    assert (cfg.delimiter, cfg.encoding) == ("\t", "windows-1251")
    assert cfg.files == (
        FileRule(
            match="Reach*.csv",
            index=0,
            channel="instagram main",  # as a channel column's value is read
            platform="instagram",
            date_format="%d.%m.%Y",
            delimiter=";",
            encoding="utf-16",
            period=(dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
            year=2026,
            columns={"Охват": "reach"},
        ),
        FileRule(match="old.xlsx", index=1, skip=True),  # "data/" is where globs start
    )


def test_an_entry_needs_match_and_knows_its_keys(tmp_path: Path) -> None:
    found = errors(tmp_path, '[[data.files]]\nchanel = "x"\n')
    assert [(e.key, e.message) for e in found] == [
        ("data.files[0].chanel", "unknown key 'chanel'"),
        ("data.files[0].match", "'match' is required"),
    ]
    assert found[0].hint == "did you mean 'channel'?"


@pytest.mark.parametrize(
    ("entry", "key", "message"),
    [
        ('platform = "facebok"', "platform", "unknown platform"),
        ('delimiter = ";;"', "delimiter", "not a cell delimiter"),
        ('encoding = "klingon"', "encoding", "unknown text encoding"),
        ('encoding = "rot13"', "encoding", "not a text encoding"),
        (
            'date_format = "%d"',
            "date_format",
            "a date pattern without a year needs a day and a month",
        ),
        ("year = 26.5", "year", "not a year"),
        ('columns = { "Hits" = "clickz" }', "columns.'Hits'", "not a known metric"),
        ("skip = 1", "skip", "wrong type"),
        (
            "period = { start = 2026-03-31, end = 2026-03-01 }",
            "period.end",
            "the end is before the start",
        ),
        ('match = "../secret.csv"', "match", "the pattern names a folder"),
    ],
)
def test_bad_values_are_errors_naming_the_key(
    tmp_path: Path, entry: str, key: str, message: str
) -> None:
    first = "" if entry.startswith("match") else 'match = "a.csv"\n'
    text = f"[[data.files]]\n{first}{entry}\n"
    found = errors(tmp_path, text)
    assert [(e.key, e.message) for e in found] == [(f"data.files[0].{key}", message)]
    assert all(len(line) < 300 for e in found for line in str(e).splitlines())


def test_a_bad_platform_proposes_the_closest(tmp_path: Path) -> None:
    (err,) = errors(tmp_path, '[[data.files]]\nmatch = "a.csv"\nplatform = "facebok"\n')
    assert err.hint == "did you mean 'facebook'?"


def test_project_wide_delimiter_and_encoding_are_checked(tmp_path: Path) -> None:
    found = errors(tmp_path, '[data]\ndelimiter = "ab"\nencoding = "nope"\n')
    assert [(e.key, e.message) for e in found] == [
        ("data.delimiter", "not a cell delimiter"),
        ("data.encoding", "unknown text encoding"),
    ]


def test_a_project_reads_its_files_with_the_entries(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "sitegen.toml").write_text(
        '[project]\nname = "A"\n\n[[data.files]]\nmatch = "tweet_activity_*"\nchannel = "x"\n'
        'platform = "x"\n',
        encoding="utf-8",
    )
    header = "Date,impressions\n"
    (tmp_path / "data" / "tweet_activity_metrics_a_20170101_20170201_en.csv").write_text(
        header + "2017-01-31,100\n2017-02-01,80\n", encoding="utf-8"
    )
    (tmp_path / "data" / "tweet_activity_metrics_a_20170201_20170301_en.csv").write_text(
        header + "2017-02-01,80\n2017-02-02,90\n", encoding="utf-8"
    )
    data = load_project(tmp_path).read_data()
    # 100 + 80 + 90 = 270: the shared 2017-02-01 counted once.
    assert data.frame["impressions"].sum() == 270.0
    assert data.frame["channel"].unique().to_list() == ["x"]
    assert [(s.platform, s.first, s.last) for s in data.file_summaries] == [
        ("x", dt.date(2017, 1, 31), dt.date(2017, 2, 1)),
        ("x", dt.date(2017, 2, 1), dt.date(2017, 2, 2)),
    ]


def test_an_entry_matching_no_file_stops_the_read(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "sitegen.toml").write_text(
        '[project]\nname = "A"\n\n[[data.files]]\nmatch = "reach.csv"\nchannel = "x"\n',
        encoding="utf-8",
    )
    (tmp_path / "data" / "Reach-2026.csv").write_text("Date,Reach\n2026-01-01,5\n", "utf-8")
    with pytest.raises(ConfigError) as info:
        load_project(tmp_path).read_data()
    assert info.value.key == "data.files[0].match"
    assert info.value.hint == "did you mean 'Reach-2026.csv'?"
