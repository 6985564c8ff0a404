"""Chart specs, tables, alt text and static SVG: valid Vega-Lite, locale-aware, deterministic."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import jsonschema
import pytest
from altair.vegalite.v6.schema import load_schema
from cldr import spaced
from vl_render import render_svg

from sitegen.present.charts.kinds.funnel import funnel_chart
from sitegen.present.charts.kinds.goals import GoalPoint, bullet_chart, goal_chart
from sitegen.present.charts.kinds.lift import lift_chart
from sitegen.present.charts.kinds.trend import stacked_chart, trend_chart
from sitegen.present.charts.model import GoalBar, Point, Reference, Series
from sitegen.present.charts.sparkline import nice_domain, sparkline
from sitegen.present.charts.style import (
    BAD,
    DARK_PALETTE,
    DARK_SURFACE,
    DARK_TEXT,
    DARK_TWINS,
    GOOD,
    INK,
    LIGHT_SURFACE,
    MUTED,
    PALETTE,
    WARN,
    chart_dark_css,
    contrast,
    dark_main_color,
    localize,
    main_color,
    value_axis,
)
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
    bench = Reference("Agency benchmark", 1.0, 2.0, "#059669", label="Benchmark: 1.0%–2.0%")
    target = Reference("Target: ER 2.8%", 2.8, 2.8, "#4b5563", label="Target: 2.8%")
    c = trend_chart(
        "t",
        "Engagement rate",
        [Series("This period", cur), Series("Before", prev)],
        "percent",
        EN,
        locale="en",
        brand="#123456",
        refs=[bench, target],
    )
    assert valid(validator, c.spec)
    # Percent KPIs are drawn as fractions so the axis can use the locale's percent format.
    line = c.spec["layer"][-1]  # references first, the lines over them
    drawn = c.spec["datasets"][line["data"]["name"]]
    assert [r["y"] for r in drawn if r["s"] == "This period"] == [0.02, 0.025, 0.03]
    # Values 0.010..0.030 and references 0.010..0.028: not near zero (0.010 > 0.25 * 0.030), so
    # zoomed; d3's nice for 5 ticks: step 0.005 over 0.010..0.030. The spec asks Vega for the
    # same (nice 5, no zero) and a percent format whose precision Vega takes from that step,
    # so charts that differ only in their numbers share one compiled shape.
    y = line["encoding"]["y"]
    assert (y["scale"], y["axis"]["format"], y["axis"]["tickCount"]) == (
        {"nice": 5, "zero": False},
        ",%",
        5,
    )
    ax = value_axis("percent", [0.01, 0.03, 0.028])
    assert (ax.domain, ax.ticks) == ((0.01, 0.03), (0.01, 0.015, 0.02, 0.025, 0.03))
    # The missing month is a gap in the line and a dash in the table; a band is a range.
    assert c.columns == ["Period", "This period", "Before", "Agency benchmark", "Target: ER 2.8%"]
    assert c.rows[2] == ["Mar 2025", "\u2013", "1.2%", "1.0% – 2.0%", "2.8%"]
    assert c.alt == (
        "Engagement rate, Jan 2025 to Apr 2025: from 2.0% to 3.0%; highest 3.0% in Apr 2025."
    )
    assert [(i.name, i.color, i.shape) for i in c.legend] == [
        ("This period", "#123456", "line"),
        ("Before", "#bd8200", "line"),
        ("Agency benchmark", "#059669", "band"),
        ("Target: ER 2.8%", "#4b5563", "line"),
        ("The axis does not start at zero", "#868e9a", "note"),
    ]
    # Times are read on a UTC scale, so no time zone moves a month.
    assert line["encoding"]["x"]["scale"]["type"] == "utc"


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
    assert any(re.fullmatch(r"\d+_\d{3}_₽", spaced(t)) for t in labels), labels  # 1 000 ₽
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


# -- value axes, references, buckets, comparison dates (issues 17 and 19) ----------------------


def y_labels(svg: str) -> list[str]:
    """Return the y axis's tick labels of a rendered chart (right-aligned left of the plot)."""
    return re.findall(
        r'<text text-anchor="end" transform="translate\(-[\d.]+,[\d.]+\)"[^>]*>([^<]*)<', svg
    )


