"""Parse and validate cases.toml: campaign cases, published references, industry benchmarks.

Every problem is collected first and raised together, each naming the file and the key path
(``cases[0] (reels-summer).period.end``: the first ``[[cases]]`` table, id reels-summer), what
was expected and what was found. Unknown keys are warnings with a did-you-mean hint.
Pure: the parsed TOML document comes in, typed specs come out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from sitegen.config.limits import DEFAULT_LIMITS, check_count
from sitegen.config.schema import (
    DAY,
    ID_EXPECTED,
    PERIOD,
    Checker,
    Field,
    Invalid,
    keys,
    known_kpi,
)
from sitegen.config.values import show
from sitegen.errors import SitegenWarning
from sitegen.model.periods import is_whole_months, months_in
from sitegen.model.specs import CASES_FILE, BenchmarkSpec, CaseSpec, CasesSpec, ReferenceSpec

FILE = CASES_FILE
TOP_KEYS = ("cases", "references", "benchmarks")
MAX_MONTHS = 120  # a published result over more than ten years is a typo, not a case study

# --- the schema of cases.toml ---------------------------------------------------------------

_CHANNEL = "a channel name such as instagram"
_URL = re.compile(r"^https?://[^\s\"'<>]+$")
# A source that is a file name ("000_c2a314ae5f359c10.txt") tells the client nothing.
_FILE_NAME = re.compile(r"^[\w.-]+\.(?:txt|pdf|html?|md|csv|docx?|xlsx?|json)$", re.IGNORECASE)


def _url(value: str, check: Checker, path: str) -> str:
    if value and not _URL.match(value):
        raise Invalid("not an http(s) URL", expected="https://host/path")
    return value


def _source(value: str, check: Checker, path: str) -> str:
    if _FILE_NAME.match(value):
        raise Invalid(
            "the source is a file name, which the client cannot look up",
            expected="the publication's title and publisher, e.g. 'Shopify Plus case study, 2024'",
            hint='put the link in url = "https://..."',
        )
    return value


_KPI = "a KPI id such as leads or engagement_rate"
_VALUE = "a number in the KPI's unit (percent KPIs in percent: 1.5 means 1.5 %)"
CASE = (
    Field(
        "id",
        "other",
        ID_EXPECTED,
        doc="The case's page address (`cases/<id>.html`): letters, digits, `-`, `_`.",
        default_doc="the slug of the title",
    ),
    Field(
        "title",
        "text",
        "a short text naming the campaign",
        required=True,
        doc="The campaign's name.",
    ),
    Field("description", "text", "a text", "", doc="A sentence shown under the title."),
    Field(
        "period",
        "period",
        PERIOD,
        required=True,
        doc="The campaign: `{ start = ..., end = ... }`, both days included.",
    ),
    Field(
        "baseline_period",
        "period",
        PERIOD,
        doc='What "before" means.',
        default_doc="the same length right before the campaign",
    ),
    Field(
        "kpis",
        "names",
        'a list of KPI ids such as ["engagement_rate", "leads", "cpl"]',
        required=True,
        doc="The KPIs to compare: built-in or custom KPI ids, or base metrics.",
    ),
    Field(
        "channels",
        "names",
        'a list of channel names such as ["instagram"]',
        doc="The campaign's channels (a list, or one name).",
        default_doc="all the client's channels",
    ),
)
REFERENCE = (
    Field(
        "name",
        "text",
        "the company's name, such as 'Company X'",
        required=True,
        doc="The company, as published.",
    ),
    Field(
        "goal",
        "text",
        "a text: the company's goal",
        "",
        doc="Its goal, in the publication's words.",
    ),
    Field(
        "kpi",
        "text",
        _KPI,
        required=True,
        validate=known_kpi,
        doc="The client's KPI to compare with.",
    ),
    Field(
        "metric",
        "text",
        "a text: what it measured",
        "",
        doc="What it measured, in the publication's words.",
    ),
    Field(
        "change",
        "other",
        'a signed percentage such as "+30%" or "-10%"',
        required=True,
        doc='The published change: `"+30%"`, `"-10 %"`, `"12,5%"`, or a fraction such as `0.3`.',
    ),
    Field(
        "months",
        "other",
        f"a whole number of months from 1 to {MAX_MONTHS}, such as 6",
        required=True,
        hint="the comparison needs the span of the published result",
        doc=f"Over how many months it was achieved (1 to {MAX_MONTHS}).",
    ),
    Field(
        "source",
        "text",
        "a text: the publication's title",
        "",
        validate=_source,
        doc="The publication's title and publisher, shown as the link's text"
        ' ("Shopify Plus case study: Company X, 2024"); not a file name.',
    ),
    Field(
        "url",
        "string",
        "an http(s) URL such as 'https://example.com/case-study'",
        "",
        validate=_url,
        doc="Where the reader can read the publication; `source` links to it.",
        default_doc="none: the source is shown as text",
    ),
    Field(
        "channel",
        "text",
        _CHANNEL,
        doc="Compare with one of the client's channels only.",
        default_doc="all channels",
    ),
)
BENCHMARK = (
    Field("kpi", "text", _KPI, required=True, validate=known_kpi, doc="The KPI."),
    Field(
        "value",
        "number",
        _VALUE,
        doc="A single value, in the KPI's unit.",
        default_doc="one of value and low/high",
    ),
    Field(
        "low",
        "number",
        _VALUE,
        doc="With `high`: a range.",
        default_doc="one of value and low/high",
    ),
    Field(
        "high",
        "number",
        _VALUE,
        doc="With `low`: a range.",
        default_doc="one of value and low/high",
    ),
    Field(
        "source",
        "text",
        "a text: who published it",
        required=True,
        validate=_source,
        doc="Who published it, and the report's title; not a file name.",
    ),
    Field(
        "url",
        "string",
        "an http(s) URL such as 'https://example.com/benchmarks-2025'",
        "",
        validate=_url,
        doc="Where the reader can read the source; `source` links to it.",
        default_doc="none: the source is shown as text",
    ),
    Field(
        "date",
        "other",
        "a date such as 2024-05-01, or a year such as 2024",
        required=True,
        hint="the date tells the reader how old the benchmark is",
        doc="When: a date (`2024-05-01`) or a year (`2024`, counted as 31 December).",
    ),
    Field(
        "channel",
        "text",
        _CHANNEL,
        doc="The benchmark is for one channel.",
        default_doc="all channels",
    ),
    Field("label", "text", "a short text", "", doc="A short name shown instead of the source."),
)
CASE_KEYS = keys(CASE)
REFERENCE_KEYS = keys(REFERENCE)
BENCHMARK_KEYS = keys(BENCHMARK)
_C = {f.key: f for f in CASE}
_R = {f.key: f for f in REFERENCE}
_B = {f.key: f for f in BENCHMARK}


def _parse_case(table: Mapping[str, Any], n: int, check: Checker) -> CaseSpec | None:
    before = len(check.errors)
    cid, where = check.entry_id(table, n, "cases", fallback=f"case-{n}", suggest=True)
    check.unknown_keys(table, CASE_KEYS, where)
    title, description, period, baseline = check.values(
        table, _C, where, "title", "description", "period", "baseline_period"
    )
    kpis: list[str] = []
    if "kpis" not in table:
        check.error(f"{where}.kpis", "'kpis' is required", expected=_C["kpis"].expected)
    else:
        kpis = check.value(table, _C["kpis"], where) or []
        kpis = [k for i, k in enumerate(kpis) if check.known_kpi(k, f"{where}.kpis[{i}]")]
    channels: list[str] | None = None
    if "channels" in table:
        channels = check.value(table, _C["channels"], where)
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


def _parse_reference(table: Mapping[str, Any], n: int, check: Checker) -> ReferenceSpec | None:
    before = len(check.errors)
    raw_name = table.get("name")
    where = (
        f"references[{n}] ({raw_name.strip()})"
        if isinstance(raw_name, str) and raw_name.strip()
        else f"references[{n}]"
    )
    check.unknown_keys(table, REFERENCE_KEYS, where)
    name, goal, metric, source, url, channel, kpi = check.values(
        table, _R, where, "name", "goal", "metric", "source", "url", "channel", "kpi"
    )
    change: float | None = None
    change_expected = _R["change"].expected
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
    months_expected = _R["months"].expected
    if "months" not in table:
        check.error(
            f"{where}.months",
            "'months' is required",
            expected=months_expected,
            hint=_R["months"].hint,
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
        url=url,
        channel=channel,
        index=n,
        file=check.file,
    )


def _benchmark_date(table: Mapping[str, Any], where: str, check: Checker) -> date | None:
    expected = _B["date"].expected
    if "date" not in table:
        check.error(
            f"{where}.date",
            "'date' is required",
            expected=expected,
            hint=_B["date"].hint,
        )
        return None
    raw = table["date"]
    if isinstance(raw, int) and not isinstance(raw, bool):
        if 1900 <= raw <= 9999:
            # A year alone counts from its last day, so that no benchmark is called old early.
            return date(raw, 12, 31)
        check.error(f"{where}.date", "not a year", expected=expected, found=show(raw))
        return None
    value: date | None = check.value(table, Field("date", "day", DAY), where)
    return value


def _parse_benchmark(table: Mapping[str, Any], n: int, check: Checker) -> BenchmarkSpec | None:
    before = len(check.errors)
    raw_kpi = table.get("kpi")
    where = f"benchmarks[{n}] ({raw_kpi})" if isinstance(raw_kpi, str) else f"benchmarks[{n}]"
    check.unknown_keys(table, BENCHMARK_KEYS, where)
    kpi, source, label, url, channel = check.values(
        table, _B, where, "kpi", "source", "label", "url", "channel"
    )
    when = _benchmark_date(table, where, check)
    expected = _VALUE
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
        low = high = check.value(table, _B["value"], where)
    elif has_range:
        for key in ("low", "high"):
            if key not in table:
                check.error(
                    f"{where}.{key}", f"{key!r} is required with a range", expected=expected
                )
        low = check.value(table, _B["low"], where)
        high = check.value(table, _B["high"], where)
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
        url=url,
        index=n,
        file=check.file,
    )


def parse_cases(
    doc: Mapping[str, Any],
    *,
    file: str = FILE,
    known_kpis: set[str] | None = None,
    max_cases: int = DEFAULT_LIMITS.max_cases,
) -> tuple[CasesSpec, list[SitegenWarning]]:
    """Validate a parsed cases.toml; raise every problem at once, return specs and warnings."""
    check_count(doc, TOP_KEYS, max_cases, "max_cases", file)
    check = Checker(
        file, key_names=CASE_KEYS + REFERENCE_KEYS + BENCHMARK_KEYS, known_kpis=known_kpis
    )
    check.unknown_keys(doc, TOP_KEYS, "")
    cases: list[CaseSpec] = []
    references: list[ReferenceSpec] = []
    benchmarks: list[BenchmarkSpec] = []
    seen: dict[str, int] = {}
    for kind in TOP_KEYS:
        for n, table in check.entries(doc, kind):
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


def parse_cases_doc(
    doc: Mapping[str, Any] | None, known_kpis: set[str], max_cases: int = DEFAULT_LIMITS.max_cases
) -> tuple[CasesSpec, list[SitegenWarning]]:
    """Return the specs of a parsed cases.toml; no file means no cases."""
    if doc is None:
        return CasesSpec(), []
    return parse_cases(doc, known_kpis=known_kpis, max_cases=max_cases)
