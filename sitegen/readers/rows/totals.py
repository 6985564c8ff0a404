"""Reports that total a period instead of listing days: the period each row stands for.

A table without a date column (Yandex.Direct, Google Ads, YouTube Studio "Table data") is
read as totals for the period that ``ReadOptions.period`` (``[[data.files]] period``), a
title line above the header or the file's name states; a table whose "Reporting starts" and
"Reporting ends" differ (Meta Ads Manager) gives each row its own period. Each such group of
rows becomes a table with a made-up date column (the period's first day) and a made-up name
column (so that rows by campaign add up); ``shape_file`` reads it as usual and records the
period's last day next to each row. Total rows ("Итого", "Total: Account", "Kopā") are dropped
with a note, never added to the rows. A table with neither dates nor a period is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from itertools import pairwise
from pathlib import Path

import polars as pl

from sitegen.errors import DataError, SitegenWarning
from sitegen.errors import shown as shown_text
from sitegen.readers.aliases import normalise
from sitegen.readers.cells import CellError
from sitegen.readers.dateformats import DateOptions
from sitegen.readers.dates import date_share, parse_dates
from sitegen.readers.periodtext import period_in
from sitegen.readers.raw import RawTable, col
from sitegen.readers.rows.clean import TOTAL_RE
from sitegen.readers.rows.options import ReadOptions

# The date column of a table built here, and its name column (any group alias): rows by
# campaign, ad or video are added up per period.
_DATE_HEADER = "date"
_NAME_HEADER = "name"
# Meta Ads Manager's (and its API's) reporting range per row; not "Starts"/"Ends", which are
# an ad set's schedule.
_STARTS = {"reporting starts", "date start"}
_ENDS = {"reporting ends", "date stop", "date end"}
_TOTAL_CELLS = 3  # leading text cells looked at for a total label ("Total: Account")
# The grand total of all rows (not "Total: Search", a subtotal): checked against their sum.
_GRAND_RE = (
    r"(?i)^\s*(?:total|totals|grand total|итого|всего|kopā|kopsumma)"
    r"(?:\s*:\s*(?:account|аккаунт|konts))?\s*$"
)


@dataclass
class Span:
    """Rows of one file that total one period: a table to read as usual, and the period."""

    raw: RawTable
    start: date
    end: date
    grand: RawTable | None = None  # the file's grand total row, dated alike


def has_dates(raw: RawTable, opts: ReadOptions) -> bool:
    """Return True when some header of the table is a date, week or month column."""
    return any(
        r is not None and r.kind in ("date", "week", "month") for r in opts.roles(raw.headers)
    )


def stated_period(raw: RawTable, path: Path, opts: ReadOptions) -> tuple[date, date] | None:
    """Return the period the file's entry, title lines, file name or folder name state."""
    if opts.period is not None:
        return opts.period
    found = period_in(raw.title)
    if found is None:
        # A whole month in a file name ("march 2026") is too weak a clue; ranges only.
        found = period_in([path.stem, path.parent.name], months=False)
    return found


def _dates_unnamed(raw: RawTable, opts: ReadOptions) -> bool:
    """Return True when a column of unknown name holds dates (it only needs mapping)."""
    for i, role in enumerate(opts.roles(raw.headers)):
        if role is not None:
            continue  # a known column ("Starts", an ad set's schedule) is no row date
        sample = raw.frame[col(i)].drop_nulls().head(50)
        if len(sample) and date_share(sample) >= 0.5:
            return True
    return False


# A first column that names an audience or a segment, not a time (en, ru, lv): an export of
# "who" (ages, cities, devices) rather than "when", e.g. Meta Business Suite's audience.
BREAKDOWNS = {
    "age": "age",
    "age range": "age",
    "возраст": "age",
    "vecums": "age",
    "gender": "gender",
    "sex": "gender",
    "пол": "gender",
    "dzimums": "gender",
    "city": "city",
    "town": "city",
    "город": "city",
    "pilsēta": "city",
    "country": "country",
    "страна": "country",
    "valsts": "country",
    "region": "region",
    "регион": "region",
    "reģions": "region",
    "language": "language",
    "язык": "language",
    "valoda": "language",
    "device": "device",
    "device category": "device",
    "устройство": "device",
    "ierīce": "device",
}


