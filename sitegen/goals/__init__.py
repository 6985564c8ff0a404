"""Goals and funnel plans: parse goals.toml, then evaluate it against the KPI engine.

- ``parse_goals``: validate the SMART goals and plans of goals.toml (all problems at once).
- ``evaluate_goals``: baseline, target, current, progress, status, forecast and run rate.
- ``evaluate_plans``: the reverse funnel (seed 004) next to the actual monthly funnel.

Pure: no I/O, no clock; the as-of date is an argument. User docs: docs/goals.md.
"""

from .evaluate import STATUSES, GoalResult, evaluate_goals
from .plans import PlanMonth, PlanResult, evaluate_plans, implied_funnel
from .protocols import CatalogueInfo, GoalEngine, KpiInfo
from .spec import GoalSpec, PlanSpec, parse_goals
from .trend import Fit, theil_sen

__all__ = [
    "STATUSES",
    "CatalogueInfo",
    "Fit",
    "GoalEngine",
    "GoalResult",
    "GoalSpec",
    "KpiInfo",
    "PlanMonth",
    "PlanResult",
    "PlanSpec",
    "evaluate_goals",
    "evaluate_plans",
    "implied_funnel",
    "parse_goals",
    "theil_sen",
]
