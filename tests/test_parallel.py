"""Parallel builds: the same bytes with -j 2 as with -j 1, errors carried back, stable shards."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from test_cache import Recorder, assert_fresh, assert_same_site, make_project, reference_build
from vl_render import render_svg

from sitegen.errors import ConfigError, UsageError
from sitegen.pipeline import draw
from sitegen.pipeline.cache import Cache
from sitegen.pipeline.plan import Task
from sitegen.pipeline.projects import build_projects
from sitegen.pipeline.shard import parse_shard, select_shard, shard_of
from sitegen.present.charts.kinds.trend import trend_chart
from sitegen.present.charts.model import Chart, Series
from sitegen.present.charts.style import localize

SPECS = [
    {
        "data": {"values": [{"x": "2025-01-01", "y": 1.5}, {"x": "2025-02-01", "y": 2.25}]},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "x", "type": "temporal"},
            "y": {"field": "y", "type": "quantitative"},
        },
    },
    {
        "data": {"values": [{"n": "fb", "v": 3}, {"n": "ig", "v": 5}]},
        "mark": "bar",
        "encoding": {
            "y": {"field": "n", "type": "nominal"},
            "x": {"field": "v", "type": "quantitative"},
        },
    },
]
D3_DE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " €"]}


def test_worker_render_is_the_same_call_as_render_svg() -> None:
    # Workers render without importing altair; their SVG must match one vl-convert call byte for byte.
    texts = [draw.spec_json(s) for s in SPECS]
    assert draw._render_chunk(texts, D3_DE, None) == [render_svg(s, D3_DE, None) for s in SPECS]


def test_render_all_in_workers_matches_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def charts() -> dict[str, Chart]:
        return {
            f"c{i}": Chart(f"c{i}", "t", SPECS[i % 2] | {"width": 100 + i}, [], [], "")
            for i in range(6)
        }

    serial, pooled = charts(), charts()
    draw.render_all(serial, D3_DE, None, jobs=1)
    monkeypatch.setattr(draw, "MIN_PARALLEL_CHARTS", 2)
    stats = draw.render_all(pooled, D3_DE, None, jobs=2)
    assert stats.workers == 2 and stats.rendered == 6
    assert {k: c.svg for k, c in pooled.items()} == {k: c.svg for k, c in serial.items()}


def test_identical_specs_are_rendered_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    monkeypatch.setattr(draw, "convert", lambda text, *a: calls.append(text) or "<svg/>")
    charts = {k: Chart(k, "", dict(SPECS[0]), [], [], "") for k in "abc"}
    stats = draw.render_all(charts, None, None)
    assert (stats.total, stats.distinct, len(calls)) == (3, 1, 1)
    assert {c.svg for c in charts.values()} == {"<svg/>"}


def test_projects_in_workers_give_the_same_sites_in_order(tmp_path: Path) -> None:
    folio = tmp_path / "folio"
    projects = [make_project(folio / n, n.upper(), seed=i, small=True) for i, n in enumerate("abc")]
    results = list(build_projects([Task(p, out_root=tmp_path / "out") for p in projects], jobs=2))
    assert [r.slug for r in results] == ["a", "b", "c"]
    reference_build(projects[1], tmp_path / "ref-b")
    assert_same_site(tmp_path / "ref-b", tmp_path / "out" / "b")


def test_one_project_drawn_by_workers_is_the_same_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sitegen.pipeline.run import build_project

    project = make_project(tmp_path / "p")
    reference_build(project, tmp_path / "ref")
    rec = Recorder(monkeypatch)  # counts the charts drawn in this process
    result = build_project(project, tmp_path / "j2", jobs=2, first_build=True)
    assert result.charts > 10
    # Every chart was drawn by a worker (the main process only makes pages and waits) ...
    assert rec.specs == []
    # ... and the site is byte for byte the one drawn chart by chart in one process.
    assert_same_site(tmp_path / "ref", tmp_path / "j2")


def test_a_worker_error_arrives_whole_and_in_task_order(tmp_path: Path) -> None:
    good = make_project(tmp_path / "good", small=True)
    bad = make_project(tmp_path / "bad", small=True)
    (bad / "sitegen.toml").write_text('[project]\nname = "Bad"\nlocale = "xx"\n', encoding="utf-8")
    tasks = [Task(good, out_root=tmp_path / "out"), Task(bad, out_root=tmp_path / "out")]
    seen = []
    with pytest.raises(ConfigError) as info:
        for result in build_projects(tasks, jobs=2):
            seen.append(result.slug)
    assert seen == ["good"]
    assert info.value.file == "sitegen.toml"
    assert "xx" in str(info.value)


def test_shards_partition_the_portfolio_stably() -> None:
    clients = [Path(f"/agency/client-{i:03d}") for i in range(200)]
    shards = [select_shard(clients, k, 4) for k in range(1, 5)]
    assert sorted(p for s in shards for p in s) == clients  # each client in exactly one shard
    assert all(30 <= len(s) <= 70 for s in shards)  # and roughly balanced
    # A new client moves nobody else: their caches stay valid.
    more = [*clients, Path("/agency/newcomer")]
    assert [select_shard(more, k, 4) for k in range(1, 5)] != shards
    for k in range(1, 5):
        assert [p for p in select_shard(more, k, 4) if p in clients] == shards[k - 1]
    # The shard depends on the folder's name, not on where the portfolio is checked out.
    assert shard_of(Path("/a/client-007"), 4) == shard_of(Path("/ci/b/client-007"), 4)


@pytest.mark.parametrize("text", ["", "1", "0/3", "4/3", "a/b", "1/2/3", "-1/2"])
def test_bad_shards_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError):
        parse_shard(text)


def test_jobs_zero_means_one_per_cpu_and_negative_is_refused() -> None:
    assert draw.resolve_jobs(0) == draw.cpu_count() >= 1
    assert draw.resolve_jobs(3) == 3
    with pytest.raises(UsageError):
        draw.resolve_jobs(-1)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sitegen.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "HOME": str(cwd), "COLUMNS": "200"},
        check=False,
    )


def test_cli_cache_fast_path_no_cache_and_shards(tmp_path: Path) -> None:
    project = make_project(tmp_path / "client", small=True)
    first = run_cli("build", "client", "-j", "2", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "unchanged" not in first.stdout
    assert (tmp_path / ".sitegen-cache" / "site").is_dir()  # next to output/, in the cwd
    assert_fresh(Cache(tmp_path / ".sitegen-cache"), Task(project, out_root=tmp_path / "output"))
    again = run_cli("build", "client", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "unchanged" in again.stdout and str(tmp_path / "output" / "client") in again.stdout
    # -o: the cache sits next to the site; --no-cache neither reads nor writes one.
    nocache = run_cli("build", "client", "-o", "elsewhere/site", "--no-cache", cwd=tmp_path)
    assert nocache.returncode == 0, nocache.stderr
    assert not (tmp_path / "elsewhere" / ".sitegen-cache").exists()
    assert_same_site(tmp_path / "output" / "client", tmp_path / "elsewhere" / "site")
    # Two shards of a two-client portfolio build every client once and no index.
    make_project(tmp_path / "folio" / "x", "X", seed=5, small=True)
    (tmp_path / "folio" / "y").mkdir()
    project.rename(tmp_path / "folio" / "y" / "client")  # not a project: ignored
    built = []
    for k in (1, 2):
        r = run_cli("build", "folio", "--shard", f"{k}/2", "-o", "sites", cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        built += [line for line in r.stdout.splitlines() if line.startswith("Built")]
    assert len(built) == 1 and "sites" in built[0]
    assert not (tmp_path / "sites" / "index.html").exists()
    bad = run_cli("build", "folio", "--shard", "3/2", cwd=tmp_path)
    assert bad.returncode == 2 and "--shard" in bad.stderr


# -- one compile per chart shape -----------------------------------------------------------------


def _trend(values: list[float], name: str = "Report period") -> dict[str, object]:
    from test_charts import EN, months

    chart = trend_chart("t", "CTR", [Series(name, months(values))], "count", EN, locale="en")
    return localize(chart, "en", "USD").spec


def test_charts_of_one_shape_are_compiled_once_and_drawn_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sitegen.theme.env import scope_ids

    monkeypatch.setattr(draw, "_SHAPES", {})
    a, b = _trend([1.0, 2.0, 3.0]), _trend([4.0, 2.0, 7.0])
    other = _trend([1.0, 2.0, 3.0], name="Another series")
    svgs = [draw.convert(draw.spec_json(s), D3_DE, None) for s in (a, b, other)]
    assert len(draw._SHAPES) == 2  # a and b share their compiled Vega
    for spec, svg in zip((a, b, other), svgs, strict=True):
        # The SVG is what vl-convert draws from the whole spec (clip ids aside: Vega numbers
        # them across charts, and the pages rename them per chart).
        assert scope_ids(svg, "x") == scope_ids(render_svg(spec, D3_DE, None), "x")
    assert svgs[0] != svgs[1]


def test_a_shape_that_cannot_be_shared_is_compiled_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(draw, "_SHAPES", {})
    spec = {**SPECS[1], "datasets": {"unused": [{"n": "x", "v": 1}]}}
    svg = draw.convert(draw.spec_json(spec), None, None)
    # Vega-Lite drops a data set no view uses: filling values in by name would be wrong.
    assert list(draw._SHAPES.values()) == [None]
    assert svg == render_svg(spec, None, None)


def test_a_drawing_error_reaches_finish(monkeypatch: pytest.MonkeyPatch) -> None:
    def convert(text: str, *_: object) -> str:
        if '"width":101' in text:
            raise ValueError("vl-convert failed")
        return "<svg/>"

    monkeypatch.setattr(draw, "convert", convert)
    charts = {
        f"c{i}": Chart(f"c{i}", "t", SPECS[0] | {"width": 100 + i}, [], [], "") for i in range(4)
    }
    with pytest.raises(ValueError, match="vl-convert failed"):
        draw.render_all(charts, None, None)


def test_one_worker_per_so_many_charts_to_draw(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(draw, "MIN_PARALLEL_CHARTS", 8)  # a worker per 4 charts
    seen = []
    with draw.ChartRenderer(None, None, jobs=3) as renderer:
        for i in range(13):
            renderer.submit(Chart(f"c{i}", "", SPECS[0] | {"width": i}, [], [], ""))
            seen.append(len(renderer._threads))
    assert seen == [0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3]  # then capped at jobs
    # A first build starts one at once, before any chart; the next comes at 8 charts.
    seen = []
    with draw.ChartRenderer(None, None, jobs=3, first_build=True) as renderer:
        seen.append(len(renderer._threads))
        for i in range(8):
            renderer.submit(Chart(f"c{i}", "", SPECS[0] | {"width": i}, [], [], ""))
            seen.append(len(renderer._threads))
    assert seen == [1, 1, 1, 1, 1, 1, 1, 1, 2]


def test_workers_draw_while_the_pages_are_made_and_stop_with_a_failed_build(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(draw, "MIN_PARALLEL_CHARTS", 8)
    charts = [Chart(f"c{i}", "", SPECS[i % 2] | {"width": 50 + i}, [], [], "") for i in range(120)]
    with pytest.raises(RuntimeError), draw.ChartRenderer(None, None, jobs=3) as renderer:
        for chart in charts[:3]:
            renderer.submit(chart)
        assert renderer._threads == []  # 3 charts to draw: not worth a worker
        for chart in charts[3:]:
            renderer.submit(chart)
        assert len(renderer._threads) == 3  # jobs workers, started before finish()
        raise RuntimeError("a page failed")  # e.g. a DataError while making the pages
    # The queue was dropped, not drawn to the end, and nothing is left running.
    assert len(renderer._svgs) < len(charts)
    assert not any(t.is_alive() for t in renderer._threads) and renderer._pool is None
