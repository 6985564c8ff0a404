"""What a goal needs from now on: the run rate, the pace line, and whether it looks unrealistic."""

from __future__ import annotations

from datetime import date, timedelta

from sitegen.errors import SitegenWarning
from sitegen.model.periods import Period, bucket_end, bucket_label, bucket_start

from .context import GoalContext
from .forecast import Projection
from .status import fmt, meets
from .trend import is_full, segments, units

UNREALISTIC_FACTOR = 2.0  # needing more than twice the best window so far looks unrealistic
REST_OF_WINDOW = "rest_of_window"


def run_rate(
    c: GoalContext, current: float | None, baseline: float | None, target: float, proj: Projection
) -> tuple[float | None, str | None, bool]:
    """Return what the rest of the window must average, its unit, and whether it can.

    goals.md section 4: None and reachable False when no value the KPI can take would do.
    """
    spec = c.spec
    if c.done:
        return None, None, meets(current, target, c.better)
    if spec.per is not None:
        return target, spec.per, True  # every remaining whole bucket must reach the target
    after = max(c.as_of, spec.start - timedelta(days=1))
    remaining = units(Period(after + timedelta(days=1), spec.deadline), c.grain)
    if c.measure == "total":
        left = target - (current or 0.0)
        if c.higher:
            return max(0.0, left) / remaining, c.grain, True
        if left < 0:
            return None, None, False  # a ceiling already passed
        return left / remaining, c.grain, True  # at most this much a bucket from now on
    if c.measure == "level":
        level = current if current is not None else baseline
        if level is None:
            return None, None, True
        step = (target - level) / remaining
        # The change still needed towards the target, a bucket at a time (0 once it is met).
        return (max(0.0, step) if c.higher else max(0.0, -step)), c.grain, True
    if c.as_of < spec.start:
        return target, REST_OF_WINDOW, True
    if current is None:
        return None, None, True
    left = c.days_left
    if proj.parts is not None:
        # The rest of the window brings the recent denominator rate x days left; its ratio
        # must pull the whole window's ratio to the target.
        p = proj.parts
        rest = p.denominator_rate * left
        if rest <= 0:
            return None, None, False
        needed = target + (target - current) * p.denominator / rest
    else:
        observed = c.observed
        assert observed is not None
        needed = target + (target - current) * observed.days / left
    # A cost, a rate or a time cannot go below zero; a share cannot pass 100 % (catalogue
    # `range`): a needed value outside what the KPI can take means the goal is out of reach.
    low, high = c.bounds if c.bounds is not None else (0.0, float("inf"))
    if not low <= needed <= high:
        return None, None, False
    return needed, REST_OF_WINDOW, True


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
    c: GoalContext,
    target: float,
    needed: float | None,
    unit: str | None,
    status: str,
    reachable: bool,
) -> SitegenWarning | None:
    """Warn when the goal can no longer be reached, or needs far more than the best bucket."""
    spec = c.spec
    if status in ("achieved", "missed") or (c.cumulative and not c.higher):
        return None
    if not reachable:
        return c.warning(
            f'goal "{spec.id}" can no longer be reached: no value of {spec.kpi} over the rest '
            f"of the window would bring it to {fmt(target)} by {spec.deadline.isoformat()}",
            "a later deadline or a less ambitious target would make it reachable",
            "goal-unrealistic",
        )
    if c.cumulative or unit == REST_OF_WINDOW:
        if needed is None:
            return None
        value = needed
    else:
        value = target
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
