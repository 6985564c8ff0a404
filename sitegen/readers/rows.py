"""From a RawTable to one file's clean rows, one per (date, channel, competitor).

Steps, all as polars expressions over whole columns: give each header its role (alias
table); drop blank rows, '#' comment rows, a description row under the header and total rows
(with a note); parse the date column and the metric columns; turn rates back into counts
where the file lacks the count; then add finer rows up (when an id or name column, or a time
of day, tells them apart) or refuse rows that nothing tells apart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from sitegen.errors import ConfigError, DataError, SitegenWarning
from sitegen.readers.aliases import AliasTable, Role, normalise
from sitegen.readers.cells import CellError, show
from sitegen.readers.dates import DateOptions, date_share, parse_dates
from sitegen.readers.numbers import MISSING_TOKENS, NumberColumn, file_hint
from sitegen.readers.sources import RawTable, col, exact

# "Total", "Total: Account", "Grand total (3)", "Kopā"; Russian "Итого ..." / "Всего ..." with
# anything after ("Итого и средние" in Yandex.Metrica).
TOTAL_RE = (
    r"(?i)^\s*(?:(?:total|totals|grand total|sum|kopā|kopsumma|summa)(?:\s*[:(\-–—].*)?"
    r"|(?:итого|итог|всего)\b.*)\s*$"
)
GRAIN_RANK = {"day": 0, "week": 1, "month": 2}
GRAINS = ("day", "week", "month")
KEY = ["date", "channel", "competitor"]
# Prefixes of Meta Business Suite title lines ("Facebook Page reach", "Instagram follows").
_TITLE_PREFIXES = ("facebook page ", "facebook ", "instagram ", "page ")
_MAX_LINES_SHOWN = 5


@dataclass
class ReadOptions:
    """What the reader needs from the project: metric kinds, extra aliases, date settings."""

    metric_kinds: Mapping[str, str]
    columns: Mapping[str, str] | None
    date_format: str | None
    timezone: str | None
    table: AliasTable

    def role(self, header: str, present: AbstractSet[str] = frozenset()) -> Role | None:
        """Return what a header means in this project (None when unknown)."""
        return self.table.lookup(
            header,
            metric_kinds=self.metric_kinds,
            columns=self.columns,
            present=present,
        )

    def roles(self, headers: Sequence[str]) -> list[Role | None]:
        """Return what each header of a header row means (None when unknown or empty)."""
        present = frozenset(normalise(h) for h in headers)
        return [self.role(h, present) if h else None for h in headers]

    def number_columns(self, headers: Sequence[str]) -> list[bool]:
        """Return, per header, whether its column is read as a metric's or a rate's numbers."""
        return [r is not None and r.kind in ("metric", "rate") for r in self.roles(headers)]

    def score_row(self, cells: Sequence[str]) -> tuple[int, bool]:
        """Return (cells recognised, has a date column) for a candidate header row."""
        present = frozenset(normalise(c) for c in cells)
        roles = [self.role(c, present) for c in cells if c]
        recognised = sum(1 for r in roles if r is not None)
        has_date = any(r is not None and r.kind in ("date", "week", "month") for r in roles)
        return recognised, has_date


@dataclass
class FileData:
    """One file's rows: date, channel, competitor, metrics and _line (first source line)."""

    path: Path
    display: str
    frame: pl.DataFrame
    grains: dict[str, str]
    warnings: list[SitegenWarning] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    unit: str = "line"


@dataclass
class _Columns:
    date: int
    date_role: str
    channel: int | None
    competitor: int | None
    ids: list[tuple[int, str]]  # (column, id kind)
    metrics: dict[str, int]  # metric -> column
    rates: dict[str, int]  # rate -> column
    unknown: list[str]
    derived: list[int]  # rate/ratio columns the engine recomputes (evidence for numbers only)
    doubles: list[tuple[str, str, str]]  # (metric, used header, ignored header)


def channel_of(path: Path) -> str:
    """Return the channel a file stands for when it has no channel column."""
    return " ".join(path.stem.strip().lower().split())


