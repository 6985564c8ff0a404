"""Sniffing on whole lines: wide headers, far-down tables, short errors (issue 16)."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pytest

from sitegen.errors import DataError
from sitegen.readers import sniff
from tests.readers.conftest import Read, Write

# The benchmark's file generators (bench/ is scripts, not a package).
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from gen import wide_csv


def legacy_page_export(days: int = 40, width: int = 2760, seed: int = 7) -> str:
    """A legacy Facebook Insights page export: Date and thousands of Lifetime/Daily/Weekly
    columns (many with ';' or ',' inside quoted names), a description row, then days: the
    benchmark's own file (bench/gen.py), so the test and the benchmark read the same shape."""
    with tempfile.TemporaryDirectory() as tmp:
        return wide_csv(Path(tmp) / "page.csv", days, width, seed).read_text(encoding="utf-8")


def test_a_wide_export_with_semicolons_in_quoted_headers_reads_fast(
    write: Write, read: Read
) -> None:
    text = legacy_page_export()
    assert len(text.split("\n", 1)[0]) > 65536 and len(text) > 800_000  # the shape at issue
    write("facebook.csv", text)
    start = time.perf_counter()
    data = read()
    took = time.perf_counter() - start
    assert data.frame["followers"].to_list()[:3] == [1000.0, 1001.0, 1002.0]
    assert data.frame.height == 40
    # Recognised as legacy Facebook Insights: its weekly and 28-day columns are known there.
    assert data.unknown_columns == {}
    assert data.frame["channel"].unique().to_list() == ["facebook"]
    assert took < 5  # about 0.3 s on a laptop; it took 15 s when every column was worked on


def test_delimiter_is_judged_on_whole_lines_past_64_kb() -> None:
    header = ",".join(f'"Daily Metric; part {i}"' for i in range(4000))
    rows = "".join(
        f"2026-01-{d:02d}," + ",".join("1" * 1 for _ in range(3999)) + "\n" for d in (1, 2)
    )
    assert len(header) > 65536
    layout = sniff.find_layout(
        (header + "\n" + rows).encode(), "x.csv", ".csv", lambda cells: (0, False)
    )
    assert layout.delimiter == ","
    assert len(layout.header) == 4000


def test_header_is_found_below_row_60_when_it_is_the_first_with_a_date(
    write: Write, read: Read
) -> None:
    # Google Analytics (UA): a long table of landing pages first, the daily table at line 236.
    pages = "".join(f"/page-{i},{100 + i},{40 + i % 9}\n" for i in range(225))
    text = (
        "# ----------------------------------------\n# All Web Site Data\n"
        "# Landing Pages\n# 20260101-20260131\n# ----------------------------------------\n\n"
        "Landing Page,Sessions,Bounces\n" + pages + "\n"
        "# ----------------------------------------\n\n"
        "Day Index,Sessions\n1/1/26,120\n1/2/26,99\n1/13/26,130\n"
    )
    assert text.split("\n").index("Day Index,Sessions") + 1 == 236
    write("ga.csv", text)
    data = read()
    assert data.frame["sessions"].to_list() == [120.0, 99.0, 130.0]


def test_an_unreadable_file_error_has_no_line_over_300_characters(write: Write, read: Read) -> None:
    cells = ",".join(f"Lifetime Unrecognised Column Number {i}" for i in range(600))
    write("fb.csv", cells + "\n" + ",".join("1" for _ in range(600)) + "\n")
    with pytest.raises(DataError) as info:
        read()
    text = str(info.value)
    assert "no date column" in text
    assert max(len(line) for line in text.splitlines()) <= 300
    assert "600 columns" in text
