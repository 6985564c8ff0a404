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


# ------------------------------------------------------------------------------------------
# T13: only safe types of assets are published; SVGs without script or external references
# ------------------------------------------------------------------------------------------

NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
HOSTILE_SVG = [
    "<script>alert(1)</script>",
    '<script xlink:href="http://evil.example/x.js"/>',
    '<rect onload="alert(1)" width="1"/>',
    '<rect ONCLICK="alert(1)"/>',
    '<a href="javascript:alert(1)"><text>x</text></a>',
    '<a xlink:href=" JavaScript:alert(1)"><text>x</text></a>',
    '<a href="https://evil.example/"><text>x</text></a>',
    '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>',
    '<html:script xmlns:html="http://www.w3.org/1999/xhtml">alert(1)</html:script>',
    '<use href="http://evil.example/x.svg#a"/>',
    '<use xlink:href="other.svg#a"/>',
    '<image href="https://evil.example/x.png"/>',
    '<image href="data:image/svg+xml;base64,PHN2Zz4="/>',
    '<rect fill="url(http://evil.example/x.svg#g)"/>',
    "<rect style=\"fill: url( 'https://evil.example/p.png')\"/>",
    "<style>@import url(https://evil.example/x.css);</style>",
    "<style>rect { fill: url(//evil.example/x.png) }</style>",
    '<set attributeName="href" to="javascript:alert(1)"/>',
    '<animate attributeName="href" values="javascript:alert(1)"/>',
    '<iframe src="https://evil.example/"/>',
    "<handler>alert(1)</handler>",
]


@pytest.mark.parametrize("body", HOSTILE_SVG, ids=range(len(HOSTILE_SVG)))
def test_t13_hostile_svg_is_refused(body: str) -> None:
    from sitegen.theme.assets import svg_problem

    assert svg_problem(f"<svg {NS}>{body}</svg>".encode()) is not None


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]><svg>&x;</svg>',
        b'<?xml-stylesheet href="https://evil.example/x.css"?><svg/>',
        b"<html><script>alert(1)</script></html>",
        b"<svg><rect></svg>",
        b"\x89PNG not an svg",
    ],
)
def test_t13_svg_that_is_not_a_plain_drawing_is_refused(data: bytes) -> None:
    from sitegen.theme.assets import svg_problem

    assert svg_problem(data) is not None


def test_t13_plain_svgs_pass_unchanged() -> None:
    from sitegen.theme.assets import check_asset, svg_problem

    here = Path(__file__).resolve().parent.parent
    logos = sorted((here / "content").glob("*/assets/*.svg"))
    assert logos
    for logo in logos:
        assert svg_problem(logo.read_bytes()) is None, logo
    plain = (
        f'<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        f'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg {NS}>'
        '<defs><linearGradient id="g"><stop offset="0"/></linearGradient>'
        '<clipPath id="c"><rect width="1" height="1"/></clipPath></defs>'
        "<style>rect { fill: url(#g) }</style>"
        '<use xlink:href="#c"/><rect fill="url(#g)" clip-path="url(#c)"/>'
        '<image href="data:image/png;base64,iVBORw0KGgo="/><!-- a comment --></svg>'
    ).encode()
    assert svg_problem(plain) is None
    assert check_asset("assets/a.svg", plain) == plain
    assert check_asset("assets/<svg/>.svg", b"<svg/>") == b"<svg/>"


@pytest.mark.parametrize(
    "name", ["x.html", "x.htm", "x.js", "x.mjs", "x.xhtml", "x.svgz", "x.xml", "x.php", "README"]
)
def test_t13_unsafe_asset_types_are_refused(name: str) -> None:
    from sitegen.errors import DataError
    from sitegen.theme.assets import check_asset

    with pytest.raises(DataError) as info:
        check_asset("assets/" + name, b"<script>alert(1)</script>")
    assert info.value.file == "assets/" + name
    assert "png" in (info.value.expected or "") and "woff2" in (info.value.expected or "")


@pytest.mark.parametrize(
    "name", ["a.png", "b.JPG", "c.jpeg", "d.gif", "e.webp", "f.avif", "g.ico", "h.woff2", "i.pdf"]
)
def test_t13_safe_asset_types_are_copied(name: str) -> None:
    from sitegen.theme.assets import check_asset

    assert check_asset("assets/" + name, b"\x00bytes") == b"\x00bytes"


