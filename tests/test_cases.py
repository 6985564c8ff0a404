"""Exact numbers for case studies, references and benchmarks (sitegen.cases), and cases.toml."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest
from cldr import spaced

from sitegen.config.cases import parse_cases
from sitegen.errors import ConfigError, GoalError, MultipleErrors
from sitegen.model.cases import evaluate, lift, months_ending
from sitegen.model.cases.benchmarks import position_of
from sitegen.model.cases.references import verdict_of
from sitegen.model.cases.spans import aligned_grain, default_baseline, steps_of
from sitegen.model.catalogue import builtin
from sitegen.model.engine import Engine
from sitegen.model.periods import Period
from sitegen.model.specs import CasesSpec
from sitegen.present.i18n.format import Formatter
from sitegen.present.results import cases_json
from sitegen.present.text import case_summary, reference_summary

D = date.fromisoformat
KNOWN = builtin().known()
H1 = Period(D("2025-01-01"), D("2025-06-30"))


def frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    metrics = sorted({k for r in rows for k in r} - {"date", "channel", "competitor"})
    data: dict[str, Any] = {
        "date": [D(r["date"]) for r in rows],
        "channel": [r.get("channel", "ig") for r in rows],
        "competitor": pl.Series([r.get("competitor") for r in rows], dtype=pl.Utf8),
    }
    for m in metrics:
        data[m] = pl.Series([r.get(m) for r in rows], dtype=pl.Float64)
    return pl.DataFrame(data)


# Baseline Jan-Mar: leads 40 + 40 + 40 = 120, spend 400 + 400 + 800 = 1600, CPL 40/3.
# Campaign Apr-Jun: leads 60 + 60 + 60 = 180, spend 450 + 450 + 1320 = 2220, CPL 37/3.
ROWS = [
    {"date": "2025-01-15", "channel": "ig", "leads": 40.0, "spend": 400.0},
    {"date": "2025-02-15", "channel": "ig", "leads": 40.0, "spend": 400.0},
    {"date": "2025-03-15", "channel": "fb", "leads": 40.0, "spend": 800.0},
    {"date": "2025-04-15", "channel": "ig", "leads": 60.0, "spend": 450.0},
    {"date": "2025-05-15", "channel": "ig", "leads": 60.0, "spend": 450.0},
    {"date": "2025-06-15", "channel": "fb", "leads": 60.0, "spend": 1320.0},
]
CAMPAIGN = {"start": D("2025-04-01"), "end": D("2025-06-30")}


def engine(rows: list[dict[str, Any]] | None = None) -> Engine:
    return Engine(frame(ROWS if rows is None else rows), builtin())


def spec(doc: dict[str, Any]) -> CasesSpec:
    parsed, _ = parse_cases(doc, known_kpis=KNOWN)
    return parsed


def run(doc: dict[str, Any], rows: list[dict[str, Any]] | None = None, **kw: Any) -> Any:
    kw.setdefault("period", H1)
    kw.setdefault("as_of", D("2025-06-30"))
    return evaluate(spec(doc), engine(rows), **kw)


def summaries(case: Any, locale: str = "en", currency: str = "USD") -> list[str]:
    """Return the summary sentences of a case's KPIs (sitegen.present.text)."""
    fmt = Formatter(locale, currency)
    return [case_summary(k, case.baseline_has_data, locale, fmt) for k in case.kpis]


def ref_summary(ref: Any) -> str:
    return reference_summary(ref, "en", Formatter("en", "USD"))


def to_json(result: Any) -> dict[str, Any]:
    return cases_json(result, "en", Formatter("en", "USD"))


# -- lift ----------------------------------------------------------------------------------


def test_lift_is_the_relative_change_and_none_from_zero_or_nothing() -> None:
    assert lift(120.0, 180.0) == 0.5
    assert lift(-20.0, -10.0) == 0.5  # divided by |before|
    assert lift(0.0, 5.0) is None
    assert lift(None, 5.0) is None
    assert lift(5.0, None) is None


