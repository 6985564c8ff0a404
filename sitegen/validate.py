"""Shared validation for the project's TOML files (sitegen.toml, goals.toml, cases.toml).

A ``Checker`` collects every problem of one file, each naming the file and the key path, what
was expected and what was found, then raises them together; unknown keys are warnings with a
did-you-mean hint. Bad values are reported, never replaced by defaults.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sitegen.errors import ConfigError, MultipleErrors, SitegenError, SitegenWarning
from sitegen.model.periods import Period

PERIOD_KEYS = ("start", "end")
_PERCENT = re.compile(r"^\s*([+\-\u2212]?)\s*(\d+(?:[.,]\d+)?)\s*%\s*$")


def show(value: Any) -> str:
    """Return how a found value is shown in a message: 'text', 5 (int), a table, a list."""
    if isinstance(value, str):
        return repr(value[:200])
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, datetime):
        return f"{value.isoformat()} (a date-time)"
    if isinstance(value, date):
        return f"{value.isoformat()} (a date)"
    return f"{value!r} ({type(value).__name__})"


def did_you_mean(
    word: str,
    choices: tuple[str, ...] | list[str],
    synonyms: Mapping[str, str] | None = None,
) -> str | None:
    """Return the closest choice to word (spelling or a known synonym), or None."""
    if synonyms and word in synonyms and synonyms[word] in choices:
        return synonyms[word]
    close = difflib.get_close_matches(word, list(choices), n=1)
    return close[0] if close else None


def parse_change(value: Any) -> float | None:
    """Return "+35%" as 0.35 (also "-10 %", "35,5%", a bare number as a fraction); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    m = _PERCENT.match(value)
    if not m:
        return None
    sign = -1.0 if m.group(1) in ("-", "\u2212") else 1.0
    return sign * float(m.group(2).replace(",", ".")) / 100


class Checker:
    """Collect the problems of one TOML file; raise them together."""

    def __init__(
        self,
        file: str,
        *,
        synonyms: Mapping[str, str] | None = None,
        key_names: tuple[str, ...] = (),
    ) -> None:
        self.file = file
        # Words people write for a key that difflib cannot match by spelling ("due" -> deadline).
        self.synonyms = synonyms or {}
        # Every key the file knows, to spot a misnamed one when a required key is missing.
        self.key_names = key_names
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
            self.warn(
                f"{where}.{k}" if where else str(k),
                f"unknown key {k!r} is ignored",
                hint,
                code="unknown-key",
            )

    def missing(
        self, table: Mapping[str, Any], key: str, where: str, expected: str, hint: str | None = None
    ) -> None:
        """Record that a required key is absent; point at a key that looks like it."""
        for k in table:
            if k not in self.key_names and did_you_mean(str(k), (key,), self.synonyms) == key:
                hint = f"rename {k!r} to {key!r}"
                break
        path = f"{where}.{key}" if where else key
        self.error(path, f"{key!r} is required", expected=expected, hint=hint)

    def text(
        self, table: Mapping[str, Any], key: str, where: str, expected: str, *, required: bool
    ) -> str | None:
        """Return a non-empty stripped string at key, or record why not."""
        if key not in table:
            if required:
                self.missing(table, key, where, expected)
            return None
        value = table[key]
        if not isinstance(value, str) or not value.strip():
            self.error(f"{where}.{key}", "wrong type", expected=expected, found=show(value))
            return None
        return value.strip()

    def number(
        self,
        table: Mapping[str, Any],
        key: str,
        where: str,
        expected: str,
        *,
        required: bool = False,
        positive: bool = False,
        non_negative: bool = False,
    ) -> float | None:
        """Return a finite number at key (in range), or record why not."""
        if key not in table:
            if required:
                self.missing(table, key, where, expected)
            return None
        value = table[key]
        # bool is an int subclass: true/false is not a number here.
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(f"{where}.{key}", "wrong type", expected=expected, found=show(value))
            return None
        number = float(value)
        if not math.isfinite(number):
            self.error(
                f"{where}.{key}", "the number is not finite", expected=expected, found=show(value)
            )
            return None
        if (positive and number <= 0) or (non_negative and number < 0):
            self.error(
                f"{where}.{key}", "the number is out of range", expected=expected, found=show(value)
            )
            return None
        return number

    def day(
        self,
        table: Mapping[str, Any],
        key: str,
        where: str,
        *,
        required: bool = True,
        hint: str | None = None,
    ) -> date | None:
        """Return a date at key (a TOML date, or an ISO date in quotes), or record why not."""
        expected = "a date such as 2025-04-30"
        if key not in table:
            if required:
                self.missing(table, key, where, expected, hint)
            return None
        value = table[key]
        if isinstance(value, datetime):
            self.error(
                f"{where}.{key}",
                "wrong type",
                expected=expected,
                found=show(value),
                hint="dates count whole days: drop the time of day",
            )
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.error(
            f"{where}.{key}",
            "wrong type",
            expected=expected,
            found=show(value),
            hint=f"write the date without quotes: {key} = 2025-04-30",
        )
        return None

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

    def period(
        self, table: Mapping[str, Any], key: str, where: str, *, required: bool = False
    ) -> Period | None:
        """Return a { start, end } table at key as a Period, or record why not."""
        path = f"{where}.{key}"
        expected = "a table: { start = 2025-01-01, end = 2025-03-31 }"
        if key not in table:
            if required:
                self.missing(table, key, where, expected)
            return None
        value = table[key]
        if not isinstance(value, Mapping):
            self.error(path, "wrong type", expected=expected, found=show(value))
            return None
        self.unknown_keys(value, PERIOD_KEYS, path)
        start = self.day(value, "start", path)
        end = self.day(value, "end", path)
        if start is None or end is None:
            return None
        if end < start:
            self.error(
                f"{path}.end",
                "the end is before the start",
                expected=f"a date on or after {start.isoformat()}",
                found=show(end),
            )
            return None
        return Period(start, end)

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

    def raise_if_any(self) -> None:
        """Raise the collected errors (one, or MultipleErrors) with the warnings attached."""
        if not self.errors:
            return
        exc = self.errors[0] if len(self.errors) == 1 else MultipleErrors(self.errors)
        # `sitegen check` reports the file's warnings too, even when it has errors.
        exc.warnings = list(self.warnings)
        raise exc
