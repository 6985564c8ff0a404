"""A file's table before typing (RawTable) and the names of its columns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import polars as pl

ScoreRow = Callable[[Sequence[str]], tuple[int, bool]]


@dataclass
class RawTable:
    """A file's table before typing: columns c0..cN-1 plus _line, and the header texts."""

    headers: list[str]
    frame: pl.DataFrame
    header_line: int | None
    unit: str = "line"  # what `_line` counts: line (text), row (sheet, parquet), record (JSON)
    title: list[str] = field(default_factory=list)
    delimiter: str | None = None
    encoding: str | None = None
    sheet: str | None = None


MORE = "_more"  # the cell after the header's last column, when a row has one


def col(i: int) -> str:
    """Return the frame's name for the file's column i (0-based)."""
    return f"c{i}"


def exact(name: str) -> str:
    """Return the frame's name for the numbers stored as numbers in a mixed column."""
    return f"{name}#num"