@pytest.mark.parametrize(
    ("unit", "values", "fmt", "labels"),
    [
        # 1.10 %..1.40 %: a step of 0.05 points needs two decimals ("1.1%", "1.1%" before).
        (
            "percent",
            [1.1, 1.25, 1.4],
            EN,
            ["1.10%", "1.15%", "1.20%", "1.25%", "1.30%", "1.35%", "1.40%"],
        ),
        # CPL 327.6..640 RUB: money from zero, step 100 -> whole roubles.
        (
            "currency",
            [327.6, 640.0],
            RU,
            [
                "0_₽",  # "_": a no-break space (cldr.spaced)
                "100_₽",
                "200_₽",
                "300_₽",
                "400_₽",
                "500_₽",
                "600_₽",
                "700_₽",
            ],
        ),
        # ROAS 3.1..4.4: not zero-based (3.1 > 0.25 * 4.4), step 0.2 -> one decimal.
        ("ratio", [3.1, 4.4], EN, ["3.0", "3.2", "3.4", "3.6", "3.8", "4.0", "4.2", "4.4"]),
        # Money under a dollar: step 0.05 -> cents.
        (
            "currency",
            [0.31, 0.52],
            EN,
            ["$0.00", "$0.10", "$0.20", "$0.30", "$0.40", "$0.50", "$0.60"],
        ),
    ],
)
def test_y_ticks_never_repeat_a_label_in_the_static_svg(
    unit: str, values: list[float], fmt: Formatter, labels: list[str]
) -> None:
    loc, cur = ("ru", "RUB") if fmt is RU else ("en", "USD")
    c = localize(
        trend_chart("y", "KPI", [Series("A", months(list(values), fmt))], unit, fmt, locale=loc),
        loc,
        cur,
    )
    drawn = y_labels(render_svg(c.spec))
    assert sorted(drawn, key=drawn.index) == drawn  # sanity: labels read once each
    assert [spaced(t) for t in drawn] == labels
    assert len(set(drawn)) == len(drawn)


def test_counts_and_money_start_at_zero_and_a_zoomed_axis_says_so() -> None:
    # Followers 38,761..67,859: a count, so 0..70,000 in steps of 10,000.
    ax = value_axis("count", [38761.0, 67859.0])
    assert (ax.domain, ax.ticks[1], ax.format, ax.zero_based) == (
        (0.0, 70000.0),
        10000.0,
        ",f",
        True,
    )
    assert value_axis("currency", [448.72, 602.51]).zero_based
    # An engagement rate of 2.13 %..5.02 % is zoomed (0.0213 > 0.25 * 0.0502) ...
    rate = value_axis("percent", [0.0213, 0.0502])
    assert (rate.domain, rate.format, rate.zero_based) == ((0.02, 0.055), ",%", False)
    # ... and the chart's legend says the axis does not start at zero; a count's does not.
    zoomed = trend_chart("r", "ER", [Series("A", months([2.13, 5.02]))], "percent", EN, locale="en")
    assert [i.shape for i in zoomed.legend] == ["note"]
    counted = trend_chart(
        "c", "Leads", [Series("A", months([380.0, 670.0]))], "count", EN, locale="en"
    )
    assert counted.legend == []
    assert counted.spec["encoding"]["y"]["scale"] == {"nice": 5, "zero": True}
    # Tens of millions in SI with the significant digits the step needs: 0, 10M, ... 50M.
    big = value_axis("count", [12e6, 45e6])
    assert (big.ticks[-1], big.format) == (50e6, ",~s")
    # A flat series still gets distinct ticks: 5 -> 0..5 in steps of 1.
    assert value_axis("currency", [5.0, 5.0]).ticks == (0.0, 1.0, 2.0, 3.0, 4.0, 5.0)


def test_each_monthly_value_is_drawn_at_its_own_month_label() -> None:
    c = localize(
        trend_chart(
            "m", "Leads", [Series("A", months([10.0, 30.0, 20.0, 40.0]))], "count", EN, locale="en"
        ),
        "en",
        "USD",
    )
    svg = render_svg(c.spec)
    labels = dict(
        (text, round(float(x), 1))
        for x, text in re.findall(
            r'<text text-anchor="\w+" transform="translate\(([\d.]+),20\)"[^>]*>([^<]*)<', svg
        )
    )
    dots = [
        round(float(x), 1)
        for x in re.findall(r'<path transform="translate\(([\d.]+),[\d.]+\)" d="M3,0A3', svg)
    ]
    # January's value at "Jan 2025", February's at "Feb", ...: never on the next month's label.
    assert dots == [labels["Jan 2025"], labels["Feb"], labels["Mar"], labels["Apr"]]
    data = (
        c.spec["datasets"][c.spec["data"]["name"]] if "data" in c.spec else c.spec["datasets"]["d0"]
    )
    assert [r["x"] for r in data] == ["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01"]


