"""sitegen build --pdf: report.pdf in the site, A4 (or Letter), offline, the same bytes twice.

A small Russian project (tests/test_site_support.py) is built with the PDF; its text is read
back with pdftotext and its page size with pdfinfo (poppler-utils, which .ci/run installs).
Skipped only where poppler-utils or Pango is missing and CI is not "true".
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_site_support import make_project

from sitegen import api
from sitegen.errors import ConfigError
from sitegen.pipeline.pdf import BASE_URL, PDF_FILE, created_at, render_pdf, site_path
from sitegen.pipeline.run import build_project

try:  # WeasyPrint loads the Pango library at import; .ci/run installs it (Debian packages).
    import weasyprint  # noqa: F401
except OSError as exc:
    if os.environ.get("CI") == "true":
        raise
    pytest.skip(f"WeasyPrint cannot load Pango: {exc}", allow_module_level=True)

# 1 December 2026 00:00:00 UTC = 1_796_083_200 s after 1970-01-01.
EPOCH = "1796083200"
# A4 is 210 x 297 mm = 595.276 x 841.89 pt; US Letter 8.5 x 11 in = 612 x 792 pt.
A4 = "595.276 x 841.89 pts (A4)"
LETTER = "612 x 792 pts (letter)"


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        message = f"{tool} not found (apt-get install poppler-utils)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def pdf_text(pdf: Path, last: int | None = None) -> str:
    pages = ["-l", str(last)] if last else []
    out = subprocess.run(
        [_poppler("pdftotext"), *pages, str(pdf), "-"], capture_output=True, check=True
    )
    return re.sub(r"\s+", " ", out.stdout.decode("utf-8"))


def pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run([_poppler("pdfinfo"), str(pdf)], capture_output=True, check=True)
    pairs = (line.split(":", 1) for line in out.stdout.decode("utf-8").splitlines())
    return {k.strip(): v.strip() for k, v in pairs}


@pytest.fixture(scope="module")
def ru_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("pdf")
    root = make_project(tmp / "project", name="Кофейня Бриз", locale="ru", currency="RUB")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    try:
        build_project(root, tmp / "site", pdf=True)
    finally:
        mp.undo()
    return tmp / "site"


def test_pdf_holds_cover_goals_and_summary_on_a4(ru_pdf: Path) -> None:
    pdf = ru_pdf / PDF_FILE
    _poppler("pdftotext")
    text = pdf_text(pdf)
    assert "Кофейня Бриз" in text
    # Every goal title (tests/test_site_support.py's goals.toml) and the plan.
    for title in ("Cut the cost per lead to 20", "2000 leads by June", "Funnel: 20 000 a month"):
        assert title in text
    # The summary (the overview's own page) and the cover: the report period, Russian dates.
    assert "Отчётный период" in text
    assert "1 янв. — 31 мар. 2025 г." in text
    # The Markdown pages come last, by their order (Method is order 1, About order 2).
    assert text.index("How we count.") < text.index("Plain text")
    # The cover's contents list each section and each page, with its page number.
    cover = pdf_text(pdf, last=1)
    # The overview's entry is the client's name (its page's title), then the sections.
    for entry in ("1. Кофейня Бриз", "2. Цели", "Method", "About this report"):
        assert re.search(re.escape(entry) + r" \.{3,} \d+", cover), entry
    info = pdf_info(pdf)
    assert info["Page size"] == A4
    assert info["Title"].startswith("Кофейня Бриз")
    # Fonts are embedded: pdffonts lists none with "no" in its "emb" column.
    fonts = subprocess.run([_poppler("pdffonts"), str(pdf)], capture_output=True, check=True)
    rows = fonts.stdout.decode().splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), rows


def test_pdf_dates_come_from_source_date_epoch(ru_pdf: Path) -> None:
    info = pdf_info(ru_pdf / PDF_FILE)
    # 1_796_083_200 s = 20_788 days (x 86_400 s) after 1970-01-01 = 2026-12-01.
    assert info["CreationDate"] == "Tue Dec  1 00:00:00 2026 UTC"
    assert info["ModDate"] == info["CreationDate"]


def test_created_at_without_epoch_is_the_as_of_date(monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert created_at(dt.date(2025, 3, 31)) == "2025-03-31T00:00:00Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert created_at(dt.date(2025, 3, 31)) == "2026-12-01T00:00:00Z"


def test_header_links_the_pdf_and_print_css_sets_the_paper(ru_pdf: Path) -> None:
    page = BeautifulSoup((ru_pdf / "index.html").read_text(encoding="utf-8"), "html.parser")
    link = page.select_one(".site-header a.pdf-link")
    assert link is not None and link["href"] == "report.pdf"
    deep = BeautifulSoup((ru_pdf / "goals" / "cpl-20.html").read_text("utf-8"), "html.parser")
    deep_link = deep.select_one(".site-header a.pdf-link")
    assert deep_link is not None and deep_link["href"] == "../report.pdf"
    sheet = page.select_one('link[rel="stylesheet"][media="print"]')
    assert sheet is not None and sheet["href"] == "static/print.css"
    assert (ru_pdf / "static" / "print.css").read_text().rstrip().endswith("@page { size: A4; }")


def test_two_builds_give_the_same_pdf_and_letter_paper(
    ru_pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = make_project(tmp_path / "project", name="Кофейня Бриз", locale="ru", currency="RUB")
    build_project(root, tmp_path / "again", pdf=True)
    assert (tmp_path / "again" / PDF_FILE).read_bytes() == (ru_pdf / PDF_FILE).read_bytes()
    # The same project on US Letter: [report] paper.
    toml = root / "sitegen.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[report]\npaper = "letter"\n', "utf-8")
    build_project(root, tmp_path / "letter", pdf=True)
    assert pdf_info(tmp_path / "letter" / PDF_FILE)["Page size"] == LETTER
    css = (tmp_path / "letter" / "static" / "print.css").read_text()
    assert css.rstrip().endswith("@page { size: letter; }")


def test_a_build_without_pdf_has_no_pdf_nor_link(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", goals=False, pages=False)
    build_project(root, tmp_path / "site")
    assert not (tmp_path / "site" / PDF_FILE).exists()
    page = BeautifulSoup((tmp_path / "site" / "index.html").read_text("utf-8"), "html.parser")
    assert page.select_one(".pdf-link") is None


def test_unknown_paper_is_an_error_naming_the_key(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", goals=False, pages=False)
    toml = root / "sitegen.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[report]\npaper = "A5"\n', "utf-8")
    with pytest.raises(ConfigError) as err:
        build_project(root, tmp_path / "site")
    message = str(err.value)
    assert "report.paper" in message and "'A4' or 'letter'" in message and "'A5'" in message


def test_the_pdf_reads_only_the_sites_own_files() -> None:
    files = {"static/site.css": b"body { color: #000 }", "assets/logo.svg": b"<svg/>"}
    assert site_path(BASE_URL + "static/site.css", files) == "static/site.css"
    assert site_path(BASE_URL + "assets/logo.svg#x", files) == "assets/logo.svg"
    for url in (
        "file:///etc/passwd",
        BASE_URL + "../etc/passwd",
        BASE_URL + "static/missing.css",
        "https://example.com/tracker.png",
    ):
        assert site_path(url, files) is None, url
    # A document that asks for the network or a file of the machine still renders, without them.
    document = (
        '<html><head><link rel="stylesheet" href="https://example.com/x.css"></head><body>'
        '<p>Hello</p><img src="file:///etc/hostname"><img src="assets/logo.svg"></body></html>'
    )
    assert render_pdf(document, files).startswith(b"%PDF-")


def test_api_build_passes_pdf_through(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = make_project(tmp_path / "project", goals=False, pages=False, second_channel=False)
    built = api.build([root], api.BuildOptions(output=tmp_path / "site", pdf=True, cache=False))
    assert (built.where / PDF_FILE).read_bytes().startswith(b"%PDF-")


def test_cli_pdf_on_a_portfolio_writes_one_pdf_per_client(tmp_path: Path) -> None:
    clients = tmp_path / "clients"
    for name in ("Alpha", "Beta"):
        root = make_project(clients / name.lower(), name=name, goals=False, pages=False)
        # make_project's slug is acme-<locale>; clients built together need their own.
        toml = root / "sitegen.toml"
        toml.write_text(toml.read_text("utf-8").replace("acme-en", name.lower()), "utf-8")
    env = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "HOME": str(tmp_path)}
    res = subprocess.run(
        [sys.executable, "-m", "sitegen.cli", "build", "--pdf", str(clients), "-o", "out"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    for slug, name in (("alpha", "Alpha"), ("beta", "Beta")):
        text = pdf_text(tmp_path / "out" / slug / PDF_FILE)
        assert name in text
    index = BeautifulSoup((tmp_path / "out" / "index.html").read_text("utf-8"), "html.parser")
    assert [a["href"] for a in index.select("a.pdf-link")] == [
        "alpha/report.pdf",
        "beta/report.pdf",
    ]
