"""One project's build: load -> read -> compute -> present -> draw -> render -> write.

``build_project`` reads top to bottom like MkDocs' build: it gathers every page, chart and
data file in memory first and only then writes the site, atomically, so every page sees one
consistent whole and a failed build leaves the previous site untouched. ``sitegen check``
runs the same load, read and compute stages, collecting problems instead of stopping.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from sitegen import __version__
from sitegen.config.cases import parse_cases_doc
from sitegen.config.goals import parse_goals
from sitegen.config.project import Project, load_project
from sitegen.config.report import PAPER_SIZES, unknown_channels
from sitegen.errors import DataError, SitegenError, SitegenWarning, UsageError
from sitegen.model.analysis import Analysis, Settings, Specs, analyse
from sitegen.model.compare import tone
from sitegen.model.goals import GoalSettings
from sitegen.model.specs import CasesSpec, GoalSpec, PlanSpec
from sitegen.pipeline import portfolio
from sitegen.pipeline.cache import Cache, cached_bundle, template_cache
from sitegen.pipeline.draw import ChartRenderer
from sitegen.pipeline.events import (
    ChartsDrawn,
    PagesMade,
    Progress,
    ProjectStarted,
    SiteWriting,
    WaitingForOutput,
    ignore,
)
from sitegen.pipeline.outcome import BuildResult
from sitegen.pipeline.pdf import PDF_FILE, created_at, render_pdf
from sitegen.pipeline.writer import check_target, output_lock, write_site
from sitegen.present.brand import brand_css
from sitegen.present.charts.style import chart_dark_css
from sitegen.present.i18n.d3 import d3_format_locale, d3_time_format_locale
from sitegen.present.i18n.format import formatter
from sitegen.present.results import dumps_json, goal_json, results_csv, results_json
from sitegen.present.site.build import build_site
from sitegen.present.site.builder import SiteModel
from sitegen.present.site.names import ChannelNames
from sitegen.present.site.routes import channel_slug
from sitegen.readers import DataSet
from sitegen.readers.pages import read_pages
from sitegen.theme.assets import RASTER, check_asset, suffix
from sitegen.theme.env import make_env, theme_dir, themes_dir
from sitegen.theme.pdfdoc import pdf_document
from sitegen.theme.render import Page, render_pages


class StrictError(SitegenError):
    """Warnings turned into an error by --strict."""


@dataclass
class Problems:
    """Errors collected instead of raised, so that one run reports all of them (check)."""

    errors: list[SitegenError] = field(default_factory=list)

    @contextmanager
    def step(self, warnings: list[SitegenWarning]) -> Iterator[None]:
        """Run a step; record its SitegenError, add the warnings it carries, and go on."""
        try:
            yield
        except SitegenError as exc:
            self.record(exc)
            warnings.extend(exc.warnings)

    def record(self, exc: SitegenError) -> None:
        """Record an error to report with the others."""
        self.errors.append(exc)


class Timer:
    """Seconds spent in each stage of a build."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Add the time spent in the block to the stage's total."""
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - t0


# -- the stages -------------------------------------------------------------------------------


def load(project_dir: Path) -> Project:
    """Load and validate the project's settings, goals and cases."""
    return load_project(project_dir)


def read(project: Project) -> DataSet:
    """Read the project's data/ folder."""
    return project.read_data()


def compute(project: Project, dataset: DataSet, problems: Problems | None = None) -> Analysis:
    """Compute the analysis; with problems, record a failing goals or cases step and go on."""
    return analyse(
        Settings(
            project.catalogue,
            project.config.name,
            project.config.period,
            GoalSettings(project.config.goals_pace_days, project.config.goals_tolerance),
        ),
        dataset.frame,
        dataset.grains,
        _specs(project, problems),
        [
            *project.warnings,
            *dataset.warnings,
            *unknown_channels(project.config.look, {*dataset.grains, *dataset.metrics_by_channel}),
        ],
        on_error=None if problems is None else problems.record,
        totals=dataset.totals,
    )


def _specs(project: Project, problems: Problems | None) -> Specs:
    """Return goals.toml's and cases.toml's validated tables (none without the files)."""
    goal_specs: tuple[GoalSpec, ...] = ()
    plan_specs: tuple[PlanSpec, ...] = ()
    goal_warnings: list[SitegenWarning] = []
    cases: CasesSpec | None = None
    case_warnings: list[SitegenWarning] = []
    known = project.catalogue.known()
    if project.goals_doc is not None:
        with _step(problems, goal_warnings):
            found, plans, goal_warnings = parse_goals(
                project.goals_doc,
                file="goals.toml",
                known_kpis=known,
                max_goals=project.config.limits.max_goals,
            )
            goal_specs, plan_specs = tuple(found), tuple(plans)
    with _step(problems, case_warnings):
        cases, case_warnings = parse_cases_doc(
            project.cases_doc, known, project.config.limits.max_cases
        )
    return Specs(goal_specs, plan_specs, goal_warnings, cases, case_warnings)


