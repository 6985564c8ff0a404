"""The goals: an overview, one page per goal and one per funnel plan."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sitegen.model.goals import GoalResult
from sitegen.model.goals.trend import segments
from sitegen.model.periods import bucket_label
from sitegen.present.charts.kinds.funnel import funnel_chart
from sitegen.present.charts.kinds.goals import GoalPoint, bullet_chart, goal_chart
from sitegen.present.charts.model import Chart, GoalBar
from sitegen.present.i18n.gettext import gettext
from sitegen.present.site.builder import SiteBuilder
from sitegen.present.site.goaltext import (
    buckets_text,
    date_text,
    goal_verdict,
    measure_text,
    progress_text,
    run_rate_text,
)
from sitegen.present.site.labels import status_text
from sitegen.present.site.routes import path_for


def goals_section(site: SiteBuilder) -> None:
    """Add the goals overview, a page per goal and a page per funnel plan."""
    rep = site.report
    if not rep.goals and not rep.plans:
        return
    loc, fmt = site.locale, site.fmt
    title = site.t("Goals")
    site.nav_item("goals", title, path_for("goals"))
    bullet = None
    if rep.goals:
        bullet = site.add_chart(
            bullet_chart(
                "goals-progress",
                site.t("Progress"),
                [
                    GoalBar(
                        g.spec.title,
                        progress_text(g, fmt, loc).bar,
                        g.expected_progress if g.measure == "total" else None,
                        g.status,
                        status_text(loc, g.status),
                    )
                    for g in rep.goals
                ],
                fmt,
                locale=loc,
                brand=site.brand,
            )
        )
    site.add_page(
        path_for("goals"),
        "goals.html",
        title,
        {
            "goals": rep.goals,
            "plans": rep.plans,
            "bullet": bullet,
            "status_text": lambda s: status_text(loc, s),
            "achieved": sum(1 for g in rep.goals if g.status == "achieved"),
            "verdicts": {
                g.id: goal_verdict(g, fmt, loc, rep.catalogue, site.channel_name) for g in rep.goals
            },
            "progress": {g.id: progress_text(g, fmt, loc) for g in rep.goals},
            "measures": {g.id: measure_text(g, fmt, loc) for g in rep.goals},
        },
        section="goals",
        crumbs=site.home(),
    )
    crumbs = [*site.home(), (title, path_for("goals"))]
    for g in rep.goals:
        site.add_page(
            path_for("goal", g.spec.id),
            "goal.html",
            g.spec.title,
            {
                "g": g,
                "trend": site.add_chart(_goal_chart(site, g)),
                "kpi": site.results.get(g.spec.kpi),
                "kdef": rep.catalogue.get(g.spec.kpi),
                "status_label": status_text(loc, g.status),
                "verdict": goal_verdict(g, fmt, loc, rep.catalogue, site.channel_name),
                "progress": progress_text(g, fmt, loc),
                "measure_text": measure_text(g, fmt, loc),
                "buckets_text": buckets_text(g, loc),
                "date_text": date_text(g, fmt, loc),
                "run_rate": run_rate_text(g, fmt, loc),
                "drivers": _driver_rows(site, g),
                "days_left": (g.spec.deadline - rep.as_of).days,
                "grain_label": lambda d, grain=g.grain: site.label(d, grain),
            },
            section="goals",
            crumbs=crumbs,
        )
    for p in rep.plans:
        site.add_page(
            path_for("plan", p.spec.id),
            "plan.html",
            p.spec.title,
            _plan_context(site, p),
            section="goals",
            crumbs=crumbs,
        )


MAX_BUCKETS = 60  # a chart of more columns than this uses a coarser grain
COARSER = {"day": "week", "week": "month", "month": "quarter", "quarter": "year"}


def _chart_grain(g: GoalResult) -> str:
    """Return the goal's grain, made coarser while the window holds too many buckets."""
    grain = g.spec.per or g.grain
    w = g.window
    while grain in COARSER and len(segments(w.start - timedelta(days=1), w.end, grain)) > (
        MAX_BUCKETS
    ):
        grain = COARSER[grain]
    return grain


