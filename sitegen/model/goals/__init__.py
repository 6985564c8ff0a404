"""Goals and funnel plans evaluated against the KPI engine.

- ``evaluate_goals``: goals.md: the measure, current, forecast, status, run rate, drivers.
- ``evaluate_plans``: the reverse funnel (seed 004) next to the actual monthly funnel.

Pure: no I/O, no clock; the as-of date is an argument. goals.toml is parsed by
``sitegen.config.goals`` into ``sitegen.model.specs``. User docs: docs/goals.md.
"""

from .context import MEASURES, GoalSettings
from .drivers import Driver
from .evaluate import GoalResult, evaluate_goals
from .plans import PlanMonth, PlanResult, evaluate_plans, implied_funnel
from .protocols import CatalogueInfo, GoalEngine, KpiInfo
from .status import STATUSES
from .trend import Fit, theil_sen

__all__ = [
    "MEASURES",
    "STATUSES",
    "CatalogueInfo",
    "Driver",
    "Fit",
    "GoalEngine",
    "GoalResult",
    "GoalSettings",
    "KpiInfo",
    "PlanMonth",
    "PlanResult",
    "evaluate_goals",
    "evaluate_plans",
    "implied_funnel",
    "theil_sen",
]
