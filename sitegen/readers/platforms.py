"""Which platform export a file is, what its columns mean there, and whose account it is.

The signatures are data (``platforms.toml`` next to this module): per export kind, the file
name patterns, the header names and the title lines that give it away, and the meaning of the
platform's own column names, which override the generic aliases (``aliases.toml``) for that
file only. ``recognise`` answers for one file; ``platforms_markdown`` renders the table that
docs/data-import.md shows (``python -m sitegen.docgen``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from sitegen.config.slug import ascii_slug
from sitegen.readers.aliases import ID_KINDS, Role, normalise

# What a platform column may be read as besides a metric.
_FIELDS = ("date", "week", "month", "value", "channel", "competitor")
DOC_START = "<!-- platform-table:start -->"
DOC_END = "<!-- platform-table:end -->"


@dataclass(frozen=True)
class Meanings:
    """What headers mean on one platform export: normalised header -> target, ignored patterns."""

    columns: Mapping[str, str]
    ignore: tuple[re.Pattern[str], ...] = ()

    def target(self, key: str) -> str | None:
        """Return the target of a normalised header on this export, or None (generic aliases)."""
        found = self.columns.get(key)
        if found is None and any(p.fullmatch(key) for p in self.ignore):
            return "ignore"
        return found

    def role(self, key: str, metric_kinds: Mapping[str, str]) -> Role | None:
        """Return the Role of a normalised header on this export, or None when it has none."""
        target = self.target(key)
        if target is None:
            return None
        # Priority -1: a platform's meaning beats every generic alias of the same metric.
        if target == "ignore":
            return Role("ignore", "ignore", -1)
        if target in _FIELDS:
            return Role(target, target, -1)
        if target.startswith("id:"):
            return Role("id", target[3:], -1)
        if target in metric_kinds:
            return Role("metric", target, -1)
        return Role("ignore", "ignore", -1)  # a metric this project's catalogue lacks


@dataclass(frozen=True)
class Export:
    """One kind of export a platform lets its users download, and how to tell it."""

    platform: str
    kind: str
    files: tuple[re.Pattern[str], ...]
    headers: frozenset[str]  # normalised; all present
    any: frozenset[str]  # normalised; at least one present (when given)
    title: tuple[re.Pattern[str], ...]
    need_file: bool
    month_first: bool  # slashed dates are month first (03/02/2025 is March 2)
    account_columns: tuple[str, ...]  # normalised
    meanings: Meanings
    shown: Mapping[str, object]  # the entry as written, for the docs table

    def by_name(self, stem: str) -> re.Match[str] | None:
        """Return the match of a file name (without extension) on this export's patterns."""
        for pattern in self.files:
            found = pattern.fullmatch(stem.strip())
            if found:
                return found
        return None

    def by_content(self, title: Sequence[str], keys: frozenset[str]) -> re.Match[str] | None:
        """Return a match (of the title line, or of nothing) when the header and title fit."""
        if not self.headers <= keys or (self.any and keys.isdisjoint(self.any)):
            return None
        if not self.title:
            return re.match("", "")
        for line in title:
            for pattern in self.title:
                found = pattern.search(line.strip())
                if found:
                    return found
        return None


@dataclass(frozen=True)
class Recognised:
    """A file recognised as a platform's export: which one, and the account it names."""

    export: Export
    account: str | None = None

    @property
    def platform(self) -> str:
        """Return the platform id (facebook, x, ...)."""
        return self.export.platform


@dataclass(frozen=True)
class Platforms:
    """The loaded signature table: platform id -> name, and the exports in match order."""

    names: Mapping[str, str]
    exports: tuple[Export, ...]

    def recognise(
        self, stem: str, title: Sequence[str], headers: Sequence[str], platform: str | None = None
    ) -> Recognised | None:
        """Return the export a file is (by name, header and title lines), or None.

        `platform` (a forced platform) limits the search to that platform's exports, and so
        does a file named after a platform (`instagram.csv` is never read as TikTok's).
        """
        keys = frozenset(normalise(h) for h in headers if h)
        platform = platform or self.named(stem)
        for export in self.exports:
            if platform is not None and export.platform != platform:
                continue
            by_name = export.by_name(stem)
            by_content = export.by_content(title, keys)
            if export.need_file:
                found = by_name if by_name and by_content else None
            else:
                found = by_name or by_content
            if found is not None:
                account = found.groupdict().get("account") if found.re.groupindex else None
                if account is None and by_content is not None and by_content.re.groupindex:
                    account = by_content.groupdict().get("account")
                return Recognised(export, (account or "").strip() or None)
        return None

    def named(self, stem: str) -> str | None:
        """Return the platform a file name stands for ("Google Ads" -> google-ads), or None."""
        key = normalise(stem)
        for platform, name in self.names.items():
            if key in (normalise(platform), normalise(name)):
                return platform
        return "x" if key == "twitter" else None

    def forced(self, platform: str) -> Meanings:
        """Return every meaning of a platform's exports (first export wins), for a forced one."""
        columns: dict[str, str] = {}
        ignore: list[re.Pattern[str]] = []
        for export in self.exports:
            if export.platform == platform:
                for key, target in export.meanings.columns.items():
                    columns.setdefault(key, target)
                ignore += export.meanings.ignore
        return Meanings(columns, tuple(ignore))


def _strings(entry: Mapping[str, object], key: str, where: str) -> list[str]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"platforms.toml: {where}.{key} must be a list of strings")
    return list(value)


