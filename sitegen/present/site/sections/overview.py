"""The overview, summary first: goals' verdicts, headline KPIs, the agency's words, the rest.

Order (issue 19): each goal's status with one line on why, the 6-8 headline KPIs
(``[overview] kpis``, else present/site/summary.py's default) with a paragraph of the
period's main changes and their drivers, the first paragraph of the agency's commentary
page (front matter ``commentary: true``) with a link, then every other KPI by family, folded.
"""

from __future__ import annotations

from typing import Any

from sitegen.config.slug import slugify
from sitegen.model.goals import GoalResult
from sitegen.present.i18n.gettext import N_
from sitegen.present.site.builder import HEADLINE, SiteBuilder
from sitegen.present.site.goaltext import goal_verdict
from sitegen.present.site.routes import path_for
from sitegen.present.site.sections.pages import live_page, page_results
from sitegen.present.site.summary import Summary, headline_kpis
from sitegen.present.text import one_stop
from sitegen.theme.markdown import markdown_to_html, split_front_matter

# Translators: a goal's one-line verdict on the overview, under its status and numbers;
# %(progress)s and %(expected)s are shares of the way from the baseline to the target.
GOAL_PROGRESS = N_(
    "%(progress)s of the way, %(expected)s expected by now; the deadline is %(deadline)s."
)
GOAL_ACHIEVED = N_("Target reached; the deadline is %(deadline)s.")
GOAL_MISSED = N_("The deadline %(deadline)s has passed at %(progress)s of the way.")
GOAL_NOT_STARTED = N_("Starts on %(start)s; the deadline is %(deadline)s.")
GOAL_NO_VALUE = N_("No value yet; the target is %(target)s by %(deadline)s.")


def goal_line(site: SiteBuilder, g: GoalResult) -> str:
    """Return a goal's one-line verdict under its status on the overview.

    The goal page's "why" sentence (goaltext.goal_verdict) when the goal has one, without its
    leading status (the badge beside it says that); else where the goal stands.
    """
    verdict = goal_verdict(g, site.fmt, site.locale, site.report.catalogue, site.channel_name)
    if verdict.why:
        why = verdict.why.removeprefix(f"{verdict.label}: ")
        return one_stop(why[:1].upper() + why[1:])
    fields = {
        "target": site.fmt.value(g.target, g.unit),
        "deadline": site.fmt.date(g.spec.deadline),
        "start": site.fmt.date(g.spec.start),
        "progress": site.fmt.percent(None if g.progress is None else g.progress * 100, 0),
        "expected": site.fmt.percent(g.expected_progress * 100, 0),
    }
    if g.status == "achieved":
        msgid = GOAL_ACHIEVED
    elif g.status == "not_started":
        msgid = GOAL_NOT_STARTED
    elif g.progress is None:
        msgid = GOAL_NO_VALUE
    elif g.status == "missed":
        msgid = GOAL_MISSED
    else:
        msgid = GOAL_PROGRESS
    return one_stop(site.t(msgid) % fields)


def commentary(site: SiteBuilder) -> tuple[str, str, str] | None:
    """Return the commentary page's (title, path, first paragraph as HTML), if a page is one."""
    for page in site.page_sources:
        meta, _ = split_front_matter(page.text)
        if str(meta.get("commentary", "")).lower() not in ("true", "yes", "1"):
            continue
        # The excerpt shows the page's live numbers, as the page itself does.
        _, body = live_page(page, page_results(site))
        first = _first_paragraph(body)
        if not first:
            return None
        stem = page.name.rsplit(".", 1)[0]
        title = meta.get("title") or stem.replace("-", " ").replace("_", " ").strip()
        html = markdown_to_html(first, site.config.limits.max_page_chars)
        return str(title), path_for("page", slugify(stem)), html
    return None


def _first_paragraph(body: str) -> str:
    """Return the first paragraph of Markdown text that is not a heading, list or quote."""
    para: list[str] = []
    for line in body.splitlines():
        text = line.strip()
        if not text:
            if para:
                break
            continue
        if not para and text.startswith(("#", "-", "*", ">", "|", "```", "<")):
            continue
        para.append(text)
    return " ".join(para)


def overview_section(site: SiteBuilder) -> None:
    """Add the overview: goals' verdicts, headline KPIs and summary, commentary, the rest."""
    rep = site.report
    chosen = headline_kpis(site.results, rep.goals, site.config.look.overview_kpis)
    for kpi in chosen:
        site.spark(kpi)
    groups = []
    for fam, title, members in site.families():
        rest = [r for r in members if r.kpi.id not in chosen]
        for r in rest:
            site.spark(r.kpi.id)
        if rest:
            groups.append((fam, title, rest))
    charts = [k for k in (*chosen, *HEADLINE) if k in site.results and k not in ("spend",)]
    headline = [(site.results[k], site.month_chart(k)) for k in dict.fromkeys(charts)][:2]
    goals_by_kpi: dict[str, list[Any]] = {}
    for g in rep.goals:
        goals_by_kpi.setdefault(g.spec.kpi, []).append(g)
    summary = Summary(site.locale, site.fmt, site.results, site.channel_name)
    site.nav_item("overview", site.t("Overview"), path_for("overview"))
    site.add_page(
        path_for("overview"),
        "overview.html",
        site.config.name,
        {
            "families": groups,
            "sparks": site._sparks,
            "headline": headline,
            "headline_kpis": [site.results[k] for k in chosen],
            "summary": summary.paragraph(chosen),
            "goal_lines": {g.spec.id: goal_line(site, g) for g in rep.goals},
            "commentary": commentary(site),
            "goals_by_kpi": goals_by_kpi,
            "achieved": sum(1 for g in rep.goals if g.status == "achieved"),
        },
        section="overview",
    )
