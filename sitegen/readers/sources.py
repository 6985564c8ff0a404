"""Reading each file format into a RawTable: the header, the cells, and each row's line.

Delimited text goes through polars' native CSV reader (every column as text) after sniffing
on a sample; workbooks through python-calamine; JSON through the json module; Parquet through
polars. Cells keep their types where the format has them (numbers and dates in XLSX, JSON
and Parquet); the typing of text cells happens later, column by column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from python_calamine import CalamineWorkbook

from sitegen.config.limits import DEFAULT_LIMITS, Limits, hint, setting
from sitegen.errors import DataError, shown
from sitegen.readers import limits, sniff

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
PARQUET_SUFFIXES = (".parquet",)
SUFFIXES = TEXT_SUFFIXES + WORKBOOK_SUFFIXES + JSON_SUFFIXES + PARQUET_SUFFIXES

ScoreRow = Callable[[Sequence[str]], tuple[int, bool]]
NumberColumns = Callable[[Sequence[str]], list[bool]]
# A cell polars reads as the same whole number as the text reader does (see _int_columns).
_INT_CELL = re.compile(r"[+-]?[0-9]{1,18}")


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


def read_raw(
    path: Path,
    display: str,
    score_row: ScoreRow,
    numbers: NumberColumns | None = None,
    budgets: Limits = DEFAULT_LIMITS,
) -> RawTable:
    """Read one data file into a RawTable; DataError when it cannot be read.

    `numbers` says which header's column holds numbers (metrics and rates): in delimited
    text, those whose cells are all whole numbers are read as Int64 rather than as text.
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
        return _read_workbook(path, display, score_row, budgets.max_columns)
    if suffix in JSON_SUFFIXES:
        return _read_json(path, display, budgets.max_columns)
    if suffix in PARQUET_SUFFIXES:
        limits.check_parquet(path, display, budgets)
        return _read_parquet(path, display)
    return _read_delimited(path, display, suffix, score_row, numbers, budgets.max_columns)


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


def _int_columns(layout: sniff.Layout, numbers: NumberColumns | None) -> list[int]:
    """Return the number columns whose cells in the sample are all whole numbers or empty.

    polars reads such a column as Int64 in one pass, with the values the text path would
    give (it also takes leading spaces, and reads blank cells as null, as the text path
    does); any other cell further down makes the read fail, and the file is read as text.
    """
    if numbers is None or not layout.sample:
        return []
    out = []
    for i, number in enumerate(numbers(layout.header)):
        cells = [row[i] for row in layout.sample if i < len(row) and row[i]]
        if number and cells and all(_INT_CELL.fullmatch(c) for c in cells):
            out.append(i)
    return out


def _read_delimited(
    path: Path,
    display: str,
    suffix: str,
    score_row: ScoreRow,
    numbers: NumberColumns | None,
    max_columns: int,
) -> RawTable:
    text = sniff.to_utf8(path.read_bytes(), display)
    data = text.data
    sniff.check_line_lengths(data, display)
    layout = sniff.find_layout(data, display, suffix, score_row, max_columns=max_columns)
    width = len(layout.header)
    names = [col(i) for i in range(width)]
    ints = _int_columns(layout, numbers)
    end = layout.body_end if layout.body_end is not None else len(data)
    quoted = data.find(b'"', layout.body_offset, end) >= 0
    # As many rows as lines means no quoted cell holds a line break: no need to count them
    # column by column (thousands of columns in a wide export).
    body_lines = data.count(b"\n", layout.body_offset, end) + int(
        end > layout.body_offset and data[end - 1 : end] != b"\n"
    )
    source: Path | bytes = path
    if not text.as_in_file or layout.body_end is not None:
        source = data[layout.body_offset : end]
    encoding = text.encoding
    # Nothing of the file stays in Python memory while polars reads: from the file itself
    # (memory-mapped) when its bytes are UTF-8 as they are, else from the transcoded body.
    del data, text
    # One column more than the header catches rows with too many cells (an unquoted
    # delimiter shifts the cells after it); beyond that, cells are cut off.
    schema: dict[str, pl.DataType] = dict.fromkeys([*names, MORE], pl.String())
    typed = schema | {names[i]: pl.Int64() for i in ints}
    try:
        try:
            frame = _polars_read(source, layout, typed)
        except pl.exceptions.PolarsError:
            if typed == schema:
                raise
            frame = _polars_read(source, layout, schema)  # a cell is not a whole number
    except pl.exceptions.PolarsError:
        # polars is strict about quotes in the middle of a cell; the csv module is not.
        if isinstance(source, Path):
            body = sniff.to_utf8(path.read_bytes(), display).data[layout.body_offset : end]
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


