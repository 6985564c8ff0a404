"""Trust boundaries of docs/security.md: sandboxed templates (T12), asset types (T13),
reserved and over-long page names (T14), goal values and control characters (T15).

Small crafted projects; templates are rendered directly (no charts) to keep these fast, and
one case per item goes through the CLI for the exit status and the absence of a traceback.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitegen.cli import app
from sitegen.config.project import load_project
from sitegen.errors import ConfigError, ThemeError
from sitegen.theme.env import make_env, theme_dir
from sitegen.theme.render import Page, render_pages

CSV = (
    "date,impressions,reach,likes,comments,shares,clicks,leads,spend,followers\n"
    "2025-01-01,1000,500,40,4,2,20,2,100,1000\n"
    "2025-01-02,2000,800,60,6,3,30,3,150,1010\n"
    "2025-02-01,1500,700,50,5,2,25,5,200,1030\n"
)


def project(root: Path, files: dict[str, str | bytes] | None = None, toml: str = "") -> Path:
    """Write a small good project, then files over it."""
    all_files: dict[str, str | bytes] = {
        "sitegen.toml": '[project]\nname = "Acme"\n' + toml,
        "data/instagram.csv": CSV,
        **(files or {}),
    }
    for rel, text in all_files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "300"}).invoke(app, list(args))
    text = result.output
    with contextlib.suppress(ValueError, AttributeError):
        text += result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"uncaught {result.exception!r}\n{text}") from result.exception
    return result.exit_code, text


# ------------------------------------------------------------------------------------------
# T12: project templates run in Jinja's sandbox
# ------------------------------------------------------------------------------------------

ESCAPES = [
    '{{ lipsum.__globals__["os"].popen("id").read() }}',
    "{{ cycler.__init__.__globals__ }}",
    "{{ joiner.__init__.__globals__.os }}",
    "{{ url.__globals__ }}",
    "{{ url_for.__code__ }}",
    "{{ project.__class__.__mro__ }}",
    "{{ report.__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ fmt.__class__.__init__.__globals__ }}",
    "{{ Markup.__init__.__globals__ }}",
    "{{ self.__init__.__globals__ }}",
    "{{ range.__self__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{% set x = nav.append(1) %}{{ nav }}",
    "{{ gettext.__globals__ }}",
    "{{ ''.format.__self__ }}",
    "{{ '{0.__class__}'.format(project) }}",
]


def render_one(root: Path, template: str, trusted: bool | None = None) -> str:
    proj = load_project(project(root, {"templates/page.html": template}))
    env = make_env(theme_dir(proj), "en", proj, trusted=trusted)
    out = render_pages(
        env, [Page("index.html", "page.html", "T")], {"project": proj.config}, [("a", "b", "c")]
    )
    return out["index.html"]


@pytest.mark.parametrize("text", ESCAPES, ids=range(len(ESCAPES)))
def test_t12_template_escapes_are_theme_errors(tmp_path: Path, text: str) -> None:
    with pytest.raises(ThemeError) as info:
        render_one(tmp_path / "proj", "line one\n" + text)
    err = info.value
    assert err.file is not None and err.file.endswith("page.html"), str(err)
    assert err.line == 2, str(err)


def test_t12_sandboxed_templates_still_render(tmp_path: Path) -> None:
    text = (
        "{{ project.name }} {{ url('kpis/x.html') }} {{ url_for('kpi', 'ctr') }}"
        " {% set ns = namespace(n=0) %}{% for i in range(3) %}{% set ns.n = ns.n + i %}"
        "{% endfor %}{{ ns.n }} {{ _('Goals') }} {{ nav | length }}"
    )
    assert render_one(tmp_path / "proj", text) == "Acme kpis/x.html kpis/ctr.html 3 Goals 1"


def test_t12_trust_templates_gives_full_jinja(tmp_path: Path) -> None:
    root = project(
        tmp_path / "proj",
        {"templates/page.html": "{{ project.__class__.__name__ }}"},
        toml="trust_templates = true\n",
    )
    proj = load_project(root)
    assert proj.config.trust_templates is True
    env = make_env(theme_dir(proj), "en", proj)
    out = render_pages(env, [Page("index.html", "page.html", "T")], {"project": proj.config}, [])
    assert out["index.html"] == "ProjectConfig"


def test_t12_trust_templates_must_be_a_boolean(tmp_path: Path) -> None:
    root = project(tmp_path / "proj", toml='trust_templates = "yes"\n')
    with pytest.raises(ConfigError) as info:
        load_project(root)
    assert info.value.key == "project.trust_templates"


def test_t12_templates_read_no_file_outside_the_theme(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("SECRET", encoding="utf-8")
    for name in ["/etc/passwd", "../../secret.txt", "../secret.txt", str(tmp_path / "secret.txt")]:
        with pytest.raises(ThemeError) as info:
            render_one(tmp_path / "proj", "{% include " + repr(name) + " %}")
        assert "SECRET" not in str(info.value)


def test_t12_sandbox_escape_through_the_cli(tmp_path: Path) -> None:
    root = project(
        tmp_path / "proj",
        {
            "templates/overview.html": '{% extends "default:overview.html" %}'
            '{% block content %}\n{{ cycler.__init__.__globals__["os"].popen("id").read() }}'
            "{% endblock %}"
        },
    )
    code, text = invoke("build", str(root), "-o", str(tmp_path / "site"))
    assert code == 1, text
    assert "Traceback" not in text
    assert "overview.html:2" in text, text
    assert not (tmp_path / "site").exists()
