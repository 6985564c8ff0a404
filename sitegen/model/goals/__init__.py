"""Goals and funnel plans evaluated against the KPI engine.

- ``evaluate_goals``: baseline, target, current, progress, status, forecast and run rate.
- ``evaluate_plans``: the reverse funnel (seed 004) next to the actual monthly funnel.

Pure: no I/O, no clock; the as-of date is an argument. goals.toml is parsed by
``sitegen.config.goals`` into ``sitegen.model.specs``. User docs: docs/goals.md.
"""

from .evaluate import GoalResult, evaluate_goals
from .plans import PlanMonth, PlanResult, evaluate_plans, implied_funnel
from .protocols import CatalogueInfo, GoalEngine, KpiInfo
from .status import STATUSES
from .trend import Fit, theil_sen

__all__ = [
    "STATUSES",
    "CatalogueInfo",
    "Fit",
    "GoalEngine",
    "GoalResult",
    "KpiInfo",
    "PlanMonth",
    "PlanResult",
    "evaluate_goals",
    "evaluate_plans",
    "implied_funnel",
    "theil_sen",
]