def with_lines(frame: pl.DataFrame, first: int, quoted: bool) -> pl.DataFrame:
    """Add each row's physical line (rows start on line `first`) and _ragged; drop _more."""
    schema = frame.schema  # once: each .schema builds a Schema of every column
    texts = [n for n in frame.columns if schema[n] == pl.String]
    return frame.with_columns(
        _line=_lines(frame, texts, first, quoted),
        _ragged=pl.col(MORE).str.contains(r"\S").fill_null(False),
    ).drop(MORE)


def polars_read(source: bytes, layout: sniff.Layout, ints: list[int], width: int) -> pl.DataFrame:
    """Read delimited bytes as _read_delimited does (PolarsError when polars cannot)."""
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
    index = pl.int_range(0, pl.len(), dtype=pl.Int64) + first
    if quoted and names:
        # The newlines in each row's cells, in one pass over the text columns.
        newlines = frame.select(
            pl.sum_horizontal(
                pl.col(n).str.count_matches("\n", literal=True).fill_null(0) for n in names
            ).cast(pl.Int64)
        ).to_series()
        if newlines.sum():
            return frame.select(index + (newlines.cum_sum() - newlines)).to_series()
    return frame.select(index).to_series()


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


def _num_text(value: float) -> str:
    text = repr(value)
    if text.endswith(".0"):
        return text[:-2]
    whole, _, frac = text.partition(".")
    if len(frac) == 3 and frac.isdigit() and len(whole.lstrip("-")) <= 3:
        text += "0"  # "1.234" could be read as 1234 in a decimal-comma file; "1.2340" cannot
    return text


def exact(name: str) -> str:
    """Return the frame's name for the numbers stored as numbers in a mixed column."""
    return f"{name}#num"


def _columns(name: str, values: Sequence[object]) -> list[pl.Series]:
    """Return the column as a typed series, plus its exact numbers when it mixes in text."""
    cells = [None if v == "" or v is None else v for v in values]
    series = _column_series(name, cells)
    if series.dtype == pl.String and any(type(v) in (int, float) for v in cells):
        return [
            series,
            pl.Series(
                exact(name),
                [
                    float(v) if type(v) in (int, float) else None  # type: ignore[arg-type]
                    for v in cells
                ],
                dtype=pl.Float64,
            ),
        ]
    return [series]


def _column_series(name: str, cells: Sequence[object]) -> pl.Series:
    """Return a typed series for one column of Python cell values (None = empty)."""
    kinds = {type(v) for v in cells if v is not None}
    if kinds and kinds <= {int, float}:
        return pl.Series(
            name,
            [None if v is None else float(v) for v in cells],  # type: ignore[arg-type]
            dtype=pl.Float64,
        )
    if kinds == {dt.date}:
        return pl.Series(name, cells, dtype=pl.Date)
    if kinds and kinds <= {dt.datetime, dt.date}:
        return pl.Series(
            name,
            [
                v
                if isinstance(v, dt.datetime) or v is None
                else dt.datetime(v.year, v.month, v.day)  # type: ignore[attr-defined]
                for v in cells
            ],
            dtype=pl.Datetime,
        )
    out: list[str | None] = []
    for v in cells:
        if v is None:
            out.append(None)
        elif isinstance(v, bool):
            out.append(str(v).lower())
        elif isinstance(v, float):
            out.append(_num_text(v))
        elif isinstance(v, dt.date):
            out.append(v.isoformat())
        elif isinstance(v, dict | list):
            out.append(json.dumps(v, ensure_ascii=False))
        else:
            out.append(str(v))
    return pl.Series(name, out, dtype=pl.String)


def _read_workbook(path: Path, display: str, score_row: ScoreRow, max_columns: int) -> RawTable:
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several types for a damaged or foreign file
        raise DataError(
            "cannot open the workbook",
            file=display,
            expected="an Excel or OpenDocument workbook",
            found=f"{type(exc).__name__}: {str(exc)[:200]}",
            hint="open it in Excel or LibreOffice and save it again as .xlsx",
        ) from None
    best: tuple[tuple[int, bool], str, list[list[Any]], int] | None = None
    first_sheet = book.sheet_names[0] if book.sheet_names else None
    for name in book.sheet_names:
        try:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception:  # noqa: S112 - a chart sheet or a broken one: the others may do
            continue
        for i, row in enumerate(rows[: sniff.HEADER_SEARCH_ROWS]):
            cells = ["" if v is None else str(v).strip() for v in row]
            if not any(cells):
                continue
            if len(cells) > max_columns:
                raise DataError(
                    "too many columns",
                    file=display,
                    line=i + 1,
                    key=name,
                    expected=f"at most {max_columns:,} columns ({setting('max_columns')})",
                    found=f"{len(cells):,}",
                    hint=hint("max_columns"),
                )
            recognised, has_date = score_row(cells)
            score = (recognised + int(has_date), has_date)
            if best is None or score > best[0]:
                best = (score, name, rows, i)
    book.close()
    if best is None:
        raise DataError(
            "the workbook is empty",
            file=display,
            expected="a sheet with a header row and data rows",
            found="no cells",
        )
    _, sheet, rows, h = best
    header = ["" if v is None else str(v).strip() for v in rows[h]]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    body = [(list(r) + [""] * width)[:width] for r in rows[h + 1 :]]
    names = [col(i) for i in range(width)]
    columns = list(zip(*body, strict=True)) if body else [() for _ in names]
    frame = pl.DataFrame([s for n, c in zip(names, columns, strict=True) for s in _columns(n, c)])
    frame = frame.with_columns(_line=pl.int_range(0, pl.len(), dtype=pl.Int64) + h + 2)
    title = [" ".join(str(v).strip() for v in r if v not in (None, "")) for r in rows[:h]]
    return RawTable(
        headers=header,
        frame=frame,
        header_line=h + 1,
        unit="row",
        title=[t for t in title if t],
        sheet=sheet if sheet != first_sheet else None,
    )


