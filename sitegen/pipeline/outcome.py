"""What a project's build produced, and how its manifest in the build cache stores it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.errors import SitegenWarning
from sitegen.pipeline.manifest import warnings_from_json, warnings_to_json


@dataclass
class BuildResult:
    """What one project's build produced: where, how much, how long, which warnings."""

    name: str
    slug: str
    out_dir: Path
    pages: int
    charts: int
    files: int
    warnings: list[SitegenWarning]
    timings: dict[str, float] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)


def result_to_json(result: BuildResult) -> dict[str, Any]:
    """Return what the manifest stores of a build's result."""
    return {
        "name": result.name,
        "slug": result.slug,
        "out_dir": str(result.out_dir.resolve()),
        "pages": result.pages,
        "charts": result.charts,
        "files": result.files,
        "warnings": warnings_to_json(result.warnings),
        "summary": result.summary,
    }


def result_from_json(data: Mapping[str, Any], seconds: float) -> BuildResult:
    """Return the BuildResult of an unchanged project from its manifest."""
    return BuildResult(
        name=data["name"],
        slug=data["slug"],
        out_dir=Path(data["out_dir"]),
        pages=data["pages"],
        charts=data["charts"],
        files=data["files"],
        warnings=warnings_from_json(data["warnings"]),
        timings={"unchanged": seconds},
        summary=dict(data["summary"]),
    )


def file_line(entry: Mapping[str, Any]) -> str:
    """Return one data file's line of a build's or check's output: what it was read as."""
    if entry.get("skipped"):
        return f"{entry['file']}: skipped ([[data.files]] skip = true)"
    channels = ", ".join(entry.get("channels") or []) or "—"
    parts = [f"platform {entry.get('platform') or '—'}", f"channel {channels}"]
    if entry.get("competitors"):
        parts.append("competitors " + ", ".join(entry["competitors"]))
    total = entry.get("total_period")
    if total:
        parts.append(f"{total[0]}..{total[1]} total")
    elif entry.get("first"):
        parts.append(f"{entry['first']}..{entry['last']}")
    else:
        parts.append("no rows")
    metrics = entry.get("metrics") or []
    parts.append(f"{len(metrics)} metric{'s' if len(metrics) != 1 else ''}: " + ", ".join(metrics))
    line = f"{entry['file']}: " + "; ".join(parts)
    ignored = int(entry.get("ignored") or 0)
    if ignored:
        line += f"; {ignored} column{'s' if ignored != 1 else ''} ignored"
    return line