class _Located:
    """Turns a row position of the working frame into file:line messages."""

    def __init__(self, raw: RawTable, display: str, lines: pl.Series) -> None:
        self.raw = raw
        self.display = display
        self.lines = lines

    def line(self, row: int) -> int:
        return int(self.lines[row])

    def where(self, line: int) -> str:
        if self.raw.unit == "record":
            return f"record {line}"
        if self.raw.sheet:
            return f"sheet {self.raw.sheet!r}, row {line}"
        return f"{self.raw.unit} {line}"

    def error(self, exc: CellError, column: int, note: str = "") -> DataError:
        line = self.line(exc.row)
        found = exc.found
        if exc.other_row is not None:
            found += f" (compare {self.where(self.line(exc.other_row))})"
        message = exc.message + note
        if self.raw.unit != "line" or self.raw.sheet:
            message += f" ({self.where(line)})"
        return DataError(
            message,
            file=self.display,
            line=line,
            column=column + 1,
            key=self.raw.headers[column],
            expected=exc.expected,
            found=found,
            hint=exc.hint,
        )


def _assign(raw: RawTable, display: str, opts: ReadOptions) -> _Columns:
    headers = raw.headers
    roles = opts.roles(headers)
    for header, role in zip(headers, roles, strict=True):
        if (
            role is not None
            and role.explicit
            and role.kind == "metric"
            and (role.name not in opts.metric_kinds)
        ):
            raise ConfigError(
                f"[data.columns] maps {header!r} to an unknown metric",
                file="sitegen.toml",
                key=f"data.columns.{header}",
                expected="a base metric: " + ", ".join(opts.metric_kinds),
                found=repr(role.name),
            )
    dates = sorted(
        (r.priority, i)
        for i, r in enumerate(roles)
        if r is not None and r.kind in ("date", "week", "month")
    )
    if not dates:
        shown = ", ".join(repr(h) for h in headers[:12] if h)
        raise DataError(
            "no date column",
            file=display,
            line=raw.header_line,
            expected="a date column: date, Date, Day, Дата, Datums, Reporting starts, ...",
            found=f"columns {shown}" if shown else "no header",
            hint='name the date column "date", or map it: add "<its header>" = "date" under '
            "[data.columns] in sitegen.toml",
        )
    date = dates[0][1]
    for _, i in dates:
        # Meta's post exports have a "Date" column reading "Lifetime": take the first
        # candidate whose cells look like dates.
        sample = raw.frame[col(i)].drop_nulls().head(50)
        if len(sample) and date_share(sample) >= 0.5:
            date = i
            break
    metric_cols: dict[str, list[tuple[int, int]]] = {}
    rate_cols: dict[str, list[tuple[int, int]]] = {}
    channel = competitor = None
    ids: list[tuple[int, str]] = []
    unknown: list[str] = []
    derived: list[int] = []
    value: int | None = None
    for i, role in enumerate(roles):
        if i == date:
            continue
        if role is None:
            if headers[i]:
                unknown.append(headers[i])
            continue
        if role.kind == "metric":
            metric_cols.setdefault(role.name, []).append((role.priority, i))
        elif role.kind == "rate":
            rate_cols.setdefault(role.name, []).append((role.priority, i))
        elif role.kind == "id":
            ids.append((i, role.name))
        elif role.kind == "channel" and channel is None:
            channel = i
        elif role.kind == "competitor" and competitor is None:
            competitor = i
        elif role.kind == "value" and value is None:
            value = i
        elif role.kind == "derived":
            derived.append(i)
    doubles: list[tuple[str, str, str]] = []
    metrics: dict[str, int] = {}
    for name, found in metric_cols.items():
        found.sort()
        metrics[name] = found[0][1]
        doubles += [(name, headers[found[0][1]], headers[i]) for _, i in found[1:]]
    if value is not None:
        metric = _title_metric(raw.title, opts)
        if metric is not None and metric not in metrics:
            metrics[metric] = value
        else:
            unknown.append(headers[value])
    rates = {name: min(found)[1] for name, found in rate_cols.items()}
    return _Columns(
        date=date,
        date_role=roles[date].kind if roles[date] else "date",  # type: ignore[union-attr]
        channel=channel,
        competitor=competitor,
        ids=ids,
        metrics=metrics,
        rates=rates,
        unknown=unknown,
        derived=derived,
        doubles=doubles,
    )


