"""Sniffing a delimited export on a sample: encoding, delimiter, preamble and header row.

Only the first megabyte or so is parsed in Python (with the csv module); the bulk of the file
is left to polars. Everything here works on the file's bytes transcoded to UTF-8.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sitegen.config.limits import DEFAULT_LIMITS, hint, setting
from sitegen.errors import DataError
from sitegen.readers.mapped import Bytes

# MAX_FILE_BYTES and MAX_COLUMNS are the defaults of [limits] max_file_bytes, max_columns.
MAX_FILE_BYTES = DEFAULT_LIMITS.max_file_bytes
MAX_LINE_BYTES = 10 * 1024**2
MAX_COLUMNS = DEFAULT_LIMITS.max_columns
SAMPLE_BYTES = 1 << 20
SAMPLE_LINES = 20  # the sample holds at least this many whole lines (wide exports), ...
SAMPLE_MAX_BYTES = 32 << 20  # ... unless they are longer than this
HEADER_SEARCH_ROWS = 60  # the header is the best row among these ...
HEADER_SEARCH_MORE = 1000  # ... else the first row with a date column among these
DELIMITERS = ("\t", ";", ",", "|")

# A quoted cell may be as big as a file (a post's text, or a hostile file); the csv module's
# default limit of 128 KB would stop the sniffing (and the fallback parser) mid-file.
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))

_SEP_LINE = re.compile(r'^\s*"?sep=(.)"?\s*$', re.IGNORECASE)
_EXPECTED_ENCODINGS = "UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1251 or Windows-1252"


@dataclass
class Text:
    """A file's text as UTF-8 bytes (no BOM) and the encoding it was read from."""

    data: bytes
    encoding: str
    as_in_file: bool = False  # data is the file's bytes (less a BOM): polars may read the file


def line_at(data: Bytes, offset: int) -> int:
    """Return the 1-based line number of a byte offset."""
    return data.count(b"\n", 0, offset) + 1


def _error_line(raw: bytes, start: int, encoding: str) -> int:
    return raw[:start].decode(encoding, errors="replace").count("\n") + 1


def to_utf8(raw: bytes, display: str, encoding: str | None = None) -> Text:
    """Return the file's bytes as UTF-8 text; DataError when no supported encoding fits.

    `encoding` (the `encoding` setting) is used instead of the guess.
    """
    if encoding is not None and codecs.lookup(encoding).name not in ("utf-8", "utf-8-sig"):
        return _given_encoding(raw, display, encoding)
    if raw.startswith(b"\xef\xbb\xbf"):
        text = Text(raw[3:], "utf-8-sig")
        _check_utf8(raw, 3, display)
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = Text(_from_utf16(raw, display), "utf-16")
    elif raw.startswith(b"PK\x03\x04"):
        raise DataError(
            "this is an Excel workbook (a zip file), not delimited text",
            file=display,
            line=1,
            expected="a .xlsx file name for a workbook",
            found="a zip/XLSX file with a text file name",
            hint="rename the file to .xlsx",
        )
    elif b"\x00" in raw:
        text = Text(_from_utf16_without_bom(raw, display), "utf-16")
    else:
        try:
            if not raw.isascii():  # ASCII is UTF-8: no need to decode a copy of the file
                raw.decode("utf-8")
            text = Text(raw, "utf-8")
        except UnicodeDecodeError as exc:
            if not raw[: exc.start].isascii():
                # Valid UTF-8 letters before the bad byte: a damaged or mixed file, and
                # reading it as Windows-1251/1252 would garble the letters already seen.
                raise DataError(
                    "the file is not valid UTF-8",
                    file=display,
                    line=line_at(raw, exc.start),
                    expected=_EXPECTED_ENCODINGS,
                    found=f"byte 0x{raw[exc.start]:02x} that is not UTF-8, after UTF-8 text",
                    hint="save the file again as UTF-8 (it looks like two files joined)",
                ) from None
            encoding = _legacy_encoding(raw)
            try:
                text = Text(raw.decode(encoding).encode("utf-8"), encoding)
            except UnicodeDecodeError as exc2:
                raise _unreadable(raw, exc2.start, display, encoding) from None
    data = text.data
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text.as_in_file = text.encoding.startswith("utf-8")
    if data.endswith(b"\x1a"):  # DOS end-of-file marker
        data = data[:-1]
        text.as_in_file = False
    if b"\n" not in data[:SAMPLE_BYTES] and b"\r" in data:
        data = data.replace(b"\r", b"\n")  # classic Mac line ends
        text.as_in_file = False
    text.data = data
    return text


