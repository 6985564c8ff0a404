"""Budgets checked before a reader does the work: what a file declares, measured cheaply.

A few kilobytes of workbook or Parquet can ask for gigabytes: an xlsx that declares one cell
at XFD1048576 (calamine allocates the whole rectangle up to it), a zip part that inflates a
thousand times, a Parquet file of 300 million constant rows. Each check here reads only the
file's directory, metadata or a stream of its XML, and refuses with a DataError that names
the setting that lifts the limit (``[limits] key`` in sitegen.toml, ``config.limits.Limits``),
before calamine or polars read the data. The constants here are the settings' defaults; the
limits are listed in docs/security.md.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from sitegen.config.limits import DEFAULT_LIMITS, Limits, hint, setting
from sitegen.errors import DataError, SitegenWarning

if TYPE_CHECKING:
    from sitegen.readers.rows import FileData

# The defaults of the [limits] settings (config.limits.Limits), named as docs/security.md does.
# Cells (rows x columns, counted from A1) of one sheet: Excel's own maximum row count.
MAX_SHEET_CELLS = DEFAULT_LIMITS.max_sheet_cells
# Bytes all parts of a workbook's zip inflate to, from the zip's directory.
MAX_UNZIPPED_BYTES = DEFAULT_LIMITS.max_unzipped_bytes
# How much a part of a workbook may inflate (its size / its compressed size), for parts over
# _RATIO_FLOOR bytes; real xlsx sheets compress 5-30 times, zip bombs a thousand times.
MAX_ZIP_RATIO = DEFAULT_LIMITS.max_zip_ratio
_RATIO_FLOOR = 1024**2
# Rows of a Parquet file, and rows x columns: a data/ file holds days, not events.
MAX_ROWS = DEFAULT_LIMITS.max_parquet_rows
MAX_CELLS = DEFAULT_LIMITS.max_parquet_cells

_CHUNK = 1 << 20
_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d{1,7})?(?::([A-Z]{1,3})(\d{1,7}))?"'
)
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3})(\d{1,7})"')
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _refuse(display: str, what: str, key: str, value: int, found: str) -> None:
    raise DataError(
        what,
        file=display,
        expected=f"at most {value:,} ({setting(key)})",
        found=found,
        hint="export a shorter period or fewer columns; a hand-made file may be damaged; "
        + hint(key),
    )


def check_workbook(path: Path, display: str, budgets: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a zip workbook (xlsx, xlsm, xlsb, ods) that inflates or spreads too far.

    Sheets of an xlsx are streamed (at most max_unzipped_bytes in all, through zipfile,
    which stops at each part's declared size and checks its CRC) for their declared
    dimension and the cell references they hold. Not a zip (.xls): nothing to check here.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # an .xls, or a damaged file: calamine says what it is
    with archive:
        infos = archive.infolist()
        total = sum(i.file_size for i in infos)
        if total > budgets.max_unzipped_bytes:
            _refuse(
                display,
                "the workbook unpacks to too much data",
                "max_unzipped_bytes",
                budgets.max_unzipped_bytes,
                f"{total:,} bytes unpacked from {path.stat().st_size:,}",
            )
        for info in infos:
            if info.file_size > _RATIO_FLOOR and info.file_size > budgets.max_zip_ratio * max(
                info.compress_size, 1
            ):
                _refuse(
                    display,
                    "a part of the workbook is compressed suspiciously well (a zip bomb?)",
                    "max_zip_ratio",
                    budgets.max_zip_ratio,
                    f"{info.filename}: {info.file_size:,} bytes from {info.compress_size:,}",
                )
        for info in infos:
            if _SHEET_PART.fullmatch(info.filename):
                _check_sheet(archive, info, display, budgets.max_sheet_cells)


def _check_sheet(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, display: str, max_cells: int
) -> None:
    sheet = info.filename.rsplit("/", 1)[-1].removesuffix(".xml")
    rows = cols = 0
    tail = b""
    first = True
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                data = tail + chunk
                if first:
                    first = False
                    m = _DIMENSION.search(data)
                    if m:
                        end_col, end_row = m.group(3) or m.group(1), m.group(4) or m.group(2)
                        if end_col and end_row:
                            rows, cols = int(end_row), _col_number(end_col)
                            _check_area(display, sheet, rows, cols, "declares", max_cells)
                refs = _CELL_REF.findall(data)
                if refs:
                    rows = max(rows, max(int(r) for _, r in refs))
                    widest = max((c for c, _ in refs), key=lambda c: (len(c), c))
                    cols = max(cols, _col_number(widest))
                    _check_area(display, sheet, rows, cols, "has a cell at", max_cells)
                tail = data[-64:]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return  # damaged (a CRC error, a part longer than declared): calamine reports it


def _check_area(display: str, sheet: str, rows: int, cols: int, what: str, max_cells: int) -> None:
    if rows * cols > max_cells:
        _refuse(
            display,
            "a sheet spans too many cells",
            "max_sheet_cells",
            max_cells,
            f"{sheet} {what} row {rows:,}, column {cols:,}: {rows * cols:,} cells from A1",
        )


def check_parquet(path: Path, display: str, budgets: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a Parquet file with too many rows or columns, from its footer only."""
    try:
        columns = len(pl.read_parquet_schema(path))
        rows = pl.scan_parquet(path).select(pl.len()).collect().item()
    except Exception:
        return
    if columns > budgets.max_columns:
        raise DataError(
            "too many columns",
            file=display,
            expected=f"at most {budgets.max_columns:,} columns ({setting('max_columns')})",
            found=f"{columns:,}",
            hint=hint("max_columns"),
        )
    if rows > budgets.max_parquet_rows:
        _refuse(
            display,
            "the file has too many rows",
            "max_parquet_rows",
            budgets.max_parquet_rows,
            f"{rows:,} rows",
        )
    if rows * columns > budgets.max_parquet_cells:
        _refuse(
            display,
            "the file has too many cells",
            "max_parquet_cells",
            budgets.max_parquet_cells,
            f"{rows:,} rows x {columns:,} columns",
        )