def breakdown_of(raw: RawTable) -> str | None:
    """Return what a table without dates breaks its numbers down by (age, city...), if so."""
    first = next((h for h in raw.headers if h and h.strip()), None)
    if first is None:
        return None
    return BREAKDOWNS.get(" ".join(first.strip().lower().split()))


def refusal(raw: RawTable, display: str) -> DataError:
    """Return the error for a table with neither a date column nor a stated period."""
    named = [repr(shown_text(h, 30)) for h in raw.headers if h]
    listed = ", ".join(named[:4]) + (f" and {len(named) - 4} more" if len(named) > 4 else "")
    found = f"{len(raw.headers)} columns: {listed}" if len(named) > 4 else f"columns {listed}"
    return DataError(
        "no date column and no period: the rows cannot be placed in time",
        file=display,
        line=raw.header_line,
        found=found if named else "no header",
        hint="export it with a day (or week/month) breakdown, or give period = "
        "{ start = 2026-03-01, end = 2026-03-31 } in its [[data.files]] entry in sitegen.toml",
    )


def _drop_total_rows(
    raw: RawTable, display: str, warnings: list[SitegenWarning]
) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """Return the table without its total rows (noting the lines dropped), and the one
    grand total row ("Итого", "Total", "Total: Account") when there is exactly one."""
    frame = raw.frame
    texts = [c for c in frame.columns[: len(raw.headers)] if frame.schema[c] == pl.String]
    if not texts:
        return frame, None
    is_total = pl.any_horizontal(
        pl.col(c).str.contains(TOTAL_RE).fill_null(False) for c in texts[:_TOTAL_CELLS]
    )
    is_grand = pl.any_horizontal(
        pl.col(c).str.contains(_GRAND_RE).fill_null(False) for c in texts[:_TOTAL_CELLS]
    )
    # The grand total row's label cells are emptied, so that it reads as a row like any other.
    grand = frame.filter(is_grand).with_columns(
        pl.when(pl.col(c).str.contains(TOTAL_RE).fill_null(False))
        .then(pl.lit(None, dtype=pl.String))
        .otherwise(pl.col(c))
        .alias(c)
        for c in texts[:_TOTAL_CELLS]
    )
    lines = frame.filter(is_total)["_line"].to_list()
    if lines:
        shown = ", ".join(str(n) for n in lines[:5]) + (" ..." if len(lines) > 5 else "")
        warnings.append(
            SitegenWarning(
                f"dropped {len(lines)} total row(s) ({raw.unit}s {shown}); "
                "the period's totals are the sum of the other rows",
                file=display,
                code="note",
            )
        )
        frame = frame.filter(~is_total)
    return frame, grand if grand.height == 1 else None


def _dated(raw: RawTable, frame: pl.DataFrame, start: date) -> RawTable:
    """Return a table of frame with a date column (start) and a name column (the line)."""
    n = len(raw.headers)
    frame = frame.with_columns(
        pl.lit(start.isoformat()).alias(col(n)),
        pl.col("_line").cast(pl.Utf8).alias(col(n + 1)),
    )
    return replace(raw, headers=[*raw.headers, _DATE_HEADER, _NAME_HEADER], frame=frame)


