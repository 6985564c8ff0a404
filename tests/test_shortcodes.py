"""Live numbers in Markdown pages: values exact, errors with page and line, hostile input refused.

The project is tests/test_site_support.py's: in Q1 2025 (90 days) leads are 12 a day (1,080;
instagram 8 a day = 720) and spend 300 a day (27,000), CPL 25; in Q4 2024 (92 days) leads
were 6 a day (552; instagram 4 a day = 368) and spend 27,600, CPL 50; in Q1 2024 (91 days)
leads were 546, CPL 50.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from cldr import spaced
from test_site_support import make_project

from sitegen.errors import ConfigError
from sitegen.pipeline.run import build_project, compute, load, read
from sitegen.present.i18n.format import formatter
from sitegen.present.site.labels import status_text
from sitegen.present.site.shortcodes import MAX_SHORTCODES, Results, expand


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("sc") / "acme", pages=False)


def results(project: Path, locale: str = "en") -> Results:
    p = load(project)
    a = compute(p, read(p))
    return Results(
        kpis={**a.kpis, **a.metrics},
        goals={g.spec.id: g for g in a.goals},
        channels=a.channels,
        fmt=formatter(locale, "USD"),
        status_text=lambda s: status_text(locale, s),
    )


@pytest.fixture(scope="module")
def en(project: Path) -> Results:
    return results(project)


def page(text: str, res: Results) -> str:
    return expand(text, res, "pages/notes.md")


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ('{{ kpi("cpl") }}', "$25.00"),  # 27,000 / 1,080
        ("{{kpi('cpl',period='previous')}}", "$50.00"),  # 27,600 / 552
        ('{{ kpi("cpl", period="year_ago") }}', "$50.00"),  # 27,300 / 546
        ('{{ kpi("leads") }}', "1,080"),  # 12 x 90
        ('{{ kpi("leads", channel="instagram") }}', "720"),  # 8 x 90
        ('{{ kpi("leads", channel="instagram", period="previous") }}', "368"),  # 4 x 92
        ('{{ goal("cpl-20").target }}', "$20.00"),
        ('{{ goal("cpl-20").baseline }}', "$50.00"),  # given in goals.toml
    ],
)
def test_values_are_exact_and_formatted(en: Results, code: str, shown: str) -> None:
    assert page(f"CPL was {code} this quarter.", en) == f"CPL was {shown} this quarter."


def test_goal_fields_follow_the_goal(en: Results) -> None:
    g = en.goals["cpl-20"]
    assert page('{{ goal("cpl-20").status }}', en) == status_text("en", g.status)
    assert page('{{ goal("cpl-20").current }}', en) == en.fmt.value(g.current, "currency")
    assert page('{{ goal("cpl-20").forecast }}', en) == en.fmt.value(g.forecast, "currency")


def test_locale_formats_the_numbers(project: Path) -> None:
    ru = results(project, "ru")
    # A no-break space ("_") between digit groups and before the sign: "1 080 / 25,00 $".
    assert spaced(page('{{ kpi("leads") }} / {{ kpi("cpl") }}', ru)) == "1_080 / 25,00_$"


def test_code_is_left_as_written(en: Results) -> None:
    text = 'Write `{{ kpi("cpl") }}` to get {{ kpi("cpl") }}.\n```\n{{ nope() }}\n```\n'
    assert page(text, en) == 'Write `{{ kpi("cpl") }}` to get $25.00.\n```\n{{ nope() }}\n```\n'


@pytest.mark.parametrize(
    ("line", "message", "hint"),
    [
        ('{{ kpi("cpll") }}', "unknown KPI 'cpll'", "did you mean cpl"),
        ('{{ goal("cpl-2") }}', "unknown goal 'cpl-2'", "did you mean cpl-20"),
        ('{{ goal("cpl-20").statuss }}', "unknown goal field 'statuss'", "did you mean status"),
        ('{{ goal("cpl-20") }}', "goal() needs a field", "status"),
        ('{{ kpi("cpl", period="prev") }}', "unknown period 'prev'", "did you mean previous"),
        ('{{ kpi("cpl", channel="insta") }}', "unknown channel 'insta'", "instagram"),
        ('{{ kpi("cpl", colour="red") }}', "kpi() has no argument 'colour'", "known: channel"),
        ('{{ kpi("cpl").value }}', "kpi() has no field 'value'", None),
    ],
)
def test_unknown_names_are_errors_with_page_line_and_suggestion(
    en: Results, line: str, message: str, hint: str | None
) -> None:
    text = f"---\ntitle: Notes\n---\n\nIntro.\n\nThen {line} here.\n"
    with pytest.raises(ConfigError) as info:
        page(text, en)
    err = info.value
    assert (err.file, err.line) == ("pages/notes.md", 7)  # counted from the file's first line
    assert err.message == message
    if hint is not None:
        assert err.hint is not None and hint in err.hint
    assert "pages/notes.md:7" in str(err)


@pytest.mark.parametrize(
    "hostile",
    [
        "{{ ''.__class__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ kpi.__globals__ }}",
        "{{ range(10**9) }}",
        "{{ 9**9**9 }}",
        "{{ 7*7 }}{% raw %}",
        "{{ kpi('cpl') * 10**9 }}",
        '{{ kpi("cpl"); import os }}',
        "{{ lipsum.__globals__['os'].popen('id').read() }}",
        "{% for i in range(10**9) %}x{% endfor %}",
        '{{ kpi("cpl" }}',
        '{{ kpi("cpl") ',
    ],
)
def test_hostile_input_is_refused(en: Results, hostile: str) -> None:
    with pytest.raises(ConfigError) as info:
        page(f"Text {hostile}\n", en)
    assert info.value.line == 1
    assert "Traceback" not in str(info.value)


def test_the_number_of_shortcodes_is_bounded(en: Results) -> None:
    with pytest.raises(ConfigError, match=f"more than {MAX_SHORTCODES} shortcodes"):
        page('{{ kpi("cpl") }} ' * (MAX_SHORTCODES + 1), en)


def test_site_page_has_live_numbers_and_one_heading(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", pages=False)
    (root / "pages").mkdir()
    (root / "pages" / "01-notes.md").write_text(
        '---\ntitle: Commentary\n---\n\n# Q1: leads doubled\n\nCPL {{ kpi("cpl") }}, '
        'down from {{ kpi("cpl", period="previous") }}; goal: {{ goal("cpl-20").status }}.\n',
        encoding="utf-8",
    )
    (root / "pages" / "02-plain.md").write_text("---\ntitle: Plain\n---\n\nNo heading.\n")
    build_project(root, tmp_path / "site")
    doc = json.loads((tmp_path / "site" / "data" / "kpis.json").read_text("utf-8"))
    status = next(g["status"] for g in doc["goals"] if g["id"] == "cpl-20")
    notes = BeautifulSoup(
        (tmp_path / "site" / "pages" / "01-notes.html").read_text("utf-8"), "html.parser"
    )
    heads = notes.select("main h1, article h1")
    assert [h.get_text() for h in heads] == ["Q1: leads doubled"]
    para = notes.select_one("article.prose p").get_text()
    assert para == f"CPL $25.00, down from $50.00; goal: {status_text('en', status)}."
    # The navigation keeps the front matter's title.
    assert any(a.get_text().strip() == "Commentary" for a in notes.select("nav a"))
    plain = BeautifulSoup(
        (tmp_path / "site" / "pages" / "02-plain.html").read_text("utf-8"), "html.parser"
    )
    assert [h.get_text() for h in plain.select("article h1")] == ["Plain"]


def test_a_page_error_stops_the_build_with_page_and_line(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", pages=False)
    (root / "pages").mkdir()
    (root / "pages" / "notes.md").write_text(
        '---\ntitle: {{ not a shortcode in the title }}\n---\nIntro\n\n{{ kpi("leeds") }}\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        build_project(root, tmp_path / "site")
    assert info.value.line == 6  # counted from the top of the file, front matter included
    assert info.value.file is not None and info.value.file.endswith("notes.md")
    assert "did you mean leads" in (info.value.hint or "")