# Dates a report can place on a calendar; a row dated 9999-12-31 or 0001-01-01 is a typo or a
# placeholder, and periods, months and charts around it would leave Python's date range.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2200, 12, 31)


def check_values(data: FileData) -> FileData:
    """Refuse dates outside MIN_DATE..MAX_DATE; drop infinite numbers with a warning.

    A number too big for a float (JSON ``1e400``, a CSV cell ``1e999``) reads as infinity;
    it is treated as missing, with a warning naming the file, the column and the first line.
    """
    frame = data.frame
    unit = data.unit
    if frame.height:
        outside = frame.filter((pl.col("date") < MIN_DATE) | (pl.col("date") > MAX_DATE))
        if outside.height:
            first = outside.sort("_line").row(0, named=True)
            raise DataError(
                f"a date outside the years {MIN_DATE.year}-{MAX_DATE.year}",
                file=data.display,
                line=first["_line"],
                expected=f"dates from {MIN_DATE} to {MAX_DATE} (readers.limits.MIN_DATE, MAX_DATE)",
                found=f"{first['date']} ({unit} {first['_line']})",
                hint="a placeholder date such as 9999-12-31 or a typo in the year",
            )
    floats = [c for c, t in frame.schema.items() if t == pl.Float64 and c != "_line"]
    bad = [c for c in floats if frame.get_column(c).is_infinite().any()]
    if not bad:
        return data
    warnings = list(data.warnings)
    for c in bad:
        lines = frame.filter(pl.col(c).is_infinite()).get_column("_line").sort()
        warnings.append(
            SitegenWarning(
                f"{len(lines)} number(s) too big to be a value (infinite), read as missing",
                file=data.display,
                line=int(lines[0]),
                key=c,
                hint="check the export; a number over 1e308 is not a count or an amount",
            )
        )
    frame = frame.with_columns(
        pl.when(pl.col(c).is_infinite()).then(None).otherwise(pl.col(c)).alias(c) for c in bad
    )
    return replace(data, frame=frame, warnings=warnings)
