"""Why a value changed: each channel's contribution, and a ratio's change split into rate and mix.

goals.md section 5. For a ratio R = sum(N) / sum(D) (x scale) with channel weights
w = D_c / sum(D) and channel values r = N_c / D_c (x scale):

    R1 - R0 = sum_c w1_c (r1_c - r0_c)   [rate]   +   sum_c (w1_c - w0_c) r0_c   [mix]

A channel absent from the base (no denominator there) takes r0_c = r1_c, so its whole effect
is mix; a channel absent now has w1_c = 0. The parts add up to the change exactly (up to
floating point). For a flow (a sum), a channel's contribution is simply its own change.

Pure: numbers in, frozen numbers out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class RatioEffect:
    """One channel's part of a ratio's change between a base and a current period."""

    channel: str
    value: float | None  # r1: the channel's own ratio now (None when absent now)
    base_value: float | None  # r0 as measured (None when absent from the base)
    weight: float  # w1: share of the denominator now
    base_weight: float  # w0: share of the denominator in the base
    rate_effect: float
    mix_effect: float

    @property
    def effect(self) -> float:
        """Return the channel's whole part of the change (rate + mix)."""
        return self.rate_effect + self.mix_effect


@dataclass(frozen=True)
class FlowEffect:
    """One channel's part of a sum's change: its own change."""

    channel: str
    value: float
    base_value: float
    change: float


Parts = Mapping[str, tuple[float, float]]  # channel -> (numerator, denominator)


def _ratio(parts: Parts, scale: float) -> float | None:
    num = sum(n for n, d in parts.values() if d)
    den = sum(d for _, d in parts.values() if d)
    return num / den * scale if den else None


def rate_mix(base: Parts, now: Parts, scale: float = 1.0) -> list[RatioEffect]:
    """Split a ratio's change from base to now into each channel's rate and mix effects."""
    den0 = sum(d for _, d in base.values() if d)
    den1 = sum(d for _, d in now.values() if d)
    out: list[RatioEffect] = []
    for ch in sorted(set(base) | set(now)):
        n0, d0 = base.get(ch, (0.0, 0.0))
        n1, d1 = now.get(ch, (0.0, 0.0))
        r0 = n0 / d0 * scale if d0 else None
        r1 = n1 / d1 * scale if d1 else None
        w0 = d0 / den0 if den0 and d0 else 0.0
        w1 = d1 / den1 if den1 and d1 else 0.0
        r0_used = r0 if r0 is not None else r1  # absent from the base: all of it is mix
        rate = w1 * (r1 - r0_used) if r1 is not None and r0_used is not None else 0.0
        mix = (w1 - w0) * r0_used if r0_used is not None else 0.0
        out.append(RatioEffect(ch, r1, r0, w1, w0, rate, mix))
    return out


def ratio_change(base: Parts, now: Parts, scale: float = 1.0) -> float | None:
    """Return R1 - R0 for the same parts rate_mix splits; None when either is undefined."""
    r0, r1 = _ratio(base, scale), _ratio(now, scale)
    return None if r0 is None or r1 is None else r1 - r0


def flow_effects(base: Mapping[str, float], now: Mapping[str, float]) -> list[FlowEffect]:
    """Return each channel's change of a summed KPI, largest absolute change first."""
    out = [
        FlowEffect(ch, now.get(ch, 0.0), base.get(ch, 0.0), now.get(ch, 0.0) - base.get(ch, 0.0))
        for ch in sorted(set(base) | set(now))
    ]
    return sorted(out, key=lambda e: (-abs(e.change), e.channel))
