"""A goal in words (goals.md section 4 and 5): its verdict and why, progress, run rate, measure.

``goal_verdict`` is the one place the "why" sentence is made: the goal cards and pages use it,
and so can the overview. Every string goes through gettext (ru, lv in sitegen/locales/).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sitegen.model.catalogue import Catalogue
from sitegen.model.explain import ratio_shape
from sitegen.model.formula import Name
from sitegen.model.goals import Driver, GoalResult
from sitegen.present.i18n.format import Formatter
from sitegen.present.i18n.gettext import N_, gettext, ngettext
from sitegen.present.site.labels import status_text

WHY = ("not_enough_data", "missed", "on_track", "at_risk", "off_track")
# One line each, so that the extractor finds them (it does not join split literals).
RATIO_ROSE = N_(
    "%(kpi)s on %(channel)s rose from %(before)s to %(after)s; it has %(w1)s of the %(base)s"
)
RATIO_FELL = N_(
    "%(kpi)s on %(channel)s fell from %(before)s to %(after)s; it has %(w1)s of the %(base)s"
)
# Translators: the mix effect: a channel's share of the ratio's denominator changed.
MIX = N_("%(channel)s went from %(w0)s to %(w1)s of the %(base)s, at %(kpi)s of %(after)s")
LEVEL = N_("%(change)s since the start against %(pace)s expected by now; %(weekly)s a week needed")
DONE = N_("%(current)s at the deadline, against a target of %(target)s")
PACE = N_("%(current)s so far; at the recent pace it ends at %(forecast)s, target %(target)s")


@dataclass(frozen=True)
class Verdict:
    """A goal's status in words and the sentence that says why."""

    status: str
    label: str  # "At risk"
    why: str | None  # "At risk: ...", None when achieved or not started


@dataclass(frozen=True)
class ProgressText:
    """The progress bar's fill (0-1) and what its text says."""

    bar: float
    label: str  # which kind of progress; empty when the text says it all
    text: str  # "46 %", "beaten by 12", "3.2 % further from the target than at the start"


def _kpi(g: GoalResult, locale: str) -> str:
    return g.kpi.label(locale)


def _denominator(g: GoalResult, catalogue: Catalogue | None, locale: str) -> str | None:
    """Return the label of a ratio KPI's denominator ("leads" for CPL), lower-cased."""
    if catalogue is None or g.spec.kpi not in catalogue.kpis:
        return None
    shape = ratio_shape(catalogue.get(g.spec.kpi))
    if shape is None or not isinstance(shape.denominator, Name):
        return None
    try:
        return catalogue.get(shape.denominator.name).label(locale).lower()
    except KeyError:
        return None


def _ratio_why(
    g: GoalResult,
    d: Driver,
    fmt: Formatter,
    locale: str,
    catalogue: Catalogue | None,
    name: Callable[[str], str] = str,
) -> str | None:
    if d.rate_effect is None or d.mix_effect is None or d.value is None:
        return None
    kpi, unit = _kpi(g, locale), g.unit
    base = _denominator(g, catalogue, locale)
    values = {
        "channel": name(d.channel),
        "kpi": kpi,
        "before": fmt.value(d.base_value, unit),
        "after": fmt.value(d.value, unit),
        "w0": fmt.percent((d.base_weight or 0.0) * 100, 0),
        "w1": fmt.percent(d.weight * 100 if d.weight is not None else None, 0),
        "base": base or gettext(locale, "volume"),
        "overall": fmt.value(g.current, unit),
    }
    if len(g.drivers) == 1 and d.base_value is not None:
        msg = gettext(
            locale, "%(kpi)s went from %(before)s to %(after)s, against a target of %(target)s"
        )
        return msg % {**values, "target": fmt.value(g.target, unit)}
    if abs(d.rate_effect) >= abs(d.mix_effect) and d.base_value is not None:
        msg = gettext(locale, RATIO_ROSE if d.value > d.base_value else RATIO_FELL)
        return msg % values
    return gettext(locale, MIX) % values


def _pace_why(g: GoalResult, fmt: Formatter, locale: str) -> str:
    return gettext(locale, PACE) % {
        "current": fmt.value(g.current, g.unit),
        "forecast": fmt.value(g.forecast, g.unit),
        "target": fmt.value(g.target, g.unit),
    }


