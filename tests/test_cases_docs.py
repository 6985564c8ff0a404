"""docs/cases.md documents every cases.toml key and every warning code sitegen.cases raises."""

from __future__ import annotations

import re
from pathlib import Path

from sitegen.config.cases import BENCHMARK_KEYS, CASE_KEYS, REFERENCE_KEYS

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "cases.md").read_text(encoding="utf-8")


def test_every_key_is_in_a_table_row() -> None:
    rows = {m.group(1) for m in re.finditer(r"^\| `([a-z_]+)` \|", DOC, re.MULTILINE)}
    assert set(CASE_KEYS) | set(REFERENCE_KEYS) | set(BENCHMARK_KEYS) <= rows


def test_every_warning_code_is_documented() -> None:
    source = "".join(
        p.read_text(encoding="utf-8")
        for p in [
            ROOT / "sitegen" / "config" / "cases.py",
            ROOT / "sitegen" / "config" / "schema.py",
            *(ROOT / "sitegen" / "model" / "cases").glob("*.py"),
        ]
    )
    codes = set(re.findall(r'code="([a-z-]+)"', source))
    assert len(codes) >= 8
    for code in codes:
        assert f"| `{code}` |" in DOC, code
