"""Numbers as exports write them, parsed per column with polars expressions (no row loop).

A column first gives its evidence: cells such as ``85,98`` or ``1.234.567`` say the decimal
mark is a comma; ``2633.0`` or ``1,234,567`` say it is a point. Cells such as ``2.546`` or
``1,234`` (one separator, three digits after it) could be either; they follow the column's
evidence, else the file's (all metric columns together), else the delimiter (``;`` files come
from decimal-comma locales), else the English reading.
"""

from __future__ import annotations

import polars as pl

from sitegen.readers.cells import CellError, show

MISSING_TOKENS = (
    "",
    "-",
    "--",
    "---",
    "—",
    "–",
    "n/a",
    "na",
    "n.a.",
    "nan",
    "null",
    "none",
    "#n/a",
    "#div/0!",
    "#value!",
    "#ref!",
    "#num!",
    "#null!",
    "#name?",
)
_CURRENCY = (
    r"(?i)us\$|[$€£¥₽₴₸₺]|zł|\b(?:usd|eur|rub|gbp|uah|kzt|byn|pln|chf|sek|nok|dkk|cad|aud"
    r"|jpy|cny|czk|huf|ron|bgn)\b|\bруб\.?|\bр\."
)
_PLAIN = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"
_EXP = r"[eE][+-]?\d+$"
_AMBIGUOUS = {".": r"^[+-]?[1-9]\d{0,2}\.\d{3}$", ",": r"^[+-]?[1-9]\d{0,2},\d{3}$"}
_GROUPED = {
    # Integer part grouped by the thousands mark, then the decimal part.
    ".": r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?(?:[eE][+-]?\d+)?$",
    ",": r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?(?:[eE][+-]?\d+)?$",
}
EXPECTED = "a number such as 1234, 1 234,5, 12.5%, $1,234.50 or empty"


class NumberColumn:
    """One column's cells, cleaned, with the evidence they give about the decimal mark."""

    def __init__(self, raw: pl.Series, exact: pl.Series | None = None) -> None:
        # `exact`: the cells a workbook or JSON stored as numbers, in a column that also has
        # text; they are taken as they are and give no evidence about the text cells.
        self.exact = exact
        if exact is not None:
            raw = pl.select(
                pl.when(pl.lit(exact).is_null()).then(pl.lit(raw.cast(pl.Utf8)))
            ).to_series()
        self.raw = raw
        self.typed: pl.Series | None = None
        self.dot = 0  # cells that show a decimal point
        self.comma = 0  # cells that show a decimal comma
        self.percent = 0  # cells with a % sign
        self.count = 0  # non-missing cells
        self._frame: pl.DataFrame | None = None
        if raw.dtype.is_numeric():
            self.typed = raw.cast(pl.Float64)
            if raw.dtype.is_float():  # a whole number is never NaN: no pass for it
                self.typed = self.typed.fill_nan(None)
            self.count = self.typed.len() - self.typed.null_count()
            return
        if raw.dtype == pl.Boolean or raw.dtype.is_temporal():
            raw = raw.cast(pl.Utf8)
        s = raw.cast(pl.Utf8)
        as_int = s.cast(pl.Int64, strict=False)
        if as_int.null_count() == s.null_count():
            # Plain integers (most count columns): nothing to decide.
            self.typed = as_int.cast(pl.Float64)
            self.count = s.len() - s.null_count() + self._exact_count()
            return
        plain = s.str.contains(_PLAIN)
        if bool((plain | s.is_null()).all()):
            # Fast path: plain numbers only (the common case, and all of a big export).
            ambiguous = s.str.contains(_AMBIGUOUS["."]).fill_null(False)
            dotted = s.str.contains(".", literal=True).fill_null(False)
            self.dot = int((dotted & ~ambiguous).sum())
            self.count = s.len() - s.null_count() + self._exact_count()
            if self.dot or not bool(ambiguous.any()):
                self.typed = s.cast(pl.Float64, strict=False)
                return
        self._frame = _clean(s)
        f = self._frame
        self.count = int((~f["missing"]).sum()) + self._exact_count()
        self.percent = int(f["pct"].sum())
        self.dot = int((f["ev"] == ".").sum())
        self.comma = int((f["ev"] == ",").sum())

    def parse(self, hint: str) -> pl.Series:
        """Return the column as Float64 (null = missing); CellError on the first bad cell."""
        values = self._parse(hint)
        if self.exact is not None:
            return pl.select(pl.coalesce(pl.lit(self.exact), pl.lit(values))).to_series()
        return values

    def _parse(self, hint: str) -> pl.Series:
        if self.typed is not None:
            return self.typed
        if self._frame is None:  # plain but ambiguous cells: the file decides
            self._frame = _clean(self.raw.cast(pl.Utf8))
        f = self._frame
        if self.dot and self.comma:
            major = "." if self.dot >= self.comma else ","
            minor = "," if major == "." else "."
            row = _first(f["ev"] == minor)
            other = _first(f["ev"] == major)
            raise CellError(
                row,
                "numbers in this column are written two ways",
                expected=f"one decimal mark per column ('{major}' as in most cells)",
                found=f"{show(self.raw[row])} with '{minor}' as the decimal mark",
                hint="export the file again with one number format",
                other_row=other,
            )
        decimal = "," if self.comma else "." if self.dot else hint
        group = "," if decimal == "." else "."
        t = f["t"]
        has_group = t.str.contains(group, literal=True).fill_null(False)
        grouped_ok = ~has_group | t.str.contains(_GROUPED[decimal]).fill_null(False)
        norm = t.str.replace_all(group, "", literal=True)
        if decimal == ",":
            norm = norm.str.replace(",", ".", literal=True)
        good = norm.str.contains(_PLAIN).fill_null(False) & grouped_ok
        values = pl.select(
            pl.when(pl.lit(good)).then(pl.lit(norm).cast(pl.Float64, strict=False))
        ).to_series()
        bad = ~f["missing"] & values.is_null()
        if bool(bad.any()):
            row = _first(bad)
            cell = self.raw[row]
            formula = isinstance(cell, str) and cell.lstrip().startswith(("=", "+=", "@"))
            raise CellError(
                row,
                "text in a number column" if not formula else "a formula in a number column",
                expected=EXPECTED,
                found=show(cell),
                hint=(
                    "export values, not formulas"
                    if formula
                    else "fix the cell, or leave it empty (-, N/A and empty mean no value)"
                ),
            )
        return values.fill_nan(None)

    def _exact_count(self) -> int:
        return 0 if self.exact is None else self.exact.len() - self.exact.null_count()

    @property
    def has_percent(self) -> bool:
        """Return True when most non-missing cells carry a % sign."""
        return self.count > 0 and self.percent * 2 >= self.count


