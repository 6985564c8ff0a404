"""No English UI word on the Russian and Latvian sites: visible text, aria-label, title, alt.

The English UI vocabulary is every word of the en catalogue's messages (sitegen/locales/
messages.pot) and of the built-in KPI labels, less the words the site's language uses
itself (its catalogue's translations and KPI labels), the client's own words (the strings
of its TOML files, its Markdown pages and data files: names, titles, channels) and proper
names. The ru and lv examples are built and every page is scanned. Code (a KPI's formula
in the catalogue's ids) and download file names are not UI text and are skipped.

KNOWN_ELSEWHERE would waive an English phrase by its exact text; it is empty: nothing is
waived.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from sitegen.model.catalogue import builtin
from sitegen.pipeline.run import build_project

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "sitegen" / "locales"
EXAMPLES = {"ru": "kuhni-master", "lv": "restorans-liepa"}
WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
PLACEHOLDER = re.compile(r"%\(\w+\)[-+ #0-9.]*[sdfi]|%[sdfi%]")
# Names that read the same in every language: platforms, file formats, metric acronyms.
PROPER = {"pdf", "csv", "json", "kpi", "kpis", "ctr", "cpc", "cpm", "cpl", "cac", "roi", "roas"}
PROPER |= {"sov", "nps", "er", "crm", "sitegen", "instagram", "facebook", "tiktok", "vk"}
# No waivers: every UI text on the ru and lv examples is translated.
KNOWN_ELSEWHERE: tuple[re.Pattern[str], ...] = ()


def words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def _messages(path: Path, translated: bool) -> Iterator[str]:
    with path.open("rb") as f:
        catalog = read_po(f)
    for message in catalog:
        if not message.id:
            continue
        value = message.string if translated else message.id
        yield from (value if isinstance(value, (tuple, list)) else (value,))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def client_words(project: Path) -> set[str]:
    """Return the client's own words: its TOML strings, pages, data files and file names."""
    own: set[str] = set()
    for p in project.rglob("*"):
        if not p.is_file():
            continue
        if p.suffix == ".toml":
            for s in _strings(tomllib.loads(p.read_text(encoding="utf-8"))):
                own |= words(s)
        elif p.suffix in (".md", ".csv", ".tsv", ".txt", ".json"):
            own |= words(p.read_text(encoding="utf-8", errors="replace")) | words(p.stem)
    return own


def vocabulary(locale: str, project: Path | None) -> set[str]:
    """Return the English UI words that should not appear on a site in locale."""
    catalogue = builtin()
    english: set[str] = set()
    for text in _messages(LOCALES / "messages.pot", translated=False):
        english |= words(PLACEHOLDER.sub(" ", text))
    native: set[str] = set()
    for text in _messages(LOCALES / locale / "LC_MESSAGES" / "messages.po", translated=True):
        native |= words(PLACEHOLDER.sub(" ", text or ""))
    for kpi in catalogue.known():
        english |= words(catalogue.get(kpi).label("en"))
        native |= words(catalogue.get(kpi).label(locale))
    own = client_words(project) if project is not None else set()
    return english - native - own - PROPER


def page_texts(html: str) -> Iterator[tuple[str, str]]:
    """Yield (where, text) for a page's visible text and its aria-label, title, alt values."""
    soup = BeautifulSoup(html, "html.parser")
    for skip in soup.select("script, style, code, .download"):
        skip.decompose()
    for node in soup.find_all(string=True):
        if node.strip():
            yield "text", str(node)
    for tag in soup.find_all(True):
        for attr in ("aria-label", "title", "alt"):
            value = tag.get(attr)
            if isinstance(value, str) and value.strip():
                yield attr, value


def english_words(html: str, vocab: set[str]) -> list[tuple[str, str, str]]:
    """Return (where, word, text) for every English UI word of a page, waivers aside."""
    found = []
    for where, text in page_texts(html):
        hits = [w for w in WORD.findall(text) if w.lower() in vocab]
        if hits and not any(k.search(text) for k in KNOWN_ELSEWHERE):
            found.extend((where, w, text.strip()[:120]) for w in hits)
    return found


@pytest.fixture(scope="module", params=sorted(EXAMPLES))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    locale = request.param
    project = ROOT / "content" / EXAMPLES[locale]
    site = tmp_path_factory.mktemp(f"site-{locale}")
    build_project(project, site)
    return locale, project, site


@pytest.mark.slow
def test_no_english_ui_word_on_the_russian_and_latvian_examples(built: Any) -> None:
    locale, project, site = built
    vocab = vocabulary(locale, project)
    problems = []
    for page in sorted(site.rglob("*.html")):
        for where, word, text in english_words(page.read_text(encoding="utf-8"), vocab):
            problems.append(f"{page.relative_to(site)} [{where}] {word!r} in {text!r}")
    assert problems == [], "\n".join(problems[:40])


# A sentence that ends on an abbreviated date ("дек. 2025 г.", "2025. g. 30. sept.") must not
# get a second full stop; "..." and ISO ranges ("2025-01-01..2025-03-31") are not that.
DOUBLE_STOP = re.compile(r"[^\W\d_]\.\.(?!\.)")


def test_no_double_full_stop_on_the_russian_and_latvian_examples(built: Any) -> None:
    from bs4 import BeautifulSoup

    _locale, _project, site = built
    problems = []
    for page in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup(["script", "style", "code"]):
            tag.decompose()
        texts = [soup.get_text(" ")]
        texts += [t.get(a, "") for t in soup.find_all(True) for a in ("aria-label", "title", "alt")]
        for text in texts:
            for m in DOUBLE_STOP.finditer(str(text)):
                problems.append(
                    f"{page.relative_to(site)}: {text[max(0, m.start() - 40) : m.end()]!r}"
                )
    assert problems == [], "\n".join(problems[:20])


def test_the_scan_finds_english_in_text_and_attributes() -> None:
    vocab = vocabulary("ru", None)
    # Words the en catalogue has and the ru one does not: "Download data", "Breadcrumb".
    assert {"download", "breadcrumb", "highest"} <= vocab
    page = (
        '<html><body><main><p>Отчёт <a href="data/">Download data</a></p>'
        '<nav aria-label="Breadcrumb"></nav><img alt="Кухни" src="x.png">'
        '<code class="formula">spend / leads</code>'
        '<div role="img" aria-label="Лиды, янв. to окт.: from 1 to 2; highest 3 in май."></div>'
        "<script>var download = 1;</script></main></body></html>"
    )
    found = english_words(page, vocab)
    assert [(where, word) for where, word, _ in found][:3] == [
        ("text", "Download"),
        ("text", "data"),
        ("aria-label", "Breadcrumb"),
    ]
    # A chart label half in English (the bug of issue 19) is found word by word.
    chart = {word for where, word, _ in found[3:] if where == "aria-label"}
    assert {"to", "from", "highest"} <= chart


def test_the_clients_own_words_are_not_ui_text(tmp_path: Path) -> None:
    (tmp_path / "goals.toml").write_text(
        '[[goals]]\ntitle = "Download more"  # a comment with Breadcrumb\n', encoding="utf-8"
    )
    own = client_words(tmp_path)
    assert "download" in own and "more" in own
    assert "breadcrumb" not in own  # a TOML comment is not shown on any page
    assert "download" not in vocabulary("ru", tmp_path)
