"""Scaffold a new client project (``sitegen new DIR``) and the CI workflows that publish it.

The project builds at once: a ``sitegen.toml``, a ``goals.toml`` with one live goal and
commented examples, six months of a small sample export in ``data/`` and ``pages/intro.md``.
The sample numbers are computed here (no randomness), so two scaffolds are byte-identical.
The CI workflows are also what ``docs/examples/`` holds (``sitegen.docgen`` writes them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sitegen import __version__
from sitegen.config.project import CONFIG
from sitegen.config.slug import slugify
from sitegen.errors import UsageError

LOCALES = ("en", "ru", "lv")
CI_KINDS = ("github", "gitlab")
# The sample export: 26 weeks of daily rows, so the report has a previous period to compare.
SAMPLE_START = dt.date(2025, 1, 1)
SAMPLE_DAYS = 181  # 2025-01-01 .. 2025-06-30


@dataclass(frozen=True)
class _Texts:
    """What a new project says in one locale."""

    currency: str
    timezone: str
    name: str
    goal: str
    leads_goal: str
    cpl_goal: str
    er_goal: str
    plan: str
    intro: str
    # The export headers as the platforms write them in this language.
    social: tuple[str, ...]
    ads: tuple[str, ...]
    delimiter: str
    decimal: str
    date_format: str


_EN = _Texts(
    currency="USD",
    timezone="America/New_York",
    name="{name}",
    goal="Bring the ads' click-through rate to 1.6% by the end of September",
    leads_goal="1000 leads from ads in July to December",
    cpl_goal="Cut the cost per lead by 15% in the second half of the year",
    er_goal="Raise Instagram's engagement rate by 10% by the end of September",
    plan="Sales from social media: 24 000 a month",
    intro="""---
title: About this report
order: 1
---

# About this report

This report shows {name}'s social media and advertising results: reach, engagement,
clicks, leads and their cost, with the goals we agreed on.

Edit this page in `pages/intro.md`. Every Markdown file in `pages/` becomes a page of the
report, in file-name order.
""",
    social=(
        "Date",
        "Impressions",
        "Reach",
        "Likes",
        "Comments",
        "Shares",
        "Saves",
        "Followers",
        "Link clicks",
    ),
    ads=("Day", "Amount spent (USD)", "Impressions", "Link clicks", "Leads"),
    delimiter=",",
    decimal=".",
    date_format="%Y-%m-%d",
)

_RU = _Texts(
    currency="RUB",
    timezone="Europe/Moscow",
    name="{name}",
    goal="Поднять CTR рекламы до 1,6% к концу сентября",
    leads_goal="1000 заявок из рекламы с июля по декабрь",
    cpl_goal="Снизить стоимость заявки на 15% во втором полугодии",
    er_goal="Поднять ER в Instagram на 10% к концу сентября",
    plan="Продажи из соцсетей: 24 000 в месяц",
    intro="""---
title: Об отчёте
order: 1
---

# Об отчёте

Здесь собраны результаты {name} в соцсетях и рекламе: охват, вовлечённость, переходы,
заявки и их стоимость, а также согласованные цели.

Эта страница лежит в `pages/intro.md`. Каждый файл Markdown в папке `pages/` становится
страницей отчёта, по порядку имён файлов.
""",
    social=(
        "Дата",
        "Показы",
        "Охват",
        "Лайки",
        "Комментарии",
        "Репосты",
        "Сохранения",
        "Подписчики",
        "Переходы",
    ),
    ads=("Дата", "Расход", "Показы", "Клики", "Заявки"),
    delimiter=";",
    decimal=",",
    date_format="%d.%m.%Y",
)

_LV = _Texts(
    currency="EUR",
    timezone="Europe/Riga",
    name="{name}",
    goal="Paaugstināt reklāmas CTR līdz 1,6% līdz septembra beigām",
    leads_goal="1000 potenciālo klientu no reklāmas no jūlija līdz decembrim",
    cpl_goal="Samazināt potenciālā klienta cenu par 15% gada otrajā pusē",
    er_goal="Paaugstināt Instagram iesaistes rādītāju par 10% līdz septembra beigām",
    plan="Pārdošana no sociālajiem tīkliem: 24 000 mēnesī",
    intro="""---
title: Par pārskatu
order: 1
---

# Par pārskatu

Šeit apkopoti {name} rezultāti sociālajos tīklos un reklāmā: sasniedzamība, iesaiste,
klikšķi, potenciālie klienti un to cena, kā arī saskaņotie mērķi.

