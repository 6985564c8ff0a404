"""The machine-readable results: ``data/kpis.json`` and ``data/kpis.csv`` (output.md).

Numbers are plain, unrounded JSON numbers; percent KPIs are in percent, changes are fractions.
The CSV has one row per KPI, channel and period, and neutralises text cells that a
spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from sitegen.config.values import finite
from sitegen.periods import Bucket
from sitegen.report import KpiResult, Report

SCHEMA = 1
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _series(points: list[tuple[Bucket, float | None]]) -> list[dict[str, Any]]:
    out = []
    for b, v in points:
        item: dict[str, Any] = {
            "period": b.label,
            "start": b.period.start.isoformat(),
            "end": b.period.end.isoformat(),
            "value": finite(v),
        }
        if b.partial:
            item["partial"] = True
        out.append(item)
    return out


def kpi_json(r: KpiResult, locale: str) -> dict[str, Any]:
    """Return one KPI's entry of kpis.json."""
    k = r.kpi
    return {
        "label": k.label(locale),
        "unit": k.unit,
        "better": k.better,
        "family": k.family,
        "formula": k.formula.text,
        "definition": k.definition(locale),
        "value": finite(r.value),
        "previous": finite(r.previous),
        "change": finite(r.change),
        "year_ago": finite(r.year_ago),
        "yoy_change": finite(r.yoy_change),
        "channels": {ch: finite(v) for ch, v in r.channels.items()},
        "shares": {ch: finite(v) for ch, v in r.shares.items()},
        "series": {g: _series(pts) for g, pts in r.series.items()},
    }


def results_json(report: Report) -> dict[str, Any]:
    """Return the kpis.json document for a report."""
    cfg = report.project.config
    loc = cfg.locale
    doc: dict[str, Any] = {
        "schema": SCHEMA,
        "project": {
            "name": cfg.name,
            "slug": cfg.slug,
            "locale": cfg.locale,
            "currency": cfg.currency,
            "period": report.period.to_json(),
            "previous_period": report.previous_period.to_json(),
            "year_ago_period": report.year_ago_period.to_json(),
            "as_of": report.as_of.isoformat(),
            "channels": list(report.channels),
            "competitors": list(report.engine.competitors),
        },
        "kpis": {kid: kpi_json(r, loc) for kid, r in report.kpis.items()},
        "metrics": {mid: kpi_json(r, loc) for mid, r in report.metrics.items()},
        "goals": [g.to_json() for g in report.goals],
        "plans": [p.to_json() for p in report.plans],
        "cases": [],
        "references": [],
    }
    if report.cases is not None:
        doc.update(report.cases.to_json())  # cases, references, competitors, benchmarks
    for key, value in report.extras.items():
        doc[key] = value
    return doc


def dumps_json(doc: dict[str, Any]) -> str:
    """Serialise deterministically: sorted keys would reorder KPIs, so keep insertion order."""
    return json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def safe_cell(value: object) -> object:
    """Return a CSV cell that a spreadsheet shows as text, not runs as a formula."""
    if isinstance(value, str):
        # csv.writer quotes "\n" (our line end) but not a bare "\r", which spreadsheets read
        # as a new row: "x\r=cmd" would start a row with a live formula. Make it a quoted "\n".
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


CSV_HEADER = (
    "kpi",
    "label",
    "unit",
    "better",
    "channel",
    "period_type",
    "period",
    "start",
    "end",
    "value",
)


def results_csv(report: Report) -> str:
    """Return kpis.csv: one row per KPI, channel and period."""
    loc = report.project.config.locale
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_HEADER)

    def row(
        r: KpiResult,
        channel: str,
        ptype: str,
        label: str,
        start: str,
        end: str,
        value: float | None,
    ) -> None:
        k = r.kpi
        cells = (
            k.id,
            k.label(loc),
            k.unit,
            k.better,
            channel,
            ptype,
            label,
            start,
            end,
            "" if value is None or finite(value) is None else repr(float(value)),
        )
        w.writerow([safe_cell(c) if i != len(cells) - 1 else c for i, c in enumerate(cells)])

    p, prev, ago = report.period, report.previous_period, report.year_ago_period
    for r in list(report.kpis.values()) + list(report.metrics.values()):
        row(r, "all", "report", str(p), p.start.isoformat(), p.end.isoformat(), r.value)
        row(
            r,
            "all",
            "previous",
            str(prev),
            prev.start.isoformat(),
            prev.end.isoformat(),
            r.previous,
        )
        row(r, "all", "year_ago", str(ago), ago.start.isoformat(), ago.end.isoformat(), r.year_ago)
        for ch, v in r.channels.items():
            row(r, ch, "report", str(p), p.start.isoformat(), p.end.isoformat(), v)
        for grain, pts in r.series.items():
            for b, v in pts:
                row(
                    r,
                    "all",
                    grain,
                    b.label,
                    b.period.start.isoformat(),
                    b.period.end.isoformat(),
                    v,
                )
        for ch, pts in r.channel_series.items():
            for b, v in pts:
                row(
                    r, ch, "month", b.label, b.period.start.isoformat(), b.period.end.isoformat(), v
                )
    return buf.getvalue()
