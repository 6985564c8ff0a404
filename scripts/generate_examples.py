#!/usr/bin/env python3
"""Generate the example client projects under content/, seeded and deterministic.

    python scripts/generate_examples.py            # (re)write content/, print the goal table
    python scripts/generate_examples.py --check    # compare with content/ on disk, write nothing

Every number comes from `random.Random` with fixed seeds and no clock is read, so two runs give
byte-identical files. The goals are designed to land on given statuses at each project's as-of
date; the script recomputes every goal with sitegen's model (the goals contract, docs/goals.md)
over the rows it writes and fails when a goal would not come out as designed.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import io
import json
import math
import random
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from sitegen.config.project import load_project
from sitegen.model.goals import GoalResult
from sitegen.pipeline.run import compute

ROOT = Path(__file__).resolve().parent.parent
SEED_000 = "000_c2a314ae5f359c10.txt"
SEED_001 = "001_7a135ff1fc4014f6.txt"
SEED_004 = "004_63cf8b1974c05a5d.txt"

# ----------------------------------------------------------------------------------------------
# Random helpers
# ----------------------------------------------------------------------------------------------


def days(start: date, end: date) -> list[date]:
    """Return every date from start to end, both included."""
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def noise(rng: random.Random, sigma: float) -> float:
    """Return a log-normal factor with mean 1."""
    return math.exp(rng.gauss(0.0, sigma) - sigma * sigma / 2)


def poisson(rng: random.Random, lam: float) -> int:
    """Draw a Poisson count (normal approximation for large means)."""
    if lam <= 0:
        return 0
    if lam < 40:
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= rng.random()
            if p <= limit:
                return k
            k += 1
    return max(0, round(rng.gauss(lam, math.sqrt(lam))))


def count(rng: random.Random, lam: float, sigma: float = 0.15) -> int:
    """Draw a day's count around lam with extra day-to-day spread."""
    return poisson(rng, lam * noise(rng, sigma))


def binomial(rng: random.Random, n: int, p: float) -> int:
    """Draw a binomial count (normal approximation for large n)."""
    p = min(max(p, 0.0), 1.0)
    if n < 60:
        return sum(1 for _ in range(n) if rng.random() < p)
    return min(n, max(0, round(rng.gauss(n * p, math.sqrt(n * p * (1 - p))))))


class Diffuser:
    """Round a stream of expected values to integers, carrying the remainder forward.

    Used where a goal's status depends on a ratio of small counts (NPS): the totals then
    follow the design instead of the sampling noise, while the days still look irregular.
    """

    def __init__(self) -> None:
        self.carry = 0.0

    def __call__(self, x: float) -> int:
        y = x + self.carry
        n = max(0, math.floor(y + 0.5))
        self.carry = y - n
        return n


def seasonal(d: date, table: Sequence[float]) -> float:
    """Interpolate a 12-month table (values at mid-month) smoothly to the day."""
    dim = calendar.monthrange(d.year, d.month)[1]
    pos = d.month - 1 + (d.day - 0.5) / dim - 0.5
    lo = math.floor(pos)
    frac = pos - lo
    return table[lo % 12] * (1 - frac) + table[(lo + 1) % 12] * frac


def weekday_factors(raw: Sequence[float]) -> tuple[float, ...]:
    """Normalise Monday..Sunday factors to a mean of 1 so they only move days around."""
    mean = sum(raw) / len(raw)
    return tuple(x / mean for x in raw)


def window(d: date, start: date, end: date, lift: float, ramp: int = 7) -> float:
    """Return a campaign multiplier: 1 outside [start, end], ramping up to lift inside."""
    if d < start or d > end:
        return 1.0
    share = min(1.0, ((d - start).days + 1) / ramp)
    return 1.0 + (lift - 1.0) * share


def blend(d: date, start: date, end: date, before: float, after: float) -> float:
    """Move linearly from before (up to start) to after (from end on)."""
    if d <= start:
        return before
    if d >= end:
        return after
    return before + (after - before) * (d - start).days / (end - start).days


def years_since(d: date, origin: date) -> float:
    """Return the time from origin to d in years."""
    return (d - origin).days / 365.25


# ----------------------------------------------------------------------------------------------
# Data files: rows with canonical keys, rendered the way a platform exports them
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Col:
    """A column of an export: its header as written, its canonical key, its decimals."""

    header: str
    key: str
    decimals: int = 0


@dataclass
class DataFile:
    """One file under data/: the rows (canonical keys) and how the platform writes them."""

    path: str
    cols: list[Col]
    rows: list[dict[str, object]]
    channel: str | None = None  # None: the rows carry a channel column
    delimiter: str = ","
    encoding: str = "utf-8"
    decimal: str = "."
    thousands: str = ""
    thousands_keys: frozenset[str] = frozenset()  # empty: every number gets separators
    date_format: str = "%Y-%m-%d"
    title_lines: tuple[str, ...] = ()
    post_level: bool = False

    def cell(self, col: Col, value: object) -> str:
        """Format one cell as the platform would."""
        if value is None:
            return ""
        if isinstance(value, date):
            return value.strftime(self.date_format)
        if isinstance(value, str):
            return value
        assert isinstance(value, int | float)
        text = f"{value:,.{col.decimals}f}"
        use_sep = not self.thousands_keys or col.key in self.thousands_keys
        sep = self.thousands if use_sep else ""
        return text.replace(",", "\0").replace(".", self.decimal).replace("\0", sep)

    def render(self) -> bytes:
        """Return the file's bytes."""
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=self.delimiter, lineterminator="\n")
        for line in self.title_lines:
            writer.writerow([line])
        writer.writerow([c.header for c in self.cols])
        for row in self.rows:
            writer.writerow([self.cell(c, row.get(c.key)) for c in self.cols])
        return buf.getvalue().encode(self.encoding)


def drop_days(
    rng: random.Random,
    rows: list[dict[str, object]],
    n_random: int,
    outages: Sequence[tuple[date, int]] = (),
) -> list[dict[str, object]]:
    """Remove a few random days and whole outages (rows absent, as when an export skips days)."""
    gone: set[object] = set()
    for start, length in outages:
        gone.update(start + timedelta(days=i) for i in range(length))
    dates = sorted({r["date"] for r in rows}, key=str)
    gone.update(rng.sample(dates[1:-1], n_random))
    return [r for r in rows if r["date"] not in gone]


def blank_cells(
    rng: random.Random, rows: list[dict[str, object]], keys: Sequence[str], n: int
) -> None:
    """Empty a few cells (missing values, never zeros)."""
    for _ in range(n):
        row = rows[rng.randrange(1, len(rows) - 1)]
        row[rng.choice(list(keys))] = None


# ----------------------------------------------------------------------------------------------
# KPI values for the page prose, over exactly the rows written (goal statuses: check_goals)
# ----------------------------------------------------------------------------------------------

FLOWS = (
    "impressions",
    "reach",
    "new_followers",
    "unfollows",
    "likes",
    "comments",
    "shares",
    "saves",
    "posts",
    "video_views",
    "profile_visits",
    "mentions",
    "competitor_mentions",
    "positive_mentions",
    "neutral_mentions",
    "negative_mentions",
    "clicks",
    "sessions",
    "bounces",
    "conversions",
    "leads",
    "customers",
    "orders",
    "revenue",
    "spend",
    "messages",
    "responses",
    "survey_responses",
    "satisfied",
    "promoters",
    "passives",
    "detractors",
)
METRICS = (*FLOWS, "followers", "response_time")

Agg = dict[str, float | None]


def metric_getter(metric: str) -> Callable[[Agg], float | None]:
    """Return the function that reads one base metric from the sums."""
    return lambda a: a[metric]


def number(x: object) -> float:
    """Return x as a float (the rows hold ints and floats behind `object`)."""
    assert isinstance(x, int | float), x
    return float(x)