def _total_why(g: GoalResult, fmt: Formatter, locale: str, name: Callable[[str], str] = str) -> str:
    text = gettext(locale, "%(current)s so far against %(pace)s expected by now") % {
        "current": fmt.value(g.current, g.unit),
        "pace": fmt.value(g.pace_value, g.unit),
    }
    behind = [d for d in g.drivers if d.gap is not None and d.value is not None]
    if g.status != "missed" and behind and len(g.drivers) > 1:
        d = behind[0]
        text += "; " + gettext(
            locale, "%(channel)s brings %(rate)s a day, %(needed)s a day are needed from it"
        ) % {
            "channel": name(d.channel),
            "rate": fmt.number(d.value),
            "needed": fmt.number(d.needed),
        }
    elif g.status != "missed" and g.pace_rate is not None and g.run_rate_needed is not None:
        days = max(1, (g.spec.deadline - (g.as_of or g.spec.deadline)).days)
        needed = max(0.0, g.target - (g.current or 0.0)) / days
        text += "; " + gettext(locale, "%(rate)s a day recently, %(needed)s a day needed") % {
            "rate": fmt.number(g.pace_rate),
            "needed": fmt.number(needed),
        }
    return text


def _signed(fmt: Formatter, x: float, unit: str) -> str:
    """Return a change with its sign: +150, -20 (the minus is the locale's)."""
    text = fmt.value(x, unit)
    return f"+{text}" if x > 0 and not text.startswith("+") else text


def _level_why(g: GoalResult, fmt: Formatter, locale: str) -> str | None:
    if g.current is None or g.pace_value is None or not g.pace:
        return None
    first = g.pace[0][1]
    weeks = max(1.0, (g.spec.deadline - (g.as_of or g.spec.deadline)).days / 7)
    weekly = max(0.0, (g.target - g.current) if g.better != "lower" else (g.current - g.target))
    return gettext(locale, LEVEL) % {
        "change": _signed(fmt, g.current - first, g.unit),
        "pace": _signed(fmt, g.pace_value - first, g.unit),
        "weekly": fmt.value(weekly / weeks, g.unit),
    }


def _per_why(g: GoalResult, fmt: Formatter, locale: str) -> str:
    text = gettext(locale, "%(current)s in the latest whole period against %(target)s") % {
        "current": fmt.value(g.current, g.unit),
        "target": fmt.value(g.target, g.unit),
    }
    met = buckets_text(g, locale)
    return f"{text}; {met}" if met else text


def goal_verdict(
    g: GoalResult,
    fmt: Formatter,
    locale: str,
    catalogue: Catalogue | None = None,
    name: Callable[[str], str] = str,
) -> Verdict:
    """Return the goal's status label and, unless achieved or not started, why, in a sentence.

    name gives a channel's display name ([channels.<id>] label, a platform's name).
    """
    label = status_text(locale, g.status)
    if g.status not in WHY:
        return Verdict(g.status, label, None)
    if g.status == "not_enough_data":
        return Verdict(
            g.status,
            label,
            gettext(locale, "%(status)s: a forecast needs 14 days of data in the goal window")
            % {"status": label}
            + ".",
        )
    reason: str | None = None
    first = g.drivers[0] if g.drivers else None
    if g.status == "missed":
        # The window is over: what it came to, and for a ratio which channel moved it.
        if g.measure == "window_ratio" and first is not None:
            reason = _ratio_why(g, first, fmt, locale, catalogue, name)
        if reason is None:
            reason = gettext(locale, DONE) % {
                "current": fmt.value(g.current, g.unit),
                "target": fmt.value(g.target, g.unit),
            }
    elif g.measure == "window_ratio" and first is not None:
        reason = _ratio_why(g, first, fmt, locale, catalogue, name)
    elif g.measure == "total":
        reason = _total_why(g, fmt, locale, name)
    elif g.measure == "per_period":
        reason = _per_why(g, fmt, locale)
    elif g.measure == "level" and g.status != "missed":
        reason = _level_why(g, fmt, locale)
    if reason is None:
        reason = _pace_why(g, fmt, locale)
    if not g.reachable and g.status != "missed":
        reason += ". " + gettext(locale, "It can no longer be reached by the deadline")
    return Verdict(g.status, label, f"{label}: {reason}.")


