"""The one Jinja environment: a theme's search path, its filters, its locale.

Templates are looked up in order: the project's ``templates/``, the project's theme, then the
default theme; ``{% extends "default:base.html" %}`` reaches the default theme explicitly so
an override can extend the template it replaces (as in Datasette).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import jinja2
import jinja2.ext
from jinja2.sandbox import ImmutableSandboxedEnvironment

from sitegen.config.fields import safe_path
from sitegen.config.project import Project
from sitegen.errors import ConfigError
from sitegen.present.i18n.gettext import install_i18n

PACKAGE_DIR = Path(__file__).resolve().parent.parent


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


class Sandboxed(jinja2.ext.Extension):
    """A marker, no tags: the sandbox compiles other code, so its compiled templates must be
    cached apart from full Jinja's (the bytecode cache's key lists the extensions)."""


# Jinja's default globals that no template of sitegen needs; lipsum, cycler and joiner are
# Python objects whose attributes lead to module globals (os) outside the sandbox.
_UNUSED_GLOBALS = ("lipsum", "cycler", "joiner")


def make_env(
    theme: Path,
    locale: str,
    project: Project | None = None,
    extensions: Iterable[str] = (),
    *,
    trusted: bool | None = None,
) -> jinja2.Environment:
    """Return the Jinja environment of a theme and locale (a project's templates/ first).

    Templates run in Jinja's immutable sandbox: no attribute starting with ``_``, no
    unsafe callables, no changing of the objects sitegen passes in, and files only through
    the loader's search path. ``trust_templates = true`` in sitegen.toml (or trusted=True)
    gives full Jinja, for a theme the user wrote and trusts.
    """
    if trusted is None:
        trusted = project is not None and project.config.trust_templates
    default = themes_dir() / "default" / "templates"
    search: list[str] = []
    user = project.root / "templates" if project is not None else None
    if project is not None and user is not None and user.is_dir():
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
    kind = jinja2.Environment if trusted else ImmutableSandboxedEnvironment
    env = kind(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n", *extensions, *([] if trusted else [Sandboxed])],
    )
    if not trusted:
        for name in _UNUSED_GLOBALS:
            env.globals.pop(name, None)
    env.filters["scope_ids"] = scope_ids
    env.filters["todate"] = date.fromisoformat
    install_i18n(env, locale)
    return env