def _chart_points(site: SiteBuilder, g: GoalResult) -> list[GoalPoint]:
    """Return one point per bucket of the window: M, the pace and the forecast at its end."""
    w = g.window
    grain = _chart_grain(g)
    first = g.pace[0][1] if g.pace else None
    as_of = g.as_of or w.end
    parts = [part for _, part, _ in segments(w.start - timedelta(days=1), w.end, grain)]
    # M of each chart bucket: the value of the last goal bucket that ends inside it.
    actual: dict[date, float | None] = {}
    for p, v in g.series:
        for part in parts:
            if part.start <= p.end <= part.end:
                actual[part.start] = v
                break
    last = max((d for d, v in actual.items() if v is not None), default=None)
    if len(parts) > 2 * MAX_BUCKETS:
        # A window of centuries (a typo, a test of the limits): the years around the data and
        # the deadline's year, so that the chart stays drawable.
        near = last or parts[0].start
        keep = [p for p in parts if p.start >= near][: MAX_BUCKETS - 1]
        parts = [*[p for p in parts if p.start < near][-1:], *keep, parts[-1]]
        parts = list(dict.fromkeys(parts))
    out: list[GoalPoint] = []
    for part in parts:
        pace = None
        if first is not None:
            pace = first + (g.target - first) * ((part.end - w.start).days + 1) / w.days
        forecast = None
        if (
            g.forecast is not None
            and last is not None
            and part.start >= last
            and not (as_of >= w.end)
        ):
            if g.measure == "per_period":
                # The deadline's bucket alone is projected; the buckets between are unknown.
                forecast = g.forecast if part.end == w.end else None
            else:
                # Straight from M at as of to the forecast at the deadline.
                begin = actual.get(last, g.current)
                if begin is not None:
                    span = max(1, (w.end - as_of).days)
                    done = min(span, max(0, (part.end - as_of).days))
                    forecast = begin + (g.forecast - begin) * done / span
        # Quarters and years read "2025-Q1" and "2025"; a date would name a single day.
        label = (
            bucket_label(part.start, grain)
            if grain in ("quarter", "year")
            else site.label(part.start, grain)
        )
        out.append(GoalPoint(label, part.end, actual.get(part.start), pace, forecast))
    return out


def _goal_chart(site: SiteBuilder, g: GoalResult) -> Chart:
    return goal_chart(
        f"goal-{g.spec.id}",
        g.spec.title,
        _chart_points(site, g),
        g.unit,
        site.fmt,
        locale=site.locale,
        brand=site.brand,
        target=g.target,
        baseline=None if g.cumulative else g.baseline,
    )


def _driver_rows(site: SiteBuilder, g: GoalResult) -> dict[str, Any]:
    """Return the drivers table: its columns and one row per channel, in the goal's unit."""
    fmt, loc, unit = site.fmt, site.locale, g.unit
    name = site.channel_name
    if not g.drivers:
        return {"columns": [], "rows": []}

    def pct(x: float | None) -> str:
        return fmt.percent(x * 100 if x is not None else None, 0)

    flows = site.report.catalogue.is_additive(g.spec.kpi)
    if g.measure == "window_ratio" or (g.measure == "per_period" and not flows):
        ratio = any(d.rate_effect is not None for d in g.drivers)
        columns = [
            gettext(loc, "Channel"),
            gettext(loc, "Now"),
            gettext(loc, "Baseline"),
            gettext(loc, "Share now"),
            gettext(loc, "Share before"),
        ]
        if ratio:
            columns += [gettext(loc, "Rate effect"), gettext(loc, "Mix effect")]
        rows = []
        for d in g.drivers:
            row = [name(d.channel), fmt.value(d.value, unit), fmt.value(d.base_value, unit)]
            row += [pct(d.weight), pct(d.base_weight)]
            if ratio:
                row += [fmt.value(d.rate_effect, unit), fmt.value(d.mix_effect, unit)]
            rows.append(row)
        return {"columns": columns, "rows": rows}
    if g.measure == "level":
        columns = [
            gettext(loc, "Channel"),
            gettext(loc, "Now"),
            gettext(loc, "Share now"),
            gettext(loc, "Ahead of pace (+) or behind (-)"),
        ]
        rows = [
            [name(d.channel), fmt.value(d.value, unit), pct(d.weight), fmt.number(d.gap)]
            for d in g.drivers
        ]
        return {"columns": columns, "rows": rows}
    columns = [
        gettext(loc, "Channel"),
        gettext(loc, "Share so far"),
        gettext(loc, "Recent rate a day"),
        gettext(loc, "Needed a day"),
        gettext(loc, "Ahead of pace (+) or behind (-)"),
    ]
    rows = [
        [
            name(d.channel),
            pct(d.weight),
            fmt.number(d.value),
            fmt.number(d.needed),
            fmt.number(d.gap),
        ]
        for d in g.drivers
    ]
    return {"columns": columns, "rows": rows}


def _plan_context(site: SiteBuilder, p: Any) -> dict[str, Any]:
    cat = site.report.catalogue
    labels = {
        k: (cat.get(k).label(site.locale) if k in cat.known() else k)
        for k in ("revenue", "customers", "leads", "spend", "cpl", "lead_conversion_rate")
    }
    latest = p.latest
    actual = latest.values if latest is not None else {}
    steps = [
        (labels["leads"], float(p.leads), actual.get("leads")),
        (labels["customers"], float(p.customers), actual.get("customers")),
    ]
    month = site.fmt.month(latest.period.start) if latest is not None else ""
    chart = site.add_chart(
        funnel_chart(
            f"plan-{p.spec.id}",
            f"{site.t('Funnel plan')}: {month}" if month else site.t("Funnel plan"),
            steps,
            site.fmt,
            locale=site.locale,
            brand=site.brand,
        )
    )
    return {
        "p": p,
        "labels": labels,
        "funnel": chart,
        "latest_label": month,
        "month_label": lambda d: site.fmt.month(d),
    }
