"""Reading the files in a project's data/ folder into one typed frame (the DataSet).

Every file a user drops into data/ (CSV/TSV/TXT, XLSX and other workbooks, JSON records or
JSON Lines, Parquet) is read into rows of (date, channel, competitor, canonical metrics):

- ``sources``: each format into a raw table (delimited text through polars' CSV reader after
  sniffing encoding, delimiter and header row on a sample in ``sniff``);
- ``aliases`` + ``aliases.toml``: which header means which column;
- ``dates`` and ``numbers``: the cells, parsed per column with polars expressions;
- ``rows``: totals, rates, aggregation of finer rows, duplicates.

Rates in a file (CTR, bounce rate, conversion rate) are not base metrics: a rate whose
numerator column is missing while its denominator is present gives the numerator back per
row (bounces = bounce rate x sessions, as a fraction when the cells or header carry "%" or
any value is above 1, else as given); other rates, and ratios such as CPC or ROAS, are
ignored with a note, because the engine computes every ratio from its parts.

Warnings carry a ``code``: "unknown_columns" and "duplicate_column" are warnings proper;
"note" marks information (dropped total rows, ignored rate columns) that needs no fix.
"""

from __future__ import annotations

import dataclasses
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from sitegen.config.limits import Limits
from sitegen.errors import ConfigError, DataError, SitegenWarning
from sitegen.readers import limits, sniff
from sitegen.readers.aliases import alias_table, normalise
from sitegen.readers.files import FileSummary, check_rules_used, merge, rule_for, summarise_file
from sitegen.readers.periodtext import period_in
from sitegen.readers.platforms import Recognised, account_slug, platforms
from sitegen.readers.raw import RawTable, col
from sitegen.readers.rows import (
    GRAIN_RANK,
    KEY,
    FileData,
    FileRule,
    ReadOptions,
    batches,
    shape_file,
)
from sitegen.readers.rows.totals import merge_totals
from sitegen.readers.sources import SUFFIXES, TEXT_SUFFIXES, check_size, read_raw

__all__ = [
    "SUFFIXES",
    "TOTALS_SCHEMA",
    "DataSet",
    "FileData",
    "FileRule",
    "FileSummary",
    "read_data",
    "read_file",
]

TOTALS_SCHEMA = {"start": pl.Date, "end": pl.Date, "channel": pl.Utf8, "competitor": pl.Utf8}


@dataclass
class DataSet:
    """All of a project's data: one frame, one row per (date, channel, competitor)."""

    # date (pl.Date), channel, competitor (null for own rows), one Float64 column per base
    # metric present in any file (catalogue order); sorted by channel, competitor, date.
    frame: pl.DataFrame
    grains: dict[str, str] = field(default_factory=dict)  # channel -> day | week | month
    files: list[Path] = field(default_factory=list)  # files read, sorted
    warnings: list[SitegenWarning] = field(default_factory=list)
    unknown_columns: dict[str, list[str]] = field(default_factory=dict)  # file name -> headers
    # channel -> metrics with at least one value in the client's own rows (not competitors')
    metrics_by_channel: dict[str, list[str]] = field(default_factory=dict)
    # Every file of data/ in name order: what it was read as (or that it was skipped).
    file_summaries: list[FileSummary] = field(default_factory=list)
    # Reports that total a period (no date column): start, end (pl.Date, inclusive), channel,
    # competitor, one Float64 column per metric; never spread over days (rows/totals.py).
    totals: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=TOTALS_SCHEMA))


def _options(
    metric_kinds: Mapping[str, str],
    columns: Mapping[str, str] | None,
    date_format: str | None,
    timezone: str | None,
    year: int | None = None,
    limits: Limits | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
) -> ReadOptions:
    if timezone:
        try:
            zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                "unknown time zone",
                file="sitegen.toml",
                key="project.timezone",
                expected="an IANA time zone such as Europe/Riga or America/New_York",
                found=repr(timezone),
            ) from None
    return ReadOptions(
        metric_kinds=dict(metric_kinds),
        columns=dict(columns) if columns else None,
        date_format=date_format or None,
        timezone=timezone or None,
        table=alias_table(),
        year=year,
        limits=limits or Limits(),
        delimiter=delimiter,
        encoding=encoding,
    )