def _given_encoding(raw: bytes, display: str, encoding: str) -> Text:
    """Return the file's bytes decoded with the encoding the settings name."""
    name = codecs.lookup(encoding).name
    if name.startswith("utf-16") and raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        name = "utf-16"  # the BOM says which byte order
    try:
        data = raw.decode(name).encode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"the file is not valid {encoding}",
            file=display,
            line=_error_line(raw, exc.start, "latin-1"),
            expected=f"text in {encoding} (the encoding setting)",
            found=f"byte 0x{raw[exc.start]:02x}, which is not {encoding}",
            hint="remove the encoding setting to let sitegen guess, or name the file's encoding",
        ) from None
    data = data.removeprefix(b"\xef\xbb\xbf")
    if data.endswith(b"\x1a"):  # DOS end-of-file marker
        data = data[:-1]
    if b"\n" not in data[:SAMPLE_BYTES] and b"\r" in data:
        data = data.replace(b"\r", b"\n")  # classic Mac line ends
    return Text(data, name, as_in_file=False)


def _check_utf8(raw: bytes, start: int, display: str) -> None:
    try:
        raw[start:].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(
            "the file says it is UTF-8 (it starts with a BOM) but is not",
            file=display,
            line=line_at(raw, start + exc.start),
            expected=_EXPECTED_ENCODINGS,
            found=f"byte 0x{raw[start + exc.start]:02x} that is not UTF-8",
            hint="save the file again as UTF-8",
        ) from None


def _unreadable(raw: bytes, start: int, display: str, encoding: str) -> DataError:
    return DataError(
        "cannot tell the file's text encoding",
        file=display,
        line=_error_line(raw, start, "latin-1"),
        expected=_EXPECTED_ENCODINGS,
        found=f"byte 0x{raw[start]:02x}, which is none of these",
        hint="save the file as UTF-8 (in Excel: Save As > CSV UTF-8)",
    )


def _from_utf16(raw: bytes, display: str) -> bytes:
    encoding = "utf-16-le" if raw.startswith(b"\xff\xfe") else "utf-16-be"
    body = raw[2:]
    if len(body) % 2:
        body = body[:-1]  # a stray last byte (truncated download) is not worth failing over
    try:
        return body.decode(encoding).encode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(
            "the file says it is UTF-16 (it starts with a BOM) but is not",
            file=display,
            line=_error_line(body, exc.start - exc.start % 2, encoding),
            expected=_EXPECTED_ENCODINGS,
            found="a broken UTF-16 character",
            hint="export the file again, or save it as UTF-8",
        ) from None


def _from_utf16_without_bom(raw: bytes, display: str) -> bytes:
    sample = raw[:SAMPLE_BYTES]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) / 2
    # ASCII-heavy UTF-16 has a NUL in every other byte; anything else with NULs is binary.
    if max(even, odd) >= 0.3 * half and min(even, odd) <= 0.05 * half:
        encoding = "utf-16-le" if odd > even else "utf-16-be"
        try:
            return raw[: len(raw) - len(raw) % 2].decode(encoding).encode("utf-8")
        except UnicodeDecodeError:
            pass
    nul = raw.index(b"\x00")
    raise DataError(
        "this is not a text file",
        file=display,
        line=line_at(raw, nul),
        expected=_EXPECTED_ENCODINGS,
        found="binary data (NUL bytes)",
        hint="export the data as CSV or XLSX; a workbook needs the .xlsx extension",
    )


def _legacy_encoding(raw: bytes) -> str:
    """Return windows-1251 or windows-1252 for 8-bit text, judged on a sample."""
    # Judged where the 8-bit text is: it may start past the first megabyte of ASCII.
    first = re.search(rb"[\x80-\xff]", raw)
    start = first.start() if first else 0
    sample = raw[start : start + SAMPLE_BYTES]
    runs = re.findall(rb"[\x80-\xff]+", sample)
    total = sum(len(r) for r in runs)
    # Cyrillic words are runs of high bytes; Western text has an accent here and there.
    joined = sum(len(r) for r in runs if len(r) >= 2)
    return "windows-1251" if total and joined / total >= 0.5 else "windows-1252"


