"""Live numbers in Markdown pages: ``{{ kpi("cpl") }}`` and ``{{ goal("cpl-400").status }}``.

A tiny parser, not a template engine: a shortcode is one call of ``kpi`` or ``goal`` with
string arguments, and ``goal(...)`` takes one field from a fixed list. Nothing is evaluated
but a look-up in the report's results, so a page can read no file, attribute or function
(``{{ ''.__class__ }}`` or ``{{ range(10**9) }}`` are errors, not code). Values come out
formatted in the report's locale. Shortcodes inside code spans and fenced code blocks are
left as written, so a page can show the syntax. docs/project-format.md ("pages/").
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from sitegen.errors import ConfigError
from sitegen.model.analysis import KpiResult
from sitegen.model.goals import GoalResult
from sitegen.present.i18n.format import Formatter

# A page is prose with a few live numbers; more than this is a generated page gone wrong.
MAX_SHORTCODES = 500
MAX_SHORTCODE_CHARS = 200
PERIODS = ("report", "previous", "year_ago")
GOAL_FIELDS = ("status", "current", "target", "forecast", "baseline")
KPI_ARGS = ("period", "channel")

_OPEN = re.compile(r"\{\{|\{%")
_TOKEN = re.compile(
    r"""\s*(?:(?P<name>[A-Za-z_][A-Za-z0-9_]*)|"(?P<dq>[^"\\\n]*)"|'(?P<sq>[^'\\\n]*)'|(?P<p>[(),=.]))"""
)
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
SYNTAX = 'kpi("id"), kpi("id", period="previous", channel="...") or goal("id").status'


@dataclass(frozen=True)
class Results:
    """What a shortcode may read: the report's KPI results and goals, nothing else."""

    kpis: Mapping[str, KpiResult]
    goals: Mapping[str, GoalResult]
    channels: Sequence[str]
    fmt: Formatter
    status_text: Callable[[str], str]


@dataclass(frozen=True)
class _Call:
    func: str
    args: tuple[str, ...]
    kwargs: tuple[tuple[str, str], ...]
    field: str | None


class _Fault(Exception):
    """A shortcode's problem; expand() adds the page and line."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def _did_you_mean(word: str, known: Iterable[str]) -> str:
    names = sorted(known)
    close = difflib.get_close_matches(word, names, n=3, cutoff=0.6)
    listing = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
    return (f"did you mean {' or '.join(close)}? " if close else "") + f"known: {listing}"


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if m is None:
            raise _Fault(
                f"unexpected {text[pos:].strip()[:20]!r} in shortcode {{{{ {text.strip()} }}}}",
                f"a shortcode is {SYNTAX}",
            )
        kind = m.lastgroup or ""
        value = m.group(kind)
        out.append(("str" if kind in ("dq", "sq") else kind, value))
        pos = m.end()
    return out


def parse(text: str) -> _Call:
    """Parse the inside of ``{{ ... }}`` into a call; raise _Fault on anything else."""
    toks = _tokens(text)
    shown = f"{{{{ {text.strip()} }}}}"
    bad = _Fault(f"{shown} is not a shortcode", f"a shortcode is {SYNTAX}")
    if len(toks) < 4 or toks[0][0] != "name" or toks[1] != ("p", "("):
        raise bad
    func = toks[0][1]
    if func not in ("kpi", "goal"):
        raise _Fault(f"unknown function {func!r} in {shown}", _did_you_mean(func, ("kpi", "goal")))
    i = 2
    args: list[str] = []
    kwargs: list[tuple[str, str]] = []
    while toks[i] != ("p", ")"):
        if toks[i][0] == "str" and not kwargs:
            args.append(toks[i][1])
            i += 1
        elif toks[i][0] == "name" and toks[i + 1 : i + 2] == [("p", "=")]:
            if i + 2 >= len(toks) or toks[i + 2][0] != "str":
                raise _Fault(f"{toks[i][1]}= takes a quoted value in {shown}", f"e.g. {SYNTAX}")
            kwargs.append((toks[i][1], toks[i + 2][1]))
            i += 3
        else:
            raise bad
        if i >= len(toks):
            raise bad
        if toks[i] == ("p", ","):
            i += 1
            if i >= len(toks):
                raise bad
        elif toks[i] != ("p", ")"):
            raise bad
    i += 1
    field = None
    if i < len(toks):
        if toks[i] != ("p", ".") or i + 2 != len(toks) or toks[i + 1][0] != "name":
            raise bad
        field = toks[i + 1][1]
    if len(args) != 1:
        raise _Fault(f"{func}() takes one quoted id in {shown}", f"e.g. {SYNTAX}")
    return _Call(func, tuple(args), tuple(kwargs), field)


def evaluate(call: _Call, res: Results) -> str:
    """Return the shortcode's value, formatted; raise _Fault for unknown names."""
    (ident,) = call.args
    if call.func == "goal":
        goal = res.goals.get(ident)
        if goal is None:
            raise _Fault(f"unknown goal {ident!r}", _did_you_mean(ident, res.goals))
        if call.kwargs:
            raise _Fault("goal() takes only the goal's id", f"e.g. goal({ident!r}).status")
        if call.field not in GOAL_FIELDS:
            what = f"unknown goal field {call.field!r}" if call.field else "goal() needs a field"
            return _raise(what, _did_you_mean(call.field or "", GOAL_FIELDS))
        if call.field == "status":
            return res.status_text(goal.status)
        value = {
            "current": goal.current,
            "target": goal.target,
            "forecast": goal.forecast,
            "baseline": goal.baseline,
        }[call.field]
        return res.fmt.value(value, goal.unit)
    r = res.kpis.get(ident)
    if r is None:
        # A catalogue KPI whose inputs the data lacks is unknown here too: it has no value.
        raise _Fault(f"unknown KPI {ident!r}", _did_you_mean(ident, res.kpis))
    if call.field is not None:
        raise _Fault(f"kpi() has no field {call.field!r}", "kpi(...) is the value itself")
    opts = dict(call.kwargs)
    for key in opts:
        if key not in KPI_ARGS:
            raise _Fault(f"kpi() has no argument {key!r}", _did_you_mean(key, KPI_ARGS))
    period = opts.get("period", "report")
    if period not in PERIODS:
        raise _Fault(f"unknown period {period!r}", _did_you_mean(period, PERIODS))
    channel = opts.get("channel")
    if channel is None:
        value = {"report": r.value, "previous": r.previous, "year_ago": r.year_ago}[period]
    elif channel not in res.channels:
        raise _Fault(f"unknown channel {channel!r}", _did_you_mean(channel, res.channels))
    elif period == "year_ago":
        raise _Fault("a channel's value is kept for the report and the previous period only")
    else:
        chans = r.channels if period == "report" else r.previous_channels
        value = chans.get(channel)
    return res.fmt.value(value, r.kpi.unit)