def total_spans(
    raw: RawTable, path: Path, display: str, opts: ReadOptions, warnings: list[SitegenWarning]
) -> list[Span] | None:
    """Return the file's rows grouped by the period they total, or None for a dated table.

    An audience breakdown (by age, city...) with no period gives no spans and a warning;
    any other table with no date column and no stated period is a DataError.
    """
    if has_dates(raw, opts):
        return _row_periods(raw, display, opts, warnings)
    period = stated_period(raw, path, opts)
    if period is None:
        if _dates_unnamed(raw, opts):
            return None  # the usual "no date column" error says how to map it
        by = breakdown_of(raw)
        if by is None:
            raise refusal(raw, display)
        # An audience export (ages, cities) is no series in time: noted and left out, so
        # that copying a platform's whole export folder into data/ does not fail the build.
        warnings.append(
            SitegenWarning(
                f"a breakdown by {by} with no dates: not a series in time, so not used",
                file=display,
                line=raw.header_line,
                code="breakdown",
                hint="give it skip = true in a [[data.files]] entry to leave it out quietly",
            )
        )
        return []
    frame, grand = _drop_total_rows(raw, display, warnings)
    check = None if grand is None else _dated(raw, grand, period[0])
    return [Span(_dated(raw, frame, period[0]), period[0], period[1], check)]


def _row_periods(
    raw: RawTable, display: str, opts: ReadOptions, warnings: list[SitegenWarning]
) -> list[Span] | None:
    """Return Meta Ads Manager's rows by their own "Reporting starts".."ends" period, or
    None when every row is one day (a daily export, read as usual)."""
    keys = [normalise(h) for h in raw.headers]
    starts = next((i for i, k in enumerate(keys) if k in _STARTS), None)
    ends = next((i for i, k in enumerate(keys) if k in _ENDS), None)
    if starts is None or ends is None:
        return None
    # A "Day" or "Date" column (a breakdown by day) dates the rows, whatever range the
    # Reporting columns repeat.
    roles = opts.roles(raw.headers)
    dated = [
        (r.priority, i)
        for i, r in enumerate(roles)
        if r is not None and r.kind in ("date", "week", "month")
    ]
    if min(dated)[1] != starts:
        return None
    frame, _ = _drop_total_rows(raw, display, warnings)
    frame = frame.filter(pl.col(col(starts)).is_not_null() & pl.col(col(ends)).is_not_null())
    options = DateOptions(opts.date_format, opts.timezone, year=opts.year)
    try:
        first = parse_dates(frame[col(starts)], options)["date"]
        last = parse_dates(frame[col(ends)], options)["date"]
    except CellError:
        return None  # read as usual, which names the bad cell
    if not frame.height or bool((first == last).all()):
        return None
    frame = frame.with_columns(_s=first, _e=last)
    spans: list[Span] = []
    for (start, end), part in frame.group_by(["_s", "_e"], maintain_order=True):
        if isinstance(start, date) and isinstance(end, date):
            table = _dated(raw, part.drop("_s", "_e"), start)
            # The made-up date column replaces "Reporting starts" (which would win).
            table.headers[starts] = ""
            spans.append(Span(table, start, end))
    return spans


TOTALS_KEY = ["start", "end", "channel", "competitor"]


def _who(row: dict[str, object]) -> str:
    who = f"channel {row['channel']}"
    return who + (f", competitor {row['competitor']}" if row["competitor"] else "")