def _records(doc: object) -> list[object] | None:
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        for key in ("data", "rows", "records", "items", "results", "values"):
            value = doc.get(key)
            if isinstance(value, list):
                return value
        lists = [v for v in doc.values() if isinstance(v, list)]
        if len(lists) == 1:
            return lists[0]
    return None


def _read_json(path: Path, display: str, max_columns: int) -> RawTable:
    text = sniff.to_utf8(path.read_bytes(), display).data.decode("utf-8")
    if not text.strip():
        raise DataError(
            "the file is empty",
            file=display,
            line=1,
            expected="a JSON list of records",
            found="no text",
        )
    try:
        try:
            doc: object = json.loads(text)
        except json.JSONDecodeError as exc:
            doc = _json_lines(text, exc, display)
    except RecursionError:
        raise DataError(
            "the JSON is nested too deeply",
            file=display,
            expected="a list of records (objects of numbers and text)",
            found="lists or objects nested thousands of levels deep",
        ) from None
    found = _records(doc)
    records = [r for r in found if isinstance(r, dict)] if found is not None else []
    if found is None or len(records) != len(found):
        bad = next((i for i, r in enumerate(found or []) if not isinstance(r, dict)), None)
        raise DataError(
            "the JSON is not a list of records",
            file=display,
            line=None if bad is None else bad + 1,
            expected='a list of objects such as [{"date": "2025-01-31", "likes": 12}, ...]',
            found=type(doc).__name__
            if bad is None or found is None
            else f"record {bad + 1}: {found[bad]!r}"[:80],
        )
    headers: dict[str, None] = {}
    for record in records:
        headers.update(dict.fromkeys(record))
    names = list(headers)
    if len(names) > max_columns:
        raise DataError(
            "too many columns",
            file=display,
            expected=f"at most {max_columns:,} ({setting('max_columns')})",
            found=f"{len(names):,} keys",
            hint=hint("max_columns"),
        )
    frame = pl.DataFrame(
        [s for i, k in enumerate(names) for s in _columns(col(i), [r.get(k) for r in records])]
    )
    frame = frame.with_columns(_line=pl.int_range(1, pl.len() + 1, dtype=pl.Int64))
    return RawTable(headers=[str(n) for n in names], frame=frame, header_line=None, unit="record")


def _json_lines(text: str, first_error: json.JSONDecodeError, display: str) -> list[object]:
    """Return the records of a JSON Lines text, or raise the original error's DataError."""
    records: list[object] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            if number == 1 or not records:
                exc = first_error
                raise DataError(
                    "the file is not valid JSON",
                    file=display,
                    line=exc.lineno,
                    column=exc.colno,
                    expected="a JSON list of records",
                    found=exc.msg,
                ) from None
            raise DataError(
                "the file is not valid JSON Lines",
                file=display,
                line=number,
                expected="one JSON object per line",
                found=shown(line, 60),
            ) from None
    return records


def _read_parquet(path: Path, display: str) -> RawTable:
    try:
        frame = pl.read_parquet(path)
    except Exception as exc:  # polars/arrow raise several types for a broken file
        raise DataError(
            "cannot read the Parquet file",
            file=display,
            expected="a Parquet file",
            found=f"{type(exc).__name__}: {str(exc)[:200]}",
        ) from None
    headers = list(frame.columns)
    out = []
    for i, name in enumerate(headers):
        series = frame[name]
        if not (
            series.dtype.is_numeric() or series.dtype.is_temporal() or series.dtype == pl.String
        ):
            series = series.cast(pl.String, strict=False)
        out.append(series.alias(col(i)))
    table = pl.DataFrame(out) if out else pl.DataFrame()
    table = table.with_columns(_line=pl.int_range(1, pl.len() + 1, dtype=pl.Int64))
    return RawTable(headers=headers, frame=table, header_line=None, unit="row")
