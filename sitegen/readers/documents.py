"""Reading workbooks (python-calamine), JSON and Parquet files into a RawTable.

Cells keep the types these formats have (numbers and dates); budgets are checked before the
work (readers.limits).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl
from python_calamine import CalamineWorkbook

from sitegen.config.limits import hint, setting
from sitegen.errors import DataError, shown
from sitegen.readers import sniff
from sitegen.readers.raw import RawTable, ScoreRow, col, exact


def _num_text(value: float) -> str:
    text = repr(value)
    if text.endswith(".0"):
        return text[:-2]
    whole, _, frac = text.partition(".")
    if len(frac) == 3 and frac.isdigit() and len(whole.lstrip("-")) <= 3:
        text += "0"  # "1.234" could be read as 1234 in a decimal-comma file; "1.2340" cannot
    return text


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


def read_workbook(path: Path, display: str, score_row: ScoreRow, max_columns: int) -> RawTable:
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


def read_json(path: Path, display: str, max_columns: int) -> RawTable:
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


def read_parquet(path: Path, display: str) -> RawTable:
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
