"""[data.columns] targets that are not metrics: week, month and ignore (docs/data-import.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.readers.conftest import Read, Write


def test_week_target_reads_the_column_as_weeks(
    write: Write, read: Read, rows: Callable[..., Any]
) -> None:
    write("ads.csv", "Periodo,Impressions\n2026-01-05,100\n2026-01-12,250\n")
    data = read(columns={"Periodo": "week"})
    assert rows(data, "impressions") == [
        ("2026-01-05", "ads", None, 100.0),
        ("2026-01-12", "ads", None, 250.0),
    ]
    assert data.grains == {"ads": "week"}


def test_month_target_reads_the_column_as_months(
    write: Write, read: Read, rows: Callable[..., Any]
) -> None:
    write("shop.csv", "Mes;Orders\n01.2026;7\n02.2026;9\n")
    data = read(columns={"Mes": "month"})
    assert rows(data, "orders") == [
        ("2026-01-01", "shop", None, 7.0),
        ("2026-02-01", "shop", None, 9.0),
    ]
    assert data.grains == {"shop": "month"}


def test_ignore_target_drops_the_column_without_a_warning(write: Write, read: Read) -> None:
    write("ig.csv", "Date,Likes,Internal note,Other\n2026-01-05,3,x,y\n")
    data = read(columns={"Internal note": "ignore"})
    assert data.unknown_columns == {"ig.csv": ["Other"]}
    assert [w for w in data.warnings if "Internal note" in str(w)] == []
