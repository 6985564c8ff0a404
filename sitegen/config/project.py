"""Load and validate a client project folder: sitegen.toml, goals.toml, cases.toml, pages/.

The keys of sitegen.toml are declared once below (``TOP``, ``PROJECT``, ``PERIOD``, ``DATA``,
``LIMITS``; ``KPI`` in sitegen.config.kpis); a build raises every problem of the file together,
``sitegen check`` reads the valid part and reports the rest. The docs' key tables are
generated from the same declaration.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.config.datafiles import read_files
from sitegen.config.fields import (
    DATA,
    KEY_NAMES,
    LIMITS,
    PERIOD,
    PORTFOLIO,
    PROJECT,
    TOP,
    TOP_KEYS,
)
from sitegen.config.fields import GOALS as GOAL_KEYS
from sitegen.config.kpis import read_kpis
from sitegen.config.limits import DEFAULT_LIMITS, Limits
from sitegen.config.report import CHANNEL, OVERVIEW, REPORT, Presentation, read_presentation
from sitegen.config.schema import Checker, Field, keys
from sitegen.config.slug import slugify
from sitegen.config.toml import read_toml
from sitegen.config.values import show
from sitegen.errors import ConfigError, SitegenWarning
from sitegen.model.catalogue import Catalogue, CustomKpi, builtin, with_custom
from sitegen.model.periods import Period
from sitegen.readers import DataSet, FileRule, read_data

CONFIG = "sitegen.toml"
GOALS = "goals.toml"
_KEY_NAMES = KEY_NAMES + keys(REPORT) + keys(OVERVIEW) + keys(CHANNEL)
CASES = "cases.toml"


@dataclass(frozen=True)
class ProjectConfig:
    """The validated settings of sitegen.toml."""

    name: str
    slug: str
    locale: str = "en"
    currency: str = "USD"
    timezone: str | None = None
    theme: str = "default"
    logo: str | None = None
    brand_color: str | None = None
    trust_templates: bool = False
    base_url: str = ""
    period: Period | None = None
    date_format: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    custom_kpis: tuple[CustomKpi, ...] = ()
    limits: Limits = DEFAULT_LIMITS
    goals_pace_days: int = 28  # [goals] pace_days
    goals_tolerance: float = 0.1  # [goals] tolerance
    portfolio_locale: str | None = None  # [portfolio] locale: the portfolio index's language
    # [report], [overview], [channels.*]: footer, headline KPIs, channel names.
    look: Presentation = field(default_factory=Presentation)

    year: int | None = None  # [data] year: of dates whose date_format has none
    delimiter: str | None = None  # [data] delimiter
    encoding: str | None = None  # [data] encoding
    files: tuple[FileRule, ...] = ()  # [[data.files]]

    @property
    def paper(self) -> str:
        """Return the paper of print and report.pdf ([report] paper)."""
        return self.look.report.paper

    @property
    def dates_year(self) -> int | None:
        """Return the year of dates written without one: [data] year, else the report
        period's year when the period lies within one calendar year, else None."""
        if self.year is not None:
            return self.year
        if self.period is not None and self.period.start.year == self.period.end.year:
            return self.period.start.year
        return None


