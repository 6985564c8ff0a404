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

import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from sitegen.config.limits import Limits
from sitegen.errors import ConfigError, DataError, SitegenWarning
from sitegen.readers import limits
from sitegen.readers.aliases import alias_table
from sitegen.readers.rows import GRAIN_RANK, KEY, FileData, ReadOptions, batches, shape_file
from sitegen.readers.rows.totals import merge_totals
from sitegen.readers.sources import SUFFIXES, check_size, read_raw

__all__ = ["SUFFIXES", "TOTALS_SCHEMA", "DataSet", "FileData", "read_data", "read_file"]

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
) -> FileData:
    """Read one data file into its rows, one per (date, channel, competitor)."""
    opts = _options(metric_kinds, columns, date_format, timezone, year, limits)
    return _read_one(path, display or _display(path, path.parent.parent), opts)


def _read_one(path: Path, display: str, opts: ReadOptions) -> FileData:
    if batches.wanted(path, check_size(path, display, opts.limits)):
        data = batches.read_batched(path, display, opts)
        if data is not None:
            return limits.check_values(data)
    raw = read_raw(path, display, opts.score_row, opts.number_columns, opts.limits)
    return limits.check_values(shape_file(raw, path, display, opts))


def _is_data_file(path: Path) -> bool:
    name = path.name
    return not (
        name.startswith((".", "~$")) or name.upper().startswith("README") or not path.is_file()
    )


def read_data(
    data_dir: Path,
    *,
    metric_kinds: dict[str, str],
    columns: dict[str, str] | None = None,
    date_format: str | None = None,
    timezone: str | None = None,
    year: int | None = None,
    limits: Limits | None = None,
) -> DataSet:
    """Read every data file in data_dir (not recursive; skip hidden files and README*) into one DataSet.

    `year` is the year of dates whose date_format has none (TikTok's "April 12").
    """  # noqa: E501
    opts = _options(metric_kinds, columns, date_format, timezone, year, limits)
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
    files: list[Path] = []
    for path in sorted(data_dir.iterdir()):
        if not _is_data_file(path):
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
        files.append(path)
    parts = [_read_one(p, _display(p, root), opts) for p in files]
    for part in parts:
        warnings += part.warnings
    if not files:
        warnings.append(
            SitegenWarning(
                "no data files",
                file=_display(data_dir, root) + "/",
                hint="put the platforms' exports (CSV, XLSX, JSON, Parquet) in data/",
                code="no_data",
            )
        )
    daily = [p for p in parts if p.total_period is None]
    frame = _merge(daily, list(opts.metric_kinds))
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
        files=sorted(files),
        warnings=warnings,
        unknown_columns={p.path.name: p.unknown_columns for p in parts if p.unknown_columns},
        metrics_by_channel=by_channel,
        totals=totals,
    )


def _merge(parts: list[FileData], order: list[str]) -> pl.DataFrame:
    """Return the files' rows as one frame; the same metric from two files is an error."""
    schema = {"date": pl.Date, "channel": pl.Utf8, "competitor": pl.Utf8}
    frames = [
        p.frame.with_columns(_file=pl.lit(i, dtype=pl.Int32))
        for i, p in enumerate(parts)
        if p.frame.height
    ]
    if not frames:
        present = [m for m in order if any(m in p.frame.columns for p in parts)]
        return pl.DataFrame(schema=schema | dict.fromkeys(present, pl.Float64))
    frame = pl.concat(frames, how="diagonal_relaxed")
    metrics = [m for m in order if m in frame.columns]
    shared = frame.filter(pl.struct(KEY).is_duplicated())
    if shared.height:
        for m in metrics:
            given = shared.filter(pl.col(m).is_not_null())
            clash = given.filter(pl.struct(KEY).is_duplicated())
            if clash.height:
                first = clash.row(0, named=True)
                same = clash.filter(
                    (pl.col("date") == first["date"])
                    & (pl.col("channel") == first["channel"])
                    & pl.col("competitor").eq_missing(first["competitor"])
                ).sort("_file", "_line")
                a, b = same.row(0, named=True), same.row(1, named=True)
                pa, pb = parts[a["_file"]], parts[b["_file"]]
                who = f"channel {first['channel']}" + (
                    f", competitor {first['competitor']}" if first["competitor"] else ""
                )
                raise DataError(
                    f"two files give {m} for {first['date']} ({who})",
                    file=pb.display,
                    line=b["_line"],
                    expected="each metric once per date, channel and competitor",
                    found=f"{pa.display}:{a['_line']} and {pb.display}:{b['_line']}",
                    hint="remove the overlap (the same export saved twice?), or give the "
                    "files different channels (file name or a channel column)",
                )
        frame = frame.group_by(KEY, maintain_order=True).agg(
            pl.col(m).drop_nulls().first() for m in metrics
        )
    frame = frame.select(KEY + metrics).with_columns(
        pl.col("date").cast(pl.Date),
        pl.col("channel").cast(pl.Utf8),
        pl.col("competitor").cast(pl.Utf8),
        *(pl.col(m).cast(pl.Float64) for m in metrics),
    )
    return frame.sort(["channel", "competitor", "date"], nulls_last=False)
