"""From a RawTable to one file's clean rows, one per (date, channel, competitor).

Steps, all as polars expressions over whole columns (``shape_file``): give each header its
role (columns.py, alias table); drop blank rows, '#' comment rows, a description row under
the header and total rows (with a note) (clean.py); parse the date column and the metric
columns, turning rates back into counts where the file lacks the count (rates.py); then add
finer rows up (when an id or name column, or a time of day, tells them apart) or refuse rows
that nothing tells apart (combine.py).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl

from sitegen.errors import SitegenError, SitegenWarning, shown
from sitegen.readers.cells import CellError
from sitegen.readers.dates import parse_dates
from sitegen.readers.raw import RawTable, col
from sitegen.readers.rows.clean import Kept, keep_rows
from sitegen.readers.rows.columns import Columns, assign_columns
from sitegen.readers.rows.combine import combine_rows, grains_of, key_rows
from sitegen.readers.rows.options import (
    GRAIN_RANK,
    KEY,
    FileData,
    FileRule,
    ReadOptions,
    channel_of,
)
from sitegen.readers.rows.rates import read_metrics
from sitegen.readers.rows.totals import check_grand_total, total_spans

__all__ = [
    "GRAIN_RANK",
    "KEY",
    "FileData",
    "FileRule",
    "ReadOptions",
    "channel_of",
    "shape_file",
]


def shape_file(raw: RawTable, path: Path, display: str, opts: ReadOptions) -> FileData:
    """Return one file's typed rows, aggregated to one per (date, channel, competitor).

    A report that totals a period (no date column) gives one row per channel and competitor
    dated the period's first day, with the period's last day in an `end` column and the
    whole span in `total_period` (totals.py).
    """
    warnings: list[SitegenWarning] = []
    spans = total_spans(raw, path, display, opts, warnings)
    if spans is None:
        return _shape(raw, path, display, opts, warnings)
    if not spans:  # an audience breakdown: nothing to place in time (totals.py)
        empty = pl.DataFrame(schema={"date": pl.Date, "channel": pl.Utf8, "competitor": pl.Utf8})
        return FileData(path, display, empty, {}, warnings)
    parts: list[FileData] = []
    for i, span in enumerate(spans):
        # Column notes are the same for every span: the first one's are kept.
        part = _shape(span.raw, path, display, opts, warnings if i == 0 else [])
        parts.append(replace(part, frame=part.frame.with_columns(end=pl.lit(span.end))))
        if span.grand is not None:
            _check_total(span.grand, span.raw, part, opts, warnings)
    first = parts[0]
    return replace(
        first,
        frame=pl.concat([p.frame for p in parts], how="diagonal_relaxed"),
        grains={},
        total_period=(min(s.start for s in spans), max(s.end for s in spans)),
    )


def _check_total(
    grand: RawTable, raw: RawTable, part: FileData, opts: ReadOptions, out: list[SitegenWarning]
) -> None:
    """Add a warning when the file's grand total row disagrees with the sum of its rows."""
    try:
        given = _shape(grand, part.path, part.display, opts, []).frame
    except SitegenError:
        return  # a total row that cannot be read checks nothing
    line = int(grand.frame["_line"][0])
    kinds = dict(opts.metric_kinds)
    found = check_grand_total(part.frame, given, raw.frame.height, kinds, part.display, line)
    if found is not None:
        out.append(found)


def _shape(
    raw: RawTable, path: Path, display: str, opts: ReadOptions, warnings: list[SitegenWarning]
) -> FileData:
    cols = assign_columns(raw, display, opts)
    kept = keep_rows(raw, cols, display, opts, warnings)
    parsed = _dates(kept, cols, opts)
    estimates: list[tuple[str, str, str]] = []
    metric_values = read_metrics(kept, raw, cols, display, opts, warnings, None, estimates)
    stem = opts.channel or channel_of(path)
    rows, ids = key_rows(kept.frame, parsed, cols, stem)
    metric_order = [m for m in opts.metric_kinds if m in metric_values]
    rows = rows.with_columns([metric_values[m].cast(pl.Float64).alias(m) for m in metric_order])
    timed = bool(parsed["timed"].any())
    # Without channel and competitor columns, every row has the same channel and competitor.
    same = stem if cols.channel is None and cols.competitor is None else None
    out = combine_rows(
        rows, ids, bool(cols.ids), timed, metric_order, opts, kept.loc, same, cells=kept.frame
    )
    return FileData(
        path=path,
        display=display,
        frame=out,
        grains=grains_of(rows, parsed, cols, stem),
        warnings=_column_notes(raw, cols, display, out, warnings, opts),
        unknown_columns=list(cols.unknown),
        unit=raw.unit,
        platform=opts.platform,
        estimates=estimates,
    )


def _dates(kept: Kept, cols: Columns, opts: ReadOptions) -> pl.DataFrame:
    """Parse the date column: date, grain and timed (a time of day) per row."""
    if kept.dates is not None:  # parsed while the rows were sorted out (keep_rows)
        return kept.dates
    try:
        return parse_dates(
            kept.frame[col(cols.date)],
            opts.date_options(cols.date_role),
        )
    except CellError as exc:
        raise kept.loc.error(exc, cols.date) from None


_HINT_HEADERS = 50  # unknown headers looked at for a suggestion (wide files have thousands)
_HINT_SHOWN = 3
_UNKNOWN_LISTED = 12  # headers a warning names (a wide export has thousands)


def _unknown_hint(unknown: list[str], opts: ReadOptions) -> str:
    """Say how to read an unknown column, proposing a metric only where an alias is close."""
    proposals = []
    for header in unknown[:_HINT_HEADERS]:
        metric = opts.table.closest_metric(header, opts.metric_kinds)
        if metric is not None:
            proposals.append(f'"{shown(header, 60)}" = "{metric}"')
            if len(proposals) == _HINT_SHOWN:
                break
    text = "to read one, map it to a metric under [data.columns] in sitegen.toml"
    if proposals:
        return f"{text}; perhaps {', '.join(proposals)}"
    return f"{text} ('sitegen kpis' lists them); to silence this, map it to \"ignore\""


def _column_notes(
    raw: RawTable,
    cols: Columns,
    display: str,
    out: pl.DataFrame,
    warnings: list[SitegenWarning],
    opts: ReadOptions,
) -> list[SitegenWarning]:
    """Add the warnings about columns (unknown first, doubles) and about an empty file."""
    if cols.unknown:
        names = ", ".join(repr(shown(h, 60)) for h in cols.unknown[:_UNKNOWN_LISTED])
        if len(cols.unknown) > _UNKNOWN_LISTED:
            names += f" and {len(cols.unknown) - _UNKNOWN_LISTED} more"
        warnings.insert(
            0,
            SitegenWarning(
                f"ignored {len(cols.unknown)} unknown column(s): {names}",
                file=display,
                line=raw.header_line,
                code="unknown_columns",
                hint=_unknown_hint(cols.unknown, opts),
            ),
        )
    if not out.height:
        warnings.append(
            SitegenWarning(
                "the file has a header but no data rows",
                file=display,
                line=raw.header_line,
                code="empty_file",
                hint="export a period with data, or remove the file",
            )
        )
    for metric, used_header, other in cols.doubles:
        warnings.append(
            SitegenWarning(
                f"columns {used_header!r} and {other!r} both give {metric}; using {used_header!r}",
                file=display,
                line=raw.header_line,
                code="duplicate_column",
                hint=f'map the one you want under [data.columns], e.g. "{other}" = "{metric}"',
            )
        )
    return warnings
