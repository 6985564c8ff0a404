"""What the batches of a big delimited file add up to, and the whole-file checks at the end.

``State`` is the running aggregate and evidence of ``rows.batches``; the rows' hashes are
spilled to disk by part (``spill_hashes``, ``flush_hashes``) and checked part by part
(``repeated``), so a 2 GB export is checked for duplicate rows without holding one hash per
row in memory; ``check_numbers`` and ``check_dates`` refuse what the parts disagree on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from sitegen.errors import SitegenWarning
from sitegen.readers.cells import CellError
from sitegen.readers.dates import parse_dates
from sitegen.readers.raw import RawTable
from sitegen.readers.rows import ReadOptions
from sitegen.readers.rows.columns import Columns, Located
from sitegen.readers.rows.combine import is_cell, repeated_id
from sitegen.readers.rows.options import KEY
from sitegen.readers.rows.rates import Evidence

# A file the batches cannot read is read whole up to this size (a peak of about 5x); a
# bigger one is refused with a message naming the reason.
MAX_WHOLE_BYTES = 256 * 1024**2
# Files the rows' hashes are spread over (by hash) to find repeated rows part by part, and
# the rows' hashes kept in memory before they are written (about 50 bytes a row).
PARTS = 16
SPILL_ROWS = 500_000
# Distinct non-ISO date cells kept to check the batches' date order against the file's.
MAX_DATE_CELLS = 1_000_000
ISO = r"^[1-9]\d{3}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$"


class Whole(Exception):
    """The batches cannot be shown to give what one read gives: read the file whole."""

    def __init__(self, reason: str, hint: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint or (
            "export it as UTF-8 CSV without a trailing '#' section, or split it into files "
            f"under {MAX_WHOLE_BYTES // 1024**2} MB"
        )


NUMBERS_HINT = (
    "export the numbers with one decimal mark and no thousands separators, or split the file "
    f"into files under {MAX_WHOLE_BYTES // 1024**2} MB"
)
DATES_HINT = (
    'set the date order under [data] in sitegen.toml, e.g. date_format = "%d/%m/%Y", '
    "or export ISO dates (2025-03-01)"
)


@dataclass
class State:
    """What the batches read so far add up to."""

    cols: Columns | None = None
    first: RawTable | None = None
    rows_seen: int = 0  # data rows before a description row was dropped
    rows_kept: int = 0  # data rows after it
    line: int = 0  # physical line of the next batch's first row
    table_notes: list[SitegenWarning] = field(default_factory=list)
    metric_notes: list[str] | None = None
    metric_warnings: list[SitegenWarning] = field(default_factory=list)
    estimates: list[tuple[str, str, str]] = field(default_factory=list)
    dropped: list[int] = field(default_factory=list)
    loc: Located | None = None
    evidence: list[Evidence] = field(default_factory=list)
    metrics: list[str] | None = None
    grains: dict[str, str] = field(default_factory=dict)
    timed: bool = False
    finer: bool = False
    acc: pl.DataFrame | None = None  # running aggregate (finer or timed rows)
    plain: list[pl.DataFrame] = field(default_factory=list)  # one row per key already
    spill: Path | None = None  # folder of the rows' hashes, by part (see spill_hashes)
    batch: int = 0  # spills written so far
    pending: list[pl.DataFrame] = field(default_factory=list)  # hashes not yet written
    size: int = 0  # of the file
    carry: pl.DataFrame | None = None  # rows of the last date of a batch, not added up yet
    # Rows with ids are checked for a pasted row block by block while the blocks' dates do
    # not overlap (check_block), else all their hashes are spilled (spill_hashes).
    spill_all: bool = False
    hull: tuple[date, date] | None = None  # first and last date of the blocks so far
    found: tuple[int, int, tuple[object, ...]] | None = None  # the first pasted row seen
    dates: pl.DataFrame | None = None  # distinct non-ISO date cells and what they gave


def note_dates(cells: pl.Series, parsed: pl.DataFrame, opts: ReadOptions, state: State) -> None:
    """Keep the distinct date cells whose reading may depend on the rest of the column."""
    if cells.dtype != pl.String or not cells.len():
        return
    if not opts.date_format and bool(cells.str.contains(ISO).all()):
        return  # ISO dates read the same in any column
    seen = (
        pl.DataFrame({"cell": cells})
        .with_columns(parsed.select("date", "grain", "timed"))
        .filter(pl.col("cell").is_not_null())
        .unique(maintain_order=True)
    )
    state.dates = seen if state.dates is None else pl.concat([state.dates, seen]).unique()
    if state.dates.height > MAX_DATE_CELLS:
        raise Whole(f"more than {MAX_DATE_CELLS:,} distinct non-ISO date cells", DATES_HINT)


class Unsorted(Exception):
    """A block's dates overlap an earlier block's: pasted rows must be found from hashes."""


def check_block(
    state: State, rows: pl.DataFrame, unique: list[str], key: list[str], whole: list[str]
) -> None:
    """Note the block's first pasted row, if any; Unsorted when its dates overlap earlier ones.

    `whole` names the columns of `rows` that hold the rows' cells as in the file.

    A pasted row repeats its date. A block holds every row of its dates (the rows of a
    batch's last date wait for the next batch), so while no block's dates reach into an
    earlier block's span (an export in date order, either way) a pasted row is in the same
    block as its first copy, and the first one found is the file's first.
    """
    if not rows.height:
        return
    lo, hi = rows.select(lo=pl.col("date").min(), hi=pl.col("date").max()).row(0)
    if state.hull is not None and not (lo > state.hull[1] or hi < state.hull[0]):
        raise Unsorted
    state.hull = (
        (lo, hi) if state.hull is None else (min(lo, state.hull[0]), max(hi, state.hull[1]))
    )
    if state.found is None:
        state.found = repeated_id(rows, unique, key, rows.select(whole))


def spill_hashes(state: State, rows: pl.DataFrame, unique: list[str], cells: pl.DataFrame) -> None:
    """Write the hashes of the batch's rows (key, ids, cells) to the spill folder, by part.

    As in a whole read (combine_rows), a repeated id is a duplicate only when the row's cells
    repeat too: breakdown rows share a campaign number, a pasted row shares everything.
    """
    assert state.spill is not None
    whole = [c for c in cells.columns if is_cell(c)]
    rows = rows.with_columns(cells.select(whole))
    rows = rows.filter(pl.all_horizontal(pl.col(n).is_not_null() for n in unique))
    row = pl.struct(KEY + unique + whole)
    hashed = rows.select(
        row.hash(seed=0).alias("h0"),
        row.hash(seed=1).alias("h1"),
        *KEY,
        "_line",
    )
    state.pending.append(hashed)
    if sum(f.height for f in state.pending) >= SPILL_ROWS:
        flush_hashes(state)


def flush_hashes(state: State) -> None:
    """Write the pending hashes to the spill folder, one file per part."""
    assert state.spill is not None
    if not state.pending:
        return
    hashed = pl.concat(state.pending).with_columns(part=(pl.col("h0") % PARTS).cast(pl.Int32))
    state.pending = []
    for (part,), frame in hashed.partition_by("part", as_dict=True, include_key=False).items():
        frame.write_ipc(state.spill / f"{part:02d}-{state.batch:06d}.arrow")
    state.batch += 1


def repeated(state: State) -> tuple[int, int, tuple[object, ...]] | None:
    """Return the first row (in file order) whose key and ids come again, as
    combine.duplicate does, from the hashes spilled part by part; or None."""
    assert state.spill is not None
    if not state.pending and not state.batch:
        return None
    if state.batch == 0:  # a few rows: all in memory
        parts = [pl.concat(state.pending)]
    else:
        flush_hashes(state)
        parts = [pl.DataFrame()] * PARTS
    best: tuple[int, int, tuple[object, ...]] | None = None
    for part, frame in enumerate(parts):
        if state.batch:
            files = sorted(state.spill.glob(f"{part:02d}-*.arrow"))
            if not files:
                continue
            frame = pl.concat([pl.read_ipc(f) for f in files])
        # 128 bits of hash: two different rows hash alike about once in 10^20 files.
        dup = frame.filter(pl.struct("h0", "h1").is_duplicated()).sort("_line")
        del frame
        if not dup.height:
            continue
        first = dup.row(0, named=True)
        same = dup.filter((pl.col("h0") == first["h0"]) & (pl.col("h1") == first["h1"]))
        lines = same["_line"].to_list()
        if best is None or lines[0] < best[0]:
            best = (lines[0], lines[1], tuple(first[k] for k in KEY))
    return best


def check_numbers(state: State) -> None:
    """Raise Whole unless every batch read its numbers as the whole file would."""
    first = state.evidence[0]
    dot = sum(c[0] for e in state.evidence for c in [*e.columns.values(), *e.derived])
    comma = sum(c[1] for e in state.evidence for c in [*e.columns.values(), *e.derived])
    delimiter = state.first.delimiter if state.first is not None else None
    hint = "," if comma > dot else "." if dot > comma else ("," if delimiter == ";" else ".")
    headers = state.first.headers if state.first is not None else []
    for i in first.columns:
        name = repr(headers[i]) if isinstance(i, int) and i < len(headers) else str(i)
        parts = [e.columns[i] for e in state.evidence if i in e.columns]
        if len(parts) != len(state.evidence):
            raise Whole(f"its parts read column {name} differently", NUMBERS_HINT)
        dots, commas = sum(p[0] for p in parts), sum(p[1] for p in parts)
        if dots and commas:
            # Two decimal marks in a column: the whole read says where.
            raise Whole(f"column {name} has numbers with both decimal marks", NUMBERS_HINT)
        mark = "," if commas else "." if dots else hint
        percent, count = sum(p[2] for p in parts), sum(p[3] for p in parts)
        share = count > 0 and percent * 2 >= count
        for e, (d, c, p, n, decides) in zip(state.evidence, parts, strict=True):
            used = "," if c else "." if d else e.hint
            if decides and used != mark:
                raise Whole(
                    f"the decimal mark of column {name} differs between parts of the file",
                    NUMBERS_HINT,
                )
            if (n > 0 and p * 2 >= n) != share:
                raise Whole(
                    f"column {name} is in percent in some parts of the file, not in others",
                    NUMBERS_HINT,
                )
    flags = [e.rate_percent for e in state.evidence]
    for rate in {n for f in flags for n in f}:
        if len({f[rate] for f in flags if rate in f}) > 1:
            raise Whole(
                f"rate {rate} is in percent in some parts of the file, not in others",
                NUMBERS_HINT,
            )


def check_dates(state: State, opts: ReadOptions) -> None:
    """Raise Whole unless each date cell reads as in the whole column."""
    if state.dates is None or state.cols is None:
        return
    try:
        whole = parse_dates(
            state.dates["cell"],
            opts.date_options(state.cols.date_role),
        )
    except CellError:
        raise Whole("its date cells read in one go are refused", DATES_HINT) from None
    got = state.dates.select("date", "grain", "timed")
    if not got.equals(whole.select("date", "grain", "timed")):
        raise Whole(
            "the day/month order of its dates differs between parts of the file", DATES_HINT
        )
