"""The overview's summary: headline KPIs and a rule-based paragraph of the period's changes.

The paragraph says, for the first headline KPIs that changed against the previous period,
how much and which channels drove it: a sum's change split into each channel's points
("Revenue +12.0 % against the previous period: Instagram +9 points, Google Ads +3"), a
ratio's change told by the channel whose rate or share of the denominator moved it most
(goals.md section 5, ``sitegen.model.decompose``). The pages get the ``Analysis``, not the
engine: the split is the one the model computed for each KPI (``KpiResult.explanation``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from sitegen.model.analysis import KpiResult
from sitegen.model.decompose import RatioEffect
from sitegen.model.explain import Explanation, ratio_shape
from sitegen.model.formula import Name
from sitegen.model.goals import GoalResult
from sitegen.present.i18n.format import Formatter
from sitegen.present.i18n.gettext import N_, NP_, gettext, ngettext

# The business results an agency reports first, in order; the first of each group the data
# gives is used ("orders or leads", "ROAS or CPL").
BUSINESS = (("revenue",), ("orders", "leads"), ("spend",), ("roas", "cpl"))
# Fills the headline up to MIN_HEADLINE when goals and business results are fewer.
FILLERS = ("conversions", "sessions", "engagement_rate", "reach", "followers", "ctr", "cpc")
MIN_HEADLINE, MAX_HEADLINE = 6, 8
# How many KPIs the paragraph talks about, and how many channels per KPI.
SENTENCES, DRIVERS = 3, 2
# A ratio's channel split is told only when the channels' parts add up to the total (a
# blended ROAS of shop revenue over ad spend has no per-channel numerator).
_TOLERANCE = 0.01

SUM_DRIVERS = N_("%(kpi)s %(change)s against the previous period: %(drivers)s.")
SUM_PLAIN = N_("%(kpi)s %(change)s against the previous period.")
# Translators: a channel's part of a total's change, in percentage points of the previous total.
POINTS = NP_("%(channel)s %(points)s point", "%(channel)s %(points)s points")
# Translators: %(base)s is the KPI the ratio divides by, e.g. "spend" (ROAS = revenue / spend).
ROSE_MORE = N_(
    "%(kpi)s rose from %(before)s to %(after)s because %(channel)s took a larger share of %(base)s."
)
ROSE_LESS = N_(
    "%(kpi)s rose from %(before)s to %(after)s"
    " because %(channel)s took a smaller share of %(base)s."
)
FELL_MORE = N_(
    "%(kpi)s fell from %(before)s to %(after)s because %(channel)s took a larger share of %(base)s."
)
FELL_LESS = N_(
    "%(kpi)s fell from %(before)s to %(after)s"
    " because %(channel)s took a smaller share of %(base)s."
)
# Translators: %(was)s and %(now)s are the KPI within one channel.
ROSE_RATE = N_(
    "%(kpi)s rose from %(before)s to %(after)s, mostly in %(channel)s (%(was)s to %(now)s)."
)
FELL_RATE = N_(
    "%(kpi)s fell from %(before)s to %(after)s, mostly in %(channel)s (%(was)s to %(now)s)."
)
ROSE = N_("%(kpi)s rose from %(before)s to %(after)s.")
FELL = N_("%(kpi)s fell from %(before)s to %(after)s.")


def headline_kpis(
    results: Mapping[str, KpiResult],
    goals: Sequence[GoalResult],
    chosen: Sequence[str] = (),
) -> list[str]:
    """Return the overview's headline KPI ids: [overview] kpis, else goals' then business."""
    if chosen:
        return [k for k in chosen if k in results][:MAX_HEADLINE]
    out: list[str] = []

    def add(kpi: str) -> None:
        r = results.get(kpi)
        if r is not None and r.value is not None and kpi not in out:
            out.append(kpi)

    for g in goals:
        add(g.spec.kpi)
    for group in BUSINESS:
        for kpi in group:
            if kpi in results and results[kpi].value is not None:
                add(kpi)
                break
    for kpi in FILLERS:
        if len(out) >= MIN_HEADLINE:
            break
        add(kpi)
    return out[:MAX_HEADLINE]


def _adds_up(e: Explanation) -> bool:
    """Return True when the channels' rate and mix effects add up to the ratio's change."""
    if e.change is None:
        return False
    total = e.rate_effect + e.mix_effect
    return abs(total - e.change) <= _TOLERANCE * max(abs(e.base_value or 0.0), 1e-9)


def _lower_first(label: str) -> str:
    # "Spend" in mid-sentence is "spend"; "CTR" and "ROAS" stay as they are.
    if len(label) > 1 and label[1].islower():
        return label[:1].lower() + label[1:]
    return label


class Summary:
    """Writes the summary sentences of one site in its locale."""

    def __init__(
        self,
        locale: str,
        fmt: Formatter,
        results: Mapping[str, KpiResult],
        channel_name: Callable[[str], str],
    ) -> None:
        self.locale = locale
        self.fmt = fmt
        self.results = results
        self.channel_name = channel_name

    def t(self, msgid: str) -> str:
        """Return msgid in the locale."""
        return gettext(self.locale, msgid)

    def paragraph(self, kpis: Sequence[str]) -> list[str]:
        """Return up to SENTENCES sentences on the headline KPIs that changed."""
        out = []
        # Results lead the paragraph, whatever order the cards are in; spend is the cost of
        # them, told only when the other headline KPIs leave room.
        business = [k for k in ("revenue", "orders", "leads", "roas", "cpl") if k in kpis]
        rest = [k for k in kpis if k != "spend"]
        for kpi in dict.fromkeys([*business, *rest, *(["spend"] if "spend" in kpis else [])]):
            sentence = self.sentence(kpi)
            if sentence:
                out.append(sentence)
            if len(out) == SENTENCES:
                break
        return out

    def sentence(self, kpi_id: str) -> str | None:
        """Return one KPI's change and its drivers, or None when it has no change to tell."""
        r = self.results.get(kpi_id)
        if r is None or r.value is None or r.previous is None:
            return None
        e = r.explanation  # the model's split (sitegen.model.explain), as the KPI page shows
        label = r.kpi.label(self.locale)
        if e is not None and e.kind == "sum" and r.previous:
            if round(abs((e.change or 0.0) / r.previous), 3) == 0:
                return None  # under 0.05 %: not one of the period's changes
            return self._sum(e, label, r.previous)
        fields = {
            "kpi": label,
            "before": self.fmt.value(r.previous, r.kpi.unit),
            "after": self.fmt.value(r.value, r.kpi.unit),
        }
        if fields["before"] == fields["after"]:
            return None  # equal as shown: not one of the period's changes
        rose = r.value > r.previous
        if e is not None and e.kind == "ratio" and _adds_up(e) and self._named_parts(r):
            told = self._ratio(e, r, rose, fields)
            if told:
                return told
        return self.t(ROSE if rose else FELL) % fields

    def _sum(self, e: Explanation, label: str, base: float) -> str:
        change = self.fmt.change((e.change or 0.0) / base)
        drivers = []
        for f in e.flows[:DRIVERS]:
            points = round(f.change / base * 100)
            if points == 0:
                continue
            singular, plural = POINTS
            text = ngettext(self.locale, singular, plural, abs(points))
            sign = "+" if points > 0 else "\u2212"
            drivers.append(
                text % {"channel": self.channel_name(f.channel), "points": f"{sign}{abs(points)}"}
            )
        # Only the channels that moved the total: one channel that is the whole is no driver.
        if len(e.flows) < 2 or not drivers:
            return self.t(SUM_PLAIN) % {"kpi": label, "change": change}
        return self.t(SUM_DRIVERS) % {"kpi": label, "change": change, "drivers": ", ".join(drivers)}

    def _named_parts(self, r: KpiResult) -> bool:
        """Return True when the ratio reads one KPI over another, both among the results."""
        shape = ratio_shape(r.kpi)
        return (
            shape is not None
            and isinstance(shape.numerator, Name)
            and isinstance(shape.denominator, Name)
            and shape.numerator.name in self.results
            and shape.denominator.name in self.results
        )

    def _ratio(
        self, e: Explanation, r: KpiResult, rose: bool, fields: dict[str, str]
    ) -> str | None:
        sign = 1 if rose else -1
        # The channel whose effect (rate or mix) pushed the ratio hardest the way it went.
        best: tuple[float, str, RatioEffect] | None = None
        for eff in e.ratios:
            for kind, size in (("rate", eff.rate_effect), ("mix", eff.mix_effect)):
                if size * sign > 0 and (best is None or abs(size) > best[0]):
                    best = (abs(size), kind, eff)
        if best is None or len(e.ratios) < 2:
            return None
        _, kind, eff = best
        shape = ratio_shape(r.kpi)
        assert shape is not None and isinstance(shape.denominator, Name)
        fields = {**fields, "channel": self.channel_name(eff.channel)}
        if kind == "rate":
            fields["was"] = self.fmt.value(eff.base_value, r.kpi.unit)
            fields["now"] = self.fmt.value(eff.value, r.kpi.unit)
            return self.t(ROSE_RATE if rose else FELL_RATE) % fields
        base = self.results[shape.denominator.name].kpi.label(self.locale)
        fields["base"] = _lower_first(base)
        more = eff.weight > eff.base_weight
        msgid = (ROSE_MORE if more else ROSE_LESS) if rose else (FELL_MORE if more else FELL_LESS)
        return self.t(msgid) % fields
