"""Budgets before work (issue 18): small hostile inputs must not cost big time or memory.

Each case is a small crafted file: a formula chain that doubles, a page of brackets, an xlsx
that declares a huge sheet or inflates to gigabytes, a Parquet file that claims billions of
rows, a data value outside what a report can show. Each ends in a clean message (a
SitegenError naming the file and the limit) or a correct result, quickly.
"""

from __future__ import annotations

import time
import zipfile
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from sitegen.config.limits import Limits
from sitegen.config.project import load_project
from sitegen.config.toml import read_toml
from sitegen.errors import ConfigError, DataError, shown
from sitegen.model.catalogue import CustomKpi, builtin, with_custom
from sitegen.model.engine import Engine
from sitegen.model.periods import Period
from sitegen.present.site.routes import path_for
from sitegen.readers import read_file
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
    started = time.process_time()  # CPU time: other processes on the machine do not count
    html = markdown_to_html(text)
    assert time.process_time() - started < 2  # 72 s before; about 0.6 s now
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


def test_a_page_over_the_size_limit_is_refused() -> None:
    with pytest.raises(ConfigError, match="too long") as info:
        markdown_to_html("x" * 1001, max_chars=1000)
    assert "[limits] max_page_chars" in str(info.value)
    assert markdown_to_html("x" * 1000, max_chars=1000)


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


# ------------------------------------------------------------------------------------------
# Workbooks and Parquet: refused from what they declare, before calamine or polars read them
# ------------------------------------------------------------------------------------------

_NS = "http://schemas.openxmlformats.org"
_XLSX_PARTS = {
    "[Content_Types].xml": (
        f'<Types xmlns="{_NS}/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{_NS}/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{_NS}/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{_NS}/spreadsheetml/2006/main" '
        f'xmlns:r="{_NS}/officeDocument/2006/relationships"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_NS}/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{_NS}/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def _cell(ref: str, value: str) -> str:
    if value.replace(".", "").isdigit():
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def _xlsx(path: Path, dimension: str, rows: str | bytes) -> Path:
    """Write a minimal xlsx by hand: one sheet with this dimension and these rows."""
    body = rows.encode() if isinstance(rows, str) else rows
    sheet = (
        f'<worksheet xmlns="{_NS}/spreadsheetml/2006/main"><dimension ref="{dimension}"/>'
        "<sheetData>".encode()
        + body
        + b"</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in _XLSX_PARTS.items():
            z.writestr(name, text)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


GOOD_ROWS = (
    '<row r="1">' + _cell("A1", "date") + _cell("B1", "likes") + "</row>"
    '<row r="2">' + _cell("A2", "2025-01-01") + _cell("B2", "3") + "</row>"
)


def _read(path: Path, **budgets: int) -> object:
    return read_file(
        path,
        metric_kinds=dict(builtin().metric_kinds),
        display=path.name,
        limits=Limits(**budgets),
    )


def test_a_good_workbook_still_reads(tmp_path: Path) -> None:
    data = _read(_xlsx(tmp_path / "ok.xlsx", "A1:B2", GOOD_ROWS))
    assert data.frame["likes"].to_list() == [3.0]  # type: ignore[attr-defined]


def test_a_tiny_xlsx_with_one_cell_at_xfd1048576_is_refused(tmp_path: Path) -> None:
    far = '<row r="1048576">' + _cell("XFD1048576", "1") + "</row>"
    path = _xlsx(tmp_path / "far.xlsx", "A1:XFD1048576", GOOD_ROWS + far)
    assert path.stat().st_size < 2000
    with pytest.raises(DataError, match="too many cells") as info:
        _read(path)
    assert "[limits] max_sheet_cells" in str(info.value) and info.value.file == "far.xlsx"


def test_a_cell_far_beyond_a_small_declared_dimension_is_refused(tmp_path: Path) -> None:
    far = '<row r="900000">' + _cell("ZZ900000", "1") + "</row>"
    with pytest.raises(DataError, match=r"\[limits\] max_sheet_cells"):
        _read(_xlsx(tmp_path / "liar.xlsx", "A1:B2", GOOD_ROWS + far))


def test_an_xlsx_zip_bomb_is_refused_from_the_zip_directory(tmp_path: Path) -> None:
    row = b"<row><c><v>1</v></c></row>"
    path = _xlsx(tmp_path / "bomb.xlsx", "A1:A1", row * 200_000)  # 5 MB of XML, 15 kB zipped
    with pytest.raises(DataError, match=r"\[limits\] max_unzipped_bytes"):
        _read(path, max_unzipped_bytes=1024**2)
    with pytest.raises(DataError, match=r"\[limits\] max_zip_ratio"):  # it inflates ~300x
        _read(path)


def test_parquet_rows_and_columns_are_checked_from_the_footer(tmp_path: Path) -> None:
    path = tmp_path / "p.parquet"
    days = pl.date_range(date(2023, 1, 1), date(2025, 9, 26), eager=True)
    pl.DataFrame({"date": days, "likes": [1.0] * len(days)}).write_parquet(path)
    assert len(days) == 1000
    assert _read(path).frame.height == 1000  # type: ignore[attr-defined]
    with pytest.raises(DataError, match=r"\[limits\] max_parquet_rows"):
        _read(path, max_parquet_rows=999)
    with pytest.raises(DataError, match=r"\[limits\] max_parquet_cells"):
        _read(path, max_parquet_cells=1999)
    wide = tmp_path / "wide.parquet"
    pl.DataFrame({f"c{i}": [1] for i in range(30)}).write_parquet(wide)
    with pytest.raises(DataError, match="too many columns") as info:
        _read(wide, max_columns=20)
    assert "[limits] max_columns" in str(info.value)


# ------------------------------------------------------------------------------------------
# Data values: a message or a correct build, never a traceback
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["9999-12-31", "1899-12-31", "2201-01-01"])
def test_a_date_outside_1900_2200_is_refused_with_file_and_line(tmp_path: Path, day: str) -> None:
    path = tmp_path / "fb.csv"
    path.write_text(f"date,likes\n2025-01-01,3\n{day},4\n2025-01-02,5\n")
    with pytest.raises(DataError, match="outside the years 1900-2200") as info:
        _read(path)
    assert info.value.file == "fb.csv" and info.value.line == 3


def test_dates_at_the_edges_are_read(tmp_path: Path) -> None:
    path = tmp_path / "fb.csv"
    path.write_text("date,likes\n1900-01-01,3\n2200-12-31,4\n")
    assert _read(path).frame.height == 2  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("x.json", '[{"date": "2025-01-01", "likes": 1e400}, {"date": "2025-01-02", "likes": 3}]'),
        ("x.csv", "date,likes\n2025-01-01,1e400\n2025-01-02,3\n"),
    ],
)
def test_an_infinite_number_is_missing_with_a_warning(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    data = _read(path)
    likes = data.frame.sort("date")["likes"].to_list()  # type: ignore[attr-defined]
    assert likes[1] == 3.0 and likes[0] in (None,)
    warnings = [w for w in data.warnings if "infinite" in w.message]  # type: ignore[attr-defined]
    assert (
        len(warnings) == 1
        and warnings[0].key == "likes"
        and warnings[0].line == 1 + (name == "x.csv")
    )


def test_a_channel_named_index_does_not_take_the_channel_list_page() -> None:
    assert path_for("channel", "index") != path_for("channels")
    assert path_for("channel", "facebook") == "channels/facebook.html"  # slugs unchanged