def check_line_lengths(data: Bytes, display: str) -> None:
    """Refuse a file with a line longer than MAX_LINE_BYTES (checked without a Python loop)."""
    if len(data) <= MAX_LINE_BYTES:
        return
    window = MAX_LINE_BYTES // 2
    # A line of MAX_LINE_BYTES covers a whole aligned half-size window: look for a window
    # with no newline, then measure the line around it.
    for start in range(0, len(data), window):
        if data.find(b"\n", start, start + window) >= 0 or start + window > len(data):
            continue
        lo = data.rfind(b"\n", 0, start) + 1
        hi = data.find(b"\n", start)
        hi = len(data) if hi < 0 else hi
        if hi - lo > MAX_LINE_BYTES:
            raise DataError(
                "a line is too long to be a data row",
                file=display,
                line=line_at(data, lo),
                expected=f"lines under {MAX_LINE_BYTES // 1024**2} MB",
                found=f"a line of {(hi - lo) / 1024**2:.0f} MB",
                hint="this does not look like a platform export; check the file",
            )


@dataclass
class Layout:
    """Where the table is in a delimited file."""

    delimiter: str
    header: list[str]
    header_line: int  # 1-based physical line of the header
    body_line: int  # physical line where the first row after the header starts
    body_offset: int  # byte offset of body_line
    body_end: int | None  # byte offset where a trailing '#' section starts, if any
    title: list[str] = field(default_factory=list)  # preamble lines above the header
    sample: list[list[str]] = field(default_factory=list)  # sampled rows under the header


def _records(
    text: str, delimiter: str, first_line: int, limit: int | None = None
) -> list[tuple[int, list[str]]]:
    """Return (physical start line, cells) per record; blank lines are empty records."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    out: list[tuple[int, list[str]]] = []
    prev = 0
    try:
        for cells in reader:
            out.append((first_line + prev, cells))
            prev = reader.line_num
            if limit is not None and len(out) >= limit:
                break
    except csv.Error:
        pass  # the sample cuts a record; what was read so far is enough
    return out


def _widths(text: str, delimiter: str) -> Counter[int]:
    """Return how many records of the sample have each number of cells."""
    counts: Counter[int] = Counter()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    # Counted in C, no list per record kept; a record cut by the sample's end stops the
    # count, and what was counted so far is enough.
    with contextlib.suppress(csv.Error):
        counts.update(map(len, reader))
    return counts


def _pick_delimiter(text: str, suffix: str) -> str:
    """Return the delimiter that splits most records of the sample into as many cells."""
    if suffix == ".tsv":
        return "\t"
    best = (-1, -1, ",")
    for rank, delim in enumerate(DELIMITERS):
        if delim not in text:
            continue  # every record would be one cell: no need to parse the sample for it
        widths = {w: n for w, n in _widths(text, delim).items() if w >= 2}
        if not widths:
            continue
        count = max(widths.values())
        score = (count, -rank, delim)
        if score[:2] > best[:2]:
            best = score
    return best[2]


def sample_of(data: Bytes) -> bytes:
    """Return the first SAMPLE_LINES lines or SAMPLE_BYTES, whichever is longer, in whole
    lines (up to SAMPLE_MAX_BYTES): a wide export's header line alone can pass 64 KB."""
    end = -1
    for _ in range(SAMPLE_LINES):
        end = data.find(b"\n", end + 1, SAMPLE_MAX_BYTES)
        if end < 0:
            break
    if end >= SAMPLE_BYTES or (end < 0 and len(data) <= SAMPLE_MAX_BYTES):
        return data[:] if end < 0 else data[: end + 1]
    cut = data[: max(SAMPLE_BYTES, end + 1)] if end >= 0 else data[:SAMPLE_MAX_BYTES]
    if len(cut) < len(data):
        cut = cut[: cut.rfind(b"\n") + 1] or cut
    return cut