def _first(mask: pl.Series) -> int:
    return int(mask.arg_true()[0])


def _clean(s: pl.Series) -> pl.DataFrame:
    """Return t (cleaned text), missing, pct and ev (decimal-mark evidence) per cell."""
    frame = pl.DataFrame({"s": s.str.strip_chars()})
    missing = pl.col("s").is_null() | pl.col("s").str.to_lowercase().is_in(MISSING_TOKENS)
    t = (
        pl.col("s")
        .str.replace_all(_CURRENCY, "")
        .str.replace_all(r"[%\s'’`]", "")
        .str.replace_all("−", "-", literal=True)
        .str.replace(r"^\((.+)\)$", "-$1")  # accounting negatives: (123) = -123
    )
    frame = frame.with_columns(
        missing=missing,
        pct=pl.col("s").str.contains("%", literal=True).fill_null(False),
        t=pl.when(missing).then(None).otherwise(t),
    )
    m = pl.col("t").str.replace(_EXP, "")
    # Only cells that are numbers under some reading give evidence ("a,b" gives none).
    numeric = m.str.contains(r"^[+-]?(?:\d[\d.,]*|[.,]\d+)$").fill_null(False)
    dots = m.str.count_matches(".", literal=True)
    commas = m.str.count_matches(",", literal=True)
    rev = m.str.reverse()
    ev = (
        pl.when(~numeric)
        .then(pl.lit(None, dtype=pl.Utf8))
        .when((dots > 0) & (commas > 0))
        .then(
            # The mark that comes last is the decimal one: 1,234.5 / 1.234,5.
            pl.when(rev.str.find(".", literal=True) < rev.str.find(",", literal=True))
            .then(pl.lit("."))
            .otherwise(pl.lit(","))
        )
        .when((commas >= 2) & (dots == 0))
        .then(pl.lit("."))
        .when((dots >= 2) & (commas == 0))
        .then(pl.lit(","))
        .when((commas == 1) & ~m.str.contains(_AMBIGUOUS[","]))
        .then(pl.lit(","))
        .when((dots == 1) & ~m.str.contains(_AMBIGUOUS["."]))
        .then(pl.lit("."))
        .otherwise(pl.lit(None, dtype=pl.Utf8))
    )
    return frame.with_columns(ev=ev)


def file_hint(columns: list[NumberColumn], delimiter: str | None) -> str:
    """Return the decimal mark the file's evidence (or its delimiter) points to."""
    dot = sum(c.dot for c in columns)
    comma = sum(c.comma for c in columns)
    if comma > dot:
        return ","
    if dot > comma:
        return "."
    return "," if delimiter == ";" else "."
