"""The layers of docs/dev/architecture.md, checked statically (ast over every module).

- The model layer is pure: sitegen/model imports only itself, sitegen.errors, the standard
  library and polars (TYPE_CHECKING blocks and function bodies included).
- The top-level imports between sitegen modules form no cycle (TYPE_CHECKING-only imports
  excluded: they never run).
- Each layer imports only the layers below it (LAYERS).
- A sitegen module imported inside a function says why on that line or in the comment just
  above it: lazy for start-up speed. Third-party lazy imports need no comment.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITEGEN = ROOT / "sitegen"
MODEL = SITEGEN / "model"
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


# --- the whole import graph ------------------------------------------------------------------

# layer -> the sitegen layers it may import (itself always). A layer is the first name under
# sitegen (a package or a module); "sitegen" is the root package (``__version__``).
LAYERS: dict[str, set[str]] = {
    "errors": set(),
    "model": {"errors"},
    "config": {"model", "readers", "errors"},
    "readers": {"config", "errors"},
    "present": {"model", "config", "readers", "theme", "errors"},
    "theme": {"present", "config", "errors"},
    "check": {"model", "config", "readers", "theme", "pipeline", "errors"},
    "pipeline": {"model", "config", "readers", "present", "theme", "errors"},
    "dev": {"model", "config", "readers", "present", "theme", "pipeline", "errors"},
    "api": {"pipeline", "check", "dev", "errors"},
    "terminal": {"api", "pipeline", "check", "dev", "errors"},
    "cli": {"sitegen", "api", "terminal", "errors"},
    "docgen": {"cli", "config", "model", "dev", "readers", "errors"},
}
LAZY_REASON = re.compile(r"start-up", re.IGNORECASE)


SOURCES = {module_name(p): p for p in sorted(SITEGEN.rglob("*.py"))}


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int
    in_function: bool
    type_checking: bool


def _target(name: str, imported: str | None) -> str:
    """The sitegen module an import loads: ``from a import b`` is a.b when that is a module."""
    if imported and f"{name}.{imported}" in SOURCES:
        return f"{name}.{imported}"
    return name


def edges(name: str) -> list[Edge]:
    """Every import of a sitegen module in module name, with where it stands."""
    path = SOURCES[name]
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: list[Edge] = []

    def visit(node: ast.AST, in_function: bool, type_checking: bool) -> None:
        for child in ast.iter_child_nodes(node):
            func = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            tc = type_checking or (
                isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test)
            )
            if isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.split(".")[0] == "sitegen":
                        out.append(Edge(name, alias.name, child.lineno, func, tc))
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - (child.level - 1)]
                    mod = ".".join([*base, child.module] if child.module else base)
                else:
                    mod = child.module or ""
                if mod.split(".")[0] == "sitegen":
                    for alias in child.names:
                        target = _target(mod, alias.name)
                        out.append(Edge(name, target, child.lineno, func, tc))
            visit(child, func, tc)

    visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), False, False)
    return out


EDGES = [e for name in SOURCES for e in edges(name)]


def layer(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "sitegen"


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component: list[str] = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph.get(v, ()):
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return found


def test_the_graph_sees_the_imports() -> None:
    assert {"sitegen.api", "sitegen.model.engine", "sitegen.pipeline.run"} <= set(SOURCES)
    assert any(
        e.source == "sitegen.pipeline.run" and e.target == "sitegen.model.analysis" for e in EDGES
    )


def test_no_import_cycle() -> None:
    graph: dict[str, set[str]] = {}
    for e in EDGES:
        if not e.in_function and not e.type_checking and e.source != e.target:
            graph.setdefault(e.source, set()).add(e.target)
    assert cycles(graph) == []


def test_the_cycle_check_sees_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("source", sorted(LAYERS))
def test_each_layer_imports_only_the_layers_below_it(source: str) -> None:
    allowed = LAYERS[source] | {source, "sitegen"}
    bad = [
        f"{e.source}:{e.line}: {e.target}"
        for e in EDGES
        if layer(e.source) == source and not e.type_checking and layer(e.target) not in allowed
    ]
    assert not bad, f"sitegen/{source} may import only {sorted(allowed)}:\n" + "\n".join(bad)


def test_every_layer_has_a_rule() -> None:
    assert {layer(name) for name in SOURCES} - {"sitegen", "_vendor"} <= set(LAYERS)


def lazy_reason(path: Path, line: int) -> bool:
    """The import line, or the comment lines just above it, say it is lazy for start-up."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if LAZY_REASON.search(lines[line - 1].partition("#")[2]):
        return True
    i = line - 2  # the comment may stand above a block of imports
    while i >= 0 and lines[i].strip().startswith(("#", "from ", "import ")):
        if LAZY_REASON.search(lines[i]):
            return True
        i -= 1
    return False


def test_function_level_sitegen_imports_say_why() -> None:
    bad = [
        f"{e.source}:{e.line}: {e.target}"
        for e in EDGES
        if e.in_function and not e.type_checking and not lazy_reason(SOURCES[e.source], e.line)
    ]
    assert not bad, (
        "a sitegen import inside a function must be at the top, or say it is lazy for "
        "start-up speed:\n" + "\n".join(bad)
    )