@pytest.mark.parametrize(
    ("files", "toml", "needles"),
    [
        ({"assets/x.html": "<script>alert(1)</script>"}, "", ["assets/x.html", ".html"]),
        (
            {"assets/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'},
            'logo = "assets/logo.svg"\n',
            ["assets/logo.svg", "<script>"],
        ),
        (
            {"logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'},
            'logo = "logo.svg"\n',
            ["logo.svg", "project.logo", "onload"],
        ),
        ({"logo.html": "<html/>"}, 'logo = "logo.html"\n', ["project.logo", "logo.html"]),
    ],
    ids=["html-asset", "svg-logo-script", "svg-logo-outside-assets", "html-logo"],
)
def test_t13_unsafe_assets_stop_the_build(
    tmp_path: Path, files: dict[str, str | bytes], toml: str, needles: list[str]
) -> None:
    root = project(tmp_path / "proj", files, toml=toml)
    code, text = invoke("build", str(root), "-o", str(tmp_path / "site"))
    assert code == 1, text
    assert "Traceback" not in text
    for needle in needles:
        assert needle in text, (needle, text)
    assert not (tmp_path / "site").exists()


# ------------------------------------------------------------------------------------------
# T14: reserved page names and names too long for a file
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["goal", "plan", "kpi", "case", "page", "channel"])
@pytest.mark.parametrize("name", ["index", "INDEX", "data", "static", "assets", "kpis"])
def test_t14_reserved_ids_get_a_suffix(kind: str, name: str) -> None:
    from sitegen.present.site.routes import ROUTES, path_for

    path = path_for(kind, name)
    folder = path.split("/")[0]
    assert path == f"{folder}/{name.lower() if kind == 'channel' else name}-2.html" or (
        kind == "channel" and path.startswith(f"{folder}/{name.lower()}-")
    )
    assert path not in ROUTES.values()


@pytest.mark.parametrize("kind", ["goal", "kpi", "case", "channel"])
@pytest.mark.parametrize("name", ["c" * 252, "t" * 320, "é" * 200, "a-" * 150])
def test_t14_long_ids_get_trimmed_hashed_slugs(kind: str, name: str) -> None:
    from sitegen.present.site.routes import path_for

    path = path_for(kind, name)
    stem = path.split("/")[1].removesuffix(".html")
    assert len(stem.encode()) <= 100, stem
    assert path == path_for(kind, name)  # deterministic
    assert path != path_for(kind, name[:-1] + "x")  # distinct


def test_t14_short_ids_keep_their_paths() -> None:
    from sitegen.present.site.routes import path_for

    assert path_for("goal", "leads-q1") == "goals/leads-q1.html"
    assert path_for("channel", "vk") == "channels/vk.html"
    assert path_for("kpi", "c" * 100) == "kpis/" + "c" * 100 + ".html"


# a 252-character channel in every row
LONG_CHANNEL = "".join(
    line.replace(",", ",channel," if i == 0 else "," + "c" * 252 + ",", 1) + "\n"
    for i, line in enumerate(CSV.splitlines())
)


@pytest.mark.parametrize(
    ("files", "paths"),
    [
        ({"data/index.csv": CSV}, ["channels/index-2.html", "channels/index.html"]),
        (
            {
                "goals.toml": '[[goals]]\nid = "index"\ntitle = "Leads"\nkpi = "leads"\n'
                "target = 30\nstart = 2025-01-01\ndeadline = 2025-03-31\n"
                f'[[goals]]\ntitle = "{"t" * 320}"\nkpi = "leads"\ntarget = 30\n'
                "start = 2025-01-01\ndeadline = 2025-03-31\n"
            },
            ["goals/index-2.html", "goals/index.html", f"goals/{'t' * 80}-"],
        ),
        (
            {"data/instagram.csv": LONG_CHANNEL},
            [f"channels/{'c' * 80}-"],
        ),
    ],
    ids=["data-index-csv", "goal-index-and-320-char-title", "252-char-channel"],
)
def test_t14_reserved_and_long_names_build(
    tmp_path: Path, files: dict[str, str | bytes], paths: list[str]
) -> None:
    root = project(tmp_path / "proj", files)
    code, text = invoke("build", str(root), "-o", str(tmp_path / "site"), "--no-cache")
    assert code == 0, text
    built = sorted(
        p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("*")
    )
    for want in paths:
        assert any(p.startswith(want) for p in built), (want, built)
    assert all(len(p.split("/")[-1].encode()) <= 110 for p in built)


def test_t14_two_ids_on_one_page_is_a_message(tmp_path: Path) -> None:
    goal = 'kpi = "leads"\ntarget = 30\nstart = 2025-01-01\ndeadline = 2025-03-31\n'
    root = project(
        tmp_path / "proj",
        {
            "goals.toml": f'[[goals]]\nid = "index"\ntitle = "A"\n{goal}'
            f'[[goals]]\nid = "index-2"\ntitle = "B"\n{goal}'
        },
    )
    code, text = invoke("build", str(root), "-o", str(tmp_path / "site"))
    assert code == 1, text
    assert "goals/index-2.html" in text and "Traceback" not in text


# ------------------------------------------------------------------------------------------
# T15: goal values beyond what sitegen computes with; control characters in messages
# ------------------------------------------------------------------------------------------

GOAL = (
    '[[goals]]\ntitle = "Leads"\nkpi = "leads"\ntarget = 30\n'
    "start = 2025-01-01\ndeadline = 2025-03-31\n"
)


@pytest.mark.parametrize(
    ("files", "needles"),
    [
        (
            {"goals.toml": GOAL.replace("deadline = 2025-03-31", "deadline = 9999-12-31")},
            ["goals.toml", "deadline", "out of range", "9999-12-31"],
        ),
        (
            {"goals.toml": GOAL.replace("start = 2025-01-01", "start = 0001-01-01")},
            ["goals.toml", "start", "0001-01-01"],
        ),
        (
            {"goals.toml": GOAL.replace("deadline = 2025-03-31", 'deadline = "1899-12-31"')},
            ["goals.toml", "deadline", "1899-12-31"],
        ),
        ({"goals.toml": GOAL.replace("target = 30", "target = 1e308")}, ["target", "too large"]),
        ({"goals.toml": GOAL.replace("target = 30", "target = -1e300")}, ["target", "too large"]),
        (
            {
                "sitegen.toml": '[project]\nname = "Acme"\n[period]\nstart = 2025-01-01\n'
                "end = 9999-12-31\n"
            },
            ["sitegen.toml", "period.end", "9999-12-31"],
        ),
        (
            {
                "cases.toml": '[[cases]]\ntitle = "X"\nkpis = ["leads"]\n'
                "period = { start = 0001-01-01, end = 2025-01-31 }\n"
            },
            ["cases.toml", "period", "0001-01-01"],
        ),
    ],
    ids=[
        "deadline-9999",
        "start-0001",
        "deadline-1899",
        "target-1e308",
        "target-neg",
        "period",
        "case-period",
    ],
)
def test_t15_goal_values_out_of_range_are_config_errors(
    tmp_path: Path, files: dict[str, str | bytes], needles: list[str]
) -> None:
    root = project(tmp_path / "proj", files)
    code, text = invoke("build", str(root), "-o", str(tmp_path / "site"))
    assert code == 1, text
    assert "Traceback" not in text
    for needle in needles:
        assert needle in text, (needle, text)


def test_t15_goal_values_at_the_limits_build(tmp_path: Path) -> None:
    goals = GOAL.replace("target = 30", "target = 1e15").replace(
        "deadline = 2025-03-31", "deadline = 2200-12-31"
    ) + GOAL.replace("Leads", "Old").replace("start = 2025-01-01", "start = 1900-01-01")
    root = project(tmp_path / "proj", {"goals.toml": goals})
    code, text = invoke("build", str(root), "-o", str(tmp_path / "site"), "--no-cache")
    assert code == 0, text


def test_t15_control_characters_are_escaped_in_messages() -> None:
    from sitegen.errors import DataError, SitegenWarning, printable

    assert (
        printable("a\x1b[31mb\x07\r\x9b\u202ec\td\ne") == "a\\x1b[31mb\\x07\\r\\x9b\\u202ec\td\ne"
    )
    err = DataError("bad \x1b]0;title\x07", file="data/\x1b[2J.csv", found="'\x1b'", hint="\x1b")
    assert "\x1b" not in str(err) and "data/\\x1b[2J.csv" in str(err)
    assert "\x1b" not in str(SitegenWarning("w\x1b", file="f\x1b", hint="h\x1b"))


def test_t15_escape_in_a_file_name_and_the_project_name(tmp_path: Path) -> None:
    bad = "a\x1b[31mred.csv"
    root = project(tmp_path / "proj", {f"data/{bad}": CSV + "x\n"}, toml="")
    (root / "sitegen.toml").write_text('[project]\nname = "Ac\\u001b[2Jme"\n', encoding="utf-8")
    code, text = invoke("build", str(root), "-o", str(tmp_path / "site"))
    assert code == 1, text
    assert "\x1b" not in text and "a\\x1b[31mred.csv" in text, text
    (root / "data" / bad).unlink()
    code, text = invoke("build", str(root), "-o", str(tmp_path / "site"))
    assert code == 0, text
    assert "\x1b" not in text and "Ac\\x1b[2Jme" in text, text


def test_security_doc_states_the_csp_sent() -> None:
    import re

    here = Path(__file__).resolve().parent.parent
    doc = (here / "docs" / "security.md").read_text(encoding="utf-8")
    section = doc.split("## The CSP\n", 1)[1].split("\n## ", 1)[0]
    stated = re.findall(r"```\n(.*?)\n```", section, flags=re.S)
    sent = [
        re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text).group(1)  # type: ignore[union-attr]
        for text in (
            (here / "themes" / "default" / "templates" / name).read_text(encoding="utf-8")
            for name in ("base.html", "portfolio.html")
        )
    ]
    assert stated == sent