def _step(
    problems: Problems | None, warnings: list[SitegenWarning]
) -> AbstractContextManager[None]:
    return problems.step(warnings) if problems is not None else nullcontext()


def strict_check(report: Analysis) -> None:
    """Raise StrictError when the report has warnings (notes of a normal export aside)."""
    serious = [w for w in report.warnings if w.code != "note"]
    if serious:
        raise StrictError(
            f"{len(serious)} warning(s) and --strict is on:\n"
            + "\n".join(f"  {w}" for w in serious),
            hint="fix the warnings, or build without --strict",
        )


def render(
    project: Project, report: Analysis, site: SiteModel, cache: Cache | None, *, pdf: bool = False
) -> tuple[dict[str, bytes], str | None]:
    """Return every file of the site (pages, static files, assets, data, sitemap) and, with
    pdf, the one HTML document of report.pdf (made by the pdf stage from these files)."""
    cfg = project.config
    theme = theme_dir(project)
    env = make_env(theme, cfg.locale, project)
    env.bytecode_cache = template_cache()
    fmt = formatter(cfg.locale, cfg.currency)
    common = {
        "project": cfg,
        "report": report,
        "fmt": fmt,
        "tone": tone,
        "charts": site.charts,
        "version": __version__,
        "locale": cfg.locale,
        "channel_name": ChannelNames(cfg.look.channels, cfg.locale),
        "lang": cfg.locale.split("_")[0],
        # The header links report.pdf only when this build makes it.
        "pdf": pdf,
    }
    html = render_pages(env, site.pages, common, site.nav)
    files: dict[str, bytes] = {path: text.encode("utf-8") for path, text in html.items()}
    files.update(_static_files(theme))
    # The paper of print and PDF ([report] paper): appended to the theme's print rules.
    page_size = f"\n@page {{ size: {PAPER_SIZES[cfg.paper]}; }}\n".encode()
    files["static/print.css"] = files.get("static/print.css", b"") + page_size
    files["static/vega.js"] = cached_bundle(cache)
    colours = {channel_slug(ch): s.colour for ch, s in cfg.look.channels.items() if s.colour}
    if cfg.brand_color or colours:
        # Colours are validated as #rgb/#rrggbb in sitegen/config, so they are safe in CSS;
        # the brand's main chart line gets its own dark-mode colour (site.css has the rest).
        css = brand_css(cfg.brand_color, colours)
        if cfg.brand_color:
            css += chart_dark_css(cfg.brand_color)
        files["static/brand.css"] = css.encode()
    files.update(_project_assets(project))
    files["data/kpis.json"] = dumps_json(results_json(report, cfg, fmt)).encode("utf-8")
    files["data/kpis.csv"] = results_csv(report, cfg.locale).encode("utf-8")
    if cfg.base_url:
        files["sitemap.xml"] = _sitemap(cfg.base_url, site.pages, report.as_of.isoformat())
    document = None
    if pdf:
        created = created_at(report.as_of)
        document = pdf_document(env, site.pages, html, common, created=created)
    return files, document


# -- one project's build ----------------------------------------------------------------------