def test_case_before_after_lift_in_total_and_per_channel() -> None:
    doc = {
        "cases": [{"id": "reels", "title": "Reels", "period": CAMPAIGN, "kpis": ["leads", "cpl"]}]
    }
    result = run(doc)
    case = result.cases[0]
    assert case.baseline == Period(D("2025-01-01"), D("2025-03-31"))  # same length, before
    assert case.baseline_default and case.baseline_has_data
    leads, cpl = case.kpis
    assert (leads.total.before, leads.total.after, leads.total.lift) == (120.0, 180.0, 0.5)
    assert leads.total.tone == "good"
    # CPL: lower is better. The lift stays the relative change (-3/40); its tone is good.
    assert cpl.total.before == pytest.approx(40 / 3)
    assert cpl.total.after == pytest.approx(37 / 3)
    assert cpl.total.lift == pytest.approx(-0.075)
    assert cpl.total.tone == "good"
    # Per channel: ig 80 -> 120 leads, CPL 10 -> 7.5; fb 40 -> 60 leads, CPL 20 -> 22 (worse).
    assert leads.channels["ig"].lift == 0.5 and leads.channels["fb"].lift == 0.5
    assert (cpl.channels["ig"].before, cpl.channels["ig"].after) == (10.0, 7.5)
    assert cpl.channels["ig"].lift == -0.25 and cpl.channels["ig"].tone == "good"
    assert (cpl.channels["fb"].before, cpl.channels["fb"].after) == (20.0, 22.0)
    assert cpl.channels["fb"].lift == pytest.approx(0.1) and cpl.channels["fb"].tone == "bad"
    # Aligned month by month: Jan with Apr, Feb with May, Mar with Jun.
    assert case.grain == "month"
    assert [(s.number, s.before, s.after) for s in leads.steps] == [
        (1, 40.0, 60.0),
        (2, 40.0, 60.0),
        (3, 40.0, 60.0),
    ]
    assert leads.steps[2].baseline == Period(D("2025-03-01"), D("2025-03-31"))
    assert leads.steps[2].campaign == Period(D("2025-06-01"), D("2025-06-30"))
    assert summaries(case)[0] == (
        "Leads rose from 120 to 180 (+50.0%) compared with the baseline period."
    )
    assert summaries(case)[1] == (
        "Cost per lead fell from $13.33 to $12.33 (-7.5%) compared with the baseline period. "
        "Lower is better for this KPI, so this is an improvement."
    )


def test_case_json_has_the_output_md_shape() -> None:
    doc = {"cases": [{"id": "reels", "title": "Reels", "period": CAMPAIGN, "kpis": ["leads"]}]}
    out = to_json(run(doc))
    entry = out["cases"][0]
    assert entry["id"] == "reels"
    assert {k: entry["kpis"]["leads"][k] for k in ("before", "after", "lift")} == {
        "before": 120.0,
        "after": 180.0,
        "lift": 0.5,
    }


def test_case_channels_restrict_the_case() -> None:
    doc = {
        "cases": [
            {"id": "ig", "title": "IG", "period": CAMPAIGN, "kpis": ["leads"], "channels": ["ig"]}
        ]
    }
    leads = run(doc).cases[0].kpis[0]
    assert (leads.total.before, leads.total.after) == (80.0, 120.0)
    assert list(leads.channels) == ["ig"]


def test_case_summaries_follow_the_locale() -> None:
    doc = {"cases": [{"id": "r", "title": "R", "period": CAMPAIGN, "kpis": ["leads", "cpl"]}]}
    ru = summaries(run(doc).cases[0], "ru", "EUR")
    assert spaced(ru[0]) == "Заявки: рост с 120 до 180 (+50,0_%) по сравнению с базовым периодом."
    lv = summaries(run(doc).cases[0], "lv", "EUR")
    assert lv[1].endswith("tāpēc tas ir uzlabojums.")
    assert lv[1].startswith("Maksa par potenciālo klientu (CPL): samazinājums no 13,33")


