"""The portfolio index: a case-study table of every client built together (seed 000's form).

One row per goal and per campaign case of each client, as "Client / Goal / Metric / Result",
with the goal's status and a link into the client's report; a client with neither shows its
headline KPI's change. ``summary`` runs at build time on a client's report and keeps only
plain numbers and ids (it goes into the build result and portfolio.json); ``render_portfolio``
formats them in the portfolio's locale and each client's currency.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen import __version__
from sitegen.errors import ConfigError
from sitegen.model.catalogue import builtin
from sitegen.model.compare import tone
from sitegen.model.values import finite
from sitegen.pipeline.outcome import BuildResult
from sitegen.pipeline.writer import write_error, write_file_atomic
from sitegen.present.i18n.format import formatter
from sitegen.present.site.routes import path_for
from sitegen.theme.env import make_env, themes_dir

if TYPE_CHECKING:
    from sitegen.config.project import ProjectConfig
    from sitegen.model.analysis import Analysis

# The KPI a client without goals or cases is summed up by: the first of these the data gives.
HEADLINE = ("leads", "revenue", "engagement_rate", "customers", "ctr", "followers", "reach")
STATUS_ORDER = (
    "achieved",
    "on_track",
    "at_risk",
    "off_track",
    "missed",
    "not_enough_data",
    "not_started",
)


def _change(value: float | None, base: float | None) -> float | None:
    if value is None or base is None or base == 0:
        return None
    return (value - base) / abs(base)


def summary(report: Analysis, cfg: ProjectConfig) -> dict[str, Any]:
    """Return what the portfolio shows of one client's report: rows, statuses, locale."""
    loc = cfg.locale
    rows: list[dict[str, Any]] = []
    for g in report.goals:
        spec = g.spec
        rows.append(
            {
                "kind": "goal",
                "id": spec.id,
                "goal": spec.title,
                "kpi": spec.kpi,
                "metric": g.kpi.label(loc),
                "unit": g.unit,
                "better": g.better,
                "cumulative": bool(g.cumulative),
                "baseline": finite(g.baseline),
                "current": finite(g.current),
                "target": finite(g.target),
                "result": None if g.cumulative else _change(finite(g.current), finite(g.baseline)),
                "status": g.status,
                "path": path_for("goal", spec.id),
            }
        )
    for c in report.cases.cases:
        rows.append(
            {
                "kind": "case",
                "id": c.id,
                "goal": c.spec.title,
                "lifts": [
                    {
                        "kpi": k.kpi.id,
                        "metric": k.kpi.label(loc),
                        "lift": finite(k.total.lift),
                        "tone": k.total.tone,
                    }
                    for k in c.kpis
                ],
                "path": path_for("case", c.id),
            }
        )
    if not rows:
        all_results = {**report.kpis, **report.metrics}
        kid = next((k for k in HEADLINE if k in all_results), None)
        if kid is not None:
            r = all_results[kid]
            rows.append(
                {
                    "kind": "headline",
                    "id": kid,
                    "kpi": kid,
                    "metric": r.kpi.label(loc),
                    "unit": r.kpi.unit,
                    "better": r.kpi.better,
                    "value": finite(r.value),
                    "result": finite(r.change),
                    "path": path_for("kpi", kid),
                }
            )
    statuses = Counter(g.status for g in report.goals)
    return {
        "locale": loc,
        # [portfolio] locale: the language this client asks the portfolio index to speak.
        "portfolio_locale": cfg.portfolio_locale,
        "currency": cfg.currency,
        "rows": rows,
        "statuses": {s: statuses[s] for s in STATUS_ORDER if statuses[s]},
        "goals_total": len(report.goals),
        "goals_achieved": statuses["achieved"],
    }


def portfolio_locale(entries: Sequence[Mapping[str, Any]]) -> str:
    """Return the [portfolio] locale the clients set, else their common locale, else English.

    Raise ConfigError when two clients set different portfolio locales.
    """
    stated = {e["portfolio_locale"]: e for e in entries if e.get("portfolio_locale")}
    if len(stated) > 1:
        (a, first), (b, second) = sorted(stated.items())[:2]
        raise ConfigError(
            f"the clients built together name different portfolio locales: {a!r} for"
            f" {first['name']} and {b!r} for {second['name']}",
            file="sitegen.toml",
            key="portfolio.locale",
            hint="set the same [portfolio] locale in every client, or in one client only",
        )
    if stated:
        return str(next(iter(stated)))
    found = {e.get("locale") or "en" for e in entries}
    return found.pop() if len(found) == 1 else "en"


def render_portfolio(entries: list[dict[str, Any]], locale: str | None = None) -> dict[str, bytes]:
    """Return the portfolio's files: index.html and portfolio.json."""
    locale = locale or portfolio_locale(entries)
    env = make_env(themes_dir() / "default", locale)
    entries = sorted(entries, key=lambda e: (e["name"].lower(), e["slug"]))
    catalogue = builtin()

    def label(kpi: str | None, fallback: str) -> str:
        # Built-in KPIs speak the portfolio's language; a custom KPI keeps its client's label.
        known = kpi is not None and kpi in catalogue.known()
        return catalogue.get(kpi).label(locale) if known and kpi else fallback

    fmts = {e["slug"]: formatter(locale, e.get("currency") or "USD") for e in entries}
    html = env.get_template("portfolio.html").render(
        entries=entries,
        version=__version__,
        lang=locale.split("_")[0],
        locale=locale,
        fmts=fmts,
        fmt=formatter(locale, "USD"),
        label=label,
        tone=tone,
        base=lambda e: e["href"].rsplit("/", 1)[0] + "/" if "/" in e["href"] else "",
    )
    doc = json.dumps({"schema": 1, "clients": entries}, ensure_ascii=False, indent=2) + "\n"
    return {"index.html": html.encode("utf-8"), "portfolio.json": doc.encode("utf-8")}


def portfolio_entry(result: BuildResult, out_root: Path) -> dict[str, Any]:
    """Return what the portfolio index shows for one built client."""
    rel = result.out_dir.resolve().relative_to(out_root.resolve()).as_posix()
    return {
        "name": result.name,
        "slug": result.slug,
        "href": f"{rel}/index.html",
        # The client's report.pdf when this build made one (--pdf; the site is swapped whole).
        "pdf": f"{rel}/report.pdf" if (result.out_dir / "report.pdf").is_file() else None,
        "period": result.summary.get("period"),
        "goals": result.summary.get("goals", []),
        # Rows of the case-study table, statuses, locale and currency (see summary).
        **result.summary.get("portfolio", {}),
    }


def write_portfolio(out_root: Path, results: Sequence[BuildResult]) -> Path:
    """Write the portfolio index (index.html and portfolio.json) of results into out_root."""
    files = render_portfolio([portfolio_entry(r, out_root) for r in results])
    for rel, data in files.items():
        try:
            write_file_atomic(out_root / rel, data)
        except OSError as exc:
            raise write_error(out_root, f"writing the portfolio's {rel}", exc) from None
    return out_root / "index.html"
