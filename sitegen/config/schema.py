"""Declare the keys of a TOML table once, then check tables against the declaration.

A ``Field`` says what one key holds: its type, default, the text of what is expected, a hint
and an optional validator; the docs' key tables are generated from the same fields. A
``Checker`` collects every problem of one file, each naming the file and the key path, what
was expected and what was found, then raises them together; unknown keys are warnings with a
did-you-mean hint. Bad values are reported, never replaced by defaults in a build; ``sitegen
check`` reads the valid part (bad values left at their defaults) and reports the rest.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sitegen.config.slug import ascii_slug
from sitegen.config.values import parse_change, show
from sitegen.errors import ConfigError, MultipleErrors, SitegenError, SitegenWarning
from sitegen.model.periods import Period
from sitegen.model.values import did_you_mean

PERIOD_KEYS = ("start", "end")
# Dates and numbers in the config: beyond these, date arithmetic overflows (a deadline of
# 9999-12-31 plus a day) and numbers lose every digit a report can show.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2200, 12, 31)
MAX_NUMBER = 1e15
DAY = "a date such as 2025-04-30"
PERIOD = "a table: { start = 2025-01-01, end = 2025-03-31 }"
# A goal, plan or case id names its page: it must be usable in a page address.
ID_EXPECTED = 'letters, digits, "-" and "_", starting with a letter or digit'
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")

# What a validator gets: the value (of the field's type), the checker and the key path.
Validator = Callable[[Any, "Checker", str], Any]


class Invalid(Exception):
    """A value of the right type that breaks its field's rule (raised by a validator)."""

    def __init__(
        self,
        message: str,
        *,
        expected: str | None = None,
        found: str | None = None,
        hint: str | None = None,
        show_found: bool = True,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.expected = expected
        self.found = found  # None: the value as written, unless show_found is False
        self.hint = hint
        self.show_found = show_found


@dataclass(frozen=True)
class Field:
    """One key of a TOML table: type, default, what is expected, a hint, a rule, its docs."""

    key: str
    # string | text (non-empty, stripped) | number (finite) | date (a TOML date) |
    # day (a date, also quoted) | period | names (texts; one is a list of one) | table |
    # list | other (parsed by its file's code)
    type: str
    expected: str
    default: Any = None
    required: bool = False
    hint: str | None = None  # shown when the key is missing
    validate: Validator | None = None
    doc: str = ""  # the meaning, for the docs' key tables
    default_doc: str | None = None  # the docs' default cell; None: "required" or the default


def keys(fields: Sequence[Field]) -> tuple[str, ...]:
    """Return the keys of a field table, in order."""
    return tuple(f.key for f in fields)


def positive(value: float, check: Checker, path: str) -> float:
    """Accept a number above zero."""
    if value <= 0:
        raise Invalid("the number is out of range")
    return value


def non_negative(value: float, check: Checker, path: str) -> float:
    """Accept a number of zero or more."""
    if value < 0:
        raise Invalid("the number is out of range")
    return value


def known_kpi(value: str, check: Checker, path: str) -> str | None:
    """Accept a KPI id the catalogue knows (a built-in or custom KPI, or a base metric)."""
    return check.known_kpi(value, path)


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


class Checker:
    """Collect the problems of one TOML file; raise them together."""

    def __init__(
        self,
        file: str,
        *,
        synonyms: Mapping[str, str] | None = None,
        key_names: tuple[str, ...] = (),
        known_kpis: set[str] | None = None,
        root: Path | None = None,
    ) -> None:
        self.file = file
        # The project folder, for keys that name a file inside it.
        self.root = root
        # Words people write for a key that difflib cannot match by spelling ("due" -> deadline).
        self.synonyms = synonyms or {}
        # Every key the file knows, to spot a misnamed one when a required key is missing.
        self.key_names = key_names
        # The KPI ids a goal or case may name (None: any).
        self.known_kpis = known_kpis
        self.errors: list[SitegenError] = []
        self.warnings: list[SitegenWarning] = []

    def error(
        self,
        key: str,
        message: str,
        *,
        expected: str | None = None,
        found: str | None = None,
        hint: str | None = None,
    ) -> None:
        """Record an error at key."""
        self.errors.append(
            ConfigError(message, file=self.file, key=key, expected=expected, found=found, hint=hint)
        )

    def warn(self, key: str, message: str, hint: str | None = None, code: str = "warning") -> None:
        """Record a warning at key."""
        self.warnings.append(SitegenWarning(message, file=self.file, key=key, hint=hint, code=code))

    def unknown_keys(self, table: Mapping[str, Any], known: tuple[str, ...], where: str) -> None:
        """Warn about keys not in known, suggesting the closest known key."""
        for k in table:
            if k in known:
                continue
            close = did_you_mean(str(k), known, self.synonyms)
            hint = f"did you mean {close!r}?" if close else "known keys: " + ", ".join(known)
            self.warn(_join(where, str(k)), f"unknown key {k!r} is ignored", hint, "unknown-key")

    def missing(
        self, table: Mapping[str, Any], key: str, where: str, expected: str, hint: str | None = None
    ) -> None:
        """Record that a required key is absent; point at a key that looks like it."""
        for k in table:
            if k not in self.key_names and did_you_mean(str(k), (key,), self.synonyms) == key:
                hint = f"rename {k!r} to {key!r}"
                break
        self.error(_join(where, key), f"{key!r} is required", expected=expected, hint=hint)

    # --- the engine --------------------------------------------------------------------------

    def values(
        self, table: Mapping[str, Any], fields: Mapping[str, Field], where: str, *names: str
    ) -> list[Any]:
        """Return the value of each named field, in order (see ``value``)."""
        return [self.value(table, fields[name], where) for name in names]

    def read(self, table: Mapping[str, Any], fields: Sequence[Field], where: str) -> dict[str, Any]:
        """Return every field's value (its default when absent or bad); record the problems."""
        self.unknown_keys(table, keys(fields), where)
        return {f.key: self.value(table, f, where) for f in fields}

    def value(self, table: Mapping[str, Any], field: Field, where: str) -> Any:
        """Return one field's value (its default when absent or bad); record the problems."""
        if field.key not in table:
            if field.required:
                self.missing(table, field.key, where, field.expected, field.hint)
            return field.default
        path = _join(where, field.key)
        raw = table[field.key]
        before = len(self.errors)
        value = _PARSERS[field.type](self, raw, path, field)
        if len(self.errors) > before:
            return field.default
        if field.validate is None:
            return value
        try:
            return field.validate(value, self, path)
        except Invalid as exc:
            self.error(
                path,
                exc.message,
                expected=field.expected if exc.expected is None else exc.expected,
                found=exc.found or (show(raw) if exc.show_found else None),
                hint=exc.hint,
            )
        except ConfigError as exc:
            self.errors.append(exc)
        return field.default

    def _typed(self, raw: Any, path: str, field: Field, kind: type | tuple[type, ...]) -> Any:
        # bool is an int subclass; a number key must not accept true/false.
        if isinstance(raw, bool) or not isinstance(raw, kind):
            self.error(path, "wrong type", expected=field.expected, found=show(raw))
            return None
        return raw

    def _bool(self, raw: Any, path: str, field: Field) -> bool | None:
        if not isinstance(raw, bool):
            self.error(path, "wrong type", expected=field.expected, found=show(raw))
            return None
        return raw

    def _text(self, raw: Any, path: str, field: Field) -> str | None:
        if not isinstance(raw, str) or not raw.strip():
            self.error(path, "wrong type", expected=field.expected, found=show(raw))
            return None
        return raw.strip()

    def _number(self, raw: Any, path: str, field: Field) -> float | None:
        if self._typed(raw, path, field, (int, float)) is None:
            return None
        if not math.isfinite(raw):
            self.error(path, "the number is not finite", expected=field.expected, found=show(raw))
            return None
        if abs(raw) > MAX_NUMBER:
            self.error(
                path,
                "the number is too large",
                expected=f"a number between -{MAX_NUMBER:.0e} and {MAX_NUMBER:.0e}",
                found=show(raw),
            )
            return None
        return float(raw)

    def _date(self, raw: Any, path: str, field: Field) -> date | None:
        if not isinstance(raw, date):
            self._typed(raw, path, field, date)  # records "wrong type"
            return None
        if isinstance(raw, datetime):
            self.error(
                path, "a date is expected, not a date-time", expected="2025-01-01", found=show(raw)
            )
            return None
        return self._in_range(raw, path)

    def _in_range(self, day: date, path: str) -> date | None:
        """Return day when it lies in the years sitegen computes with; record an error if not."""
        if MIN_DATE <= day <= MAX_DATE:
            return day
        self.error(
            path,
            "the date is out of range",
            expected=f"a date from {MIN_DATE} to {MAX_DATE}",
            found=show(day),
        )
        return None

    def _day(self, raw: Any, path: str, field: Field) -> date | None:
        if isinstance(raw, datetime):
            self.error(
                path,
                "wrong type",
                expected=DAY,
                found=show(raw),
                hint="dates count whole days: drop the time of day",
            )
            return None
        if isinstance(raw, date):
            return self._in_range(raw, path)
        if isinstance(raw, str):
            try:
                return self._in_range(date.fromisoformat(raw.strip()), path)
            except ValueError:
                pass
        key = path.rsplit(".", 1)[-1]
        self.error(
            path,
            "wrong type",
            expected=DAY,
            found=show(raw),
            hint=f"write the date without quotes: {key} = 2025-04-30",
        )
        return None

    def _period(self, raw: Any, path: str, field: Field) -> Period | None:
        if not isinstance(raw, Mapping):
            self.error(path, "wrong type", expected=PERIOD, found=show(raw))
            return None
        self.unknown_keys(raw, PERIOD_KEYS, path)
        start = self.value(raw, START, path)
        end = self.value(raw, END, path)
        if start is None or end is None:
            return None
        if end < start:
            # Recorded as an error of the period: the field then keeps its default.
            self.error(
                f"{path}.end",
                "the end is before the start",
                expected=f"a date on or after {start.isoformat()}",
                found=show(end),
            )
            return None
        return Period(start, end)

    def _names(self, raw: Any, path: str, field: Field) -> list[str]:
        items = [raw] if isinstance(raw, str) else raw
        if (
            not isinstance(items, list)
            or not items
            or not all(isinstance(v, str) and v.strip() for v in items)
        ):
            self.error(path, "wrong type", expected=field.expected, found=show(raw))
            return []
        out: list[str] = []
        for v in items:
            v = v.strip()
            if v in out:
                self.warn(path, f"{v!r} is listed twice", code="duplicate")
            else:
                out.append(v)
        return out

    # --- values shared by goals.toml and cases.toml --------------------------------------------

    def change(
        self,
        table: Mapping[str, Any],
        key: str,
        where: str,
        *,
        expected: str,
        below_minus_100: str,
        code: str,
    ) -> float | None:
        """Return a relative change ("+35%" -> 0.35) at key, or record why not."""
        raw = table[key]
        change = parse_change(raw)
        path = f"{where}.{key}"
        if change is None:
            self.error(path, "the change is not a percentage", expected=expected, found=show(raw))
        elif change < -1:
            self.error(
                path, below_minus_100, expected='a change of "-100%" or more', found=show(raw)
            )
            return None
        elif not isinstance(raw, str) and abs(change) >= 1:
            # A bare 35 is read as 3500 %: almost always meant as "+35%".
            self.warn(
                path,
                f"{key} = {raw!r} is read as a fraction: {change * 100:+g}%",
                hint=f'for {raw!r} percent write {key} = "{raw:+g}%"',
                code=code,
            )
        return change

    def known_kpi(self, kpi: str, key: str) -> str | None:
        """Return kpi when the catalogue knows it, or record an error with close matches."""
        if self.known_kpis is None or kpi in self.known_kpis:
            return kpi
        close = difflib.get_close_matches(kpi, sorted(self.known_kpis), n=3)
        hint = (
            ("did you mean " + " or ".join(repr(c) for c in close) + "?")
            if close
            else "run `sitegen kpis` to list the KPIs"
        )
        self.error(
            key,
            f"unknown KPI {kpi!r}",
            expected="a built-in or custom KPI id, or a base metric",
            found=show(kpi),
            hint=hint,
        )
        return None

    def tables(self, doc: Mapping[str, Any], key: str) -> list[Any]:
        """Return the [[key]] tables of doc (none when absent), or record why not."""
        if key not in doc:
            return []
        value = doc[key]
        if isinstance(value, list):
            return value
        self.error(
            key,
            f"{key!r} must be a list of [[{key}]] tables",
            expected=f"[[{key}]] tables",
            found=show(value),
            hint=f"write each entry under its own [[{key}]] header",
        )
        return []

    def entries(self, doc: Mapping[str, Any], kind: str) -> Iterator[tuple[int, Mapping[str, Any]]]:
        """Yield (position, table) for each [[kind]] table of doc; record any that is no table."""
        for n, table in enumerate(self.tables(doc, kind)):
            if isinstance(table, Mapping):
                yield n, table
            else:
                self.error(
                    f"{kind}[{n}]", "wrong type", expected=f"a [[{kind}]] table", found=show(table)
                )

    def entry_id(
        self, table: Mapping[str, Any], n: int, kind: str, *, fallback: str, suggest: bool = False
    ) -> tuple[str | None, str]:
        """Return (id, where) for the n-th [[kind]] table: the id given, else its title's slug.

        An id unusable in a page address is an error (``suggest``: hint at its slug); without
        a usable id or a text title the id is None (a missing title is reported on its own).
        ``fallback`` stands for a title with no slug.
        """
        raw = table.get("id")
        if raw is not None:
            if isinstance(raw, str) and _ID.match(raw):
                return raw, f"{kind}[{n}] ({raw})"
            slug = ascii_slug(raw) if suggest and isinstance(raw, str) else ""
            self.error(
                f"{kind}[{n}].id",
                "the id is not usable in a page address",
                expected=ID_EXPECTED,
                found=show(raw),
                hint=f"use {slug!r}" if slug else None,
            )
            return None, f"{kind}[{n}]"
        title = table.get("title")
        if not isinstance(title, str):
            return None, f"{kind}[{n}]"
        made = ascii_slug(title) or fallback
        return made, f"{kind}[{n}] ({made})"

    def raise_if_any(self) -> None:
        """Raise the collected errors (one, or MultipleErrors) with the warnings attached."""
        if not self.errors:
            return
        exc = self.errors[0] if len(self.errors) == 1 else MultipleErrors(self.errors)
        # `sitegen check` reports the file's warnings too, even when it has errors.
        exc.warnings = list(self.warnings)
        raise exc


START = Field("start", "day", DAY, required=True)
END = Field("end", "day", DAY, required=True)

_PARSERS: dict[str, Callable[[Checker, Any, str, Field], Any]] = {
    "string": lambda c, raw, path, f: c._typed(raw, path, f, str),
    "table": lambda c, raw, path, f: c._typed(raw, path, f, dict),
    "list": lambda c, raw, path, f: c._typed(raw, path, f, list),
    "bool": Checker._bool,
    "text": Checker._text,
    "number": Checker._number,
    "date": Checker._date,
    "day": Checker._day,
    "period": Checker._period,
    "names": Checker._names,
}
