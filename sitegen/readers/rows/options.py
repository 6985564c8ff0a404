"""What the reader needs from a project (ReadOptions) and what it gives per file (FileData)."""

from __future__ import annotations

import fnmatch
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from sitegen.config.limits import Limits
from sitegen.errors import SitegenWarning
from sitegen.readers.aliases import AliasTable, Role, normalise
from sitegen.readers.dateformats import DateOptions
from sitegen.readers.platforms import Meanings

_NUMBER = re.compile(r"[-+]?[0-9][0-9 .,]*%?")
GRAIN_RANK = {"day": 0, "week": 1, "month": 2}
GRAINS = ("day", "week", "month")
KEY = ["date", "channel", "competitor"]


@dataclass
class ReadOptions:
    """What the reader needs from the project: metric kinds, aliases, dates, [limits]."""

    metric_kinds: Mapping[str, str]
    columns: Mapping[str, str] | None
    date_format: str | None
    timezone: str | None
    table: AliasTable
    year: int | None = None  # the year of dates whose date_format has none
    limits: Limits = field(default_factory=Limits)
    # Per file, from [[data.files]] (or [data] for delimiter and encoding) or a recognised
    # platform export: the channel and platform the file stands for, how its text is split
    # and decoded, the period it totals.
    channel: str | None = None  # the file's channel when it has no channel column
    platform: str | None = None  # a forced platform id (skips recognition)
    delimiter: str | None = None
    encoding: str | None = None
    period: tuple[date, date] | None = None
    # What the recognised platform export's own column names mean (platforms.toml).
    meanings: Meanings | None = None
    month_first: bool = False  # the platform writes slashed dates month first (US order)

    def date_options(self, role: str) -> DateOptions:
        """Return how to read this file's date cells, for the date column's role."""
        return DateOptions(
            self.date_format,
            self.timezone,
            role=role,
            year=self.year,
            month_first=self.month_first,
        )

    def role(self, header: str, present: AbstractSet[str] = frozenset()) -> Role | None:
        """Return what a header means in this project (None when unknown)."""
        if self.meanings is not None:
            key = normalise(header)
            # The project's [data.columns] still beats the platform's meaning.
            if not (self.columns and any(normalise(c) == key for c in self.columns)):
                role = self.meanings.role(key, self.metric_kinds)
                if role is not None:
                    return role
        return self.table.lookup(
            header,
            metric_kinds=self.metric_kinds,
            columns=self.columns,
            present=present,
        )

    def roles(self, headers: Sequence[str]) -> list[Role | None]:
        """Return what each header of a header row means (None when unknown or empty)."""
        present = frozenset(normalise(h) for h in headers)
        return [self.role(h, present) if h else None for h in headers]

    def number_columns(self, headers: Sequence[str]) -> list[bool]:
        """Return, per header, whether its column is read as a metric's or a rate's numbers."""
        return [r is not None and r.kind in ("metric", "rate") for r in self.roles(headers)]

    def id_columns(self, headers: Sequence[str]) -> list[bool]:
        """Return, per header, whether its column holds post or record ids."""
        return [
            r is not None and r.kind == "id" and r.name in ("post", "record")
            for r in self.roles(headers)
        ]

    def score_row(self, cells: Sequence[str]) -> tuple[int, bool]:
        """Return (cells recognised, has a date column) for a candidate header row."""
        # Each distinct cell is looked up once, and numbers (a data row) not at all: the
        # header search scores hundreds of rows, thousands of cells wide in some exports.
        words = Counter(c for c in cells if c and not _NUMBER.fullmatch(c))
        present = frozenset(normalise(c) for c in words)
        roles = [(self.role(c, present), n) for c, n in words.items()]
        recognised = sum(n for r, n in roles if r is not None)
        has_date = any(r is not None and r.kind in ("date", "week", "month") for r, _ in roles)
        return recognised, has_date


@dataclass(frozen=True)
class FileRule:
    """One [[data.files]] entry: the files it matches (a glob in data/) and their settings."""

    match: str
    index: int  # its position among the entries, for messages (data.files[index])
    channel: str | None = None
    platform: str | None = None
    date_format: str | None = None
    delimiter: str | None = None
    encoding: str | None = None
    period: tuple[date, date] | None = None
    year: int | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    skip: bool = False

    def matches(self, name: str) -> bool:
        """Return True when a file name in data/ matches the glob (letter case ignored)."""
        return fnmatch.fnmatchcase(name.lower(), self.match.lower())


@dataclass
class FileData:
    """One file's rows: date, channel, competitor, metrics and _line (first source line)."""

    path: Path
    display: str
    frame: pl.DataFrame
    grains: dict[str, str]
    warnings: list[SitegenWarning] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    unit: str = "line"
    platform: str | None = None  # platform id, e.g. "facebook"
    account: str | None = None
    total_period: tuple[date, date] | None = None  # set for period-total files
    # (metric, rate header, base header) per metric estimated from a rate (clicks = CTR x
    # impressions): shown on the data page.
    estimates: list[tuple[str, str, str]] = field(default_factory=list)


def channel_of(path: Path) -> str:
    """Return the channel a file stands for when it has no channel column."""
    return " ".join(path.stem.strip().lower().split())