def _raise(message: str, hint: str) -> str:
    raise _Fault(message, hint)


def _expand_text(text: str, res: Results, count: list[int]) -> str:
    out: list[str] = []
    pos = 0
    for m in _OPEN.finditer(text):
        if m.start() < pos:
            continue
        if m.group() == "{%":
            raise _Fault(
                "template statements ({% ... %}) are not allowed in pages",
                f"only live numbers are: {SYNTAX}",
            )
        end = text.find("}}", m.end())
        if end < 0 or end - m.end() > MAX_SHORTCODE_CHARS:
            raise _Fault("a shortcode opened with {{ is not closed with }} on the same line")
        count[0] += 1
        if count[0] > MAX_SHORTCODES:
            raise _Fault(f"more than {MAX_SHORTCODES} shortcodes on one page")
        out.append(text[pos : m.start()])
        out.append(html.escape(evaluate(parse(text[m.end() : end]), res)))
        pos = end + 2
    out.append(text[pos:])
    return "".join(out)


def _expand_line(line: str, res: Results, count: list[int]) -> str:
    parts: list[str] = []
    pos = 0
    for m in _CODE_SPAN.finditer(line):  # `{{ kpi("x") }}` in code is shown as written
        parts.append(_expand_text(line[pos : m.start()], res, count))
        parts.append(m.group())
        pos = m.end()
    parts.append(_expand_text(line[pos:], res, count))
    return "".join(parts)


def expand(text: str, res: Results, where: str, first_line: int = 1) -> str:
    """Return text with every shortcode replaced by its value; ConfigError names the line.

    first_line is the line of the file that text starts on (after the front matter).
    """
    lines = text.split("\n")
    fence: str | None = None
    count = [0]
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if m:
            fence = None if fence == m.group(1) else (fence or m.group(1))
            continue
        if fence or ("{{" not in line and "{%" not in line):
            continue
        try:
            lines[i] = _expand_line(line, res, count)
        except _Fault as exc:
            raise ConfigError(exc.message, file=where, line=first_line + i, hint=exc.hint) from None
    return "\n".join(lines)
