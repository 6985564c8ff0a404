"""Small example projects for the site, render and browser tests (no tests of its own).

``make_project`` writes a project folder in a few lines of data that make every part of the
site appear: two channels (one with a hostile name), a KPI that is better lower (CPL), goals
and a funnel plan, a Markdown page, a logo and a brand colour.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE = (SCRIPT, IMG)

HEADER = "date,impressions,clicks,leads,spend,likes,reach"
# The report period is Q1 2025; Q4 2024 is the previous period, Q1 2024 the year before.
PERIOD = (date(2025, 1, 1), date(2025, 3, 31))
DATA_START = date(2024, 1, 1)

LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
    '<rect width="64" height="64" rx="12" fill="#1f5f7a"/></svg>\n'
)


def _rows(channel: str | None, scale: int) -> str:
    """Return daily rows: leads and clicks grow in 2025 while spend stays flat (CPL falls)."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(HEADER.split(",") + (["channel"] if channel is not None else []))
    d = DATA_START
    while d <= PERIOD[1]:
        grown = d >= PERIOD[0]
        row = [
            d.isoformat(),
            (900 if grown else 1000) * scale + d.day,  # impressions: down in 2025
            (30 if grown else 20) * scale,  # clicks: up
            (4 if grown else 2) * scale,  # leads: up, so CPL goes down
            100 * scale,  # spend: flat
            12 * scale,
            700 * scale,
        ]
        out.writerow(row + ([channel] if channel is not None else []))
        d += timedelta(days=1)
    return buf.getvalue()


def toml_str(text: str) -> str:
    """Return text as a TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def make_project(
    root: Path,
    *,
    name: str = "Acme Coffee",
    locale: str = "en",
    currency: str = "USD",
    hostile: bool = False,
    goals: bool = True,
    pages: bool = True,
    theme: str | None = None,
    base_url: str = "",
    second_channel: bool = True,
) -> Path:
    """Write a small project folder at root; return root."""
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "assets").mkdir(exist_ok=True)
    (root / "assets" / "logo.svg").write_text(LOGO, encoding="utf-8")
    lines = [
        "[project]",
        f"name = {toml_str(name)}",
        f'slug = "acme-{locale}"',
        f'locale = "{locale}"',
        f'currency = "{currency}"',
        'logo = "assets/logo.svg"',
        'brand_color = "#1f5f7a"',
    ]
    if theme:
        lines.append(f'theme = "{theme}"')
    if base_url:
        lines.append(f'base_url = "{base_url}"')
    lines += ["", "[period]", f"start = {PERIOD[0]}", f"end = {PERIOD[1]}", ""]
    (root / "sitegen.toml").write_text("\n".join(lines), encoding="utf-8")
    (root / "data" / "instagram.csv").write_text(_rows(None, 2), encoding="utf-8")
    if second_channel:
        other = IMG if hostile else "facebook"
        (root / "data" / "ads.csv").write_text(_rows(other, 1), encoding="utf-8")
    if goals:
        title = f"Cut CPL {SCRIPT}" if hostile else "Cut the cost per lead to 20"
        (root / "goals.toml").write_text(
            "[[goals]]\n"
            'id = "cpl-20"\n'
            f"title = {toml_str(title)}\n"
            'kpi = "cpl"\n'
            "target = 20\n"
            "baseline = 50\n"
            "start = 2025-01-01\n"
            "deadline = 2025-06-30\n"
            "\n"
            "[[goals]]\n"
            'id = "leads-2000"\n'
            'title = "2000 leads by June"\n'
            'kpi = "leads"\n'
            "target = 2000\n"
            "start = 2025-01-01\n"
            "deadline = 2025-06-30\n"
            "\n"
            "[[plans]]\n"
            'id = "funnel"\n'
            'title = "Funnel: 20 000 a month"\n'
            "revenue_target = 20000\n"
            "average_order = 1000\n"
            "lead_to_customer = 0.1\n"
            "budget = 4000\n",
            encoding="utf-8",
        )
    if pages:
        (root / "pages").mkdir(exist_ok=True)
        page_title = IMG if hostile else "About this report"
        (root / "pages" / "01-about.md").write_text(
            "---\n"
            f"title: {page_title}\n"
            "order: 2\n"
            "---\n"
            "# Notes\n\n"
            f"Plain *text* and {SCRIPT} and [a bad link](javascript:alert(1)).\n\n"
            '<img src="../assets/logo.svg" onerror="alert(1)">\n',
            encoding="utf-8",
        )
        (root / "pages" / "02-method.md").write_text(
            "---\ntitle: Method\norder: 1\n---\nHow we count.\n", encoding="utf-8"
        )
    return root
