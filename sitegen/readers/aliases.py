"""The column alias table: which header means which field, id or metric.

The table itself is data (``aliases.toml`` next to this module); this module normalises
headers, looks them up, and renders the table as Markdown for ``docs/data-import.md``.
Refresh that page's table with
``python -c "from sitegen.readers.aliases import main; main(['docs/data-import.md'])"``.
"""

from __future__ import annotations

import difflib
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

# Currency codes and words that exports append to money headers ("Amount spent (USD)",
# "Расход (руб.)"); signs such as $ or ₽ go with the punctuation anyway.
_CURRENCY_TOKENS = frozenset(
    [
        "usd",
        "eur",
        "rub",
        "gbp",
        "uah",
        "kzt",
        "byn",
        "pln",
        "chf",
        "sek",
        "nok",
        "dkk",
        "cad",
        "aud",
        "jpy",
        "cny",
        "czk",
        "huf",
        "ron",
        "bgn",
        "руб",
        "р",
        "грн",
        "тенге",
        "eiro",
    ]
)
_PUNCT = re.compile(r"[\W_]+")

FIELD_KINDS = ("date", "week", "month", "channel", "competitor", "value")
ID_KINDS = ("post", "record", "group")

DOC_START = "<!-- alias-table:start -->"
DOC_END = "<!-- alias-table:end -->"


@lru_cache(maxsize=1 << 16)
def normalise(header: str) -> str:
    """Return the lookup key of a header: case, accents, punctuation and currency dropped."""
    text = unicodedata.normalize("NFKC", header).casefold().replace("ё", "е")
    # Accents go so that "Sekotaji" finds "Sekotāji"; the same folding is applied to the
    # aliases, so Cyrillic letters that decompose (й -> и) still match each other.
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    tokens = [t for t in _PUNCT.sub(" ", text).split() if t not in _CURRENCY_TOKENS]
    return " ".join(tokens)


@dataclass(frozen=True)
class Role:
    """What a column is: kind (field/id/metric/rate/derived/ignore) and name, with priority."""

    kind: str  # date|week|month|channel|competitor|value|id|metric|rate|derived|ignore
    name: str  # metric or rate name; id kind (post|record|group); field name otherwise
    priority: int = 0  # position of the alias in its list: lower wins
    explicit: bool = False  # from the project's [data.columns]


@dataclass(frozen=True)
class Rate:
    """A rate column's meaning: numerator = rate x denominator."""

    name: str
    numerator: str
    denominator: str


@dataclass(frozen=True)
class Contextual:
    """A header that means another metric when the file has one of some other headers."""

    header: str
    metric: str
    when_any: tuple[str, ...]


@dataclass(frozen=True, eq=False)  # hashed by identity: the hint lookups are cached per table
class AliasTable:
    """The loaded alias table, keyed by normalised header."""

    raw: Mapping[str, object]
    keys: Mapping[str, Role]
    rates: Mapping[str, Rate]
    contextual: tuple[Contextual, ...]

    def closest_metric(self, header: str, metric_kinds: Mapping[str, str]) -> str | None:
        """Return the metric a header most likely means, by its aliases' spelling, or None.

        The whole header close to one alias ("Clics" ~ "clicks", "Folowers" ~ "followers"),
        else an alias found as whole words in it ("Lifetime Post Total Reach" holds "reach")
        when the longest such alias belongs to one metric only. Never a fixed example.
        """
        return _closest(self, normalise(header), frozenset(metric_kinds))

    def metric_aliases(self) -> dict[str, list[str]]:
        """Return canonical metric -> aliases as written in the table."""
        metrics = self.raw.get("metrics", {})
        assert isinstance(metrics, dict)
        return {k: list(v) for k, v in metrics.items()}

    def lookup(
        self,
        header: str,
        *,
        metric_kinds: Mapping[str, str],
        columns: Mapping[str, str] | None = None,
        present: AbstractSet[str] = frozenset(),
    ) -> Role | None:
        """Return the role of one header, or None; `present`: the file's normalised headers."""
        key = normalise(header)
        if not key:
            return None
        if columns:
            for given, target in columns.items():
                if normalise(given) == key:
                    return _explicit_role(target)
        for ctx in self.contextual:
            if (
                key == ctx.header
                and ctx.metric in metric_kinds
                and not present.isdisjoint(ctx.when_any)
            ):
                return Role("metric", ctx.metric, 0)
        canon = key.replace(" ", "_")
        if canon in metric_kinds:
            return Role("metric", canon, -1)
        role = self.keys.get(key)
        if role is None:
            return None
        if role.kind == "metric" and role.name not in metric_kinds:
            return None
        return role