def _file_options(opts: ReadOptions, rule: FileRule | None) -> ReadOptions:
    """Return the options for one file: the project's, with its [[data.files]] entry's."""
    if rule is None:
        return opts
    columns = {**(opts.columns or {}), **rule.columns} or None
    return dataclasses.replace(
        opts,
        columns=columns,
        date_format=rule.date_format or opts.date_format,
        year=rule.year if rule.year is not None else opts.year,
        channel=rule.channel,
        platform=rule.platform,
        delimiter=rule.delimiter or opts.delimiter,
        encoding=rule.encoding or opts.encoding,
        period=rule.period,
    )


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_file(
    path: Path,
    *,
    metric_kinds: dict[str, str],
    columns: dict[str, str] | None = None,
    date_format: str | None = None,
    timezone: str | None = None,
    display: str | None = None,
    year: int | None = None,
    limits: Limits | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    files: tuple[FileRule, ...] = (),
) -> FileData:
    """Read one data file into its rows, one per (date, channel, competitor).

    `files` are the [[data.files]] entries: the first that matches the file's name applies.
    """
    opts = _options(metric_kinds, columns, date_format, timezone, year, limits, delimiter, encoding)
    opts = _file_options(opts, rule_for(path.name, files))
    return _read_one(path, display or _display(path, path.parent.parent), opts)


def _read_one(path: Path, display: str, opts: ReadOptions) -> FileData:
    if batches.wanted(path, check_size(path, display, opts.limits)):
        found, popts = _platform(path, opts, *_head(path, display, opts))
        data = batches.read_batched(path, display, popts)
        if data is not None:
            return limits.check_values(_marked(data, found, popts))
    raw = read_raw(
        path,
        display,
        opts.score_row,
        opts.number_columns,
        opts.limits,
        delimiter=opts.delimiter,
        encoding=opts.encoding,
        ids=opts.id_columns,
    )
    found, popts = _platform(path, opts, raw.title, raw.headers)
    if found is not None and found.account is None:
        found = replace(found, account=_account_cell(raw, found))
    data = shape_file(raw, path, display, popts)
    return limits.check_values(_marked(data, found, popts))


def _head(path: Path, display: str, opts: ReadOptions) -> tuple[list[str], list[str]]:
    """Return the title lines and header of a big delimited file, from its first bytes."""
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return [], []
    with path.open("rb") as fh:
        head = fh.read(4 << 20)  # enough for a wide header; the whole read checks the rest
    try:
        text = sniff.to_utf8(head, display, opts.encoding).data
        layout = sniff.find_layout(
            text, display, path.suffix.lower(), opts.score_row, delimiter=opts.delimiter
        )
    except (DataError, UnicodeDecodeError):
        return [], []  # the whole read says what is wrong
    return layout.title, layout.header


def _platform(
    path: Path, opts: ReadOptions, title: list[str], headers: list[str]
) -> tuple[Recognised | None, ReadOptions]:
    """Return the platform export a file is, and the options that read it as that export.

    A recognised file's channel is its platform (unless a channel is given); its columns
    mean what they mean on that platform. A forced platform (`opts.platform`) applies that
    platform's meanings even when no signature of it fits.
    """
    table = platforms()
    found = table.recognise(path.stem, title, headers, opts.platform)
    if found is None and opts.platform is None:
        return None, opts
    meanings = found.export.meanings if found is not None else table.forced(str(opts.platform))
    platform = found.platform if found is not None else opts.platform
    month_first = found is not None and found.export.month_first
    return found, replace(
        opts,
        channel=opts.channel or platform,
        platform=platform,
        meanings=meanings,
        month_first=month_first,
    )


