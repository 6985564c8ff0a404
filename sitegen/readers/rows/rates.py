"""Read the metric columns as numbers, and turn rates back into counts where the file lacks
the count (a click-through rate and impressions give clicks)."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from sitegen.errors import SitegenWarning
from sitegen.readers.cells import CellError, show
from sitegen.readers.numbers import NumberColumn, file_hint
from sitegen.readers.raw import RawTable, col, exact
from sitegen.readers.rows.clean import Kept
from sitegen.readers.rows.columns import Columns
from sitegen.readers.rows.options import ReadOptions


@dataclass
class Evidence:
    """What a part of a file says about its number formats (see read_metrics)."""

    hint: str = "."
    derived: list[tuple[int, int]] = field(default_factory=list)  # (dot, comma) per column
    # column -> (dot, comma, percent, count, the decimal mark decides its values)
    columns: dict[int, tuple[int, int, int, int, bool]] = field(default_factory=dict)
    rate_percent: dict[str, bool] = field(default_factory=dict)


def read_metrics(
    kept: Kept,
    raw: RawTable,
    cols: Columns,
    display: str,
    opts: ReadOptions,
    warnings: list[SitegenWarning],
    evidence_out: Evidence | None = None,
    estimates: list[tuple[str, str, str]] | None = None,
) -> dict[str, pl.Series]:
    """Return each metric's numbers (rates turned into counts); note the ignored columns.

    `evidence_out`, when given, receives what the file-wide decisions were made from (a
    batch of a file read in batches is checked against the whole file's evidence).
    `estimates`, when given, receives (metric, rate header, base header) per metric
    estimated from a rate; each is also a note naming both columns.
    """
    frame, loc, dtypes, exacts = kept.frame, kept.loc, kept.dtypes, kept.exacts
    values = cols.values()
    numbers = {
        i: NumberColumn(frame[col(i)], frame[exact(col(i))] if exact(col(i)) in exacts else None)
        for i in values
    }
    # Derived columns (CPC, "85,98%" engagement rates) are not read, but their numbers say
    # which decimal mark the file uses.
    evidence = [NumberColumn(frame[col(i)]) for i in cols.derived if dtypes[col(i)] == pl.String]
    hint = file_hint([*numbers.values(), *evidence], raw.delimiter)
    if evidence_out is not None:
        evidence_out.hint = hint
        evidence_out.derived = [(c.dot, c.comma) for c in evidence]
        evidence_out.columns = {
            i: (c.dot, c.comma, c.percent, c.count, c.typed is None) for i, c in numbers.items()
        }
    metric_values: dict[str, pl.Series] = {}
    rate_of_numerator = {r.numerator: r for r in opts.table.rates.values()}
    rates = dict(cols.rates)
    for name, i in cols.metrics.items():
        column = numbers[i]
        if column.has_percent:
            rate = rate_of_numerator.get(name)
            if rate is not None and rate.name not in rates:
                rates[rate.name] = i  # Metrica's "Отказы" in % is the bounce rate
                continue
            row = int(frame[col(i)].cast(pl.Utf8).str.contains("%", literal=True).arg_true()[0])
            raise loc.error(
                CellError(
                    row,
                    f"a percentage in the {name} column",
                    expected=f"a count of {name}, without a % sign",
                    found=show(frame[col(i)][row]),
                    hint=f"if this column is a rate, map another column to {name} under "
                    "[data.columns], or remove this one",
                ),
                i,
            )
        try:
            metric_values[name] = column.parse(hint)
        except CellError as exc:
            raise loc.error(exc, i) from None
    ignored_rates: list[str] = []
    for rate_name, i in rates.items():
        spec = opts.table.rates[rate_name]
        if (
            spec.numerator in metric_values
            or spec.denominator not in metric_values
            or (spec.numerator not in opts.metric_kinds)
        ):
            ignored_rates.append(raw.headers[i])
            continue
        rate_header = raw.headers[i]
        base_header = raw.headers[cols.metrics[spec.denominator]]
        twin = _unknown_twin(cols.unknown, spec.numerator, opts)
        if twin is not None:
            # The real column is in the file under a name sitegen does not know ("Clics"):
            # an estimate would replace it (676,282.75 clicks against a true 676,311).
            ignored_rates.append(rate_header)
            warnings.append(
                SitegenWarning(
                    f"{spec.numerator} not estimated from {rate_header!r} x {base_header!r}: "
                    f"the column {twin!r} looks like {spec.numerator}",
                    file=display,
                    line=raw.header_line,
                    code="estimate_skipped",
                    hint=f'map it under [data.columns]: "{twin}" = "{spec.numerator}"',
                )
            )
            continue
        try:
            share = numbers[i].parse(hint)
        except CellError as exc:
            raise loc.error(exc, i) from None
        percent = "%" in rate_header or numbers[i].percent > 0 or bool((share.abs() > 1).any())
        if evidence_out is not None and numbers[i].count:
            evidence_out.rate_percent[rate_name] = percent
        fraction = share / 100 if percent else share
        metric_values[spec.numerator] = fraction * metric_values[spec.denominator]
        if estimates is not None:
            estimates.append((spec.numerator, rate_header, base_header))
        warnings.append(
            SitegenWarning(
                f"{spec.numerator} estimated from {rate_header!r} x {base_header!r}: the file "
                f"has no {spec.numerator} column",
                file=display,
                line=raw.header_line,
                code="note",
                hint=f"if a column holds {spec.numerator}, map it under [data.columns]: "
                f'"Header" = "{spec.numerator}"',
            )
        )
    if cols.derived or ignored_rates:
        names = ", ".join(repr(h) for h in [raw.headers[i] for i in cols.derived] + ignored_rates)
        warnings.append(
            SitegenWarning(
                f"ignored rate/derived column(s) {names}: KPIs are computed from their parts",
                file=display,
                line=raw.header_line,
                code="note",
            )
        )

    return metric_values


_TWIN_HEADERS = 200  # unknown headers looked at (a wide export has thousands)


def _unknown_twin(unknown: list[str], metric: str, opts: ReadOptions) -> str | None:
    """Return an unknown header that most likely holds metric itself ("Clics"), or None."""
    for header in unknown[:_TWIN_HEADERS]:
        if opts.table.closest_metric(header, opts.metric_kinds) == metric:
            return header
    return None
