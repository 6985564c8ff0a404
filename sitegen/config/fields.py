"""The key tables of sitegen.toml: one declarative Field per key, with its validator.

``sitegen.config.project`` reads the file with them (``build`` and ``check`` alike), and
``sitegen.docgen`` writes docs/config-keys.md from them.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.numbers import list_currencies

from sitegen.config.kpis import KPI
from sitegen.config.limits import DEFAULT_LIMITS
from sitegen.config.schema import Checker, Field, Invalid, keys
from sitegen.config.slug import slugify
from sitegen.config.values import show
from sitegen.errors import ConfigError
from sitegen.model.catalogue import builtin
from sitegen.model.values import did_you_mean
from sitegen.readers.dateformats import has_year

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
_URL = re.compile(r"^https?://[^\s\"'<>]+$")
_LOCALE = "a locale such as 'en', 'ru' or 'lv'"
_ZONE = "an IANA time zone such as 'Europe/Riga'"
_PATTERN = "a strftime pattern such as '%m/%d/%Y'"


def safe_path(root: Path, value: str, *, file: str, key: str) -> Path:
    """Return root/value resolved; raise ConfigError when it leaves the project folder."""
    candidate = Path(value)
    if candidate.is_absolute() or value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value):
        raise ConfigError(
            "an absolute path is not allowed here",
            file=file,
            key=key,
            found=repr(value),
            expected="a path inside the project folder, e.g. 'assets/logo.svg'",
        )
    try:
        resolved = (root / candidate).resolve()
    except (ValueError, OSError):  # a NUL byte, a symlink loop
        raise ConfigError(
            "not a usable path",
            file=file,
            key=key,
            found=repr(value),
            expected="a path inside the project folder, e.g. 'assets/logo.svg'",
        ) from None
    if not resolved.is_relative_to(root.resolve()):
        raise ConfigError(
            "the path points outside the project folder",
            file=file,
            key=key,
            found=repr(value),
            expected="a path inside the project folder (no '..', no symlink out of it)",
        )
    return resolved


# --- validators: a value of the right type that breaks a rule raises Invalid ----------------


def _name(value: str, check: Checker, path: str) -> str:
    if not value.strip():
        raise Invalid("the name is empty", expected="the client's name", show_found=False)
    return value


def _slug(value: str, check: Checker, path: str) -> str:
    if slugify(value) != value:
        raise Invalid(
            "not a valid slug",
            expected="lower-case letters, digits and dashes",
            hint=f"use {slugify(value)!r}",
        )
    return value


def _locale(value: str, check: Checker, path: str) -> str:
    try:
        Locale.parse(value.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise Invalid("unknown locale") from None
    return value.replace("-", "_")


def _currency(value: str, check: Checker, path: str) -> str:
    if value not in list_currencies():
        raise Invalid(
            "unknown currency code", expected="an ISO 4217 code such as 'EUR', 'USD', 'RUB'"
        )
    return value


def _zone(value: str, check: Checker, path: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid("unknown time zone") from None
    return value


def _logo(value: str, check: Checker, path: str) -> str:
    assert check.root is not None
    if not safe_path(check.root, value, file=check.file, key=path).is_file():
        raise Invalid("the logo file does not exist", expected="an existing file")
    return value


def _url(value: str, check: Checker, path: str) -> str:
    if value and not _URL.match(value):
        raise Invalid("not an http(s) URL", expected="https://host/path/")
    return value


def _colour(value: str, check: Checker, path: str) -> str:
    if not _HEX.match(value):
        raise Invalid("not a hex colour", expected="'#rgb' or '#rrggbb'")
    return value


def _date_format(value: str, check: Checker, path: str) -> str:
    if "%" not in value:
        raise Invalid("not a date pattern")
    codes = set(re.findall(r"%[-_0^#]?(.)", value.replace("%%", "")))
    day_and_month = bool(codes & set("dej")) and bool(codes & set("mbBh"))
    if not has_year(value) and not (day_and_month or "j" in codes):
        raise Invalid(
            "a date pattern without a year needs a day and a month",
            expected="a pattern such as '%B %d' (April 12) or '%d.%m.'",
        )
    return value


def _year(value: float, check: Checker, path: str) -> int:
    if value != int(value) or not 1900 <= value <= 2200:
        raise Invalid("not a year", expected="a year such as 2026")
    return int(value)


# The [data.columns] targets that are not metrics (see readers.aliases._explicit_role).
COLUMN_FIELDS = ("date", "week", "month", "channel", "competitor", "ignore")


def _columns(value: Mapping[str, Any], check: Checker, path: str) -> dict[str, str]:
    """Keep the headers mapped to a known metric or field; record an error for each other."""
    metrics = builtin().metrics
    columns: dict[str, str] = {}
    for header, metric in value.items():
        if not isinstance(metric, str) or (metric not in metrics and metric not in COLUMN_FIELDS):
            close = did_you_mean(str(metric), list(metrics))
            check.error(
                f"{path}.{header!r}",
                "not a known metric",
                expected="a base metric from the KPI catalogue, or one of "
                + ", ".join(COLUMN_FIELDS),
                found=show(metric),
                hint=f"did you mean {close!r}?" if close else "run 'sitegen kpis' to list metrics",
            )
        else:
            columns[str(header)] = metric
    return columns


_DELIMITER_NAMES = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " "}


def delimiter(value: str, check: Checker, path: str) -> str:
    """Accept one character that separates cells, or its name (tab, comma, semicolon, pipe)."""
    value = _DELIMITER_NAMES.get(value.strip().lower(), value)
    if len(value) != 1 or value in '"\r\n' or value.isalnum():
        raise Invalid(
            "not a cell delimiter",
            expected='one character such as ";" or ",", or "tab"',
            hint='write "tab" for tab-separated files',
        )
    return value


def encoding(value: str, check: Checker, path: str) -> str:
    """Accept a text encoding Python knows (utf-8, windows-1251, utf-16)."""
    try:
        name = codecs.lookup(value).name
    except LookupError:
        raise Invalid(
            "unknown text encoding",
            expected="an encoding such as 'utf-8', 'windows-1251', 'windows-1252' or 'utf-16'",
        ) from None
    # A text codec: rot13 or base64 are codecs too, but not encodings of text files.
    if not codecs.lookup(name)._is_text_encoding:
        raise Invalid("not a text encoding", expected="an encoding such as 'windows-1251'")
    return value


def _pace_days(value: float, check: Checker, path: str) -> int:
    if not value.is_integer() or not 14 <= value <= 366:
        raise Invalid("not a whole number of days from 14 to 366", expected="a number such as 28")
    return int(value)


def _tolerance(value: float, check: Checker, path: str) -> float:
    if not 0 <= value <= 1:
        raise Invalid("not a share from 0 to 1", expected="a share such as 0.1 (10 %)")
    return value


def _whole(value: float, check: Checker, path: str) -> int:
    if value < 1 or not value.is_integer():
        raise Invalid("not a whole number above zero")
    return int(value)


# --- the schema of sitegen.toml ------------------------------------------------------------

TOP = (
    Field("project", "table", 'a [project] table with at least name = "..."', {}, required=True),
    Field("period", "table", "a [period] table with start and end dates"),
    Field("data", "table", "a [data] table"),
    Field("limits", "table", "a [limits] table of whole numbers"),
    Field("goals", "table", "a [goals] table: pace_days, tolerance"),
    Field("portfolio", "table", "a [portfolio] table"),
    Field("kpis", "list", "a list of [[kpis]] tables", []),
    # Read by sitegen.config.report: the report's look.
    Field("report", "table", "a [report] table"),
    Field("overview", "table", "an [overview] table"),
    Field("channels", "table", 'tables such as [channels.meta-ads] with label = "Meta Ads"'),
)
PROJECT = (
    Field(
        "name",
        "string",
        "the client's name, a string",
        required=True,
        validate=_name,
        doc="The client's name, shown as the report's title.",
    ),
    Field(
        "slug",
        "string",
        "a slug such as 'acme-coffee'",
        validate=_slug,
        doc="Lower-case letters, digits and dashes; the site's folder in `output/`.",
        default_doc="the project folder's name, made a slug (Cyrillic is transliterated)",
    ),
    Field(
        "locale",
        "string",
        _LOCALE,
        "en",
        validate=_locale,
        doc="The report's language and formats: `en`, `ru` or `lv` (any locale babel knows"
        " formats numbers and dates; the report's text is in English, Russian and Latvian).",
    ),
    Field(
        "currency",
        "string",
        "an ISO 4217 code such as 'EUR'",
        "USD",
        validate=_currency,
        doc="ISO 4217 code for money values.",
    ),
    Field(
        "timezone",
        "string",
        _ZONE,
        validate=_zone,
        doc="IANA zone (`Europe/Riga`): exports with timestamps in another zone are read as"
        " this zone's dates.",
        default_doc="none: dates as written",
    ),
    Field(
        "theme",
        "string",
        "a theme name or a folder in the project",
        "default",
        doc="`default`, `classic`, or a folder inside the project with a `templates/` sub-folder.",
    ),
    Field(
        "logo",
        "string",
        "a path inside the project, e.g. 'assets/logo.svg'",
        validate=_logo,
        doc="An image inside the project, shown in the header and as the site's icon.",
    ),
    Field(
        "base_url",
        "string",
        "an absolute URL such as 'https://reports.example.com/acme/'",
        "",
        validate=_url,
        doc="The site's public address. Only used for `sitemap.xml`; pages always link relatively.",
        default_doc="none: no sitemap",
    ),
    Field(
        "brand_color",
        "string",
        "a hex colour such as '#1f6feb'",
        validate=_colour,
        doc="A hex colour, `#rgb` or `#rrggbb`.",
        default_doc="the theme's",
    ),
    Field(
        "trust_templates",
        "bool",
        "true or false",
        False,
        doc="`true` runs the project's `templates/` and theme with full Jinja instead of"
        " Jinja's sandbox, so a template can call any Python. Only for templates you wrote"
        " or have read; see docs/security.md.",
        default_doc="false: templates run sandboxed",
    ),
)
PERIOD = (
    Field(
        "start",
        "date",
        "a date such as 2025-01-01 (no quotes)",
        required=True,
        doc="The report period's first day.",
    ),
    Field(
        "end",
        "date",
        "a date such as 2025-12-31 (no quotes)",
        required=True,
        doc="Its last day. The report is computed as of this day: goals' status, forecasts and"
        ' the "latest month".',
    ),
)
DATA = (
    Field(
        "date_format",
        "string",
        _PATTERN,
        validate=_date_format,
        doc="A `strftime` pattern (`%m/%d/%Y`) for dates the reader cannot tell apart alone,"
        " e.g. `03/04/2025`.",
        default_doc="none: the reader decides",
    ),
    Field(
        "year",
        "number",
        "a year such as 2026",
        validate=_year,
        doc="The year of dates written without one, read with a `date_format` that has no"
        ' year (TikTok\'s "April 12": `date_format = "%B %d"`).',
        default_doc="the `[period]`'s year when the period lies within one calendar year",
    ),
    Field(
        "columns",
        "table",
        'a table of "Header" = "metric"',
        {},
        validate=_columns,
        doc='A table of `"Export header" = "metric"`: headers the reader does not know yet,'
        " mapped to a base metric, or to `date`, `week` or `month` (the column holds the day,"
        " the week's first day or the month), `channel`, `competitor`, or `ignore` (drop the"
        " column without the unknown-column warning). `sitegen kpis` lists the metrics.",
        default_doc="none",
    ),
    Field(
        "delimiter",
        "string",
        'one character such as ";", or "tab"',
        validate=delimiter,
        doc='The cell delimiter of every delimited text file: one character (`";"`), or'
        " `tab`, `comma`, `semicolon`, `pipe`. For a file whose header holds quoted"
        " delimiters, so that the guess goes wrong.",
        default_doc="none: guessed from the first lines",
    ),
    Field(
        "encoding",
        "string",
        "an encoding such as 'windows-1251'",
        validate=encoding,
        doc="The text encoding of every delimited text file (`utf-8`, `windows-1251`,"
        " `utf-16`, any Python encoding), when the guess goes wrong.",
        default_doc="none: UTF-8 (with or without BOM), UTF-16, Windows-1251 or -1252, guessed",
    ),
    Field(
        "files",
        "list",
        "a list of [[data.files]] tables",
        [],
        doc="Settings of single files: see `[[data.files]]` below.",
        default_doc="none",
    ),
)


def _limit(key: str, doc: str) -> Field:
    default = getattr(DEFAULT_LIMITS, key)
    return Field(
        key,
        "number",
        f"a whole number above zero such as {default}",
        default,
        validate=_whole,
        doc=doc,
        default_doc=f"`{default:_}`",
    )


# Budgets checked before the work; each refusal names its key. Raise one for a legitimate
# file; the limits and what they guard against: docs/security.md.
LIMITS = (
    _limit(
        "max_file_bytes",
        "Bytes of one data file, checked before it is read (2 GB). Over 2 GB the build cache"
        " hashes such a file by size and time, not content.",
    ),
    _limit(
        "max_columns",
        "Columns of one data file (header cells; JSON keys; Parquet columns).",
    ),
    _limit(
        "max_sheet_cells",
        "Cells of one workbook sheet, rows x columns from A1, from its declared dimension"
        " and cell references, before the sheet is read.",
    ),
    _limit(
        "max_unzipped_bytes",
        "Bytes a workbook's zip parts unpack to, in all (200 MB).",
    ),
    _limit(
        "max_zip_ratio",
        "How many times a workbook part over 1 MB may inflate (zip bombs inflate a thousand"
        " times).",
    ),
    _limit("max_parquet_rows", "Rows of a Parquet file, from its footer."),
    _limit("max_parquet_cells", "Rows x columns of a Parquet file, from its footer."),
    _limit("max_page_chars", "Characters of one Markdown page in `pages/`."),
    _limit("max_goals", "Goals and plans in goals.toml together (each is a page with charts)."),
    _limit("max_cases", "Cases, references and benchmarks in cases.toml together."),
)
# How goals are projected and judged (docs/goals.md).
GOALS = (
    Field(
        "pace_days",
        "number",
        "a whole number of days such as 28",
        28,
        validate=_pace_days,
        doc="The recent complete days up to the report's end whose daily rate a goal's"
        " forecast continues (14 to 366).",
    ),
    Field(
        "tolerance",
        "number",
        "a share such as 0.1",
        0.1,
        validate=_tolerance,
        doc="How far a forecast may miss the target and the goal still be *at risk* rather"
        " than *off track*: this share of the distance from the baseline to the target"
        " (half of it of the target when there is no baseline).",
    ),
)
# [portfolio]: the index page of clients built together.
PORTFOLIO = (
    Field(
        "locale",
        "string",
        _LOCALE,
        validate=_locale,
        doc="The language and formats of the portfolio index when this client is built with"
        " others (`sitegen build content/`). Set it in one client or the same in all; clients"
        " that name different locales are an error.",
        default_doc="the clients' common locale, else English",
    ),
)
TOP_KEYS = keys(TOP)
PROJECT_KEYS = keys(PROJECT)
# Every key of the file: a missing key is matched against the others ("rename 'nmae'").
KEY_NAMES = (
    TOP_KEYS
    + PROJECT_KEYS
    + keys(PERIOD)
    + keys(DATA)
    + keys(LIMITS)
    + keys(GOALS)
    + keys(PORTFOLIO)
    + keys(KPI)
)
