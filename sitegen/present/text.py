"""Generated sentences for case studies and reference comparisons, per locale.

The model (``sitegen.model.cases``) returns numbers and verdicts; this module writes them as
the sentences the case pages and kpis.json show.

Each sentence is one whole gettext message with named fields, so translators can reorder
them; the Russian and Latvian texts avoid verbs that would have to agree with the KPI's
grammatical gender ("Leads: rise from ..."). Numbers come formatted by ``sitegen.present.i18n``.
The messages are marked with ``N_`` here (a long literal split over lines inside a
two-argument ``gettext`` call is not extracted) and translated where they are used.
"""

from __future__ import annotations

from datetime import date

from sitegen.model.cases import CaseKpi, ReferenceResult
from sitegen.present.i18n.format import Formatter
from sitegen.present.i18n.gettext import N_, gettext, ngettext

# Translators: %(kpi)s is a KPI's name; the sentence summarises a campaign case study.
NO_AFTER = N_("%(kpi)s has no value in the campaign period.")
# Translators: %(after)s is the KPI's value over the campaign period.
NO_BASELINE_DATA = N_("%(kpi)s: %(after)s in the campaign period; no data for the baseline period.")
NO_BEFORE = N_(
    "%(kpi)s: %(after)s in the campaign period; no value in the baseline period to compare with."
)
FROM_ZERO = N_(
    "%(kpi)s went from %(before)s to %(after)s: a relative change from zero is undefined."
)
UNCHANGED = N_("%(kpi)s did not change: %(after)s in both periods.")
# Translators: %(lift)s is the relative change, e.g. "+50.0%".
ROSE = N_("%(kpi)s rose from %(before)s to %(after)s (%(lift)s) compared with the baseline period.")
FELL = N_("%(kpi)s fell from %(before)s to %(after)s (%(lift)s) compared with the baseline period.")
IMPROVED = N_("Lower is better for this KPI, so this is an improvement.")
WORSENED = N_("Lower is better for this KPI, so this is a deterioration.")

# Translators: %(client)s and %(change)s are relative changes such as "+12.0%"; %(span)s is
# "over 6 months"; %(name)s is the published company's name, %(date)s the report's last day.
# Neutral on purpose (issue 19): the published result and the client's, side by side; the
# model's verdict (ahead, behind, level) stays in kpis.json, the page does not grade.
COMPARED = N_(
    "Published result for %(name)s: %(kpi)s %(change)s %(span)s; "
    "this client: %(client)s %(span)s up to %(date)s."
)
NO_COMPARISON = N_(
    "No comparison with %(name)s: the data cannot give the change in %(kpi)s "
    "%(span)s up to %(date)s."
)
_VERDICTS = {"ahead": COMPARED, "behind": COMPARED, "level": COMPARED, "no_data": NO_COMPARISON}


def case_sentence(
    locale: str,
    fmt: Formatter,
    *,
    label: str,
    unit: str,
    better: str,
    before: float | None,
    after: float | None,
    lift: float | None,
    baseline_has_data: bool,
) -> str:
    """Return the one- or two-sentence summary of a KPI's before/after in a campaign case."""
    fields = {
        "kpi": label,
        "before": fmt.value(before, unit),
        "after": fmt.value(after, unit),
        "lift": fmt.change(lift),
    }
    if after is None:
        msgid = NO_AFTER
    elif not baseline_has_data:
        msgid = NO_BASELINE_DATA
    elif before is None:
        msgid = NO_BEFORE
    elif lift is None:  # before is zero: a relative change from zero is undefined
        msgid = FROM_ZERO
    elif lift == 0:
        msgid = UNCHANGED
    else:
        msgid = ROSE if lift > 0 else FELL
    sentence = gettext(locale, msgid) % fields
    if msgid in (ROSE, FELL) and better == "lower":
        # A fall reads as bad news unless the sentence says that lower is better here.
        sentence += " " + gettext(locale, IMPROVED if msgid == FELL else WORSENED)
    return sentence


def reference_sentence(
    locale: str,
    fmt: Formatter,
    *,
    name: str,
    label: str,
    change: float,
    client_change: float | None,
    months: int,
    as_of: date,
    verdict: str,
) -> str:
    """Return the sentence that sets a published result beside the client's own change."""
    fields = {
        "name": name,
        "kpi": label,
        "change": fmt.change(change),
        "client": fmt.change(client_change),
        "span": ngettext(locale, "over %(num)d month", "over %(num)d months", months)
        % {"num": months},
        "date": fmt.date(as_of),
    }
    return one_stop(gettext(locale, _VERDICTS[verdict]) % fields)


def one_stop(sentence: str) -> str:
    """Return sentence with one full stop where a date ending in one ends it ("sept..")."""
    return sentence[:-1] if sentence.endswith("..") else sentence


def case_summary(k: CaseKpi, baseline_has_data: bool, locale: str, fmt: Formatter) -> str:
    """Return the summary of one KPI of a campaign case (its before, after and lift)."""
    return case_sentence(
        locale,
        fmt,
        label=k.kpi.label(locale),
        unit=k.kpi.unit,
        better=k.kpi.better,
        before=k.total.before,
        after=k.total.after,
        lift=k.total.lift,
        baseline_has_data=baseline_has_data,
    )


def reference_summary(ref: ReferenceResult, locale: str, fmt: Formatter) -> str:
    """Return the sentence on a published result against the client's change up to as of."""
    return reference_sentence(
        locale,
        fmt,
        name=ref.spec.name,
        label=ref.kpi.label(locale),
        change=ref.spec.change,
        client_change=ref.client_change,
        months=ref.spec.months,
        as_of=ref.window.end,  # the window is the months ending at as of
        verdict=ref.verdict,
    )
