"""The KPI engine: any KPI for any period, grain, channel set and competitor.

Every KPI is evaluated on *aggregated* metrics (kpis.md): flows are summed over the period
and the channels, stocks take each channel's last value in the period (start value: the last
value before the period, else the first in it; ``avg()``: the mean of each day's last known
value) and are added across channels, means are
averaged over the rows. The formula is then applied once to those aggregates, so a ratio is
always a ratio of sums, never a mean of daily ratios.

Period totals (reports without a date column, ``totals``: start, end, channel, competitor,
metrics) are never spread over days: a total counts in a report period that contains the
whole of its period. A report period that only partly overlaps a total has no value for that
metric (it cannot be split). A chart's bucket (a point for the whole week or month) holds a
channel's totals only where they cover it, and leaves them out elsewhere.
``total_periods`` says which totals a value used, so that pages can say so.

Pure: the data frame comes in, numbers go out; no I/O, no clock.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import polars as pl

from sitegen.model.catalogue import Catalogue, KpiDef
from sitegen.model.periods import Bucket, Period, buckets

# Decimals a flow's sum keeps; finer than any currency's minor unit or any real count.
SUM_DECIMALS = 6
_TRUNCATE = {"week": "1w", "month": "1mo", "quarter": "1q", "year": "1y"}
_TOTALS_SCHEMA = {"start": pl.Date, "end": pl.Date, "channel": pl.Utf8, "competitor": pl.Utf8}


@dataclass(frozen=True)
class _Agg:
    bucket: Bucket
    values: dict[str, float | None]
    starts: dict[str, float | None]
    avgs: dict[str, float | None]


class Engine:
    """Evaluate KPIs over a DataSet frame (see docs/dev/architecture.md)."""

    def __init__(
        self, frame: pl.DataFrame, catalogue: Catalogue, totals: pl.DataFrame | None = None
    ) -> None:
        self.catalogue = catalogue
        if totals is None:
            totals = pl.DataFrame(schema=_TOTALS_SCHEMA)
        self.metrics = [m for m in catalogue.metrics if m in frame.columns or m in totals.columns]
        # Both frames get every metric column, so that either can be asked for any metric.
        self.frame = frame.with_columns(
            pl.lit(None, dtype=pl.Float64).alias(m) for m in self.metrics if m not in frame.columns
        )
        self.totals = totals.with_columns(
            pl.lit(None, dtype=pl.Float64).alias(m) for m in self.metrics if m not in totals.columns
        )
        frame = self.frame
        own = frame.filter(pl.col("competitor").is_null())
        own_totals = self.totals.filter(pl.col("competitor").is_null())
        self.channels: list[str] = sorted(
            set(own.get_column("channel").unique().to_list())
            | set(own_totals.get_column("channel").unique().to_list())
        )
        self.competitors: list[str] = sorted(
            set(frame.get_column("competitor").drop_nulls().unique().to_list())
            | set(self.totals.get_column("competitor").drop_nulls().unique().to_list())
        )
        firsts = [own.get_column("date").min(), own_totals.get_column("start").min()]
        lasts = [own.get_column("date").max(), own_totals.get_column("end").max()]
        days = [d for d in firsts if isinstance(d, date)], [d for d in lasts if isinstance(d, date)]
        self.span: Period | None = Period(min(days[0]), max(days[1])) if days[0] else None
        # Which metrics have at least one value in the client's own rows, per channel.
        self._present: dict[str, set[str]] = {}
        for ch in self.channels:
            sub = own.filter(pl.col("channel") == ch)
            subt = own_totals.filter(pl.col("channel") == ch)
            self._present[ch] = {
                m
                for m in self.metrics
                if sub.get_column(m).null_count() < sub.height
                or subt.get_column(m).null_count() < subt.height
            }
        self._totals_cache: dict[tuple[tuple[str, ...], str | None], list[dict[str, Any]]] = {}
        self._present_any = set().union(*self._present.values()) if self._present else set()
        self._rows_cache: dict[tuple[tuple[str, ...], str | None], pl.DataFrame] = {}
        self._stock_cache: dict[
            tuple[tuple[str, ...], str | None, str], dict[str, tuple[list[date], list[float]]]
        ] = {}
        self._agg_cache: dict[tuple[Period, str, tuple[str, ...], str | None], list[_Agg]] = {}

    # -- catalogue ---------------------------------------------------------------------------

    def kpi(self, kpi_id: str) -> KpiDef:
        """Return the KPI definition (a base metric is a KPI too)."""
        return self.catalogue.get(kpi_id)

    def missing_inputs(self, kpi_id: str, channels: Sequence[str] | None = None) -> list[str]:
        """Return the base metrics the KPI needs that the data (for channels) lacks."""
        present = (
            self._present_any
            if channels is None
            else set().union(*(self._present.get(c, set()) for c in channels))
        )
        return sorted(self.catalogue.missing(kpi_id, present))

    def available(self, kpi_id: str, channels: Sequence[str] | None = None) -> bool:
        """Return True when the data has the KPI's inputs."""
        return not self.missing_inputs(kpi_id, channels)

    def available_kpis(self) -> list[str]:
        """Return the catalogue KPIs (built-in and custom) that the data can give."""
        return [k for k in self.catalogue.kpis if self.available(k)]

    # -- evaluation --------------------------------------------------------------------------

    def value(
        self,
        kpi_id: str,
        period: Period,
        channels: Sequence[str] | None = None,
        competitor: str | None = None,
    ) -> float | None:
        """Return the KPI over the period and channels; None when undefined."""
        aggs = self._aggregates(period, "period", channels, competitor)
        return self._evaluate(kpi_id, aggs[0]) if aggs else None

    def series(
        self,
        kpi_id: str,
        grain: str,
        period: Period,
        channels: Sequence[str] | None = None,
        competitor: str | None = None,
    ) -> list[tuple[Period, float | None]]:
        """Return [(bucket period clipped to period, value)] at grain (day..year)."""
        return [
            (b.period, v)
            for b, v in self.bucket_series(kpi_id, grain, period, channels, competitor)
        ]

    def bucket_series(
        self,
        kpi_id: str,
        grain: str,
        period: Period,
        channels: Sequence[str] | None = None,
        competitor: str | None = None,
    ) -> list[tuple[Bucket, float | None]]:
        """Return [(Bucket, value)] so callers can see labels and partial buckets."""
        return [
            (a.bucket, self._evaluate(kpi_id, a))
            for a in self._aggregates(period, grain, channels, competitor)
        ]

    def _evaluate(self, kpi_id: str, agg: _Agg) -> float | None:
        # Each KPI the formula reads is evaluated once, inputs first (catalogue.order): no
        # recursion over the chain of KPIs, and no repeated work for a KPI read twice.
        cat = self.catalogue
        if kpi_id in cat.metrics:
            return agg.values.get(kpi_id)
        if kpi_id not in cat.kpis:
            cat.get(kpi_id)  # KeyError, as for any unknown id
        values: dict[str, float | None] = {}
        for k_id in cat.order(kpi_id):
            if k_id in cat.metrics:
                values[k_id] = agg.values.get(k_id)
                continue
            k = cat.get(k_id)
            if k.absent_as_zero:
                if all(values[n] is None for n in k.formula.names()):
                    values[k_id] = None
                    continue
                values[k_id] = k.formula.evaluate(
                    lambda n: values[n] or 0.0, agg.starts.get, agg.avgs.get
                )
            else:
                values[k_id] = k.formula.evaluate(values.__getitem__, agg.starts.get, agg.avgs.get)
        return values[kpi_id]

    # -- aggregation -------------------------------------------------------------------------

    def _key(self, channels: Sequence[str] | None) -> tuple[str, ...]:
        return tuple(sorted(set(channels))) if channels is not None else ()

    def _rows(self, chans: tuple[str, ...], competitor: str | None) -> pl.DataFrame:
        key = (chans, competitor)
        if key not in self._rows_cache:
            f = self.frame
            f = f.filter(
                pl.col("competitor").is_null()
                if competitor is None
                else pl.col("competitor") == competitor
            )
            if chans:
                f = f.filter(pl.col("channel").is_in(list(chans)))
            self._rows_cache[key] = f
        return self._rows_cache[key]

    def _stocks(
        self, chans: tuple[str, ...], competitor: str | None, metric: str
    ) -> dict[str, tuple[list[date], list[float]]]:
        key = (chans, competitor, metric)
        if key not in self._stock_cache:
            rows = self._rows(chans, competitor).select("channel", "date", metric).drop_nulls()
            rows = rows.sort("channel", "date")
            out: dict[str, tuple[list[date], list[float]]] = {}
            for (ch,), part in rows.group_by(["channel"], maintain_order=True):
                out[str(ch)] = (
                    part.get_column("date").to_list(),
                    part.get_column(metric).to_list(),
                )
            self._stock_cache[key] = out
        return self._stock_cache[key]

    def _aggregates(
        self,
        period: Period,
        grain: str,
        channels: Sequence[str] | None,
        competitor: str | None,
    ) -> list[_Agg]:
        chans = self._key(channels)
        cache_key = (period, grain, chans, competitor)
        if cache_key in self._agg_cache:
            return self._agg_cache[cache_key]
        if grain == "period":
            bks = [Bucket("period", period, period, False)]
        else:
            bks = buckets(period, grain)
        rows = self._rows(chans, competitor).filter(
            pl.col("date").is_between(period.start, period.end)
        )
        kinds = self.catalogue.metric_kinds
        flows = [m for m in self.metrics if kinds[m] == "flow"]
        means = [m for m in self.metrics if kinds[m] == "mean"]
        stocks = [m for m in self.metrics if kinds[m] == "stock"]
        if grain in ("period", "day"):
            keyexpr = pl.lit(period.start) if grain == "period" else pl.col("date")
        else:
            keyexpr = pl.col("date").dt.truncate(_TRUNCATE[grain])
        exprs: list[pl.Expr] = []
        for m in flows:
            # A sum over no values is "no value", not 0. Rounded to a millionth: adding up
            # cents in binary floating point leaves noise (1264310.6099999999 for a total of
            # 1,264,310.61) that kpis.json would otherwise publish as the amount.
            total = pl.col(m).sum().cast(pl.Float64).round(SUM_DECIMALS)
            exprs.append(pl.when(pl.col(m).count() > 0).then(total).alias(m))
        for m in means:
            exprs.append(pl.col(m).mean().alias(m))
        by_key: dict[date, dict[str, float | None]] = {}
        if exprs and rows.height:
            grouped = rows.group_by(keyexpr.alias("_k")).agg(exprs)
            for rec in grouped.iter_rows(named=True):
                k = rec.pop("_k")
                by_key[k] = rec
        out: list[_Agg] = []
        stock_data = {m: self._stocks(chans, competitor, m) for m in stocks}
        totals = self._total_rows(chans, competitor)
        for b in bks:
            values: dict[str, float | None] = dict(
                by_key.get(b.full.start if grain != "period" else period.start, {})
            )
            for m in flows + means:
                values.setdefault(m, None)
            starts: dict[str, float | None] = {}
            avgs: dict[str, float | None] = {}
            for m in stocks:
                values[m], starts[m] = _stock_values(stock_data[m], b.period)
                avgs[m] = _stock_average(stock_data[m], b.period)
            if totals:
                daily = {
                    m: {ch for ch, (ds, _) in stock_data[m].items() if _any_in(ds, b.period)}
                    for m in stocks
                }
                self._add_totals(values, starts, totals, b.period, grain == "period", daily)
            out.append(_Agg(b, values, starts, avgs))
        self._agg_cache[cache_key] = out
        return out

    # -- period totals -----------------------------------------------------------------------

    def _total_rows(self, chans: tuple[str, ...], competitor: str | None) -> list[dict[str, Any]]:
        key = (chans, competitor)
        if key not in self._totals_cache:
            t = self.totals.filter(
                pl.col("competitor").is_null()
                if competitor is None
                else pl.col("competitor") == competitor
            )
            if chans:
                t = t.filter(pl.col("channel").is_in(list(chans)))
            self._totals_cache[key] = t.sort("channel", "end", "start").to_dicts()
        return self._totals_cache[key]

    def _add_totals(
        self,
        values: dict[str, float | None],
        starts: dict[str, float | None],
        rows: list[dict[str, Any]],
        period: Period,
        whole: bool,
        daily_stocks: dict[str, set[str]],
    ) -> None:
        """Add the totals whose period lies within period.

        With whole (a report period), a metric that a total gives for part of period has no
        value. Otherwise (a chart's bucket, a point standing for the whole bucket), a
        channel's totals count only where together they cover the bucket: a March total is
        March's point, and no week's, and a two-day total is no month's point.
        daily_stocks: per stock, the channels whose daily rows give it in period (their
        value is the daily one: a channel's stock is never added twice)."""
        inside = [r for r in rows if period.start <= r["start"] and r["end"] <= period.end]
        across = [
            r
            for r in rows
            if r["start"] <= period.end
            and r["end"] >= period.start
            and not (period.start <= r["start"] and r["end"] <= period.end)
        ]
        kinds = self.catalogue.metric_kinds
        for m in self.metrics:
            given = [r for r in inside if r[m] is not None]
            if whole and any(r[m] is not None for r in across):
                values[m] = None
                continue
            if not whole:
                covering = {
                    ch for ch in {r["channel"] for r in given} if _covered(given, ch, period)
                }
                given = [r for r in given if r["channel"] in covering]
            if not given:
                continue
            if kinds[m] == "flow":
                values[m] = (values.get(m) or 0.0) + sum(r[m] for r in given)
            elif kinds[m] == "mean":
                if values.get(m) is None:
                    values[m] = sum(r[m] for r in given) / len(given)
            else:
                # A stock: each channel's last total in the period (rows are sorted by end);
                # its start value, the last total before the period, else the first in it.
                last: dict[str, float] = {}
                first: dict[str, float] = {}
                for r in given:
                    if r["channel"] in daily_stocks[m]:
                        continue
                    last[r["channel"]] = r[m]
                    first.setdefault(r["channel"], r[m])
                for r in rows:
                    if r[m] is not None and r["end"] < period.start and r["channel"] in first:
                        first[r["channel"]] = r[m]
                if last:
                    values[m] = (values.get(m) or 0.0) + sum(last.values())
                    starts[m] = (starts.get(m) or 0.0) + sum(first.values())

    def has_daily(
        self,
        kpi_id: str,
        period: Period,
        channels: Sequence[str] | None = None,
        competitor: str | None = None,
    ) -> bool:
        """Return True when daily rows give one of the KPI's inputs in period."""
        cat = self.catalogue
        inputs = [k for k in cat.order(kpi_id) if k in cat.metrics and k in self.metrics]
        rows = self._rows(self._key(channels), competitor).filter(
            pl.col("date").is_between(period.start, period.end)
        )
        return bool(inputs) and rows.select(pl.col(inputs).count().sum()).sum_horizontal()[0] > 0

    def total_periods(
        self,
        kpi_id: str,
        period: Period,
        channels: Sequence[str] | None = None,
        competitor: str | None = None,
    ) -> tuple[Period, ...]:
        """Return the periods of the totals that the KPI's value over period uses (sorted)."""
        rows = self._total_rows(self._key(channels), competitor)
        if not rows:
            return ()
        cat = self.catalogue
        inputs = [k for k in cat.order(kpi_id) if k in cat.metrics and k in self.metrics]
        found = {
            Period(r["start"], r["end"])
            for r in rows
            if period.start <= r["start"]
            and r["end"] <= period.end
            and any(r[m] is not None for m in inputs)
        }
        return tuple(sorted(found))


