"""Shared fixtures for the reader tests: the metric kinds of kpis.md and a scratch project."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from sitegen.readers import DataSet, read_data

# The metric and kind columns of the base-metric table in ../shared/spec/kpis.md.
KPIS_MD_TABLE = """
| impressions | flow |
| reach | flow |
| followers | stock |
| new_followers | flow |
| unfollows | flow |
| likes | flow |
| comments | flow |
| shares | flow |
| saves | flow |
| posts | flow |
| video_views | flow |
| profile_visits | flow |
| mentions | flow |
| competitor_mentions | flow |
| positive_mentions | flow |
| neutral_mentions | flow |
| negative_mentions | flow |
| clicks | flow |
| sessions | flow |
| bounces | flow |
| conversions | flow |
| leads | flow |
| customers | flow |
| orders | flow |
| revenue | flow |
| spend | flow |
| messages | flow |
| responses | flow |
| response_time | mean |
| survey_responses | flow |
| satisfied | flow |
| promoters | flow |
| passives | flow |
| detractors | flow |
"""

METRIC_KINDS: dict[str, str] = dict(re.findall(r"^\| (\w+) \| (\w+) \|$", KPIS_MD_TABLE, re.M))


@pytest.fixture
def kinds() -> dict[str, str]:
    """Return canonical metric -> kind, as in kpis.md."""
    return dict(METRIC_KINDS)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """Return an empty data/ folder inside a scratch project folder."""
    path = tmp_path / "data"
    path.mkdir()
    return path


Write = Callable[..., Path]
Read = Callable[..., DataSet]


@pytest.fixture
def write(data_dir: Path) -> Write:
    """Return a helper writing text (in an encoding) or bytes to data/<name>."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = data_dir / name
        if isinstance(content, str):
            path.write_bytes(content.encode(encoding))
        else:
            path.write_bytes(content)
        return path

    return _write


@pytest.fixture
def read(data_dir: Path, kinds: dict[str, str]) -> Read:
    """Return a helper reading the scratch data/ folder into a DataSet."""

    def _read(**options: Any) -> DataSet:
        return read_data(data_dir, metric_kinds=kinds, **options)

    return _read


def _rows(data: DataSet, *columns: str) -> list[tuple[Any, ...]]:
    frame = data.frame.with_columns(pl.col("date").cast(pl.Utf8))
    return [tuple(r) for r in frame.select("date", "channel", "competitor", *columns).iter_rows()]


@pytest.fixture
def rows() -> Callable[..., list[tuple[Any, ...]]]:
    """Return a helper: (date ISO, channel, competitor, *columns) tuples in frame order."""
    return _rows