def test_case_whose_baseline_has_no_data_is_shown_without_a_lift_and_warned() -> None:
    doc = {
        "cases": [
            {
                "id": "early",
                "title": "Early",
                "period": CAMPAIGN,
                "kpis": ["leads"],
                "baseline_period": {"start": D("2024-01-01"), "end": D("2024-03-31")},
            }
        ]
    }
    result = run(doc)
    case = result.cases[0]
    assert not case.baseline_has_data
    total = case.kpis[0].total
    assert (total.before, total.after, total.lift, total.tone) == (None, 180.0, None, "flat")
    assert summaries(case)[0] == (
        "Leads: 180 in the campaign period; no data for the baseline period."
    )
    [warning] = [w for w in result.warnings if w.key == "cases[0] (early).baseline_period"]
    assert warning.key == "cases[0] (early).baseline_period"
    assert "no data for the baseline period 2024-01-01..2024-03-31" in warning.message
    assert "the data spans 2025-01-15..2025-06-15" in warning.message
    assert to_json(result)["cases"][0]["baseline_has_data"] is False


def test_case_partly_covered_baseline_is_warned() -> None:
    rows = [r for r in ROWS if r["date"] != "2025-01-15"]
    doc = {"cases": [{"id": "r", "title": "R", "period": CAMPAIGN, "kpis": ["leads"]}]}
    result = run(doc, rows)
    assert result.cases[0].baseline_has_data
    messages = [w.message for w in result.warnings]
    assert any("covers only 2025-02-15..2025-03-31 of the baseline period" in m for m in messages)


def test_case_kpi_the_data_cannot_give_names_the_missing_and_found_columns() -> None:
    doc = {"cases": [{"id": "rev", "title": "Rev", "period": CAMPAIGN, "kpis": ["leads", "roas"]}]}
    with pytest.raises(GoalError) as info:
        run(doc)
    err = info.value
    assert err.file == "cases.toml" and err.key == "cases[0] (rev).kpis[1]"
    assert "needs roas, but the data has no revenue" in err.message
    assert err.expected == "data columns for roas: revenue, spend"
    assert err.found == "columns in data/: leads, spend"


def test_every_case_problem_is_reported_at_once() -> None:
    doc = {
        "cases": [
            {"id": "a", "title": "A", "period": CAMPAIGN, "kpis": ["roas"]},
            {"id": "b", "title": "B", "period": CAMPAIGN, "kpis": ["leads"], "channels": ["tt"]},
        ],
        "references": [{"name": "X", "kpi": "customers", "change": "+30%", "months": 6}],
    }
    with pytest.raises(MultipleErrors) as info:
        run(doc)
    keys = [e.key for e in info.value.errors]
    assert keys == ["cases[0] (a).kpis[0]", "cases[1] (b).channels", "references[0] (X).kpi"]


def test_default_baseline_and_aligned_steps() -> None:
    assert default_baseline(Period(D("2025-06-01"), D("2025-08-31"))) == Period(
        D("2025-03-01"), D("2025-05-31")
    )
    assert default_baseline(Period(D("2025-06-10"), D("2025-06-19"))) == Period(
        D("2025-05-31"), D("2025-06-09")
    )
    # Two weeks and more: 7-day steps from each period's first day, the last one partial.
    base, camp = Period(D("2025-05-01"), D("2025-05-17")), Period(D("2025-06-01"), D("2025-06-17"))
    assert aligned_grain(base, camp) == "week"
    assert steps_of(camp, "week") == [
        Period(D("2025-06-01"), D("2025-06-07")),
        Period(D("2025-06-08"), D("2025-06-14")),
        Period(D("2025-06-15"), D("2025-06-17")),
    ]
    one_month = Period(D("2025-06-01"), D("2025-06-30"))
    assert aligned_grain(Period(D("2025-05-01"), D("2025-05-31")), one_month) == "week"
    assert aligned_grain(Period(D("2025-05-01"), D("2025-05-31")), one_month, "month") == "month"
    assert (
        aligned_grain(
            Period(D("2025-06-01"), D("2025-06-05")), Period(D("2025-06-06"), D("2025-06-10"))
        )
        == "day"
    )


