"""The [limits] table of sitegen.toml: the budgets a build checks before it does the work.

``Limits`` is frozen and light (no imports beyond the standard library), so the readers get
it through their ``ReadOptions`` and the Markdown pages through the project's settings. The
defaults are the readers' and the theme's module constants (a test keeps them equal); every
refusal names its key with ``hint``. Two limits are not settings: ``config.toml.MAX_TOML_BYTES``
guards reading sitegen.toml itself, and ``pipeline.cache.MAX_HASHED_BYTES`` is read by the
no-change fast path before any project is loaded (docs/security.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.errors import ConfigError


@dataclass(frozen=True)
class Limits:
    """The budgets of one project; the defaults are the documented limits."""

    max_file_bytes: int = 2 * 1024**3  # readers.sniff.MAX_FILE_BYTES
    max_columns: int = 10_000  # readers.sniff.MAX_COLUMNS
    max_sheet_cells: int = 1_048_576  # readers.limits.MAX_SHEET_CELLS
    max_unzipped_bytes: int = 200 * 1024**2  # readers.limits.MAX_UNZIPPED_BYTES
    max_zip_ratio: int = 200  # readers.limits.MAX_ZIP_RATIO
    max_parquet_rows: int = 5_000_000  # readers.limits.MAX_ROWS
    max_parquet_cells: int = 50_000_000  # readers.limits.MAX_CELLS
    max_page_chars: int = 200_000  # theme.markdown.MAX_PAGE_CHARS
    # Each goal and plan is a page with charts (and each case too): a report has a handful;
    # 10,000 took 8 minutes and 2 GB to build before this budget.
    max_goals: int = 100  # [[goals]] and [[plans]] tables of goals.toml together
    max_cases: int = 100  # [[cases]], [[references]] and [[benchmarks]] of cases.toml


def check_count(doc: object, kinds: tuple[str, ...], limit: int, key: str, file: str) -> None:
    """Refuse a goals.toml or cases.toml with more tables than the budget, before parsing."""
    if not isinstance(doc, dict):
        return
    count = sum(len(v) for k in kinds if isinstance(v := doc.get(k), list))
    if count > limit:
        raise ConfigError(
            f"{count:,} {' and '.join(f'[[{k}]]' for k in kinds)} tables: more than {limit:,}",
            file=file,
            key=kinds[0],
            expected=f"at most {limit:,} ({setting(key)})",
            found=f"{count:,}",
            hint=hint(key, "a report this large"),
        )


DEFAULT_LIMITS = Limits()


def setting(key: str) -> str:
    """Return how a message names a limit: ``[limits] key``."""
    return f"[limits] {key}"


def hint(key: str, what: str = "this file") -> str:
    """Return the hint of a refusal: the setting that lifts it."""
    return f"raise {setting(key)} in sitegen.toml if {what} is legitimate"
