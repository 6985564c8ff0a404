"""Typed errors and warnings raised by the sitegen library.

The library never prints or exits: it raises a ``SitegenError`` (or a subclass) that carries
where the problem is (file, line, column, key), what was expected and what was found, and a
hint. Only ``sitegen.cli`` turns these into messages and exit codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

# Characters that move the cursor, recolour or rewrite a terminal, or reorder text: C0
# controls but newline and tab, DEL, C1 controls, and the Unicode bidi controls. A name from
# a file (project, channel, goal title, file name) can carry them into a message.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Return text with terminal control characters shown as escapes (ESC -> \\x1b)."""
    return _CONTROL.sub(lambda m: ascii(m.group(0))[1:-1], text)


MAX_SHOWN = 80  # characters of a file's content a message shows
MAX_LINE = 300  # characters of one line of a message; longer lines are cut, saying how long


def shown(text: str, limit: int = MAX_SHOWN) -> str:
    """Return a piece of a file for a message: control characters escaped, cut to limit."""
    out = "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text[: limit + 1])
    return out if len(out) <= limit and len(text) <= limit else out[: limit - 1] + "…"


def _cut(line: str) -> str:
    """Return a message line of at most MAX_LINE characters (a cut line says its length)."""
    if len(line) <= MAX_LINE:
        return line
    tail = f"… ({len(line):,} characters)"
    return line[: MAX_LINE - len(tail)] + tail


def _location(
    file: str | Path | None,
    line: int | None,
    column: int | None,
    key: str | None,
) -> str:
    parts: list[str] = []
    if file is not None:
        loc = str(file)
        if line is not None:
            loc += f":{line}"
            if column is not None:
                loc += f":{column}"
        parts.append(loc)
    if key:
        parts.append(f"[{key}]")
    return " ".join(parts)


class SitegenError(Exception):
    """A problem in the user's files or arguments that the user can act on."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        key: str | None = None,
        expected: str | None = None,
        found: str | None = None,
        hint: str | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.column = column
        self.key = key
        self.expected = expected
        self.found = found
        self.hint = hint
        # Extra lines shown under the message, e.g. a formula with a caret under the fault.
        self.detail = detail
        # Warnings found in the same pass (config validation), for `sitegen check` to report.
        self.warnings: list[SitegenWarning] = []

    @property
    def location(self) -> str:
        """Return 'file:line:col [key]' for this error, or '' when it has no location."""
        return _location(self.file, self.line, self.column, self.key)

    def __str__(self) -> str:
        head = self.location
        text = f"{head}: {self.message}" if head else self.message
        if self.expected is not None:
            text += f"\n  expected: {self.expected}"
        if self.found is not None:
            text += f"\n  found:    {self.found}"
        if self.detail:
            text += "\n" + "\n".join("  " + ln for ln in self.detail.splitlines())
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return "\n".join(_cut(line) for line in printable(text).split("\n"))

    def with_file(self, file: str | Path) -> SitegenError:
        """Return this error with its file set when it had none."""
        if self.file is None:
            self.file = str(file)
        return self


class ConfigError(SitegenError):
    """sitegen.toml, goals.toml or cases.toml is malformed or has a wrong value."""


class DataError(SitegenError):
    """A file in data/ cannot be read or has a wrong value."""


class FormulaError(SitegenError):
    """A KPI formula cannot be parsed or names something unknown."""


class GoalError(SitegenError):
    """A goal, plan, case or reference cannot be evaluated (e.g. the data lacks its KPI)."""


class ThemeError(SitegenError):
    """A theme or template is missing or broken."""


class UsageError(SitegenError):
    """The command line asks for something impossible (exit status 2)."""


class MultipleErrors(SitegenError):
    """Several problems found at once (config validation collects them all)."""

    def __init__(self, errors: list[SitegenError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} problems found")

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


@dataclass(frozen=True)
class SitegenWarning:
    """A non-fatal problem, reported on stderr and in the build summary."""

    message: str
    file: str | None = None
    line: int | None = None
    key: str | None = None
    hint: str | None = None
    code: str = field(default="warning")

    def __str__(self) -> str:
        head = _location(self.file, self.line, None, self.key)
        text = f"{head}: {self.message}" if head else self.message
        if self.hint:
            text += f" (hint: {self.hint})"
        return printable(text)
