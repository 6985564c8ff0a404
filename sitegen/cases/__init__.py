"""cases.toml: campaign cases, published references and industry benchmarks (config side).

- ``sitegen.cases.spec``: validate cases.toml (all problems at once, like goals.toml).
- ``parse_cases_doc``: the specs of a project's parsed cases.toml (none without the file).

The evaluation is ``sitegen.model.cases``; the pages are
``sitegen.present.site.sections.comparisons``.
User docs: docs/cases.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sitegen.errors import SitegenWarning

from .spec import CasesSpec, parse_cases

__all__ = ["parse_cases_doc"]


def parse_cases_doc(
    doc: Mapping[str, Any] | None, known_kpis: set[str]
) -> tuple[CasesSpec, list[SitegenWarning]]:
    """Return the specs of a parsed cases.toml; no file means no cases."""
    if doc is None:
        return CasesSpec(), []
    return parse_cases(doc, known_kpis=known_kpis)
