"""Reading each file format into a RawTable: the header, the cells, and each row's line.

Delimited text goes through polars' native CSV reader (every column as text) after sniffing
on a sample; workbooks through python-calamine; JSON through the json module; Parquet through
polars. Cells keep their types where the format has them (numbers and dates in XLSX, JSON
and Parquet); the typing of text cells happens later, column by column.
"""

from __future__ import annotations

import codecs
import csv
import io
import mmap
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from sitegen.config.limits import DEFAULT_LIMITS, Limits, hint, setting
from sitegen.errors import DataError
from sitegen.readers import limits, sniff
from sitegen.readers.documents import read_json, read_parquet, read_workbook
from sitegen.readers.mapped import Bytes, Mapped
from sitegen.readers.raw import MORE, RawTable, ScoreRow, align_chunks, col

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
PARQUET_SUFFIXES = (".parquet",)
SUFFIXES = TEXT_SUFFIXES + WORKBOOK_SUFFIXES + JSON_SUFFIXES + PARQUET_SUFFIXES

NumberColumns = Callable[[Sequence[str]], list[bool]]
# A cell polars reads as the same whole number as the text reader does (see _int_columns).
_INT_CELL = r"[+-]?[0-9]{1,18}"
_INT_CELLS = re.compile(rf"{_INT_CELL}(?:\x00{_INT_CELL})*")
_ID_CELL = r"[1-9][0-9]{0,17}"  # an id polars reads back as the same text
_ID_CELLS = re.compile(rf"{_ID_CELL}(?:\x00{_ID_CELL})*")


def read_raw(
    path: Path,
    display: str,
    score_row: ScoreRow,
    numbers: NumberColumns | None = None,
    budgets: Limits = DEFAULT_LIMITS,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    ids: NumberColumns | None = None,
) -> RawTable:
    """Read one data file into a RawTable; DataError when it cannot be read.

    `numbers` says which header's column holds numbers (metrics and rates): in delimited
    text, those whose cells are all whole numbers are read as Int64 rather than as text.
    `ids` says which holds post or record ids: those whose cells are all plain whole numbers
    (no sign, no leading zero) are read as Int64 too. `delimiter` and `encoding` (the
    settings) replace the guesses for delimited text.
    """
    size = check_size(path, display, budgets)
    if size == 0:
        raise DataError(
            "the file is empty",
            file=display,
            line=1,
            expected="a header row and data rows",
            found="0 bytes",
        )
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        limits.check_workbook(path, display, budgets)
        return read_workbook(path, display, score_row, budgets.max_columns)
    if suffix in JSON_SUFFIXES:
        return read_json(path, display, budgets.max_columns)
    if suffix in PARQUET_SUFFIXES:
        limits.check_parquet(path, display, budgets)
        return read_parquet(path, display)
    text = _Text(path, display, suffix, score_row, numbers, budgets.max_columns, delimiter, ids)
    return _read_delimited(text, encoding)


def check_size(path: Path, display: str, budgets: Limits = DEFAULT_LIMITS) -> int:
    """Return the file's size; DataError when it is over [limits] max_file_bytes."""
    size = path.stat().st_size
    if size > budgets.max_file_bytes:
        raise DataError(
            "the file is too big",
            file=display,
            expected=f"at most {budgets.max_file_bytes:,} bytes ({setting('max_file_bytes')})",
            found=f"{size:,} bytes",
            hint="export a shorter period, or aggregate the rows by day first; or "
            + hint("max_file_bytes"),
        )
    return size


def int_columns(layout: sniff.Layout, numbers: NumberColumns | None) -> list[int]:
    """Public name of _int_columns (the batched reader types the same columns)."""
    return _int_columns(layout, numbers)


def _int_columns(
    layout: sniff.Layout, numbers: NumberColumns | None, ids: NumberColumns | None = None
) -> list[int]:
    """Return the number and id columns whose cells in the sample are all whole numbers or
    empty (an id's without sign or leading zero: "007" is no 7).

    polars reads such a column as Int64 in one pass, with the values the text path would
    give (it also takes leading spaces, and reads blank cells as null, as the text path
    does); any other cell further down makes the read fail, and the file is read as text.
    An id column read so is one pass less over text (line breaks, total labels) and is
    proved distinct by its numbers at once (rows/combine.py).
    """
    if numbers is None or not layout.sample:
        return []
    width = len(layout.header)
    is_number = numbers(layout.header)
    is_id = ids(layout.header) if ids is not None else [False] * width
    out = []
    for i in range(width):
        pattern = _INT_CELLS if is_number[i] else _ID_CELLS if is_id[i] else None
        if pattern is None:
            continue
        cells = [row[i] for row in layout.sample if i < len(row) and row[i]]
        # One match over the column's cells, joined by a NUL (no text file has one).
        if cells and pattern.fullmatch("\x00".join(cells)):
            out.append(i)
    return out


