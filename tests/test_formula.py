from __future__ import annotations

import pytest

from sitegen.errors import FormulaError
from sitegen.model.formula import MAX_DEPTH, parse


def ev(text: str, **values: float | None) -> float | None:
    return parse(text).evaluate(lambda n: values.get(n), lambda n: values.get("start_" + n))


def test_precedence_and_parentheses() -> None:
    assert ev("1 + 2 * 3") == 7
    assert ev("(1 + 2) * 3") == 9
    assert ev("10 - 4 - 3") == 3
    assert ev("8 / 4 / 2") == 1
    assert ev("-2 * -3") == 6
    assert ev("1e3 + .5") == 1000.5


def test_names_and_start() -> None:
    f = parse("(followers - start(followers)) / start(followers) * 100")
    assert f.names() == ["followers"]
    assert f.start_names() == ["followers"]
    assert (
        ev(
            "(followers - start(followers)) / start(followers) * 100",
            followers=3150,
            start_followers=3000,
        )
        == 5.0
    )


def test_missing_input_and_zero_division_give_none() -> None:
    assert ev("spend / leads", spend=100.0, leads=0.0) is None
    assert ev("spend / leads", spend=100.0) is None
    assert ev("spend / leads", spend=40000.0, leads=80.0) == 500.0


def test_syntax_error_shows_caret() -> None:
    with pytest.raises(FormulaError) as info:
        parse("spend / / leads", where="kpis[0].formula")
    msg = str(info.value)
    assert "expected a name, a number or '('" in msg
    assert "spend / / leads\n          ^" in msg
    assert "[kpis[0].formula]" in msg


def test_unknown_name_lists_known_names() -> None:
    f = parse("spend / leeds")
    with pytest.raises(FormulaError) as info:
        f.check_names({"spend", "leads", "clicks"})
    msg = str(info.value)
    assert "unknown name 'leeds'" in msg
    assert "spend / leeds\n          ^" in msg
    assert "did you mean leads?" in msg
    assert "known names: clicks, leads, spend" in msg


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('echo hi')",
        "open('/etc/passwd')",
        "spend.__class__",
        "spend; import os",
        "lambda: 1",
        "spend[0]",
        "spend ** 2",
        "`id`",
    ],
)
def test_code_cannot_run(text: str) -> None:
    with pytest.raises(FormulaError):
        f = parse(text)
        f.check_names({"spend"})


def test_nesting_and_length_are_bounded() -> None:
    with pytest.raises(FormulaError, match="nested deeper"):
        parse("(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1))
    with pytest.raises(FormulaError, match="longer than"):
        parse("1+" * 600 + "1")


def test_only_start_and_avg_are_functions() -> None:
    with pytest.raises(FormulaError, match="unknown function 'max'"):
        parse("max(spend)")
    with pytest.raises(FormulaError, match="start\\(\\) takes one metric name"):
        parse("start(1)")
    with pytest.raises(FormulaError, match="avg\\(\\) takes one metric name"):
        parse("avg(1 + 2)")


def test_avg_reads_its_own_callback() -> None:
    f = parse("engagement / posts / avg(followers) * 100")
    assert f.names() == ["engagement", "posts", "followers"]
    assert f.avg_names() == ["followers"]
    assert not f.is_sum()
    values = {"engagement": 600.0, "posts": 12.0, "followers": 99.0}
    # 600 / 12 = 50 per post; 50 / 2500 average followers x 100 = 2.0 (not the 99 at the end)
    got = f.evaluate(values.__getitem__, lambda _n: None, lambda n: 2500.0)
    assert got == pytest.approx(2.0)
    # Without an avg() source the value is undefined, never the end-of-period level.
    assert f.evaluate(values.__getitem__, lambda _n: None) is None


def test_is_sum() -> None:
    assert parse("likes + comments - shares").is_sum()
    assert not parse("likes / 2").is_sum()
    assert not parse("likes + 1").is_sum()
