"""Fuzzing (threat T9 of docs/security.md): random input gives a result or a SitegenError.

Random bytes, random CSV shapes, random TOML (as text and as documents), random formulas and
random Markdown go into the readers and parsers. Any exception other than a ``SitegenError``
with a non-empty message is a bug. The number of examples comes from the hypothesis profile
(tests/conftest.py): bounded in CI, ``HYPOTHESIS_PROFILE=long`` for a local session.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from hypothesis import example, given
from hypothesis import strategies as st

from sitegen.config.project import parse_config
from sitegen.config.toml import read_toml
from sitegen.errors import SitegenError
from sitegen.model import formula
from sitegen.model.catalogue import builtin
from sitegen.readers import read_file
from sitegen.theme.markdown import markdown_to_html

METRIC_KINDS = dict(builtin().metric_kinds)
METRICS = sorted(METRIC_KINDS)
SUFFIXES = [".csv", ".tsv", ".txt", ".json", ".xlsx", ".parquet"]


def outcome(fn: Callable[[], Any]) -> Any:
    """Run fn; a SitegenError with a message is a fine outcome, anything else fails."""
    try:
        return fn()
    except SitegenError as exc:
        assert str(exc).strip(), type(exc)
        assert exc.message.strip()
        return exc


def read_bytes_as(data: bytes, suffix: str, **options: Any) -> Any:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data" / f"fuzz{suffix}"
        path.parent.mkdir()
        path.write_bytes(data)
        return outcome(
            lambda: read_file(
                path, metric_kinds=METRIC_KINDS, display=f"data/fuzz{suffix}", **options
            )
        )


# ------------------------------------------------------------------------------------------
# Random bytes into every reader
# ------------------------------------------------------------------------------------------

PREFIXES = [
    b"",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"PK\x03\x04",  # a zip (xlsx) header
    b"PAR1",  # parquet magic
    b"[",
    b"{",
    b"date,impressions,clicks\n",
    b"sep=;\n",
]


@given(
    prefix=st.sampled_from(PREFIXES),
    body=st.binary(max_size=2000),
    suffix=st.sampled_from(SUFFIXES),
)
@example(prefix=b"PK\x03\x04", body=b"\x00" * 100, suffix=".xlsx")
@example(prefix=b"PAR1", body=b"PAR1", suffix=".parquet")
@example(prefix=b"\xff\xfe", body=b"d\x00", suffix=".csv")
def test_random_bytes_in_every_reader(prefix: bytes, body: bytes, suffix: str) -> None:
    read_bytes_as(prefix + body, suffix)


# ------------------------------------------------------------------------------------------
# Random CSV shapes: real headers, dirty cells, ragged rows, delimiters, encodings
# ------------------------------------------------------------------------------------------

HEADERS = [
    "date",
    "Date",
    "Дата",
    "datums",
    "channel",
    "competitor",
    "Day",
    "Post ID",
    "Campaign",
    *METRICS,
    "Impressions",
    "Link Clicks",
    "Reach",
    "Показы",
    "Клики",
    "CTR",
    "CTR (%)",
    "Total",
    "",
    " ",
    "unknown",
    "=cmd()",
    "<b>x</b>",
]


def date_cell() -> st.SearchStrategy[str]:
    d = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))
    return st.one_of(
        d.map(lambda x: x.isoformat()),
        d.map(lambda x: x.strftime("%d.%m.%Y")),
        d.map(lambda x: x.strftime("%m/%d/%Y")),
        d.map(lambda x: x.strftime("%Y-%m")),
        d.map(lambda x: f"{x.isocalendar()[0]}-W{x.isocalendar()[1]:02d}"),
        st.integers(-(10**6), 10**6).map(str),
        st.sampled_from(["", "Total", "Итого", "Kopā", "--", "N/A", "2025-02-30", "2025-13-01"]),
    )


def number_cell() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(-(10**12), 10**12).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
        st.sampled_from(
            [
                "",
                "-",
                "--",
                "N/A",
                "NA",
                "1 234,5",
                "1\u00a0234",
                "1,234.5",
                "1.234,5",
                "12%",
                "$1,000",
                "€ 5",
                "2633.0",
                "1e309",
                "0x10",
                "١٢٣",
                "=1+1",
            ]
        ),
        st.text(max_size=8),
    )


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[bytes, str]:
    headers = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8))
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        width = draw(st.integers(0, len(headers) + 2))
        row = [
            draw(
                date_cell() if i < len(headers) and headers[i].lower() == "date" else number_cell()
            )
            for i in range(width)
        ]
        rows.append(row)
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    for line in draw(st.lists(st.sampled_from(["Report", "sep=,", ""]), max_size=2)):
        buf.write(line + "\n")
    w.writerow(headers)
    w.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1251"]))
    text = buf.getvalue()
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    return data, draw(st.sampled_from([".csv", ".tsv", ".txt"]))


@given(csv_files(), st.sampled_from([None, "%d/%m/%Y", "%m/%d/%Y", "%Y"]))
def test_random_csv_shapes(file: tuple[bytes, str], date_format: str | None) -> None:
    data, suffix = file
    read_bytes_as(data, suffix, date_format=date_format)


# ------------------------------------------------------------------------------------------
# Random TOML: as text (the parser) and as documents (the config, goals and cases checks)
# ------------------------------------------------------------------------------------------

KEYS = [
    "project",
    "name",
    "slug",
    "locale",
    "currency",
    "timezone",
    "theme",
    "logo",
    "base_url",
    "brand_color",
    "period",
    "start",
    "end",
    "data",
    "date_format",
    "columns",
    "kpis",
    "id",
    "label",
    "formula",
    "unit",
    "better",
    "goals",
    "plans",
    "title",
    "kpi",
    "channel",
    "target",
    "change",
    "baseline",
    "baseline_period",
    "deadline",
    "per",
    "revenue_target",
    "average_order",
    "lead_to_customer",
    "budget",
    "cases",
    "references",
    "benchmarks",
    "months",
    "source",
    "goal",
    "x",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(),
    st.dates(),
    st.datetimes(),
    st.text(max_size=20),
    st.sampled_from(
        [
            "en",
            "ru",
            "xx",
            "USD",
            "EUR",
            "Europe/Riga",
            "default",
            "assets/x.svg",
            "../x",
            "+35%",
            "-10%",
            "month",
            "higher",
            "lower",
            "count",
            "percent",
            "spend / clicks",
            "clicks",
            "leads",
            "engagement_rate",
            "2025-01-01",
            "#fff",
            "%d.%m.%Y",
        ]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYS), inner, max_size=6),
    ),
    max_leaves=30,
)
DOCS = st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=6)


def toml_text() -> st.SearchStrategy[str]:
    pieces = st.sampled_from(
        [
            "[project]\n",
            "[[kpis]]\n",
            "[period]\n",
            "[data.columns]\n",
            "name = ",
            '"x"',
            "start = ",
            "2025-01-01",
            "1979-05-27T07:32:00Z",
            "= ",
            "[",
            "]",
            "{",
            "}",
            "'",
            '"""',
            "\n",
            "a.b.c = 1\n",
            "\\u0000",
            "inf",
            "nan",
            "0x1F",
            "1_000",
            "# c\n",
            "\x00",
            "\ud7ff",
            "key = [1, 'a', {x = 1}]\n",
        ]
    )
    return st.one_of(
        st.text(max_size=300),
        st.lists(pieces, max_size=40).map("".join),
    )


