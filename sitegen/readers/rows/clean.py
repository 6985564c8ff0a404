"""Drop what is not data: blank rows, '#' comment rows, a description row, total rows, a
second table under the first; refuse ragged rows and rows without a date."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from sitegen.errors import DataError, SitegenWarning
from sitegen.readers.dates import date_share, iso_dates, with_grain
from sitegen.readers.numbers import MISSING_TOKENS
from sitegen.readers.raw import RawTable, align_chunks, col, exact
from sitegen.readers.rows.columns import Columns, Located, lines_text
from sitegen.readers.rows.options import ReadOptions

# "Total", "Total: Account", "Grand total (3)", "Kopā"; Russian "Итого ..." / "Всего ..." with
# anything after ("Итого и средние" in Yandex.Metrica).
TOTAL_RE = (
    r"(?i)^\s*(?:(?:total|totals|grand total|sum|kopā|kopsumma|summa)(?:\s*[:(\-–—].*)?"
    r"|(?:итого|итог|всего)\b.*)\s*$"
)


def is_blank(name: str, dtype: object) -> pl.Expr:
    if dtype == pl.String:
        return pl.col(name).is_null() | pl.col(name).str.contains(r"^\s*$")
    return pl.col(name).is_null()


def _header_pattern(header: str, opts: ReadOptions) -> str:
    """Return a regex for a date cell that is a date column's header (a new table)."""
    fields = opts.table.raw.get("fields", {})
    assert isinstance(fields, dict)
    words = {header.strip()} | {
        a for kind in ("date", "week", "month") for a in fields.get(kind, [])
    }
    # One regex pass over the column (no lower-cased copy of a million cells).
    return r"(?i)^\s*(?:" + "|".join(re.escape(w) for w in sorted(words) if w) + r")\s*$"


def header_again(name: str, dtype: object, header: str, opts: ReadOptions) -> pl.Expr:
    """Return a mask of rows whose date cell is a date column's header (a new table)."""
    if dtype != pl.String:
        return pl.lit(False)
    return pl.col(name).str.contains(_header_pattern(header, opts)).fill_null(False)


def plain_dates(frame: pl.DataFrame, name: str, header: str, opts: ReadOptions) -> bool:
    """Return True when no date cell is blank, a total label or a date column's header."""
    if frame.schema[name] != pl.String:
        return True
    # One regex pass for the three checks; only a column with such a cell needs each one.
    checks = (r"^\s*$", TOTAL_RE, _header_pattern(header, opts))
    pattern = "|".join(f"(?:{p})" for p in checks)
    return not frame.select(pl.col(name).str.contains(pattern).any()).item()


def is_description(frame: pl.DataFrame, cols: Columns, dtypes: Mapping[str, object]) -> bool:
    """Return True when the first row explains the columns (old Facebook Insights)."""
    dname = col(cols.date)
    if dtypes[dname] != pl.String:
        return False
    first = frame.head(1)
    if date_share(first[dname]) > 0:  # an empty date cell is fine (Facebook Insights)
        return False
    wordy = 0
    for i in list(cols.metrics.values()) + list(cols.rates.values()):
        value = first[col(i)][0]
        if (
            isinstance(value, str)
            and value.strip().lower() not in MISSING_TOKENS
            and any(ch.isalpha() for ch in value)
        ):
            wordy += 1
    return wordy > 0


@dataclass
class Part:
    """Where a batch of rows lies in its file (a file read whole is one part)."""

    description: bool = True  # no data row before: the first row may describe the columns
    start: bool = True  # no data row before: a first row without a date is a total
    end: bool = True  # no data row after: a last row without a date is a total
    note: bool = True  # add the note about dropped total rows (else the caller does)


@dataclass
class Kept:
    """The rows that are data, with the columns in use and where each row came from."""

    frame: pl.DataFrame
    loc: Located
    dtypes: dict[str, Any]
    exacts: list[str]  # the exact-text twins of number columns (sources.exact)
    seen: int = 0  # data rows before a description row and total rows were dropped
    described: bool = False  # the first row described the columns and was dropped
    dropped: list[int] = field(default_factory=list)  # lines of the dropped total rows
    stopped: bool = False  # a second table starts here: nothing after it is read
    # The kept rows' parsed dates (parse_dates' columns) when the date column was all ISO.
    dates: pl.DataFrame | None = None


def totals_note(dropped: list[int], loc: Located) -> SitegenWarning:
    """Return the note about dropped total rows."""
    return SitegenWarning(
        f"dropped {len(dropped)} total row(s) ({lines_text(dropped, loc)}); "
        "totals are recomputed from the rows",
        file=loc.display,
        line=dropped[0],
        code="note",
    )


