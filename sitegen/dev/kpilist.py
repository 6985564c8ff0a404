"""The KPI catalogue as a listing (``sitegen kpis``): what exists, and what a project can give.

Without a project: every built-in KPI (id, formula, unit, better) and every base metric.
With a project: its custom KPIs too, which KPIs its data can give, and for the others the
metrics the data lacks, so the user knows which export to add.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.config.project import load_project
from sitegen.model.catalogue import Catalogue, builtin
from sitegen.model.engine import Engine


@dataclass(frozen=True)
class KpiRow:
    """One KPI of the listing."""

    id: str
    label: str
    formula: str
    unit: str
    better: str
    family: str
    builtin: bool
    missing: tuple[str, ...] | None = None  # None: no project; () available

    def to_json(self) -> dict[str, Any]:
        """Return the row as JSON-ready data."""
        out: dict[str, Any] = {
            "id": self.id,
            "label": self.label,
            "formula": self.formula,
            "unit": self.unit,
            "better": self.better,
            "family": self.family,
            "builtin": self.builtin,
        }
        if self.missing is not None:
            out["available"] = not self.missing
            out["missing"] = list(self.missing)
        return out


@dataclass(frozen=True)
class MetricRow:
    """One base metric of the listing."""

    id: str
    label: str
    kind: str
    unit: str
    present: bool | None = None  # None: no project

    def to_json(self) -> dict[str, Any]:
        """Return the row as JSON-ready data."""
        out: dict[str, Any] = {"id": self.id, "label": self.label, "kind": self.kind}
        out["unit"] = self.unit
        if self.present is not None:
            out["present"] = self.present
        return out


@dataclass
class Listing:
    """The catalogue as rows, for one project or none."""

    kpis: list[KpiRow]
    metrics: list[MetricRow]
    project: str | None = None
    locale: str = "en"

    def to_json(self) -> dict[str, Any]:
        """Return the listing as JSON-ready data."""
        return {
            "project": self.project,
            "kpis": [k.to_json() for k in self.kpis],
            "metrics": [m.to_json() for m in self.metrics],
        }


def listing(catalogue: Catalogue | None = None, engine: Any = None, locale: str = "en") -> Listing:
    """Return the catalogue's KPIs and metrics; with an engine, what its data can give."""
    cat = catalogue or builtin()
    kpis = [
        KpiRow(
            id=k.id,
            label=k.label(locale),
            formula=k.formula.text,
            unit=k.unit,
            better=k.better,
            family=k.family,
            builtin=k.builtin,
            missing=None if engine is None else tuple(engine.missing_inputs(k.id)),
        )
        for k in cat.kpis.values()
    ]
    metrics = [
        MetricRow(
            id=m.id,
            label=m.label(locale),
            kind=m.kind,
            unit=m.unit,
            present=None if engine is None else engine.available(m.id),
        )
        for m in cat.metrics.values()
    ]
    return Listing(kpis, metrics, locale=locale)


def project_listing(root: Path) -> Listing:
    """Return the listing for a project: load it, read its data; raise SitegenError."""
    project = load_project(root)
    cfg = project.config
    dataset = project.read_data()
    engine = Engine(dataset.frame, project.catalogue, dataset.totals)
    out = listing(project.catalogue, engine, cfg.locale)
    out.project = cfg.name
    return out


def _table(rows: list[tuple[str, ...]], indent: str = "") -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        (indent + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True))).rstrip()
        for r in rows
    ]


def listing_text(lst: Listing) -> list[str]:
    """Return the listing as aligned plain-text lines."""
    # The formula last: its width varies most, the other columns stay aligned and short.
    head = ("id", "unit", "better", "formula")
    lines: list[str] = []
    if lst.project is None:
        lines.append(f"KPIs ({len(lst.kpis)}):")
        lines += _table([head, *((k.id, k.unit, k.better, k.formula) for k in lst.kpis)], "  ")
        lines.append("")
        lines.append(f"Metrics, the columns of the data ({len(lst.metrics)}):")
        lines += _table(
            [("id", "kind", "unit"), *((m.id, m.kind, m.unit) for m in lst.metrics)], "  "
        )
        return lines
    have = [k for k in lst.kpis if not k.missing]
    lack = [k for k in lst.kpis if k.missing]
    present = [m.id for m in lst.metrics if m.present]
    lines.append(f"{lst.project}: {len(have)} of {len(lst.kpis)} KPIs available from the data")
    lines.append("  metrics in the data: " + (", ".join(present) or "none"))
    lines.append("")
    lines.append(f"Available ({len(have)}):")
    if have:
        lines += _table([head, *((k.id, k.unit, k.better, k.formula) for k in have)], "  ")
    lines.append("")
    lines.append(f"Not available ({len(lack)}):")
    if lack:
        lines += _table(
            [
                ("id", "the data lacks", "formula"),
                *((k.id, ", ".join(k.missing or ()), k.formula) for k in lack),
            ],
            "  ",
        )
    return lines