Šī lapa ir `pages/intro.md`. Katrs Markdown fails mapē `pages/` kļūst par pārskata lapu,
failu nosaukumu secībā.
""",
    social=(
        "Datums",
        "Parādījumi",
        "Sasniedzamība",
        "Patīk",
        "Komentāri",
        "Dalīšanās",
        "Saglabāšanas",
        "Sekotāji",
        "Klikšķi",
    ),
    ads=("Datums", "Izmaksas", "Parādījumi", "Klikšķi", "Potenciālie klienti"),
    delimiter=";",
    decimal=",",
    date_format="%d.%m.%Y",
)

TEXTS = {"en": _EN, "ru": _RU, "lv": _LV}


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


def _wave(i: int, period: int, amplitude: int) -> int:
    # A triangle wave: seasonality without floats, so every platform writes the same digits.
    phase = i % period
    half = period // 2
    return amplitude * (phase if phase <= half else period - phase) // half


def _number(value: int, cents: bool, decimal: str) -> str:
    if not cents:
        return str(value)
    whole, frac = divmod(value, 100)
    return f"{whole}{decimal}{frac:02d}"


def sample_data(locale: str) -> dict[str, str]:
    """Return the sample exports (file name -> text): Instagram insights and Meta ads."""
    t = TEXTS[locale]
    sep = t.delimiter
    social = [sep.join(t.social)]
    ads = [sep.join(t.ads)]
    followers = 2400
    for i in range(SAMPLE_DAYS):
        day = SAMPLE_START + dt.timedelta(days=i)
        date = day.strftime(t.date_format)
        weekend = day.weekday() >= 5
        impressions = 1800 + 9 * i + _wave(i, 7, 600) + (400 if weekend else 0)
        reach = impressions * 62 // 100
        likes = reach * (40 + _wave(i, 30, 12)) // 1000
        comments = likes // 12 + i % 3
        shares = likes // 20 + i % 2
        saves = likes // 9
        followers += 3 + _wave(i, 14, 6) - (1 if i % 5 == 0 else 0)
        clicks = reach * 11 // 1000 + i % 4
        social.append(
            sep.join(
                str(v)
                for v in (
                    date,
                    impressions,
                    reach,
                    likes,
                    comments,
                    shares,
                    saves,
                    followers,
                    clicks,
                )
            )
        )
        spend_cents = 4000 + 11 * i + _wave(i, 7, 1500)
        ad_impressions = 5200 + 15 * i + _wave(i, 10, 900)
        ad_clicks = ad_impressions * (12 + _wave(i, 28, 5)) // 1000
        leads = ad_clicks // 20 + (1 if i % 3 == 0 else 0)
        ads.append(
            sep.join(
                (
                    date,
                    _number(spend_cents, True, t.decimal),
                    str(ad_impressions),
                    str(ad_clicks),
                    str(leads),
                )
            )
        )
    return {
        "instagram.csv": "\n".join(social) + "\n",
        "meta-ads.csv": "\n".join(ads) + "\n",
    }


def intro_md(name: str, locale: str) -> str:
    """Return pages/intro.md."""
    return TEXTS[locale].intro.format(name=name)


GITIGNORE = """# sitegen's output and cache: built again by every run.
output/
public/
.sitegen-cache/
"""

# Install the same release as the developer's, so CI builds what `sitegen serve` showed.
_INSTALL = f'pip install "sitegen=={__version__}"'
_PROJECT_PATHS = (
    "sitegen.toml",
    "goals.toml",
    "cases.toml",
    "data/**",
    "pages/**",
    "assets/**",
    "templates/**",
)


def github_workflow(portfolio: bool = False) -> str:
    """Return the GitHub Actions workflow: check, build and publish to GitHub Pages."""
    if portfolio:
        paths = ["content/**"]
        check, build = "sitegen check --strict", "sitegen build"
    else:
        paths = list(_PROJECT_PATHS)
        check, build = "sitegen check --strict .", "sitegen build . -o output"
    path_lines = "\n".join(f'      - "{p}"' for p in [*paths, ".github/workflows/sitegen.yml"])
    return f"""# Build the report on every push of new data and publish it to GitHub Pages.
# Setup: Settings -> Pages -> Build and deployment -> Source: "GitHub Actions".
name: sitegen

on:
  push:
    branches: [main]
    paths:
{path_lines}
  workflow_dispatch:             # a "Run workflow" button for a rebuild by hand

permissions:
  contents: read
  pages: write                   # to publish to GitHub Pages
  id-token: write                # to prove to Pages that this workflow is the publisher

concurrency:                     # one publication at a time; a newer push wins
  group: pages
  cancel-in-progress: true

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: {_INSTALL}
      - uses: actions/cache@v4   # charts that did not change are not drawn again
        with:
          path: .sitegen-cache
          key: sitegen-${{{{ github.run_id }}}}
          restore-keys: sitegen-
      - name: Check the project (warnings fail the build)
        run: {check}
      - name: Build the site
        run: {build}
      - uses: actions/upload-pages-artifact@v3
        with:
          path: output

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""


def gitlab_ci(portfolio: bool = False) -> str:
    """Return the GitLab CI file: check, build and publish to GitLab Pages."""
    if portfolio:
        paths = ["content/**/*"]
        check, build = "sitegen check --strict", "sitegen build -o public"
    else:
        paths = [p.replace("**", "**/*") for p in _PROJECT_PATHS]
        check, build = "sitegen check --strict .", "sitegen build . -o public"
    path_lines = "\n".join(f'        - "{p}"' for p in [*paths, ".gitlab-ci.yml"])
    return f"""# Build the report on every push of new data and publish it to GitLab Pages.
# GitLab Pages publishes the "public" folder of the job named "pages".
pages:
  image: python:3.11-slim
  script:
    - {_INSTALL}
    - {check}
    - {build}
  artifacts:
    paths:
      - public
  cache:                         # charts that did not change are not drawn again
    key: sitegen
    paths:
      - .sitegen-cache/
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
      changes:
{path_lines}
    - if: $CI_PIPELINE_SOURCE == "web"   # "Run pipeline" by hand
"""


def ci_files(kind: str) -> dict[str, str]:
    """Return the CI files (path in the project -> text) for kind: github or gitlab."""
    if kind == "github":
        return {".github/workflows/sitegen.yml": github_workflow()}
    if kind == "gitlab":
        return {".gitlab-ci.yml": gitlab_ci()}
    raise UsageError(
        f"unknown CI {kind!r}", expected=" | ".join(CI_KINDS), hint="use --ci github or --ci gitlab"
    )


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
