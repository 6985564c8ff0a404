"""Numbers as exports write them: decided per column, then per file."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.errors import DataError
from sitegen.readers.cells import CellError
from sitegen.readers.numbers import NumberColumn, file_hint


def parse(cells: list[str | None], hint: str = ".") -> list[float | None]:
    return NumberColumn(pl.Series(cells, dtype=pl.Utf8)).parse(hint).to_list()


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["1234", "2633.0", "1.5E+06", "1e3", "-3", ".5"], [1234, 2633, 1_500_000, 1000, -3, 0.5]),
        (["1,234", "1,234,567.5", "12"], [1234, 1_234_567.5, 12]),
        (["1.234", "1.234.567,5", "12"], [1234, 1_234_567.5, 12]),
        (["1 234,50 ₽", "12,5", "0,99"], [1234.5, 12.5, 0.99]),
        (["1\u00a0234", "1\u202f234,5", "12 345"], [1234, 1234.5, 12345]),
        (["12'345", "12’345.5"], [12345, 12345.5]),
        (["$33,882", "$1,204.50", "US$ 0.00"], [33882, 1204.5, 0]),
        (["US$ 0,00", "€ 12,30", "12,30 EUR", "100 руб.", "5 р."], [0, 12.3, 12.3, 100, 5]),
        (["85,98%", "12%", "0,5 %"], [85.98, 12, 0.5]),
        (["(123)", "−5", "+7"], [-123, -5, 7]),
    ],
)
def test_number_shapes(cells, expected):
    assert parse(cells) == [float(v) for v in expected]


@pytest.mark.parametrize("missing", ["", "-", "--", " --", "N/A", "NA", "n/a", "#N/A", "—"])
def test_missing_cells_are_null_not_zero(missing):
    assert parse(["5", missing, None]) == [5.0, None, None]


def test_ambiguous_cells_follow_the_column():
    # 2.546 next to 0,5 in one column: the comma is the decimal mark, so 2.546 is 2546.
    assert parse(["2.546", "0,5"]) == [2546.0, 0.5]
    assert parse(["2,546", "0.5"]) == [2546.0, 0.5]


def test_ambiguous_cells_follow_the_file_when_the_column_cannot_tell():
    assert parse(["2.546", "12"], hint=",") == [2546.0, 12.0]
    assert parse(["2.546", "12"], hint=".") == [2.546, 12.0]
    assert parse(["1,234"], hint=".") == [1234.0]
    assert parse(["1,234"], hint=",") == [1.234]


def test_file_hint_from_evidence_then_delimiter():
    comma = NumberColumn(pl.Series(["85,98%"]))
    dot = NumberColumn(pl.Series(["2633.0"]))
    blank = NumberColumn(pl.Series(["12"]))
    assert file_hint([comma, blank], ",") == ","
    assert file_hint([dot, blank], ";") == "."
    assert file_hint([blank], ";") == ","
    assert file_hint([blank], "\t") == "."
    assert file_hint([comma, comma, dot], None) == ","


def test_column_written_two_ways():
    with pytest.raises(CellError) as info:
        parse(["1,5", "2,5", "1,234.5"])
    assert (info.value.row, info.value.other_row) == (2, 0)
    assert info.value.message == "numbers in this column are written two ways"


@pytest.mark.parametrize(
    "bad",
    [
        "abc",
        "12abc",
        "1,23,4",
        "=1+2",
        '=HYPERLINK("x","5")',
        "<b>5</b>",
        "1.2.3,4,5",
        "inf",
        "5 likes",
    ],
)
def test_text_in_a_number_column(bad):
    with pytest.raises(CellError) as info:
        parse(["1", bad])
    assert info.value.row == 1
    assert info.value.found == repr(bad)


def test_formula_gets_its_own_message():
    with pytest.raises(CellError) as info:
        parse(['=HYPERLINK("https://x.com","5")'])
    assert info.value.message == "a formula in a number column"


def test_typed_and_mixed_columns():
    assert NumberColumn(pl.Series([1, None, 3])).parse(".").to_list() == [1.0, None, 3.0]
    exact = pl.Series([10.25, None, None, 1010.75])
    text = pl.Series(["10.25", "N/A", "1 000,5", "1010.75"])
    assert NumberColumn(text, exact).parse(".").to_list() == [10.25, None, 1000.5, 1010.75]


def test_two_columns_of_one_file_decide_together(write, read, rows):
    # The example: "2.546" next to "85,98%" means 2546, even in a comma file.
    write(
        "fb.csv", 'Date,Reach,Engagement rate\n2025-01-01,2.546,"85,98%"\n2025-01-02,1.001,"1,5%"\n'
    )
    assert rows(read(), "reach") == [
        ("2025-01-01", "fb", None, 2546.0),
        ("2025-01-02", "fb", None, 1001.0),
    ]


def test_counts_written_as_floats_and_money_in_headers(write, read, rows):
    write(
        "ads.csv",
        "Day,Impressions,Amount spent (USD),Link clicks\n"
        "2025-01-01,2633.0,$1,204.50,12.0\n".replace("$1,204.50", '"$1,204.50"'),
    )
    assert rows(read(), "impressions", "spend", "clicks") == [
        ("2025-01-01", "ads", None, 2633.0, 1204.5, 12.0),
    ]


def test_percent_in_a_count_column_is_an_error(write, read):
    write("fb.csv", "Date,Reach\n2025-01-01,12%\n2025-01-02,15%\n")
    with pytest.raises(DataError) as info:
        read()
    err = info.value
    assert (err.line, err.column, err.key) == (2, 2, "Reach")
    assert err.message == "a percentage in the reach column"


def test_rates_give_back_their_numerator(write, read, rows):
    write(
        "site.csv",
        "Date,Sessions,Bounce rate\n2025-01-01,200,25%\n2025-01-02,100,0.5%\n",
    )
    write(
        "ads.csv",
        "Date,Impressions,CTR\n2025-01-01,1000,0.02\n2025-01-02,500,0.1\n",
    )
    write(
        "mail.csv",
        "Date,Impressions,Clicks,CTR (%)\n2025-01-01,1000,30,2.5\n",
    )
    data = read()
    assert rows(data, "sessions", "bounces", "impressions", "clicks") == [
        ("2025-01-01", "ads", None, None, None, 1000.0, 20.0),
        ("2025-01-02", "ads", None, None, None, 500.0, 50.0),
        ("2025-01-01", "mail", None, None, None, 1000.0, 30.0),
        ("2025-01-01", "site", None, 200.0, 50.0, None, None),
        ("2025-01-02", "site", None, 100.0, 0.5, None, None),
    ]
    notes = [w for w in data.warnings if w.code == "note"]
    # Each count estimated from a rate is a note naming both columns.
    assert [(n.file, n.message) for n in notes] == [
        (
            "data/ads.csv",
            "clicks estimated from 'CTR' x 'Impressions': the file has no clicks column",
        ),
        (
            "data/mail.csv",
            "ignored rate/derived column(s) 'CTR (%)': KPIs are computed from their parts",
        ),
        (
            "data/site.csv",
            "bounces estimated from 'Bounce rate' x 'Sessions': the file has no bounces column",
        ),
    ]


STYLES = [(".", ","), (",", "."), (",", " "), (".", "'"), (",", "\u00a0"), (".", "")]


@settings(max_examples=60, deadline=None)
@given(
    cents=st.lists(st.integers(min_value=-(10**11), max_value=10**11), min_size=1, max_size=8),
    style=st.sampled_from(STYLES),
)
def test_round_trip_in_every_locale_style(cents, style):
    decimal, group = style
    cells = []
    for c in cents:
        text = f"{c / 100:,.2f}"  # 1,234,567.89
        text = text.replace(",", "\0").replace(".", decimal).replace("\0", group)
        cells.append(text)
    assert parse(cells, hint="." if decimal == "," else ",") == [c / 100 for c in cents]
