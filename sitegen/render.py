"""Render the site's pages with Jinja: theme search path, autoescape, relative links.

Templates are looked up in order: the project's ``templates/``, the project's theme, then the
default theme; ``{% extends "default:base.html" %}`` reaches the default theme explicitly so
an override can extend the template it replaces (as in Datasette).
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import markdown
import nh3
from markupsafe import Markup

from sitegen.config.project import Project, safe_path
from sitegen.errors import ConfigError, ThemeError

PACKAGE_DIR = Path(__file__).resolve().parent


def themes_dir() -> Path:
    """Return the folder holding the built-in themes (installed copy, else the repo's)."""
    installed = PACKAGE_DIR / "_themes"
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent / "themes"


def builtin_themes() -> list[str]:
    """Return the names of the built-in themes."""
    return sorted(p.name for p in themes_dir().iterdir() if (p / "templates").is_dir())


def theme_dir(project: Project) -> Path:
    """Return the folder of the project's theme; raise ConfigError naming project.theme."""
    name = project.config.theme
    builtin = themes_dir() / name
    if re.match(r"^[A-Za-z0-9_-]+$", name) and (builtin / "templates").is_dir():
        return builtin
    local = safe_path(project.root, name, file="sitegen.toml", key="project.theme")
    if (local / "templates").is_dir():
        link = link_out(local, project.root)
        if link is not None:
            raise ConfigError(
                "the theme holds a link to a file outside the project",
                file="sitegen.toml",
                key="project.theme",
                found=project.display(link),
                hint="copy the file into the theme instead of linking to it",
            )
        return local
    raise ConfigError(
        f"unknown theme {name!r}",
        file="sitegen.toml",
        key="project.theme",
        expected="one of the built-in themes ("
        + ", ".join(builtin_themes())
        + ") or a folder in the project with a templates/ sub-folder",
        found=repr(name),
    )


def link_out(folder: Path, root: Path) -> Path | None:
    """Return the first path in folder (or folder itself) that resolves outside root."""
    root = root.resolve()
    if not folder.resolve().is_relative_to(root):
        return folder
    for dirpath, dirnames, filenames in os.walk(folder):  # does not follow links to folders
        for name in sorted(dirnames + filenames):
            p = Path(dirpath) / name
            if not p.resolve().is_relative_to(root):
                return p
    return None


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


# What Markdown pages may contain after rendering: formatting, links, images, tables; no
# scripts, styles, forms, iframes or event handlers. URLs only http(s), mailto and relative.
ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRS = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "abbr": {"title"},
    "*": {"id"},
}


def sanitize_html(html: str) -> str:
    """Return html with everything outside the allowlist removed (nh3)."""
    attrs = {k: set(v) for k, v in ALLOWED_ATTRS.items() if k != "*"}
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=attrs,
        generic_attribute_prefixes=set(),
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


# Tags whose opening tag alone takes in everything after it when a page is parsed: foreign
# content and the raw-text elements. None of them is allowed on a page.
_SWALLOWING = re.compile(
    r"<\s*(svg|math|style|script|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext)\b",
    re.I,
)


_FIRST_TAG = re.compile(r"\s*<\s*/?\s*([A-Za-z][A-Za-z0-9-]*)")


class _CleanSwallowingHtml(markdown.postprocessors.Postprocessor):  # type: ignore[misc]
    """Sanitise on its own each stashed raw HTML piece that is not an allowed tag.

    Parsed with the whole page, an unclosed ``<svg>``, ``<style>`` or unknown element can
    take the rest of the page with it (to be dropped by the sanitiser); cleaned on its own,
    it only takes itself. Allowed tags (``<b>``, ``<abbr>``) wait for the whole-page pass,
    which sees them with their closing tags.
    """

    def run(self, text: str) -> str:
        stash = self.md.htmlStash
        for i, piece in enumerate(stash.rawHtmlBlocks):
            if not isinstance(piece, str):
                continue
            first = _FIRST_TAG.match(piece)
            if _SWALLOWING.search(piece) or (first and first.group(1).lower() not in ALLOWED_TAGS):
                stash.rawHtmlBlocks[i] = sanitize_html(piece)
        return text


# Python-Markdown's link and emphasis patterns are quadratic in the nesting of brackets: an
# 80 kB page of nested "[" took minutes. No real page nests brackets this deep.
MAX_BRACKET_DEPTH = 64