@dataclass(frozen=True)
class _Text:
    """A delimited file to read, and what its sniffing needs to know."""

    path: Path
    display: str
    suffix: str
    score_row: ScoreRow
    numbers: NumberColumns | None
    max_columns: int
    delimiter: str | None  # the setting, else guessed
    ids: NumberColumns | None = None

    def layout(self, data: Bytes) -> sniff.Layout:
        """Return the file's layout (line lengths checked first)."""
        sniff.check_line_lengths(data, self.display)
        return sniff.find_layout(
            data,
            self.display,
            self.suffix,
            self.score_row,
            max_columns=self.max_columns,
            delimiter=self.delimiter,
        )


def _read_delimited(file: _Text, given_encoding: str | None) -> RawTable:
    if given_encoding is None or codecs.lookup(given_encoding).name in ("utf-8", "utf-8-sig"):
        mapped = _read_mapped(file)
        if mapped is not None:
            return mapped
    path, display = file.path, file.display
    text = sniff.to_utf8(path.read_bytes(), display, given_encoding)
    data = text.data
    layout = file.layout(data)
    width = len(layout.header)
    names = [col(i) for i in range(width)]
    ints = _int_columns(layout, file.numbers, file.ids)
    end = layout.body_end if layout.body_end is not None else len(data)
    # Only a quoted cell can hold a line break: without quotes, rows and lines agree. As
    # many rows as lines means none holds one either.
    quoted = data.find(b'"', layout.body_offset, end) >= 0
    body_lines = _count_lines(data, layout.body_offset, end)
    source: Path | bytes = path
    if not text.as_in_file or layout.body_end is not None:
        source = data[layout.body_offset : end]
    encoding = text.encoding
    # Nothing of the file stays in Python memory while polars reads: from the file itself
    # (memory-mapped) when its bytes are UTF-8 as they are, else from the transcoded body.
    del data, text
    try:
        frame = polars_read(source, layout, ints, width)
    except pl.exceptions.PolarsError:
        # polars is strict about quotes in the middle of a cell; the csv module is not.
        if isinstance(source, Path):
            body = sniff.to_utf8(path.read_bytes(), display, given_encoding).data
            body = body[layout.body_offset : end]
        else:
            body = source
        frame = _read_with_csv_module(body, layout, [*names, MORE], display)
    frame = with_lines(frame, layout.body_line, quoted and frame.height != body_lines)
    return RawTable(
        headers=layout.header,
        frame=frame,
        header_line=layout.header_line,
        title=layout.title,
        delimiter=layout.delimiter,
        encoding=encoding,
    )


