"""Scaffold a new client project (``sitegen new DIR``).

The project builds at once: a ``sitegen.toml``, a ``goals.toml`` with one live goal and
commented examples, six months of a small sample export in ``data/`` (``sample.py``, with the
texts of each locale) and ``pages/intro.md``; with ``--ci``, a workflow that publishes it
(``ci.py``).
"""

from __future__ import annotations

from pathlib import Path

from sitegen.config.project import CONFIG
from sitegen.config.slug import slugify
from sitegen.dev.ci import ci_files
from sitegen.dev.sample import LOCALES, TEXTS, sample_data
from sitegen.errors import UsageError


def _name_from(folder: str) -> str:
    words = slugify(folder).replace("-", " ").split()
    return " ".join(w.capitalize() for w in words) or "New client"


def _toml_string(text: str) -> str:
    # A basic TOML string: escape the two characters that would end or break it.
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def sitegen_toml(name: str, locale: str) -> str:
    """Return a new project's sitegen.toml."""
    t = TEXTS[locale]
    return f"""# The project's settings. Every key is described in docs/project-format.md.

[project]
name = {_toml_string(name)}
locale = "{locale}"                 # en | ru | lv: numbers, dates, currency and page text
currency = "{t.currency}"              # ISO 4217
# timezone = "{t.timezone}"
# logo = "assets/logo.svg"       # a file inside the project
# brand_color = "#1f6feb"

# The report period; without it the report covers all the data.
# [period]
# start = 2025-01-01
# end = 2025-06-30

# Headers the reader does not know yet, mapped to a metric ('sitegen kpis' lists them).
# [data.columns]
# "Link Clicks (All)" = "clicks"

# A KPI of your own, computed from metrics and other KPIs.
# [[kpis]]
# id = "cost_per_save"
# label = "Cost per save"
# formula = "spend / saves"
# unit = "currency"                # count | percent | currency | ratio | minutes | points
# better = "lower"                 # higher | lower
"""


def goals_toml(locale: str) -> str:
    """Return a new project's goals.toml: one live goal and commented examples."""
    t = TEXTS[locale]
    return f"""# The client's goals and funnel plans. Every key is described in docs/goals.md.
# A goal is SMART: one KPI (optionally on one channel), a target or a change, a start and a
# deadline. Remove the '#' in front of an example to try it; 'sitegen check' validates it.

[[goals]]
title = {_toml_string(t.goal)}
kpi = "ctr"                        # any KPI id or metric: 'sitegen kpis .' lists them
channel = "meta-ads"               # optional; default: all channels together
target = 1.6                       # an absolute target (CTR is in percent) ...
start = 2025-04-01
deadline = 2025-09-30

# [[goals]]
# title = {_toml_string(t.er_goal)}
# kpi = "engagement_rate"
# channel = "instagram"
# change = "+10%"                  # ... or a change from the baseline (the period before)
# start = 2025-04-01
# deadline = 2025-09-30

# [[goals]]
# title = {_toml_string(t.leads_goal)}
# kpi = "leads"
# target = 1000                    # a count: progress is leads so far / 1000
# start = 2025-07-01
# deadline = 2025-12-31

# [[goals]]
# title = {_toml_string(t.cpl_goal)}
# kpi = "cpl"                      # lower is better: the target is below the baseline
# change = "-15%"
# per = "month"                    # the target holds for every month
# start = 2025-07-01
# deadline = 2025-12-31

# The reverse funnel: from the revenue target down to the customers, leads and the ceiling
# on the cost per lead that the budget allows.
# [[plans]]
# title = {_toml_string(t.plan)}
# revenue_target = 24000           # per month
# average_order = 400              # -> 60 customers
# lead_to_customer = 0.25          # -> 240 leads
# budget = 3000                    # -> at most 12.5 per lead
"""


def intro_md(name: str, locale: str) -> str:
    """Return pages/intro.md."""
    return TEXTS[locale].intro.format(name=name)


GITIGNORE = """# sitegen's output and cache: built again by every run.
output/
public/
.sitegen-cache/
"""


def project_files(
    folder_name: str, *, locale: str = "en", name: str | None = None, ci: str | None = None
) -> dict[str, str]:
    """Return every file of a new project (path -> text)."""
    if locale not in LOCALES:
        raise UsageError(
            f"unknown locale {locale!r}",
            expected=" | ".join(LOCALES),
            hint="use --locale en, --locale ru or --locale lv",
        )
    title = name.strip() if name and name.strip() else _name_from(folder_name)
    files = {
        CONFIG: sitegen_toml(title, locale),
        "goals.toml": goals_toml(locale),
        "pages/intro.md": intro_md(title, locale),
        ".gitignore": GITIGNORE,
    }
    for fname, text in sample_data(locale).items():
        files[f"data/{fname}"] = text
    if ci is not None:
        files.update(ci_files(ci))
    return files


def create_project(
    target: Path, *, locale: str = "en", name: str | None = None, ci: str | None = None
) -> list[Path]:
    """Write a new project into target (new or empty); return the files written."""
    files = project_files(target.resolve().name, locale=locale, name=name, ci=ci)
    if target.exists():
        if not target.is_dir():
            raise UsageError(f"{target} exists and is not a folder", hint="choose a new folder")
        if any(target.iterdir()):
            raise UsageError(
                f"{target} is not empty",
                hint="choose a new folder; 'sitegen new' never overwrites files",
            )
    written: list[Path] = []
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        # newline="\n": the same bytes on Windows, so the sample stays a reproducible build.
        with path.open("w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        written.append(path)
    return written
