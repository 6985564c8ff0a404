"""Competitor benchmarking from data rows with a ``competitor`` column (seed 001).

For the client and each competitor, over one common window: followers (at the window's end),
follower growth, engagement rate, posting frequency (posts per week) and share of voice
(each brand's mentions over all brands' mentions), each ranked, side by side.

Honesty rules (docs/cases.md):
- Engagement rate uses one basis for every brand: engagement per week as a share of the
  followers at the window's end when every brand's data has followers (per week, because
  engagement adds up over the window and followers do not), else engagement over reach when
  every brand's data has reach. When neither holds, each
  brand gets the basis its data allows, the basis is "mixed" and the metric is not ranked.
- Every brand is measured over the same window: the part of the report period that every
  brand's data covers. Totals over six months against totals over twelve (engagement,
  posts, mentions) would be no comparison; the page says when the window is shorter.
- Share of voice needs the mentions of at least two brands; brands without mentions are
  listed as missing it, and the others' shares are of the brands that have mentions.

Pure: the engine and the period come in, rows come out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from sitegen.model.catalogue import Catalogue
from sitegen.model.engine import Engine
from sitegen.model.periods import Bucket, Period

from .spans import data_span

METRICS = ("followers", "follower_growth", "engagement_rate", "posts_per_week", "share_of_voice")
UNITS = {
    "followers": "count",
    "follower_growth": "percent",
    "engagement_rate": "percent",
    "posts_per_week": "count",
    "share_of_voice": "percent",
}
# The catalogue KPI behind each metric (engagement rate: see the basis rule above).
_KPI = {
    "followers": "followers",
    "follower_growth": "follower_growth_rate",
    "posts_per_week": "posts",
    "share_of_voice": "mentions",
}
# The inputs of each engagement basis. The followers basis is this page's own measure
# (engagement per week over the followers at the window's end), not the catalogue's per-post
# engagement_rate_followers: competitors' exports rarely count posts.
ENGAGEMENT_INPUTS = {"followers": ("engagement", "followers"), "reach": ("engagement_rate",)}


def _basis_missing(catalogue: Catalogue, basis: str, present: set[str]) -> list[str]:
    return sorted(set().union(*(catalogue.missing(k, present) for k in ENGAGEMENT_INPUTS[basis])))


def _engagement_rate(engine: Engine, basis: str, window: Period, comp: str | None) -> float | None:
    if basis == "reach":
        return engine.value("engagement_rate", window, competitor=comp)
    engagement = engine.value("engagement", window, competitor=comp)
    followers = engine.value("followers", window, competitor=comp)
    if engagement is None or not followers:
        return None
    # Engagement adds up over the window while followers do not: per week, the rate reads
    # the same for a window of two weeks or ten months.
    return engagement / followers * 100 * 7 / window.days


@dataclass(frozen=True)
class Brand:
    """One brand's row of the comparison: the client or a competitor."""

    name: str
    client: bool
    span: Period | None  # the brand's data, first..last date
    values: dict[str, float | None]
    engagement_basis: str | None  # followers | reach | None
    missing: dict[str, list[str]]  # metric -> the data columns it lacks
    ranks: dict[str, int | None] = field(default_factory=dict)
    overall_rank: int | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the brand's entry of kpis.json's competitors.brands."""
        return {
            "name": self.name,
            "client": self.client,
            "data": self.span.to_json() if self.span else None,
            **{m: self.values.get(m) for m in METRICS},
            "engagement_basis": self.engagement_basis,
            "ranks": dict(self.ranks),
            "overall_rank": self.overall_rank,
            "missing": {m: list(cols) for m, cols in self.missing.items()},
        }


@dataclass(frozen=True)
class Competitors:
    """The competitor comparison over the common window of the report period."""

    period: Period  # the report period
    window: Period  # the part of it every brand's data covers (the period when none overlap)
    brands: list[Brand]  # in ranking order
    engagement_basis: str | None  # followers | reach | mixed | None
    followers_series: dict[str, list[tuple[Bucket, float | None]]]  # month grain, per brand

    @property
    def client(self) -> Brand | None:
        """Return the client's row."""
        return next((b for b in self.brands if b.client), None)

    def to_json(self) -> dict[str, Any]:
        """Return kpis.json's competitors object."""
        return {
            "period": self.period.to_json(),
            "window": self.window.to_json(),
            "metrics": list(METRICS),
            "engagement_basis": self.engagement_basis,
            "brands": [b.to_json() for b in self.brands],
        }


def present_metrics(engine: Engine, competitor: str | None) -> set[str]:
    """Return the base metrics with at least one value in a brand's rows (None: the client's)."""
    f = engine.frame.filter(
        pl.col("competitor").is_null() if competitor is None else pl.col("competitor") == competitor
    )
    return {m for m in engine.metrics if f.height and f.get_column(m).null_count() < f.height}


def missing_inputs(catalogue: Catalogue, kpi_id: str, present: set[str]) -> list[str]:
    """Return the base metrics a KPI needs that present lacks (as the engine decides it)."""

    return sorted(catalogue.missing(kpi_id, present))