# -- references ----------------------------------------------------------------------------


def test_months_ending_at_as_of() -> None:
    assert months_ending(D("2025-12-31"), 6) == Period(D("2025-07-01"), D("2025-12-31"))
    assert months_ending(D("2025-06-30"), 3) == Period(D("2025-04-01"), D("2025-06-30"))
    assert months_ending(D("2025-12-15"), 6) == Period(D("2025-06-16"), D("2025-12-15"))
    assert months_ending(D("2025-03-30"), 1) == Period(D("2025-03-01"), D("2025-03-30"))


def test_reference_compares_the_client_over_the_same_months_ending_at_as_of() -> None:
    doc = {
        "references": [
            {
                "name": "Company X",
                "goal": "More leads",
                "kpi": "leads",
                "change": "+30%",
                "months": 3,
                "source": "Retail Social Report 2024",
            },
            # Lower is better: the client's -7.5 % CPL is behind a published -10 %.
            {"name": "Company Y", "kpi": "cpl", "change": "-10%", "months": 3},
        ]
    }
    result = run(doc)
    x, y = result.references
    assert x.window == Period(D("2025-04-01"), D("2025-06-30"))
    assert x.previous == Period(D("2025-01-01"), D("2025-03-31"))
    assert (x.client_before, x.client_after, x.client_change) == (120.0, 180.0, 0.5)
    assert x.spec.change == 0.30
    assert x.gap == pytest.approx(0.2) and x.verdict == "ahead" and x.tone == "good"
    assert ref_summary(x) == (
        "Published result for Company X: Leads +30.0% over 3 months; "
        "this client: +50.0% over 3 months up to Jun 30, 2025."
    )
    assert y.client_change == pytest.approx(-0.075)
    assert y.gap == pytest.approx(0.025) and y.verdict == "behind" and y.tone == "bad"
    # The verdict stays in the model and kpis.json; the sentence does not grade the client.
    assert ref_summary(y) == (
        "Published result for Company Y: Cost per lead -10.0% over 3 months; "
        "this client: -7.5% over 3 months up to Jun 30, 2025."
    )
    entry = to_json(result)["references"][0]
    assert {k: entry[k] for k in ("name", "kpi", "change", "client_change")} == {
        "name": "Company X",
        "kpi": "leads",
        "change": 0.30,
        "client_change": 0.5,
    }


def test_reference_without_data_for_the_earlier_months_says_so() -> None:
    doc = {"references": [{"name": "Z", "kpi": "leads", "change": "+40%", "months": 6}]}
    result = run(doc)  # the 6 months before Jan-Jun 2025 have no data
    ref = result.references[0]
    assert ref.client_change is None and ref.verdict == "no_data"
    assert ref_summary(ref) == (
        "No comparison with Z: the data cannot give the change in Leads over 6 months up to "
        "Jun 30, 2025."
    )
    assert [w.code for w in result.warnings] == ["reference-coverage", "reference-coverage"]


def test_verdict_follows_the_better_direction() -> None:
    assert verdict_of(0.12, 0.30, "higher")[0] == "behind"
    assert verdict_of(0.35, 0.30, "higher")[0] == "ahead"
    assert verdict_of(-0.2, -0.1, "lower")[0] == "ahead"
    assert verdict_of(0.3002, 0.30, "higher")[0] == "level"  # within 0.05 points
    assert verdict_of(None, 0.30, "higher") == ("no_data", None)


# -- benchmarks ----------------------------------------------------------------------------