def merge_totals(
    parts: list[tuple[str, pl.DataFrame]], daily: pl.DataFrame, order: list[str]
) -> tuple[pl.DataFrame, list[SitegenWarning]]:
    """Return the period-total rows of several files as one frame (start, end, channel,
    competitor, metrics) and the notes about values that the daily rows replace.

    parts are (file shown in messages, rows with date = the period's first day and end).
    The same total in two files is kept once; two different totals for one period, or for
    overlapping periods, of one channel and metric are refused naming both files. Where
    daily rows of the channel give the metric within the period, the daily rows win.
    """
    schema = {"start": pl.Date, "end": pl.Date, "channel": pl.Utf8, "competitor": pl.Utf8}
    frames = [
        f.rename({"date": "start"}).with_columns(_file=pl.lit(i, dtype=pl.Int32))
        for i, (_, f) in enumerate(parts)
        if f.height
    ]
    if not frames:
        present = [m for m in order if any(m in f.columns for _, f in parts)]
        return pl.DataFrame(schema=schema | dict.fromkeys(present, pl.Float64)), []
    frame = pl.concat(frames, how="diagonal_relaxed")
    metrics = [m for m in order if m in frame.columns]
    frame = frame.select(*TOTALS_KEY, *metrics, "_file", "_line").with_columns(
        *(pl.col(k).cast(t) for k, t in schema.items()),
        *(pl.col(m).cast(pl.Float64) for m in metrics),
    )
    rows = frame.sort("channel", "competitor", "start", "end", "_file").to_dicts()
    for m in metrics:
        given = [r for r in rows if r[m] is not None]
        for a, b in pairwise(given):
            if (a["channel"], a["competitor"]) != (b["channel"], b["competitor"]):
                continue
            same = (a["start"], a["end"]) == (b["start"], b["end"])
            if same and a[m] == b[m]:
                b[m] = None  # the same export twice: kept once
            elif b["start"] <= a["end"]:
                raise DataError(
                    f"two totals of {m} for {_who(a)} "
                    + ("differ" if same else "cover overlapping periods"),
                    file=parts[b["_file"]][0],
                    line=b["_line"],
                    expected="one total per channel, metric and period",
                    found=f"{a['start']}..{a['end']} in {parts[a['_file']][0]} ({a[m]:g}), "
                    f"{b['start']}..{b['end']} in {parts[b['_file']][0]} ({b[m]:g})",
                    hint="remove one of the files, or give them different channels",
                )
    notes: dict[tuple[int, str], tuple[date, date]] = {}
    for r in rows:
        wanted = [m for m in metrics if r[m] is not None and m in daily.columns]
        if not wanted:
            continue
        inside = daily.filter(
            (pl.col("channel") == r["channel"])
            & pl.col("competitor").eq_missing(r["competitor"])
            & pl.col("date").is_between(r["start"], r["end"])
        )
        if not inside.height:
            continue
        counts = inside.select(pl.col(m).count() for m in wanted).row(0, named=True)
        for m in wanted:
            if counts[m]:
                r[m] = None
                notes.setdefault((r["_file"], m), (r["start"], r["end"]))
    warnings = [
        SitegenWarning(
            f"the daily rows of the same channel give {m} for {start}..{end}; "
            "they are used instead of this file's total",
            file=parts[i][0],
            code="note",
        )
        for (i, m), (start, end) in notes.items()
    ]
    out = pl.DataFrame(rows, infer_schema_length=None).select(
        *(pl.col(k).cast(t) for k, t in schema.items()),
        *(pl.col(m).cast(pl.Float64) for m in metrics),
    )
    if metrics:
        out = out.filter(pl.any_horizontal(pl.col(m).is_not_null() for m in metrics))
    return out, warnings


def check_grand_total(
    rows: pl.DataFrame,
    grand: pl.DataFrame,
    count: int,
    kinds: dict[str, str],
    display: str,
    line: int,
) -> SitegenWarning | None:
    """Return a warning when the file's grand total row disagrees with the sum of its rows.

    Flows only (a stock or a mean does not add up); each row's cells may be rounded to the
    cent, so up to half a cent per row is no disagreement.
    """
    found = []
    for m in rows.columns:
        if kinds.get(m) != "flow" or m not in grand.columns or m == "posts":
            continue
        given = grand.get_column(m).sum() if grand.get_column(m).count() else None
        summed = rows.get_column(m).sum() if rows.get_column(m).count() else None
        if given is None or summed is None:
            continue
        if abs(float(given) - float(summed)) > 0.005 * count + 1e-9 * abs(float(given)):
            found.append(f"{m} {float(given):g} against {float(summed):g}")
    if not found:
        return None
    return SitegenWarning(
        "the total row disagrees with the sum of the rows: " + "; ".join(found[:3]),
        file=display,
        line=line,
        code="total_mismatch",
        hint="the rows are used; export the report again, or check for filtered rows",
    )
