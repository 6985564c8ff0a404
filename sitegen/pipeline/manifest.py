"""Per-project manifests in the build cache: what a build read (a stamp of its inputs) and
what it produced, so that an unchanged project is answered without building it (fastpath.py).
Light on purpose: no polars, altair or Jinja."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tomllib
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sitegen.errors import SitegenWarning
from sitegen.pipeline.cache import (
    BUILTIN_THEME_NAME,
    ENV_INPUTS,
    FORMAT,
    MAX_TOML_BYTES,
    NOT_INPUTS,
    PROJECT_FILES,
    PROJECT_FOLDERS,
    Cache,
    code_digest,
    digest,
    digest_entries,
    file_sum,
    fonts_digest,
    packages_digest,
    themes_dir,
    tree_digest,
    walk_inputs,
)


def project_digest(project: Path, *, skip: Iterable[Path] = ()) -> str:
    """Return a hash of what a build reads in a project folder, never reading outside it.

    The TOML files, data/, pages/, assets/ and templates/, and a local theme folder named in
    sitegen.toml; whether the configured logo exists (its bytes count when in assets/).
    """
    root = project.resolve()
    skipped = {p.resolve() for p in skip}
    h = hashlib.sha256()
    digest_entries(
        h, walk_inputs(root, skipped, NOT_INPUTS, only=(*PROJECT_FILES, *PROJECT_FOLDERS))
    )
    settings = _settings(root / PROJECT_FILES[0])
    theme, logo = settings.get("theme"), settings.get("logo")
    if isinstance(theme, str) and not (
        BUILTIN_THEME_NAME.match(theme) and (themes_dir() / theme / "templates").is_dir()
    ):
        local = Path(os.path.realpath(root / theme))
        if local.is_relative_to(root) and local != root and local.is_dir():
            h.update(b"theme\0")
            digest_entries(h, walk_inputs(local, skipped, NOT_INPUTS, boundary=root), "theme/")
    if isinstance(logo, str):
        h.update(f"logo\0{logo}\0{os.path.lexists(root / logo)}\n".encode())
    return h.hexdigest()


def _settings(path: Path) -> dict[str, Any]:
    """Return sitegen.toml's [project] table when it is a sane file inside the project, else {}."""
    try:
        st = path.lstat()
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_TOML_BYTES:
            return {}
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}  # the build itself says what is wrong
    table = doc.get("project")
    settings = dict(table) if isinstance(table, dict) else {}
    report = doc.get("report")
    if isinstance(report, dict) and isinstance(report.get("logo"), str):
        settings["logo"] = report["logo"]  # [report] logo wins over [project] logo
    return settings


def _out_digest(out_dir: Path) -> str | None:
    """Return the hash of a built site's files (hidden ones included), None when it is absent.

    A link or any file that is not regular in the site means someone else put it there: None
    (the site is rebuilt), without following or reading it.
    """
    if not out_dir.is_dir() or out_dir.is_symlink():
        return None
    h = hashlib.sha256()
    try:
        for dirpath, dirs, names in os.walk(out_dir):
            dirs.sort()
            rel_dir = Path(dirpath).relative_to(out_dir).as_posix()
            for name in sorted(names):
                path = Path(dirpath, name)
                if not stat.S_ISREG(path.lstat().st_mode):
                    return None
                h.update(f"{rel_dir}/{name}\0{file_sum(path)}\n".encode())
            if any(Path(dirpath, d).is_symlink() for d in dirs):
                return None
    except OSError:
        return None  # swapped or deleted while it was read
    return h.hexdigest()


# -- skipping an unchanged project -----------------------------------------------------------


@dataclass
class Stamp:
    """The identity of one project build: where its manifest lives and what its inputs hash to."""

    key: str
    inputs: dict[str, str]
    # The output folder (the site, or the folder of sites): a manifest naming a site
    # elsewhere is not trusted (the cache may come from somewhere else).
    target: str = ""


def project_stamp(
    cache: Cache,
    project_dir: Path,
    target: Path,
    *,
    single: bool,
    strict: bool,
    pdf: bool = False,
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
        # A site built with --pdf differs (report.pdf, the header's link): its own manifest.
        *(["pdf"] if pdf else []),
    )
    inputs = {
        "project": project_digest(project, skip=[target, cache.root]),
        "themes": tree_digest(themes_dir()),
        "code": code_digest(),
        "packages": packages_digest(),
        "fonts": fonts_digest(),
        "environment": digest(*(f"{k}={os.environ.get(k, '')}" for k in ENV_INPUTS)),
    }
    return Stamp(key, inputs, str(target))


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
        if stamp.target and not out_dir.resolve().is_relative_to(stamp.target):
            return None, "the manifest names another output folder"
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
