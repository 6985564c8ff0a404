"""Load and validate a client project folder: sitegen.toml, goals.toml, cases.toml, pages/.

Validation collects every problem in a file and raises them together (like MkDocs), each
naming the file, the key path, what was expected and what was found. Unknown keys are
warnings with a did-you-mean hint; bad values are never replaced by defaults.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.numbers import list_currencies

from sitegen import validate
from sitegen.errors import ConfigError, SitegenWarning
from sitegen.model.catalogue import BETTER, UNITS, Catalogue, CustomKpi, builtin, with_custom
from sitegen.model.periods import Period
from sitegen.validate import show

if TYPE_CHECKING:
    from sitegen.readers import DataSet

CONFIG = "sitegen.toml"
GOALS = "goals.toml"
CASES = "cases.toml"
MAX_TOML_BYTES = 5 * 1024 * 1024  # a settings file is a few KB; refuse absurd ones early

_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
_SLUG = re.compile(r"[^a-z0-9]+")
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")


# Russian transliteration for slugs (a simplified GOST 7.79 B), so Cyrillic names stay readable.
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)


def ascii_slug(text: str) -> str:
    """Return lower-case ASCII letters, digits and dashes for text ('' when none are left)."""
    import unicodedata

    text = "".join(_CYRILLIC.get(ch, ch) for ch in text.lower())
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG.sub("-", ascii_text.lower()).strip("-")


def slugify(text: str) -> str:
    """Return a URL-safe slug: lower-case ASCII letters, digits and dashes."""
    return ascii_slug(text) or "project"


def read_toml(path: Path, display: str) -> dict[str, Any]:
    """Parse a TOML file; raise ConfigError with the file, line and column on a syntax error."""
    try:
        size = path.stat().st_size
        if size > MAX_TOML_BYTES:
            raise ConfigError(
                f"the file is too large ({size} bytes) to be a settings file",
                file=display,
                expected=f"at most {MAX_TOML_BYTES} bytes",
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the file: {exc.strerror}", file=display) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(
            "the file is not valid UTF-8", file=display, line=line, hint="save it as UTF-8"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_POS.search(msg)
        pos_line = int(m.group(1)) if m else None
        col = int(m.group(2)) if m else None
        reason = _TOML_POS.sub("", msg).strip()
        found = None
        if pos_line is not None:
            lines = text.splitlines()
            if 0 < pos_line <= len(lines):
                found = lines[pos_line - 1].strip()[:200]
        raise ConfigError(
            f"TOML syntax error: {reason}",
            file=display,
            line=pos_line,
            column=col,
            found=found,
            hint="check quotes, '=' signs and brackets on this line (https://toml.io)",
        ) from None
    except RecursionError:
        raise ConfigError("the TOML is nested too deeply", file=display) from None


class Checker(validate.Checker):
    """Collect config problems for one file; raise them all at once."""

    def error(
        self,
        key: str,
        message: str,
        *,
        expected: str | None = None,
        found: Any = None,
        hint: str | None = None,
    ) -> None:
        """Record an error at key, showing the raw value found."""
        super().error(
            key, message, expected=expected, found=None if found is None else show(found), hint=hint
        )

    def get(
        self,
        table: Mapping[str, Any],
        key: str,
        prefix: str,
        kind: type | tuple[type, ...],
        expected: str,
        *,
        required: bool = False,
        default: Any = None,
    ) -> Any:
        """Return table[key] when of the right type; record an error otherwise."""
        if key not in table:
            if required:
                self.error(f"{prefix}{key}", f"{key!r} is required", expected=expected)
            return default
        value = table[key]
        # bool is an int subclass; a number key must not accept true/false.
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            self.error(f"{prefix}{key}", "wrong type", expected=expected, found=value)
            return default
        if not isinstance(value, kind):
            self.error(f"{prefix}{key}", "wrong type", expected=expected, found=value)
            return default
        return value


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
    base_url: str = ""
    period: Period | None = None
    date_format: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    custom_kpis: tuple[CustomKpi, ...] = ()


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
        from sitegen.readers import read_data

        cfg = self.config
        return read_data(
            self.data_dir,
            metric_kinds=self.catalogue.metric_kinds,
            columns=dict(cfg.columns),
            date_format=cfg.date_format,
            timezone=cfg.timezone,
        )

    def display(self, path: Path) -> str:
        """Return path as the user sees it: relative to the project folder."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