def _read_mapped(file: _Text) -> RawTable | None:
    """Read a UTF-8 file where it lies: sniffed memory-mapped, then read by polars from the
    file; None when it needs the whole-bytes path (another encoding, a trailing '#' section,
    odd line ends, or a body polars refuses, such as bytes that are not UTF-8).

    A big export is not copied into Python's memory: the copy and its scans cost about a
    third of polars' read of the file. polars checks the UTF-8 of every cell it reads.
    """
    with file.path.open("rb") as fh:
        if os.fstat(fh.fileno()).st_size == 0:
            return None
        try:
            mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            return None  # a file system that cannot map files: the whole read reads it
        with mm:
            bom = 3 if mm[:3] == b"\xef\xbb\xbf" else 0
            data = Mapped(mm, bom)
            head = sniff.sample_of(data)  # what the sniffing reads
            if (
                head.startswith((b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04"))
                or mm[-1:] == b"\x1a"
                or data.find(b"\n", 0, sniff.SAMPLE_BYTES) < 0
                or mm.find(b"\x00") >= 0
            ):
                return None
            if not head.isascii():
                try:
                    # A character cut at the head's end is fine: polars checks the rest.
                    codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
                except UnicodeDecodeError:
                    return None
            del head
            layout = file.layout(data)
            if layout.body_end is not None:
                return None
            # Only a quoted cell can hold a line break: without quotes, rows and lines agree.
            quoted = data.find(b'"', layout.body_offset) >= 0
            ints = _int_columns(layout, file.numbers, file.ids)
            body_lines = None
            if quoted and len(layout.header) - len(ints) > _FEW_TEXT_COLUMNS:
                # Counting lines beats looking for line breaks in thousands of columns.
                body_lines = _count_lines(data, layout.body_offset)
            del data
    try:
        frame = polars_read(file.path, layout, ints, len(layout.header))
    except pl.exceptions.PolarsError:
        return None
    if body_lines is not None and frame.height == body_lines:
        quoted = False  # as many rows as lines: no cell holds a line break
    return RawTable(
        headers=layout.header,
        frame=with_lines(frame, layout.body_line, quoted),
        header_line=layout.header_line,
        title=layout.title,
        delimiter=layout.delimiter,
        encoding="utf-8-sig" if bom else "utf-8",
    )


_FEW_TEXT_COLUMNS = 8
_COUNT_STEP = 16 * 1024**2


def _count_lines(data: Bytes, start: int, end: int | None = None) -> int:
    """Return the physical lines from `start` to `end` (a last line without a newline too)."""
    end = len(data) if end is None else end
    lines = 0
    for lo in range(start, end, _COUNT_STEP):
        # A mapped file copies one step at a time (Mapped.count).
        lines += data.count(b"\n", lo, min(lo + _COUNT_STEP, end))
    return lines + int(end > start and data[end - 1 : end] != b"\n")


def with_lines(frame: pl.DataFrame, first: int, quoted: bool) -> pl.DataFrame:
    """Add each row's physical line (rows start on line `first`) and _ragged; drop _more."""
    schema = frame.schema  # once: each .schema builds a Schema of every column
    # A row with cells past the header's width is ragged; most files have none, and the
    # column's null count is known without a pass over it.
    more = frame.get_column(MORE)
    empty = more.null_count() == frame.height
    ragged: pl.Expr | pl.Series = (
        pl.lit(False) if empty else more.str.contains(r"\S").fill_null(False)
    )
    # A quoted cell past the header's width may hold line breaks too.
    texts = [n for n in frame.columns if schema[n] == pl.String and not (empty and n == MORE)]
    lines = _lines(frame, texts, first, quoted)
    return align_chunks(frame.drop(MORE).with_columns(_line=lines, _ragged=ragged))


def polars_read(
    source: Path | bytes, layout: sniff.Layout, ints: list[int], width: int
) -> pl.DataFrame:
    """Read delimited bytes as _read_delimited does (PolarsError when polars cannot)."""
    # One column more than the header catches rows with too many cells (an unquoted
    # delimiter shifts the cells after it); beyond that, cells are cut off.
    names = [col(i) for i in range(width)]
    schema: dict[str, pl.DataType] = dict.fromkeys([*names, MORE], pl.String())
    typed = schema | {names[i]: pl.Int64() for i in ints}
    try:
        return _polars_read(source, layout, typed)
    except pl.exceptions.PolarsError:
        if typed == schema:
            raise
        return _polars_read(source, layout, schema)


def _polars_read(
    source: Path | bytes, layout: sniff.Layout, schema: dict[str, pl.DataType]
) -> pl.DataFrame:
    return pl.read_csv(
        source,
        has_header=False,
        separator=layout.delimiter,
        quote_char='"',
        skip_lines=layout.body_line - 1 if isinstance(source, Path) else 0,
        schema=schema,
        truncate_ragged_lines=True,
        missing_columns="insert",
        raise_if_empty=False,
    )


def _lines(frame: pl.DataFrame, names: list[str], first: int, quoted: bool) -> pl.Series:
    """Return each row's physical line: blank lines are rows; quoted cells may hold newlines."""
    index = pl.int_range(first, frame.height + first, dtype=pl.Int64, eager=True)
    if quoted and names:
        # The newlines in each row's cells, in one pass over the text columns; rows after
        # a cell with line breaks start that many lines further down. Series arithmetic
        # keeps the chunks of the read (see _aligned).
        newlines = frame.select(
            pl.sum_horizontal(
                pl.col(n).str.count_matches("\n", literal=True).fill_null(0) for n in names
            ).cast(pl.Int64)
        ).to_series()
        if newlines.sum():
            return (newlines.cum_sum() - newlines) + index
    return index


def _read_with_csv_module(
    body: bytes, layout: sniff.Layout, names: list[str], display: str
) -> pl.DataFrame:
    text = body.decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=layout.delimiter, strict=True)
    rows: list[list[str]] = []
    start = 1
    try:
        for cells in reader:
            rows.append(cells)
            start = reader.line_num + 1
    except csv.Error as exc:
        if "end of data" in str(exc):
            raise DataError(
                "a quoted cell is never closed",
                file=display,
                line=layout.body_line + start - 1,
                expected='a closing " for the quote that opens on this line',
                found="the end of the file",
                hint="check this line for a stray quote mark",
            ) from None
        try:
            rows = list(
                csv.reader(io.StringIO(text, newline=""), delimiter=layout.delimiter, strict=False)
            )
        except csv.Error as exc2:
            raise DataError(
                "cannot split the file into rows and cells",
                file=display,
                line=layout.body_line,
                expected=f'text cells separated by {layout.delimiter!r}, quoted with "',
                found=str(exc2),
            ) from None
    width = len(names)
    fixed = [(r + [""] * width)[:width] if r else [""] * width for r in rows]
    columns = list(zip(*fixed, strict=True)) if fixed else [() for _ in names]
    return pl.DataFrame(
        {
            n: pl.Series(n, [v or None for v in c], dtype=pl.String)
            for n, c in zip(names, columns, strict=True)
        }
    )