def _bracket_depth(text: str) -> int:
    """Return how deeply square brackets nest in text (unbalanced closers are ignored)."""
    depth = deepest = 0
    # Scanning only the bracket characters keeps this linear and fast on large pages.
    for ch in re.findall(r"[\[\]]", text):
        if ch == "[":
            depth += 1
            deepest = max(deepest, depth)
        elif depth:
            depth -= 1
    return deepest


def markdown_to_html(text: str) -> str:
    """Render Markdown to sanitised HTML."""
    depth = _bracket_depth(text)
    if depth > MAX_BRACKET_DEPTH:
        raise ConfigError(
            "the Markdown nests square brackets too deeply",
            expected=f"brackets nested at most {MAX_BRACKET_DEPTH} levels",
            found=f"{depth} levels",
        )
    md = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"], output_format="html")
    # An unclosed block-level tag makes the rest of the page one raw HTML block; <math> is
    # never allowed, so it is read as inline HTML and can only take its own paragraph.
    md.block_level_elements = [t for t in md.block_level_elements if t != "math"]
    # Before "raw_html" (priority 30), which puts the stashed pieces back into the page.
    md.postprocessors.register(_CleanSwallowingHtml(md), "clean_swallowing_html", 35)
    try:
        html = md.convert(text)
    except RecursionError:
        raise ConfigError(
            "the Markdown is nested too deeply",
            expected="lists and quotes nested at most a few hundred levels",
        ) from None
    return sanitize_html(html)


_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Return (front matter as key -> text, body) for a '---' delimited header of key: value."""
    m = _FRONT.match(text)
    if not m:
        return {}, text
    meta: dict[str, str] = {}
    for line in m.group(1).splitlines():
        if ":" in line and not line.lstrip().startswith("#"):
            k, v = line.split(":", 1)
            meta[k.strip().lower()] = v.strip().strip("\"'")
    return meta, text[m.end() :]


def make_env(project: Project, theme: Path, extensions: Iterable[str] = ()) -> jinja2.Environment:
    """Return the Jinja environment with the template search path and autoescape on."""
    default = themes_dir() / "default" / "templates"
    search: list[str] = []
    user = project.root / "templates"
    if user.is_dir():
        link = link_out(user, project.root)
        if link is not None:
            raise ConfigError(
                "the template is a link to a file outside the project",
                file=project.display(link),
                hint="copy the file into templates/ instead of linking to it",
            )
        search.append(str(user))
    search.append(str(theme / "templates"))
    if (theme / "templates").resolve() != default.resolve():
        search.append(str(default))
    loader = jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader(search),
            jinja2.PrefixLoader(
                {
                    "default": jinja2.FileSystemLoader(str(default)),
                    "theme": jinja2.FileSystemLoader(str(theme / "templates")),
                },
                delimiter=":",
            ),
        ]
    )
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n", *extensions],
    )
    env.filters["scope_ids"] = scope_ids
    return env


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

        ctx = dict(common)
        ctx.update(page.context)
        ctx.update(page=page, url=url, nav=nav, Markup=Markup)
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
            raise ThemeError(f"template error in {page.template}: {exc.message}") from None
    return out


_ID_ATTR = re.compile(r'\bid="([^"]+)"')
_ID_USE = re.compile(r'(\bid="|url\(#|href="#)([^")]+)')


def scope_ids(svg: str, prefix: str) -> str:
    """Return svg with its element ids renamed prefix-<name><n>, numbered in order of use.

    Vega numbers clip paths and gradients with counters that run on across every chart its
    JavaScript engine draws, so the same chart can come back with other ids, and two inline
    charts can share one. Renaming them per chart keeps pages valid and builds identical.
    """
    names: dict[str, str] = {}
    for m in _ID_ATTR.finditer(svg):
        old = m.group(1)
        if old not in names:
            names[old] = f"{prefix}-{old.rstrip('0123456789') or 'id'}{len(names) + 1}"
    if not names:
        return svg

    def sub(m: re.Match[str]) -> str:
        new = names.get(m.group(2))
        return m.group(0) if new is None else m.group(1) + new

    return _ID_USE.sub(sub, svg)


Renderer = Callable[[str], str]
