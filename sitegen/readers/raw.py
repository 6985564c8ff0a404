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


def align_chunks(frame: pl.DataFrame) -> pl.DataFrame:
    """Return frame with every column cut into the chunks of its most-chunked column.

    polars reads a CSV into many chunks (one per thread's part), and keeps them through
    element-wise work; a column of one chunk among them (a hash, a computed line number)
    makes every later select or filter of the frame copy all its columns into one chunk
    first. Cutting that column into the same chunks takes zero-copy slices.
    """
    if not frame.width or not frame.height:
        return frame
    counts = {name: frame.get_column(name).n_chunks() for name in frame.columns}
    model = max(counts, key=lambda name: counts[name])
    if counts[model] < 2 or all(n == counts[model] for n in counts.values()):
        return frame
    lengths = [chunk.len() for chunk in frame.get_column(model).get_chunks()]
    fixed = []
    for name, n in counts.items():
        if n == 1:
            series, parts, offset = frame.get_column(name), [], 0
            for length in lengths:
                parts.append(series.slice(offset, length))
                offset += length
            fixed.append(pl.concat(parts, rechunk=False))
    return frame.with_columns(fixed) if fixed else frame