def _div(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def _engagement(a: Agg) -> float | None:
    parts = [a[k] for k in ("likes", "comments", "shares", "saves")]
    if all(p is None for p in parts):
        return None
    return sum(p for p in parts if p is not None)


def _pct(x: float | None) -> float | None:
    return None if x is None else x * 100


@dataclass(frozen=True)
class KpiRule:
    """A KPI for the page prose: how to compute it from the sums of the rows written."""

    fn: Callable[[Agg], float | None]


KPIS: dict[str, KpiRule] = {
    "engagement": KpiRule(_engagement),
    "engagement_rate": KpiRule(lambda a: _pct(_div(_engagement(a), a["reach"]))),
    "ctr": KpiRule(lambda a: _pct(_div(a["clicks"], a["impressions"]))),
    "conversion_rate": KpiRule(lambda a: _pct(_div(a["conversions"], a["clicks"]))),
    "bounce_rate": KpiRule(lambda a: _pct(_div(a["bounces"], a["sessions"]))),
    "lead_conversion_rate": KpiRule(lambda a: _pct(_div(a["customers"], a["leads"]))),
    "cpl": KpiRule(lambda a: _div(a["spend"], a["leads"])),
    "cac": KpiRule(lambda a: _div(a["spend"], a["customers"])),
    "cpc": KpiRule(lambda a: _div(a["spend"], a["clicks"])),
    "roas": KpiRule(lambda a: _div(a["revenue"], a["spend"])),
    "aov": KpiRule(lambda a: _div(a["revenue"], a["orders"])),
    "share_of_voice": KpiRule(
        lambda a: _pct(
            _div(
                a["mentions"],
                None
                if a["mentions"] is None or a["competitor_mentions"] is None
                else a["mentions"] + a["competitor_mentions"],
            )
        ),
    ),
    "response_rate": KpiRule(lambda a: _pct(_div(a["responses"], a["messages"]))),
    "avg_response_time": KpiRule(lambda a: a["response_time"]),
    "csat": KpiRule(lambda a: _pct(_div(a["satisfied"], a["survey_responses"]))),
    "nps": KpiRule(
        lambda a: (
            None
            if a["promoters"] is None or a["passives"] is None or a["detractors"] is None
            else _pct(
                _div(
                    a["promoters"] - a["detractors"],
                    a["promoters"] + a["passives"] + a["detractors"],
                )
            )
        ),
    ),
    "follower_growth_rate": KpiRule(
        lambda a: _pct(
            _div(
                None
                if a["followers"] is None or a["followers_start"] is None
                else a["followers"] - a["followers_start"],
                a["followers_start"],
            )
        ),
    ),
}
for _m in METRICS:
    KPIS.setdefault(_m, KpiRule(metric_getter(_m)))


class Calc:
    """Compute KPIs over a project's rows (the client's own rows: competitor is null)."""

    def __init__(self, frame: pl.DataFrame, custom: dict[str, KpiRule]) -> None:
        self.frame = frame.filter(pl.col("competitor").is_null())
        self.rules = {**KPIS, **custom}

    def agg(self, start: date, end: date, channel: str | None = None) -> Agg:
        """Aggregate base metrics over [start, end]: flows summed, stocks last, means averaged."""
        own = self.frame if channel is None else self.frame.filter(pl.col("channel") == channel)
        sub = own.filter(pl.col("date").is_between(start, end))
        out: Agg = {}
        for m in FLOWS:
            if m not in sub.columns or sub[m].null_count() == sub.height:
                out[m] = None
            else:
                out[m] = float(sub[m].sum())
        rt = sub["response_time"].drop_nulls()
        out["response_time"] = float(rt.sum()) / rt.len() if rt.len() else None
        out["followers"], out["followers_start"] = None, None
        if "followers" in sub.columns:
            ends, starts = [], []
            for _channel, part in (
                own.filter(pl.col("followers").is_not_null())
                .sort("date")
                .group_by(["channel"], maintain_order=True)
            ):
                inside = part.filter(pl.col("date").is_between(start, end))
                if inside.height == 0:
                    continue
                before = part.filter(pl.col("date") < start)
                ends.append(float(inside["followers"][-1]))
                starts.append(
                    float(before["followers"][-1] if before.height else inside["followers"][0])
                )
            if ends:
                out["followers"], out["followers_start"] = sum(ends), sum(starts)
        return out

    def kpi(self, kpi: str, start: date, end: date, channel: str | None = None) -> float | None:
        """Return the KPI over [start, end] for one channel or all of them."""
        return self.rules[kpi].fn(self.agg(start, end, channel))


# ----------------------------------------------------------------------------------------------
# TOML output (written by hand: tomllib only reads)
# ----------------------------------------------------------------------------------------------


def toml_value(v: object) -> str:
    """Render a TOML value."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list | tuple):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"no TOML for {v!r}")


def toml_tables(name: str, items: Sequence[dict[str, object]]) -> str:
    """Render an array of tables; a "#" key becomes comment lines above the table."""
    out = []
    for item in items:
        lines = [f"# {c}" if c else "#" for c in str(item.get("#", "")).splitlines()]
        lines.append(f"[[{name}]]")
        lines += [f"{k} = {toml_value(v)}" for k, v in item.items() if not k.startswith(("#", "_"))]
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


# ----------------------------------------------------------------------------------------------
# Project assembly
# ----------------------------------------------------------------------------------------------


@dataclass
class Project:
    """One example project: its files, its goals with their designed statuses, its numbers."""

    folder: str
    period: tuple[date, date]
    files: list[DataFile]
    custom: dict[str, KpiRule] = field(default_factory=dict)
    goals: list[dict[str, object]] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # path -> text (toml, md, svg)
    calc: Calc | None = None

    @property
    def asof(self) -> date:
        """Return the report's as-of date: the period's last day."""
        return self.period[1]

    def frame(self) -> pl.DataFrame:
        """Return the rows written, one per (date, channel, competitor), canonical columns."""
        records: list[dict[str, object]] = []
        seen: dict[tuple[object, object, object], str] = {}
        for f in self.files:
            keys = [c.key for c in f.cols if c.key in METRICS]
            grouped: dict[tuple[object, object, object], dict[str, object]] = {}
            for row in f.rows:
                rec = {"date": row["date"], "channel": row.get("channel", f.channel)}
                rec["competitor"] = row.get("competitor")
                key = (rec["date"], rec["channel"], rec["competitor"])
                if f.post_level and key in grouped:
                    tgt = grouped[key]
                    for k in keys:
                        a, b = tgt.get(k), row.get(k)
                        tgt[k] = a if b is None else b if a is None else number(a) + number(b)
                    tgt["posts"] = number(tgt["posts"]) + 1
                    continue
                assert key not in grouped, f"{f.path}: two rows for {key}"
                # The reader merges files per (date, channel, competitor); keep ours disjoint.
                assert key not in seen, f"{f.path} and {seen.get(key)} both have rows for {key}"
                grouped[key] = rec | {k: row.get(k) for k in keys}
                if f.post_level:  # one row per post: the rows of a day are its posts
                    grouped[key]["posts"] = 1
            for key, rec in grouped.items():
                seen[key] = f.path
                records.append(rec)
        schema = {"date": pl.Date, "channel": pl.Utf8, "competitor": pl.Utf8}
        schema |= {m: pl.Float64 for m in METRICS}
        rows = [{k: r.get(k) for k in schema} for r in records]
        return pl.DataFrame(rows, schema=schema, orient="row").sort("date", "channel")

    def outputs(self) -> dict[str, bytes]:
        """Return every file of the project folder, path -> bytes."""
        out = {f.path: f.render() for f in self.files}
        out |= {p: t.encode("utf-8") for p, t in self.texts.items()}
        return out


def check_goals(project: Project, files: dict[str, bytes]) -> list[GoalResult]:
    """Build the project's analysis with sitegen itself (reader, model) from the files written,
    and fail when a goal does not land on its designed status."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / project.folder
        for p, data in files.items():
            (folder / p).parent.mkdir(parents=True, exist_ok=True)
            (folder / p).write_bytes(data)
        loaded = load_project(folder)
        analysis = compute(loaded, loaded.read_data())
    results = {r.spec.id: r for r in analysis.goals}
    designed = {str(g["id"]): str(g["_expect"]) for g in project.goals}
    if results.keys() != designed.keys():
        raise SystemExit(f"{project.folder}: goals {sorted(results)}, designed {sorted(designed)}")
    for gid, expect in designed.items():
        if results[gid].status != expect:
            raise SystemExit(
                f"{project.folder}: goal {gid} comes out {results[gid].status}, designed "
                f"{expect}: {results[gid]}"
            )
    return [results[gid] for gid in designed]


def fmt_num(x: float, locale: str, decimals: int = 0) -> str:
    """Format a number for a page's prose in the project's locale."""
    text = f"{x:,.{decimals}f}"
    if locale == "en":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", "\u00a0")


def change(a: float, b: float) -> float:
    """Return (a - b) / |b|."""
    return (a - b) / abs(b)


def pct(x: float, locale: str, decimals: int = 0, sign: bool = True) -> str:
    """Format a fraction as a signed percentage for prose."""
    s = fmt_num(abs(x) * 100, locale, decimals)
    mark = "" if not sign else "+" if x >= 0 else "−" if locale != "en" else "-"
    space = "\u00a0" if locale != "en" else ""
    return f"{mark}{s}{space}%"


def val(calc: Calc, kpi: str, start: date, end: date, channel: str | None = None) -> float:
    """Return a KPI value the prose needs (it must exist)."""
    x = calc.kpi(kpi, start, end, channel)
    assert x is not None, f"{kpi} has no value over {start}..{end}"
    return x


def front_matter(title: str, order: int, commentary: bool = False) -> str:
    """Return a page's front matter block."""
    flag = "commentary: true\n" if commentary else ""
    return f"---\ntitle: {title}\norder: {order}\n{flag}---\n\n"


# ----------------------------------------------------------------------------------------------
# 1. Кухни Мастер: kitchen furniture, VK + Instagram, the reverse funnel of seed 004
# ----------------------------------------------------------------------------------------------

KUHNI_LOGO = """\
<svg xmlns="http://www.w3.org/2000/svg" width="240" height="64"
     viewBox="0 0 240 64" role="img" aria-label="Кухни Мастер">
  <rect x="4" y="8" width="48" height="48" rx="6" fill="#8b5e3c"/>
  <rect x="10" y="14" width="16" height="36" rx="2" fill="#f3e7d9"/>
  <rect x="30" y="14" width="16" height="36" rx="2" fill="#f3e7d9"/>
  <rect x="22" y="28" width="2" height="8" fill="#8b5e3c"/>
  <rect x="32" y="28" width="2" height="8" fill="#8b5e3c"/>
  <text x="62" y="30" font-family="Georgia, serif" font-size="20" font-weight="bold"
       fill="#4a3020">Кухни</text>
  <text x="62" y="52" font-family="Georgia, serif" font-size="20" fill="#8b5e3c">Мастер</text>
</svg>
"""


def build_kuhni() -> Project:
    """Build the Russian kitchen-furniture maker (RUB, VK + Instagram, CRM sales)."""
    first, last = date(2023, 10, 1), date(2025, 10, 31)
    period = (date(2025, 1, 1), date(2025, 10, 31))
    all_days = days(first, last)
    # Kitchens sell in autumn (renovations after the summer) and slump after the New Year.
    s_activity = (0.85, 0.9, 1.0, 1.0, 0.95, 0.85, 0.85, 0.95, 1.1, 1.2, 1.15, 0.95)
    s_leads = (0.65, 0.8, 0.95, 1.0, 0.9, 0.8, 0.78, 0.9, 1.2, 1.35, 1.3, 0.95)
    s_budget = (0.85, 0.9, 1.0, 1.0, 0.95, 0.9, 0.9, 0.95, 1.1, 1.2, 1.15, 0.95)
    wd_activity = weekday_factors((1.02, 1.04, 1.03, 1.0, 0.93, 0.9, 1.08))
    # Families look at kitchens at the weekend and send the request on Sunday evening or Monday.
    wd_leads = weekday_factors((1.15, 1.1, 1.05, 1.0, 0.85, 0.75, 1.1))
    camp = (date(2025, 3, 1), date(2025, 4, 30))  # video reviews + a quiz lead form on VK

    def efficiency(d: date) -> float:
        # New quiz landing page from December 2024: more leads for the same budget.
        return blend(d, date(2024, 12, 1), date(2025, 1, 31), 1.0, 1.28)

    rng = random.Random(4004)
    vk_rows: list[dict[str, object]] = []
    ig_rows: list[dict[str, object]] = []
    leads_by_day: dict[date, int] = {}
    vk_f, ig_f = 20_310, 8_140
    for d in all_days:
        growth = 1 + 0.08 * years_since(d, first)
        act = seasonal(d, s_activity) * wd_activity[d.weekday()] * growth
        lead_lam = seasonal(d, s_leads) * wd_leads[d.weekday()] * efficiency(d)
        budget = seasonal(d, s_budget) * (1 + 0.03 * years_since(d, first))

        imp = round(9_200 * act * window(d, *camp, 1.25) * noise(rng, 0.18))
        reach = round(imp * rng.uniform(0.52, 0.62))
        eng = window(d, *camp, 1.35)
        new_f = count(rng, reach * 0.001 * eng)
        vk_f += new_f - count(rng, 2.0)
        vk = {
            "date": d,
            "impressions": imp,
            "reach": reach,
            "followers": vk_f,
            "likes": count(rng, reach * 0.016 * eng),
            "comments": count(rng, reach * 0.0018 * window(d, *camp, 1.6)),
            "shares": count(rng, reach * 0.0012 * eng),
            "clicks": count(rng, reach * 0.011 * window(d, *camp, 1.45)),
            "leads": count(rng, 1.55 * lead_lam * window(d, *camp, 1.4), 0.2),
            "spend": round(860 * budget * noise(rng, 0.08), 2),
        }
        vk_rows.append(vk)

        imp = round(6_600 * act * window(d, *camp, 1.15) * noise(rng, 0.2))
        reach = round(imp * rng.uniform(0.58, 0.68))
        posts = poisson(rng, 0.6 if d.weekday() >= 5 else 1.05)
        post_boost = 0.75 + 0.25 * min(posts, 2)
        new_f = count(rng, reach * 0.0021 * post_boost)
        unf = count(rng, 4.0)
        ig_f += new_f - unf
        ig = {
            "date": d,
            "impressions": imp,
            "reach": reach,
            "followers": ig_f,
            "new_followers": new_f,
            "unfollows": unf,
            "likes": count(rng, reach * 0.032 * post_boost * window(d, *camp, 1.2)),
            "comments": count(rng, reach * 0.0025 * post_boost),
            "saves": count(rng, reach * 0.0055 * post_boost * window(d, *camp, 1.3)),
            "shares": count(rng, reach * 0.0018 * post_boost),
            "posts": posts,
            "profile_visits": count(rng, reach * 0.012),
            "clicks": count(rng, reach * 0.005 * window(d, *camp, 1.2)),
            "leads": count(rng, 1.05 * lead_lam * window(d, *camp, 1.25), 0.2),
            "spend": round(580 * budget * noise(rng, 0.1), 2),
        }
        ig_rows.append(ig)
        leads_by_day[d] = round(number(vk["leads"]) + number(ig["leads"]))

    # Sales follow leads after a measurement visit and a design meeting: two to five weeks.
    crm_rows: list[dict[str, object]] = []
    for d in all_days:
        recent = [leads_by_day.get(d - timedelta(days=k), 0) for k in range(10, 36)]
        customers = poisson(rng, 0.1 * sum(recent) / len(recent))
        revenue = sum(
            round(min(190_000, max(42_000, rng.gauss(86_000, 19_000))) / 500) * 500
            for _ in range(customers)
        )
        crm_rows.append({"date": d, "customers": customers, "revenue": revenue})

    competitors = [
        # name, {channel: (followers at start, daily growth, posts/day, er per post)}
        ("КухниПрофи", {"vk": (46_800, 9.0, 1.6, 0.0042), "instagram": (21_500, 6.0, 1.2, 0.011)}),
        (
            "Интерио Кухни",
            {"vk": (15_200, 4.0, 0.9, 0.0065), "instagram": (12_900, 7.5, 1.4, 0.016)},
        ),
        ("Гарнитур-М", {"vk": (9_400, 1.5, 0.5, 0.0048), "instagram": (4_100, 0.8, 0.4, 0.009)}),
    ]
    comp_rows: list[dict[str, object]] = []
    comp_mentions: dict[date, int] = {}
    for name, chans in competitors:
        for ch, (f0, growth_f, post_rate, er) in chans.items():
            fol = float(f0)
            for d in all_days:
                act = seasonal(d, s_activity)
                fol += growth_f * act * noise(rng, 0.5)
                posts = poisson(rng, post_rate)
                mentions = count(rng, fol / 9_000 * act, 0.3)
                comp_mentions[d] = comp_mentions.get(d, 0) + mentions
                comp_rows.append(
                    {
                        "date": d,
                        "channel": ch,
                        "competitor": name,
                        "followers": round(fol),
                        "posts": posts,
                        "likes": count(rng, fol * er * (0.3 + posts)),
                        "comments": count(rng, fol * er * 0.08 * (0.3 + posts)),
                        "shares": count(rng, fol * er * 0.05 * (0.3 + posts)),
                        "mentions": mentions,
                    }
                )
    comp_rng = random.Random(4005)
    comp_rows = [r for r in comp_rows if comp_rng.random() > 0.004]  # the tracker misses a few

    brand_rows: list[dict[str, object]] = []
    for d in all_days:
        mentions = count(rng, 5.5 * seasonal(d, s_activity) * window(d, *camp, 1.5), 0.25)
        pos = binomial(rng, mentions, 0.42)
        neg = binomial(rng, mentions - pos, 0.17)
        brand_rows.append(
            {
                "date": d,
                "mentions": mentions,
                "competitor_mentions": comp_mentions[d],
                "positive_mentions": pos,
                "neutral_mentions": mentions - pos - neg,
                "negative_mentions": neg,
            }
        )

    gaps = random.Random(4006)
    vk_rows = drop_days(gaps, vk_rows, 5, [(date(2024, 8, 12), 3)])
    blank_cells(gaps, vk_rows, ["comments", "shares", "clicks"], 5)
    ig_rows = drop_days(gaps, ig_rows, 6, [(date(2025, 2, 17), 2)])
    blank_cells(gaps, ig_rows, ["profile_visits", "saves", "shares"], 6)
    brand_rows = drop_days(gaps, brand_rows, 3)

    files = [
        DataFile(
            "data/vk.csv",
            [
                Col("Дата", "date"),
                Col("Показы", "impressions"),
                Col("Охват", "reach"),
                Col("Подписчики", "followers"),
                Col("Лайки", "likes"),
                Col("Комментарии", "comments"),
                Col("Репосты", "shares"),
                Col("Переходы", "clicks"),
                Col("Заявки", "leads"),
                Col("Расход, ₽", "spend", 2),
            ],
            vk_rows,
            channel="vk",
            delimiter=";",
            encoding="utf-8-sig",
            decimal=",",
            thousands=" ",
            date_format="%d.%m.%Y",
        ),
        DataFile(
            "data/instagram.csv",
            [
                Col("Дата", "date"),
                Col("Показы", "impressions"),
                Col("Охват", "reach"),
                Col("Подписчики", "followers"),
                Col("Новые подписчики", "new_followers"),
                Col("Отписки", "unfollows"),
                Col("Лайки", "likes"),
                Col("Комментарии", "comments"),
                Col("Сохранения", "saves"),
                Col("Репосты", "shares"),
                Col("Публикации", "posts"),
                Col("Посещения профиля", "profile_visits"),
                Col("Переходы", "clicks"),
                Col("Заявки", "leads"),
                Col("Расход", "spend", 2),
            ],
            ig_rows,
            channel="instagram",
            encoding="cp1251",
        ),
        DataFile(
            "data/crm.csv",
            [Col("Дата", "date"), Col("Клиенты", "customers"), Col("Выручка", "revenue")],
            crm_rows,
            channel="crm",
        ),
        DataFile(
            "data/brand-analytics.csv",
            [
                Col("Дата", "date"),
                Col("Упоминания", "mentions"),
                Col("Упоминания конкурентов", "competitor_mentions"),
                Col("Позитивные упоминания", "positive_mentions"),
                Col("Нейтральные упоминания", "neutral_mentions"),
                Col("Негативные упоминания", "negative_mentions"),
            ],
            brand_rows,
            channel="brand-analytics",
            delimiter=";",
            encoding="utf-8-sig",
            date_format="%d.%m.%Y",
        ),
        DataFile("data/competitors.csv", COMPETITOR_COLS, comp_rows),
    ]
    project = Project("kuhni-master", period, files)
    project.custom = {"revenue_per_lead": KpiRule(lambda a: _div(a["revenue"], a["leads"]))}
    calc = project.calc = Calc(project.frame(), project.custom)

    project.goals = [
        {
            "#": "Абсолютная цель по количеству: заявки с 1 июля из 600; прогноз продолжает\n"
            "темп последних 28 дней (в первом полугодии было около 540).",
            "id": "leads-600-h2",
            "title": "600 заявок из соцсетей во втором полугодии",
            "kpi": "leads",
            "target": 600,
            "start": date(2025, 7, 1),
            "deadline": date(2025, 12, 31),
            "_expect": "on_track",
        },
        {
            "#": "Цель на каждый месяц: текущее значение — последний полный месяц (октябрь);\n"
            "статус — по прогнозу на декабрь; страница говорит, в скольких месяцах\n"
            "цель выполнена.\n"
            "80 заявок — цифра из статьи 004; по обратной воронке нужно 100 (см. план).",
            "id": "leads-80-month",
            "title": "Не меньше 80 заявок в месяц",
            "kpi": "leads",
            "target": 80,
            "per": "month",
            "baseline": 60,
            "start": date(2025, 1, 1),
            "deadline": date(2025, 12, 31),
            "_expect": "on_track",
        },
        {
            "#": "Меньше — лучше. Потолок 400 ₽ за заявку следует из плана ниже;\n"
            "база — средняя цена заявки за 2024 год.",
            "id": "cpl-400",
            "title": "Снизить стоимость заявки до 400 ₽",
            "kpi": "cpl",
            "target": 400,
            "baseline_period": {"start": date(2024, 1, 1), "end": date(2024, 12, 31)},
            "start": date(2025, 1, 1),
            "deadline": date(2025, 12, 31),
            "_expect": "off_track",
        },
        {
            "#": "Метрика тщеславия: клиент настоял, сборка покажет предупреждение.",
            "id": "vk-followers-25k",
            "title": "25 000 подписчиков в сообществе ВКонтакте к 30 июня",
            "kpi": "followers",
            "channel": "vk",
            "target": 25_000,
            "start": date(2025, 1, 1),
            "deadline": date(2025, 6, 30),
            "_expect": "missed",
        },
    ]
    plans: list[dict[str, object]] = [
        {
            "#": "Обратная воронка из статьи 004: 800 000 ₽ / 80 000 ₽ = 10 клиентов;\n"
            "при конверсии заявки в продажу 10 % нужно 100 заявок; 40 000 ₽ / 100 = 400 ₽.",
            "title": "Кухни: 800 000 ₽ в месяц из соцсетей",
            "revenue_target": 800_000,
            "average_order": 80_000,
            "lead_to_customer": 0.10,
            "budget": 40_000,
        }
    ]
    cases: list[dict[str, object]] = [
        {
            "#": "База — те же месяцы 2024 года,\n"
            "чтобы не принять весенний сезон за эффект кампании.",
            "id": "vk-video-quiz",
            "title": "Видео-обзоры кухонь и квиз во ВКонтакте",
            "period": {"start": camp[0], "end": camp[1]},
            "baseline_period": {"start": date(2024, 3, 1), "end": date(2024, 4, 30)},
            "kpis": ["engagement_rate", "clicks", "leads", "cpl"],
        }
    ]
    references: list[dict[str, object]] = [
        {
            "#": "Источники — примеры: названия и ссылки условные, не настоящие публикации.",
            "name": "Кухни Прованс",
            "goal": "Рост клиентской базы через вовлечённость",
            "kpi": "customers",
            "change": "+30%",
            "months": 6,
            "source": "Кейс VK Реклама: «Кухни Прованс» — +30 % клиентов за полгода (2024)",
            "url": "https://cases.example.com/vk/kuhni-provans",
        },
        {
            "#": "В кейсе нет срока для «Мебель Град»; сравниваем за 12 месяцев.",
            "name": "Мебель Град",
            "goal": "Рост продаж через Instagram",
            "kpi": "revenue",
            "change": "+20%",
            "months": 12,
            "source": "Кейс агентства «Север Медиа»: продажи мебели через Instagram, 2023",
            "url": "https://sever-media.example.com/cases/mebel-grad",
        },
    ]
    benchmarks: list[dict[str, object]] = [
        {
            "kpi": "engagement_rate",
            "low": 1.0,
            "high": 3.0,
            "source": "Внутренний бенчмарк агентства: сообщества мебельных производств, 2025",
            "date": date(2025, 3, 1),
        },
        {
            "#": "Старый ориентир (2020): сборка предупредит, что бенчмарку больше двух лет.",
            "kpi": "cpl",
            "value": 500,
            "source": "Яндекс Бизнес: средняя стоимость заявки в мебельной нише, 2020",
            "url": "https://research.example.com/yandex/mebel-cpl-2020",
            "date": date(2020, 5, 20),
        },
    ]
    project.texts = {
        "sitegen.toml": KUHNI_TOML,
        "goals.toml": toml_tables("goals", project.goals) + "\n" + toml_tables("plans", plans),
        "cases.toml": toml_tables("cases", cases)
        + "\n"
        + toml_tables("references", references)
        + "\n"
        + toml_tables("benchmarks", benchmarks),
        "assets/logo.svg": KUHNI_LOGO,
        **kuhni_pages(calc, period),
    }
    return project


COMPETITOR_COLS = [
    Col("date", "date"),
    Col("channel", "channel"),
    Col("competitor", "competitor"),
    Col("followers", "followers"),
    Col("posts", "posts"),
    Col("likes", "likes"),
    Col("comments", "comments"),
    Col("shares", "shares"),
    Col("mentions", "mentions"),
]

KUHNI_TOML = """\
[project]
name = "Кухни Мастер"
slug = "kuhni-master"
locale = "ru"
currency = "RUB"
timezone = "Europe/Moscow"

[period]
start = 2025-01-01
end = 2025-10-31

[data.columns]
# Выгрузка ВКонтакте подписывает расход вместе с валютой.
"Расход, ₽" = "spend"

[[kpis]]
id = "revenue_per_lead"
label = "Выручка на заявку"
formula = "revenue / leads"
unit = "currency"
better = "higher"

# Как отчёт выглядит для клиента: подпись агентства, фирменный цвет, названия каналов.
[report]
footer = "Подготовлено агентством «Север Медиа» · sever-media.example.com"
brand_colour = "#8b5e3c"
logo = "assets/logo.svg"

[channels.vk]
label = "ВКонтакте"

[channels.crm]
label = "CRM (amoCRM)"

[channels.brand-analytics]
label = "Brand Analytics"
"""


def kuhni_pages(calc: Calc, period: tuple[date, date]) -> dict[str, str]:
    """Write the agency's commentary for Кухни Мастер from the numbers in the data."""
    loc = "ru"
    p, ya = period, (date(2024, 1, 1), date(2024, 10, 31))
    leads, leads_ya = val(calc, "leads", *p), val(calc, "leads", *ya)
    cpl, cpl_ya = val(calc, "cpl", *p), val(calc, "cpl", *ya)
    spend, spend_ya = val(calc, "spend", *p), val(calc, "spend", *ya)
    cust = val(calc, "customers", *p)
    rev = val(calc, "revenue", *p)
    oct_leads = val(calc, "leads", date(2025, 10, 1), date(2025, 10, 31))
    oct_rev = val(calc, "revenue", date(2025, 10, 1), date(2025, 10, 31))
    camp_leads = val(calc, "leads", date(2025, 3, 1), date(2025, 4, 30))
    camp_base = val(calc, "leads", date(2024, 3, 1), date(2024, 4, 30))
    vk_june = val(calc, "followers", date(2025, 6, 1), date(2025, 6, 30), "vk")
    sov = val(calc, "share_of_voice", *p)
    intro = front_matter("Комментарий агентства", 1, commentary=True) + (
        "# Январь — октябрь 2025: соцсети стали приводить покупателей\n\n"
        f"За десять месяцев ВКонтакте и Instagram принесли **{fmt_num(leads, loc)} заявок** "
        f"({pct(change(leads, leads_ya), loc)} к тем же месяцам 2024 года) и "
        f"**{fmt_num(cust, loc)} договоров** на {fmt_num(rev / 1e6, loc, 1)} млн ₽ "
        "по данным CRM. Средняя стоимость заявки снизилась с "
        # Live numbers (docs/project-format.md): the same CPL as the report's, to the kopeck.
        '{{ kpi("cpl", period="year_ago") }} до {{ kpi("cpl") }} '
        f"({pct(change(cpl, cpl_ya), loc)}): "
        "с декабря заявки собирает квиз вместо длинной формы, а расход вырос всего на "
        f"{pct(change(spend, spend_ya), loc, sign=False)}.\n\n"
        "## Что сработало\n\n"
        "Весенняя кампания с видео-обзорами готовых кухонь и квизом во ВКонтакте дала "
        f"{fmt_num(camp_leads, loc)} заявок за март и апрель против "
        f"{fmt_num(camp_base, loc)} годом раньше ({pct(change(camp_leads, camp_base), loc)}). "
        "Мы сравниваем с теми же месяцами прошлого года, а не с январём и февралём: "
        "после праздников спрос на кухни всегда проседает, и сравнение с зимой "
        "приписало бы кампании сезонный рост.\n\n"
        f"Осенний сезон начался сильно: в октябре {fmt_num(oct_leads, loc)} заявок, "
        "больше сотни, которая нужна по плану. Выручка октября — "
        f"{fmt_num(oct_rev / 1000, loc)} тыс. ₽ при плане 800 тыс. ₽: "
        + (
            "договоры по октябрьским заявкам подписывают через две-пять недель, "
            "они придут в ноябре.\n\n"
            if oct_rev < 800_000
            else "план месяца выполнен.\n\n"
        )
        + "## Что не получилось\n\n"
        'Стоимость заявки ({{ goal("cpl-400").current }} с начала цели) всё ещё выше '
        "потолка в 400 ₽ из обратной воронки. "
        "Цель по подписчикам ВКонтакте (25 000 к 30 июня) не выполнена: "
        f"на конец июня в сообществе было {fmt_num(vk_june, loc)}. "
        "Мы с самого начала предлагали не ставить эту цель: подписчики не платят, "
        "а кухни покупают и люди, которые не подписываются.\n\n"
        f"Доля голоса бренда среди четырёх местных производителей — {fmt_num(sov, loc, 1)} %.\n\n"
        "## Ноябрь и декабрь\n\n"
        f"- возвращаем расход к бюджету 40 000 ₽ в месяц (в среднем тратили "
        f"{fmt_num(spend / 10_000, loc, 1)} тыс. ₽) и переносим его из Instagram в лид-формы "
        "ВКонтакте, где заявка дешевле;\n"
        "- повторяем видео-обзоры к новогодним скидкам;\n"
        "- договорились с отделом продаж отмечать в CRM источник каждого договора, "
        "чтобы считать стоимость клиента по каналам.\n"
    )
    method = front_matter("Как мы считаем план", 2) + (
        "# Обратная воронка\n\n"
        "План продаж из соцсетей мы раскладываем от выручки к бюджету, как в статье "
        "о KPI для SMM-специалиста:\n\n"
        "| шаг | расчёт | результат |\n"
        "|---|---|---|\n"
        "| выручка в месяц | цель клиента | 800 000 ₽ |\n"
        "| средний чек | один кухонный гарнитур | 80 000 ₽ |\n"
        "| клиенты | 800 000 / 80 000 | 10 |\n"
        "| заявки | 10 / 10 % конверсии в продажу | 100 |\n"
        "| потолок цены заявки | 40 000 ₽ бюджета / 100 заявок | 400 ₽ |\n\n"
        "В исходной статье получается 80 заявок и 500 ₽ за заявку, но при конверсии 10 % "
        "на 10 клиентов нужно 100 заявок, поэтому потолок — 400 ₽. На странице плана "
        "фактическая воронка по месяцам стоит рядом с расчётной.\n\n"
        "Заявки и расход берём из выгрузок ВКонтакте и Instagram, договоры и выручку — из CRM. "
        "Охват в отчёте — сумма дневных охватов: один человек может быть посчитан дважды.\n"
    )
    return {"pages/01-intro.md": intro, "pages/02-plan.md": method}


# ----------------------------------------------------------------------------------------------
# 2. Restorāns Liepa: a Riga restaurant, Facebook + Instagram, reservations, guest survey
# ----------------------------------------------------------------------------------------------

LIEPA_LOGO = """\
<svg xmlns="http://www.w3.org/2000/svg" width="220" height="64"
     viewBox="0 0 220 64" role="img" aria-label="Restorāns Liepa">
  <circle cx="32" cy="32" r="28" fill="#3e6b48"/>
  <path d="M32 12 C46 20 48 38 32 50 C16 38 18 20 32 12 Z" fill="#e8f0e0"/>
  <path d="M32 16 L32 54" stroke="#3e6b48" stroke-width="2"/>
  <path d="M32 28 L40 22 M32 36 L24 30 M32 44 L40 38" stroke="#3e6b48" stroke-width="1.5"/>
  <text x="70" y="28" font-family="Helvetica, Arial, sans-serif" font-size="12"
       letter-spacing="3" fill="#3e6b48">RESTORĀNS</text>
  <text x="70" y="52" font-family="Georgia, serif" font-size="24" font-weight="bold"
       fill="#24402b">Liepa</text>
</svg>
"""

LIEPA_TOML = """\
[project]
name = "Restorāns Liepa"
slug = "restorans-liepa"
locale = "lv"
currency = "EUR"
timezone = "Europe/Riga"

[period]
start = 2025-01-01
end = 2025-09-30

[[kpis]]
id = "cost_per_message"
label = "Izmaksas uz ziņojumu"
formula = "spend / messages"
unit = "currency"
better = "lower"

# Kā atskaite izskatās klientam: aģentūras paraksts, zīmola krāsa, kanālu nosaukumi.
[report]
footer = "Sagatavoja aģentūra «Ziemeļblāzma Digital» · ziemelblazma.example.com"
brand_colour = "#3e6b48"
logo = "assets/logo.svg"

[channels.aptauja]
label = "Viesu aptauja"
"""


def build_liepa() -> Project:
    """Build the Latvian restaurant (EUR, Facebook + Instagram, reservations, survey)."""
    first, last = date(2023, 9, 1), date(2025, 9, 30)
    period = (date(2025, 1, 1), date(2025, 9, 30))
    all_days = days(first, last)
    # The terrace opens in May; December is Christmas parties; January and February are quiet.
    s_activity = (0.75, 0.8, 0.88, 0.95, 1.15, 1.3, 1.38, 1.3, 1.0, 0.9, 0.95, 1.3)
    s_res = (0.65, 0.75, 0.85, 0.95, 1.2, 1.45, 1.55, 1.45, 1.0, 0.9, 0.95, 1.5)
    wd_act = weekday_factors((0.9, 0.92, 0.95, 1.0, 1.12, 1.15, 0.96))
    wd_res = weekday_factors((0.6, 0.7, 0.85, 1.05, 1.5, 1.6, 1.0))
    reels = (date(2025, 6, 1), date(2025, 8, 31))  # summer-terrace Reels campaign

    def ig_er_lift(d: date) -> float:
        # A new content plan from May (short videos from the kitchen), then the Reels push.
        if date(2025, 5, 1) <= d < reels[0]:
            return 1.15
        if reels[0] <= d <= reels[1]:
            return window(d, *reels, 1.6, ramp=10)
        if d > reels[1]:
            return 1.3
        return 1.0

    def response_minutes(d: date) -> float:
        # A shared inbox with a duty rota from April 2025 cut the wait for an answer.
        if d < date(2025, 1, 1):
            return 78.0
        return blend(d, date(2025, 3, 20), date(2025, 4, 10), 66.0, 40.0)

    rng = random.Random(1221)
    fb_rows: list[dict[str, object]] = []
    ig_rows: list[dict[str, object]] = []
    fb_f, ig_f = 6_420, 9_850
    for d in all_days:
        growth = 1 + 0.06 * years_since(d, first)
        act = seasonal(d, s_activity) * wd_act[d.weekday()] * growth
        res = seasonal(d, s_res) * wd_res[d.weekday()] * (1.1 if d.year == 2025 else 1.0)
        spend_factor = seasonal(d, s_activity) * window(d, *reels, 1.35)

        imp = round(4_100 * act * noise(rng, 0.2))
        reach = round(imp * rng.uniform(0.64, 0.74))
        new_f = count(rng, reach * 0.0012)
        unf = count(rng, 1.3)
        fb_f += new_f - unf
        msgs = count(rng, 4.5 * act)
        fb_rows.append(
            {
                "date": d,
                "impressions": imp,
                "reach": reach,
                "followers": fb_f,
                "new_followers": new_f,
                "unfollows": unf,
                "likes": count(rng, reach * 0.021),
                "comments": count(rng, reach * 0.003),
                "shares": count(rng, reach * 0.0025),
                "clicks": count(rng, reach * 0.008),
                "conversions": count(rng, 3.6 * res, 0.2),
                "messages": msgs,
                "responses": binomial(rng, msgs, 0.93),
                "response_time": round(response_minutes(d) * 1.05 * noise(rng, 0.3), 1)
                if msgs
                else None,
                "mentions": count(rng, 1.4 * act, 0.3),
                "spend": round(8.5 * spend_factor * noise(rng, 0.15), 2),
            }
        )

        imp = round(5_600 * act * window(d, *reels, 1.3) * noise(rng, 0.2))
        reach = round(imp * rng.uniform(0.58, 0.68))
        er = ig_er_lift(d)
        new_f = count(rng, reach * 0.0022 * (1 + 0.5 * (er - 1)))
        unf = count(rng, 3.2)
        ig_f += new_f - unf
        msgs = count(rng, 7.5 * act)
        ig_rows.append(
            {
                "date": d,
                "impressions": imp,
                "reach": reach,
                "followers": ig_f,
                "new_followers": new_f,
                "unfollows": unf,
                "likes": count(rng, reach * 0.047 * er),
                "comments": count(rng, reach * 0.004 * er),
                "shares": count(rng, reach * 0.003 * er),
                "saves": count(rng, reach * 0.006 * er),
                "profile_visits": count(rng, reach * 0.018),
                "clicks": count(rng, reach * 0.007),
                "conversions": count(rng, 5.4 * res * (1.08 if d >= reels[0] else 1.0), 0.2),
                "messages": msgs,
                "responses": binomial(rng, msgs, 0.95),
                "response_time": round(response_minutes(d) * noise(rng, 0.3), 1) if msgs else None,
                "mentions": count(rng, 2.8 * act * (1 + 0.4 * (er - 1)), 0.3),
                "spend": round(12.0 * spend_factor * noise(rng, 0.15), 2),
            }
        )

    # Guest survey (QR code on the bill). NPS climbs through 2025 with the new menu;
    # diffused rounding keeps the totals on the designed path (see Diffuser).
    survey_rows: list[dict[str, object]] = []
    dp, dd, ds = Diffuser(), Diffuser(), Diffuser()
    for d in all_days:
        n = count(rng, 4.2 * seasonal(d, s_res) * wd_res[d.weekday()], 0.2)
        if d < date(2025, 1, 1):
            promo, detr = 0.50, 0.15
        else:
            promo = blend(d, date(2025, 1, 1), date(2025, 9, 30), 0.53, 0.59)
            detr = blend(d, date(2025, 1, 1), date(2025, 9, 30), 0.13, 0.10)
        jitter = rng.gauss(0.0, 0.04)
        promoters = min(n, dp(n * (promo + jitter)))
        detractors = min(n - promoters, dd(n * max(0.0, detr - jitter / 2)))
        satisfied = min(n, ds(n * (0.84 + 0.05 * (d.year - 2024) + rng.gauss(0.0, 0.03))))
        survey_rows.append(
            {
                "date": d,
                "survey_responses": n,
                "satisfied": satisfied,
                "promoters": promoters,
                "passives": n - promoters - detractors,
                "detractors": detractors,
            }
        )

    competitors = [
        (
            "Bistro Kanēlis",
            {"facebook": (8_900, 4.0, 5, 0.012), "instagram": (14_200, 12.0, 6, 0.028)},
        ),
        (
            "Terase Daugavmala",
            {"facebook": (5_300, 3.0, 3, 0.015), "instagram": (7_800, 9.0, 4, 0.035)},
        ),
        (
            "Kafejnīca Pūce",
            {"facebook": (3_100, 0.5, 2, 0.010), "instagram": (4_600, 2.5, 3, 0.022)},
        ),
    ]
    comp_rows: list[dict[str, object]] = []
    weeks = [d for d in all_days if d.weekday() == 0]
    for name, chans in competitors:
        for ch, (f0, weekly, posts_week, er) in chans.items():
            fol = float(f0)
            for d in weeks:
                act = seasonal(d, s_activity)
                fol += 7 * weekly * act * noise(rng, 0.4)
                posts = poisson(rng, posts_week * act)
                comp_rows.append(
                    {
                        "date": d,
                        "channel": ch,
                        "competitor": name,
                        "followers": round(fol),
                        "posts": posts,
                        "likes": count(rng, fol * er * posts),
                        "comments": count(rng, fol * er * 0.07 * posts),
                        "shares": count(rng, fol * er * 0.04 * posts),
                        "mentions": count(rng, fol / 1_100 * act, 0.3),
                    }
                )

    gaps = random.Random(1222)
    fb_rows = drop_days(gaps, fb_rows, 4, [(date(2024, 11, 4), 2)])
    blank_cells(gaps, fb_rows, ["comments", "shares", "mentions"], 5)
    ig_rows = drop_days(gaps, ig_rows, 5, [(date(2025, 3, 10), 3)])
    blank_cells(gaps, ig_rows, ["profile_visits", "saves", "mentions"], 5)
    survey_rows = [r for r in survey_rows if r["survey_responses"]]  # no answers, no row

    files = [
        DataFile(
            "data/facebook.csv",
            [
                Col("Datums", "date"),
                Col("Parādījumi", "impressions"),
                Col("Sasniedzamība", "reach"),
                Col("Sekotāji", "followers"),
                Col("Jauni sekotāji", "new_followers"),
                Col("Atsekošana", "unfollows"),
                Col("Patīk", "likes"),
                Col("Komentāri", "comments"),
                Col("Dalīšanās", "shares"),
                Col("Klikšķi", "clicks"),
                Col("Reklāmguvumi", "conversions"),
                Col("Ziņojumi", "messages"),
                Col("Atbildes", "responses"),
                Col("Atbildes laiks", "response_time", 1),
                Col("Pieminējumi", "mentions"),
                Col("Izmaksas", "spend", 2),
            ],
            fb_rows,
            channel="facebook",
            delimiter=";",
            decimal=",",
            thousands="\u00a0",  # Excel in a Latvian locale groups thousands with a no-break space
            thousands_keys=frozenset({"impressions", "reach", "followers"}),
            date_format="%d.%m.%Y",
        ),
        DataFile(
            "data/instagram.csv",
            [
                Col("Date", "date"),
                Col("Impressions", "impressions"),
                Col("Reach", "reach"),
                Col("Followers", "followers"),
                Col("Follows", "new_followers"),
                Col("Unfollows", "unfollows"),
                Col("Likes", "likes"),
                Col("Comments", "comments"),
                Col("Shares", "shares"),
                Col("Saves", "saves"),
                Col("Profile visits", "profile_visits"),
                Col("Link clicks", "clicks"),
                Col("Conversions", "conversions"),
                Col("Messages", "messages"),
                Col("Responses", "responses"),
                Col("Avg response time", "response_time", 1),
                Col("Mentions", "mentions"),
                Col("Amount spent", "spend", 2),
            ],
            ig_rows,
            channel="instagram",
        ),
        DataFile(
            "data/aptauja.csv",
            [
                Col("Date", "date"),
                Col("Survey responses", "survey_responses"),
                Col("Satisfied", "satisfied"),
                Col("Promoters", "promoters"),
                Col("Passives", "passives"),
                Col("Detractors", "detractors"),
            ],
            survey_rows,
            channel="aptauja",
        ),
        DataFile("data/competitors.csv", COMPETITOR_COLS, comp_rows),
    ]
    project = Project("restorans-liepa", period, files)
    project.custom = {"cost_per_message": KpiRule(lambda a: _div(a["spend"], a["messages"]))}
    calc = project.calc = Calc(project.frame(), project.custom)
    project.goals = [
        {
            "#": f"SMART piemērs no {SEED_001}: +35 % iesaistei četros mēnešos.",
            "id": "ig-er-35",
            "title": "Palielināt Instagram iesaisti par 35 % četros mēnešos",
            "kpi": "engagement_rate",
            "channel": "instagram",
            "change": "+35%",
            "baseline_period": {"start": date(2025, 1, 1), "end": date(2025, 4, 30)},
            "start": date(2025, 5, 1),
            "deadline": date(2025, 8, 31),
            "_expect": "achieved",
        },
        {
            "#": "Mēneša mērķis: pašreizējā vērtība ir pēdējais pilnais mēnesis (septembris).",
            "id": "reservations-420-month",
            "title": "420 galdiņu rezervāciju mēnesī no sociālajiem tīkliem",
            "kpi": "conversions",
            "target": 420,
            "per": "month",
            "baseline": 280,
            "start": date(2025, 1, 1),
            "deadline": date(2025, 12, 31),
            "_expect": "off_track",
        },
        {
            "#": "Mazāk ir labāk: vidējais atbildes laiks minūtēs.",
            "id": "ig-response-30",
            "title": "Atbildēt Instagram ziņām vidēji 30 minūtēs",
            "kpi": "avg_response_time",
            "channel": "instagram",
            "target": 30,
            "baseline": 75,
            "start": date(2025, 4, 1),
            "deadline": date(2025, 12, 31),
            "_expect": "off_track",
        },
        {
            "id": "nps-50",
            "title": "NPS vismaz 50 līdz gada beigām",
            "kpi": "nps",
            "target": 50,
            "baseline": 38,
            "start": date(2025, 1, 1),
            "deadline": date(2025, 12, 31),
            "_expect": "off_track",
        },
        {
            "#": 'Sāksies novembrī: atskaitē statuss "vēl nav sācies".',
            "id": "christmas-600",
            "title": "600 Ziemassvētku galdiņu rezervāciju līdz 23. decembrim",
            "kpi": "conversions",
            "target": 600,
            "start": date(2025, 11, 1),
            "deadline": date(2025, 12, 23),
            "_expect": "not_started",
        },
    ]
    cases: list[dict[str, object]] = [
        {
            "#": "Bāze ir 2024. gada vasara: terases sezonu salīdzinām ar terases sezonu.",
            "id": "terase-reels",
            "title": "Vasaras terases Reels kampaņa",
            "period": {"start": reels[0], "end": reels[1]},
            "baseline_period": {"start": date(2024, 6, 1), "end": date(2024, 8, 31)},
            "kpis": ["engagement_rate", "reach", "conversions", "cost_per_message"],
        }
    ]
    references: list[dict[str, object]] = [
        {
            "#": (
                "Gadījuma izpētē uzņēmumam nav termiņa; salīdzinām 12 mēnešos.\nAvoti ir "
                "piemēri: nosaukumi un saites ir ilustrācijas, nevis īstas publikācijas."
            ),
            "name": "Kafejnīca Mols",
            "goal": "Auditorijas pieaugums ar Instagram saturu",
            "kpi": "followers",
            "change": "+40%",
            "months": 12,
            "source": (
                "Meta for Business veiksmes stāsts: Kafejnīca Mols, +40 % sekotāju gadā (2024)"
            ),
            "url": "https://business.example.com/success/kafejnica-mols",
        },
    ]
    benchmarks: list[dict[str, object]] = [
        {
            "kpi": "engagement_rate",
            "low": 2.0,
            "high": 5.0,
            "source": "Aģentūras iekšējais etalons: Rīgas restorānu konti, 2025",
            "date": date(2025, 2, 15),
        },
        {
            "#": "Novecojis etalons (2022): būvējot parādīsies brīdinājums.",
            "kpi": "avg_response_time",
            "value": 60,
            "source": "Aģentūras klientu aptauja par atbildes laiku, 2022",
            "date": date(2022, 6, 1),
        },
        {
            "kpi": "nps",
            "value": 40,
            "source": "Aģentūras iekšējais etalons: viesmīlības klienti, 2024",
            "date": date(2024, 11, 1),
        },
    ]
    project.texts = {
        "sitegen.toml": LIEPA_TOML,
        "goals.toml": toml_tables("goals", project.goals),
        "cases.toml": toml_tables("cases", cases)
        + "\n"
        + toml_tables("references", references)
        + "\n"
        + toml_tables("benchmarks", benchmarks),
        "assets/logo.svg": LIEPA_LOGO,
        **liepa_pages(calc, period),
    }
    return project


def liepa_pages(calc: Calc, period: tuple[date, date]) -> dict[str, str]:
    """Write the agency's commentary for Restorāns Liepa from the numbers in the data."""
    loc = "lv"
    p, ya = period, (date(2024, 1, 1), date(2024, 9, 30))
    res, res_ya = val(calc, "conversions", *p), val(calc, "conversions", *ya)
    jul = val(calc, "conversions", date(2025, 7, 1), date(2025, 7, 31))
    sep = val(calc, "conversions", date(2025, 9, 1), date(2025, 9, 30))
    er_base = val(calc, "engagement_rate", date(2025, 1, 1), date(2025, 4, 30), "instagram")
    er_summer = val(calc, "engagement_rate", date(2025, 5, 1), date(2025, 8, 31), "instagram")
    rt_q1 = val(calc, "avg_response_time", date(2025, 1, 1), date(2025, 3, 31), "instagram")
    rt_now = val(calc, "avg_response_time", date(2025, 4, 1), date(2025, 9, 30), "instagram")
    intro = front_matter("Aģentūras komentārs", 1, commentary=True) + (
        "# Janvāris–septembris 2025: terases vasara\n\n"
        f"Deviņos mēnešos sociālie tīkli atveda **{fmt_num(res, loc)} galdiņu rezervācijas** "
        f"({pct(change(res, res_ya), loc)} pret 2024. gada janvāri–septembri). "
        f"Jūlijā bija {fmt_num(jul, loc)} rezervācijas, septembrī — {fmt_num(sep, loc)}: "
        "terases sezona beidzas, un mēneša mērķis 420 rezervācijas bez terases nav sasniedzams. "
        "Iesakām mērķi dalīt pa sezonām, nevis prasīt vienādu skaitu katru mēnesi.\n\n"
        "## Kas izdevās\n\n"
        # Live numbers (docs/project-format.md): the goal page's own current and baseline.
        'Instagram iesaistes rādītājs maijā–augustā bija {{ goal("ig-er-35").current }} '
        'pret {{ goal("ig-er-35").baseline }} janvārī–aprīlī '
        f"({pct(change(er_summer, er_base), loc)}): "
        "SMART mērķis +35 % četros mēnešos ir sasniegts. "
        "Visvairāk palīdzēja īsie video no virtuves un terases Reels kampaņa jūnijā–augustā.\n\n"
        f"Vidējais atbildes laiks Instagram ziņām samazinājās no {fmt_num(rt_q1, loc)} min "
        f"pirmajā ceturksnī līdz {fmt_num(rt_now, loc)} min kopš aprīļa, kad ieviesām "
        "kopīgu iesūtni un dežūru grafiku. Viena ziņojuma izmaksas — "
        '{{ kpi("cost_per_message") }}.\n\n'
        "## Kam sekot\n\n"
        'Viesu aptaujas NPS ir {{ kpi("nps") }} (pērn tajos pašos mēnešos '
        '{{ kpi("nps", period="year_ago") }}). '
        "Tas aug, bet lēnāk, nekā vajag, lai gada beigās sasniegtu 50. "
        "Kritiķi visbiežāk min gaidīšanu pie galdiņa piektdienu vakaros.\n\n"
        "Ziemassvētku rezervāciju kampaņa sāksies 1. novembrī.\n"
    )
    method = front_matter("Kā lasīt atskaiti", 2) + (
        "# Dati un definīcijas\n\n"
        "- **Rezervācijas** ir galdiņu rezervācijas, kas veiktas caur Facebook un Instagram "
        'pogu "Rezervēt" (platformu kolonna "Reklāmguvumi").\n'
        "- **Iesaistes rādītājs** = (patīk + komentāri + dalīšanās + saglabāšanas) / "
        "sasniedzamība × 100, summa pret summu visā periodā.\n"
        "- **NPS** un **CSAT** nāk no viesu aptaujas (QR kods uz rēķina): NPS = "
        "(ieteicēji − kritiķi) / visas atbildes × 100.\n"
        "- Sasniedzamība ir dienu sasniedzamības summa: viens cilvēks var būt saskaitīts "
        "vairākas reizes.\n"
    )
    return {"pages/01-komentars.md": intro, "pages/02-dati.md": method}


# ----------------------------------------------------------------------------------------------
# 3. Tidewater Candle Co.: US e-commerce, organic + paid social, Google Ads, GA, Shopify
# ----------------------------------------------------------------------------------------------

TIDEWATER_LOGO = """\
<svg xmlns="http://www.w3.org/2000/svg" width="260" height="64"
     viewBox="0 0 260 64" role="img" aria-label="Tidewater Candle Co.">
  <rect x="18" y="26" width="24" height="32" rx="3" fill="#1f5f7a"/>
  <path d="M30 8 C36 16 36 22 30 24 C24 22 24 16 30 8 Z" fill="#f2a541"/>
  <path d="M8 50 Q18 44 28 50 T48 50" fill="none" stroke="#8cc5d6" stroke-width="3"/>
  <text x="58" y="32" font-family="Georgia, serif" font-size="22" font-weight="bold"
       fill="#1f5f7a">Tidewater</text>
  <text x="58" y="52" font-family="Helvetica, Arial, sans-serif" font-size="12"
       letter-spacing="4" fill="#4a7f93">CANDLE CO.</text>
</svg>
"""

TIDEWATER_TOML = """\
[project]
name = "Tidewater Candle Co."
slug = "tidewater-candles"
locale = "en"
currency = "USD"
timezone = "America/New_York"

[period]
start = 2025-01-01
end = 2025-11-30

[data.columns]
# Shopify's sales report calls revenue "Total sales".
"Total sales" = "revenue"

[[kpis]]
id = "cost_per_conversion"
label = "Cost per conversion"
formula = "spend / conversions"
unit = "currency"
better = "lower"

# How the report looks to the client: the agency's footer, the brand, the names of channels.
[report]
footer = "Prepared by Northwind Digital for Tidewater Candle Co. · northwind.example.com"
show_generator = false
brand_colour = "#1f5f7a"
logo = "assets/logo.svg"

# The overview opens with these KPIs (at most 8).
[overview]
kpis = [
    "revenue", "orders", "roas", "spend",
    "cost_per_conversion", "conversion_rate", "sessions", "engagement_rate",
]

[channels.shopify]
label = "Shopify store"

[channels.google-analytics]
label = "Google Analytics 4"

[channels.brand24]
label = "Brand24 mentions"
"""


def black_friday(year: int) -> date:
    """Return the day after the fourth Thursday of November."""
    nov1 = date(year, 11, 1)
    thursday = nov1 + timedelta(days=(3 - nov1.weekday()) % 7)
    return thursday + timedelta(days=22)


def mothers_day(year: int) -> date:
    """Return the second Sunday of May (US Mother's Day)."""
    may1 = date(year, 5, 1)
    return may1 + timedelta(days=(6 - may1.weekday()) % 7 + 7)


def retail_peaks(d: date) -> float:
    """Return the holiday multiplier of a US gift retailer on day d."""
    bf = (d - black_friday(d.year)).days
    cyber = {-7: 1.2, -6: 1.25, -5: 1.3, -4: 1.35, -3: 1.45, -2: 1.5, -1: 1.3}
    cyber |= {0: 3.2, 1: 2.3, 2: 2.0, 3: 2.8, 4: 1.7, 5: 1.5, 6: 1.4}
    if bf in cyber:
        return cyber[bf]
    if d.month == 12:
        if d.day <= 20:
            return 1.55
        if d.day <= 23:
            return 1.2
        if d.day <= 25:
            return 0.45
        return 0.8
    if d.month == 2 and d.day <= 13:
        return 1.2  # Valentine's gifts
    if 0 < (mothers_day(d.year) - d).days <= 8:
        return 1.35
    return 1.0


def build_tidewater() -> Project:
    """Build the US e-commerce brand (USD, organic + paid social, search, analytics, store)."""
    first, last = date(2023, 12, 1), date(2025, 11, 30)
    period = (date(2025, 1, 1), date(2025, 11, 30))
    all_days = days(first, last)
    season = (0.85, 0.9, 0.9, 0.92, 1.0, 0.88, 0.82, 0.86, 0.95, 1.05, 1.15, 1.0)
    wd = weekday_factors((1.08, 1.05, 1.02, 1.0, 0.95, 0.88, 1.02))
    creators = (date(2025, 4, 1), date(2025, 5, 31))  # TikTok creator programme
    redesign = (date(2025, 1, 6), date(2025, 1, 20))  # new product pages, faster checkout

    rng = random.Random(2025)
    ig_rows: list[dict[str, object]] = []
    fb_rows: list[dict[str, object]] = []
    tt_rows: list[dict[str, object]] = []
    gads_rows: list[dict[str, object]] = []
    meta_rows: list[dict[str, object]] = []
    ga_rows: list[dict[str, object]] = []
    shop_rows: list[dict[str, object]] = []
    brand_rows: list[dict[str, object]] = []
    ig_f, fb_f = 41_200, 23_400.0
    post_seq = 7_301_955_112_604_000_000
    for d in all_days:
        y = years_since(d, first)
        peak = retail_peaks(d)
        demand = seasonal(d, season) * peak * wd[d.weekday()] * (1 + 0.28 * y)
        social = seasonal(d, season) * peak**0.5 * wd[d.weekday()] * (1 + 0.15 * y)
        y25 = d.year == 2025

        imp = round(29_000 * social * noise(rng, 0.18))
        reach = round(imp * rng.uniform(0.48, 0.56))
        posts = 1 + poisson(rng, 0.45 if d.weekday() < 5 else 0.2)
        new_f = count(rng, reach * 0.0018)
        unf = count(rng, 11 * (1 + 0.2 * y))
        ig_f += new_f - unf
        ig_rows.append(
            {
                "date": d,
                "impressions": imp,
                "reach": reach,
                "followers": ig_f,
                "new_followers": new_f,
                "unfollows": unf,
                "likes": count(rng, reach * 0.028),
                "comments": count(rng, reach * 0.0018),
                "shares": count(rng, reach * 0.0016),
                "saves": count(rng, reach * 0.0045),
                "profile_visits": count(rng, reach * 0.015),
                "clicks": count(rng, reach * 0.006 * peak**0.5),
                "posts": posts,
            }
        )

        imp = round(8_200 * social * noise(rng, 0.2))
        reach = round(imp * rng.uniform(0.55, 0.65))
        fb_f += rng.gauss(-0.6, 2.5)  # an ageing page: slowly losing likes
        fb_rows.append(
            {
                "date": d,
                "impressions": imp,
                "reach": reach,
                "followers": round(fb_f),
                "likes": count(rng, reach * 0.011),
                "comments": count(rng, reach * 0.0012),
                "shares": count(rng, reach * 0.0014),
                "clicks": count(rng, reach * 0.004),
                "posts": poisson(rng, 0.8),
            }
        )

        # TikTok: one row per video, as the post-level export gives it.
        camp = window(d, *creators, 1.5, ramp=10)
        for _ in range(poisson(rng, (1.5 if y25 else 1.15) * camp)):
            post_seq += rng.randrange(10**12, 10**14)
            views = round(3_400 * (1 + 0.5 * y) * camp * peak**0.3 * noise(rng, 1.0))
            # Creator videos travel further but get a lighter touch per viewer.
            eng = 0.092 * (1.25 if d >= date(2025, 6, 1) else 1.0) * window(d, *creators, 1.3)
            tt_rows.append(
                {
                    "date": d,
                    "post_id": str(post_seq),
                    "video_views": views,
                    "reach": round(views * rng.uniform(0.72, 0.86)),
                    "likes": count(rng, views * eng * 0.82),
                    "comments": count(rng, views * eng * 0.045),
                    "shares": count(rng, views * eng * 0.06),
                    "saves": count(rng, views * eng * 0.075),
                }
            )

        paid = seasonal(d, season) * peak**0.7 * wd[d.weekday()] * (1 + 0.12 * y)
        imp = round(14_000 * paid * noise(rng, 0.12))
        clicks = count(rng, imp * 0.034, 0.1)
        cpc = (0.86 if not y25 else 0.95) * (1.35 if peak > 1.4 else 1.0) * noise(rng, 0.1)
        gads_rows.append(
            {
                "date": d,
                "impressions": imp,
                "clicks": clicks,
                "spend": round(clicks * cpc, 2),
                "conversions": count(rng, clicks * 0.031 * peak**0.4, 0.12),
            }
        )

        imp = round(38_000 * paid * noise(rng, 0.15))
        clicks = count(rng, imp * 0.0105, 0.12)
        # Meta CPMs rose through 2025; Q4 auctions are dearer still.
        cpm = 9.4 * (1 + 0.16 * max(0.0, y - 1.05)) * (1.3 if d.month in (11, 12) else 1.0)
        meta_rows.append(
            {
                "date": d,
                "impressions": imp,
                "reach": round(imp * rng.uniform(0.42, 0.52)),
                "clicks": clicks,
                "spend": round(imp / 1000 * cpm * noise(rng, 0.08), 2),
                "conversions": count(rng, clicks * 0.022 * peak**0.4, 0.15),
            }
        )

        sessions = round(2_650 * demand * noise(rng, 0.08))
        br = blend(d, *redesign, 0.522, 0.425) * (1.07 if peak > 1.4 else 1.0)
        ga_rows.append(
            {
                "date": d,
                "sessions": sessions,
                "bounces": round(sessions * min(0.9, br * noise(rng, 0.04))),
            }
        )

        cr = blend(d, *redesign, 0.0185, 0.0205) * (1.3 if peak > 1.4 else 1.0)
        orders = count(rng, sessions * cr, 0.08)
        aov = (46.0 if not y25 else 48.4) + (9.0 if d.month in (11, 12) else 0.0)
        shop_rows.append(
            {
                "date": d,
                "orders": orders,
                "revenue": round(sum(aov * noise(rng, 0.35) for _ in range(orders)), 2),
                "customers": binomial(rng, orders, 0.58 if peak < 1.4 else 0.7),
            }
        )

        mentions = count(rng, 26 * demand**0.6, 0.25)
        pos = binomial(rng, mentions, 0.5)
        neg = binomial(rng, mentions - pos, 0.12)
        brand_rows.append(
            {
                "date": d,
                "mentions": mentions,
                "positive_mentions": pos,
                "neutral_mentions": mentions - pos - neg,
                "negative_mentions": neg,
            }
        )

    competitors = [
        ("Harbor & Wick", {"instagram": (88_000, 60, 9, 0.021), "tiktok": (52_000, 140, 6, 0.06)}),
        ("Ember Lane", {"instagram": (36_500, 35, 7, 0.032), "tiktok": (12_000, 95, 5, 0.085)}),
        ("Juniper Home", {"instagram": (61_000, 10, 5, 0.015), "tiktok": (8_400, 20, 2, 0.05)}),
    ]
    comp_rows: list[dict[str, object]] = []
    weeks = [d for d in all_days if d.weekday() == 0]
    for name, chans in competitors:
        for ch, (f0, weekly, posts_week, er) in chans.items():
            fol = float(f0)
            for d in weeks:
                act = seasonal(d, season) * retail_peaks(d) ** 0.5
                fol += 7 * weekly * act * noise(rng, 0.4)
                posts = poisson(rng, posts_week * act)
                comp_rows.append(
                    {
                        "date": d,
                        "channel": ch,
                        "competitor": name,
                        "followers": round(fol),
                        "posts": posts,
                        "likes": count(rng, fol * er * posts),
                        "comments": count(rng, fol * er * 0.05 * posts),
                        "shares": count(rng, fol * er * 0.04 * posts),
                        "mentions": count(rng, fol / 220 * act, 0.3),
                    }
                )

    gaps = random.Random(2026)
    ig_rows = drop_days(gaps, ig_rows, 5, [(date(2025, 2, 10), 3)])  # expired API token
    blank_cells(gaps, ig_rows, ["profile_visits", "saves", "shares"], 6)
    fb_rows = drop_days(gaps, fb_rows, 4)
    blank_cells(gaps, fb_rows, ["comments", "shares"], 4)
    brand_rows = drop_days(gaps, brand_rows, 3)

    files = [
        DataFile(
            "data/instagram.csv",
            [
                Col("Date", "date"),
                Col("Impressions", "impressions"),
                Col("Reach", "reach"),
                Col("Followers", "followers"),
                Col("New followers", "new_followers"),
                Col("Unfollows", "unfollows"),
                Col("Likes", "likes"),
                Col("Comments", "comments"),
                Col("Shares", "shares"),
                Col("Saves", "saves"),
                Col("Profile visits", "profile_visits"),
                Col("Link clicks", "clicks"),
                Col("Posts", "posts"),
            ],
            ig_rows,
            channel="instagram",
        ),
        DataFile(
            "data/facebook.csv",
            [
                Col("Date", "date"),
                Col("Impressions", "impressions"),
                Col("Reach", "reach"),
                Col("Page likes", "followers"),
                Col("Reactions", "likes"),
                Col("Comments", "comments"),
                Col("Shares", "shares"),
                Col("Link clicks", "clicks"),
                Col("Posts", "posts"),
            ],
            fb_rows,
            channel="facebook",
        ),
        DataFile(
            "data/tiktok.csv",
            [
                Col("Date", "date"),
                Col("Post ID", "post_id"),
                Col("Video views", "video_views"),
                Col("Reach", "reach"),
                Col("Likes", "likes"),
                Col("Comments", "comments"),
                Col("Shares", "shares"),
                Col("Saves", "saves"),
            ],
            tt_rows,
            channel="tiktok",
            post_level=True,
        ),
        DataFile(
            "data/google-ads.csv",
            [
                Col("Day", "date"),
                Col("Impressions", "impressions"),
                Col("Clicks", "clicks"),
                Col("Cost", "spend", 2),
                Col("Conversions", "conversions"),
            ],
            gads_rows,
            channel="google-ads",
            thousands=",",
            title_lines=("Account performance", "December 1, 2023 - November 30, 2025"),
        ),
        DataFile(
            "data/meta-ads.csv",
            [
                Col("Date", "date"),
                Col("Impressions", "impressions"),
                Col("Reach", "reach"),
                Col("Link clicks", "clicks"),
                Col("Amount spent", "spend", 2),
                Col("Results", "conversions"),
            ],
            meta_rows,
            channel="meta-ads",
        ),
        DataFile(
            "data/google-analytics.csv",
            [Col("Date", "date"), Col("Sessions", "sessions"), Col("Bounces", "bounces")],
            ga_rows,
            channel="google-analytics",
        ),
        DataFile(
            "data/shopify.csv",
            [
                Col("Day", "date"),
                Col("Orders", "orders"),
                Col("Total sales", "revenue", 2),
                Col("New customers", "customers"),
            ],
            shop_rows,
            channel="shopify",
        ),
        DataFile(
            "data/brand24.csv",
            [
                Col("Date", "date"),
                Col("Mentions", "mentions"),
                Col("Positive mentions", "positive_mentions"),
                Col("Neutral mentions", "neutral_mentions"),
                Col("Negative mentions", "negative_mentions"),
            ],
            brand_rows,
            channel="brand24",
        ),
        DataFile("data/competitors.csv", COMPETITOR_COLS, comp_rows),
    ]
    project = Project("tidewater-candles", period, files)
    project.custom = {"cost_per_conversion": KpiRule(lambda a: _div(a["spend"], a["conversions"]))}
    calc = project.calc = Calc(project.frame(), project.custom)
    project.goals = [
        {
            "#": "Blended ROAS: Shopify revenue over all ad spend (Google Ads + Meta).",
            "id": "roas-4",
            "title": "Blended ROAS of 4.0 for 2025",
            "kpi": "roas",
            "target": 4.0,
            "baseline_period": {"start": date(2024, 1, 1), "end": date(2024, 12, 31)},
            "start": date(2025, 1, 1),
            "deadline": date(2025, 12, 31),
            "_expect": "at_risk",
        },
        {
            "#": "Lower is better; no baseline given: the previous six months are the baseline.",
            "id": "bounce-45",
            "title": "Bounce rate under 45% after the site redesign",
            "kpi": "bounce_rate",
            "target": 45,
            "start": date(2025, 1, 1),
            "deadline": date(2025, 6, 30),
            "_expect": "achieved",
        },
        {
            "#": f"The SMART example of {SEED_001}: +35% engagement in four months.",
            "id": "tiktok-er-35",
            "title": "Lift TikTok engagement rate by 35% over the summer",
            "kpi": "engagement_rate",
            "channel": "tiktok",
            "change": "+35%",
            "baseline_period": {"start": date(2025, 2, 1), "end": date(2025, 5, 31)},
            "start": date(2025, 6, 1),
            "deadline": date(2025, 9, 30),
            "_expect": "missed",
        },
        {
            "id": "cpa-28",
            "title": "Cost per conversion down to $28",
            "kpi": "cost_per_conversion",
            "target": 28,
            "baseline_period": {"start": date(2024, 1, 1), "end": date(2024, 12, 31)},
            "start": date(2025, 1, 1),
            "deadline": date(2025, 12, 31),
            "_expect": "off_track",
        },
        {
            "#": "A count goal: the share of 26,000 reached so far; the forecast continues\n"
            "the last 28 days' orders to 31 December (docs/goals.md).",
            "id": "orders-26k",
            "title": "26,000 orders in 2025",
            "kpi": "orders",
            "target": 26_000,
            "start": date(2025, 1, 1),
            "deadline": date(2025, 12, 31),
            "_expect": "on_track",
        },
        {
            "#": "Started on 20 November: 11 days of data by 30 November, fewer than the 14 a\n"
            "forecast needs, so the page says it is too early to tell (docs/goals.md).",
            "id": "holiday-orders-4k",
            "title": "4,000 holiday orders from 20 November to Christmas Eve",
            "kpi": "orders",
            "target": 4_000,
            "start": date(2025, 11, 20),
            "deadline": date(2025, 12, 24),
            "_expect": "not_enough_data",
        },
    ]
    bf25 = black_friday(2025)
    cases: list[dict[str, object]] = [
        {
            "id": "black-friday-2025",
            "title": "Black Friday week 2025",
            "period": {"start": bf25 - timedelta(days=4), "end": bf25 + timedelta(days=2)},
            "baseline_period": {
                "start": bf25 - timedelta(days=11),
                "end": bf25 - timedelta(days=5),
            },
            "kpis": ["revenue", "orders", "roas", "ctr", "sessions"],
        },
        {
            "id": "tiktok-creators",
            "title": "TikTok creator programme",
            "period": {"start": creators[0], "end": creators[1]},
            "baseline_period": {"start": date(2025, 2, 1), "end": date(2025, 3, 31)},
            "kpis": ["video_views", "reach", "engagement", "sessions"],
        },
    ]
    references: list[dict[str, object]] = [
        {
            "#": "Example sources: the titles and links are illustrations, not real publications.",
            "name": "Harbor & Wick",
            "goal": "Grow the customer base through engagement",
            "kpi": "customers",
            "change": "+30%",
            "months": 6,
            "source": (
                "Klaviyo customer story: Harbor & Wick grows repeat buyers by 30 % in six "
                "months (2024)"
            ),
            "url": "https://stories.example.com/harbor-and-wick-repeat-buyers",
        },
        {
            "#": "The case study gives no time frame for Y and Z; we compare over 12 months.",
            "name": "Juniper Home Goods",
            "goal": "More traffic to the website",
            "kpi": "sessions",
            "change": "+55%",
            "months": 12,
            "source": (
                "Search Engine Journal case study: Juniper Home Goods, +55 % organic sessions "
                "(2024)"
            ),
            "url": "https://casestudies.example.com/juniper-home-goods-seo",
        },
        {
            "name": "Saltmarsh Soap Co.",
            "goal": "Sales growth through Instagram",
            "kpi": "revenue",
            "change": "+20%",
            "months": 12,
            "source": (
                "Meta for Business success story: Saltmarsh Soap Co. on Instagram Shopping (2023)"
            ),
            "url": "https://business.example.com/success/saltmarsh-soap",
        },
    ]
    benchmarks: list[dict[str, object]] = [
        {
            "kpi": "engagement_rate",
            "low": 1.0,
            "high": 3.0,
            "source": "Northwind Digital benchmark: home and gift DTC brands, organic social, 2025",
            "url": "https://northwind.example.com/benchmarks/dtc-organic-2025",
            "date": date(2025, 3, 1),
        },
        {
            "kpi": "roas",
            "value": 4.0,
            "source": "Agency benchmark: median blended ROAS of e-commerce clients, 2025",
            "date": date(2025, 6, 30),
        },
        {
            "#": "An old benchmark (2022): the build warns that it is stale.",
            "kpi": "ctr",
            "low": 0.9,
            "high": 1.5,
            "source": "WordStream Facebook Ads benchmarks for home and garden, 2022",
            "url": "https://benchmarks.example.com/facebook-ads-home-garden-2022",
            "date": date(2022, 4, 1),
        },
    ]
    project.texts = {
        "sitegen.toml": TIDEWATER_TOML,
        "goals.toml": toml_tables("goals", project.goals),
        "cases.toml": toml_tables("cases", cases)
        + "\n"
        + toml_tables("references", references)
        + "\n"
        + toml_tables("benchmarks", benchmarks),
        "assets/logo.svg": TIDEWATER_LOGO,
        **tidewater_pages(calc, period),
    }
    return project


LIVE_ORDERS = '{{ kpi("orders") }}'


def tidewater_pages(calc: Calc, period: tuple[date, date]) -> dict[str, str]:
    """Write the agency's commentary for Tidewater Candle Co. from the numbers in the data."""
    loc = "en"
    p, ya = period, (date(2024, 1, 1), date(2024, 11, 30))
    rev, rev_ya = val(calc, "revenue", *p), val(calc, "revenue", *ya)
    br_ya = val(calc, "bounce_rate", date(2024, 7, 1), date(2024, 12, 31))
    br = val(calc, "bounce_rate", date(2025, 2, 1), date(2025, 11, 30))
    bf = black_friday(2025)
    bf_rev = val(calc, "revenue", bf - timedelta(days=4), bf + timedelta(days=2))
    bf_base = val(calc, "revenue", bf - timedelta(days=11), bf - timedelta(days=5))
    tt_views = val(calc, "video_views", date(2025, 4, 1), date(2025, 5, 31))
    tt_base = val(calc, "video_views", date(2025, 2, 1), date(2025, 3, 31))
    intro = front_matter("Agency commentary", 1, commentary=True) + (
        "# January to November 2025: a record Black Friday, dearer ads\n\n"
        # Live numbers ({{ ... }}, docs/project-format.md) where the report shows the same
        # figure: typed in, the goal's 2024 baseline and the text's "2024" drifted apart.
        f"The store took **${fmt_num(rev / 1e6, loc, 2)}M** from "
        + LIVE_ORDERS
        + f" orders ({pct(change(rev, rev_ya), loc)} on January to November 2024). Blended ROAS "
        '(Shopify revenue over Google and Meta ad spend) was {{ kpi("roas") }}, up from '
        '{{ kpi("roas", period="year_ago") }} a year before.\n\n'
        "## What worked\n\n"
        f"- **Black Friday week** brought ${fmt_num(bf_rev / 1000, loc)}k in seven days, "
        f"{pct(change(bf_rev, bf_base), loc)} on the week before.\n"
        f"- **The redesigned product pages** (live since January 6) cut the bounce rate from "
        f"{fmt_num(br_ya, loc, 1)}% in the second half of 2024 to {fmt_num(br, loc, 1)}% "
        "since February.\n"
        f"- **The TikTok creator programme** in April and May doubled reach: "
        f"{fmt_num(tt_views / 1e6, loc, 1)}M video views against "
        f"{fmt_num(tt_base / 1e6, loc, 1)}M in February and March.\n\n"
        "## What needs attention\n\n"
        'Paid media got more expensive: a conversion cost {{ goal("cpa-28").current }} this '
        'year against {{ goal("cpa-28").baseline }} in 2024, mostly Meta CPMs. The $28 goal '
        "is out of reach this year; we propose to move budget to the search campaigns that "
        "convert best and to test creator content as Meta ads.\n\n"
        "With " + LIVE_ORDERS + " orders by the end of November the 26,000-orders goal reads "
        '**{{ goal("orders-26k").status }}**, and December, the biggest month, is still to '
        'come. Blended ROAS ({{ goal("roas-4").current }} so far) is short of the 4.0 goal: '
        "the Black Friday discounts and dearer Meta auctions ate part of the extra revenue.\n\n"
        "TikTok engagement rose over the summer, but not by the 35% we set: the baseline "
        "months already included the creator programme.\n"
    )
    method = front_matter("About the data", 2) + (
        "# Sources\n\n"
        "| channel | export | what it gives |\n"
        "|---|---|---|\n"
        "| instagram, facebook | Meta Business Suite, daily | reach, engagement, followers |\n"
        "| tiktok | TikTok Studio, one row per video | views, reach, engagement |\n"
        "| google-ads, meta-ads | ads managers, daily | impressions, clicks, spend, conversions |\n"
        "| google-analytics | GA4, daily | sessions, bounces |\n"
        "| shopify | sales report, daily | orders, revenue, new customers |\n"
        "| brand24 | media monitoring, daily | mentions and their sentiment |\n\n"
        "Revenue comes from Shopify only, so ROAS is *blended*: all store revenue over all ad "
        "spend. Platform-attributed revenue double-counts sales that several ads touched.\n\n"
        "Competitor numbers are weekly snapshots of public profiles.\n"
    )
    return {"pages/01-summary.md": intro, "pages/02-data.md": method}


# ----------------------------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------------------------


def report(project: Project, results: list[GoalResult]) -> str:
    """Return the goal table of one project."""
    lines = [f"{project.folder} (as of {project.asof})"]
    for r in results:
        nums = ""
        if r.current is not None:
            nums = f"{r.measure:<12}  current {r.current:,.2f}  target {r.target:,.2f}"
            if r.forecast is not None:
                nums += f"  forecast {r.forecast:,.2f}"
            if r.buckets:
                nums += f"  met {r.buckets_met} of {r.buckets}"
            if not r.reachable:
                nums += "  unreachable"
        lines.append(f"  {r.spec.id:<24} {r.spec.kpi:<20} {r.status:<12} {nums}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Generate (or with --check verify) the example projects."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with disk, write nothing")
    parser.add_argument("--out", type=Path, default=ROOT / "content", help="target folder")
    args = parser.parse_args(argv)

    stale: list[str] = []
    for build in (build_kuhni, build_liepa, build_tidewater):
        project = build()
        folder = args.out / project.folder
        files = project.outputs()
        print(report(project, check_goals(project, files)))
        size = sum(len(b) for b in files.values())
        print(f"  {len(files)} files, {size / 1e6:.2f} MB")
        on_disk = (
            {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
            if folder.exists()
            else set()
        )
        if args.check:
            stale += [f"{folder / p}" for p in sorted(on_disk - files.keys())]
            stale += [
                f"{folder / p}"
                for p, data in sorted(files.items())
                if not (folder / p).is_file() or (folder / p).read_bytes() != data
            ]
            continue
        for p in sorted(on_disk - files.keys()):
            (folder / p).unlink()
        for p, data in sorted(files.items()):
            target = folder / p
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.is_file() or target.read_bytes() != data:
                target.write_bytes(data)
    if stale:
        print("out of date (run scripts/generate_examples.py):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
