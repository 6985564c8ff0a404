"""docs/dev/architecture.md matches the tree: every ``sitegen/...`` path it names exists,
and every package (a folder with __init__.py) under sitegen/ is named in it. The import rules
the page states are checked in tests/test_layers.py."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITEGEN = ROOT / "sitegen"
DOC = ROOT / "docs" / "dev" / "architecture.md"


# --- the doc and the tree --------------------------------------------------------------------


def doc_paths() -> set[str]:
    return set(re.findall(r"`(sitegen/[\w/.]+?)/?`", DOC.read_text(encoding="utf-8")))


def test_every_path_the_doc_names_exists() -> None:
    missing = sorted(p for p in doc_paths() if not (ROOT / p).exists())
    assert not missing, "docs/dev/architecture.md names paths that do not exist: " + str(missing)


def test_every_package_is_named_in_the_doc() -> None:
    named = {p.rstrip("/") for p in doc_paths()}
    packages = sorted(p.parent.relative_to(ROOT).as_posix() for p in SITEGEN.rglob("__init__.py"))
    missing = [p for p in packages if p != "sitegen" and p not in named]
    assert not missing, "docs/dev/architecture.md does not name these packages: " + str(missing)


def test_the_doc_check_sees_a_wrong_path() -> None:
    assert (ROOT / "sitegen/model/engine.py").exists()
    assert not (ROOT / "sitegen/parallel.py").exists()


def test_no_module_is_over_500_lines() -> None:
    # A module that grows past this does several jobs: split it by job (issue 15).
    sizes = {
        p.relative_to(ROOT).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
        for p in (ROOT / "sitegen").rglob("*.py")
    }
    assert {name: n for name, n in sizes.items() if n > 500} == {}