def _title_metric(title: list[str], opts: ReadOptions) -> str | None:
    found: set[str] = set()
    for line in title:
        key = normalise(line)
        candidates = [key] + [key[len(p) :] for p in _TITLE_PREFIXES if key.startswith(p)]
        for candidate in candidates:
            role = opts.role(candidate)
            if role is not None and role.kind == "metric":
                found.add(role.name)
                break
    return found.pop() if len(found) == 1 else None


def _blank(name: str, dtype: object) -> pl.Expr:
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


def _header_again(name: str, dtype: object, header: str, opts: ReadOptions) -> pl.Expr:
    """Return a mask of rows whose date cell is a date column's header (a new table)."""
    if dtype != pl.String:
        return pl.lit(False)
    return pl.col(name).str.contains(_header_pattern(header, opts)).fill_null(False)


def _plain_dates(frame: pl.DataFrame, name: str, header: str, opts: ReadOptions) -> bool:
    """Return True when no date cell is blank, a total label or a date column's header."""
    if frame.schema[name] != pl.String:
        return True
    # One regex pass for the three checks; only a column with such a cell needs each one.
    checks = (r"^\s*$", TOTAL_RE, _header_pattern(header, opts))
    pattern = "|".join(f"(?:{p})" for p in checks)
    return not frame.select(pl.col(name).str.contains(pattern).any()).item()


def _lines_text(lines: Sequence[int], loc: _Located) -> str:
    shown = ", ".join(str(n) for n in lines[:_MAX_LINES_SHOWN])
    more = f" and {len(lines) - _MAX_LINES_SHOWN} more" if len(lines) > _MAX_LINES_SHOWN else ""
    unit = loc.raw.unit + ("s" if len(lines) > 1 else "")
    return f"{unit} {shown}{more}"


