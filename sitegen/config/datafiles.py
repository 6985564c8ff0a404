"""Declare the [[data.files]] tables of sitegen.toml: settings for the files a glob matches.

Each entry names files in data/ by a glob (`match`) and says what the reader cannot guess
from them: their channel and platform, delimiter, encoding, date format, the year of dates
without one, the period a file without dates totals, column names, or to skip them. The
first entry that matches a file wins; an entry that matches no file is an error (the
reader checks that, as it lists the files).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sitegen.config.fields import _columns, _date_format, _year, delimiter, encoding
from sitegen.config.schema import Checker, Field, Invalid, keys
from sitegen.config.values import show
from sitegen.model.values import did_you_mean
from sitegen.readers.platforms import platforms
from sitegen.readers.rows.options import FileRule

# The platform ids a file may be read as (and the default channel names of their exports):
# those of sitegen/readers/platforms.toml, the one list of them.
PLATFORMS = tuple(platforms().names)


def _match(value: str, check: Checker, path: str) -> str:
    value = value.strip()
    if not value:
        raise Invalid("the pattern is empty", expected="a file name or glob such as 'Reach*.csv'")
    if "/" in value.removeprefix("data/") or "\\" in value or value.startswith(".."):
        raise Invalid(
            "the pattern names a folder",
            expected="a file name or glob inside data/, such as 'Reach*.csv'",
            hint="data/ is read without its sub-folders",
        )
    return value.removeprefix("data/")


def _channel(value: str, check: Checker, path: str) -> str:
    name = " ".join(value.strip().lower().split())
    if not name:
        raise Invalid("the channel is empty", expected="a channel name such as 'facebook'")
    return name


def _platform(value: str, check: Checker, path: str) -> str:
    if value not in PLATFORMS:
        close = did_you_mean(value.lower(), PLATFORMS)
        raise Invalid(
            "unknown platform",
            expected="one of " + ", ".join(PLATFORMS),
            hint=f"did you mean {close!r}?" if close else None,
        )
    return value


def _skip(value: bool, check: Checker, path: str) -> bool:
    return value


FILE = (
    Field(
        "match",
        "string",
        "a file name or glob in data/, such as 'Reach*.csv'",
        required=True,
        validate=_match,
        doc="A file name or glob (`*`, `?`, `[...]`) of files in `data/`, letter case"
        " ignored. The first entry that matches a file wins; an entry that matches no file is"
        " an error.",
    ),
    Field(
        "channel",
        "string",
        "a channel name such as 'facebook'",
        validate=_channel,
        doc="The channel the files' rows belong to (rows with a channel column keep theirs)."
        " Several files of one channel merge into it.",
        default_doc="the platform's name when recognised, else the file name",
    ),
    Field(
        "platform",
        "string",
        "a platform id such as 'facebook'",
        validate=_platform,
        doc="The platform the files come from: " + ", ".join(f"`{p}`" for p in PLATFORMS) + ".",
        default_doc="recognised from the file",
    ),
    Field(
        "date_format",
        "string",
        "a strftime pattern such as '%m/%d/%Y'",
        validate=_date_format,
        doc="As `[data] date_format`, for these files.",
        default_doc="`[data] date_format`",
    ),
    Field(
        "delimiter",
        "string",
        'one character such as ";", or "tab"',
        validate=delimiter,
        doc="As `[data] delimiter`, for these files.",
        default_doc="`[data] delimiter`",
    ),
    Field(
        "encoding",
        "string",
        "an encoding such as 'windows-1251'",
        validate=encoding,
        doc="As `[data] encoding`, for these files.",
        default_doc="`[data] encoding`",
    ),
    Field(
        "period",
        "period",
        "a table: { start = 2026-03-01, end = 2026-03-31 }",
        doc="The period a file without a date column totals: `{ start = 2026-03-01,"
        " end = 2026-03-31 }`.",
        default_doc="stated by the file, if at all",
    ),
    Field(
        "year",
        "number",
        "a year such as 2026",
        validate=_year,
        doc="As `[data] year`, for these files.",
        default_doc="`[data] year`",
    ),
    Field(
        "columns",
        "table",
        'a table of "Header" = "metric"',
        {},
        validate=_columns,
        doc="As `[data.columns]`, for these files; their entries win over `[data.columns]`.",
        default_doc="none",
    ),
    Field(
        "skip",
        "bool",
        "true or false",
        False,
        validate=_skip,
        doc="`true`: the files are not read (listed as skipped in the build's output).",
        default_doc="false",
    ),
)
FILE_KEYS = keys(FILE)


def read_files(check: Checker, tables: Any) -> tuple[FileRule, ...]:
    """Return the valid [[data.files]] entries of sitegen.toml; record their problems."""
    if not isinstance(tables, list):
        return ()
    rules: list[FileRule] = []
    for i, table in enumerate(tables):
        where = f"data.files[{i}]"
        if not isinstance(table, Mapping):
            check.error(where, "wrong type", expected="a [[data.files]] table", found=show(table))
            continue
        # An unknown key here is an error, not a warning: a misspelt `chanel` would send a
        # file's numbers to the wrong channel without a word.
        for k in table:
            if k not in FILE_KEYS:
                close = did_you_mean(str(k), FILE_KEYS)
                check.error(
                    f"{where}.{k}",
                    f"unknown key {k!r}",
                    expected="one of " + ", ".join(FILE_KEYS),
                    found=show(k),
                    hint=f"did you mean {close!r}?" if close else None,
                )
        before = len(check.errors)
        v = {f.key: check.value(table, f, where) for f in FILE}
        if len(check.errors) > before or v["match"] is None:
            continue
        period = v["period"]
        rules.append(
            FileRule(
                match=v["match"],
                index=i,
                channel=v["channel"],
                platform=v["platform"],
                date_format=v["date_format"],
                delimiter=v["delimiter"],
                encoding=v["encoding"],
                period=(period.start, period.end) if period is not None else None,
                year=v["year"],
                columns=dict(v["columns"]),
                skip=bool(v["skip"]),
            )
        )
    return tuple(rules)