def _account_cell(raw: RawTable, found: Recognised) -> str | None:
    """Return the first value of the export's account column (a page or profile name)."""
    for i, header in enumerate(raw.headers):
        if normalise(header) in found.export.account_columns and col(i) in raw.frame.columns:
            values = raw.frame[col(i)].drop_nulls()
            for value in values.head(20).to_list():
                text = str(value).strip()
                if text:
                    return text
    return None


def _marked(data: FileData, found: Recognised | None, opts: ReadOptions) -> FileData:
    data.platform = opts.platform
    data.account = found.account if found is not None else None
    return data


def _account_channels(parts: list[FileData]) -> None:
    """Name a platform's channel per account when the files name two accounts or more.

    One account (or files that do not say theirs) stays one channel named after the
    platform: the seven daily metric files and the post export of one Page are `facebook`.
    """
    accounts: dict[str, set[str]] = {}
    for part in parts:
        if part.platform and part.account:
            accounts.setdefault(part.platform, set()).add(account_slug(part.account))
    for part in parts:
        platform = part.platform
        if not platform or not part.account or len(accounts.get(platform, ())) < 2:
            continue
        name = f"{platform}-{account_slug(part.account)}"
        part.frame = part.frame.with_columns(
            channel=pl.when(pl.col("channel") == platform)
            .then(pl.lit(name))
            .otherwise(pl.col("channel"))
        )
        if platform in part.grains:
            part.grains[name] = part.grains.pop(platform)


def _is_data_file(path: Path) -> bool:
    name = path.name
    return not (
        name.startswith((".", "~$")) or name.upper().startswith("README") or not path.is_file()
    )


def _listed(data_dir: Path) -> list[Path]:
    """Return the data files of data/ and of its export folders, in path order.

    Platforms hand some exports out as a folder named after its period (YouTube Studio:
    "Content 2026-01-01_2026-01-31 Channel/Table data.csv"), and that name may be the only
    place that says the period: such a folder is read as copied. Other folders (an "old"
    archive of earlier exports) are not read, nor hidden ones.
    """
    out: list[Path] = []
    inside = data_dir.parent.resolve()
    for path in sorted(data_dir.iterdir()):
        if path.is_dir() and not path.name.startswith(".") and period_in([path.name], False):
            if not path.resolve().is_relative_to(inside):
                raise DataError(
                    "the folder is a link to a folder outside the project",
                    file=_display(path, data_dir.parent) + "/",
                    hint="copy the exports into the project's data/ instead of linking to them",
                )
            out += [p for p in sorted(path.iterdir()) if _is_data_file(p)]
        elif _is_data_file(path):
            out.append(path)
    return sorted(out, key=lambda p: p.relative_to(data_dir).as_posix())


def _in_data(path: Path, data_dir: Path) -> str:
    """Return a data file's path inside data/ ("x.csv", "Folder/Table data.csv")."""
    return path.relative_to(data_dir).as_posix()