def shape_file(raw: RawTable, path: Path, display: str, opts: ReadOptions) -> FileData:
    """Return one file's typed rows, aggregated to one per (date, channel, competitor)."""
    cols = _assign(raw, display, opts)
    warnings: list[SitegenWarning] = []
    labels = [cols.date] + [i for i in (cols.channel, cols.competitor) if i is not None]
    labels += [i for i, _ in cols.ids]
    values = list(cols.metrics.values()) + list(cols.rates.values())
    unique_ids = [(i, kind) for i, kind in cols.ids if kind in ("post", "record")]
    keep_cols = [cols.date] + [i for i in (cols.channel, cols.competitor) if i is not None]
    keep_cols = list(dict.fromkeys(keep_cols + [i for i, _ in unique_ids] + values + cols.derived))
    dtypes = dict(zip(raw.frame.columns, raw.frame.dtypes, strict=True))
    dname = col(cols.date)

    # Blank lines, rows of empty cells and '#' comment rows carry nothing. Total rows say
    # "Total", "Итого" or "Kopā" in a label cell (date, channel, id or name columns).
    blank = pl.all_horizontal(_blank(col(i), dtypes[col(i)]) for i in labels + values)
    first = col(0)
    comment = pl.lit(False)
    if dtypes[first] == pl.String:
        comment = pl.col(first).str.contains(r"^\s*#").fill_null(False)
        if cols.date != 0:
            comment = comment & _blank(dname, dtypes[dname])
    plain = _plain_dates(raw.frame, dname, raw.headers[cols.date], opts)
    totals = pl.lit(False)
    for i in labels:
        if dtypes[col(i)] == pl.String and not (plain and i == cols.date):
            totals = totals | pl.col(col(i)).str.contains(TOTAL_RE).fill_null(False)
    # Only the columns in use go on; the rest of the raw table is released (memory). Name
    # and breakdown columns matter only as "rows here are finer than a day".
    exacts = [exact(col(i)) for i in values if exact(col(i)) in dtypes]
    ragged = ["_ragged"] if "_ragged" in dtypes else []
    frame = raw.frame.select(
        *[col(i) for i in keep_cols],
        *exacts,
        *ragged,
        "_line",
        _totalre=totals,
        _nodate=pl.col(dname).is_null() if plain else _blank(dname, dtypes[dname]),
        _header=(
            pl.lit(False)
            if plain
            else _header_again(dname, dtypes[dname], raw.headers[cols.date], opts)
        ),
    )
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
    if skip is not None and bool(frame["_skip"].any()):  # filtering copies every column
        frame = frame.filter(~pl.col("_skip"))

    loc = _Located(raw, display, frame["_line"])
    if frame.height and _is_description(frame, cols, dtypes):
        frame = frame.slice(1)

    # A row without a date at either end of the table is a total too (Google Analytics'
    # unlabeled sum row); elsewhere it is an error.
    position = pl.int_range(0, pl.len())
    edge = (position == 0) | (position == pl.len() - 1)
    frame = frame.with_columns(_total=pl.col("_totalre") | (pl.col("_nodate") & edge))
    dropped = frame.filter(pl.col("_total"))["_line"].to_list()
    if dropped:
        warnings.append(
            SitegenWarning(
                f"dropped {len(dropped)} total row(s) ({_lines_text(dropped, loc)}); "
                "totals are recomputed from the rows",
                file=display,
                line=dropped[0],
                code="note",
            )
        )
        frame = frame.filter(~pl.col("_total"))
    loc = _Located(raw, display, frame["_line"])
    if ragged and bool(frame["_ragged"].any()):
        row = int(frame["_ragged"].arg_true()[0])
        raise DataError(
            "a row has more cells than the header",
            file=display,
            line=loc.line(row),
            expected=f"at most {len(raw.headers)} cells, as in the header (line {raw.header_line})",
            found=f"more; a cell holding a {raw.delimiter!r} without quotes splits in two",
            hint="quote cells that contain the delimiter, or export the file again",
        )
    if frame.height and bool(frame["_nodate"].any()):
        row = int(frame["_nodate"].arg_true()[0])
        raise DataError(
            "a row without a date",
            file=display,
            line=loc.line(row),
            column=cols.date + 1,
            key=raw.headers[cols.date],
            expected="a date in every row",
            found="an empty cell",
            hint="fill in the date, or delete the row",
        )

    try:
        parsed = parse_dates(
            frame[dname],
            DateOptions(opts.date_format, opts.timezone, role=cols.date_role),
        )
    except CellError as exc:
        raise loc.error(exc, cols.date) from None

    numbers = {
        i: NumberColumn(frame[col(i)], frame[exact(col(i))] if exact(col(i)) in exacts else None)
        for i in values
    }
    # Derived columns (CPC, "85,98%" engagement rates) are not read, but their numbers say
    # which decimal mark the file uses.
    evidence = [NumberColumn(frame[col(i)]) for i in cols.derived if dtypes[col(i)] == pl.String]
    hint = file_hint([*numbers.values(), *evidence], raw.delimiter)
    metric_values: dict[str, pl.Series] = {}
    rate_of_numerator = {r.numerator: r for r in opts.table.rates.values()}
    rates = dict(cols.rates)
    for name, i in cols.metrics.items():
        column = numbers[i]
        if column.has_percent:
            rate = rate_of_numerator.get(name)
            if rate is not None and rate.name not in rates:
                rates[rate.name] = i  # Metrica's "Отказы" in % is the bounce rate
                continue
            row = int(frame[col(i)].cast(pl.Utf8).str.contains("%", literal=True).arg_true()[0])
            raise loc.error(
                CellError(
                    row,
                    f"a percentage in the {name} column",
                    expected=f"a count of {name}, without a % sign",
                    found=show(frame[col(i)][row]),
                    hint=f"if this column is a rate, map another column to {name} under "
                    "[data.columns], or remove this one",
                ),
                i,
            )
        try:
            metric_values[name] = column.parse(hint)
        except CellError as exc:
            raise loc.error(exc, i) from None
    ignored_rates: list[str] = []
    for rate_name, i in rates.items():
        spec = opts.table.rates[rate_name]
        if (
            spec.numerator in metric_values
            or spec.denominator not in metric_values
            or (spec.numerator not in opts.metric_kinds)
        ):
            ignored_rates.append(raw.headers[i])
            continue
        try:
            share = numbers[i].parse(hint)
        except CellError as exc:
            raise loc.error(exc, i) from None
        percent = "%" in raw.headers[i] or numbers[i].percent > 0 or bool((share.abs() > 1).any())
        fraction = share / 100 if percent else share
        metric_values[spec.numerator] = fraction * metric_values[spec.denominator]
    if cols.derived or ignored_rates:
        names = ", ".join(repr(h) for h in [raw.headers[i] for i in cols.derived] + ignored_rates)
        warnings.append(
            SitegenWarning(
                f"ignored rate/derived column(s) {names}: KPIs are computed from their parts",
                file=display,
                line=raw.header_line,
                code="note",
            )
        )

    stem = channel_of(path)
    channel: pl.Series | pl.Expr
    competitor: pl.Series | pl.Expr
    if cols.channel is not None:
        channel = (
            frame[col(cols.channel)]
            .cast(pl.Utf8)
            .str.strip_chars()
            .str.to_lowercase()
            .str.replace_all(r"\s+", " ")
        )
        channel = pl.select(
            pl.when(pl.lit(channel).is_null() | (pl.lit(channel) == ""))
            .then(pl.lit(stem))
            .otherwise(pl.lit(channel))
        ).to_series()
    else:
        channel = pl.lit(stem, dtype=pl.Utf8)  # one value: not a million copies
    if cols.competitor is not None:
        comp = frame[col(cols.competitor)].cast(pl.Utf8).str.strip_chars()
        competitor = pl.select(
            pl.when(pl.lit(comp) == "").then(None).otherwise(pl.lit(comp))
        ).to_series()
    else:
        competitor = pl.lit(None, dtype=pl.Utf8)

    rows = pl.DataFrame({"date": parsed["date"], "grain": parsed["grain"]}).with_columns(
        channel=channel, competitor=competitor, _line=frame["_line"]
    )
    ids: list[tuple[str, str]] = []  # (column in rows, id kind)
    for n, (i, kind) in enumerate(unique_ids):
        ids.append((f"_id{n}", kind))
        rows = rows.with_columns(frame[col(i)].cast(pl.Utf8).str.strip_chars().alias(f"_id{n}"))
    metric_order = [m for m in opts.metric_kinds if m in metric_values]
    rows = rows.with_columns([metric_values[m].cast(pl.Float64).alias(m) for m in metric_order])

    timed = bool(parsed["timed"].any())
    # Without channel and competitor columns, every row has the same channel and competitor.
    same = stem if cols.channel is None and cols.competitor is None else None
    out = _combine(rows, ids, bool(cols.ids), timed, metric_order, opts, loc, same)
    if cols.channel is None:
        seen = [g for g in GRAINS if bool((parsed["grain"] == g).any())]
        grains = {stem: seen[0]} if seen else {}
    else:
        grains = {
            str(c): GRAINS[int(r)]
            for c, r in rows.group_by("channel")
            .agg(pl.col("grain").replace_strict(GRAIN_RANK, return_dtype=pl.Int8).min())
            .iter_rows()
        }
    if cols.unknown:
        names = ", ".join(repr(h) for h in cols.unknown)
        warnings.insert(
            0,
            SitegenWarning(
                f"ignored {len(cols.unknown)} unknown column(s): {names}",
                file=display,
                line=raw.header_line,
                code="unknown_columns",
                hint="to read one, map it to a metric under [data.columns] in sitegen.toml, e.g. "
                f'"{cols.unknown[0]}" = "clicks"',
            ),
        )
    if not out.height:
        warnings.append(
            SitegenWarning(
                "the file has a header but no data rows",
                file=display,
                line=raw.header_line,
                code="empty_file",
                hint="export a period with data, or remove the file",
            )
        )
    for metric, used_header, other in cols.doubles:
        warnings.append(
            SitegenWarning(
                f"columns {used_header!r} and {other!r} both give {metric}; using {used_header!r}",
                file=display,
                line=raw.header_line,
                code="duplicate_column",
                hint=f'map the one you want under [data.columns], e.g. "{other}" = "{metric}"',
            )
        )
    return FileData(
        path=path,
        display=display,
        frame=out,
        grains=grains,
        warnings=warnings,
        unknown_columns=list(cols.unknown),
        unit=raw.unit,
    )