def test_a_single_benchmark_is_a_labelled_rule_and_a_range_a_band_in_the_static_svg() -> None:
    cur = months([3.5, 4.4, 3.9])
    rule = Reference("Agency ROAS median", 4.0, 4.0, "#059669", label="Benchmark: 4.0×")
    c = localize(
        trend_chart("b", "ROAS", [Series("A", cur)], "ratio", EN, locale="en", refs=[rule]),
        "en",
        "USD",
    )
    svg = render_svg(c.spec)
    # A rule the plot's full width (680 px) at 4.0: not a zero-height band.
    assert re.search(
        r'<line transform="translate\(680,[\d.]+\)" x2="-680" y2="0" stroke="#059669"', svg
    )
    assert "Benchmark: 4.0×" in texts(svg)
    assert [(i.name, i.shape) for i in c.legend][:1] == [("Agency ROAS median", "line")]
    band = Reference("Agency ER range", 1.0, 3.0, "#059669", label="Benchmark: 1.0%–3.0%")
    b = localize(
        trend_chart(
            "b2", "ER", [Series("A", months([2.0, 2.5]))], "percent", EN, locale="en", refs=[band]
        ),
        "en",
        "USD",
    )
    bsvg = render_svg(b.spec)
    assert (
        re.search(r'<path[^>]*fill="#059669" fill-opacity="0.14"', bsvg) or 'opacity="0.14"' in bsvg
    )
    assert len(re.findall(r'x2="-680" y2="0" stroke="#059669"', bsvg)) == 2  # both edges
    assert b.legend[0].shape == "band"


def test_comparison_points_are_drawn_on_the_report_months_but_name_their_own() -> None:
    cur = months([25.0, 25.0, 25.0])
    # The previous period of Jan-Mar 2025 is Oct-Dec 2024, drawn on Jan-Mar.
    prev = [
        Point(
            date(2024, m, 1),
            date(2024, m, 28),
            EN.month(date(2024, m, 1)),
            50.0,
            at=date(2025, m - 9, 1),
        )
        for m in (10, 11, 12)
    ]
    c = trend_chart(
        "p",
        "CPL",
        [Series("Report period", cur), Series("Previous period", prev)],
        "currency",
        EN,
        locale="en",
    )
    recs = [r for r in c.spec["datasets"]["d0"] if r["s"] == "Previous period"]
    assert [r["x"] for r in recs] == ["2025-01-01", "2025-02-01", "2025-03-01"]
    assert [r["tip"] for r in recs] == [
        "Oct 2024 · Previous period: $50.00",
        "Nov 2024 · Previous period: $50.00",
        "Dec 2024 · Previous period: $50.00",
    ]
    # The table keeps one row per report month, the earlier value beside it.
    assert c.rows[0] == ["Jan 2025", "$25.00", "$50.00"]


# -- dark mode: contrast computed from the palette values -----------------------------------

BRANDS = [None, "#8b5e3c", "#3e6b48", "#1f5f7a", "#0f766e", "#f0e442", "#111111", "#ffffff"]


def test_contrast_ratio_is_wcag() -> None:
    assert round(contrast("#000000", "#ffffff"), 2) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48  # the classic just-failing grey
    assert contrast("#161a22", "#161a22") == 1.0


def test_chart_lines_stand_out_in_light_and_dark_mode() -> None:
    for light, dark in zip(PALETTE, DARK_PALETTE, strict=True):
        assert contrast(light, LIGHT_SURFACE) >= 3.0, light
        assert contrast(dark, DARK_SURFACE) >= 3.0, dark
    for color in (GOOD, BAD, WARN, MUTED):
        assert contrast(color, LIGHT_SURFACE) >= 3.0, color
        assert contrast(DARK_TWINS.get(color, color), DARK_SURFACE) >= 3.0, color
    # Chart text: INK on white, site.css's light grey on the dark surface (WCAG AA).
    assert contrast(INK, LIGHT_SURFACE) >= 4.5
    assert contrast(DARK_TEXT, DARK_SURFACE) >= 4.5


@pytest.mark.parametrize("brand", BRANDS)
def test_the_main_series_is_the_most_visible_line_in_dark_mode(brand: str | None) -> None:
    main = dark_main_color(brand)
    others = max(contrast(c, DARK_SURFACE) for c in DARK_PALETTE)
    # Dark teal #1f5f7a was 2.6:1 on the dark surface, the least visible line; now >= 8:1.
    assert contrast(main, DARK_SURFACE) >= 8.0 > others
    assert contrast(main_color(brand), LIGHT_SURFACE) >= 5.5


def test_dark_chart_rules_are_in_site_css_and_brand_css() -> None:
    from pathlib import Path

    css = (Path(__file__).parents[1] / "themes/default/static/site.css").read_text(encoding="utf-8")
    assert chart_dark_css() in css  # site.css holds exactly what style.py computes
    teal = chart_dark_css("#1f5f7a")
    assert f'.chart [stroke="#1f5f7a" i] {{ stroke: {dark_main_color("#1f5f7a")}; }}' in teal


