"""docs/goals.md documents every goals.toml key, status and warning code the code knows."""

from __future__ import annotations

import re
from pathlib import Path

from sitegen.config.goals import GOAL_KEYS, PERS, PLAN_KEYS
from sitegen.model.goals import STATUSES

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "goals.md").read_text(encoding="utf-8")


def test_every_key_is_in_a_table_row() -> None:
    rows = {m.group(1) for m in re.finditer(r"^\| `([a-z_]+)` \|", DOC, re.MULTILINE)}
    assert set(GOAL_KEYS) | set(PLAN_KEYS) <= rows


def test_every_status_per_and_warning_code_is_documented() -> None:
    source = "".join(
        p.read_text(encoding="utf-8")
        for p in [
            ROOT / "sitegen" / "config" / "goals.py",
            ROOT / "sitegen" / "config" / "schema.py",
            *(ROOT / "sitegen" / "model" / "goals").glob("*.py"),
        ]
    )
    codes = set(re.findall(r'"(goal-[a-z-]+|unknown-key)"', source))
    assert len(codes) >= 8
    for word in (*STATUSES, *PERS, *codes):
        assert f"`{word}`" in DOC or f'"{word}"' in DOC, word
