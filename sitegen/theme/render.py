"""Render the site's pages with the theme's templates; links go through the route table."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from markupsafe import Markup

from sitegen.errors import ThemeError
from sitegen.present.site.routes import path_for


@dataclass
class Page:
    """One output page: its path in the site, template, title and context."""

    path: str  # e.g. "kpis/ctr.html"
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    section: str = ""
    crumbs: list[tuple[str, str]] = field(default_factory=list)  # (title, path) above this page


def relative(from_page: str, target: str) -> str:
    """Return target (a site path) as a link relative to from_page (a site path)."""
    base = posixpath.dirname(from_page)
    rel = posixpath.relpath(target, base or ".")
    if target.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return rel


def render_pages(
    env: jinja2.Environment,
    pages: list[Page],
    common: dict[str, Any],
    nav: list[tuple[str, str, str]],
) -> dict[str, str]:
    """Render every page; return {site path: html}."""
    out: dict[str, str] = {}
    for page in pages:

        def url(target: str, _from: str = page.path) -> str:
            return relative(_from, target)

        def url_for(kind: str, id: str | None = None, _from: str = page.path) -> str:
            return relative(_from, path_for(kind, id))

        ctx = dict(common)
        ctx.update(page.context)
        ctx.update(page=page, url=url, url_for=url_for, nav=nav, Markup=Markup)
        try:
            template = env.get_template(page.template)
            out[page.path] = template.render(ctx)
        except jinja2.TemplateSyntaxError as exc:
            raise ThemeError(
                f"template syntax error: {exc.message}",
                file=exc.filename or exc.name,
                line=exc.lineno,
            ) from None
        except jinja2.TemplateNotFound as exc:
            raise ThemeError(
                f"template not found: {exc.name}",
                hint="a theme must provide it, or the default theme",
            ) from None
        except jinja2.UndefinedError as exc:
            file, line = _template_frame(exc)
            if file is None:
                raise ThemeError(f"template error in {page.template}: {exc.message}") from None
            raise ThemeError(f"template error: {exc.message}", file=file, line=line) from None
        except SecurityError as exc:
            file, line = _template_frame(exc)
            raise ThemeError(
                f"the template did something the sandbox forbids: {exc}",
                file=file or page.template,
                line=line,
                hint="templates see only the values sitegen passes them; set"
                " trust_templates = true in [project] of sitegen.toml for full Jinja,"
                " only for templates you trust",
            ) from None
        except Exception as exc:
            file, line = _template_frame(exc)
            if file is None:
                raise
            # An error raised by a template's own code: name the template and its line.
            raise ThemeError(
                f"template error: {type(exc).__name__}: {exc}", file=file, line=line
            ) from exc
    return out


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """Return the template file and line where exc was raised (the innermost), if any."""
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        # Jinja rewrites the traceback so that template code shows as the template's file.
        if code.co_name in ("template", "top-level template code") or code.co_name.startswith(
            "block "
        ):
            found = (code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