def _covered(rows: list[dict[str, Any]], channel: str, period: Period) -> bool:
    """Return True when channel's rows (start, end) leave no day of period uncovered."""
    day = period.start
    for r in sorted((r for r in rows if r["channel"] == channel), key=lambda r: r["start"]):
        if r["start"] > day:
            return False
        day = max(day, r["end"] + timedelta(days=1))
    return day > period.end


def _any_in(dates: list[date], period: Period) -> bool:
    """Return True when a sorted list of dates has one within period."""
    i = bisect.bisect_left(dates, period.start)
    return i < len(dates) and dates[i] <= period.end


def _stock_values(
    data: dict[str, tuple[list[date], list[float]]], period: Period
) -> tuple[float | None, float | None]:
    """Return (end value, start value) summed over channels for a stock in period."""
    end_total: float | None = None
    start_total: float | None = None
    for dates, vals in data.values():
        lo = bisect.bisect_left(dates, period.start)
        hi = bisect.bisect_right(dates, period.end)
        if hi > lo:
            end_total = (end_total or 0.0) + vals[hi - 1]
        if lo > 0:
            start_total = (start_total or 0.0) + vals[lo - 1]
        elif hi > lo:
            start_total = (start_total or 0.0) + vals[lo]
    return end_total, start_total


def _stock_average(data: dict[str, tuple[list[date], list[float]]], period: Period) -> float | None:
    """Return a stock's average daily value in period, summed over channels.

    Each day takes the channel's last value on or before it; days before the channel's first
    value take that first value (as start() does). A channel with no value on or before the
    end of the period is left out; None when no channel has one.
    """
    total: float | None = None
    for dates, vals in data.values():
        lo = bisect.bisect_right(dates, period.start)
        hi = bisect.bisect_right(dates, period.end)
        if hi == 0:
            continue
        current = vals[lo - 1] if lo > 0 else vals[0]
        cursor, weighted = period.start, 0.0
        for i in range(lo, hi):
            weighted += current * (dates[i] - cursor).days
            current, cursor = vals[i], dates[i]
        weighted += current * ((period.end - cursor).days + 1)
        total = (total or 0.0) + weighted / period.days
    return total
