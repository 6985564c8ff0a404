"""Per-project manifests in the build cache: what a build read (a stamp of its inputs) and
what it produced, so that an unchanged project is answered without building it (fastpath.py).
Light on purpose: no polars, altair or Jinja."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sitegen.errors import SitegenWarning
from sitegen.pipeline.cache import (
    _ENV_INPUTS,
    FORMAT,
    Cache,
    code_digest,
    digest,
    fonts_digest,
    packages_digest,
    themes_dir,
    tree_digest,
)


def _out_digest(out_dir: Path) -> str | None:
    """Return the hash of a built site's files (hidden ones included), None when it is absent."""
    if not out_dir.is_dir():
        return None
    h = hashlib.sha256()
    for dirpath, dirs, names in os.walk(out_dir):
        dirs.sort()
        rel_dir = Path(dirpath).relative_to(out_dir).as_posix()
        for name in sorted(names):
            path = Path(dirpath, name)
            with open(path, "rb") as fh:
                file_sum = hashlib.file_digest(fh, "sha256").hexdigest()
            h.update(f"{rel_dir}/{name}\0{file_sum}\n".encode())
    return h.hexdigest()


# -- skipping an unchanged project -----------------------------------------------------------


@dataclass
class Stamp:
    """The identity of one project build: where its manifest lives and what its inputs hash to."""

    key: str
    inputs: dict[str, str]


def project_stamp(
    cache: Cache, project_dir: Path, target: Path, *, single: bool, strict: bool
) -> Stamp:
    """Hash a project's inputs before it is built; target is its site (single) or the sites' root.

    The inputs are every file in the project folder (version control, tool caches, the
    output and the cache left out: a theme, logo or page anywhere in it counts), the themes,
    sitegen's code, the installed packages, the fonts and the environment settings the build
    may read. Hashing before building means a file edited during a build makes the next build
    see a change.
    """
    project = project_dir.resolve()
    target = target.resolve()
    key = digest(
        "site",
        str(FORMAT),
        str(project),
        "dir" if single else "root",
        str(target),
        "strict" if strict else "",
    )
    inputs = {
        "project": tree_digest(project, skip=[target, cache.root]),
        "themes": tree_digest(themes_dir()),
        "code": code_digest(),
        "packages": packages_digest(),
        "fonts": fonts_digest(),
        "environment": digest(*(f"{k}={os.environ.get(k, '')}" for k in _ENV_INPUTS)),
    }
    return Stamp(key, inputs)


def check(cache: Cache, stamp: Stamp) -> tuple[dict[str, Any] | None, str]:
    """Return (the stored result, "") when the project is unchanged, else (None, the reason)."""
    raw = cache.get("site", stamp.key)
    if raw is None:
        return None, "not built with this cache before"
    try:
        entry = json.loads(raw)
        changed = [k for k, v in stamp.inputs.items() if entry["inputs"].get(k) != v]
        if changed:
            return None, "changed: " + ", ".join(changed)
        out_dir = Path(entry["result"]["out_dir"])
        if _out_digest(out_dir) != entry["tree"]:
            # Someone changed, deleted or added a file in the site: rebuild it.
            return None, "the site's files changed"
        result: dict[str, Any] = entry["result"]
        return result, ""
    except (ValueError, KeyError, TypeError, AttributeError):
        return None, "unreadable manifest"


def fresh_result(cache: Cache, stamp: Stamp) -> dict[str, Any] | None:
    """Return the stored result when the inputs are unchanged and the site is intact, else None."""
    return check(cache, stamp)[0]


def record(cache: Cache, stamp: Stamp, result: dict[str, Any]) -> None:
    """Store a successful build's result with the hashes of its inputs and its output tree."""
    tree = _out_digest(Path(result["out_dir"]))
    if tree is None:
        return
    try:
        blob = json.dumps(
            {"inputs": stamp.inputs, "tree": tree, "result": result},
            ensure_ascii=False,
            sort_keys=True,
        )
    except (TypeError, ValueError):
        return  # a summary that cannot be stored is simply not cached
    cache.put("site", stamp.key, blob.encode("utf-8"))


def warnings_to_json(warnings: Iterable[SitegenWarning]) -> list[dict[str, Any]]:
    """Return warnings as JSON-ready dicts (they are replayed on a cached build)."""
    return [asdict(w) for w in warnings]


def warnings_from_json(items: Iterable[dict[str, Any]]) -> list[SitegenWarning]:
    """Return the warnings stored by warnings_to_json."""
    return [SitegenWarning(**item) for item in items]
