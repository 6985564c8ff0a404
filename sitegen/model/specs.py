"""What goals.toml and cases.toml declare, once validated: frozen dataclasses the model reads.

The config layer (``sitegen.config.goals``, ``sitegen.config.cases``) checks the files and builds
these; the model evaluates them. They live here, not in config, because config imports the
model and the model imports nothing outside itself. ``file`` and ``where`` name the table in
messages; ``index`` is the table's 0-based position among its kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sitegen.model.periods import Period

GOALS_FILE = "goals.toml"
CASES_FILE = "cases.toml"


@dataclass(frozen=True, kw_only=True)
class GoalSpec:
    """One validated [[goals]] table."""

    id: str
    title: str
    kpi: str
    channel: str | None = None
    target: float | None = None
    change: float | None = None  # a fraction: "+35%" -> 0.35, "-10%" -> -0.10
    baseline: float | None = None
    baseline_period: Period | None = None
    start: date
    deadline: date
    per: str | None = None
    description: str = ""
    index: int = 0  # 0-based position among the [[goals]] tables, for messages
    file: str = GOALS_FILE

    @property
    def window(self) -> Period:
        """Return the goal window [start, deadline]."""
        return Period(self.start, self.deadline)

    @property
    def where(self) -> str:
        """Return the key path of this goal for messages: goals[1] (er-35)."""
        return f"goals[{self.index}] ({self.id})"


@dataclass(frozen=True, kw_only=True)
class PlanSpec:
    """One validated [[plans]] table: a monthly revenue target turned into a funnel."""

    id: str
    title: str
    revenue_target: float  # per month
    average_order: float
    lead_to_customer: float  # a fraction: 0.10 = 10 % of leads become customers
    budget: float | None = None  # per month
    channel: str | None = None
    description: str = ""
    index: int = 0
    file: str = GOALS_FILE

    @property
    def where(self) -> str:
        """Return the key path of this plan for messages: plans[0] (kitchens)."""
        return f"plans[{self.index}] ({self.id})"


@dataclass(frozen=True, kw_only=True)
class CaseSpec:
    """One validated [[cases]] table: a campaign of the client told as before/after."""

    id: str
    title: str
    period: Period
    baseline_period: Period | None  # None: the same length right before the period
    kpis: tuple[str, ...]
    channels: tuple[str, ...] | None = None  # None: all of the client's channels
    description: str = ""
    index: int = 0  # 0-based position among the [[cases]] tables, for messages
    file: str = CASES_FILE

    @property
    def where(self) -> str:
        """Return the key path of this case for messages: cases[0] (reels-summer)."""
        return f"cases[{self.index}] ({self.id})"


@dataclass(frozen=True, kw_only=True)
class ReferenceSpec:
    """One validated [[references]] table: a published result to compare the client with."""

    name: str
    kpi: str
    change: float  # a fraction: "+30%" -> 0.30
    months: int
    goal: str = ""
    metric: str = ""  # what the company measured, in the publication's words
    source: str = ""  # the publication's title
    url: str = ""  # where to read it
    channel: str | None = None  # the client's side: one channel, or all
    index: int = 0
    file: str = CASES_FILE

    @property
    def where(self) -> str:
        """Return the key path of this reference for messages: references[0] (Company X)."""
        return f"references[{self.index}] ({self.name})"


@dataclass(frozen=True, kw_only=True)
class BenchmarkSpec:
    """One validated [[benchmarks]] table: an industry value or range for a KPI."""

    kpi: str
    low: float
    high: float  # equal to low for a single value
    source: str
    date: date  # for a year alone, 31 December of that year
    channel: str | None = None
    label: str = ""
    url: str = ""  # where to read the source
    index: int = 0
    file: str = CASES_FILE

    @property
    def is_range(self) -> bool:
        """Return True when the benchmark is a low..high range, not one value."""
        return self.low != self.high

    @property
    def where(self) -> str:
        """Return the key path of this benchmark for messages: benchmarks[0] (ctr)."""
        return f"benchmarks[{self.index}] ({self.kpi})"


@dataclass(frozen=True)
class CasesSpec:
    """Everything cases.toml declares."""

    cases: tuple[CaseSpec, ...] = ()
    references: tuple[ReferenceSpec, ...] = ()
    benchmarks: tuple[BenchmarkSpec, ...] = ()
