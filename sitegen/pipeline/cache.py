"""The build cache: content-addressed entries in ``.sitegen-cache/``, verified on every read.

Three kinds of entries, each keyed by a hash of everything that can change it:

- ``svg``: a chart's static SVG, keyed by its Vega-Lite spec, its d3 locales, the installed
  packages (vl-convert among them), the fonts on the machine and sitegen's own code;
- ``bundle``: the Vega JavaScript bundle, keyed by the installed packages;
- ``site``: a project's manifest, keyed by the project folder and output target. It holds the
  hash of every input (the project's files, the theme, sitegen's code, the packages) and of the
  output tree it produced, so an unchanged project is skipped only while its site is intact.

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
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sitegen import __version__
from sitegen.pipeline.writer import OLD_TAG, TMP_TAG

CACHE_DIR = ".sitegen-cache"
ENV_CACHE_DIR = "SITEGEN_CACHE_DIR"
# Bump when an entry's layout or a key's recipe changes, so old entries are never misread.
FORMAT = 1
_MAGIC = b"sitegen-cache-1\n"
_SUM = hashlib.sha256().digest_size
PACKAGE_DIR = Path(__file__).resolve().parent.parent  # sitegen/
# Settings outside the project that the output may depend on (reproducible-build convention).
_ENV_INPUTS = ("SOURCE_DATE_EPOCH", "TZ")
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


def template_cache(cache: Cache | None) -> Any:
    """Return a Jinja bytecode cache: compiled templates kept in memory and in the cache.

    Jinja itself rejects bytecode whose template source changed; the key adds the settings
    that change the compiled code (delimiters, extensions, new-style gettext...), read from
    the environment when a template is loaded, after the i18n extension is installed.
    """
    import jinja2

    class TemplateCache(jinja2.BytecodeCache):
        """Compiled templates: from this process, else the build cache."""

        def _key(self, bucket: jinja2.bccache.Bucket) -> str:
            return digest("template", str(FORMAT), bucket.key, _env_signature(bucket.environment))

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            key = self._key(bucket)
            data = _templates.get(key)
            if data is None and cache is not None:
                data = cache.get("template", key)
            if data is not None:
                bucket.bytecode_from_string(data)

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            key = self._key(bucket)
            data = bucket.bytecode_to_string()
            _templates[key] = data
            if cache is not None:
                cache.put("template", key, data)

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
_WRITER_TAGS = (TMP_TAG, OLD_TAG)


def _walk(root: Path, skip: set[Path], skip_names: frozenset[str]) -> Iterator[tuple[str, Path]]:
    """Yield (posix path relative to root, path) for every file, sorted, links followed once."""
    seen: set[str] = set()

    def visit(folder: Path, rel: str) -> Iterator[tuple[str, Path]]:
        real = os.path.realpath(folder)
        if real in seen:
            return
        seen.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        for e in entries:
            if e.name in skip_names or any(tag in e.name for tag in _WRITER_TAGS):
                continue
            path = Path(e.path)
            sub = f"{rel}{e.name}"
            if e.is_dir():
                if path.resolve() not in skip:
                    yield from visit(path, sub + "/")
            elif e.is_file():
                yield sub, path

    yield from visit(root, "")


def tree_digest(root: Path, *, skip: Iterable[Path] = (), skip_names: Iterable[str] = ()) -> str:
    """Return a hash of every file's path and bytes under root, NOT_INPUTS and skip left out."""
    h = hashlib.sha256()
    for rel, path in _walk(root, {p.resolve() for p in skip}, NOT_INPUTS | set(skip_names)):
        with open(path, "rb") as fh:
            file_sum = hashlib.file_digest(fh, "sha256").hexdigest()
        h.update(f"{rel}\0{file_sum}\n".encode())
    return h.hexdigest()
