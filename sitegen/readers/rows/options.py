"""What the reader needs from a project (ReadOptions) and what it gives per file (FileData)."""

from __future__ import annotations

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
    channel: str | None = None
    platform: str | None = None
    delimiter: str | None = None
    encoding: str | None = None
    period: tuple[date, date] | None = None

    def role(self, header: str, present: AbstractSet[str] = frozenset()) -> Role | None:
        """Return what a header means in this project (None when unknown)."""
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
    platform: str | None = None
    account: str | None = None
    total_period: tuple[date, date] | None = None


def channel_of(path: Path) -> str:
    """Return the channel a file stands for when it has no channel column."""
    return " ".join(path.stem.strip().lower().split())
