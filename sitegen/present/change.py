"""What changed: a KPI's move against the previous period, in numbers and one sentence.

The model (``sitegen.model.explain``) splits the change into each channel's part: its own
change for sums and levels, rate and mix for ratios. This module turns that into the rows the
KPI pages show, the one plain sentence above them (per locale) and ``change_drivers`` in
kpis.json. Sentences avoid verbs that would agree with the KPI's grammatical gender in Russian
and Latvian ("Leads: from 820 to 986"), as present/text.py does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sitegen.model.catalogue import Catalogue
from sitegen.model.explain import Explanation, ratio_shape
from sitegen.model.formula import Name
from sitegen.model.values import finite
from sitegen.present.i18n.format import Formatter
from sitegen.present.i18n.gettext import N_, gettext

# Translators: %(kpi)s is a KPI's name, %(before)s and %(after)s its values in the previous
# and the report period, %(change)s the relative change such as "+12.0 %".
NO_PREVIOUS = N_("%(kpi)s: no value in the previous period, so there is nothing to compare.")
UNCHANGED = N_("%(kpi)s: %(after)s, the same as in the previous period.")
# Translators: %(channel)s is a channel's name, %(delta)s its own change such as "+120".
SUM_SHARE = N_(
    "%(kpi)s: from %(before)s to %(after)s (%(change)s) against the previous period; "
    "the largest part of the change is %(channel)s with %(delta)s."
)
SUM_ONE = N_("%(kpi)s: from %(before)s to %(after)s (%(change)s) against the previous period.")
# Translators: %(effect)s is the part of the change due to the channels' own values, e.g.
# "+38 ₽"; %(ch_before)s and %(ch_after)s are that channel's own values.
RATIO_RATE = N_(
    "%(kpi)s: from %(before)s to %(after)s against the previous period, mostly because "
    "values changed within channels (%(effect)s): %(channel)s went from %(ch_before)s "
    "to %(ch_after)s."
)
# Translators: %(effect)s is the part of the change due to the shift between channels;
# %(share)s and %(base_share)s are the channel's shares of the base (e.g. of spend).
RATIO_MIX = N_(
    "%(kpi)s: from %(before)s to %(after)s against the previous period, mostly because "
    "the mix of channels shifted (%(effect)s): %(channel)s now takes %(share)s of "
    "%(base)s, against %(base_share)s."
)
OTHER = N_("%(kpi)s: from %(before)s to %(after)s (%(change)s) against the previous period.")
# The base of a ratio whose denominator is not one metric (e.g. "a + b").
THE_BASE = N_("the base")


@dataclass(frozen=True)
class ChangeRow:
    """One channel's line of the "what changed" table."""

    channel: str
    value: float | None
    previous: float | None
    change: float | None  # sum: own change; ratio: rate + mix
    share: float | None = None  # ratio: share of the base now (fraction)
    previous_share: float | None = None
    rate_effect: float | None = None
    mix_effect: float | None = None


@dataclass(frozen=True)
class ChangeView:
    """A KPI's change against the previous period, ready for a page."""

    kind: str  # "sum", "ratio", "other"
    sentence: str
    rows: tuple[ChangeRow, ...]
    base_label: str  # ratio: what the shares are shares of ("spend")
    rate_effect: float | None
    mix_effect: float | None
    change: float | None


# Translators: a difference of two percentages, in percentage points ("+1.2 pp").
POINTS = N_("%(value)s pp")


def signed(fmt: Formatter, x: float | None, unit: str, locale: str = "en") -> str:
    """Return a difference in its unit with a sign: '+120', '−38 ₽', '+1.2 pp'."""
    if x is None:
        return fmt.value(None, unit)
    if unit == "percent":
        # 4.4 % -> 5.8 % is +1.4 percentage points; "+1.4 %" would read as a relative change.
        text = fmt.number(abs(x), 1)
        zero = fmt.number(0.0, 1)
        text = text if text == zero else ("+" if x > 0 else "\u2212") + text
        return gettext(locale, POINTS) % {"value": text}
    text = fmt.value(abs(x), unit)
    if fmt.value(0.0, unit) == text:
        return text  # too small to show: no sign on a zero
    return ("+" if x > 0 else "\u2212") + text


def kind(ex: Explanation) -> str:
    """Return how the change is split: "sum", "ratio" or "other" (each channel's values only).

    A ratio is shown as rate and mix only when the parts add up to the change: when the
    numerator sits in channels without the denominator (revenue in the CRM, spend in the ad
    accounts), each channel's ROAS is meaningless and the split would not add up.
    """
    if ex.kind != "ratio":
        return ex.kind
    change = ex.change
    if change is None or not ex.ratios:
        return "other"
    total = ex.rate_effect + ex.mix_effect
    return "ratio" if abs(total - change) <= 1e-9 * max(1.0, abs(change)) else "other"


