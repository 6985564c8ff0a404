"""The build pipeline: load -> read -> compute -> chart -> render -> write.

``build_project`` reads top to bottom like MkDocs' build: it gathers every page, chart and
data file in memory first and only then writes the site, atomically, so every page sees one
consistent whole and a failed build leaves the previous site untouched.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen import __version__, portfolio
from sitegen.cache import Cache, cached_bundle, template_cache
from sitegen.config.goals import parse_goals
from sitegen.config.project import Project, find_projects, load_project
from sitegen.engine import Engine
from sitegen.errors import DataError, SitegenError, SitegenWarning, UsageError
from sitegen.render import Page, make_env, render_pages, theme_dir, themes_dir
from sitegen.report import Report, compute_report, report_period
from sitegen.results import dumps_json, results_csv, results_json
from sitegen.site import build_site, channel_path, tone
from sitegen.writer import check_target, write_file_atomic, write_site

if TYPE_CHECKING:
    from sitegen.parallel import ChartRenderer

Progress = Callable[[str, str], None]


class StrictError(SitegenError):
    """Warnings turned into an error by --strict."""


@dataclass
class BuildResult:
    """What one project's build produced: where, how much, how long, which warnings."""

    name: str
    slug: str
    out_dir: Path
    pages: int
    charts: int
    files: int
    warnings: list[SitegenWarning]
    timings: dict[str, float] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)


class _Timer:
    def __init__(self) -> None:
        self.stages: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - t0


def _locales(locale: str) -> tuple[Any, Any]:
    try:
        from sitegen import i18n

        return i18n.d3_format_locale(locale), i18n.d3_time_format_locale(locale)
    except (ImportError, AttributeError):  # pragma: no cover - i18n lands separately
        return None, None


def chart_renderer(
    locale: str,
    cache: Cache | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    first_build: bool = False,
) -> ChartRenderer:
    """Return a renderer of static SVGs in the locale's formats (cached; jobs processes)."""
    from sitegen import parallel

    fmt, tfmt = _locales(locale)
    return parallel.ChartRenderer(
        fmt, tfmt, cache=cache, jobs=jobs, progress=progress, first_build=first_build
    )


def formatter(project: Project) -> Any:
    """Return the locale formatter for the project's locale and currency."""
    from sitegen.i18n import Formatter

    return Formatter(project.config.locale, project.config.currency)


