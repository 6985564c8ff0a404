"""The portfolio index: one page listing every client built together, with their goals."""

from __future__ import annotations

import json
from typing import Any

import jinja2

from sitegen import __version__
from sitegen.render import themes_dir


def render_portfolio(entries: list[dict[str, Any]], locale: str = "en") -> dict[str, bytes]:
    """Return the portfolio's files: index.html and portfolio.json."""
    from sitegen import i18n

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(themes_dir() / "default" / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    i18n.install_i18n(env, locale)
    entries = sorted(entries, key=lambda e: (e["name"].lower(), e["slug"]))
    html = env.get_template("portfolio.html").render(
        entries=entries,
        version=__version__,
        lang=locale,
        fmt=i18n.Formatter(locale, "USD"),
        url=lambda target: target,
    )
    doc = json.dumps({"schema": 1, "clients": entries}, ensure_ascii=False, indent=2) + "\n"
    return {"index.html": html.encode("utf-8"), "portfolio.json": doc.encode("utf-8")}
