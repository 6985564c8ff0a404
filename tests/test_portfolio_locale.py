"""The portfolio index's language: [portfolio] locale, else the clients' common locale, else
English; money in each client's currency as that language writes it; a link to each PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from cldr import spaced
from test_site_support import make_project

from sitegen.errors import ConfigError
from sitegen.pipeline.portfolio import portfolio_locale, render_portfolio, write_portfolio
from sitegen.pipeline.run import build_project


def entry(name: str, locale: str, currency: str, stated: str | None = None) -> dict[str, Any]:
    """Return a client as portfolio_entry gives it, with one headline row (CPL 448.72)."""
    return {
        "name": name,
        "slug": name.lower(),
        "href": f"{name.lower()}/index.html",
        "pdf": None,
        "period": None,
        "goals": [],
        "locale": locale,
        "portfolio_locale": stated,
        "currency": currency,
        "rows": [
            {
                "kind": "headline",
                "id": "cpl",
                "kpi": "cpl",
                "metric": "CPL",
                "unit": "currency",
                "better": "lower",
                "value": 448.72,
                "result": -0.1,
                "path": "kpis/cpl.html",
            }
        ],
    }


def soup(entries: list[dict[str, Any]]) -> BeautifulSoup:
    return BeautifulSoup(render_portfolio(entries)["index.html"].decode("utf-8"), "html.parser")


def value_of(page: BeautifulSoup, slug: str) -> str:
    cell = page.select_one(f'tbody[data-client="{slug}"] td.num .muted')
    assert cell is not None
    return cell.get_text()


def test_mixed_clients_fall_back_to_english_with_a_proper_rouble() -> None:
    page = soup([entry("Alpha", "en", "USD"), entry("Kuhni", "ru", "RUB")])
    assert page.html["lang"] == "en"
    assert page.h1.get_text() == "Portfolio"
    # English has no rouble sign: the code, a no-break space ("_"), then the amount (not
    # RUB448.72).
    assert spaced(value_of(page, "kuhni")) == "RUB_448.72"
    assert value_of(page, "alpha") == "$448.72"


def test_one_client_setting_the_portfolio_locale_decides() -> None:
    entries = [entry("Alpha", "en", "USD"), entry("Kuhni", "ru", "RUB", stated="ru")]
    assert portfolio_locale(entries) == "ru"
    page = soup(entries)
    assert page.html["lang"] == "ru"
    assert page.h1.get_text() == "Портфолио"
    assert spaced(value_of(page, "kuhni")) == "448,72_₽"
    # The English client's dollars in Russian formats: comma decimals, sign after.
    assert spaced(value_of(page, "alpha")) == "448,72_$"


def test_clients_naming_different_portfolio_locales_is_an_error() -> None:
    entries = [entry("Alpha", "en", "USD", stated="lv"), entry("Kuhni", "ru", "RUB", stated="ru")]
    with pytest.raises(ConfigError) as err:
        portfolio_locale(entries)
    message = str(err.value)
    assert "portfolio.locale" in message
    assert "'lv' for Alpha" in message and "'ru' for Kuhni" in message


def test_portfolio_locale_is_read_from_sitegen_toml_and_the_pdf_is_linked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    out = tmp_path / "out"
    lv = make_project(tmp_path / "lv", name="Liepa", locale="lv", currency="EUR", pages=False)
    toml = lv / "sitegen.toml"
    toml.write_text(toml.read_text("utf-8") + '\n[portfolio]\nlocale = "lv"\n', "utf-8")
    en = make_project(tmp_path / "en", name="Acme", goals=False, pages=False)
    results = [build_project(lv, out_root=out, pdf=True), build_project(en, out_root=out)]
    write_portfolio(out, results)
    page = BeautifulSoup((out / "index.html").read_text("utf-8"), "html.parser")
    assert page.html["lang"] == "lv"
    assert page.h1.get_text() == "Portfelis"
    links = [a["href"] for a in page.select("a.pdf-link")]
    assert links == ["acme-lv/report.pdf"]  # only the client built with --pdf
    assert (out / links[0]).is_file()


def test_an_unknown_portfolio_locale_is_a_config_error(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", goals=False, pages=False)
    toml = root / "sitegen.toml"
    toml.write_text(toml.read_text("utf-8") + '\n[portfolio]\nlocale = "xx-nope"\n', "utf-8")
    with pytest.raises(ConfigError) as err:
        build_project(root, tmp_path / "site")
    assert "portfolio.locale" in str(err.value) and "unknown locale" in str(err.value)
