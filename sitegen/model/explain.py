"""Why a KPI moved between two periods: per-channel contributions, rate and mix for ratios.

Used by the goal drivers (goals.md section 5), the KPI pages' "what changed" and the overview
summary. A KPI whose formula is ``A / B`` (times a constant, e.g. ``clicks / impressions * 100``)
is a ratio: its change splits into rate and mix over the channels (model/decompose.py). A KPI
that adds up over channels (flows, sums of flows) and a stock (levels are added across
channels) split into each channel's own change. Anything else (means, growth rates with
``start()``, per-post rates with ``avg()``) gets each channel's own values and no split.

Pure: an Engine and periods in, frozen numbers out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sitegen.model.catalogue import KpiDef
from sitegen.model.decompose import FlowEffect, RatioEffect, flow_effects, rate_mix
from sitegen.model.engine import Engine
from sitegen.model.formula import Avg, BinOp, Formula, Name, Node, Num, Start
from sitegen.model.periods import Period


@dataclass(frozen=True)
class RatioShape:
    """A KPI read as numerator / denominator x scale."""

    numerator: Node
    denominator: Node
    scale: float


@dataclass(frozen=True)
class Explanation:
    """A KPI's value in two periods and each channel's part of the change."""

    kpi: str
    kind: str  # "ratio", "sum" (flows and stocks), "other"
    value: float | None
    base_value: float | None
    flows: tuple[FlowEffect, ...] = ()  # kind "sum": each channel's own change
    ratios: tuple[RatioEffect, ...] = ()  # kind "ratio": rate and mix per channel
    values: tuple[tuple[str, float | None, float | None], ...] = ()  # (channel, now, base)

    @property
    def change(self) -> float | None:
        """Return value - base_value, or None when either is undefined."""
        if self.value is None or self.base_value is None:
            return None
        return self.value - self.base_value

    @property
    def rate_effect(self) -> float:
        """Return the sum of the channels' rate effects (0 unless a ratio)."""
        return sum(e.rate_effect for e in self.ratios)

    @property
    def mix_effect(self) -> float:
        """Return the sum of the channels' mix effects (0 unless a ratio)."""
        return sum(e.mix_effect for e in self.ratios)


def _has_start(node: Node) -> bool:
    # start() and avg() read a stock over time, which no channel split can share out.
    if isinstance(node, Start | Avg):
        return True
    if isinstance(node, BinOp):
        return _has_start(node.left) or _has_start(node.right)
    return False


def ratio_shape(kpi: KpiDef) -> RatioShape | None:
    """Return the KPI as numerator / denominator x scale, or None when it is not one."""
    node, scale = kpi.formula.root, 1.0
    # Peel constant factors: "a / b * 100", "100 * a / b", "a / b / 1000".
    while isinstance(node, BinOp) and node.op in "*/":
        if isinstance(node.right, Num) and (node.op == "*" or node.right.value):
            scale = scale * node.right.value if node.op == "*" else scale / node.right.value
            node = node.left
        elif node.op == "*" and isinstance(node.left, Num):
            scale, node = scale * node.left.value, node.right
        else:
            break
    if not (isinstance(node, BinOp) and node.op == "/"):
        return None
    if _has_start(node.left) or _has_start(node.right) or isinstance(node.right, Num):
        return None
    return RatioShape(node.left, node.right, scale)


def _part(
    engine: Engine, node: Node, period: Period, channel: str, competitor: str | None
) -> float | None:
    if isinstance(node, Name):
        return engine.value(node.name, period, [channel], competitor)
    return Formula("", node).evaluate(
        lambda n: engine.value(n, period, [channel], competitor), lambda _n: None
    )


def explain(
    engine: Engine,
    kpi_id: str,
    period: Period,
    base_period: Period,
    channels: Sequence[str] | None = None,
    competitor: str | None = None,
) -> Explanation:
    """Return the KPI over period and base_period and each channel's part of the change."""
    chans = list(channels) if channels is not None else list(engine.channels)
    value = engine.value(kpi_id, period, chans, competitor)
    base = engine.value(kpi_id, base_period, chans, competitor)
    per = tuple(
        (
            ch,
            engine.value(kpi_id, period, [ch], competitor),
            engine.value(kpi_id, base_period, [ch], competitor),
        )
        for ch in chans
    )
    cat = engine.catalogue
    metric = cat.metrics.get(kpi_id)
    if (metric is not None and metric.kind in ("flow", "stock")) or (
        kpi_id in cat.kpis and cat.is_additive(kpi_id)
    ):
        now = {ch: v for ch, v, _ in per if v is not None}
        before = {ch: b for ch, _, b in per if b is not None}
        return Explanation(
            kpi_id, "sum", value, base, flows=tuple(flow_effects(before, now)), values=per
        )
    shape = ratio_shape(engine.kpi(kpi_id)) if kpi_id in cat.kpis else None
    if shape is None:
        return Explanation(kpi_id, "other", value, base, values=per)

    def parts(p: Period) -> dict[str, tuple[float, float]]:
        out: dict[str, tuple[float, float]] = {}
        for ch in chans:
            num = _part(engine, shape.numerator, p, ch, competitor)
            den = _part(engine, shape.denominator, p, ch, competitor)
            if den:  # a channel with no denominator takes no share of the ratio
                out[ch] = (num or 0.0, den)
        return out

    effects = rate_mix(parts(base_period), parts(period), shape.scale)
    return Explanation(kpi_id, "ratio", value, base, ratios=tuple(effects), values=per)
