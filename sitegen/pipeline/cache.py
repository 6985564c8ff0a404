"""The build cache: content-addressed entries in ``.sitegen-cache/``, verified on every read.

Three kinds of entries, each keyed by a hash of everything that can change it:

- ``svg``: a chart's static SVG, keyed by its Vega-Lite spec, its d3 locales, the installed
  packages (vl-convert among them), the fonts on the machine and sitegen's own code;
- ``bundle``: the Vega JavaScript bundle, keyed by the installed packages;
- ``site``: a project's manifest, keyed by the project folder and output target. It holds the
  hash of every input (the project's TOML files, data/, pages/, assets/, templates/ and local
  theme, the themes, sitegen's code, the packages) and of the output tree it produced, so an
  unchanged project is skipped only while its site is intact. Hashing never follows a link out
  of the project and never reads a file bigger than the readers accept.

No entry holds code or a pickle: compiled Jinja templates are kept in memory only.

Every entry carries a SHA-256 of its payload; a torn, truncated or edited entry fails the check
and is deleted and rebuilt, never trusted. Entries are written to a temporary file and renamed
into place, so concurrent builds (``-j``) and killed builds never leave a partial entry. The
cache is an optimisation only: failing to write it never fails a build.

This module stays light (no polars, altair or Jinja) so that a no-change rebuild can be
answered before the pipeline is imported.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sitegen import __version__
from sitegen.pipeline.writer import INPUT_FOLDERS, WRITER_TAGS

CACHE_DIR = ".sitegen-cache"
ENV_CACHE_DIR = "SITEGEN_CACHE_DIR"
# Bump when an entry's layout or a key's recipe changes, so old entries are never misread.
FORMAT = 1
_MAGIC = b"sitegen-cache-1\n"
_SUM = hashlib.sha256().digest_size
PACKAGE_DIR = Path(__file__).resolve().parent.parent  # sitegen/
# Settings outside the project that the output may depend on (reproducible-build convention).
ENV_INPUTS = ("SOURCE_DATE_EPOCH", "TZ")
# Entries unused this long are deleted, so a cache carried from CI run to CI run stays small.
EVICT_AFTER_DAYS = 30


def digest(*parts: str | bytes) -> str:
    """Return the SHA-256 hex digest of parts, each length-prefixed so they cannot run together."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def default_dir(out: Path) -> Path:
    """Return the cache folder for an output folder: $SITEGEN_CACHE_DIR, else next to it."""
    env = os.environ.get(ENV_CACHE_DIR)
    if env:
        return Path(env)
    return out.resolve().parent / CACHE_DIR


@dataclass
class CacheStats:
    """What the cache did during a build (for -v and the benchmark)."""

    hits: int = 0
    misses: int = 0
    corrupt: int = 0
    write_errors: int = 0


