"""Several files, one frame: the files' rows merged, and what each file was read as.

A channel's exports often overlap: monthly files whose ranges share a day, the same page
exported twice, one file per metric. Values for the same (date, channel, competitor,
metric) from several files are kept once when they agree and refused, naming both files,
when they disagree; a stock (followers) is never summed over files.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from sitegen.errors import ConfigError, DataError
from sitegen.readers.rows import KEY, FileData, FileRule

# Two files agree on a value when they differ by at most this share of it (float noise of
# rates turned into counts, or of a workbook's stored doubles).
RELATIVE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class FileSummary:
    """What one data file was read as: platform, channels, dates, metrics (or skipped)."""

    file: str  # as the user sees it: data/name.csv
    platform: str | None = None
    channels: tuple[str, ...] = ()
    first: date | None = None
    last: date | None = None
    total_period: tuple[date, date] | None = None  # a file of totals for one period
    metrics: tuple[str, ...] = ()
    ignored: int = 0  # columns read as nothing (unknown to sitegen)
    rows: int = 0
    skipped: bool = False  # [[data.files]] skip = true
    competitors: tuple[str, ...] = field(default_factory=tuple)
    # (metric, rate header, base header) per metric estimated from a rate
    estimates: tuple[tuple[str, str, str], ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Return the summary as JSON-ready data (kept in the build's manifest)."""
        return {
            "file": self.file,
            "platform": self.platform,
            "channels": list(self.channels),
            "competitors": list(self.competitors),
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "total_period": [d.isoformat() for d in self.total_period]
            if self.total_period
            else None,
            "metrics": list(self.metrics),
            "ignored": self.ignored,
            "rows": self.rows,
            "skipped": self.skipped,
            "estimates": [list(e) for e in self.estimates],
        }


def summarise_file(part: FileData) -> FileSummary:
    """Return what a read file holds: its channels, first and last date, metrics."""
    frame = part.frame
    # A period-total file has start and end columns instead of a date (rows/totals.py).
    skip = {*KEY, "start", "end"}
    metrics = [c for c in frame.columns if c not in skip and not c.startswith("_")]
    dated = "date" in frame.columns
    first = last = None
    channels: list[str] = []
    competitors: list[str] = []
    present: list[str] = []
    if frame.height:
        stats = frame.select(
            *(
                (pl.col("date").min().alias("_first"), pl.col("date").max().alias("_last"))
                if dated
                else ()
            ),
            *(pl.col(m).count().alias(m) for m in metrics),
        ).row(0, named=True)
        first, last = stats.get("_first"), stats.get("_last")
        present = [m for m in metrics if stats[m]]
        channels = sorted(str(c) for c in frame.get_column("channel").unique().drop_nulls())
        competitors = sorted(str(c) for c in frame.get_column("competitor").unique().drop_nulls())
    return FileSummary(
        file=part.display,
        platform=part.platform,
        channels=tuple(channels),
        competitors=tuple(competitors),
        first=first,
        last=last,
        total_period=part.total_period,
        metrics=tuple(present),
        ignored=len(part.unknown_columns),
        rows=frame.height,
        estimates=tuple(part.estimates),
    )


def rule_for(name: str, rules: tuple[FileRule, ...]) -> FileRule | None:
    """Return the first [[data.files]] entry whose glob matches a file name, or None."""
    return next((r for r in rules if r.matches(name)), None)


def check_rules_used(rules: tuple[FileRule, ...], names: list[str]) -> None:
    """Raise a ConfigError for the first [[data.files]] entry that matches no file in data/."""
    for rule in rules:
        # A file in a folder of data/ matches by its path there or by its name alone.
        if any(rule.matches(n) or rule.matches(n.rsplit("/", 1)[-1]) for n in names):
            continue
        close = next(iter(difflib.get_close_matches(rule.match, names, n=1)), None)
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        raise ConfigError(
            "no file in data/ matches this [[data.files]] entry",
            file="sitegen.toml",
            key=f"data.files[{rule.index}].match",
            expected="a file name or glob (*, ?) of a file in data/",
            found=f"{rule.match!r}; data/ holds {shown or 'no files'}",
            hint=f"did you mean {close!r}?" if close else "check the name, or remove the entry",
        )


def merge(parts: list[FileData], order: list[str]) -> pl.DataFrame:
    """Return the files' rows as one frame, one row per (date, channel, competitor).

    A metric given by several files for one key is kept once when the values agree (to
    RELATIVE_TOLERANCE); when they disagree, a DataError names both files and values.
    """
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
            _check_agree(shared, m, parts)
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


def _differ(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    return (a - b).abs() > RELATIVE_TOLERANCE * pl.max_horizontal(a.abs(), b.abs())


def _check_agree(shared: pl.DataFrame, metric: str, parts: list[FileData]) -> None:
    """Raise a DataError when two files give different values of metric for one key."""
    given = shared.filter(pl.col(metric).is_not_null())
    spread = given.group_by(KEY).agg(
        lo=pl.col(metric).cast(pl.Float64).min(), hi=pl.col(metric).cast(pl.Float64).max()
    )
    bad = spread.filter(_differ(pl.col("hi"), pl.col("lo")))
    if not bad.height:
        return
    first = bad.sort(["channel", "competitor", "date"], nulls_last=False).row(0, named=True)
    rows = given.filter(
        (pl.col("date") == first["date"])
        & (pl.col("channel") == first["channel"])
        & pl.col("competitor").eq_missing(first["competitor"])
    ).sort("_file", "_line")
    a = rows.row(0, named=True)
    b = next(
        r
        for r in rows.iter_rows(named=True)
        if abs(float(r[metric]) - float(a[metric]))
        > RELATIVE_TOLERANCE * max(abs(float(r[metric])), abs(float(a[metric])))
    )
    pa, pb = parts[a["_file"]], parts[b["_file"]]
    who = f"channel {first['channel']}" + (
        f", competitor {first['competitor']}" if first["competitor"] else ""
    )
    raise DataError(
        f"two files give different {metric} for {first['date']} ({who})",
        file=pb.display,
        line=b["_line"],
        expected=f"the same {metric} in every file that gives it",
        found=f"{_number(a[metric])} in {pa.display}:{a['_line']} and "
        f"{_number(b[metric])} in {pb.display}:{b['_line']}",
        hint="keep the newer export and remove the other (or skip it with [[data.files]] "
        "skip = true), or give the files different channels ([[data.files]] channel)",
    )


def _number(value: object) -> str:
    """Return a value as the file would show it: 120, not 120.0."""
    if isinstance(value, float) and value.is_integer():
        return f"{value:.0f}"
    return f"{value}"
