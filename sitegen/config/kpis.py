"""Declare the [[kpis]] tables of sitegen.toml: the client's own KPIs, defined by formulas."""

from __future__ import annotations

import re
from typing import Any

from sitegen.config.schema import Checker, Field, Invalid
from sitegen.config.values import show
from sitegen.model.catalogue import BETTER, UNITS, CustomKpi

_KPI_ID = re.compile(r"^[a-z_][a-z0-9_]*$")


def _kpi_id(value: str, check: Checker, path: str) -> str:
    if not _KPI_ID.match(value):
        raise Invalid(
            "not a valid KPI id",
            expected="lower-case letters, digits and _ (starting with a letter)",
        )
    return value


def _unit(value: str, check: Checker, path: str) -> str:
    if value not in UNITS:
        raise Invalid("unknown unit")
    return value


def _better(value: str, check: Checker, path: str) -> str:
    if value not in BETTER:
        raise Invalid("unknown direction")
    return value


KPI = (
    Field(
        "id",
        "string",
        "an id such as 'cost_per_save'",
        required=True,
        validate=_kpi_id,
        doc="Lower-case letters, digits and `_`, starting with a letter; not a built-in id.",
    ),
    Field(
        "formula",
        "string",
        "a formula such as 'spend / saves'",
        required=True,
        doc=(
            "Arithmetic on metric and KPI ids: `+ - * / ( )`, numbers, `start(metric)`, "
            "`avg(metric)` (a stock's daily average)."
        ),
    ),
    Field(
        "label",
        "string",
        "a label such as 'Cost per save'",
        doc="The KPI's name in the report.",
        default_doc="the id",
    ),
    Field(
        "unit",
        "string",
        " | ".join(UNITS),
        "ratio",
        validate=_unit,
        doc="`count`, `percent`, `currency`, `ratio`, `minutes` or `points`. A percent formula"
        " multiplies by 100 itself.",
    ),
    Field(
        "better",
        "string",
        "higher | lower",
        "higher",
        validate=_better,
        doc="`higher` or `lower`: which way is good, for colours and goals.",
    ),
    Field(
        "definition",
        "string",
        "a one-line definition",
        "",
        doc="One line shown under the KPI.",
        default_doc="`label = formula`",
    ),
)


def read_kpis(check: Checker, tables: list[Any]) -> tuple[CustomKpi, ...]:
    """Return the valid [[kpis]] tables of sitegen.toml as custom KPIs; record the problems."""
    custom: list[CustomKpi] = []
    for i, k in enumerate(tables):
        if not isinstance(k, dict):
            check.error(f"kpis[{i}]", "wrong type", expected="a [[kpis]] table", found=show(k))
            continue
        v = check.read(k, KPI, f"kpis[{i}]")
        kid, formula = v["id"], v["formula"]
        if kid is not None and formula is not None:
            label = v["label"] or kid
            custom.append(
                CustomKpi(kid, label, formula, v["unit"], v["better"], v["definition"], i)
            )
    ids = [k.id for k in custom]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        check.error("kpis", f"the KPI id {dup!r} is defined twice", expected="unique ids")
    return tuple(custom)
