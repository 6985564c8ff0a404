"""The Data page names each metric estimated from a rate, under the file it came from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sitegen.pipeline.run import build_project

# 1.5 % of 1,000 impressions and 2 % of 2,000: clicks 15 and 40, estimated from the CTR.
ADS = "Date,Impressions,CTR\n2025-01-01,1000,1.5%\n2025-01-02,2000,2%\n"
ORGANIC = "Date,Impressions,Clicks\n2025-01-01,500,9\n2025-01-02,600,11\n"


def _data_page(tmp_path: Path, locale: str) -> BeautifulSoup:
    root = tmp_path / "acme"
    (root / "data").mkdir(parents=True)
    (root / "sitegen.toml").write_text(
        f'[project]\nname = "Acme"\nlocale = "{locale}"\n', encoding="utf-8"
    )
    (root / "data" / "ads.csv").write_text(ADS, encoding="utf-8")
    (root / "data" / "organic.csv").write_text(ORGANIC, encoding="utf-8")
    result = build_project(root, tmp_path / "site")
    notes = [w.message for w in result.warnings if "estimated" in w.message]
    assert notes == ["clicks estimated from 'CTR' x 'Impressions': the file has no clicks column"]
    html = (tmp_path / "site" / "data" / "index.html").read_text("utf-8")
    return BeautifulSoup(html, "html.parser")


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "en",
            "Clicks estimated from the columns “CTR” × “Impressions”: the file has no Clicks"
            " column.",
        ),
        ("ru", "Клики: оценка по столбцам «CTR» × «Impressions», в файле нет столбца «Клики»."),
    ],
)
def test_the_data_page_names_the_estimate_under_its_file(
    tmp_path: Path, locale: str, expected: str
) -> None:
    page = _data_page(tmp_path, locale)
    items = page.select("ul.sources > li")
    assert [i.select_one("code").get_text() for i in items] == [
        "data/ads.csv",
        "data/organic.csv",
    ]
    estimates = [re.sub(r"\s+", " ", e.get_text()).strip() for e in items[0].select(".estimate")]
    assert estimates == [expected]
    assert items[1].select(".estimate") == []  # organic.csv has its own Clicks column
