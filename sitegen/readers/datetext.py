"""Text date cells -> dates: the distinct values of a column matched against the shapes.

Ranges take their first day; the day/month order of slashed dates is decided for the whole
column (a day above 12 settles it, else ``[data] date_format`` must say); a UTC offset moves
a timestamp to the project's time zone.
"""

from __future__ import annotations

import polars as pl

from sitegen.readers.cells import CellError, show
from sitegen.readers.dateformats import (
    DATE_FORMAT_HINT,
    EXPECTED,
    GROUPS,
    MONTHS,
    RANGES,
    SERIAL,
    SHAPES,
    YEAR_HINT,
    DateOptions,
    has_year,
)


def _extract(values: pl.Series, pattern: str) -> pl.DataFrame:
    groups = values.str.extract_groups(pattern).struct.unnest()
    return groups.with_columns(
        [pl.lit(None, dtype=pl.Utf8).alias(g) for g in GROUPS if g not in groups.columns]
    ).select(GROUPS)


def _with_year(values: pl.DataFrame, fmt: str, year: int | None) -> tuple[pl.Series, str]:
    """Return the values with the year appended, and the pattern for them; CellError when
    the pattern matches values and no year is known."""
    v = values["v"]
    if year is None:
        # 2000 is a leap year: 29 February matches too.
        probe = (v + " 2000").str.to_date(fmt + " %Y", strict=False)
        if bool(probe.is_not_null().any()):
            row = int(probe.is_not_null().arg_true()[0])
            raise CellError(
                int(values["_pos"][row]),
                f"dates without a year (date_format {fmt!r})",
                expected="the year of these dates: [data] year, or a [period] within one year",
                found=show(v[row]),
                hint=YEAR_HINT,
            )
    return v + f" {year or 2000}", fmt + " %Y"


def parse_values(values: pl.DataFrame, options: DateOptions) -> pl.DataFrame:
    """Parse distinct values (columns v, _pos); return v, date, grain, timed."""
    v = values["v"]
    low = v.str.to_lowercase()
    pieces: list[pl.DataFrame] = []
    left = pl.Series("mask", [True] * len(v), dtype=pl.Boolean)
    if options.date_format:
        fmt = options.date_format
        source = v
        if not has_year(fmt):
            source, fmt = _with_year(values, fmt, options.year)
        has_time = any(code in fmt for code in ("%H", "%I", "%M", "%S", "%z", "%T", "%R"))
        if has_time:
            dt = source.str.to_datetime(fmt, strict=False)
            if dt.dtype.time_zone is not None and options.timezone:  # type: ignore[attr-defined]
                dt = dt.dt.convert_time_zone(options.timezone)
            got = dt.dt.date()
        else:
            got = source.str.to_date(fmt, strict=False)
        hit = got.is_not_null()
        if bool(hit.any()):
            pieces.append(
                pl.DataFrame(
                    {
                        "v": v.filter(hit),
                        "date": got.filter(hit),
                        "grain": pl.Series(["day"] * int(hit.sum()), dtype=pl.Utf8),
                        "timed": pl.Series([has_time] * int(hit.sum()), dtype=pl.Boolean),
                        "_pos": values["_pos"].filter(hit),
                    }
                )
            )
        left = ~hit
    rest = values.filter(left).with_columns(low=low.filter(left))
    ranges = _parse_ranges(rest, options)
    if ranges is not None:
        pieces.append(ranges[0])
        rest = ranges[1]
    if rest.height:
        pieces.append(_parse_single(rest, options))
    if not pieces:
        return pl.DataFrame(
            schema={"v": pl.Utf8, "date": pl.Date, "grain": pl.Utf8, "timed": pl.Boolean}
        )
    return pl.concat([p.select("v", "date", "grain", "timed") for p in pieces])


