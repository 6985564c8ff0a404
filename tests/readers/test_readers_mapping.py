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


def _hint(data: Any) -> str:
    (warning,) = [w for w in data.warnings if w.code == "unknown_columns"]
    return str(warning.hint)


def test_unknown_column_hint_proposes_the_closest_metric(write: Write, read: Read) -> None:
    # A French export: "Clics" is not in the alias table, but is spelled like "clicks";
    # "Abonnés perdus" is like nothing, and "Lifetime Post Total Reach" holds "reach".
    write(
        "fr.csv",
        "Date,Impressions,Clics,Abonnés perdus,Lifetime Post Total Reach\n2026-03-02,900,12,1,400\n",
    )
    hint = _hint(read())
    assert '"Clics" = "clicks"' in hint
    assert '"Lifetime Post Total Reach" = "reach"' in hint
    assert "Abonnés" not in hint


def test_unknown_column_hint_without_a_close_metric_proposes_none(write: Write, read: Read) -> None:
    write("meta.csv", "Date,Impressions,Mood,Weather\n2026-03-02,900,ok,sun\n")
    hint = _hint(read())
    assert "clicks" not in hint and "=" not in hint.replace('"ignore"', "")
    assert "sitegen kpis" in hint
