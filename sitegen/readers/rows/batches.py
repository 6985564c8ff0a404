"""Reading a big delimited file in batches, with the result of reading it whole.

A CSV over BATCH_THRESHOLD bytes is not read into one frame (polars' frame of a 2 GB text
export is several times its size). Its layout (encoding, delimiter, header) is sniffed from
the head; then the body is cut into batches of about BATCH_BYTES on record boundaries (a
newline outside quotes), each batch is read and shaped by the same code as a whole file
(``shape_file``'s steps), aggregated to one row per (date, channel, competitor), and merged
into a running aggregate: flows summed, the last stock value of a day in file order, means
from their sums and counts, the first line of each row kept.

What a whole read decides for the whole file (the decimal mark of each number column and
of the file, percentages, the day/month order of dates, duplicate rows, total rows at the
ends, a description row, a second table) is decided here per batch, and checked against
the evidence of all batches at the end. A refused row (a bad cell, a bad date) is refused
by its batch, with the file's line and the whole read's message. Rows that must be unique
(one per date, channel, competitor and id) are checked across the whole file without
keeping the file in memory: a pasted row repeats its date and each date is read in one
block, so while the blocks' dates do not overlap (a file in date order, either way) each
block is checked on its own (batchstate.check_block); a file out of date order is read
again with each row's 128-bit hash sent to one of PARTS files on disk (by its hash), and
each part checked on its own at the end.

Whenever the batches cannot be shown to give what one read gives (batches disagree on a
decision about the whole file, the text is not plain UTF-8, polars cannot split a batch),
a file up to MAX_WHOLE_BYTES is read whole (``read_batched`` returns None: the result, or
the error message, is then exactly the whole read's); a bigger one is refused with a
DataError naming the decision, since a whole read would need about 5 times its size.

Flows with fractions may differ from the whole read in the last bit of a float (the sums
are associated by batch); counts are exact.
"""

from __future__ import annotations

import codecs
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import polars as pl

from sitegen.errors import DataError, SitegenWarning
from sitegen.readers import sniff
from sitegen.readers.cells import CellError
from sitegen.readers.dates import parse_dates
from sitegen.readers.raw import RawTable, col
from sitegen.readers.rows import FileData, ReadOptions, channel_of
from sitegen.readers.rows import _column_notes as column_notes
from sitegen.readers.rows.batchstate import (
    DATES_HINT,
    MAX_WHOLE_BYTES,
    State,
    Unsorted,
    Whole,
    check_block,
    check_dates,
    check_numbers,
    note_dates,
    repeated,
    spill_hashes,
)
from sitegen.readers.rows.clean import Part, keep_rows, totals_note
from sitegen.readers.rows.columns import Located, assign_columns
from sitegen.readers.rows.combine import (
    combine_rows,
    count_of,
    duplicate,
    duplicate_error,
    grains_of,
    is_cell,
    key_rows,
    strip_ids,
)
from sitegen.readers.rows.options import GRAIN_RANK, KEY
from sitegen.readers.rows.rates import Evidence, read_metrics
from sitegen.readers.sources import int_columns, polars_read, with_lines

# Files over this size are read in batches; each batch is about BATCH_BYTES of text. Below it
# a whole read is faster and its peak (about 5x the file) is still under half a gigabyte.
BATCH_THRESHOLD = 96 * 1024**2
BATCH_BYTES = 32 * 1024**2
# Newlines looked at, backwards from a batch's end, for one outside quotes.
_MAX_CUT_TRIES = 100_000


def wanted(path: Path, size: int) -> bool:
    """Return True when a file is big delimited text, read in batches."""
    return size > BATCH_THRESHOLD and path.suffix.lower() in (".csv", ".tsv", ".txt")


def read_batched(path: Path, display: str, opts: ReadOptions) -> FileData | None:
    """Return the file's rows read in batches, or None when it must be read whole.

    A refused row raises the batch's DataError; a file over MAX_WHOLE_BYTES that the
    batches cannot read raises a DataError naming the reason.
    """
    size = path.stat().st_size
    try:
        try:
            return _read_once(path, display, opts, spill_all=False)
        except Unsorted:
            # Rows out of date order: read again, every row's hash on disk.
            return _read_once(path, display, opts, spill_all=True)
    except pl.exceptions.PolarsError:
        whole = Whole("polars could not read one of its batches")
    except UnicodeDecodeError:
        whole = Whole("the text is not UTF-8", "save the export as UTF-8 (CSV UTF-8)")
    except Whole as exc:
        whole = exc
    if size <= MAX_WHOLE_BYTES:
        return None
    raise DataError(
        f"the file cannot be read in parts: {whole.reason}",
        file=display,
        expected=f"a file over {MAX_WHOLE_BYTES // 1024**2} MB that reads the same in parts "
        "(rows/batchstate.MAX_WHOLE_BYTES); reading it whole would need about 5 times its size",
        found=whole.reason,
        hint=whole.hint,
    )


