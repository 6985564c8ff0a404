"""The machine-readable results: ``data/kpis.json`` and ``data/kpis.csv`` (output.md).

Numbers are plain, unrounded JSON numbers; percent KPIs are in percent, changes are fractions.
The CSV has one row per KPI, channel and period, and neutralises text cells that a
spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from sitegen.config.project import ProjectConfig
from sitegen.model.analysis import Analysis, KpiResult
from sitegen.model.cases import METRICS, CaseResult, CasesResult, ReferenceResult
from sitegen.model.goals import GoalResult
from sitegen.model.goals.trend import is_full
from sitegen.model.periods import Bucket, Period, bucket_label
from sitegen.model.values import finite
from sitegen.present.change import change_drivers_json
from sitegen.present.i18n.format import Formatter
from sitegen.present.text import case_summary, reference_summary

SCHEMA = 1
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _series(points: Sequence[tuple[Bucket, float | None]]) -> list[dict[str, Any]]:
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
        # Where the value adds up period-total reports (no date column): their periods, for
        # the whole value and per channel (empty when every value comes from daily rows).
        "total_periods": [p.to_json() for p in r.total_periods],
        "channel_total_periods": {
            ch: [p.to_json() for p in found] for ch, found in r.channel_total_periods.items()
        },
        "change_drivers": change_drivers_json(r.explanation),
    }


def goal_json(g: GoalResult, locale: str) -> dict[str, Any]:
    """Return the kpis.json entry for a goal (output.md fields first)."""
    s = g.spec
    return {
        "id": s.id,
        "kpi": s.kpi,
        "channel": s.channel,
        "baseline": finite(g.baseline),
        "target": finite(g.target),
        "current": finite(g.current),
        "progress": finite(g.progress),
        "expected_progress": finite(g.expected_progress),
        "status": g.status,
        "forecast": finite(g.forecast),
        "title": s.title,
        "description": s.description,
        "kpi_label": g.kpi.label(locale),
        "unit": g.unit,
        "better": g.better,
        "change": finite(s.change),
        "start": s.start.isoformat(),
        "deadline": s.deadline.isoformat(),
        "per": s.per,
        "window": g.window.to_json(),
        "cumulative": g.cumulative,
        "grain": g.grain,
        "baseline_period": _period(g.baseline_period),
        "current_period": _period(g.current_period),
        "projected_date": _day(g.projected_date),
        "run_rate_needed": finite(g.run_rate_needed),
        "run_rate_unit": g.run_rate_unit,
        "forecast_points": g.forecast_points,
        "forecast_method": g.forecast_method,
        "forecast_grain": g.forecast_grain,
        "note": g.note,
        "series": [
            {
                "period": bucket_label(p.start, g.grain),
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
                "partial": not is_full(p, g.grain),
                "value": finite(v),
            }
            for p, v in g.series
        ],
        "pace": [{"date": d.isoformat(), "value": finite(v)} for d, v in g.pace],
        "measure": g.measure,
        "reached_on": _day(g.reached_on),
        "reachable": g.reachable,
        "share_of_target": finite(g.share_of_target),
        "buckets_met": g.buckets_met,
        "buckets": g.buckets,
        "tolerance": finite(g.tolerance),
        "pace_rate": finite(g.pace_rate),
        "pace_period": _period(g.pace_period),
        "drivers": [
            {
                "channel": d.channel,
                "value": finite(d.value),
                "weight": finite(d.weight),
                "rate_effect": finite(d.rate_effect),
                "mix_effect": finite(d.mix_effect),
                "gap": finite(d.gap),
                "base_value": finite(d.base_value),
                "base_weight": finite(d.base_weight),
                "needed": finite(d.needed),
            }
            for d in g.drivers
        ],
    }


def _day(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _period(p: Period | None) -> dict[str, str] | None:
    return p.to_json() if p is not None else None


def case_json(case: CaseResult, locale: str, fmt: Formatter) -> dict[str, Any]:
    """Return the kpis.json entry for a campaign case (output.md fields first)."""
    s = case.spec
    return {
        "id": s.id,
        "kpis": {
            k.kpi.id: {
                **k.total.to_json(),
                "label": k.kpi.label(),
                "unit": k.kpi.unit,
                "better": k.kpi.better,
                "summary": case_summary(k, case.baseline_has_data, locale, fmt),
                "channels": {ch: v.to_json() for ch, v in k.channels.items()},
                "steps": [
                    {
                        "step": st.number,
                        "baseline": st.baseline.to_json() if st.baseline else None,
                        "campaign": st.campaign.to_json() if st.campaign else None,
                        "before": st.before,
                        "after": st.after,
                    }
                    for st in k.steps
                ],
            }
            for k in case.kpis
        },
        "title": s.title,
        "description": s.description,
        "period": s.period.to_json(),
        "baseline_period": case.baseline.to_json(),
        "baseline_default": case.baseline_default,
        "baseline_has_data": case.baseline_has_data,
        "campaign_has_data": case.campaign_has_data,
        "channels": list(case.channels),
        "grain": case.grain,
        "notes": list(case.notes),
    }


def reference_json(ref: ReferenceResult, locale: str, fmt: Formatter) -> dict[str, Any]:
    """Return the kpis.json entry for a published reference (output.md fields first)."""
    s = ref.spec
    return {
        "name": s.name,
        "kpi": s.kpi,
        "change": s.change,
        "client_change": ref.client_change,
        "goal": s.goal,
        "metric": s.metric,
        "months": s.months,
        "source": s.source,
        "url": s.url,
        "channel": s.channel,
        "label": ref.kpi.label(),
        "unit": ref.kpi.unit,
        "better": ref.kpi.better,
        "window": ref.window.to_json(),
        "previous_window": ref.previous.to_json(),
        "client_before": ref.client_before,
        "client_after": ref.client_after,
        "gap": ref.gap,
        "verdict": ref.verdict,
        "summary": reference_summary(ref, locale, fmt),
        "notes": list(ref.notes),
    }


def cases_json(cr: CasesResult, locale: str, fmt: Formatter) -> dict[str, Any]:
    """Return kpis.json's cases, references, competitors and benchmarks."""
    empty = {
        "period": cr.period.to_json(),
        "window": None,
        "metrics": list(METRICS),
        "engagement_basis": None,
        "brands": [],
    }
    return {
        "cases": [case_json(c, locale, fmt) for c in cr.cases],
        "references": [reference_json(r, locale, fmt) for r in cr.references],
        "competitors": cr.competitors.to_json() if cr.competitors else empty,
        "benchmarks": [b.to_json() for b in cr.benchmarks],
    }


def results_json(report: Analysis, cfg: ProjectConfig, fmt: Formatter) -> dict[str, Any]:
    """Return the kpis.json document for an analysis (fmt writes the case sentences)."""
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
            "competitors": list(report.competitors),
        },
        "kpis": {kid: kpi_json(r, loc) for kid, r in report.kpis.items()},
        "metrics": {mid: kpi_json(r, loc) for mid, r in report.metrics.items()},
        "goals": [goal_json(g, loc) for g in report.goals],
        "plans": [p.to_json() for p in report.plans],
        "cases": [],
        "references": [],
    }
    doc.update(cases_json(report.cases, loc, fmt))  # cases, references, competitors, ...
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


def results_csv(report: Analysis, locale: str) -> str:
    """Return kpis.csv: one row per KPI, channel and period."""
    loc = locale
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
