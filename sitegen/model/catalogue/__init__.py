"""The metric and KPI catalogue: base metrics and built-in KPIs as data, plus custom KPIs.

The catalogue files (``sitegen/model/catalogue/metrics.toml`` and ``kpis.toml``) are the single
source of truth: the engine evaluates their formulas, the site shows their labels and
definitions, and the docs are generated from them.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from sitegen.errors import ConfigError, FormulaError
from sitegen.model.formula import Formula, parse

UNITS = ("count", "percent", "currency", "ratio", "minutes", "points")
BETTER = ("higher", "lower")
KINDS = ("flow", "stock", "mean")
FAMILIES = (
    "engagement",
    "reach",
    "conversion",
    "awareness",
    "customer_experience",
    "finance",
    "custom",
)
# A goal on one of these alone is a vanity goal (seeds 000 and 001).
VANITY = frozenset(
    {"likes", "followers", "impressions", "reach", "new_followers", "video_views", "posts"}
)


def _pick(texts: Mapping[str, str], locale: str) -> str:
    return texts.get(locale) or texts.get(locale.split("_")[0]) or texts.get("en") or ""


@dataclass(frozen=True)
class MetricDef:
    """A base metric: a column of the data."""

    id: str
    kind: str
    unit: str
    labels: Mapping[str, str]
    better: str = "higher"

    def label(self, locale: str = "en") -> str:
        """Return the label in locale (English when untranslated)."""
        return _pick(self.labels, locale) or self.id


@dataclass(frozen=True)
class KpiDef:
    """A KPI: a formula over base metrics and other KPIs, or a base metric used as a KPI."""

    id: str
    formula: Formula
    unit: str
    better: str
    family: str
    labels: Mapping[str, str]
    definitions: Mapping[str, str] = field(default_factory=dict)
    absent_as_zero: bool = False
    builtin: bool = True
    metric: MetricDef | None = None  # set when the KPI is a base metric itself
    # The values the KPI can take at all (kpis.toml `range`), e.g. (0, 100) for a share.
    bounds: tuple[float, float] | None = None

    def label(self, locale: str = "en") -> str:
        """Return the label in locale (English when untranslated)."""
        return _pick(self.labels, locale) or self.id

    def definition(self, locale: str = "en") -> str:
        """Return the one-line definition in locale."""
        return _pick(self.definitions, locale)


@dataclass(frozen=True)
class Catalogue:
    """Metrics and KPIs by id, custom KPIs included, in catalogue order."""

    metrics: Mapping[str, MetricDef]
    kpis: Mapping[str, KpiDef]

    @property
    def metric_kinds(self) -> dict[str, str]:
        """Return {metric id: kind} for the reader."""
        return {m.id: m.kind for m in self.metrics.values()}

    def get(self, kpi_id: str) -> KpiDef:
        """Return the KPI (or base metric as KPI) with this id; KeyError when unknown."""
        if kpi_id in self.kpis:
            return self.kpis[kpi_id]
        metric = self.metrics[kpi_id]
        return KpiDef(
            id=metric.id,
            formula=parse(metric.id),
            unit=metric.unit,
            better=metric.better,
            family="metric",
            labels=metric.labels,
            metric=metric,
        )

    def known(self) -> set[str]:
        """Return every id a formula or goal may name."""
        return set(self.metrics) | set(self.kpis)

    def order(self, kpi_id: str) -> list[str]:
        """Return kpi_id and every id it reads, each once, inputs before the KPIs using them.

        Iterative (no recursion over the KPI chain) and linear in the number of KPIs, so a
        long chain or a KPI that reads another twice (``d2 = d1 + d1``) costs one visit each.
        Unknown ids come out as leaves; cycles are refused when custom KPIs are added.
        """
        out: list[str] = []
        done: set[str] = set()
        stack: list[tuple[str, bool]] = [(kpi_id, False)]
        while stack:
            k, expanded = stack.pop()
            if k in done:
                continue
            if expanded or k not in self.kpis:
                done.add(k)
                out.append(k)
                continue
            stack.append((k, True))
            stack.extend((n, False) for n in reversed(self.kpis[k].formula.names()))
        return out

    def missing(self, kpi_id: str, present: set[str]) -> set[str]:
        """Return the base metrics the KPI needs that present lacks (unknown ids included)."""
        gaps: dict[str, set[str]] = {}
        for k in self.order(kpi_id):
            if k in self.metrics:
                gaps[k] = set() if k in present else {k}
            elif k not in self.kpis:
                gaps[k] = {k}
            else:
                d = self.kpis[k]
                parts = [gaps[n] for n in d.formula.names()]
                if d.absent_as_zero and not all(parts):
                    gaps[k] = set()  # a sum of optional parts lacks only what all parts lack
                else:
                    gaps[k] = set().union(*parts)
        return gaps[kpi_id]

    def is_additive(self, kpi_id: str) -> bool:
        """Return True when the KPI adds up over channels (flows joined by + and -)."""
        additive: dict[str, bool] = {}
        for k in self.order(kpi_id):
            if k in self.metrics:
                additive[k] = self.metrics[k].kind == "flow"
            elif k not in self.kpis or not self.kpis[k].formula.is_sum():
                additive[k] = False
            else:
                additive[k] = all(additive[n] for n in self.kpis[k].formula.names())
        return additive[kpi_id]

    def inputs(self, kpi_id: str) -> set[str]:
        """Return the base metrics a KPI ultimately reads."""
        out: set[str] = set()
        stack = [kpi_id]
        seen: set[str] = set()
        while stack:
            k = stack.pop()
            if k in seen:
                continue
            seen.add(k)
            if k in self.metrics:
                out.add(k)
            elif k in self.kpis:
                stack.extend(self.kpis[k].formula.names())
        return out


def _load_toml(name: str) -> dict[str, Any]:
    text = resources.files("sitegen.model.catalogue").joinpath(name).read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def builtin() -> Catalogue:
    """Return the built-in catalogue (metrics.toml and kpis.toml)."""
    metrics = {
        mid: MetricDef(
            mid, d["kind"], d.get("unit", "count"), d.get("label", {}), d.get("better", "higher")
        )
        for mid, d in _load_toml("metrics.toml").items()
    }
    kpis: dict[str, KpiDef] = {}
    for kid, d in _load_toml("kpis.toml").items():
        kpis[kid] = KpiDef(
            id=kid,
            formula=parse(d["formula"], where=f"kpis.{kid}.formula"),
            unit=d["unit"],
            better=d["better"],
            family=d["family"],
            labels=d.get("label", {}),
            definitions=d.get("definition", {}),
            absent_as_zero=bool(d.get("absent_as_zero", False)),
            bounds=(float(d["range"][0]), float(d["range"][1])) if "range" in d else None,
        )
    return Catalogue(metrics, kpis)


@dataclass(frozen=True)
class CustomKpi:
    """A custom KPI as written in sitegen.toml's [[kpis]]."""

    id: str
    label: str
    formula: str
    unit: str
    better: str
    definition: str = ""
    index: int = 0


