"""Dates as exports write them, parsed per column with polars expressions.

Only the column's distinct values are parsed (a million post rows share a few hundred dates),
then joined back. Each value is matched against a list of shapes (ISO, 31.01.2025, 01/31/2025,
20250131, Jan 31, 2025, 31 января 2025, 2025-W05, 2025-01, Excel serials, ranges ...). The
day/month order of slashed dates is decided for the whole column: a day above 12 settles it;
otherwise ``[data] date_format`` must say.
"""

from __future__ import annotations

import polars as pl

from sitegen.readers.cells import CellError, show
from sitegen.readers.dateformats import (
    EXPECTED,
    ISO_FAST,
    MIDNIGHT,
    SERIAL,
    SHAPES,
    TIME_ONLY,
    DateOptions,
)
from sitegen.readers.datetext import parse_values


def parse_dates(raw: pl.Series, options: DateOptions) -> pl.DataFrame:
    """Return date (pl.Date), grain and timed per cell; CellError on a bad or ambiguous one.

    `timed` says the value carries a time of day (rows at different times of one day are
    different events); null cells give null dates.
    """
    if raw.dtype == pl.Date:
        out = pl.DataFrame({"date": raw}).with_columns(
            grain=pl.when(pl.col("date").is_not_null()).then(pl.lit("day")),
            timed=pl.lit(False),
        )
        return _apply_role(out, options.role)
    if isinstance(raw.dtype, pl.Datetime):
        return _apply_role(_from_datetimes(raw, options.timezone), options.role)
    if raw.dtype.is_numeric():
        return _apply_role(_from_serials(raw.cast(pl.Float64)), options.role)
    fast = iso_dates(raw.cast(pl.Utf8), options)
    if fast is not None:
        return with_grain(fast, options)
    text = raw.cast(pl.Utf8).str.strip_chars()
    # A time of day without a UTC offset does not change the date: parse the date part only
    # (a million post timestamps share a few hundred dates).
    base = text if options.date_format else text.str.replace(TIME_ONLY, "")
    frame = pl.DataFrame({"v": base, "full": text}).with_row_index("_pos")
    values = frame.filter(pl.col("v").is_not_null()).group_by("v").agg(pl.col("_pos").min())
    parsed = parse_values(values.sort("_pos"), options)
    out = frame.join(parsed, on="v", how="left", maintain_order="left").select(
        "date",
        "grain",
        timed=((pl.col("full") != pl.col("v")) & ~pl.col("full").str.contains(MIDNIGHT)).fill_null(
            False
        )
        | pl.col("timed").fill_null(False),
    )
    return _apply_role(out, options.role)


def iso_dates(raw: pl.Series, options: DateOptions) -> pl.DataFrame | None:
    """Return the date and timed columns of parse_dates for a text column of ISO dates
    (with or without a time of day); None for any other column (parse_dates says more).

    with_grain then gives parse_dates' frame (of these rows, or of some of them).
    """
    if raw.dtype != pl.String or options.date_format:
        return None
    return _iso_column(raw)


def with_grain(out: pl.DataFrame, options: DateOptions) -> pl.DataFrame:
    """Return iso_dates' date and timed columns as parse_dates gives them (grain added)."""
    day: pl.Expr = pl.when(pl.col("date").is_not_null()).then(pl.lit("day"))
    if not out["date"].null_count():
        day = pl.lit("day")  # one value, not a million copies
    return _apply_role(out.select("date", grain=day, timed="timed"), options.role)


def _iso_column(text: pl.Series) -> pl.DataFrame | None:
    """Return what the general parse gives for a column of ISO dates (with or without a time
    of day), or None when any cell has another shape or is not a real date.

    This is the shape of most exports and of every big one; it costs a regex check and one
    native date parse instead of parsing the distinct values and joining them back.
    """
    t = pl.col("t")
    size = t.str.len_bytes()
    out = pl.DataFrame({"t": text}).select(
        # One expression checks the shape and parses: a cell of another shape, or not a
        # real date (2025-02-30), is null here, and the general parse says which and why.
        date=pl.when(t.str.contains(ISO_FAST))
        .then(t.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False))
        .otherwise(None),
        # The general parse calls a time of day timed unless it is midnight.
        timed=(
            (size > 10)
            & ~(
                ((size == 16) & t.str.ends_with("00:00"))
                | ((size == 19) & t.str.ends_with("00:00:00"))
            )
        ).fill_null(False),
    )
    if out["date"].null_count() != text.null_count():
        return None
    return out


def _apply_role(out: pl.DataFrame, role: str) -> pl.DataFrame:
    # A "Week" or "Month" column holding plain dates: the rows stand for that week/month.
    if role == "week":
        return out.with_columns(
            grain=pl.when(pl.col("grain") == "day").then(pl.lit("week")).otherwise("grain")
        )
    if role == "month":
        return out.with_columns(
            date=pl.when(pl.col("grain") == "day")
            .then(pl.col("date").dt.month_start())
            .otherwise("date"),
            grain=pl.when(pl.col("grain") == "day").then(pl.lit("month")).otherwise("grain"),
        )
    return out


def _from_datetimes(raw: pl.Series, timezone: str | None) -> pl.DataFrame:
    dt = raw
    tz = getattr(raw.dtype, "time_zone", None)
    if tz is not None and timezone:
        dt = dt.dt.convert_time_zone(timezone)
    return pl.DataFrame({"t": dt}).select(
        date=pl.col("t").dt.date(),
        grain=pl.when(pl.col("t").is_not_null()).then(pl.lit("day")),
        timed=(pl.col("t").dt.time() != pl.time(0)).fill_null(False),
    )


def _from_serials(raw: pl.Series) -> pl.DataFrame:
    # Excel counts days from 1899-12-30 (the 1900 leap-year bug folded in).
    ok = raw.is_null() | ((raw >= 1) & (raw < 2958466))
    if not bool(ok.all()):
        row = int((~ok).arg_true()[0])
        raise CellError(row, "not a date", expected=EXPECTED, found=show(raw[row]))
    days = raw.floor().cast(pl.Int64)
    return pl.DataFrame({"n": days}).select(
        date=(pl.date(1899, 12, 30) + pl.duration(days=pl.col("n"))).cast(pl.Date),
        grain=pl.when(pl.col("n").is_not_null()).then(pl.lit("day")),
        timed=pl.lit(False),
    )


def date_share(raw: pl.Series) -> float:
    """Return the share of a column's non-empty cells that look like dates (for picking one)."""
    if raw.dtype == pl.Date or isinstance(raw.dtype, pl.Datetime):
        return 1.0
    values = raw.drop_nulls()
    if raw.dtype.is_numeric():
        values = values.cast(pl.Float64)
        return _mean((values >= 20000) & (values < 80000))
    low = values.cast(pl.Utf8).str.strip_chars().str.to_lowercase()
    low = low.filter(low != "")
    if not len(low):
        return 0.0
    # For a range, the part before the dash must be a date by itself.
    left = low.str.replace(r"\s+[-–—]\s+.*$|\s*[–—]\s*.*$|-\d{1,2}\.\d{1,2}\.\d{2,4}$", "")
    hit = left.str.contains(SERIAL)
    for _, _, pattern in SHAPES:
        hit = hit | left.str.contains(pattern)
    return _mean(hit)


def _mean(mask: pl.Series) -> float:
    share = mask.mean()
    return float(share) if isinstance(share, int | float) else 0.0