def _read_once(path: Path, display: str, opts: ReadOptions, *, spill_all: bool) -> FileData:
    with (
        path.open("rb") as fh,
        tempfile.TemporaryDirectory(prefix="sitegen-rows-") as spill,
    ):
        return _read(fh, path, display, opts, Path(spill), spill_all)


@dataclass
class _Head:
    layout: sniff.Layout
    start: int  # byte offset of the body in the file
    encoding: str


def _head(fh: BinaryIO, size: int, display: str, opts: ReadOptions, suffix: str) -> _Head:
    if opts.encoding is not None and codecs.lookup(opts.encoding).name not in (
        "utf-8",
        "utf-8-sig",
    ):
        raise Whole(f"its encoding is set to {opts.encoding}")
    head = fh.read(sniff.MAX_LINE_BYTES + 4)
    bom = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    data = head[bom:]
    if (
        head.startswith((b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04"))
        or b"\x00" in head
        or data[: sniff.SAMPLE_BYTES].count(b"\n") < 3
    ):
        raise Whole("it is UTF-16, a zip, binary, or has classic Mac line ends or very long lines")
    if not data.isascii():
        # Raises UnicodeDecodeError for text in another encoding (a cut character at the
        # end is fine): the whole read finds the encoding.
        codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    fh.seek(size - 1)
    if fh.read(1) == b"\x1a":
        raise Whole("it ends with a DOS end-of-file marker")
    layout = sniff.find_layout(
        data,
        display,
        suffix,
        opts.score_row,
        max_columns=opts.limits.max_columns,
        delimiter=opts.delimiter,
    )
    if layout.body_end is not None:
        raise Whole("it has a trailing '#' section")
    return _Head(layout, bom + layout.body_offset, "utf-8-sig" if bom else "utf-8")


def _cut(buf: bytes) -> int:
    """Return the end of the last whole record in buf (after a newline outside quotes)."""
    quotes = buf.count(b'"')
    pos = len(buf)
    after = 0
    for _ in range(_MAX_CUT_TRIES):
        nl = buf.rfind(b"\n", 0, pos)
        if nl < 0:
            return -1
        after += buf.count(b'"', nl + 1, pos)
        if (quotes - after) % 2 == 0:
            return nl + 1
        pos = nl
    return -1


def _batches(fh: BinaryIO, start: int, size: int) -> Iterator[tuple[bytes, bool]]:
    """Yield the body's batches (each ends a record) and whether each is the last."""
    fh.seek(start)
    offset = start
    carry = b""
    while True:
        chunk = fh.read(BATCH_BYTES)
        if not chunk:
            if carry:
                yield carry, True
            return
        buf = carry + chunk if carry else chunk
        del chunk
        end = len(buf) if offset + len(buf) == size else _cut(buf)
        if end <= 0:
            if len(buf) > 2 * BATCH_BYTES + sniff.MAX_LINE_BYTES:
                raise Whole("no record boundary in a batch: an open quote or a very long record")
            carry = buf
            continue
        batch, carry = (buf, b"") if end == len(buf) else (buf[:end], buf[end:])
        del buf
        offset += len(batch)
        yield batch, offset == size


def _read(
    fh: BinaryIO, path: Path, display: str, opts: ReadOptions, spill: Path, spill_all: bool
) -> FileData:
    size = path.stat().st_size
    head = _head(fh, size, display, opts, path.suffix.lower())
    layout = head.layout
    width = len(layout.header)
    ints = int_columns(layout, opts.number_columns)
    state = State(line=layout.body_line, spill=spill, size=size, spill_all=spill_all)
    for batch, last in _batches(fh, head.start, size):
        if b"\x00" in batch:
            raise Whole("it holds NUL bytes")
        if not batch.isascii():
            batch.decode("utf-8")  # UnicodeDecodeError: the whole read says what it is
        sniff.check_line_lengths(batch, display)
        if state.line > layout.body_line and batch.startswith((b"#", b"\n#", b"\r\n#")):
            raise Whole("maybe a trailing '#' section after a blank line")
        if sniff._trailing_section(batch, 0) is not None:
            raise Whole("it has a trailing '#' section")
        quoted = b'"' in batch
        read = polars_read(batch, layout, ints, width)
        last_cells = read.tail(1)  # with its cells past the header's width, if any
        frame = with_lines(read, state.line, quoted)
        del read
        state.line = _next_line(frame, last_cells, state.line, batch, quoted)
        del batch
        raw = RawTable(
            headers=layout.header,
            frame=frame,
            header_line=layout.header_line,
            title=layout.title,
            delimiter=layout.delimiter,
            encoding=head.encoding,
        )
        del frame
        if _shape(raw, path, display, opts, state, last):
            break
    if state.cols is None or state.first is None:
        raise Whole("no data in the body")
    return _finish(state, path, display, opts)


def _next_line(
    frame: pl.DataFrame, last_cells: pl.DataFrame, first: int, batch: bytes, quoted: bool
) -> int:
    """Return the physical line after a batch (which ends a record), from its rows' lines.

    Every line is a row (blank ones too) unless a quoted cell holds line breaks: the line
    after the last row is its line, plus the line breaks in its cells (`last_cells`, as
    read), plus one. Counting the batch's newlines in Python would be another pass over it.
    """
    if not frame.height:
        return first + batch.count(b"\n")
    line = int(frame.get_column("_line")[-1]) + 1
    if quoted:
        line += sum(v.count("\n") for v in last_cells.row(0) if isinstance(v, str))
    return line


def _shape(
    raw: RawTable, path: Path, display: str, opts: ReadOptions, state: State, last: bool
) -> bool:
    """Shape one batch into the state; return True when the table ends in it."""
    if state.cols is None:
        state.cols = assign_columns(raw, display, opts)
        state.first = raw
    cols = state.cols
    notes: list[SitegenWarning] = []
    part = Part(description=state.rows_seen == 0, start=state.rows_kept == 0, end=last, note=False)
    kept = keep_rows(raw, cols, display, opts, notes, part)
    state.table_notes += notes
    state.rows_seen += kept.seen
    state.rows_kept += kept.seen - int(kept.described)
    state.dropped += kept.dropped
    if kept.dropped and state.loc is None:
        state.loc = kept.loc
    try:
        # ISO dates were parsed while the rows were sorted out (keep_rows).
        parsed = kept.dates
        if parsed is None:
            parsed = parse_dates(kept.frame[col(cols.date)], opts.date_options(cols.date_role))
    except CellError as exc:
        # A date cell refused in a batch may read in the whole column (a day above 12 in
        # another batch settles the order): a file small enough is read whole to tell.
        if state.size <= MAX_WHOLE_BYTES:
            raise Whole("a date cell is refused in one of its parts", DATES_HINT) from None
        raise kept.loc.error(exc, cols.date) from None
    if kept.dates is None:  # ISO dates read the same in any part of the file
        note_dates(kept.frame[col(cols.date)], parsed, opts, state)
    evidence = Evidence()
    metric_notes: list[SitegenWarning] = []
    estimates: list[tuple[str, str, str]] = []
    values = read_metrics(kept, raw, cols, display, opts, metric_notes, evidence, estimates)
    state.evidence.append(evidence)
    if state.metric_notes is None:
        state.metric_notes = [w.message for w in metric_notes]
        state.metric_warnings = metric_notes
        state.estimates = estimates
    elif state.metric_notes != [w.message for w in metric_notes]:
        raise Whole("its parts give different notes about the columns")
    stem = opts.channel or channel_of(path)
    rows, ids = key_rows(kept.frame, parsed, cols, stem)
    order = [m for m in opts.metric_kinds if m in values]
    if state.metrics is None:
        state.metrics = order
    elif state.metrics != order:
        raise Whole("its parts have different metric columns")
    rows = rows.with_columns([values[m].cast(pl.Float64).alias(m) for m in order])
    del values
    timed = bool(parsed["timed"].any()) or state.timed
    state.timed |= timed
    state.finer = bool(cols.ids)
    for channel, grain in grains_of(rows, parsed, cols, stem).items():
        if channel not in state.grains or GRAIN_RANK[grain] < GRAIN_RANK[state.grains[channel]]:
            state.grains[channel] = grain
    same = stem if cols.channel is None and cols.competitor is None else None
    unique = [n for n, _ in ids]
    whole: list[str] = []
    if unique:
        if state.spill_all:
            # Ids are compared stripped across the file (check_block's repeated_id strips).
            spill_hashes(state, strip_ids(rows, unique), unique, kept.frame)
        else:
            # The rows' cells go along with them (and with the carry) to check_block.
            whole = [c for c in kept.frame.columns if is_cell(c) and c not in rows.columns]
            rows = rows.with_columns(kept.frame.select(whole))
    if state.finer or timed:
        # The rows of the batch's last date go with the next batch: a day that two batches
        # share (in a file sorted by date) is added up in one go, in file order, as whole.
        if state.carry is not None:
            rows = pl.concat([state.carry, rows], how="vertical_relaxed")
            state.carry = None
        if not (last or kept.stopped) and rows.height:
            dates = rows["date"]
            tail = dates.len() - int(dates.reverse().rle_id().eq(0).sum())
            state.carry, rows = rows.slice(tail), rows.slice(0, tail)
    if unique and not state.spill_all:
        check_block(state, rows, unique, ["date"] if same is not None else KEY, whole)
    out = combine_rows(
        rows, ids, bool(cols.ids), timed, order, opts, kept.loc, same, partial=True, check=False
    )
    if state.finer or timed or state.acc is not None:
        parts = [*([state.acc] if state.acc is not None else []), *state.plain, out]
        state.plain = []
        state.acc = _merge([_with_counts(f, opts) for f in parts], opts)
    else:
        state.plain.append(out)
    return kept.stopped


def _aggs(frame: pl.DataFrame, opts: ReadOptions) -> list[pl.Expr]:
    aggs = [pl.col("_line").min()]
    for m in frame.columns:
        if m in KEY or m == "_line" or m.endswith("#n"):
            continue
        kind = opts.metric_kinds.get(m, "flow")
        if kind == "stock":
            aggs.append(pl.col(m).drop_nulls().last())
        elif kind == "mean":
            aggs += [pl.col(m).sum(), pl.col(count_of(m)).sum()]
        else:
            aggs.append(pl.when(pl.col(m).count() > 0).then(pl.col(m).sum()).alias(m))
    return aggs


def _with_counts(frame: pl.DataFrame, opts: ReadOptions) -> pl.DataFrame:
    """Give a batch's rows that were not aggregated the counts of their mean metrics."""
    return frame.with_columns(
        pl.col(m).is_not_null().cast(pl.Int64).alias(count_of(m))
        for m in frame.columns
        if opts.metric_kinds.get(m) == "mean" and count_of(m) not in frame.columns
    )


def _merge(parts: list[pl.DataFrame], opts: ReadOptions) -> pl.DataFrame:
    """Merge partial aggregates (in file order) into one row per key."""
    frame = pl.concat(parts, how="diagonal_relaxed") if len(parts) > 1 else parts[0]
    return frame.group_by(KEY, maintain_order=True).agg(_aggs(frame, opts))


def _finish(state: State, path: Path, display: str, opts: ReadOptions) -> FileData:
    assert state.cols is not None and state.first is not None and state.metrics is not None
    if state.carry is not None:
        raise Whole("rows of the last date were left over")
    check_numbers(state)
    check_dates(state, opts)
    loc = Located(state.first, display, pl.Series("_line", [], dtype=pl.Int64))
    found = state.found or repeated(state)
    if found:
        raise duplicate_error(found, loc, "the same id")
    if state.acc is not None:
        frame = state.acc
    else:
        frame = pl.concat(state.plain)
        if bool(frame.select(pl.struct(KEY).hash().is_duplicated().any()).item()):
            found = duplicate(frame, KEY)
            if found:
                raise duplicate_error(found, loc, None)
    means = [m for m in frame.columns if count_of(m) in frame.columns]
    frame = frame.with_columns(
        pl.when(pl.col(count_of(m)) > 0).then(pl.col(m) / pl.col(count_of(m))).alias(m)
        for m in means
    )
    extra = ["posts"] if "posts" in frame.columns and "posts" not in state.metrics else []
    order = [m for m in opts.metric_kinds if m in state.metrics or m in extra]
    frame = frame.select(KEY + order + ["_line"])
    warnings = list(state.table_notes)
    if state.dropped:
        assert state.loc is not None
        warnings.append(totals_note(state.dropped, state.loc))
    warnings += state.metric_warnings
    warnings = column_notes(state.first, state.cols, display, frame, warnings, opts)
    return FileData(
        path=path,
        display=display,
        frame=frame,
        grains=state.grains,
        warnings=warnings,
        unknown_columns=list(state.cols.unknown),
        unit="line",
        platform=opts.platform,
        estimates=state.estimates,
    )


__all__ = ["BATCH_BYTES", "BATCH_THRESHOLD", "read_batched", "wanted"]