def read_data(
    data_dir: Path,
    *,
    metric_kinds: dict[str, str],
    columns: dict[str, str] | None = None,
    date_format: str | None = None,
    timezone: str | None = None,
    year: int | None = None,
    limits: Limits | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    files: tuple[FileRule, ...] = (),
) -> DataSet:
    """Read every data file in data_dir and its export folders (skip hidden files, README*).

    `year` is the year of dates whose date_format has none (TikTok's "April 12"); `files`
    are the [[data.files]] entries (the first that matches a file applies; one that
    matches no file is a ConfigError).
    """
    opts = _options(metric_kinds, columns, date_format, timezone, year, limits, delimiter, encoding)
    root = data_dir.parent
    if not data_dir.is_dir():
        raise DataError(
            "the project has no data folder",
            file=_display(data_dir, root) + "/",
            expected="a data/ folder with the platforms' exports",
            found="nothing",
            hint="create data/ and put CSV, XLSX, JSON or Parquet files in it",
        )
    # A link out of the project (say, to another client's export) would publish its numbers.
    inside = root.resolve()
    if not data_dir.resolve().is_relative_to(inside):
        raise DataError(
            "the data folder is a link to a folder outside the project",
            file=_display(data_dir, root) + "/",
            hint="copy the exports into the project's data/ instead of linking to them",
        )
    warnings: list[SitegenWarning] = []
    paths: list[Path] = []
    rules: dict[Path, FileRule | None] = {}
    summaries: dict[Path, FileSummary] = {}
    listed = _listed(data_dir)
    check_rules_used(files, [_in_data(p, data_dir) for p in listed])
    for path in listed:
        rules[path] = rule = rule_for(_in_data(path, data_dir), files) or rule_for(path.name, files)
        if rule is not None and rule.skip:
            summaries[path] = FileSummary(_display(path, root), skipped=True)
            continue
        if not path.resolve().is_relative_to(inside):
            raise DataError(
                "the data file is a link to a file outside the project",
                file=_display(path, root),
                hint="copy the file into data/ instead of linking to it",
            )
        if path.suffix.lower() not in SUFFIXES:
            warnings.append(
                SitegenWarning(
                    "not a data file format; ignored",
                    file=_display(path, root),
                    hint="data files are .csv, .tsv, .txt, .xlsx, .json or .parquet",
                    code="unknown_file",
                )
            )
            continue
        paths.append(path)
    parts = [_read_one(p, _display(p, root), _file_options(opts, rules[p])) for p in paths]
    _account_channels(parts)
    for part in parts:
        warnings += part.warnings
        summaries[part.path] = summarise_file(part)
    if not paths:
        warnings.append(
            SitegenWarning(
                "no data files",
                file=_display(data_dir, root) + "/",
                hint="put the platforms' exports (CSV, XLSX, JSON, Parquet) in data/",
                code="no_data",
            )
        )
    daily = [p for p in parts if p.total_period is None]
    frame = merge(daily, list(opts.metric_kinds))
    totals, notes = merge_totals(
        [(p.display, p.frame) for p in parts if p.total_period is not None],
        frame,
        list(opts.metric_kinds),
    )
    warnings += notes
    grains: dict[str, str] = {}
    for part in parts:
        for channel, grain in part.grains.items():
            if channel not in grains or GRAIN_RANK[grain] < GRAIN_RANK[grains[channel]]:
                grains[channel] = grain
    metric_cols = [c for c in frame.columns if c not in KEY]
    by_channel: dict[str, list[str]] = {}
    own = frame.filter(pl.col("competitor").is_null())
    if own.height:
        counts = own.group_by("channel").agg(pl.col(m).count() for m in metric_cols)
        for row in counts.sort("channel").iter_rows(named=True):
            by_channel[str(row["channel"])] = [m for m in metric_cols if row[m]]
    own_totals = totals.filter(pl.col("competitor").is_null())
    total_cols = [c for c in totals.columns if c not in TOTALS_SCHEMA]
    if own_totals.height:
        counts = own_totals.group_by("channel").agg(pl.col(m).count() for m in total_cols)
        for row in counts.iter_rows(named=True):
            have = by_channel.get(str(row["channel"]), [])
            have += [m for m in total_cols if row[m] and m not in have]
            by_channel[str(row["channel"])] = [m for m in opts.metric_kinds if m in have]
        by_channel = dict(sorted(by_channel.items()))
    return DataSet(
        frame=frame,
        grains=dict(sorted(grains.items())),
        files=sorted(paths),
        warnings=warnings,
        unknown_columns={p.path.name: p.unknown_columns for p in parts if p.unknown_columns},
        metrics_by_channel=by_channel,
        file_summaries=[summaries[p] for p in sorted(summaries)],
        totals=totals,
    )