def keep_rows(
    raw: RawTable,
    cols: Columns,
    display: str,
    opts: ReadOptions,
    warnings: list[SitegenWarning],
    part: Part | None = None,
) -> Kept:
    """Return the data rows of raw: skip blank, comment, description and total rows (with a
    note) and a second table; refuse ragged rows and rows without a date.

    `part` says where the rows lie in the file when it is read in batches.
    """
    part = part or Part()
    labels, values = cols.labels(), cols.values()
    keep_cols = [cols.date] + [i for i in (cols.channel, cols.competitor) if i is not None]
    keep_cols = list(
        dict.fromkeys(keep_cols + [i for i, _ in cols.unique_ids()] + values + cols.derived)
    )
    dtypes = dict(zip(raw.frame.columns, raw.frame.dtypes, strict=True))
    dname = col(cols.date)
    # Blank lines, rows of empty cells and '#' comment rows carry nothing. Total rows say
    # "Total", "Итого" or "Kopā" in a label cell (date, channel, id or name columns).
    blank = pl.all_horizontal(is_blank(col(i), dtypes[col(i)]) for i in labels + values)
    first = col(0)
    comment = pl.lit(False)
    if dtypes[first] == pl.String:
        comment = pl.col(first).str.contains(r"^\s*#").fill_null(False)
        if cols.date != 0:
            comment = comment & is_blank(dname, dtypes[dname])
    # A column of ISO dates (every big export) is parsed here, once: no such cell is blank,
    # a total label or a header, and the rows kept keep their parsed dates (Kept.dates).
    iso = iso_dates(raw.frame[dname], opts.date_options(cols.date_role))
    plain = iso is not None or plain_dates(raw.frame, dname, raw.headers[cols.date], opts)
    parsed = {} if iso is None else {f"_parsed_{c}": c for c in iso.columns}
    if iso is not None:
        raw.frame = raw.frame.with_columns(iso[c].alias(n) for n, c in parsed.items())
    totals = pl.lit(False)
    for i in labels:
        if dtypes[col(i)] == pl.String and not (plain and i == cols.date):
            totals = totals | pl.col(col(i)).str.contains(TOTAL_RE).fill_null(False)
    # Only the columns in use go on; the rest of the raw table is released (memory). Name
    # and breakdown columns matter only as "rows here are finer than a day".
    exacts = [exact(col(i)) for i in values if exact(col(i)) in dtypes]
    ragged = ["_ragged"] if "_ragged" in dtypes else []
    # Rows sharing an id are told apart by their name and breakdown cells (combine.py): they
    # go on as they are (a hash of them costs a pass; most files' ids settle it unseen).
    groups = [i for i, kind in cols.ids if kind == "group"] if cols.unique_ids() else []
    frame = raw.frame.select(
        *[col(i) for i in dict.fromkeys(keep_cols + groups)],
        *exacts,
        *ragged,
        "_line",
        *parsed,
        _totalre=totals,
        _nodate=pl.col(dname).is_null() if plain else is_blank(dname, dtypes[dname]),
        _header=(
            pl.lit(False)
            if plain
            else header_again(dname, dtypes[dname], raw.headers[cols.date], opts)
        ),
    )
    frame = align_chunks(frame)
    # A blank row has a blank date cell, and so has a comment row unless its '#' is in the
    # date column: without such rows (a big export has none), the other columns are not
    # looked at one by one.
    skip = None
    if bool(frame["_nodate"].any()):
        skip = blank | comment
    elif cols.date == 0 and dtypes[first] == pl.String:
        skip = comment
    if skip is not None:
        frame = frame.with_columns(raw.frame.select(skip.alias("_skip")).to_series())
    raw.frame = frame
    stopped = False
    if bool(frame["_header"].any()):
        # A second table under the first (Google Analytics without '#' lines): stop there.
        row = int(frame["_header"].arg_true()[0])
        warnings.append(
            SitegenWarning(
                f"a second table starts at {raw.unit} {frame['_line'][row]}; "
                "only the first is read",
                file=display,
                line=int(frame["_line"][row]),
                code="note",
                hint="export one table per file",
            )
        )
        frame = frame.slice(0, row)
        stopped = True
    if skip is not None and bool(frame["_skip"].any()):  # filtering copies every column
        frame = frame.filter(~pl.col("_skip"))

    loc = Located(raw, display, frame["_line"])
    seen = frame.height
    described = False
    if part.description and frame.height and is_description(frame, cols, dtypes):
        frame = frame.slice(1)
        described = True

    # A row without a date at either end of the table is a total too (Google Analytics'
    # unlabeled sum row); elsewhere it is an error.
    position = pl.int_range(0, pl.len())
    edge = ((position == 0) & part.start) | ((position == pl.len() - 1) & (part.end or stopped))
    frame = frame.with_columns(_total=pl.col("_totalre") | (pl.col("_nodate") & edge))
    dropped = frame.filter(pl.col("_total"))["_line"].to_list()
    if dropped:
        if part.note:
            warnings.append(totals_note(dropped, loc))
        frame = frame.filter(~pl.col("_total"))
    loc = Located(raw, display, frame["_line"])
    refuse_bad_rows(frame, raw, cols, loc, bool(ragged))
    dates = None
    if parsed:
        dates = with_grain(
            frame.select(pl.col(n).alias(c) for n, c in parsed.items()),
            opts.date_options(cols.date_role),
        )
        frame = frame.drop(list(parsed))
    return Kept(frame, loc, dtypes, exacts, seen, described, dropped, stopped, dates)


def refuse_bad_rows(
    frame: pl.DataFrame, raw: RawTable, cols: Columns, loc: Located, ragged: bool
) -> None:
    """Raise DataError for a row with more cells than the header or without a date."""
    if ragged and bool(frame["_ragged"].any()):
        row = int(frame["_ragged"].arg_true()[0])
        raise DataError(
            "a row has more cells than the header",
            file=loc.display,
            line=loc.line(row),
            expected=f"at most {len(raw.headers)} cells, as in the header (line {raw.header_line})",
            found=f"more; a cell holding a {raw.delimiter!r} without quotes splits in two",
            hint="quote cells that contain the delimiter, or export the file again",
        )
    if frame.height and bool(frame["_nodate"].any()):
        row = int(frame["_nodate"].arg_true()[0])
        raise DataError(
            "a row without a date",
            file=loc.display,
            line=loc.line(row),
            column=cols.date + 1,
            key=raw.headers[cols.date],
            expected="a date in every row",
            found="an empty cell",
            hint="fill in the date, or delete the row",
        )