@given(
    st.one_of(
        toml_text().map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=300)
    )
)
def test_random_toml_text(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sitegen.toml"
        path.write_bytes(data)
        doc = outcome(lambda: read_toml(path, "sitegen.toml"))
        if isinstance(doc, dict):
            outcome(lambda: parse_config(doc, Path(tmp)))


@given(
    DOCS,
    st.fixed_dictionaries(
        {"name": st.text(max_size=10)},
        optional={
            "locale": SCALARS,
            "currency": SCALARS,
            "logo": SCALARS,
            "theme": SCALARS,
            "timezone": SCALARS,
            "slug": SCALARS,
            "brand_color": SCALARS,
            "base_url": SCALARS,
        },
    ),
)
@example({}, {"name": "", "logo": "\x00"})  # found by the long profile: a ValueError
@example({}, {"name": "x", "theme": "a\x00b"})
def test_random_config_documents(doc: dict[str, Any], project: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        outcome(lambda: parse_config(doc, Path(tmp)))
        outcome(lambda: parse_config({**doc, "project": project}, Path(tmp)))


GOAL = st.fixed_dictionaries(
    {},
    optional={
        k: SCALARS
        for k in (
            "id",
            "title",
            "kpi",
            "channel",
            "target",
            "change",
            "baseline",
            "start",
            "deadline",
            "per",
            "revenue_target",
            "average_order",
            "lead_to_customer",
            "budget",
            "months",
            "source",
            "name",
            "goal",
            "period",
            "kpis",
        )
    },
)


@given(
    st.dictionaries(
        st.sampled_from(["goals", "plans", "cases", "references", "benchmarks", "x"]),
        st.one_of(st.lists(st.one_of(GOAL, VALUES), max_size=3), VALUES),
        max_size=4,
    )
)
def test_random_goals_and_cases_documents(doc: dict[str, Any]) -> None:
    from sitegen.config.cases import parse_cases
    from sitegen.config.goals import parse_goals

    known = builtin().known()
    outcome(lambda: parse_goals(doc, file="goals.toml", known_kpis=known))
    outcome(lambda: parse_cases(doc, file="cases.toml", known_kpis=known))


# ------------------------------------------------------------------------------------------
# Random formulas: parse, check names, evaluate
# ------------------------------------------------------------------------------------------

FORMULA_TOKENS = st.sampled_from(
    [
        "spend",
        "clicks",
        "leads",
        "impressions",
        "start(",
        "start",
        "(",
        ")",
        "+",
        "-",
        "*",
        "/",
        "0",
        "1",
        "2.5",
        ".5",
        "1e308",
        "1e-308",
        "9" * 30,
        " ",
        "x",
        "__import__",
        ".",
        ",",
        "**",
        "'",
        "[",
        "]",
        "\n",
        "é",
    ]
)
FORMULAS = st.one_of(
    st.text(max_size=60),
    st.lists(FORMULA_TOKENS, max_size=40).map("".join),
)
VALUE = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True))