@lru_cache(maxsize=4096)
def _closest(table: AliasTable, key: str, metrics: frozenset[str]) -> str | None:
    if not key:
        return None
    names = _metric_keys(table, metrics)
    close = difflib.get_close_matches(key, list(names), n=2, cutoff=0.8)
    if close and (len(close) == 1 or names[close[0]] == names[close[1]]):
        return names[close[0]]
    words = f" {key} "
    inside = [(len(k), m) for k, m in names.items() if len(k) >= 4 and f" {k} " in words]
    if not inside:
        return None
    longest = max(n for n, _ in inside)
    found = {m for n, m in inside if n == longest}
    return found.pop() if len(found) == 1 else None


@cache
def _metric_keys(table: AliasTable, metrics: frozenset[str]) -> dict[str, str]:
    """Return normalised alias (and metric name) -> metric, for the project's metrics."""
    out = {
        key: role.name
        for key, role in table.keys.items()
        if role.kind == "metric" and role.name in metrics
    }
    for name in metrics:
        out.setdefault(name.replace("_", " "), name)
    return out


def _explicit_role(target: str) -> Role:
    name = target.strip()
    if name in ("date", "week", "month", "channel", "competitor"):
        return Role(name, name, -2, explicit=True)
    if name in ("ignore", "-"):
        return Role("ignore", "ignore", -2, explicit=True)
    return Role("metric", name, -2, explicit=True)


def _strings(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"aliases.toml: {where} must be a list of strings")
    return list(value)


def build_table(raw: Mapping[str, object]) -> AliasTable:
    """Return the AliasTable for a parsed aliases.toml; ValueError on a clash or bad shape."""
    keys: dict[str, Role] = {}

    def add(aliases: Sequence[str], make: object, where: str) -> None:
        assert callable(make)
        for i, alias in enumerate(aliases):
            key = normalise(alias)
            role = make(i)
            old = keys.get(key)
            if old is not None and old != role:
                raise ValueError(
                    f"aliases.toml: {alias!r} ({where}) clashes with {old.kind} {old.name}"
                )
            keys[key] = role

    fields = raw.get("fields", {})
    assert isinstance(fields, dict)
    for kind in FIELD_KINDS:
        base = FIELD_KINDS.index(kind) * 1000
        add(
            _strings(fields.get(kind, []), f"fields.{kind}"),
            lambda i, k=kind, b=base: Role(k, k, b + i),
            f"fields.{kind}",
        )
    ids = raw.get("ids", {})
    assert isinstance(ids, dict)
    for kind in ID_KINDS:
        add(
            _strings(ids.get(kind, []), f"ids.{kind}"),
            lambda i, k=kind: Role("id", k, i),
            f"ids.{kind}",
        )
    ignore = raw.get("ignore", {})
    assert isinstance(ignore, dict)
    add(
        _strings(ignore.get("columns", []), "ignore.columns"),
        lambda i: Role("ignore", "ignore", i),
        "ignore",
    )
    metrics = raw.get("metrics", {})
    assert isinstance(metrics, dict)
    for name, aliases in metrics.items():
        add(
            _strings(aliases, f"metrics.{name}"),
            lambda i, n=name: Role("metric", n, i),
            f"metrics.{name}",
        )
    rates: dict[str, Rate] = {}
    rate_tables = raw.get("rates", {})
    assert isinstance(rate_tables, dict)
    for name, spec in rate_tables.items():
        assert isinstance(spec, dict)
        rates[name] = Rate(name, str(spec["numerator"]), str(spec["denominator"]))
        add(
            _strings(spec.get("aliases", []), f"rates.{name}"),
            lambda i, n=name: Role("rate", n, i),
            f"rates.{name}",
        )
    derived = raw.get("derived", {})
    assert isinstance(derived, dict)
    add(
        _strings(derived.get("aliases", []), "derived"),
        lambda i: Role("derived", "derived", i),
        "derived",
    )
    contextual: list[Contextual] = []
    ctx_list = raw.get("contextual", [])
    assert isinstance(ctx_list, list)
    for spec in ctx_list:
        assert isinstance(spec, dict)
        contextual.append(
            Contextual(
                normalise(str(spec["header"])),
                str(spec["metric"]),
                tuple(normalise(h) for h in _strings(spec["when_any"], "contextual")),
            )
        )
    return AliasTable(raw=raw, keys=keys, rates=rates, contextual=tuple(contextual))


