"""Budgets before work (issue 18): small hostile inputs must not cost big time or memory.

Each case is a small crafted file: a formula chain that doubles, a page of brackets, an xlsx
that declares a huge sheet or inflates to gigabytes, a Parquet file that claims billions of
rows, a data value outside what a report can show. Each ends in a clean message (a
SitegenError naming the file and the limit) or a correct result, quickly.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from sitegen.config.project import load_project
from sitegen.config.toml import read_toml
from sitegen.errors import ConfigError, shown
from sitegen.model.catalogue import CustomKpi, builtin, with_custom
from sitegen.model.engine import Engine
from sitegen.model.periods import Period
from sitegen.theme import markdown
from sitegen.theme.markdown import markdown_to_html

JAN = Period(date(2025, 1, 1), date(2025, 1, 31))


def _frame(likes: float) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "date": [date(2025, 1, 10)],
            "channel": ["main"],
            "competitor": pl.Series([None], dtype=pl.Utf8),
            "likes": [likes],
        }
    )


def _custom(formulas: list[tuple[str, str]]) -> list[CustomKpi]:
    return [
        CustomKpi(kpi_id, kpi_id, formula, "count", "higher", index=i)
        for i, (kpi_id, formula) in enumerate(formulas)
    ]


# ------------------------------------------------------------------------------------------
# Formulas: each KPI evaluated once, no recursion over a chain of KPIs
# ------------------------------------------------------------------------------------------


def test_doubling_kpis_are_evaluated_once_each() -> None:
    # d30 reads d29 twice, which reads d28 twice...: 2**30 visits without reuse.
    chain = [("d0", "likes")] + [(f"d{i}", f"d{i - 1} + d{i - 1}") for i in range(1, 31)]
    started = time.perf_counter()
    cat = with_custom(builtin(), _custom(chain), "sitegen.toml")
    e = Engine(_frame(3.0), cat)
    assert e.available("d30")
    assert e.missing_inputs("d30") == []
    assert cat.is_additive("d30")
    assert e.value("d30", JAN) == 3.0 * 2**30
    assert time.perf_counter() - started < 2


def test_a_long_chain_of_kpis_gives_values_not_a_recursion_error() -> None:
    chain = [("c0", "likes")] + [(f"c{i}", f"c{i - 1} + 1") for i in range(1, 2000)]
    cat = with_custom(builtin(), _custom(chain), "sitegen.toml")
    e = Engine(_frame(1.0), cat)
    assert e.missing_inputs("c1999") == []
    assert e.value("c1999", JAN) == 2000.0
    assert not cat.is_additive("c1999")  # "+ 1" is not a sum of flows


def test_a_long_cycle_is_still_named() -> None:
    from sitegen.errors import FormulaError

    chain = [(f"c{i}", f"c{(i + 1) % 2000} + 1") for i in range(2000)]
    with pytest.raises(FormulaError) as info:
        with_custom(builtin(), _custom(chain), "sitegen.toml")
    assert "cycle" in str(info.value)
    assert "c0 -> c1 -> c2" in str(info.value)


# ------------------------------------------------------------------------------------------
# Markdown: unclosed link parentheses cannot make the link parser quadratic
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["[a](", "![a](", '[a]("', "[a]( x [b]"])
def test_80_kb_of_unclosed_links_renders_quickly_as_text(unit: str) -> None:
    text = unit * (80_000 // len(unit))
    started = time.perf_counter()
    html = markdown_to_html(text)
    assert time.perf_counter() - started < 2
    assert "<a" not in html and "<img" not in html
    assert "[a](" in html and "\\(" not in html  # the escapes render as plain "("


def test_ordinary_pages_are_not_rewritten() -> None:
    pages = [
        "[a](https://example.org) and [b](x.html (title)) and f(x) = (1 + (2))",
        "Unclosed [a]( once, a smiley :( and `code [c](`\n\n" + "prose " * 5000,
        "```\n[a](\n```\n" + "![img](pic.png)\n" * 500,
    ]
    for page in pages:
        assert markdown._escape_unclosed_links(page) == page


def test_escaping_keeps_closed_links() -> None:
    text = "[ok](https://example.org)\n\n" + "[a](" * 5_000
    html = markdown_to_html(text)
    assert 'href="https://example.org"' in html


def test_a_page_over_the_size_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markdown, "MAX_PAGE_CHARS", 1000)
    with pytest.raises(ConfigError, match="too long") as info:
        markdown_to_html("x" * 1001)
    assert "MAX_PAGE_CHARS" in str(info.value)


# ------------------------------------------------------------------------------------------
# Settings files: no link out of the project, messages show at most one trimmed line
# ------------------------------------------------------------------------------------------

ENVIRON = b"HOME=/root\x00SECRET_TOKEN=" + b"s3cr3t" * 60 + b"\x1b[31m\x00PATH=/usr/bin\x00"


@pytest.mark.parametrize("name", ["sitegen.toml", "goals.toml", "cases.toml"])
def test_a_settings_file_linking_out_of_the_project_is_refused(tmp_path: Path, name: str) -> None:
    root = tmp_path / "p"
    (root / "data").mkdir(parents=True)
    (root / "data" / "x.csv").write_text("date,likes\n2025-01-01,3\n")
    (root / "sitegen.toml").write_text('[project]\nname = "Acme"\n')
    outside = tmp_path / "environ"
    outside.write_bytes(ENVIRON)
    (root / name).unlink(missing_ok=True)
    (root / name).symlink_to(outside)
    with pytest.raises(ConfigError, match="link to a file outside the project") as info:
        load_project(root)
    assert info.value.file == name
    assert "s3cr3t" not in str(info.value)
    # check reads the settings files through the same function
    with pytest.raises(ConfigError, match="outside the project"):
        read_toml(root / name, name)


def test_a_settings_file_linking_inside_the_project_is_fine(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "shared.toml").write_text('[project]\nname = "Acme"\n')
    (tmp_path / "sitegen.toml").symlink_to(tmp_path / "shared.toml")
    assert read_toml(tmp_path / "sitegen.toml", "sitegen.toml")["project"]["name"] == "Acme"


def test_a_toml_error_shows_one_trimmed_escaped_line(tmp_path: Path) -> None:
    path = tmp_path / "sitegen.toml"
    path.write_bytes(b'[project]\nname = "A"\n' + ENVIRON)
    with pytest.raises(ConfigError) as info:
        read_toml(path, "sitegen.toml")
    message = str(info.value)
    found = info.value.found or ""
    assert len(found) <= 80
    assert "\x00" not in message and "\x1b" not in message
    assert message.count("s3cr3t") <= 12  # 80 characters of the line, not 360
    assert "PATH=" not in message


def test_shown_escapes_and_trims() -> None:
    assert shown("a\x1b[2Jb\tc\x00") == "a\\x1b[2Jb\\tc\\x00"
    assert shown("x" * 100) == "x" * 79 + "…"
    assert shown("x" * 80) == "x" * 80
