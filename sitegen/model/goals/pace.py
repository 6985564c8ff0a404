"""What a goal needs from now on: the run rate, the pace line, and whether it looks unrealistic."""

from __future__ import annotations

from datetime import date, timedelta

from sitegen.errors import SitegenWarning
from sitegen.model.periods import Period, bucket_end, bucket_label, bucket_start

from .context import GoalContext
from .status import fmt
from .trend import is_full, segments, units

UNREALISTIC_FACTOR = 2.0  # needing more than twice the best window so far looks unrealistic
REST_OF_WINDOW = "rest_of_window"


def _ratio_of_flows(c: GoalContext) -> bool:
    """Return True for a ratio whose parts all add up over time (ER, CTR, CPL, ROI ...)."""
    cat = c.engine.catalogue
    kinds = cat.metric_kinds
    if c.additive or c.spec.kpi in kinds:
        return False
    parts = cat.inputs(c.spec.kpi)
    return bool(parts) and all(kinds.get(m) == "flow" for m in parts)


def run_rate(
    c: GoalContext, current: float | None, baseline: float | None, target: float
) -> tuple[float | None, str | None]:
    """Return what is needed from as of to the deadline, and its unit (docs/goals.md)."""
    spec = c.spec
    if c.as_of >= spec.deadline:
        return None, None
    if spec.per is not None:
        return target, spec.per  # every remaining whole per-bucket must reach the target
    after = max(c.as_of, spec.start - timedelta(days=1))
    remaining = units(Period(after + timedelta(days=1), spec.deadline), c.grain)
    if c.cumulative:
        return max(0.0, (target - (current or 0.0)) / remaining), c.grain
    if c.engine.catalogue.metric_kinds.get(spec.kpi) == "stock":
        level = current if current is not None else baseline
        if level is None:
            return None, None
        step = (target - level) / remaining
        return (max(0.0, step) if c.higher else min(0.0, step)), c.grain
    if _ratio_of_flows(c):
        if c.as_of < spec.start:
            return target, REST_OF_WINDOW
        if current is None:
            return None, None
        # Assume the denominator keeps flowing at its rate so far: then the window's ratio is
        # the days-weighted mean of the part so far and the rest.
        elapsed = (c.as_of - spec.start).days + 1
        rest = (spec.deadline - c.as_of).days
        return target + (target - current) * elapsed / rest, REST_OF_WINDOW
    return None, None


def pace_line(c: GoalContext, baseline: float | None, target: float) -> list[tuple[date, float]]:
    """Return the pace line: from the baseline (0 for totals) to the target, at bucket ends."""
    w = c.spec.window
    if c.cumulative:
        first = 0.0
    elif baseline is None:
        return []
    else:
        first = baseline
    out = [(w.start, first)]
    for _, part, _ in segments(w.start - timedelta(days=1), w.end, c.grain):
        elapsed = (part.end - w.start).days + 1
        out.append((part.end, first + (target - first) * elapsed / w.days))
    out[-1] = (w.end, target)
    return out


def _best(c: GoalContext, grain: str) -> tuple[float, Period] | None:
    """Return the best whole-bucket value in the history up to as of, and its bucket."""
    span = c.engine.span
    if span is None or c.as_of < span.start:
        return None
    # Monthly rows are dated the 1st: widen the data's span to whole buckets (still <= as of).
    first = bucket_start(span.start, grain)
    history = Period(
        first, max(first, min(c.as_of, bucket_end(bucket_start(span.end, grain), grain)))
    )
    best: tuple[float, Period] | None = None
    for p, v in c.engine.series(c.spec.kpi, grain, history, c.channels):
        if v is None or not is_full(p, grain):
            continue
        if best is None or (v > best[0] if c.higher else v < best[0]):
            best = (v, p)
    return best


def unrealistic_warning(
    c: GoalContext, target: float, needed: float | None, unit: str | None, status: str
) -> SitegenWarning | None:
    """Warn when the goal needs far more than the best bucket in the history."""
    spec = c.spec
    if status in ("achieved", "missed") or (c.cumulative and not c.higher):
        return None
    if c.cumulative or unit == REST_OF_WINDOW:
        if needed is None:
            return None
        value = needed
    else:
        value = target
    if unit == REST_OF_WINDOW and not c.higher and value <= 0:
        # A cost or rate cannot go below zero: what is done so far already rules the goal out.
        return c.warning(
            f'goal "{spec.id}" can no longer be reached: the rest of the window would need '
            f"{spec.kpi} of {fmt(value)}",
            "a later deadline or a less ambitious target would make it reachable",
            "goal-unrealistic",
        )
    found = _best(c, c.grain)
    if found is None:
        return None
    best, bucket = found
    label = bucket_label(bucket.start, c.grain)
    if best <= 0:
        return None
    if c.cumulative:
        what = f"{fmt(value)} {spec.kpi} a {c.grain} from now on"
    elif unit == REST_OF_WINDOW:
        what = f"{spec.kpi} of {fmt(value)} for the rest of the window"
    else:
        what = f"{spec.kpi} of {fmt(value)}"
    hint = (
        "ambitious goals are fine, but unrealistic ones demotivate (seeds 000, 001); "
        "check the target and the deadline"
    )
    if c.higher and value > UNREALISTIC_FACTOR * best:
        return c.warning(
            f'goal "{spec.id}" looks unrealistic: it needs {what}, more than '
            f"twice the best {c.grain} so far ({fmt(best)} in {label})",
            hint,
            "goal-unrealistic",
        )
    if not c.higher and value < best / UNREALISTIC_FACTOR:
        return c.warning(
            f'goal "{spec.id}" looks unrealistic: it needs {what}, less than '
            f"half the best {c.grain} so far ({fmt(best)} in {label})",
            hint,
            "goal-unrealistic",
        )
    return None