def rows(ex: Explanation) -> tuple[ChangeRow, ...]:
    """Return the channels' rows, the largest part of the change first."""
    how = kind(ex)
    if how == "sum":
        out = [ChangeRow(f.channel, f.value, f.base_value, f.change) for f in ex.flows]
    elif how == "ratio":
        out = [
            ChangeRow(
                e.channel,
                e.value,
                e.base_value,
                e.effect,
                e.weight,
                e.base_weight,
                e.rate_effect,
                e.mix_effect,
            )
            for e in ex.ratios
        ]
    elif ex.kind == "ratio":
        # Parts in different channels: each channel's own ratio (ROAS 0x in an ad account
        # without revenue) would mislead, so no channel rows.
        out = []
    else:
        out = [
            ChangeRow(ch, now, base, _diff(now, base))
            for ch, now, base in ex.values
            if now is not None or base is not None
        ]
    return tuple(sorted(out, key=lambda r: (-abs(r.change or 0.0), r.channel)))


def _diff(now: float | None, base: float | None) -> float | None:
    return None if now is None or base is None else now - base


def base_label(catalogue: Catalogue, kpi_id: str, locale: str) -> str:
    """Return the name of what a ratio's channel shares are shares of (its denominator)."""
    shape = ratio_shape(catalogue.get(kpi_id)) if kpi_id in catalogue.kpis else None
    if shape is not None and isinstance(shape.denominator, Name):
        name = catalogue.get(shape.denominator.name).label(locale)
        # English reads "of spend"; Russian and Latvian quote the name as it is written.
        return name.lower() if locale.startswith("en") else name
    return gettext(locale, THE_BASE)


def sentence(
    ex: Explanation,
    label: str,
    unit: str,
    base: str,
    locale: str,
    fmt: Formatter,
    name: Callable[[str], str] = str,
) -> str:
    """Return the one plain sentence on why the KPI moved against the previous period.

    name gives a channel's display name ([channels.<id>] label, a platform's name).
    """
    fields = {
        "kpi": label,
        "before": fmt.value(ex.base_value, unit),
        "after": fmt.value(ex.value, unit),
        "change": fmt.change(_relative(ex)),
    }
    if ex.value is None or ex.base_value is None:
        return gettext(locale, NO_PREVIOUS) % fields
    if fmt.value(ex.value, unit) == fmt.value(ex.base_value, unit):
        return gettext(locale, UNCHANGED) % fields
    top = rows(ex)
    how = kind(ex)
    if how == "sum":
        if len(top) < 2 or not top[0].change:  # one channel: its part is the whole
            return gettext(locale, SUM_ONE) % fields
        fields |= {
            "channel": name(top[0].channel),
            "delta": signed(fmt, top[0].change, unit, locale),
        }
        return gettext(locale, SUM_SHARE) % fields
    if how == "ratio" and top:
        if abs(ex.mix_effect) > abs(ex.rate_effect):
            ch = max(ex.ratios, key=lambda e: abs(e.mix_effect))
            fields |= {
                "effect": signed(fmt, ex.mix_effect, unit, locale),
                "channel": name(ch.channel),
                "share": fmt.percent(ch.weight * 100),
                "base_share": fmt.percent(ch.base_weight * 100),
                "base": base,
            }
            return gettext(locale, RATIO_MIX) % fields
        ch = max(ex.ratios, key=lambda e: abs(e.rate_effect))
        fields |= {
            "effect": signed(fmt, ex.rate_effect, unit, locale),
            "channel": name(ch.channel),
            "ch_before": fmt.value(ch.base_value, unit),
            "ch_after": fmt.value(ch.value, unit),
        }
        return gettext(locale, RATIO_RATE) % fields
    return gettext(locale, OTHER) % fields


def _relative(ex: Explanation) -> float | None:
    if ex.value is None or not ex.base_value:
        return None
    return (ex.value - ex.base_value) / abs(ex.base_value)


def change_view(
    ex: Explanation,
    catalogue: Catalogue,
    label: str,
    unit: str,
    locale: str,
    fmt: Formatter,
    name: Callable[[str], str] = str,
) -> ChangeView:
    """Return the "what changed" block of a KPI page."""
    how = kind(ex)
    base = base_label(catalogue, ex.kpi, locale) if how == "ratio" else ""
    return ChangeView(
        kind=how,
        sentence=sentence(ex, label, unit, base, locale, fmt, name),
        rows=rows(ex),
        base_label=base,
        rate_effect=ex.rate_effect if how == "ratio" else None,
        mix_effect=ex.mix_effect if how == "ratio" else None,
        change=ex.change,
    )


def change_drivers_json(ex: Explanation | None) -> dict[str, Any] | None:
    """Return a KPI's ``change_drivers`` for kpis.json (docs/output.md), None without one."""
    if ex is None:
        return None
    how = kind(ex)
    out: dict[str, Any] = {
        "kind": how,
        "value": finite(ex.value),
        "previous": finite(ex.base_value),
        "change": finite(ex.change),
    }
    if how == "ratio":
        out["rate_effect"] = finite(ex.rate_effect)
        out["mix_effect"] = finite(ex.mix_effect)
    channels = []
    for r in rows(ex):
        item: dict[str, Any] = {
            "channel": r.channel,
            "value": finite(r.value),
            "previous": finite(r.previous),
            "change": finite(r.change),
        }
        if how == "ratio":
            item |= {
                "share": finite(r.share),
                "previous_share": finite(r.previous_share),
                "rate_effect": finite(r.rate_effect),
                "mix_effect": finite(r.mix_effect),
            }
        channels.append(item)
    out["channels"] = channels
    return out