@cache
def alias_table() -> AliasTable:
    """Return the package's alias table (aliases.toml), loaded once."""
    text = resources.files("sitegen.readers").joinpath("aliases.toml").read_text("utf-8")
    return build_table(tomllib.loads(text))


def _cell(aliases: Iterable[str]) -> str:
    return ", ".join(a.replace("|", "\\|") for a in aliases)


def alias_table_markdown(table: AliasTable | None = None) -> str:
    """Return the alias table as the Markdown that docs/data-import.md embeds."""
    table = table or alias_table()
    raw = table.raw
    fields = raw.get("fields", {})
    ids = raw.get("ids", {})
    metrics = raw.get("metrics", {})
    rates = raw.get("rates", {})
    derived = raw.get("derived", {})
    ignore = raw.get("ignore", {})
    assert isinstance(fields, dict) and isinstance(ids, dict) and isinstance(metrics, dict)
    assert isinstance(rates, dict) and isinstance(derived, dict) and isinstance(ignore, dict)
    out = ["| column | headers recognised (any case, spaces, punctuation, currency) |", "|---|---|"]
    for kind in FIELD_KINDS:
        out.append(f"| `{kind}` | {_cell(fields.get(kind, []))} |")
    out += ["", "| id column kind | headers |", "|---|---|"]
    for kind in ID_KINDS:
        out.append(f"| {kind} | {_cell(ids.get(kind, []))} |")
    out += ["", "| metric | headers |", "|---|---|"]
    for name, aliases in metrics.items():
        out.append(f"| `{name}` | {_cell(aliases)} |")
    ctx = raw.get("contextual", [])
    assert isinstance(ctx, list)
    if ctx:
        out += ["", "| header | read as | when the file also has one of |", "|---|---|---|"]
        for spec in ctx:
            out.append(f"| {spec['header']} | `{spec['metric']}` | {_cell(spec['when_any'])} |")
    out += ["", "| rate | gives back | headers |", "|---|---|---|"]
    for name, spec in rates.items():
        out.append(
            f"| `{name}` | `{spec['numerator']}` = rate x `{spec['denominator']}` "
            f"| {_cell(spec.get('aliases', []))} |"
        )
    out += [
        "",
        "Recognised and ignored with a note (the engine computes these itself): "
        + _cell(derived.get("aliases", []))
        + ".",
        "",
        "Recognised and ignored silently: " + _cell(ignore.get("columns", [])) + ".",
    ]
    return "\n".join(out) + "\n"


def render_doc(text: str) -> str:
    """Return text (a Markdown page) with the part between the alias-table markers replaced."""
    start = text.index(DOC_START) + len(DOC_START)
    end = text.index(DOC_END)
    return text[:start] + "\n" + alias_table_markdown() + text[end:]


def main(argv: Sequence[str]) -> int:
    """Rewrite the alias table inside each Markdown file named in argv."""
    for name in argv:
        path = Path(name)
        path.write_text(render_doc(path.read_text("utf-8")), "utf-8")
    return 0