def test_benchmark_position_tone_and_age() -> None:
    doc = {
        "benchmarks": [
            {"kpi": "cpl", "low": 8, "high": 12, "source": "Survey", "date": D("2023-06-29")},
            {"kpi": "cpl", "value": 15, "source": "Report", "date": D("2023-06-30")},
            {"kpi": "leads", "value": 100, "source": "Agency", "date": 2023, "channel": "ig"},
        ]
    }
    result = run(doc, as_of=D("2025-06-30"))
    old, single, leads = result.benchmarks
    # CPL over Jan-Jun: 3820 / 300.
    assert old.value == pytest.approx(3820 / 300)
    assert old.position == "above" and old.tone == "bad"  # above a lower-is-better range
    assert old.stale  # a day more than two years before as of
    assert single.position == "below" and single.tone == "good" and not single.stale
    assert leads.spec.date == D("2023-12-31") and not leads.stale
    assert leads.value == 200.0 and leads.position == "above" and leads.tone == "good"
    # Bands go on rate charts for all channels only.
    assert (old.drawable, single.drawable, leads.drawable) == (True, True, False)
    assert result.chart_benchmark("cpl") == single.spec  # the newest drawable one
    assert result.chart_benchmark("leads") is None
    stale = [w for w in result.warnings if w.code == "benchmark-stale"]
    assert [w.key for w in stale] == ["benchmarks[0] (cpl).date"]
    assert "as of 2025-06-30" in stale[0].message
    js = to_json(result)["benchmarks"]
    assert js[0] == {
        "kpi": "cpl",
        "value": None,
        "low": 8.0,
        "high": 12.0,
        "source": "Survey",
        "url": "",
        "date": "2023-06-29",
        "channel": None,
        "label": "",
        "stale": True,
        "client_value": pytest.approx(3820 / 300),
        "position": "above",
        "tone": "bad",
        "drawable": True,
    }
    assert js[1]["value"] == 15.0


def test_benchmark_for_a_kpi_without_data_is_listed_with_a_warning() -> None:
    doc = {"benchmarks": [{"kpi": "ctr", "value": 1.2, "source": "S", "date": 2025}]}
    result = run(doc)
    assert result.benchmarks[0].value is None and result.benchmarks[0].position is None
    assert [w.code for w in result.warnings] == ["benchmark-no-data"]


def test_position_of() -> None:
    assert position_of(None, 1, 2) is None
    assert [position_of(v, 1.0, 2.0) for v in (0.5, 1.0, 2.0, 2.5)] == [
        "below",
        "within",
        "within",
        "above",
    ]


# -- cases.toml ----------------------------------------------------------------------------


def test_parse_a_full_file() -> None:
    doc = {
        "cases": [
            {
                "id": "reels-summer",
                "title": "Summer Reels",
                "period": CAMPAIGN,
                "baseline_period": {"start": D("2025-01-01"), "end": D("2025-03-31")},
                "kpis": ["engagement_rate", "leads"],
                "channels": "ig",
            }
        ],
        "references": [
            {
                "name": "Company X",
                "goal": "Grow",
                "kpi": "customers",
                "change": "+30%",
                "months": 6,
                "source": "seed 000",
            }
        ],
        "benchmarks": [
            {"kpi": "ctr", "low": 0.9, "high": 1.5, "source": "S", "date": "2024-05-01"}
        ],
    }
    parsed, warnings = parse_cases(doc, known_kpis=KNOWN)
    assert warnings == []
    case = parsed.cases[0]
    assert case.kpis == ("engagement_rate", "leads") and case.channels == ("ig",)
    assert case.baseline_period == Period(D("2025-01-01"), D("2025-03-31"))
    ref = parsed.references[0]
    assert (ref.change, ref.months, ref.source) == (0.30, 6, "seed 000")
    bench = parsed.benchmarks[0]
    assert (bench.low, bench.high, bench.date, bench.is_range) == (0.9, 1.5, D("2024-05-01"), True)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("+30%", 0.30), ("-10 %", -0.10), ("55%", 0.55), ("12,5%", 0.125), (0.3, 0.3)],
)
def test_reference_change_parses_percent_strings(raw: object, expected: float) -> None:
    doc = {"references": [{"name": "X", "kpi": "leads", "change": raw, "months": 6}]}
    assert spec(doc).references[0].change == pytest.approx(expected)


