"""The model layer is pure: sitegen/model imports only itself, sitegen.errors, the standard
library and polars (statically, TYPE_CHECKING blocks and function bodies included)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

MODEL = Path(__file__).resolve().parent.parent / "sitegen" / "model"
ALLOWED_PREFIXES = ("sitegen.model", "sitegen.errors")
ALLOWED_TOP = {"polars"} | set(sys.stdlib_module_names)


def module_name(path: Path) -> str:
    parts = path.relative_to(MODEL.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """Return (line, absolute module name) for every import in a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path)
    if path.name != "__init__.py":
        package = package.rsplit(".", 1)[0]
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            out.append((node.lineno, name))
    return out


def allowed(name: str) -> bool:
    if name == "__future__":
        return True
    if any(name == p or name.startswith(p + ".") for p in ALLOWED_PREFIXES):
        return True
    return name.split(".")[0] in ALLOWED_TOP


MODULES = sorted(MODEL.rglob("*.py"))


def test_the_model_package_has_modules() -> None:
    names = {module_name(p) for p in MODULES}
    assert {"sitegen.model.analysis", "sitegen.model.engine", "sitegen.model.periods"} <= names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_model_imports_only_itself_errors_stdlib_and_polars(path: Path) -> None:
    bad = [f"{path.name}:{line}: {name}" for line, name in imports(path) if not allowed(name)]
    assert not bad, "sitegen/model must stay pure:\n" + "\n".join(bad)


def test_the_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    assert not allowed("sitegen.i18n") and not allowed("altair") and not allowed("jinja2")
    assert not allowed("sitegen.present.text") and not allowed("sitegen.project")
    assert allowed("sitegen.model.periods") and allowed("polars") and allowed("datetime")
