"""Dates written without a year (TikTok's "April 12"): [data] year, the period's year, or a
short error naming the file (issue 16, item 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.config.project import load_project, parse_config
from sitegen.errors import ConfigError, DataError
from tests.test_cli import run

TIKTOK = "Date,Video views,Profile views,Likes\nApril 12,1020,31,88\nApril 13,980,27,75\n"


def project(tmp_path: Path, toml: str) -> Path:
    root = tmp_path / "tt"
    (root / "data").mkdir(parents=True)
    (root / "sitegen.toml").write_text('[project]\nname = "TT"\n' + toml, encoding="utf-8")
    (root / "data" / "tiktok.csv").write_text(TIKTOK, encoding="utf-8")
    return root


def dates(root: Path) -> list[str]:
    frame = load_project(root).read_data().frame
    return [str(d) for d in frame["date"].to_list()]


def test_year_setting_gives_the_year(tmp_path: Path) -> None:
    root = project(tmp_path, '[data]\ndate_format = "%B %d"\nyear = 2025\n')
    assert dates(root) == ["2025-04-12", "2025-04-13"]


def test_a_period_within_one_year_gives_the_year(tmp_path: Path) -> None:
    toml = '[period]\nstart = 2026-01-01\nend = 2026-06-30\n[data]\ndate_format = "%B %d"\n'
    assert dates(project(tmp_path, toml)) == ["2026-04-12", "2026-04-13"]


def test_without_a_year_the_error_names_the_file_and_the_setting(tmp_path: Path) -> None:
    toml = '[period]\nstart = 2025-07-01\nend = 2026-06-30\n[data]\ndate_format = "%B %d"\n'
    root = project(tmp_path, toml)
    with pytest.raises(DataError) as info:
        load_project(root).read_data()
    err = info.value
    assert (err.file, err.line) == ("data/tiktok.csv", 2)
    assert "without a year" in err.message
    assert "year = " in (err.hint or "")


def test_build_without_a_year_fails_with_a_message_not_a_traceback(tmp_path: Path) -> None:
    project(tmp_path, '[data]\ndate_format = "%B %d"\n')
    code, out, err = run("build", "tt", cwd=tmp_path)
    assert code != 0
    assert "Traceback" not in out + err and "year 0" not in out + err
    assert "data/tiktok.csv:2" in err and "year = 2026" in err


def test_build_with_a_year_works(tmp_path: Path) -> None:
    project(
        tmp_path, '[period]\nstart = 2026-04-01\nend = 2026-04-30\n[data]\ndate_format = "%B %d"\n'
    )
    code, out, err = run("build", "tt", cwd=tmp_path)
    assert code == 0, out + err


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date_format": "%B"}, "needs a day and a month"),
        ({"date_format": "%d"}, "needs a day and a month"),
        ({"date_format": "%B %d", "year": 20260}, "not a year"),
        ({"date_format": "%B %d", "year": 2026.5}, "not a year"),
    ],
)
def test_yearless_settings_are_validated(tmp_path: Path, data: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config({"project": {"name": "A"}, "data": data}, tmp_path)


@pytest.mark.parametrize("fmt", ["%B %d", "%d.%m.", "%b %-d", "%m/%d/%Y", "%d.%m.%y", "%F"])
def test_formats_with_a_day_and_a_month_are_accepted(tmp_path: Path, fmt: str) -> None:
    config, _ = parse_config({"project": {"name": "A"}, "data": {"date_format": fmt}}, tmp_path)
    assert config.date_format == fmt