def _is_description(frame: pl.DataFrame, cols: _Columns, dtypes: Mapping[str, object]) -> bool:
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


def _duplicate(rows: pl.DataFrame, key: list[str]) -> tuple[int, int, tuple[object, ...]] | None:
    """Return the lines of the first two rows sharing `key`, and the key, or None."""
    dup = rows.filter(pl.struct(key).is_duplicated())
    if not dup.height:
        return None
    first = dup.row(0, named=True)
    same = dup.filter(
        pl.all_horizontal(pl.col(k).eq_missing(pl.lit(first[k], dtype=rows.schema[k])) for k in key)
    )
    lines = sorted(same["_line"].to_list())
    return lines[0], lines[1], tuple(first[k] for k in key)


def _all_different(ids: pl.Series) -> bool:
    """Return True when no two cells of a text column are equal (False: they may be)."""
    # Equal texts give equal numbers and equal hashes: distinct numbers (ids are mostly
    # numbers), or else distinct hashes, prove the texts distinct, faster than comparing them.
    n = ids.len()
    return ids.cast(pl.Int64, strict=False).n_unique() == n or ids.hash().n_unique() == n


def _combine(
    rows: pl.DataFrame,
    ids: list[tuple[str, str]],
    finer: bool,
    timed: bool,
    metrics: list[str],
    opts: ReadOptions,
    loc: _Located,
    channel: str | None = None,
) -> pl.DataFrame:
    """Add finer rows up per key, or refuse rows that nothing tells apart.

    `ids` are the post/record id columns (unique per date); `finer` says whether the file
    has any id or name column at all; `channel`, when given, is every row's channel (and
    no row has a competitor), so that the date alone is the key.
    """
    unique = [n for n, _ in ids]
    key = ["date"] if channel is not None else KEY
    # Hashes first (8 bytes a row instead of a table of strings); the exact check runs only
    # when two rows hash alike. Ids that are all different (one per post) settle it sooner.
    if (
        unique
        and not any(_all_different(rows[n]) for n in unique)
        and bool(rows.select(pl.struct(key + unique).hash()).to_series().is_duplicated().any())
    ):
        checked = rows.filter(pl.all_horizontal(pl.col(n).is_not_null() for n in unique))
        found = _duplicate(checked, KEY + unique)
        if found:
            raise _duplicate_error(found, loc, "the same id")
    elif (
        not unique
        and not finer
        and not timed
        and bool(rows.select(pl.struct(key).hash()).to_series().is_duplicated().any())
    ):
        found = _duplicate(rows, KEY)
        if found:
            raise _duplicate_error(found, loc, None)
    if not finer and not timed:
        return rows.select(KEY + metrics + ["_line"])
    aggs = [pl.col("_line").min()]
    for m in metrics:
        kind = opts.metric_kinds[m]
        if kind == "stock":
            aggs.append(pl.col(m).drop_nulls().last())
        elif kind == "mean":
            aggs.append(pl.col(m).mean())
        else:
            aggs.append(pl.when(pl.col(m).count() > 0).then(pl.col(m).sum()).alias(m))
    post_ids = [n for n, kind in ids if kind == "post"]
    extra: list[str] = []
    if post_ids and "posts" not in metrics and "posts" in opts.metric_kinds:
        # One row per post: the rows themselves count the posts.
        aggs.append(pl.col(post_ids[0]).is_not_null().sum().cast(pl.Float64).alias("posts"))
        extra = ["posts"]
    out = rows.group_by(key, maintain_order=True).agg(aggs)
    if channel is not None:
        out = out.with_columns(channel=pl.lit(channel), competitor=pl.lit(None, dtype=pl.Utf8))
    order = [m for m in opts.metric_kinds if m in metrics or m in extra]
    return out.select(KEY + order + ["_line"])


def _duplicate_error(
    found: tuple[int, int, tuple[object, ...]], loc: _Located, what: str | None
) -> DataError:
    first, second, key = found
    date, channel, competitor = key[:3]
    who = f"channel {channel}" + (f", competitor {competitor}" if competitor else "")
    if what:
        message = f"two rows for {date} ({who}) with the same id"
        hint = "remove the repeated row (the export may have been pasted twice)"
    else:
        message = f"two rows for {date} ({who}) that nothing tells apart"
        hint = (
            "remove one of them; if they are different posts, ads or campaigns, keep "
            "a column that names them (Post ID, Campaign, Ad name); if they are different "
            "channels, add a channel column"
        )
    return DataError(
        message,
        file=loc.display,
        line=second,
        expected="one row per date, channel and competitor",
        found=f"{loc.where(first)} and {loc.where(second)}",
        hint=hint,
    )
