"""Give each header of a raw table its role (date, channel, competitor, id, metric, rate)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from sitegen.errors import ConfigError, DataError
from sitegen.errors import shown as shown_text
from sitegen.readers.aliases import normalise
from sitegen.readers.cells import CellError
from sitegen.readers.dates import date_share
from sitegen.readers.raw import RawTable, col
from sitegen.readers.rows.options import ReadOptions

# Prefixes of Meta Business Suite title lines ("Facebook Page reach", "Instagram follows").
_TITLE_PREFIXES = ("facebook page ", "facebook ", "instagram ", "page ")
_MAX_LINES_SHOWN = 5
_PLATFORM_WORDS = frozenset(["facebook", "instagram"])
_TRAILING_WORDS = frozenset(["на", "в", "страницы", "lapas", "lapa", "page"])


@dataclass
class Columns:
    """Which column of a raw table plays which role (column numbers count from 0)."""

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

    def labels(self) -> list[int]:
        """The columns that label a row: date, channel, competitor, ids and names."""
        keys = [self.date] + [i for i in (self.channel, self.competitor) if i is not None]
        return keys + [i for i, _ in self.ids]

    def values(self) -> list[int]:
        """The columns read as numbers: metrics, then rates."""
        return list(self.metrics.values()) + list(self.rates.values())

    def unique_ids(self) -> list[tuple[int, str]]:
        """The id columns unique per date (posts, records), with their kind."""
        return [(i, kind) for i, kind in self.ids if kind in ("post", "record")]


class Located:
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


def assign_columns(raw: RawTable, display: str, opts: ReadOptions) -> Columns:
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
        named = [repr(shown_text(h, 40)) for h in headers if h]
        listed = ", ".join(named[:6]) + (f" and {len(named) - 6} more" if len(named) > 6 else "")
        shown = f"{len(headers)} columns: {listed}" if len(named) > 6 else f"columns {listed}"
        raise DataError(
            "no date column",
            file=display,
            line=raw.header_line,
            expected="a date column: date, Date, Day, Дата, Datums, Reporting starts, ...",
            found=shown if named else "no header",
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
    return Columns(
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
        # Longest first: "Facebook Page likes" is "page likes" (followers), not "likes".
        stripped = [key[len(p) :] for p in _TITLE_PREFIXES if key.startswith(p)]
        # Russian and Latvian titles name the platform after the metric ("Охват на Facebook").
        words = [w for w in key.split() if w not in _PLATFORM_WORDS]
        while words and words[-1] in _TRAILING_WORDS:
            words.pop()
        candidates = [key, *sorted(stripped, key=len, reverse=True), " ".join(words)]
        for candidate in candidates:
            role = opts.role(candidate)
            if role is not None and role.kind == "metric":
                found.add(role.name)
                break
    return found.pop() if len(found) == 1 else None


def lines_text(lines: Sequence[int], loc: Located) -> str:
    shown = ", ".join(str(n) for n in lines[:_MAX_LINES_SHOWN])
    more = f" and {len(lines) - _MAX_LINES_SHOWN} more" if len(lines) > _MAX_LINES_SHOWN else ""
    unit = loc.raw.unit + ("s" if len(lines) > 1 else "")
    return f"{unit} {shown}{more}"