def progress_text(g: GoalResult, fmt: Formatter, locale: str) -> ProgressText:
    """Return the clamped bar and the words for a goal's progress (never a negative %)."""
    if g.measure == "total" or (g.measure == "level" and g.baseline is None):
        value, label = g.share_of_target, gettext(locale, "Share of the target reached")
    else:
        value, label = g.progress, gettext(locale, "Share of the way from baseline to target")
    if value is None:
        return ProgressText(0.0, label, fmt.percent(None))
    if value >= 1 and g.current is not None and g.current != g.target:
        beaten = fmt.value(abs(g.current - g.target), g.unit)
        return ProgressText(1.0, "", gettext(locale, "Target beaten by %(n)s") % {"n": beaten})
    if value < 0:
        return ProgressText(
            0.0,
            "",
            gettext(locale, "%(pct)s further from the target than at the start")
            % {"pct": fmt.percent(-value * 100, 1)},
        )
    return ProgressText(min(1.0, value), label, fmt.percent(value * 100, 0))


def run_rate_text(g: GoalResult, fmt: Formatter, locale: str) -> str | None:
    """Return what the rest of the window needs, or that it can no longer be reached."""
    if not g.reachable and g.status != "missed":
        return gettext(locale, "Can no longer be reached by the deadline")
    if g.run_rate_needed is None:
        return None
    n = fmt.value(g.run_rate_needed, g.unit)
    unit = g.run_rate_unit
    if unit == "month":
        return gettext(locale, "%(n)s per month from now on") % {"n": n}
    if unit == "week":
        return gettext(locale, "%(n)s per week from now on") % {"n": n}
    if unit == "day":
        return gettext(locale, "%(n)s per day from now on") % {"n": n}
    if unit == "rest_of_window":
        return gettext(locale, "%(n)s over the rest of the window") % {"n": n}
    return n


def measure_text(g: GoalResult, fmt: Formatter, locale: str) -> str:
    """Return which measure the goal reads, in plain words."""
    s = g.spec
    whole_year = s.start == date(s.start.year, 1, 1) and s.deadline == date(s.start.year, 12, 31)
    if g.measure == "per_period":
        per = {
            "day": gettext(locale, "each day"),
            "week": gettext(locale, "each week"),
            "month": gettext(locale, "each month"),
            "quarter": gettext(locale, "each quarter"),
            "year": gettext(locale, "each year"),
        }
        return per.get(s.per or "", s.per or "")
    if g.measure == "level":
        return gettext(locale, "the level on the day")
    if g.measure == "total":
        return gettext(locale, "in total since %(start)s") % {"start": fmt.date(s.start)}
    if whole_year:
        return gettext(locale, "for the year so far")
    return gettext(locale, "for the goal window so far")


def buckets_text(g: GoalResult, locale: str) -> str | None:
    """Return "met in 7 of 10 months" for per-period goals."""
    if g.buckets is None or g.buckets_met is None or not g.buckets:
        return None
    n, met = g.buckets, g.buckets_met
    if g.spec.per == "month":
        msg = ngettext(
            locale, "met in %(met)d of %(num)d month", "met in %(met)d of %(num)d months", n
        )
    elif g.spec.per == "week":
        msg = ngettext(
            locale, "met in %(met)d of %(num)d week", "met in %(met)d of %(num)d weeks", n
        )
    else:
        msg = ngettext(
            locale, "met in %(met)d of %(num)d period", "met in %(met)d of %(num)d periods", n
        )
    return msg % {"met": met, "num": n}


def date_text(g: GoalResult, fmt: Formatter, locale: str) -> str | None:
    """Return "reached on DATE" or "projected DATE"."""
    if g.reached_on is not None:
        return gettext(locale, "Reached on %(date)s") % {"date": fmt.date(g.reached_on)}
    if g.projected_date is not None:
        return gettext(locale, "Projected to be met on %(date)s") % {
            "date": fmt.date(g.projected_date)
        }
    return None