def _static_files(theme: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    default_static = themes_dir() / "default" / "static"
    for folder in (default_static, theme / "static"):
        if folder.is_dir():
            for p in sorted(folder.rglob("*")):
                if p.is_file() and not p.name.startswith("."):
                    files["static/" + p.relative_to(folder).as_posix()] = p.read_bytes()
    return files


def _project_assets(project: Project) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    folder = project.root / "assets"
    if not folder.is_dir():
        return files
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(project.root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        # A symlink out of the project would publish a file from elsewhere on the machine.
        if not p.resolve().is_relative_to(project.root):
            raise DataError(
                "the asset is a link to a file outside the project",
                file=rel.as_posix(),
                hint="copy the file into assets/ instead of linking to it",
            )
        if p.is_file():
            files[rel.as_posix()] = p.read_bytes()
    return files


def _sitemap(base_url: str, pages: list[Page], lastmod: str) -> bytes:
    base = base_url if base_url.endswith("/") else base_url + "/"
    from xml.sax.saxutils import escape

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for p in sorted(pages, key=lambda p: p.path):
        lines.append(f"  <url><loc>{escape(base + p.path)}</loc><lastmod>{lastmod}</lastmod></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()


def compute(project: Project, timer: _Timer | None = None) -> Report:
    """Read the project's data and compute its report (everything but the site)."""
    timer = timer or _Timer()
    with timer.stage("read"):
        dataset = project.read_data()
    with timer.stage("compute"):
        engine = Engine(dataset.frame, project.catalogue)
        period = report_period(project, engine, dataset.grains)
        if period is None:
            raise DataError(
                "data/ holds no rows for the client's own channels",
                file="data/",
                hint="add the platforms' exports (CSV, XLSX, JSON, Parquet) with a date column",
            )
        report = compute_report(project, dataset, engine, period)
        _evaluate_goals(project, report)
        from sitegen import cases

        report.cases = cases.compute_cases(project, report)
        report.warnings.extend(report.cases.warnings)
    return report


def _evaluate_goals(project: Project, report: Report) -> None:
    if project.goals_doc is None:
        return
    from sitegen import goals

    specs, plans, warnings = parse_goals(
        project.goals_doc, file="goals.toml", known_kpis=project.catalogue.known()
    )
    report.warnings.extend(warnings)
    results, gwarnings = goals.evaluate_goals(
        specs, report.engine, as_of=report.as_of, locale=project.config.locale
    )
    report.goals = list(results)
    report.warnings.extend(gwarnings)
    report.plans = list(
        goals.evaluate_plans(plans, report.engine, as_of=report.as_of, period=report.period)
    )


def build_project(
    project_dir: Path,
    out_dir: Path | None = None,
    *,
    out_root: Path | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    cache: Cache | None = None,
    jobs: int = 1,
    first_build: bool = False,
) -> BuildResult:
    """Build one project's site into out_dir (or out_root/<slug>); raise SitegenError.

    first_build says every chart will be drawn (no cache, or none of this project's), so
    with jobs > 1 a drawing worker is started before the data are read.
    """
    notify = progress or (lambda stage, detail: None)
    timer = _Timer()
    with timer.stage("load"):
        project = load_project(project_dir)
    cfg = project.config
    if out_dir is None:
        if out_root is None:
            raise UsageError("no output folder given")
        out_dir = out_root / cfg.slug
    notify("load", cfg.name)
    check_target(out_dir, [project.root])

    def chart_done(done: int, total: int) -> None:
        notify("chart", f"{done}/{total}")

    with chart_renderer(cfg.locale, cache, jobs, chart_done, first_build) as cr:
        return _build_site(project, out_dir, timer, cr, cache, strict=strict, notify=notify)


def _build_site(
    project: Project,
    out_dir: Path,
    timer: _Timer,
    cr: ChartRenderer,
    cache: Cache | None,
    *,
    strict: bool,
    notify: Progress,
) -> BuildResult:
    cfg = project.config
    report = compute(project, timer)
    notify("compute", f"{len(report.kpis)} KPIs")

    # Notes (a dropped "Total" row, an ignored rate column) describe a normal export: they
    # are reported but never fail a --strict build.
    serious = [w for w in report.warnings if w.code != "note"]
    if strict and serious:
        raise StrictError(
            f"{len(serious)} warning(s) and --strict is on:\n"
            + "\n".join(f"  {w}" for w in serious),
            hint="fix the warnings, or build without --strict",
        )

    # With -j, workers draw the charts while the pages are made: "pages" is the time to make
    # them, "charts" the wait for the drawings still unfinished after that (with -j 1, all
    # of the drawing). "chart" events carry "done/total" distinct charts, for a progress bar.
    with timer.stage("pages"):
        site = build_site(report, on_chart=cr.submit)
    # Announced before the wait for the drawings, so a progress display can say so.
    notify("pages", f"{len(site.pages)} pages, {len(site.charts)} charts")
    with timer.stage("charts"):
        cr.finish(site.charts)
    notify("charts", f"{len(site.charts)} charts")

    with timer.stage("render"):
        theme = theme_dir(project)
        env = make_env(project, theme)
        env.bytecode_cache = template_cache(cache)
        from sitegen import i18n

        i18n.install_i18n(env, cfg.locale)
        fmt = formatter(project)
        common = {
            "project": cfg,
            "report": report,
            "fmt": fmt,
            "tone": tone,
            "channel_path": channel_path,
            "charts": site.charts,
            "version": __version__,
            "locale": cfg.locale,
            "lang": cfg.locale.split("_")[0],
        }
        html = render_pages(env, site.pages, common, site.nav)
        files: dict[str, bytes] = {path: text.encode("utf-8") for path, text in html.items()}
        files.update(_static_files(theme))
        files["static/vega.js"] = cached_bundle(cache)
        if cfg.brand_color:
            # Validated as #rgb/#rrggbb in project.py, so it is safe to write into CSS.
            files["static/brand.css"] = f":root {{ --brand: {cfg.brand_color}; }}\n".encode()
        files.update(_project_assets(project))
        files["data/kpis.json"] = dumps_json(results_json(report)).encode("utf-8")
        files["data/kpis.csv"] = results_csv(report).encode("utf-8")
        if cfg.base_url:
            files["sitemap.xml"] = _sitemap(cfg.base_url, site.pages, report.as_of.isoformat())
    with timer.stage("write"):
        write_site(out_dir, files)
    notify("write", str(out_dir))
    return BuildResult(
        name=cfg.name,
        slug=cfg.slug,
        out_dir=out_dir,
        pages=len(site.pages),
        charts=len(site.charts),
        files=len(files),
        warnings=report.warnings,
        timings=timer.stages,
        summary={
            "period": report.period.to_json(),
            "goals": [g.to_json() for g in report.goals],
            "kpis": len(report.kpis),
            "portfolio": portfolio.summary(report),
        },
    )


def default_projects(content: Path) -> list[Path]:
    """Return every project under content/ (a portfolio folder's projects included)."""
    if not content.is_dir():
        raise UsageError(
            f"no project given and no {content.name}/ folder here",
            hint="run 'sitegen build PROJECT' or run from a folder that has content/",
        )
    found: list[Path] = []
    for p in find_projects(content):
        found.append(p)
    # A portfolio inside content/ (a folder of client folders) counts too.
    for sub in sorted(content.iterdir()):
        if sub.is_dir() and not sub.name.startswith(".") and sub not in found:
            found.extend(find_projects(sub))
    if not found:
        raise UsageError(f"no project (a folder with sitegen.toml) under {content}")
    return found


def expand_projects(paths: list[Path]) -> list[Path]:
    """Return the project folders named by paths (a portfolio folder expands to its projects)."""
    out: list[Path] = []
    for p in paths:
        if not p.is_dir():
            raise UsageError(f"{p} is not a folder", hint="give a project folder")
        projects = find_projects(p)
        if not projects:
            raise UsageError(
                f"{p} is neither a project (no sitegen.toml) nor a folder of projects",
                hint="'sitegen new DIR' creates a project",
            )
        out.extend(projects)
    return out


def portfolio_entry(result: BuildResult, out_root: Path) -> dict[str, Any]:
    """Return what the portfolio index shows for one built client."""
    rel = result.out_dir.resolve().relative_to(out_root.resolve()).as_posix()
    return {
        "name": result.name,
        "slug": result.slug,
        "href": f"{rel}/index.html",
        "period": result.summary.get("period"),
        "goals": result.summary.get("goals", []),
        # Rows of the case-study table, statuses, locale and currency (sitegen.portfolio).
        **result.summary.get("portfolio", {}),
    }


def write_portfolio(out_root: Path, entries: list[dict[str, Any]]) -> None:
    """Write the portfolio index (index.html and portfolio.json) into out_root."""
    from sitegen import portfolio

    files = portfolio.render_portfolio(entries)
    for rel, data in files.items():
        write_file_atomic(out_root / rel, data)


def json_summary(results: list[BuildResult]) -> str:
    """Return a JSON summary of several builds (for --format json)."""
    return json.dumps(
        [
            {
                "name": r.name,
                "slug": r.slug,
                "out": str(r.out_dir),
                "pages": r.pages,
                "charts": r.charts,
                "warnings": [str(w) for w in r.warnings],
                "timings": {k: round(v, 4) for k, v in r.timings.items()},
            }
            for r in results
        ],
        ensure_ascii=False,
        indent=2,
    )