@dataclass
class Project:
    """A loaded client project: settings, catalogue, raw goals/cases documents and pages."""

    root: Path
    config: ProjectConfig
    catalogue: Catalogue
    goals_doc: dict[str, Any] | None
    cases_doc: dict[str, Any] | None
    pages: list[Path]
    warnings: list[SitegenWarning]

    @property
    def data_dir(self) -> Path:
        """Return the project's data/ folder."""
        return self.root / "data"

    def read_data(self) -> DataSet:
        """Read the project's data/ with its settings (column names, date format, zone)."""
        cfg = self.config
        return read_data(
            self.data_dir,
            metric_kinds=self.catalogue.metric_kinds,
            columns=dict(cfg.columns),
            date_format=cfg.date_format,
            timezone=cfg.timezone,
            year=cfg.dates_year,
            limits=cfg.limits,
            delimiter=cfg.delimiter,
            encoding=cfg.encoding,
            files=cfg.files,
        )

    def display(self, path: Path) -> str:
        """Return path as the user sees it: relative to the project folder."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def _field(fields: tuple[Field, ...], key: str) -> Field:
    return next(f for f in fields if f.key == key)


def _period(check: Checker, doc: Mapping[str, Any]) -> Period | None:
    per = check.value(doc, _field(TOP, "period"), "")
    if per is None:
        return None
    values = check.read(per, PERIOD, "period")
    start, end = values["start"], values["end"]
    if start is None or end is None:
        return None
    if end < start:
        check.error(
            "period.end",
            "the period ends before it starts",
            expected=f"a date on or after {start}",
            found=show(end),
        )
        return None
    return Period(start, end)


def read_config(
    doc: Mapping[str, Any], root: Path, file: str = CONFIG
) -> tuple[ProjectConfig, Checker]:
    """Return the valid part of a parsed sitegen.toml and the checker holding its problems."""
    check = Checker(file, key_names=_KEY_NAMES, root=root)
    check.unknown_keys(doc, TOP_KEYS, "")
    project = check.read(check.value(doc, _field(TOP, "project"), ""), PROJECT, "project")
    period = _period(check, doc)
    data = check.value(doc, _field(TOP, "data"), "")
    settings = check.read(data, DATA, "data") if data is not None else {}
    table = check.value(doc, _field(TOP, "limits"), "")
    budgets = check.read(table, LIMITS, "limits") if table is not None else {}
    table = check.value(doc, _field(TOP, "goals"), "")
    goal_keys = check.read(table, GOAL_KEYS, "goals") if table is not None else {}
    table = check.value(doc, _field(TOP, "portfolio"), "")
    portfolio = check.read(table, PORTFOLIO, "portfolio") if table is not None else {}
    custom = read_kpis(check, check.value(doc, _field(TOP, "kpis"), ""))
    look = read_presentation(check, doc, project, custom)
    config = ProjectConfig(
        name=(project["name"] or "").strip(),
        slug=project["slug"] or slugify(root.name),
        locale=project["locale"],
        currency=project["currency"],
        timezone=project["timezone"],
        theme=project["theme"],
        logo=look.report.logo,
        brand_color=look.report.brand_colour,
        trust_templates=project["trust_templates"],
        base_url=project["base_url"],
        period=period,
        date_format=settings.get("date_format"),
        columns=settings.get("columns", {}),
        custom_kpis=custom,
        year=settings.get("year"),
        delimiter=settings.get("delimiter"),
        encoding=settings.get("encoding"),
        files=read_files(check, settings.get("files")),
        limits=Limits(**budgets),
        goals_pace_days=goal_keys.get("pace_days", 28),
        goals_tolerance=goal_keys.get("tolerance", 0.1),
        portfolio_locale=portfolio.get("locale"),
        look=look,
    )
    return config, check


def parse_config(
    doc: Mapping[str, Any], root: Path, file: str = CONFIG
) -> tuple[ProjectConfig, list[SitegenWarning]]:
    """Validate a parsed sitegen.toml; raise every problem at once."""
    config, check = read_config(doc, root, file)
    check.raise_if_any()
    return config, check.warnings


def is_project(path: Path) -> bool:
    """Return True when path is a project folder (it has a sitegen.toml)."""
    return (path / CONFIG).is_file()


def find_projects(path: Path) -> list[Path]:
    """Return path itself when it is a project, else its project sub-folders (a portfolio)."""
    if is_project(path):
        return [path]
    return sorted(
        p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".") and is_project(p)
    )


def load_project(root: Path) -> Project:
    """Load and validate a project folder; raise ConfigError naming file, line and key."""
    root = root.resolve()
    if not root.is_dir():
        raise ConfigError("the project folder does not exist", file=str(root))
    if not is_project(root):
        raise ConfigError(
            f"no {CONFIG} in this folder",
            file=str(root),
            hint="a project folder holds sitegen.toml and data/; 'sitegen new DIR' makes one",
        )
    doc = read_toml(root / CONFIG, CONFIG)
    config, warnings = parse_config(doc, root)
    catalogue = with_custom(builtin(), config.custom_kpis, CONFIG)
    if not (root / "data").is_dir():
        raise ConfigError(
            "the project has no data/ folder",
            file="data/",
            hint="put the platforms' exports (CSV, XLSX, JSON, Parquet) into data/",
        )
    goals_doc = read_toml(root / GOALS, GOALS) if (root / GOALS).is_file() else None
    cases_doc = read_toml(root / CASES, CASES) if (root / CASES).is_file() else None
    pages_dir = root / "pages"
    pages: list[Path] = []
    if pages_dir.is_dir():
        for p in sorted(pages_dir.glob("*.md")):
            # A symlink that leads out of the project would leak a file into the site.
            if not p.resolve().is_relative_to(root):
                raise ConfigError(
                    "the page is a link to a file outside the project",
                    file=f"pages/{p.name}",
                    hint="copy the file into pages/ instead of linking to it",
                )
            pages.append(p)
    return Project(root, config, catalogue, goals_doc, cases_doc, pages, warnings)
