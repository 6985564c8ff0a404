"""Parse and validate cases.toml: campaign cases, published references, industry benchmarks.

Every problem is collected first and raised together, each naming the file and the key path
(``cases[0] (reels-summer).period.end``: the first ``[[cases]]`` table, id reels-summer), what
was expected and what was found. Unknown keys are warnings with a did-you-mean hint.
Pure: the parsed TOML document comes in, typed specs come out.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sitegen.errors import SitegenWarning
from sitegen.goals.spec import slug
from sitegen.model.periods import Period, is_whole_months, months_in
from sitegen.validate import Checker, show

FILE = "cases.toml"
TOP_KEYS = ("cases", "references", "benchmarks")
CASE_KEYS = ("id", "title", "description", "period", "baseline_period", "kpis", "channels")
REFERENCE_KEYS = ("name", "goal", "kpi", "metric", "change", "months", "source", "channel")
BENCHMARK_KEYS = ("kpi", "value", "low", "high", "source", "date", "channel", "label")
PERIOD_KEYS = ("start", "end")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")  # the same rule as goal ids: a page address
MAX_MONTHS = 120  # a published result over more than ten years is a typo, not a case study


@dataclass(frozen=True, kw_only=True)
class CaseSpec:
    """One validated [[cases]] table: a campaign of the client told as before/after."""

    id: str
    title: str
    period: Period
    baseline_period: Period | None  # None: the same length right before the period
    kpis: tuple[str, ...]
    channels: tuple[str, ...] | None = None  # None: all of the client's channels
    description: str = ""
    index: int = 0  # 0-based position among the [[cases]] tables, for messages
    file: str = FILE

    @property
    def where(self) -> str:
        """Return the key path of this case for messages: cases[0] (reels-summer)."""
        return f"cases[{self.index}] ({self.id})"


@dataclass(frozen=True, kw_only=True)
class ReferenceSpec:
    """One validated [[references]] table: a published result to compare the client with."""

    name: str
    kpi: str
    change: float  # a fraction: "+30%" -> 0.30
    months: int
    goal: str = ""
    metric: str = ""  # what the company measured, in the publication's words
    source: str = ""
    channel: str | None = None  # the client's side: one channel, or all
    index: int = 0
    file: str = FILE

    @property
    def where(self) -> str:
        """Return the key path of this reference for messages: references[0] (Company X)."""
        return f"references[{self.index}] ({self.name})"


@dataclass(frozen=True, kw_only=True)
class BenchmarkSpec:
    """One validated [[benchmarks]] table: an industry value or range for a KPI."""

    kpi: str
    low: float
    high: float  # equal to low for a single value
    source: str
    date: date  # for a year alone, 31 December of that year
    channel: str | None = None
    label: str = ""
    index: int = 0
    file: str = FILE

    @property
    def is_range(self) -> bool:
        """Return True when the benchmark is a low..high range, not one value."""
        return self.low != self.high

    @property
    def where(self) -> str:
        """Return the key path of this benchmark for messages: benchmarks[0] (ctr)."""
        return f"benchmarks[{self.index}] ({self.kpi})"


@dataclass(frozen=True)
class CasesSpec:
    """Everything cases.toml declares."""

    cases: tuple[CaseSpec, ...] = ()
    references: tuple[ReferenceSpec, ...] = ()
    benchmarks: tuple[BenchmarkSpec, ...] = ()


class _Checker(Checker):
    """Collect the problems of one cases.toml; raise them together."""

    def __init__(self, file: str, known_kpis: set[str] | None) -> None:
        super().__init__(file, key_names=CASE_KEYS + REFERENCE_KEYS + BENCHMARK_KEYS)
        self.known_kpis = known_kpis

    def kpi(self, table: Mapping[str, Any], key: str, where: str) -> str | None:
        """Return a KPI id at key when it is known, or record why not."""
        expected = "a KPI id such as leads or engagement_rate"
        kpi = self.text(table, key, where, expected, required=True)
        return self.known_kpi(kpi, f"{where}.{key}") if kpi is not None else None

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

    def names(self, table: Mapping[str, Any], key: str, where: str, expected: str) -> list[str]:
        """Return a non-empty list of distinct texts (a lone string is a list of one)."""
        value = table[key]
        items = [value] if isinstance(value, str) else value
        if (
            not isinstance(items, list)
            or not items
            or not all(isinstance(v, str) and v.strip() for v in items)
        ):
            self.error(f"{where}.{key}", "wrong type", expected=expected, found=show(value))
            return []
        out: list[str] = []
        for v in items:
            v = v.strip()
            if v in out:
                self.warn(f"{where}.{key}", f"{v!r} is listed twice", code="duplicate")
            else:
                out.append(v)
        return out


def _parse_case(table: Mapping[str, Any], n: int, check: _Checker) -> CaseSpec | None:
    before = len(check.errors)
    raw_id = table.get("id")
    cid: str | None = None
    if raw_id is not None:
        if isinstance(raw_id, str) and _ID.match(raw_id):
            cid = raw_id
        else:
            check.error(
                f"cases[{n}].id",
                "the id is not usable in a page address",
                expected='letters, digits, "-" and "_", starting with a letter or digit',
                found=show(raw_id),
                hint=f"use {slug(raw_id)!r}" if isinstance(raw_id, str) and slug(raw_id) else None,
            )
    elif isinstance(table.get("title"), str):
        cid = slug(table["title"]) or f"case-{n}"
    where = f"cases[{n}] ({cid})" if cid else f"cases[{n}]"
    check.unknown_keys(table, CASE_KEYS, where)
    title = check.text(table, "title", where, "a short text naming the campaign", required=True)
    description = check.text(table, "description", where, "a text", required=False) or ""
    period = check.period(table, "period", where, required=True)
    baseline = check.period(table, "baseline_period", where, required=False)
    kpis: list[str] = []
    kpi_expected = 'a list of KPI ids such as ["engagement_rate", "leads", "cpl"]'
    if "kpis" not in table:
        check.error(f"{where}.kpis", "'kpis' is required", expected=kpi_expected)
    else:
        kpis = check.names(table, "kpis", where, kpi_expected)
        kpis = [k for i, k in enumerate(kpis) if check.known_kpi(k, f"{where}.kpis[{i}]")]
    channels: list[str] | None = None
    if "channels" in table:
        channels = check.names(
            table, "channels", where, 'a list of channel names such as ["instagram"]'
        )
    if period is not None and baseline is not None:
        if baseline.end >= period.start:
            check.warn(
                f"{where}.baseline_period",
                "the baseline period does not end before the campaign starts",
                hint="a before/after case compares the campaign with a period before it",
                code="case-baseline",
            )
        # Whole months compare by their count (Jan-Mar has 90 days, Apr-Jun 91), else by days.
        months = is_whole_months(baseline) and is_whole_months(period)
        size = (months_in(baseline), months_in(period)) if months else (baseline.days, period.days)
        if size[0] != size[1]:
            unit = "month" if months else "day"
            check.warn(
                f"{where}.baseline_period",
                f"the baseline period is {size[0]} {unit}(s) long, the campaign {size[1]}: "
                "totals (leads, clicks, spend) are not comparable, rates are",
                hint="give both periods the same length, or compare rates only",
                code="case-baseline",
            )
    if len(check.errors) > before or cid is None or title is None or period is None or not kpis:
        return None
    return CaseSpec(
        id=cid,
        title=title,
        period=period,
        baseline_period=baseline,
        kpis=tuple(kpis),
        channels=tuple(channels) if channels else None,
        description=description,
        index=n,
        file=check.file,
    )


def _parse_reference(table: Mapping[str, Any], n: int, check: _Checker) -> ReferenceSpec | None:
    before = len(check.errors)
    raw_name = table.get("name")
    where = (
        f"references[{n}] ({raw_name.strip()})"
        if isinstance(raw_name, str) and raw_name.strip()
        else f"references[{n}]"
    )
    check.unknown_keys(table, REFERENCE_KEYS, where)
    name = check.text(
        table, "name", where, "the company's name, such as 'Company X'", required=True
    )
    goal = check.text(table, "goal", where, "a text: the company's goal", required=False) or ""
    metric = check.text(table, "metric", where, "a text: what it measured", required=False) or ""
    source = (
        check.text(table, "source", where, "a text: where it was published", required=False) or ""
    )
    channel = check.text(
        table, "channel", where, "a channel name such as instagram", required=False
    )
    kpi = check.kpi(table, "kpi", where)
    change: float | None = None
    change_expected = 'a signed percentage such as "+30%" or "-10%"'
    if "change" not in table:
        check.error(f"{where}.change", "'change' is required", expected=change_expected)
    else:
        change = check.change(
            table,
            "change",
            where,
            expected=change_expected,
            below_minus_100="a change below -100% is impossible",
            code="reference-change",
        )
    months: int | None = None
    months_expected = f"a whole number of months from 1 to {MAX_MONTHS}, such as 6"
    if "months" not in table:
        check.error(
            f"{where}.months",
            "'months' is required",
            expected=months_expected,
            hint="the comparison needs the span of the published result",
        )
    else:
        raw_m = table["months"]
        if isinstance(raw_m, bool) or not isinstance(raw_m, int) or not 1 <= raw_m <= MAX_MONTHS:
            check.error(
                f"{where}.months", "wrong value", expected=months_expected, found=show(raw_m)
            )
        else:
            months = raw_m
    if len(check.errors) > before or name is None or kpi is None:
        return None
    assert change is not None and months is not None
    return ReferenceSpec(
        name=name,
        kpi=kpi,
        change=change,
        months=months,
        goal=goal,
        metric=metric,
        source=source,
        channel=channel,
        index=n,
        file=check.file,
    )


def _benchmark_date(table: Mapping[str, Any], where: str, check: _Checker) -> date | None:
    expected = "a date such as 2024-05-01, or a year such as 2024"
    if "date" not in table:
        check.error(
            f"{where}.date",
            "'date' is required",
            expected=expected,
            hint="the date tells the reader how old the benchmark is",
        )
        return None
    raw = table["date"]
    if isinstance(raw, int) and not isinstance(raw, bool):
        if 1900 <= raw <= 9999:
            # A year alone counts from its last day, so that no benchmark is called old early.
            return date(raw, 12, 31)
        check.error(f"{where}.date", "not a year", expected=expected, found=show(raw))
        return None
    return check.day(table, "date", where)


def _parse_benchmark(table: Mapping[str, Any], n: int, check: _Checker) -> BenchmarkSpec | None:
    before = len(check.errors)
    raw_kpi = table.get("kpi")
    where = f"benchmarks[{n}] ({raw_kpi})" if isinstance(raw_kpi, str) else f"benchmarks[{n}]"
    check.unknown_keys(table, BENCHMARK_KEYS, where)
    kpi = check.kpi(table, "kpi", where)
    source = check.text(table, "source", where, "a text: who published it", required=True)
    label = check.text(table, "label", where, "a short text", required=False) or ""
    channel = check.text(
        table, "channel", where, "a channel name such as instagram", required=False
    )
    when = _benchmark_date(table, where, check)
    expected = "a number in the KPI's unit (percent KPIs in percent: 1.5 means 1.5 %)"
    low = high = None
    has_value, has_range = "value" in table, "low" in table or "high" in table
    if has_value and has_range:
        check.error(
            where,
            "the benchmark has both a value and a range",
            expected="either value = <number> or low = <number> and high = <number>",
            found="value, " + ", ".join(k for k in ("low", "high") if k in table),
        )
    elif has_value:
        low = high = check.number(table, "value", where, expected)
    elif has_range:
        for key in ("low", "high"):
            if key not in table:
                check.error(
                    f"{where}.{key}", f"{key!r} is required with a range", expected=expected
                )
        low = check.number(table, "low", where, expected) if "low" in table else None
        high = check.number(table, "high", where, expected) if "high" in table else None
        if low is not None and high is not None and high < low:
            check.error(
                f"{where}.high",
                "the range's high is below its low",
                expected=f"a number of at least {low:g}",
                found=show(table["high"]),
            )
    else:
        check.error(
            where,
            "the benchmark has no value",
            expected="value = <number>, or low = <number> and high = <number>",
            found="neither",
        )
    if len(check.errors) > before or kpi is None or source is None or when is None:
        return None
    assert low is not None and high is not None
    return BenchmarkSpec(
        kpi=kpi,
        low=low,
        high=high,
        source=source,
        date=when,
        channel=channel,
        label=label,
        index=n,
        file=check.file,
    )


def parse_cases(
    doc: Mapping[str, Any], *, file: str = FILE, known_kpis: set[str] | None = None
) -> tuple[CasesSpec, list[SitegenWarning]]:
    """Validate a parsed cases.toml; raise every problem at once, return specs and warnings."""
    check = _Checker(file, known_kpis)
    check.unknown_keys(doc, TOP_KEYS, "")
    cases: list[CaseSpec] = []
    references: list[ReferenceSpec] = []
    benchmarks: list[BenchmarkSpec] = []
    seen: dict[str, int] = {}
    for kind in TOP_KEYS:
        for n, table in enumerate(check.tables(doc, kind)):
            if not isinstance(table, Mapping):
                check.error(
                    f"{kind}[{n}]", "wrong type", expected=f"a [[{kind}]] table", found=show(table)
                )
                continue
            if kind == "cases":
                case = _parse_case(table, n, check)
                if case is None:
                    continue
                if case.id in seen:
                    check.error(
                        f"{case.where}.id",
                        f"duplicate case id {case.id!r}",
                        expected="a different id for each case (it names the case's page)",
                        found=f"cases[{seen[case.id]}] has the same id",
                        hint="give each case an id = ... of its own",
                    )
                    continue
                seen[case.id] = n
                cases.append(case)
            elif kind == "references":
                ref = _parse_reference(table, n, check)
                if ref is not None:
                    references.append(ref)
            else:
                bench = _parse_benchmark(table, n, check)
                if bench is not None:
                    benchmarks.append(bench)
    check.raise_if_any()
    return CasesSpec(tuple(cases), tuple(references), tuple(benchmarks)), check.warnings
