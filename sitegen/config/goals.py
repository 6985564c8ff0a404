"""Parse and validate goals.toml: SMART goals ([[goals]]) and reverse-funnel plans ([[plans]]).

Every problem in the file is collected first and raised together, each naming the goal
(``goals[1] (er-35).deadline``: the second ``[[goals]]`` table, id er-35), what was expected
and what was found. Unknown keys are warnings with a did-you-mean hint.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sitegen.config.limits import DEFAULT_LIMITS, check_count
from sitegen.config.schema import (
    ID_EXPECTED,
    Checker,
    Field,
    keys,
    known_kpi,
    non_negative,
    positive,
)
from sitegen.config.values import parse_share, show
from sitegen.errors import SitegenWarning
from sitegen.model.periods import Period, buckets
from sitegen.model.specs import GoalSpec, PlanSpec
from sitegen.model.values import did_you_mean

PERS = ("week", "month", "quarter", "year")
# Words people write for a key that difflib cannot match by spelling.
_SYNONYMS = {
    "end": "deadline",
    "due": "deadline",
    "by": "deadline",
    "until": "deadline",
    "date": "deadline",
    "from": "start",
    "begin": "start",
    "metric": "kpi",
    "name": "title",
    "goal": "target",
    "value": "target",
    "increase": "change",
    "growth": "change",
    "channels": "channel",
    "revenue": "revenue_target",
    "aov": "average_order",
    "average_check": "average_order",
    "price": "average_order",
    "conversion": "lead_to_customer",
    "conversion_rate": "lead_to_customer",
    "spend": "budget",
}

# --- the schema of goals.toml ---------------------------------------------------------------

_CHANNEL = "a channel name such as instagram"
ID = Field(
    "id",
    "other",
    ID_EXPECTED,
    doc="Letters, digits, `-` and `_`; names the goal's page.",
    default_doc="the title, made a slug",
)
GOAL = (
    ID,
    Field(
        "title",
        "text",
        "a short text saying what the goal is",
        required=True,
        doc="What the goal is, in a few words.",
    ),
    Field("description", "text", "a text", "", doc="A longer text shown on the goal's page."),
    Field(
        "kpi",
        "text",
        "a KPI id such as leads or engagement_rate",
        required=True,
        validate=known_kpi,
        doc="The KPI (built-in, custom or a base metric) the goal is measured by.",
    ),
    Field("channel", "text", _CHANNEL, doc="One channel; without it, all channels together."),
    Field(
        "target",
        "number",
        "a number, such as 5.2",
        doc="The value to reach (or stay under, for a lower-is-better KPI).",
        default_doc="one of target and change is required",
    ),
    Field(
        "change",
        "other",
        'a signed percentage such as "+35%" or "-10%"',
        doc="The change to reach, relative to the baseline.",
        default_doc="one of target and change is required",
    ),
    Field(
        "baseline",
        "number",
        "a number, such as 3.9",
        doc="The value the goal starts from.",
        default_doc="the KPI over `baseline_period`, else the same span before `start`",
    ),
    Field(
        "baseline_period",
        "period",
        "a table: { start = 2025-01-01, end = 2025-03-31 }",
        doc="The period the baseline is measured over.",
        default_doc="the same span right before `start`",
    ),
    Field(
        "start",
        "day",
        "a date such as 2025-04-30",
        required=True,
        hint="the first day the goal counts, e.g. start = 2025-01-01",
        doc="The first day the goal counts.",
    ),
    Field(
        "deadline",
        "day",
        "a date such as 2025-04-30",
        required=True,
        hint="a SMART goal is time-bound: say by when, e.g. deadline = 2025-04-30",
        doc="The last day the goal counts.",
    ),
    Field(
        "per",
        "other",
        "one of: " + ", ".join(PERS),
        doc="Measure the goal per week, month, quarter or year: current is the latest whole"
        " one in the window.",
        default_doc="none: the whole window",
    ),
)
PLAN = (
    ID,
    Field(
        "title",
        "text",
        "a short text saying what the plan is",
        required=True,
        doc="What the plan is, in a few words.",
    ),
    Field("description", "text", "a text", "", doc="A longer text shown on the plan's page."),
    Field("channel", "text", _CHANNEL, doc="One channel; without it, all channels together."),
    Field(
        "revenue_target",
        "number",
        "a positive number: the revenue wanted per month",
        required=True,
        validate=positive,
        doc="The revenue wanted per month.",
    ),
    Field(
        "average_order",
        "number",
        "a positive number: the revenue of one customer's order",
        required=True,
        validate=positive,
        doc="The revenue of one customer's order.",
    ),
    Field(
        "lead_to_customer",
        "other",
        'a share of leads that become customers, such as 0.10 or "10%"',
        required=True,
        doc="The share of leads that become customers.",
    ),
    Field(
        "budget",
        "number",
        "a number of 0 or more: the monthly budget",
        validate=non_negative,
        doc="The monthly budget, for the cost per lead the plan allows.",
        default_doc="none",
    ),
)
GOAL_KEYS = keys(GOAL)
PLAN_KEYS = keys(PLAN)
TOP_KEYS = ("goals", "plans")


def _checker(file: str, known_kpis: set[str] | None) -> Checker:
    return Checker(file, synonyms=_SYNONYMS, key_names=GOAL_KEYS + PLAN_KEYS, known_kpis=known_kpis)


_G = {f.key: f for f in GOAL}
_P = {f.key: f for f in PLAN}


def _parse_goal(
    table: Mapping[str, Any], gid: str | None, where: str, n: int, check: Checker
) -> GoalSpec | None:
    before = len(check.errors)
    check.unknown_keys(table, GOAL_KEYS, where)
    title, description, kpi, channel = check.values(
        table, _G, where, "title", "description", "kpi", "channel"
    )

    target = check.value(table, _G["target"], where)
    change: float | None = None
    if "change" in table:
        change = check.change(
            table,
            "change",
            where,
            expected=_G["change"].expected,
            below_minus_100="a change below -100% makes the target negative",
            code="goal-change",
        )
    if "target" in table and "change" in table:
        check.error(
            where,
            "the goal has both a target and a change",
            expected='exactly one of target = <number> or change = "+35%"',
            found=f"target = {show(table['target'])}, change = {show(table['change'])}",
            hint="keep target for an absolute value, change for one relative to the baseline",
        )
    elif "target" not in table and "change" not in table:
        check.error(
            where,
            "the goal has no measurable target",
            expected='exactly one of target = <number> or change = "+35%"',
            found="neither",
            hint='a SMART goal is measurable: say how much, e.g. target = 500 or change = "+35%"',
        )

    baseline, baseline_period = check.values(table, _G, where, "baseline", "baseline_period")
    if baseline is not None and baseline_period is not None:
        check.warn(
            f"{where}.baseline_period",
            "baseline_period is ignored: baseline is given",
            hint="remove one of the two",
            code="goal-baseline",
        )

    start, deadline = check.values(table, _G, where, "start", "deadline")
    if start is not None and deadline is not None and deadline < start:
        check.error(
            f"{where}.deadline",
            "the deadline is before the start",
            expected=f"a date on or after the start ({start.isoformat()})",
            found=show(deadline),
        )
        deadline = None

    per: str | None = None
    if "per" in table:
        raw_per = table["per"]
        if isinstance(raw_per, str) and raw_per.strip().lower() in PERS:
            per = raw_per.strip().lower()
        else:
            per_close = did_you_mean(str(raw_per).strip().lower(), PERS)
            check.error(
                f"{where}.per",
                "unknown per",
                expected=_G["per"].expected,
                found=show(raw_per),
                hint=f"did you mean {per_close!r}?" if per_close else None,
            )
    if (
        per is not None
        and start is not None
        and deadline is not None
        and all(b.partial for b in buckets(Period(start, deadline), per))
    ):
        check.error(
            f"{where}.per",
            f"per = {per!r} but the goal window holds no whole {per}",
            expected=f"a window of at least one whole {per}",
            found=f"{start.isoformat()}..{deadline.isoformat()}",
            hint=f"with per, current is the latest whole {per} in the window",
        )
    if baseline_period is not None and start is not None and baseline_period.end >= start:
        check.warn(
            f"{where}.baseline_period",
            "the baseline period does not end before the goal starts",
            hint="a baseline is usually the period before the goal",
            code="goal-baseline",
        )

    if len(check.errors) > before or gid is None or title is None or kpi is None:
        return None
    assert start is not None and deadline is not None
    return GoalSpec(
        id=gid,
        title=title,
        kpi=kpi,
        channel=channel,
        target=target,
        change=change,
        baseline=baseline,
        baseline_period=baseline_period,
        start=start,
        deadline=deadline,
        per=per,
        description=description,
        index=n,
        file=check.file,
    )


def _parse_plan(
    table: Mapping[str, Any], pid: str | None, where: str, n: int, check: Checker
) -> PlanSpec | None:
    before = len(check.errors)
    check.unknown_keys(table, PLAN_KEYS, where)
    title, description, channel, revenue, order, budget = check.values(
        table,
        _P,
        where,
        "title",
        "description",
        "channel",
        "revenue_target",
        "average_order",
        "budget",
    )
    share: float | None = None
    expected_share = _P["lead_to_customer"].expected
    if "lead_to_customer" not in table:
        check.missing(table, "lead_to_customer", where, expected_share)
    else:
        raw = table["lead_to_customer"]
        share = parse_share(raw)
        if share is None or not 0 < share <= 1:
            hint = None
            if share is not None and 1 < share <= 100:
                hint = f'for {share:g} percent write {share / 100:g} or "{share:g}%"'
            check.error(
                f"{where}.lead_to_customer",
                "the share is out of range",
                expected=expected_share,
                found=show(raw),
                hint=hint,
            )
            share = None
    if len(check.errors) > before or pid is None or title is None:
        return None
    assert revenue is not None and order is not None and share is not None
    return PlanSpec(
        id=pid,
        title=title,
        revenue_target=revenue,
        average_order=order,
        lead_to_customer=share,
        budget=budget,
        channel=channel,
        description=description,
        index=n,
        file=check.file,
    )


def parse_goals(
    doc: Mapping[str, Any],
    *,
    file: str = "goals.toml",
    known_kpis: set[str] | None = None,
    max_goals: int = DEFAULT_LIMITS.max_goals,
) -> tuple[list[GoalSpec], list[PlanSpec], list[SitegenWarning]]:
    """Validate a parsed goals.toml; raise every problem at once, return goals, plans, warnings."""
    check_count(doc, TOP_KEYS, max_goals, "max_goals", file)
    check = _checker(file, known_kpis)
    check.unknown_keys(doc, TOP_KEYS, "")
    goals: list[GoalSpec] = []
    plans: list[PlanSpec] = []
    seen: dict[str, int] = {}
    for kind in TOP_KEYS:
        seen.clear()
        for n, table in check.entries(doc, kind):
            entry_id, where = check.entry_id(table, n, kind, fallback=f"{kind[:-1]}-{n + 1}")
            duplicate = entry_id is not None and entry_id in seen
            if entry_id is not None and duplicate:
                check.error(
                    f"{where}.id",
                    f"duplicate {kind[:-1]} id {entry_id!r}",
                    expected="a different id for each entry",
                    found=f"{kind}[{seen[entry_id]}] has the same id",
                    hint="give each an id = ... of its own",
                )
            elif entry_id is not None:
                seen[entry_id] = n
            spec: GoalSpec | PlanSpec | None
            if kind == "goals":
                spec = _parse_goal(table, entry_id, where, n, check)
            else:
                spec = _parse_plan(table, entry_id, where, n, check)
            if spec is None or duplicate:
                continue
            if isinstance(spec, GoalSpec):
                goals.append(spec)
            else:
                plans.append(spec)
    check.raise_if_any()
    return goals, plans, check.warnings