def build_platforms(raw: Mapping[str, object]) -> Platforms:
    """Return the Platforms of a parsed platforms.toml; ValueError on a bad entry."""
    names = raw.get("platforms", {})
    entries = raw.get("export", [])
    if not isinstance(names, dict) or not isinstance(entries, list):
        raise ValueError("platforms.toml: [platforms] and [[export]] are required")
    exports = []
    for n, entry in enumerate(entries, 1):
        where = f"export #{n}"
        if not isinstance(entry, dict) or entry.get("platform") not in names:
            raise ValueError(f"platforms.toml: {where} names no platform of [platforms]")
        flags = re.IGNORECASE | re.UNICODE
        files = tuple(re.compile(p, flags) for p in _strings(entry, "files", where))
        headers = frozenset(normalise(h) for h in _strings(entry, "headers", where))
        any_of = frozenset(normalise(h) for h in _strings(entry, "any", where))
        title = tuple(re.compile(p, flags) for p in _strings(entry, "title", where))
        if not (files or headers or any_of or title):
            raise ValueError(f"platforms.toml: {where} would match every file")
        columns = entry.get("columns", {})
        if not isinstance(columns, dict):
            raise ValueError(f"platforms.toml: {where}.columns must be a table")
        for target in columns.values():
            if target.startswith("id:") and target[3:] not in ID_KINDS:
                raise ValueError(f"platforms.toml: {where}: unknown id kind {target!r}")
        meanings = Meanings(
            {normalise(k): str(v) for k, v in columns.items()},
            tuple(re.compile(p) for p in _strings(entry, "ignore", where)),
        )
        exports.append(
            Export(
                platform=str(entry["platform"]),
                kind=str(entry.get("kind", "")),
                files=files,
                headers=headers,
                any=any_of,
                title=title,
                need_file=bool(entry.get("need_file", False)),
                month_first=bool(entry.get("month_first", False)),
                account_columns=tuple(
                    normalise(h) for h in _strings(entry, "account_columns", where)
                ),
                meanings=meanings,
                shown=entry,
            )
        )
    return Platforms({str(k): str(v) for k, v in names.items()}, tuple(exports))


@cache
def platforms() -> Platforms:
    """Return the package's platform signatures (platforms.toml), loaded once."""
    text = resources.files("sitegen.readers").joinpath("platforms.toml").read_text("utf-8")
    return build_platforms(tomllib.loads(text))


def account_slug(account: str) -> str:
    """Return the part of a channel name that tells one account of a platform from another."""
    text = account.strip().lstrip("@")
    return ascii_slug(text) or normalise(text).replace(" ", "-") or "account"


def _cell(items: Sequence[str]) -> str:
    return ", ".join(items).replace("|", "\\|")


def _pattern(text: str) -> str:
    """Return a file name pattern as a reader would write it (<account>, YYYYMMDD)."""
    text = re.sub(r"\(\?P<account>[^)]*\)", "<account>", text)
    return text.replace(r"\d{8}", "YYYYMMDD").replace(r"\d{4}-\d{2}-\d{2}", "YYYY-MM-DD")


def _how(entry: Mapping[str, object]) -> str:
    parts = []
    files = entry.get("files") or []
    headers = entry.get("headers") or []
    any_of = entry.get("any") or []
    title = entry.get("title") or []
    assert isinstance(files, list) and isinstance(headers, list)
    assert isinstance(any_of, list) and isinstance(title, list)
    if files:
        parts.append("file name " + " or ".join(f"`{_pattern(p)}`" for p in files))
    content = []
    if headers:
        content.append("columns " + _cell([f"“{h}”" for h in headers]))
    if any_of:
        content.append("one of " + _cell([f"“{h}”" for h in any_of]))
    if title:
        content.append("a line above the table matching " + " or ".join(f"`{p}`" for p in title))
    if content:
        joined = " and ".join(content)
        parts.append(joined)
    glue = " and " if entry.get("need_file") else "; or "
    return glue.join(parts).replace("|", "\\|")


def platforms_markdown(table: Platforms | None = None) -> str:
    """Return the platform table as the Markdown that docs/data-import.md embeds."""
    table = table or platforms()
    out = [
        "| platform (channel) | export | recognised by | columns read as (besides the aliases) |",
        "|---|---|---|---|",
    ]
    for export in table.exports:
        columns = export.shown.get("columns", {})
        assert isinstance(columns, dict)
        meanings = [f"{k} → `{v}`" for k, v in columns.items()]
        ignored = export.shown.get("ignore", [])
        assert isinstance(ignored, list)
        if ignored:
            meanings.append("ignored: " + ", ".join(f"`{p}`" for p in ignored))
        account = ""
        if export.account_columns:
            shown_cols = export.shown.get("account_columns", [])
            assert isinstance(shown_cols, list)
            account = " Account: column " + " or ".join(f"“{c}”" for c in shown_cols) + "."
        out.append(
            f"| {table.names[export.platform]} (`{export.platform}`) | {export.kind}"
            f"{account} | {_how(export.shown)} | {_cell(meanings)} |"
        )
    return "\n".join(out) + "\n"


def render_doc(text: str) -> str:
    """Return text (a Markdown page) with the part between the platform-table markers replaced."""
    start = text.index(DOC_START) + len(DOC_START)
    end = text.index(DOC_END)
    return text[:start] + "\n" + platforms_markdown() + text[end:]