class Cache:
    """A folder of verified, atomically written entries addressed by (kind, key)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.stats = CacheStats()

    def _path(self, kind: str, key: str) -> Path:
        if not (kind.isalnum() and len(key) == 64 and all(c in "0123456789abcdef" for c in key)):
            raise ValueError(f"bad cache address {kind}/{key}")
        return self.root / kind / key[:2] / key

    def get(self, kind: str, key: str) -> bytes | None:
        """Return the entry's payload, or None when it is absent or fails its checksum."""
        path = self._path(kind, key)
        try:
            raw = path.read_bytes()
        except OSError:
            self.stats.misses += 1
            return None
        head = len(_MAGIC) + _SUM
        payload = raw[head:]
        if (
            raw[: len(_MAGIC)] != _MAGIC
            or hashlib.sha256(payload).digest() != raw[len(_MAGIC) : head]
        ):
            # A corrupt entry is dropped and rebuilt: the cache must never change the site.
            self.stats.corrupt += 1
            self.stats.misses += 1
            path.unlink(missing_ok=True)
            return None
        self.stats.hits += 1
        # A hit marks the entry as in use, so evict() keeps it.
        with contextlib.suppress(OSError):
            os.utime(path)
        return payload

    def put(self, kind: str, key: str, data: bytes) -> None:
        """Store data under (kind, key) atomically; a failure to write is counted, not raised."""
        path = self._path(kind, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        except OSError:
            self.stats.write_errors += 1
            return
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(_MAGIC + hashlib.sha256(data).digest() + data)
            os.replace(tmp, path)
        except OSError:
            self.stats.write_errors += 1
            Path(tmp).unlink(missing_ok=True)

    def size(self) -> int:
        """Return the bytes the cache's entries take."""
        return sum(p.stat().st_size for p in _files(self.root))

    def evict(self, max_age_days: float = EVICT_AFTER_DAYS, *, force: bool = False) -> int:
        """Delete entries unused for max_age_days; walk the cache at most once a day."""
        mark = self.root / ".evicted"
        now = time.time()
        try:
            if not force and now - mark.stat().st_mtime < 86400:
                return 0
        except OSError:
            pass
        removed = 0
        for p in _files(self.root):
            try:
                if p != mark and now - p.stat().st_mtime > max_age_days * 86400:
                    p.unlink()
                    removed += 1
            except OSError:
                continue
        try:
            mark.touch()
        except OSError:
            self.stats.write_errors += 1
        return removed


def _files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        for dirpath, _dirs, names in os.walk(root):
            for name in names:
                yield Path(dirpath, name)


# -- what the output depends on besides the project ------------------------------------------


@cache
def code_digest() -> str:
    """Return a hash of sitegen's own files (code, catalogues, locales), computed once."""
    return tree_digest(PACKAGE_DIR, skip_names={"__pycache__", "_themes"})


@cache
def packages_digest() -> str:
    """Return a hash of the installed distributions' names and versions (vl-convert, polars...)."""
    names: set[str] = set()
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as it:
                names.update(e.name for e in it if e.name.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return digest(sys.version, *sorted(names))


def _font_dirs() -> list[Path]:
    home = Path.home()
    if sys.platform == "darwin":
        return [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library/Fonts"]
    if sys.platform.startswith("win"):
        windir = Path(os.environ.get("WINDIR", "C:/Windows"))
        return [windir / "Fonts", home / "AppData/Local/Microsoft/Windows/Fonts"]
    xdg = Path(os.environ.get("XDG_DATA_HOME") or home / ".local/share")
    return [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".fonts",
        xdg / "fonts",
    ]


@cache
def fonts_digest() -> str:
    """Return a hash of the font files' names, sizes and times (text metrics in SVGs use them)."""
    parts: list[str] = []
    for folder in _font_dirs():
        for p in sorted(_files(folder)):
            try:
                st = p.stat()
            except OSError:
                continue
            parts.append(f"{p}\0{st.st_size}\0{st.st_mtime_ns}")
    return digest(*parts)


# The modules whose code turns a spec into an SVG; any other change shows in the spec itself,
# so editing a template or a reader does not throw away every rendered chart.
_RENDER_CODE = ("pipeline/draw.py", "pipeline/cache.py")


@cache
def chart_environment() -> str:
    """Return the part of every chart key that is not the chart itself."""
    code = [(PACKAGE_DIR / name).read_bytes() for name in _RENDER_CODE]
    return digest("charts", str(FORMAT), __version__, *code, packages_digest(), fonts_digest())


def chart_key(spec_json: str, format_locale: Any, time_format_locale: Any) -> str:
    """Return the cache key of one chart's SVG."""
    locales = json.dumps([format_locale, time_format_locale], sort_keys=True, ensure_ascii=False)
    return digest(chart_environment(), spec_json, locales)


def bundle_key() -> str:
    """Return the cache key of the Vega JavaScript bundle (it changes only with vl-convert)."""
    return digest("bundle", str(FORMAT), packages_digest())


_bundles: dict[str, bytes] = {}


VENDOR_DIR = PACKAGE_DIR / "_vendor"


def vendored_bundle() -> bytes | None:
    """Return the bundle shipped with sitegen when it matches the installed vl-convert.

    scripts/vendor_vega.py makes it from a given vl-convert version; with any other version
    installed (or a damaged copy) this returns None and the bundle is made afresh.
    """
    import gzip
    import importlib.metadata

    try:
        manifest = json.loads((VENDOR_DIR / "vega.json").read_text(encoding="utf-8"))
        if manifest["vl_convert"] != importlib.metadata.version("vl-convert-python"):
            return None
        data = gzip.decompress((VENDOR_DIR / "vega.js.gz").read_bytes())
    except (OSError, ValueError, KeyError, EOFError, importlib.metadata.PackageNotFoundError):
        return None
    return data if hashlib.sha256(data).hexdigest() == manifest["sha256"] else None


def cached_bundle(cache: Cache | None) -> bytes:
    """Return the Vega bundle's UTF-8 bytes: shipped, from the cache, else vl-convert (~1.7 s)."""
    key = bundle_key()
    if key not in _bundles:
        data = vendored_bundle()
        if data is None and cache is not None:
            data = cache.get("bundle", key)
        if data is None:
            import vl_convert as vlc

            # The stub marks the optional snippet as required; None gives the default bundle.
            data = vlc.javascript_bundle().encode("utf-8")  # type: ignore[call-arg]
            if cache is not None:
                cache.put("bundle", key, data)
        _bundles[key] = data
    return _bundles[key]


def themes_dir() -> Path:
    """Return the built-in themes' folder, as sitegen.theme.env finds it (without Jinja)."""
    installed = PACKAGE_DIR / "_themes"
    return installed if installed.is_dir() else PACKAGE_DIR.parent / "themes"


_templates: dict[str, bytes] = {}


def _env_signature(env: Any) -> str:
    """Return the Environment settings that change the code a template compiles to."""
    import jinja2

    settings = [
        env.block_start_string, env.block_end_string, env.variable_start_string,
        env.variable_end_string, env.comment_start_string, env.comment_end_string,
        env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
        env.newline_sequence, env.keep_trailing_newline, sorted(env.extensions),
        env.autoescape if isinstance(env.autoescape, bool) else "function", env.optimized,
        env.is_async, getattr(env, "newstyle_gettext", None), jinja2.__version__,
    ]  # fmt: skip
    return repr(settings)


def template_cache() -> Any:
    """Return a Jinja bytecode cache that keeps compiled templates in this process's memory.

    Never on disk: Jinja's bytecode is a marshal blob, which loads as code, and the build
    cache travels (CI restores it), so an entry with a recomputed checksum would run. In
    memory it speeds up the dev server's rebuilds and several projects in one process. The
    key adds the settings that change the compiled code (delimiters, extensions, new-style
    gettext...), read from the environment when a template is loaded; Jinja itself rejects
    bytecode whose template source changed.
    """
    import jinja2

    class TemplateCache(jinja2.BytecodeCache):
        """Compiled templates of this process."""

        def _key(self, bucket: jinja2.bccache.Bucket) -> str:
            return digest("template", str(FORMAT), bucket.key, _env_signature(bucket.environment))

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            data = _templates.get(self._key(bucket))
            if data is not None:
                bucket.bytecode_from_string(data)

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            _templates[self._key(bucket)] = bucket.bytecode_to_string()

    return TemplateCache()


# -- hashing folders -------------------------------------------------------------------------


# Folders no build reads, some of them large: version control, environments, tool caches.
# Everything else counts, hidden files too (pages/*.md matches .draft.md).
NOT_INPUTS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        "node_modules",
        "__pycache__",
        CACHE_DIR,
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
        ".nox",
        ".idea",
        ".vscode",
    }
)
# The writer's folders beside a site being swapped in.


# sitegen.readers.sniff.MAX_FILE_BYTES (a test keeps them equal): a bigger file is refused by
# the readers, so the hash takes its size and time instead of reading gigabytes. Not imported:
# sitegen.readers imports polars, which the no-change fast path must not wait for. It is the
# default of [limits] max_file_bytes and stays a constant (the fast path does not load the
# project): a project that raises max_file_bytes above it gets such files hashed by size+mtime.
MAX_HASHED_BYTES = 2 * 1024**3
# sitegen.project.MAX_TOML_BYTES, for the same reason.
MAX_TOML_BYTES = 5 * 1024 * 1024
# What a build reads in a project folder: the TOML files and these folders (plus a local
# theme named in sitegen.toml). The rest (notes, exports not yet filed, an output folder) is
# no input, and is never read by the hash.
PROJECT_FILES = ("sitegen.toml", "goals.toml", "cases.toml")
PROJECT_FOLDERS = INPUT_FOLDERS
BUILTIN_THEME_NAME = re.compile(r"^[A-Za-z0-9_-]+$")

# One file of a tree: its relative path and either the path to hash or a stand-in text.
_Entry = tuple[str, Path | None, str]


def walk_inputs(
    root: Path,
    skip: set[Path],
    skip_names: frozenset[str],
    *,
    only: Iterable[str] | None = None,
    boundary: Path | None = None,
) -> Iterator[_Entry]:
    """Yield (path relative to root, path to hash or None, stand-in) for every file, sorted.

    Links are followed only while they stay inside boundary (default: root); a link out
    counts by its text, never by what it points to (``ln -s /usr x`` is not read, nor
    ``/proc/self``). Only regular files are read: a FIFO or device counts by its kind.
    With only, just those names are looked at in root itself.
    """
    inside = (boundary or root).resolve()
    seen: set[str] = set()

    def visit(folder: Path, rel: str, names: set[str] | None) -> Iterator[_Entry]:
        real = os.path.realpath(folder)
        if real in seen:
            return
        seen.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        for e in entries:
            if names is not None and e.name not in names:
                continue
            if e.name in skip_names or any(tag in e.name for tag in WRITER_TAGS):
                continue
            path = Path(e.path)
            sub = f"{rel}{e.name}"
            try:
                if e.is_symlink():
                    target = Path(os.path.realpath(path))
                    if not target.is_relative_to(inside):
                        yield sub, None, "link out: " + os.readlink(path)
                        continue
                    st = os.stat(path)
                else:
                    st = e.stat(follow_symlinks=False)
            except OSError as exc:
                yield sub, None, f"unreadable: {exc.errno}"
                continue
            if stat.S_ISDIR(st.st_mode):
                if Path(os.path.realpath(path)) not in skip:
                    yield from visit(path, sub + "/", None)
            elif not stat.S_ISREG(st.st_mode):
                yield sub, None, f"special file {stat.S_IFMT(st.st_mode):o}"
            elif st.st_size > MAX_HASHED_BYTES:
                yield sub, None, f"too big: {st.st_size} bytes, {st.st_mtime_ns}"
            else:
                yield sub, path, ""

    yield from visit(root, "", set(only) if only is not None else None)


def file_sum(path: Path) -> str:
    """Return a regular file's SHA-256; never blocks on a FIFO swapped in after the walk."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        return f"unreadable: {exc.errno}"
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_HASHED_BYTES:
            return f"changed during the walk: {st.st_mode:o} {st.st_size}"
        return hashlib.file_digest(fh, "sha256").hexdigest()


def digest_entries(h: Any, entries: Iterable[_Entry], prefix: str = "") -> None:
    for rel, path, stand_in in entries:
        checksum = file_sum(path) if path is not None else "\0" + stand_in
        h.update(f"{prefix}{rel}\0{checksum}\n".encode())


def tree_digest(root: Path, *, skip: Iterable[Path] = (), skip_names: Iterable[str] = ()) -> str:
    """Return a hash of every file's path and bytes under root, NOT_INPUTS and skip left out."""
    h = hashlib.sha256()
    skipped = {p.resolve() for p in skip}
    digest_entries(h, walk_inputs(root, skipped, NOT_INPUTS | set(skip_names)))
    return h.hexdigest()