def _parse_ranges(
    rest: pl.DataFrame, options: DateOptions
) -> tuple[pl.DataFrame, pl.DataFrame] | None:
    """Parse 'start - end' values; return (parsed, remaining) or None when there are none."""
    low = rest["low"]
    is_range = pl.Series([False] * rest.height, dtype=pl.Boolean)
    lefts = pl.Series([None] * rest.height, dtype=pl.Utf8)
    rights = pl.Series([None] * rest.height, dtype=pl.Utf8)
    for pattern in RANGES:
        groups = low.str.extract_groups(pattern).struct.unnest()
        hit = groups["l"].is_not_null() & ~is_range
        # An ISO date's own dashes are not a range: both sides must be dates by themselves.
        lefts = pl.select(
            pl.when(pl.lit(hit)).then(pl.lit(groups["l"])).otherwise(pl.lit(lefts))
        ).to_series()
        rights = pl.select(
            pl.when(pl.lit(hit)).then(pl.lit(groups["r"])).otherwise(pl.lit(rights))
        ).to_series()
        is_range = is_range | hit
    if not bool(is_range.any()):
        return None
    cand = rest.with_columns(l=lefts, r=rights).filter(pl.lit(is_range))
    single = DateOptions(
        options.date_format, options.timezone, year=options.year, month_first=options.month_first
    )
    try:
        start = _parse_single(
            cand.select(pl.col("l").alias("v"), pl.col("l").alias("low"), "_pos"),
            single,
            check=False,
        )
        end = _parse_single(
            cand.select(pl.col("r").alias("v"), pl.col("r").alias("low"), "_pos"),
            single,
            check=False,
        )
    except CellError:
        return None
    ok = start["date"].is_not_null() & end["date"].is_not_null()
    if not bool(ok.any()):
        return None
    s_date = start["date"].filter(ok)
    e_date = end["date"].filter(ok)
    days = (e_date - s_date).dt.total_days()
    month_end = s_date.dt.month_end()
    grain = pl.select(
        pl.when(pl.lit(days) == 0)
        .then(pl.lit("day"))
        .when(pl.lit(days) == 6)
        .then(pl.lit("week"))
        .when((pl.lit(s_date).dt.day() == 1) & (pl.lit(e_date) == pl.lit(month_end)))
        .then(pl.lit("month"))
        .otherwise(pl.lit(None, dtype=pl.Utf8))
    ).to_series()
    matched = cand.filter(pl.lit(ok))
    if grain.null_count():
        row = int(grain.is_null().arg_true()[0])
        raise CellError(
            int(matched["_pos"][row]),
            "a date range that is not a day, a week or a calendar month",
            expected="one day, seven days (a week) or a whole month",
            found=f"{show(matched['v'][row])} ({int(days[row]) + 1} days)",
            hint="export the data by day, week or month",
        )
    parsed = pl.DataFrame(
        {
            "v": matched["v"],
            "date": s_date,
            "grain": grain,
            "timed": pl.Series([False] * matched.height, dtype=pl.Boolean),
            "_pos": matched["_pos"],
        }
    )
    done = rest["_pos"].is_in(matched["_pos"])
    return parsed, rest.filter(~done)


def _parse_single(rest: pl.DataFrame, options: DateOptions, check: bool = True) -> pl.DataFrame:
    """Parse single dates (columns v, low, _pos); CellError on the first bad value."""
    n = rest.height
    all_serial = n > 0 and bool(rest["low"].str.contains(SERIAL).all())
    shapes = (("serial", "day", SERIAL),) if all_serial else SHAPES
    pieces: list[pl.DataFrame] = []
    remaining = rest.select("v", "low", "_pos")
    for name, shape_grain, pattern in shapes:
        if not remaining.height:
            break
        hit = remaining["low"].str.contains(pattern)
        if not bool(hit.any()):
            continue
        sub = remaining.filter(hit)
        pieces.append(
            pl.concat([sub, _extract(sub["low"], pattern)], how="horizontal").with_columns(
                shape=pl.lit(name), grain=pl.lit(shape_grain)
            )
        )
        remaining = remaining.filter(~hit)
    if remaining.height:
        if check:
            raise CellError(
                int(remaining["_pos"][0]),
                "not a date",
                expected=EXPECTED,
                found=show(remaining["v"][0]),
                hint="if the dates are in an unusual format, set [data] date_format in "
                "sitegen.toml",
            )
        nulls = {g: pl.lit(None, dtype=pl.Utf8) for g in (*GROUPS, "shape", "grain")}
        pieces.append(remaining.with_columns(**nulls))
    frame = pl.concat(pieces, how="vertical_relaxed").sort("_pos")
    frame = _order_slashes(frame, options, check)
    return _to_dates(frame, options)


