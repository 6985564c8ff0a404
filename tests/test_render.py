"""Rendering helpers: relative links, Markdown sanitising, front matter, SVG ids, themes."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sitegen.config.project import load_project
from sitegen.errors import ConfigError
from sitegen.theme.env import builtin_themes, make_env, scope_ids, theme_dir
from sitegen.theme.markdown import markdown_to_html, split_front_matter
from sitegen.theme.render import relative


@pytest.mark.parametrize(
    ("page", "target", "expected"),
    [
        ("index.html", "kpis/ctr.html", "kpis/ctr.html"),
        ("kpis/ctr.html", "index.html", "../index.html"),
        ("kpis/ctr.html", "kpis/cpl.html", "cpl.html"),
        ("kpis/ctr.html", "static/site.css", "../static/site.css"),
        ("a/b/c.html", "a/x.html", "../x.html"),
    ],
)
def test_relative_links(page: str, target: str, expected: str) -> None:
    assert relative(page, target) == expected


def test_markdown_is_sanitised() -> None:
    html = markdown_to_html(
        "# Title\n\n<script>alert(1)</script> [bad](javascript:alert(1)) "
        "[good](https://example.com) [local](other.html)\n\n"
        '<img src="x" onerror="alert(1)"> <p style="color:red" onclick="x()">hi</p>\n\n'
        "| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None
    assert "alert(1)" not in str(soup.find_all("a"))
    hrefs = [a.get("href") for a in soup.find_all("a")]
    assert hrefs == [None, "https://example.com", "other.html"]
    assert soup.find("a", href="https://example.com")["rel"] == ["noopener", "noreferrer"]
    assert all(
        not k.startswith("on") and k != "style" for t in soup.find_all(True) for k in t.attrs
    )
    assert soup.find("table") is not None and soup.h1.text == "Title"


def test_front_matter() -> None:
    meta, body = split_front_matter('---\ntitle: "Hello: world"\norder: 2\n# note\n---\nBody\n')
    assert meta == {"title": "Hello: world", "order": "2"}
    assert body == "Body\n"
    assert split_front_matter("No header\n") == ({}, "No header\n")


def test_scope_ids_renumbers_per_chart() -> None:
    a = (
        '<svg><clipPath id="clip7"/><g clip-path="url(#clip7)"/><use href="#clip9"/>'
        '<clipPath id="clip9"/></svg>'
    )
    b = a.replace("clip7", "clip1").replace("clip9", "clip2")
    # The same chart drawn after other charts (higher counters) comes out the same.
    assert scope_ids(a, "kpi-ctr") == scope_ids(b, "kpi-ctr")
    assert scope_ids(a, "kpi-ctr") == (
        '<svg><clipPath id="kpi-ctr-clip1"/><g clip-path="url(#kpi-ctr-clip1)"/>'
        '<use href="#kpi-ctr-clip2"/><clipPath id="kpi-ctr-clip2"/></svg>'
    )
    assert scope_ids("<svg><g/></svg>", "x") == "<svg><g/></svg>"


def _project(root: Path, theme: str | None = None) -> Path:
    (root / "data").mkdir(parents=True)
    lines = ["[project]", 'name = "T"']
    if theme:
        lines.append(f'theme = "{theme}"')
    (root / "sitegen.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def test_theme_search_path(tmp_path: Path) -> None:
    assert {"default", "classic"} <= set(builtin_themes())
    root = _project(tmp_path / "p", "classic")
    (root / "templates").mkdir()
    (root / "templates" / "data.html").write_text(
        '{% extends "default:data.html" %}', encoding="utf-8"
    )
    project = load_project(root)
    theme = theme_dir(project)
    env = make_env(theme, "en", project)

    def origin(name: str) -> str:
        return Path(env.get_template(name).filename or "").as_posix()

    assert origin("data.html").endswith("p/templates/data.html")  # the project first
    assert origin("base.html").endswith("themes/classic/templates/base.html")  # then the theme
    assert origin("kpi.html").endswith("themes/default/templates/kpi.html")  # then the default
    assert origin("default:data.html").endswith("themes/default/templates/data.html")
    assert origin("default:base.html").endswith("themes/default/templates/base.html")


def test_autoescape_is_on(tmp_path: Path) -> None:
    project = load_project(_project(tmp_path / "p"))
    env = make_env(theme_dir(project), "en", project)
    html = env.from_string("{{ x }}").render(x="<script>alert(1)</script>")
    assert html == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_unknown_theme_names_the_choices(tmp_path: Path) -> None:
    project = load_project(_project(tmp_path / "p", "nope"))
    with pytest.raises(ConfigError) as info:
        theme_dir(project)
    assert "classic" in str(info.value) and "default" in str(info.value)


def test_local_theme_folder(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", "mytheme")
    (root / "mytheme" / "templates").mkdir(parents=True)
    project = load_project(root)
    assert theme_dir(project).resolve() == (root / "mytheme").resolve()


@pytest.mark.parametrize(
    "opener", ["<svg onload=alert(1)>", "<math><mtext><table><mglyph><style>", "<xmp>", "<mglyph>"]
)
def test_an_unclosed_tag_does_not_swallow_the_rest_of_the_page(opener: str) -> None:
    html = markdown_to_html(f"Before\n\n{opener}<img src=x onerror=alert(1)>\n\nAfter *this*")
    soup = BeautifulSoup(html, "html.parser")
    assert "Before" in soup.get_text() and soup.find("em").get_text() == "this"
    assert all(not k.startswith("on") for t in soup.find_all(True) for k in t.attrs)