def with_custom(base: Catalogue, custom: Iterable[CustomKpi], file: str) -> Catalogue:
    """Return the catalogue with custom KPIs added; raise on bad formulas or cycles."""
    kpis = dict(base.kpis)
    parsed: dict[str, KpiDef] = {}
    for c in custom:
        where = f"kpis[{c.index}] ({c.id}).formula"
        if c.id in base.metrics or c.id in base.kpis:
            raise ConfigError(
                f"custom KPI id {c.id!r} is already a built-in metric or KPI",
                file=file,
                key=f"kpis[{c.index}].id",
                hint="choose another id; built-in KPIs need no [[kpis]] entry",
            )
        try:
            formula = parse(c.formula, where=where)
        except FormulaError as exc:
            raise exc.with_file(file) from None
        parsed[c.id] = KpiDef(
            id=c.id,
            formula=formula,
            unit=c.unit,
            better=c.better,
            family="custom",
            labels={"en": c.label},
            definitions={"en": c.definition or f"{c.label} = {c.formula}"},
            builtin=False,
        )
    kpis.update(parsed)
    cat = Catalogue(base.metrics, kpis)
    known = cat.known()
    for c in custom:
        try:
            parsed[c.id].formula.check_names(known, where=f"kpis[{c.index}] ({c.id}).formula")
        except FormulaError as exc:
            raise exc.with_file(file) from None
    _check_cycles(parsed, file)
    return cat


def _check_cycles(custom: Mapping[str, KpiDef], file: str) -> None:
    # Depth-first search over custom KPIs only (built-ins cannot refer to custom ones), with
    # an explicit stack: a chain of thousands of KPIs must not exhaust Python's recursion.
    state: dict[str, int] = {}

    def deps(k: str) -> list[str]:
        return [n for n in custom[k].formula.names() if n in custom]

    for root in custom:
        if root in state:
            continue
        state[root] = 1
        path = [root]
        stack = [iter(deps(root))]
        while stack:
            name = next(stack[-1], None)
            if name is None:
                stack.pop()
                state[path.pop()] = 2
                continue
            if state.get(name) == 1:
                cycle = [*path[path.index(name) :], name]
                raise FormulaError(
                    "custom KPIs refer to each other in a cycle: " + " -> ".join(cycle),
                    file=file,
                    key=f"kpis ({path[-1]}).formula",
                    hint="a KPI cannot depend on itself, directly or through others",
                )
            if state.get(name) is None:
                state[name] = 1
                path.append(name)
                stack.append(iter(deps(name)))