def _order_slashes(frame: pl.DataFrame, options: DateOptions, check: bool) -> pl.DataFrame:
    """Decide DD/MM or MM/DD for the whole column and fill m and d of slashed dates."""
    slashed = frame.filter(pl.col("shape") == "slash")
    if not slashed.height:
        return frame
    a = slashed["a"].cast(pl.Int32)
    b = slashed["b"].cast(pl.Int32)
    day_first = bool((a > 12).any())
    month_first = bool((b > 12).any())
    if day_first and month_first:
        row = int(slashed["_pos"][int((b > 12).arg_true()[0])])
        other = int(slashed["_pos"][int((a > 12).arg_true()[0])])
        raise CellError(
            row,
            "dates in this column are written in two orders",
            expected="all dates day first (31/01/2025) or all month first (01/31/2025)",
            found=f"{show(frame.filter(pl.col('_pos') == row)['v'][0])} after a day-first date",
            hint="export the file again; the column mixes date formats",
            other_row=other,
        )
    if not day_first and not month_first:
        fmt = options.date_format or ""
        if "%d" in fmt and "%m" in fmt:
            day_first = fmt.index("%d") < fmt.index("%m")
        elif options.month_first:
            day_first = False
        elif check:
            row = int(slashed["_pos"][0])
            raise CellError(
                row,
                "ambiguous dates: no day above 12 tells DD/MM from MM/DD",
                expected="a day above 12 somewhere in the column, or [data] date_format",
                found=f"{show(slashed['v'][0])} and {slashed.height - 1} more like it",
                hint=DATE_FORMAT_HINT,
            )
        else:
            day_first = True
    first, second = ("a", "b") if day_first else ("b", "a")
    return frame.with_columns(
        d=pl.when(pl.col("shape") == "slash").then(pl.col(first)).otherwise("d"),
        m=pl.when(pl.col("shape") == "slash").then(pl.col(second)).otherwise("m"),
    )


def _to_dates(frame: pl.DataFrame, options: DateOptions) -> pl.DataFrame:
    year = pl.col("y").cast(pl.Int32)
    year = pl.when(year < 70).then(year + 2000).when(year < 100).then(year + 1900).otherwise(year)
    month = pl.coalesce(
        pl.col("m").cast(pl.Int32),
        pl.col("mon").str.slice(0, 3).replace_strict(MONTHS, default=None, return_dtype=pl.Int32),
    )
    day = pl.when(pl.col("grain") == "month").then(1).otherwise(pl.col("d").cast(pl.Int32))
    iso = pl.format("{}-{}-{}", year, month, day)
    week = pl.format("{}-W{}-1", year, pl.col("w").str.zfill(2))
    serial = (pl.date(1899, 12, 30) + pl.duration(days=pl.col("n").cast(pl.Int64))).cast(pl.Date)
    date = (
        pl.when(pl.col("shape") == "serial")
        .then(serial)
        .when(pl.col("shape") == "week")
        .then(week.str.to_date("%G-W%V-%u", strict=False))
        .otherwise(iso.str.to_date("%Y-%m-%d", strict=False))
    )
    out = frame.with_columns(date=date)
    bad = out["date"].is_null() & out["shape"].is_not_null()
    if bool(bad.any()):
        row = int(bad.arg_true()[0])
        raise CellError(
            int(out["_pos"][row]),
            "not a real date",
            expected=EXPECTED,
            found=show(out["v"][row]),
        )
    midnight = (
        (pl.col("hh").cast(pl.Int32) % 12 == 0)
        & (pl.col("mi") == "00")
        & (pl.col("ss").is_null() | (pl.col("ss") == "00"))
        & (
            (pl.col("hh").cast(pl.Int32) == 0)
            | pl.col("ampm").str.starts_with("a").fill_null(False)
        )
    )
    out = out.with_columns(timed=(pl.col("hh").is_not_null() & ~midnight).fill_null(False))
    if options.timezone and bool(out["tz"].is_not_null().any()):
        out = _shift_to_timezone(out, options.timezone)
    return out.select("v", "date", "grain", "timed", "_pos")


def _shift_to_timezone(out: pl.DataFrame, timezone: str) -> pl.DataFrame:
    """Move values that carry a UTC offset to the project's time zone, keeping their date."""
    hour = pl.col("hh").cast(pl.Int32)
    ampm = pl.col("ampm").str.slice(0, 1)
    hour = (
        pl.when(ampm == "p").then(hour % 12 + 12).when(ampm == "a").then(hour % 12).otherwise(hour)
    )
    tz = pl.col("tz").str.replace(":", "", literal=True)
    tz = (
        pl.when(tz.is_in(["z", "utc", "gmt"]))
        .then(pl.lit("+0000"))
        .when(tz.str.len_chars() == 3)
        .then(tz + "00")
        .otherwise(tz)
    )
    stamp = pl.format(
        "{} {}:{}:{}{}",
        pl.col("date").cast(pl.Utf8),
        hour.cast(pl.Utf8).str.zfill(2),
        pl.col("mi"),
        pl.col("ss").fill_null("00"),
        tz,
    )
    local = (
        stamp.str.to_datetime("%Y-%m-%d %H:%M:%S%z", strict=False, time_zone="UTC")
        .dt.convert_time_zone(timezone)
        .dt.date()
    )
    return out.with_columns(
        date=pl.when(pl.col("tz").is_not_null() & local.is_not_null()).then(local).otherwise("date")
    )
