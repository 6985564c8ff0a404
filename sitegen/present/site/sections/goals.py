"""The goals: an overview, one page per goal and one per funnel plan."""

from __future__ import annotations

import itertools
from typing import Any

from sitegen.present.charts.kinds.funnel import funnel_chart
from sitegen.present.charts.kinds.goals import bullet_chart, goal_chart
from sitegen.present.charts.model import Chart, GoalBar, Point
from sitegen.present.site.builder import SiteBuilder
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
                        g.progress,
                        g.expected_progress,
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
                "run_rate": _run_rate_text(site, g),
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


def _goal_chart(site: SiteBuilder, g: Any) -> Chart:
    pts = site.period_points(g.series, g.grain)
    if g.cumulative:
        # A total "by the deadline" is compared with the pace as a running total.
        running = list(itertools.accumulate((p.value or 0.0) for p in pts))
        pts = [
            Point(p.start, p.end, p.label, total if p.value is not None or i else None)
            for i, (p, total) in enumerate(zip(pts, running, strict=True))
        ]
    forecast = (g.spec.deadline, g.forecast) if g.forecast is not None else None
    return goal_chart(
        f"goal-{g.spec.id}",
        g.spec.title,
        pts,
        g.pace,
        g.unit,
        site.fmt,
        locale=site.locale,
        brand=site.brand,
        target=g.target,
        baseline=None if g.cumulative else g.baseline,
        forecast=forecast,
        window=(g.spec.start, g.spec.deadline),
    )


def _run_rate_text(site: SiteBuilder, g: Any) -> str | None:
    if g.run_rate_needed is None:
        return None
    n = site.fmt.value(g.run_rate_needed, g.unit)
    if g.run_rate_unit == "month":
        return site.t("%(n)s per month from now on") % {"n": n}
    if g.run_rate_unit == "week":
        return site.t("%(n)s per week from now on") % {"n": n}
    if g.run_rate_unit == "day":
        return site.t("%(n)s per day from now on") % {"n": n}
    return n


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