@given(FORMULAS, VALUE, VALUE, VALUE)
@example("(" * 41 + "1" + ")" * 41, 1.0, 1.0, 1.0)
@example("-" * 1000, 1.0, 1.0, 1.0)
@example("spend / (clicks - clicks)", 1.0, 2.0, None)
def test_random_formulas(text: str, a: float | None, b: float | None, c: float | None) -> None:
    parsed = outcome(lambda: formula.parse(text, where="kpis[0].formula"))
    if not isinstance(parsed, formula.Formula):
        return
    values = {"spend": a, "clicks": b, "leads": c, "impressions": a}
    checked = outcome(lambda: parsed.check_names(set(values)))
    if isinstance(checked, SitegenError):
        return
    result = parsed.evaluate(values.get, values.get)
    assert result is None or (isinstance(result, float) and math.isfinite(result))


# ------------------------------------------------------------------------------------------
# Random Markdown: the sanitised output never holds active content
# ------------------------------------------------------------------------------------------

MD_TOKENS = st.sampled_from(
    [
        "<script>",
        "</script>",
        "<img src=x onerror=alert(1)>",
        "[a](",
        "javascript:",
        "data:",
        ")",
        "![i](",
        "<a href=",
        '"',
        "'",
        ">",
        "<",
        "&#106;",
        "<svg",
        "onload=",
        "*",
        "`",
        "```",
        "\n",
        "# ",
        "- ",
        "> ",
        "|",
        "<style>",
        "<iframe",
        "text",
        " ",
    ]
)


@given(st.one_of(st.text(max_size=200), st.lists(MD_TOKENS, max_size=60).map("".join)))
def test_random_markdown_is_sanitised(text: str) -> None:
    html = outcome(lambda: markdown_to_html(text))
    if not isinstance(html, str):
        return
    soup = BeautifulSoup(html, "html.parser")
    for bad in ("script", "iframe", "style", "svg", "object", "embed", "form"):
        assert soup.find(bad) is None, html
    for tag in soup.find_all(True):
        for attr, value in tag.attrs.items():
            assert not attr.startswith("on"), html
            if attr in ("href", "src"):
                low = str(value).strip().lower()
                assert not low.startswith(("javascript:", "data:", "vbscript:")), html