def find_layout(
    data: Bytes,
    display: str,
    suffix: str,
    score_row: Callable[[Sequence[str]], tuple[int, bool]],
    *,
    max_columns: int = MAX_COLUMNS,
    delimiter: str | None = None,
) -> Layout:
    """Return the delimiter, header row and body position of a delimited text file.

    max_columns is the project's [limits] max_columns (MAX_COLUMNS is its default);
    `delimiter` (the `delimiter` setting) is used instead of the guess.
    """
    given = delimiter
    cut = sample_of(data)
    sample = cut.decode("utf-8", errors="replace")
    if not sample.strip():
        raise DataError(
            "the file is empty",
            file=display,
            line=1,
            expected="a header row and data rows",
            found="no text",
        )
    first_line = 1
    lines = sample.split("\n", 1)
    sep = _SEP_LINE.match(lines[0].lstrip("\ufeff").rstrip("\r"))
    if sep:
        delimiter = given or sep.group(1)
        sample = lines[1] if len(lines) > 1 else ""
        first_line = 2
    else:
        delimiter = given or _pick_delimiter(sample, suffix)
    # Enough records for the header search (blank lines count as records) and one more.
    limit = 4 * HEADER_SEARCH_MORE
    records = _records(sample, delimiter, first_line, limit + 1)
    usable = records[:limit]
    if len(records) <= limit and len(data) > len(cut) and len(records) > 1:
        usable = records[:-1]  # the last record may be cut by the sample's end
    candidates = [(ln, cells) for ln, cells in usable if any(c.strip() for c in cells)]
    candidates = candidates[:HEADER_SEARCH_MORE]
    if not candidates:
        raise DataError(
            "the file has no rows",
            file=display,
            line=first_line,
            expected="a header row and data rows",
            found="only a 'sep=' line or blank lines",
        )
    for line, cells in candidates:
        if len(cells) > max_columns:  # before any work per cell
            raise DataError(
                "too many columns",
                file=display,
                line=line,
                expected=f"at most {max_columns:,} columns ({setting('max_columns')})",
                found=f"{len(cells):,} columns",
                hint=hint("max_columns"),
            )
    best_index, best_score = 0, (0, False)
    for i, (_, cells) in enumerate(candidates):
        if i >= HEADER_SEARCH_ROWS and best_score[1]:
            break  # past the first rows, only a table with a date column is looked for
        recognised, has_date = score_row([c.strip().lstrip("\ufeff") for c in cells])
        score = (recognised + int(has_date), has_date)
        if i >= HEADER_SEARCH_ROWS and has_date:
            # The first table with a date column (Google Analytics: a daily table under a
            # long table of pages or channels).
            best_index, best_score = i, score
            break
        if score > best_score:
            best_index, best_score = i, score
    if best_score[0] == 0:
        # Nothing recognised: take the first row as wide as most rows, so that the error
        # about the missing date column can show what the header looks like.
        first = candidates[:HEADER_SEARCH_ROWS]
        widths = Counter(len(c) for _, c in first)
        modal = widths.most_common(1)[0][0]
        best_index = next(i for i, (_, c) in enumerate(first) if len(c) == modal)
    header_line, header = candidates[best_index]
    pos = records.index((header_line, header))
    if pos + 1 < len(records):
        body_line = records[pos + 1][0]
    else:  # the header is the last record read: the body starts on the next line
        body_line = first_line + sample.rstrip("\n").count("\n") + 1
    title = [
        " ".join(c.strip() for c in cells if c.strip()).lstrip("#").strip()
        for ln, cells in records[:pos]
        if any(c.strip() for c in cells)
    ]
    offset = _offset_of_line(data, body_line)
    return Layout(
        delimiter=delimiter,
        header=[c.strip().lstrip("\ufeff").strip() for c in header],
        header_line=header_line,
        body_line=body_line,
        body_offset=offset,
        body_end=_trailing_section(data, offset),
        title=[t for t in title if t],
        sample=[cells for _, cells in usable[pos + 1 :]],
    )


def _offset_of_line(data: Bytes, line: int) -> int:
    pos = 0
    for _ in range(line - 1):
        nxt = data.find(b"\n", pos)
        if nxt < 0:
            return len(data)
        pos = nxt + 1
    return pos


_MAX_HASHES = 1000


def _trailing_section(data: Bytes, start: int) -> int | None:
    """Return where a '#' block after a blank line begins (Google Analytics), outside quotes."""
    # Most files have few '#' or none: look at each '#' (found at memchr speed) and the bytes
    # before it, rather than search the whole file for two patterns.
    quotes = 0
    counted = pos = start
    hashes = 0
    hit = data.find(b"#", start)
    while hit >= 0:
        hashes += 1
        if hashes > _MAX_HASHES:  # '#' everywhere (hashtags): the pattern search is faster
            return _trailing_section_search(data, start)
        if (hit - 2 >= pos and data[hit - 2 : hit] == b"\n\n") or (
            hit - 3 >= pos and data[hit - 3 : hit] == b"\n\r\n"
        ):
            quotes += data.count(b'"', counted, hit)
            counted = hit
            if quotes % 2 == 0:  # not inside a quoted cell
                return hit
            pos = hit
        hit = data.find(b"#", hit + 1)
    return None


def _trailing_section_search(data: Bytes, start: int) -> int | None:
    quotes = 0
    counted = start
    pos = start
    while True:
        hits = [h for h in (data.find(b"\n\n#", pos), data.find(b"\n\r\n#", pos)) if h >= 0]
        if not hits:
            return None
        hit = min(hits)
        begin = data.find(b"#", hit)  # found: hit ends with it
        quotes += data.count(b'"', counted, begin)
        counted = begin
        if quotes % 2 == 0:  # not inside a quoted cell
            return begin
        pos = begin