def rank(values: dict[str, float | None]) -> dict[str, int | None]:
    """Return 1-based ranks, highest first; ties share a rank (1, 1, 3); no value, no rank."""
    have = [v for v in values.values() if v is not None]
    return {
        name: (None if v is None else 1 + sum(1 for w in have if w > v))
        for name, v in values.items()
    }


def engagement_basis(can: dict[str, dict[str, bool]]) -> tuple[str | None, dict[str, str | None]]:
    """Return the common basis (followers | reach | mixed | None) and each brand's basis."""
    brands = [b for b, c in can.items() if c["followers"] or c["reach"]]
    if not brands:
        return None, {b: None for b in can}
    for basis in ("followers", "reach"):
        if all(can[b][basis] for b in brands):
            return basis, {b: (basis if b in brands else None) for b in can}
    own = {
        b: ("followers" if c["followers"] else "reach" if c["reach"] else None)
        for b, c in can.items()
    }
    return "mixed", own


def common_window(period: Period, spans: list[Period]) -> Period:
    """Return the part of period that every span covers; period itself when none overlap."""
    window: Period | None = period
    for span in spans:
        window = window.clip(span) if window is not None else None
    return window or period


def compare_competitors(
    engine: Engine, period: Period, client_name: str, grains: Mapping[str, str] | None = None
) -> Competitors | None:
    """Return the client and its competitors side by side, ranked; None without competitors."""
    if not engine.competitors:
        return None
    cat = engine.catalogue
    if client_name in engine.competitors:  # rows are keyed by name: keep the client apart
        client_name = f"{client_name} (client)"
    names: list[tuple[str, str | None]] = [(client_name, None)]
    names += [(c, c) for c in engine.competitors]
    present = {name: present_metrics(engine, comp) for name, comp in names}
    spans = {name: data_span(engine, None, comp, grains) for name, comp in names}
    can = {
        name: {basis: not _basis_missing(cat, basis, present[name]) for basis in ENGAGEMENT_INPUTS}
        for name, _ in names
    }
    common, bases = engagement_basis(can)
    window = common_window(period, [s for s in spans.values() if s is not None])

    values: dict[str, dict[str, float | None]] = {}
    missing: dict[str, dict[str, list[str]]] = {}
    mentions: dict[str, float | None] = {}
    for name, comp in names:
        vals: dict[str, float | None] = {}
        miss: dict[str, list[str]] = {}
        for metric in ("followers", "follower_growth"):
            lacks = missing_inputs(cat, _KPI[metric], present[name])
            vals[metric] = None if lacks else engine.value(_KPI[metric], window, competitor=comp)
            if lacks:
                miss[metric] = lacks
        basis = bases[name]
        if basis is None:
            vals["engagement_rate"] = None
            miss["engagement_rate"] = _basis_missing(cat, "followers", present[name])
        else:
            vals["engagement_rate"] = _engagement_rate(engine, basis, window, comp)
        if "posts" not in present[name]:
            vals["posts_per_week"] = None
            miss["posts_per_week"] = ["posts"]
        else:
            posts = engine.value("posts", window, competitor=comp)
            vals["posts_per_week"] = None if posts is None else posts / window.days * 7
        if "mentions" in present[name]:
            mentions[name] = engine.value("mentions", window, competitor=comp)
        else:
            mentions[name] = None
            miss["share_of_voice"] = ["mentions"]
        values[name], missing[name] = vals, miss

    with_mentions = {n: m for n, m in mentions.items() if m is not None}
    total = sum(with_mentions.values())
    # One brand's mentions alone would be 100 % of the voice: that is not a comparison.
    enough = len(with_mentions) >= 2 and total > 0
    for name in values:
        m = mentions[name]
        values[name]["share_of_voice"] = m / total * 100 if enough and m is not None else None

    ranks: dict[str, dict[str, int | None]] = {name: {} for name in values}
    for metric in METRICS:
        if metric == "engagement_rate" and common == "mixed":
            continue  # rates on different bases cannot be ranked against each other
        col = rank({name: values[name][metric] for name in values})
        for name in values:
            ranks[name][metric] = col[name]
    # Lower is better for an average rank, so it is negated for rank(), which ranks highest first.
    neg_mean: dict[str, float | None] = {}
    for name in values:
        got = [r for r in ranks[name].values() if r is not None]
        neg_mean[name] = -sum(got) / len(got) if got else None
    order = sorted(values, key=lambda n: (neg_mean[n] is None, -(neg_mean[n] or 0.0), n.lower()))
    overall = rank(neg_mean)
    brands = [
        Brand(
            name=name,
            client=name == client_name,
            span=spans[name],
            values=values[name],
            engagement_basis=bases[name],
            missing=missing[name],
            ranks=ranks[name],
            overall_rank=overall[name],
        )
        for name in order
    ]
    series = {
        name: engine.bucket_series("followers", "month", period, competitor=comp)
        for name, comp in names
        if "followers" in present[name]
    }
    return Competitors(period, window, brands, common, series)