def build_project(
    project_dir: Path,
    out_dir: Path | None = None,
    *,
    out_root: Path | None = None,
    strict: bool = False,
    progress: Progress = ignore,
    cache: Cache | None = None,
    jobs: int = 1,
    first_build: bool = False,
    force: bool = False,
    on_written: Callable[[BuildResult], None] | None = None,
    pdf: bool = False,
) -> BuildResult:
    """Build one project's site into out_dir (or out_root/<slug>); raise SitegenError.

    first_build says every chart will be drawn (no cache, or none of this project's), so
    with jobs > 1 a drawing worker is started before the data are read. Writing the site and
    on_written (the cache's record of it) happen under the output's lock, so concurrent
    builds into one output compute side by side and publish one after another. force
    replaces a non-empty output that has no sitegen marker. pdf adds report.pdf (the
    report as one printed document) to the site.
    """
    timer = Timer()
    with timer.stage("load"):
        project = load(project_dir)
    cfg = project.config
    if out_dir is None:
        if out_root is None:
            raise UsageError("no output folder given")
        out_dir = out_root / cfg.slug
    progress(ProjectStarted(cfg.name))
    # Refused before any work; checked again under the lock, just before the write.
    check_target(out_dir, [project.root], force=force)
    site, report, files, read_as = _make(
        project, timer, strict, progress, cache, jobs, first_build, pdf
    )
    result = BuildResult(
        name=cfg.name,
        slug=cfg.slug,
        out_dir=out_dir,
        pages=len(site.pages),
        charts=len(site.charts),
        files=len(files),
        warnings=list(report.warnings),
        timings=timer.stages,
        summary={
            "period": report.period.to_json(),
            "goals": [goal_json(g, cfg.locale) for g in report.goals],
            "kpis": len(report.kpis),
            "portfolio": portfolio.summary(report, cfg),
            # What each data file was read as, for the build's output (terminal.py).
            "files": read_as,
        },
    )
    progress(SiteWriting(out_dir))
    lock = output_lock(out_dir, on_wait=lambda lock_file: progress(WaitingForOutput(lock_file)))
    with timer.stage("write"), lock:
        check_target(out_dir, [project.root], force=force)
        write_site(out_dir, files)
        if on_written is not None:
            on_written(result)
    return result


def _make(
    project: Project,
    timer: Timer,
    strict: bool,
    progress: Progress,
    cache: Cache | None,
    jobs: int,
    first_build: bool,
    pdf: bool = False,
) -> tuple[SiteModel, Analysis, dict[str, bytes], list[dict[str, Any]]]:
    """Read, compute, draw and render a project: return its site model, report, files and
    what each data file was read as."""
    cfg = project.config

    def drawn(done: int, total: int) -> None:
        progress(ChartsDrawn(done, total))

    fmt, tfmt = d3_format_locale(cfg.locale), d3_time_format_locale(cfg.locale)
    with ChartRenderer(
        fmt, tfmt, cache=cache, jobs=jobs, progress=drawn, first_build=first_build
    ) as drawer:
        with timer.stage("read"):
            dataset = read(project)
            page_sources = read_pages(project)
        with timer.stage("compute"):
            report = compute(project, dataset)
        if strict:
            strict_check(report)
        # With -j, workers draw the charts while the pages are made: "pages" is the time to
        # make them, "charts" the wait for the drawings still unfinished after that (with
        # -j 1, all of the drawing).
        with timer.stage("pages"):
            data_files = [project.display(p) for p in dataset.files]
            estimates = {f.file: f.estimates for f in dataset.file_summaries if f.estimates}
            site = build_site(
                report,
                cfg,
                page_sources,
                data_files,
                on_chart=drawer.submit,
                estimates=estimates,
            )
        # Announced before the wait for the drawings, so a progress display can say so.
        progress(PagesMade(len(site.pages), len(site.charts)))
        with timer.stage("charts"):
            drawer.finish(site.charts)
    with timer.stage("render"):
        files, document = render(project, report, site, cache, pdf=pdf)
    if document is not None:
        with timer.stage("pdf"):
            files[PDF_FILE] = render_pdf(document, files)
    return site, report, files, [f.to_json() for f in dataset.file_summaries]


# -- files besides the pages ------------------------------------------------------------------


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
    for p in sorted(folder.rglob("*")) if folder.is_dir() else []:
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
            # Only images, fonts, PDF and CSV; an SVG only without script (theme/assets.py).
            files[rel.as_posix()] = check_asset(rel.as_posix(), p.read_bytes())
    _check_logo(project, files)
    return files


def _check_logo(project: Project, assets: dict[str, bytes]) -> None:
    """Refuse a logo that is not a safe image, wherever in the project it is."""
    logo = project.config.logo
    if not logo:
        return
    path = (project.root / logo).resolve()
    rel = path.relative_to(project.root.resolve()).as_posix()
    if rel in assets:
        return  # checked with the assets
    if suffix(rel) not in (*RASTER, "svg"):
        raise DataError(
            "the logo must be an image",
            file="sitegen.toml",
            key="project.logo",
            expected=", ".join((*RASTER, "svg")),
            found=repr(logo),
        )
    # A logo outside assets/ is copied too: the header and print show it on every page.
    assets[rel] = check_asset(rel, path.read_bytes(), key="project.logo")


def _sitemap(base_url: str, pages: list[Page], lastmod: str) -> bytes:
    base = base_url if base_url.endswith("/") else base_url + "/"
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for p in sorted(pages, key=lambda p: p.path):
        lines.append(f"  <url><loc>{escape(base + p.path)}</loc><lastmod>{lastmod}</lastmod></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()
