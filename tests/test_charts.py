"""Chart specs, tables, alt text and static SVG: valid Vega-Lite, locale-aware, deterministic."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import jsonschema
import pytest
from altair.vegalite.v6.schema import load_schema
from vl_render import render_svg

from sitegen.present.charts.kinds.funnel import funnel_chart
from sitegen.present.charts.kinds.goals import GoalPoint, bullet_chart, goal_chart
from sitegen.present.charts.kinds.lift import lift_chart
from sitegen.present.charts.kinds.trend import stacked_chart, trend_chart
from sitegen.present.charts.model import GoalBar, Point, Series
from sitegen.present.charts.sparkline import nice_domain, sparkline
from sitegen.present.charts.style import axis_format, localize
from sitegen.present.i18n.format import Formatter

EN = Formatter("en", "USD")
RU = Formatter("ru", "RUB")


def months(values: list[float | None], fmt: Formatter = EN, year: int = 2025) -> list[Point]:
    out = []
    for i, v in enumerate(values):
        start = date(year, i + 1, 1)
        end = date(year, i + 2, 1) if i < 11 else date(year, 12, 31)
        out.append(Point(start, end, fmt.month(start), v))
    return out


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = load_schema()
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def valid(validator: Any, spec: dict[str, Any]) -> bool:
    errors = [e.message[:200] for e in validator.iter_errors(spec)]
    assert errors == []
    return True


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_trend_chart_is_valid_vega_lite_with_a_table_and_alt_text(validator: Any) -> None:
    cur = months([2.0, 2.5, None, 3.0])
    prev = months([1.0, 1.5, 1.2, 1.1])
    c = trend_chart(
        "t",
        "Engagement rate",
        [Series("This period", cur), Series("Before", prev)],
        "percent",
        EN,
        locale="en",
        brand="#123456",
        band=(1.0, 2.0, "Benchmark"),
    )
    assert valid(validator, c.spec)
    # Percent KPIs are drawn as fractions so the axis can use the locale's percent format.
    drawn = c.spec["datasets"]["d0"]
    assert [r["y"] for r in drawn if r["s"] == "This period"] == [0.02, 0.025, 0.03]
    layer = c.spec["layer"][-1]  # the band first, the lines over it
    assert layer["encoding"]["y"]["axis"]["format"] == ",.1~%"
    # The missing month is a gap in the line and a dash in the table.
    assert c.columns == ["Period", "This period", "Before", "Benchmark"]
    assert c.rows[2] == ["Mar 2025", "\u2013", "1.2%", "1.0% – 2.0%"]
    assert c.alt == (
        "Engagement rate, Jan 2025 to Apr 2025: from 2.0% to 3.0%; highest 3.0% in Apr 2025."
    )
    assert [(i.name, i.color, i.shape) for i in c.legend] == [
        ("This period", "#123456", "line"),
        ("Before", "#0072B2", "line"),
        ("Benchmark", "#059669", "band"),
    ]
    # Times are read on a UTC scale, so no time zone moves a month.
    assert layer["encoding"]["x"]["scale"]["type"] == "utc"


def test_one_series_has_no_legend_and_many_points_no_dots() -> None:
    weeks = [
        Point(
            date(2025, 1, 6 + 7 * i) if i < 3 else date(2025, 1 + (i * 7) // 31, 1),
            date(2025, 1, 12),
            f"W{i}",
            float(i),
        )
        for i in range(30)
    ]
    c = trend_chart("w", "Leads", [Series("Leads", weeks)], "count", EN, locale="en")
    assert c.legend == []
    assert c.spec["mark"]["point"] is False


@pytest.mark.parametrize(
    ("unit", "values", "expected"),
    [
        ("percent", [0.005], ",.2~%"),
        ("percent", [0.5], ",.1~%"),
        ("percent", [1.5], ",.0%"),
        ("currency", [12.5], "$,.2~f"),
        ("currency", [1250.0], "$,.0f"),
        ("count", [3.0], ",.2~f"),
        ("count", [1234.0], ",.0f"),
        ("count", [12_345_678.0], ",.3~s"),
    ],
)
def test_axis_format(unit: str, values: list[float], expected: str) -> None:
    assert axis_format(unit, values) == expected


def test_stacked_share_table_has_totals(validator: Any) -> None:
    a = months([10.0, 30.0])
    b = months([30.0, 10.0])
    c = stacked_chart(
        "s",
        "Reach",
        [Series("instagram", a), Series("facebook", b)],
        "count",
        EN,
        locale="en",
        normalize=True,
    )
    assert valid(validator, c.spec)
    assert c.spec["encoding"]["y"]["stack"] == "normalize"
    assert c.columns == ["Period", "instagram", "facebook", "Total"]
    assert c.rows == [["Jan 2025", "10", "30", "40"], ["Feb 2025", "30", "10", "40"]]
    tips = [r["tip"] for r in c.spec["datasets"]["d0"]]
    assert "Jan 2025 · instagram: 10 (25.0%)" in tips
    assert [i.shape for i in c.legend] == ["square", "square"]


def test_bullet_chart_clamps_the_bars_not_the_table(validator: Any) -> None:
    goals = [
        GoalBar("Leads", 3.95, 0.8, "achieved", "Achieved"),
        GoalBar("CPL", -2.0, 0.5, "off_track", "Off track"),
        GoalBar("New", None, 0.0, "not_started", "Not started"),
    ]
    c = bullet_chart("b", "Progress", goals, EN, locale="en")
    assert valid(validator, c.spec)
    shown = {r["n"]: r["p"] for r in c.spec["datasets"]["d0"]}
    assert shown == {"Leads": 1.5, "CPL": -0.25, "New": 0.0}
    assert c.rows[0] == ["Leads", "Achieved", "395%", "80%"]
    assert c.rows[2][2] == "\u2013"


def test_goal_chart_puts_each_value_on_its_own_bucket(validator: Any) -> None:
    # A CPL goal Jan-Jun: M is 50, 40, 30 at the ends of January-March; the forecast runs
    # from March's 30 to 22 in June; the pace goes 50 -> 20.
    points = [
        GoalPoint("Jan 2025", date(2025, 1, 31), 50.0, 45.0, None),
        GoalPoint("Feb 2025", date(2025, 2, 28), 40.0, 40.0, None),
        GoalPoint("Mar 2025", date(2025, 3, 31), 30.0, 35.0, 30.0),
        GoalPoint("Apr 2025", date(2025, 4, 30), None, 30.0, 27.0),
        GoalPoint("May 2025", date(2025, 5, 31), None, 25.0, 24.5),
        GoalPoint("Jun 2025", date(2025, 6, 30), None, 20.0, 22.0),
    ]
    c = goal_chart("g", "Cut CPL", points, "currency", EN, locale="en", target=20.0, baseline=50.0)
    assert valid(validator, c.spec)
    refs = {r["t"]: r["y"] for r in c.spec["datasets"].values() for r in r if "t" in r}
    assert refs == {"Target": 20.0, "Baseline": 50.0}
    recs = [r for d in c.spec["datasets"].values() for r in d if "s" in r]
    actual = [(r["x"], r["y"]) for r in recs if r["s"] == "Actual"]
    # September's value on September: the x of each value is its own bucket's label.
    assert actual == [("Jan 2025", 50.0), ("Feb 2025", 40.0), ("Mar 2025", 30.0)]
    fc = [(r["x"], r["y"]) for r in recs if r["s"] == "Forecast"]
    assert fc[0] == ("Mar 2025", 30.0) and fc[-1] == ("Jun 2025", 22.0)
    tips = [r["tip"] for r in recs if r["s"] == "Actual"]
    assert tips[0] == "Jan 2025 · Actual: $50.00"
    assert c.alt == "Cut CPL: $30.00 now, target $20.00 by Jun 2025."
    assert [i.name for i in c.legend] == ["Actual", "Pace to the target", "Forecast", "Target"]


def test_funnel_and_lift_charts(validator: Any) -> None:
    f = funnel_chart("f", "Funnel", [("Leads", 100, 139), ("Customers", 10, 8)], EN, locale="en")
    assert valid(validator, f.spec)
    assert {r["n"]: r["c"] for r in f.spec["datasets"]["d0"]} == {
        "Leads": "good",
        "Customers": "bad",
    }
    lift = lift_chart(
        "l", "Lift", [("CPL", -0.2, "lower"), ("Leads", -0.1, "higher")], EN, locale="en"
    )
    assert valid(validator, lift.spec)
    assert {r["n"]: r["c"] for r in lift.spec["datasets"]["d0"]} == {"CPL": "good", "Leads": "bad"}
    assert lift.rows == [["CPL", "-20.0%"], ["Leads", "-10.0%"]]


def test_sparkline_is_static_only() -> None:
    s = sparkline("sp", months([1.0, 2.0, 3.0]), "count", brand="#aa0000")
    assert (s.interactive, s.rows, s.alt) == (False, [], "")
    assert localize(s, "ru", "RUB").spec == {}  # nothing for vl-convert or the browser
    assert 'stroke="#aa0000"' in s.svg and 'fill="#aa0000"' in s.svg


def path_numbers(svg: str) -> list[float]:
    d = re.search(r' d="([^"]+)"', svg)
    assert d is not None
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", d.group(1))]


def test_sparkline_geometry_follows_vega_lite() -> None:
    # 240 x 40 plot, 3 px padding; x is time from the first to the last month (Jan: 31 of
    # the 59 days to Mar 1 -> x = 240 * 31 / 59 = 126.102); y is "nice" (10..30 -> 10..30).
    s = sparkline("sp", months([10.0, 30.0, 20.0]), "count")
    assert 'width="246" height="46" viewBox="0 0 246 46"' in s.svg
    nums = path_numbers(s.svg)
    # M x,y then one cubic segment (two control points and an end point) per month.
    ends = [(nums[0], nums[1])] + [tuple(nums[i + 4 : i + 6]) for i in range(2, len(nums), 6)]
    assert ends == [(0.0, 40.0), (126.102, 0.0), (240.0, 20.0)]  # low, peak at the top, mid
    assert 'cx="240" cy="20" r="2.345"' in s.svg  # the dot on the latest value
    # Monotone: no control point leaves the data's range (no overshoot above the peak).
    assert min(nums[1::2]) >= 0.0 and max(nums[1::2]) <= 40.0


def test_sparkline_nice_domain_and_edge_cases() -> None:
    # What Vega-Lite's y scale shows (checked against vl-convert's drawing of the same data).
    assert nice_domain(38761, 67859) == (38000, 68000)
    assert nice_domain(0.0213, 0.0502) == (0.02, 0.055)
    assert nice_domain(-3.2, 7.9) == (-4, 8)
    assert nice_domain(5.0, 5.0) == (0.0, 10.0)  # a flat line sits mid-height
    flat = sparkline("sp", months([5.0, 5.0, 5.0]), "count")
    assert set(path_numbers(flat.svg)[1::2]) == {20.0}
    assert "<path" not in sparkline("sp", months([None, None]), "count").svg
    one = sparkline("sp", months([None, 7.0]), "count")
    assert 'cx="120"' in one.svg  # a single value: a dot in the middle
    two = sparkline("sp", months([1.0, 2.0]), "count")
    assert re.search(r' d="M0,40L240,0"', two.svg)
    # The same numbers Vega-Lite's line (interpolate "monotone") draws for these values.
    assert 'd="M0,38.985L240,0.188"' in sparkline("sp", months([38761, 67859]), "count").svg
    assert 'd="M0,38.514L240,5.486"' in sparkline("sp", months([2.13, 5.02]), "percent").svg


def test_static_svg_follows_the_locale_and_is_deterministic() -> None:
    cur = months([1234.5, 2345.5, 3456.5], RU)
    c = localize(
        trend_chart("r", "CPL", [Series("Отчётный период", cur)], "currency", RU, locale="ru"),
        "ru",
        "RUB",
    )
    svg = render_svg(c.spec)
    labels = texts(svg)
    assert "янв. 2025" in labels  # d3 time locale from CLDR: stand-alone Russian months
    assert "фев." in labels or "февр." in labels
    assert any(t.endswith("\xa0₽") and "\xa0" in t[:-2] for t in labels), labels  # 1 000 ₽
    assert render_svg(c.spec) == svg
    # Nothing in the SVG points anywhere: no URLs but the SVG namespaces.
    assert set(re.findall(r"https?://[^\"' ]+", svg)) <= {
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xlink",
    }


def test_sparkline_svg_is_deterministic() -> None:
    a = sparkline("sp", months([3.0, 1.0, 2.0]), "count")
    b = sparkline("sp", months([3.0, 1.0, 2.0]), "count")
    assert a.svg == b.svg and a.svg.startswith("<svg")


def test_every_chart_of_a_site_is_valid_vega_lite(tmp_path: Any, validator: Any) -> None:
    # Builds make specs with Altair's per-object checks off (sitegen.present.charts.spec.unchecked_specs),
    # so the whole site's specs are checked against the schema here instead.
    from test_site_support import make_project

    from sitegen.config.project import load_project
    from sitegen.pipeline.run import compute, read
    from sitegen.present.site.build import build_site

    project = load_project(make_project(tmp_path / "acme"))
    site = build_site(compute(project, read(project)), project.config)
    kinds = {c.kind for c in site.charts.values()}
    assert {"line", "sparkline", "stacked", "goal"} <= kinds, kinds
    for chart in site.charts.values():
        if chart.kind == "sparkline":
            assert chart.spec == {} and chart.svg.startswith("<svg")
        else:
            assert valid(validator, chart.spec), chart.id