def test_every_config_problem_is_collected_with_its_key_path() -> None:
    doc = {
        "cases": [
            {
                "id": "reels-summer",
                "title": "Reels",
                "kpis": ["leads"],
                "period": {"start": D("2025-06-01"), "end": D("2025-05-01")},
            },
            {"id": "x", "title": "X", "period": CAMPAIGN, "kpis": ["leads"]},
            {"id": "x", "title": "Y", "period": CAMPAIGN, "kpis": ["leads"]},
            {"title": "Spring", "period": CAMPAIGN, "kpis": ["lead"]},
        ],
        "references": [{"name": "Company X", "kpi": "customers", "change": "thirty", "months": 0}],
        "benchmarks": [
            {"kpi": "ctr", "low": 2, "high": 1, "source": "S", "date": 2024},
            {"kpi": "ctr", "value": 1, "low": 1, "source": "S", "date": 2024},
        ],
    }
    with pytest.raises(MultipleErrors) as info:
        parse_cases(doc, known_kpis=KNOWN)
    errors = info.value.errors
    assert all(isinstance(e, ConfigError) and e.file == "cases.toml" for e in errors)
    by_key = {e.key: e for e in errors}
    assert list(by_key) == [
        "cases[0] (reels-summer).period.end",
        "cases[2] (x).id",
        "cases[3] (spring).kpis[0]",
        "references[0] (Company X).change",
        "references[0] (Company X).months",
        "benchmarks[0] (ctr).high",
        "benchmarks[1] (ctr)",
    ]
    end = by_key["cases[0] (reels-summer).period.end"]
    assert end.expected == "a date on or after 2025-06-01"
    assert end.found == "2025-05-01 (a date)"
    assert by_key["cases[3] (spring).kpis[0]"].hint == "did you mean 'leads'?"
    assert by_key["references[0] (Company X).change"].found == "'thirty'"
    assert "duplicate case id 'x'" in by_key["cases[2] (x).id"].message
    assert by_key["cases[2] (x).id"].found == "cases[1] has the same id"


def test_a_single_problem_is_raised_alone_and_required_keys_are_named() -> None:
    with pytest.raises(ConfigError) as info:
        parse_cases({"cases": [{"title": "Summer push", "period": CAMPAIGN}]}, known_kpis=KNOWN)
    assert info.value.key == "cases[0] (summer-push).kpis"
    assert info.value.message == "'kpis' is required"


def test_unknown_keys_warn_with_did_you_mean() -> None:
    doc = {
        "case": [],
        "cases": [
            {"id": "r", "title": "R", "period": CAMPAIGN, "kpi": ["leads"], "kpis": ["leads"]}
        ],
        "benchmarks": [{"kpi": "ctr", "value": 1, "source": "S", "date": 2024, "sorce": "x"}],
    }
    _, warnings = parse_cases(doc, known_kpis=KNOWN)
    assert [(w.key, w.hint) for w in warnings] == [
        ("case", "did you mean 'cases'?"),
        ("cases[0] (r).kpi", "did you mean 'kpis'?"),
        ("benchmarks[0] (ctr).sorce", "did you mean 'source'?"),
    ]


def test_baseline_of_another_length_warns_that_totals_do_not_compare() -> None:
    doc = {
        "cases": [
            {
                "id": "r",
                "title": "R",
                "period": CAMPAIGN,
                "kpis": ["leads"],
                "baseline_period": {"start": D("2025-03-01"), "end": D("2025-03-31")},
            }
        ]
    }
    _, warnings = parse_cases(doc, known_kpis=KNOWN)
    assert [w.code for w in warnings] == ["case-baseline"]
    assert "is 1 month(s) long, the campaign 3" in warnings[0].message