# -- the KPI page's month chart in a built site ---------------------------------------------


def site_charts(tmp_path: Any, locale: str = "en", currency: str = "USD") -> dict[str, Any]:
    from test_site_support import make_project

    from sitegen.config.project import load_project
    from sitegen.pipeline.run import compute, read
    from sitegen.present.site.build import build_site

    project = load_project(
        make_project(tmp_path / f"acme-{locale}", locale=locale, currency=currency)
    )
    return build_site(compute(project, read(project)), project.config).charts


def drawn_texts(chart: Any) -> list[str]:
    """Return every text a chart shows or says: alt, legend, table head, tooltips, labels."""
    out = [chart.alt, *(i.name for i in chart.legend), *chart.columns]
    for records in chart.spec.get("datasets", {}).values():
        out += [str(r[k]) for r in records for k in ("tip", "t") if r.get(k)]
    return out


def test_kpi_month_chart_draws_the_goal_target_and_dates_comparisons_by_their_own_months(
    tmp_path: Any,
) -> None:
    charts = site_charts(tmp_path)
    cpl = charts["kpi-cpl-month"]
    # The goal "Cut the cost per lead to 20" (all channels, a ratio): a rule at $20.00.
    assert ("Target: Cut the cost per lead to 20", "line") in [
        (i.name, i.shape) for i in cpl.legend
    ]
    assert "Target: $20.00" in drawn_texts(cpl)
    # CPL: 300 spend a day over 12 leads in Q1 2025 = $25.00; over 6 leads in Q4 2024 = $50.00.
    tips = [r["tip"] for d in cpl.spec["datasets"].values() for r in d if "s" in r]
    assert "Jan 2025 · Report period: $25.00" in tips
    # The previous period of Jan-Mar 2025 is Oct-Dec 2024: each point names its own month.
    assert [t for t in tips if "Previous period" in t] == [
        "Oct 2024 · Previous period: $50.00",
        "Nov 2024 · Previous period: $50.00",
        "Dec 2024 · Previous period: $50.00",
    ]
    assert next(t for t in tips if "last year" in t) == "Jan 2024 · Same period last year: $50.00"
    # "2000 leads by June" adds up over the window: no monthly value to compare, so no rule.
    assert not any(i.name.startswith("Target") for i in charts["kpi-leads-month"].legend)


ENGLISH = re.compile(
    r"\b(from|highest|Previous|period|Same|last year|Report|Target|Benchmark|axis|does not|"
    r"start|zero|total|no data|Actual|Expected|Forecast|Baseline|Plan|Change)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize(("locale", "currency"), [("ru", "RUB"), ("lv", "EUR")])
def test_charts_speak_the_site_language(tmp_path: Any, locale: str, currency: str) -> None:
    charts = site_charts(tmp_path, locale, currency)
    # Our words only: the fixture's channel and goal names are the client's and stay as given.
    client = re.compile(r"instagram|facebook|Cut the cost per lead to 20|2000 leads by June")
    found = {
        (c.id, text)
        for c in charts.values()
        if c.kind != "sparkline"
        for text in drawn_texts(c)
        if ENGLISH.search(client.sub("", text))
    }
    assert found == set()
    # One full stop at the end, even after a month that ends in one ("окт. 2025 г.").
    mine = [c for c in charts.values() if c.kind in ("line", "stacked")]
    assert mine and all(not c.alt.endswith("..") for c in mine)
    assert charts["kpi-cpl-month"].alt.endswith(")."), charts["kpi-cpl-month"].alt


def test_every_gettext_call_reaches_the_catalogue() -> None:
    # A trailing comma after a split message made babel skip the trend's alt text, so ru and
    # lv charts said "янв. 2025 г. to окт. 2025 г.: from ...": every literal must be extracted.
    import ast
    from pathlib import Path

    from babel.messages.extract import extract_from_file

    from sitegen.present.i18n.catalog import EXTRACT_KEYWORDS

    root = Path(__file__).parents[1] / "sitegen"
    missing = []
    for path in sorted(root.rglob("*.py")):
        called = {
            n.args[1].value
            for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(n, ast.Call)
            and getattr(n.func, "id", getattr(n.func, "attr", None)) == "gettext"
            and len(n.args) == 2
            and isinstance(n.args[1], ast.Constant)
            and isinstance(n.args[1].value, str)
        }
        found = {m[1] for m in extract_from_file("python", str(path), keywords=EXTRACT_KEYWORDS)}
        missing += [(path.name, msg) for msg in sorted(called - found)]
    assert missing == []