PROJECT_KEYS = (
    "name",
    "slug",
    "locale",
    "currency",
    "timezone",
    "theme",
    "logo",
    "base_url",
    "brand_color",
)
TOP_KEYS = ("project", "period", "data", "kpis")


def safe_path(root: Path, value: str, *, file: str, key: str) -> Path:
    """Return root/value resolved; raise ConfigError when it leaves the project folder."""
    candidate = Path(value)
    if candidate.is_absolute() or value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value):
        raise ConfigError(
            "an absolute path is not allowed here",
            file=file,
            key=key,
            found=repr(value),
            expected="a path inside the project folder, e.g. 'assets/logo.svg'",
        )
    try:
        resolved = (root / candidate).resolve()
    except (ValueError, OSError):  # a NUL byte, a symlink loop
        raise ConfigError(
            "not a usable path",
            file=file,
            key=key,
            found=repr(value),
            expected="a path inside the project folder, e.g. 'assets/logo.svg'",
        ) from None
    if not resolved.is_relative_to(root.resolve()):
        raise ConfigError(
            "the path points outside the project folder",
            file=file,
            key=key,
            found=repr(value),
            expected="a path inside the project folder (no '..', no symlink out of it)",
        )
    return resolved


def parse_config(
    doc: Mapping[str, Any], root: Path, file: str = CONFIG
) -> tuple[ProjectConfig, list[SitegenWarning]]:
    """Validate a parsed sitegen.toml; raise every problem at once."""
    c = Checker(file)
    c.unknown_keys(doc, TOP_KEYS, "")
    proj = c.get(
        doc,
        "project",
        "",
        dict,
        'a [project] table with at least name = "..."',
        required=True,
        default={},
    )
    c.unknown_keys(proj, PROJECT_KEYS, "project")
    name = c.get(proj, "name", "project.", str, "the client's name, a string", required=True)
    if isinstance(name, str) and not name.strip():
        c.error("project.name", "the name is empty", expected="the client's name")
    slug = c.get(proj, "slug", "project.", str, "a slug such as 'acme-coffee'")
    if slug is not None and slugify(slug) != slug:
        c.error(
            "project.slug",
            "not a valid slug",
            expected="lower-case letters, digits and dashes",
            found=slug,
            hint=f"use {slugify(slug)!r}",
        )
    locale = c.get(
        proj, "locale", "project.", str, "a locale such as 'en', 'ru' or 'lv'", default="en"
    )
    try:
        Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        c.error(
            "project.locale",
            "unknown locale",
            expected="a locale such as 'en', 'ru' or 'lv'",
            found=locale,
        )
    currency = c.get(
        proj, "currency", "project.", str, "an ISO 4217 code such as 'EUR'", default="USD"
    )
    if isinstance(currency, str) and currency not in list_currencies():
        c.error(
            "project.currency",
            "unknown currency code",
            expected="an ISO 4217 code such as 'EUR', 'USD', 'RUB'",
            found=currency,
        )
    tz = c.get(proj, "timezone", "project.", str, "an IANA time zone such as 'Europe/Riga'")
    if tz is not None:
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            c.error(
                "project.timezone",
                "unknown time zone",
                expected="an IANA time zone such as 'Europe/Riga'",
                found=tz,
            )
    theme = c.get(
        proj, "theme", "project.", str, "a theme name or a folder in the project", default="default"
    )
    logo = c.get(proj, "logo", "project.", str, "a path inside the project, e.g. 'assets/logo.svg'")
    if logo is not None:
        try:
            p = safe_path(root, logo, file=file, key="project.logo")
            if not p.is_file():
                c.error(
                    "project.logo",
                    "the logo file does not exist",
                    expected="an existing file",
                    found=logo,
                )
        except ConfigError as exc:
            c.errors.append(exc)
    base_url = c.get(
        proj,
        "base_url",
        "project.",
        str,
        "an absolute URL such as 'https://reports.example.com/acme/'",
        default="",
    )
    if base_url and not re.match(r"^https?://[^\s\"'<>]+$", base_url):
        c.error(
            "project.base_url", "not an http(s) URL", expected="https://host/path/", found=base_url
        )
    brand = c.get(proj, "brand_color", "project.", str, "a hex colour such as '#1f6feb'")
    if brand is not None and not _HEX.match(brand):
        c.error(
            "project.brand_color", "not a hex colour", expected="'#rgb' or '#rrggbb'", found=brand
        )
        brand = None

    period = None
    per = c.get(doc, "period", "", dict, "a [period] table with start and end dates")
    if per is not None:
        c.unknown_keys(per, ("start", "end"), "period")
        start = c.get(
            per, "start", "period.", dt.date, "a date such as 2025-01-01 (no quotes)", required=True
        )
        end = c.get(
            per, "end", "period.", dt.date, "a date such as 2025-12-31 (no quotes)", required=True
        )
        for key, v in (("start", start), ("end", end)):
            if isinstance(v, dt.datetime):
                c.error(
                    f"period.{key}",
                    "a date is expected, not a date-time",
                    expected="2025-01-01",
                    found=v,
                )
        if (
            isinstance(start, dt.date)
            and isinstance(end, dt.date)
            and not isinstance(start, dt.datetime)
            and not isinstance(end, dt.datetime)
        ):
            if end < start:
                c.error(
                    "period.end",
                    "the period ends before it starts",
                    expected=f"a date on or after {start}",
                    found=end,
                )
            else:
                period = Period(start, end)

    date_format = None
    columns: dict[str, str] = {}
    data = c.get(doc, "data", "", dict, "a [data] table")
    if data is not None:
        c.unknown_keys(data, ("date_format", "columns"), "data")
        date_format = c.get(
            data, "date_format", "data.", str, "a strftime pattern such as '%m/%d/%Y'"
        )
        if date_format is not None and "%" not in date_format:
            c.error(
                "data.date_format",
                "not a date pattern",
                expected="a strftime pattern such as '%m/%d/%Y'",
                found=date_format,
            )
        cols = c.get(data, "columns", "data.", dict, 'a table of "Header" = "metric"', default={})
        metrics = builtin().metrics
        for header, metric in cols.items():
            if not isinstance(metric, str) or (
                metric not in metrics and metric not in ("date", "channel", "competitor")
            ):
                close = difflib.get_close_matches(str(metric), list(metrics), n=1)
                c.error(
                    f"data.columns.{header!r}",
                    "not a known metric",
                    expected="a canonical metric name from the KPI catalogue (e.g. 'clicks')",
                    found=metric,
                    hint=f"did you mean {close[0]!r}?"
                    if close
                    else "run 'sitegen kpis' to list metrics",
                )
            else:
                columns[str(header)] = metric

    custom: list[CustomKpi] = []
    kpis = c.get(doc, "kpis", "", list, "a list of [[kpis]] tables", default=[])
    for i, k in enumerate(kpis):
        pre = f"kpis[{i}]."
        if not isinstance(k, dict):
            c.error(f"kpis[{i}]", "wrong type", expected="a [[kpis]] table", found=k)
            continue
        kpi_keys = ("id", "label", "formula", "unit", "better", "definition")
        c.unknown_keys(k, kpi_keys, pre.rstrip("."))
        kid = c.get(k, "id", pre, str, "an id such as 'cost_per_save'", required=True)
        if isinstance(kid, str) and not re.match(r"^[a-z_][a-z0-9_]*$", kid):
            c.error(
                f"{pre}id",
                "not a valid KPI id",
                expected="lower-case letters, digits and _ (starting with a letter)",
                found=kid,
            )
        formula = c.get(k, "formula", pre, str, "a formula such as 'spend / saves'", required=True)
        unit = c.get(k, "unit", pre, str, " | ".join(UNITS), default="ratio")
        if unit not in UNITS:
            c.error(f"{pre}unit", "unknown unit", expected=" | ".join(UNITS), found=unit)
        better = c.get(k, "better", pre, str, "higher | lower", default="higher")
        if better not in BETTER:
            c.error(f"{pre}better", "unknown direction", expected="higher | lower", found=better)
        label = c.get(k, "label", pre, str, "a label such as 'Cost per save'", default=kid or "")
        definition = c.get(k, "definition", pre, str, "a one-line definition", default="")
        if isinstance(kid, str) and isinstance(formula, str):
            custom.append(CustomKpi(kid, label or kid, formula, unit, better, definition, i))
    ids = [k.id for k in custom]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        c.error("kpis", f"the KPI id {dup!r} is defined twice", expected="unique ids")
    c.raise_if_any()
    config = ProjectConfig(
        name=name.strip(),
        slug=slug or slugify(root.name),
        locale=locale.replace("-", "_"),
        currency=currency,
        timezone=tz,
        theme=theme,
        logo=logo,
        brand_color=brand,
        base_url=base_url,
        period=period,
        date_format=date_format,
        columns=columns,
        custom_kpis=tuple(custom),
    )
    return config, c.warnings


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
