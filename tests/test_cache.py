"""The build cache: verified entries, byte-identical sites, and invalidation of exactly what changed."""

from __future__ import annotations

import os
import random
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from vl_render import render_svg

from sitegen.config.project import load_project
from sitegen.pipeline import cache as cache_mod
from sitegen.pipeline import draw as draw_mod
from sitegen.pipeline import run as run_mod
from sitegen.pipeline.cache import Cache, digest, tree_digest
from sitegen.pipeline.draw import spec_json
from sitegen.pipeline.manifest import check, project_stamp
from sitegen.pipeline.plan import Task
from sitegen.pipeline.projects import build_projects
from sitegen.pipeline.run import build_project, compute, read
from sitegen.present.charts.model import Chart
from sitegen.present.site.build import build_site


def make_project(root: Path, name: str = "Tiny", seed: int = 3, *, small: bool = False) -> Path:
    """Write a two-channel project that builds in about a second (small: one channel, one metric)."""
    rng = random.Random(seed)
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "sitegen.toml").write_text(
        f'[project]\nname = "{name}"\nlocale = "en"\ncurrency = "USD"\n', encoding="utf-8"
    )
    for channel in ("instagram",) if small else ("facebook", "instagram"):
        lines = ["date,impressions\n" if small else "date,impressions,clicks,likes,comments\n"]
        for i in range(120):
            day = date(2025, 1, 1) + timedelta(days=i)
            cells = [rng.randint(900, 1100), rng.randint(10, 30), rng.randint(20, 40)]
            cells.append(rng.randint(1, 5))
            lines.append(",".join([str(day), *map(str, cells[:1] if small else cells)]) + "\n")
        (root / "data" / f"{channel}.csv").write_text("".join(lines), encoding="utf-8")
    (root / "pages").mkdir(exist_ok=True)
    (root / "pages" / "about.md").write_text("# About\n\nHello.\n", encoding="utf-8")
    return root


def site_files(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
    }


def assert_same_site(a: Path, b: Path) -> None:
    fa, fb = site_files(a), site_files(b)
    assert fa.keys() == fb.keys()
    assert [k for k in fa if fa[k] != fb[k]] == []


def bump_comments(project: Path, channel: str = "instagram") -> None:
    """Change one day's comments count, as a data commit would."""
    path = project / "data" / f"{channel}.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[40].rstrip("\n").split(",")
    cells[4] = str(int(cells[4]) + 7)
    lines[40] = ",".join(cells) + "\n"
    path.write_text("".join(lines), encoding="utf-8")


class Recorder:
    """Wrap the build's chart drawing (draw.convert) to record which specs were drawn."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.specs: list[str] = []
        real = draw_mod.convert

        def render(text: str, *args: object) -> str:
            self.specs.append(text)
            return real(text, *args)

        monkeypatch.setattr(draw_mod, "convert", render)


def assert_fresh(c: Cache, task: Task) -> None:
    """Assert the task's project counts as unchanged, saying why when it does not."""
    stamp = project_stamp(c, task.project, task.target, single=task.single, strict=task.strict)
    result, why = check(c, stamp)
    assert result is not None, why


def reference_build(project: Path, out: Path) -> None:
    """Build with every chart rendered on its own: no cache, no dedupe, no workers."""

    class Naive:
        """sitegen.draw.ChartRenderer's interface, drawing each chart when asked."""

        def __init__(self, fmt: object, tfmt: object, **_: object) -> None:
            self.fmt, self.tfmt = fmt, tfmt

        def submit(self, chart: Chart) -> None:
            pass

        def finish(self, charts: dict[str, Chart]) -> None:
            for chart in charts.values():
                if chart.spec:  # sparklines come drawn
                    chart.svg = render_svg(chart.spec, self.fmt, self.tfmt)

        def __enter__(self) -> Naive:
            return self

        def __exit__(self, *exc: object) -> None:
            pass

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(run_mod, "ChartRenderer", Naive)
        build_project(project, out)


def all_specs(project: Path) -> set[str]:
    loaded = load_project(project)
    site = build_site(compute(loaded, read(loaded)), loaded.config)
    return {spec_json(c.spec) for c in site.charts.values()}


# -- the store ------------------------------------------------------------------------------


def test_entries_round_trip_and_corruption_is_never_trusted(tmp_path: Path) -> None:
    c = Cache(tmp_path / "c")
    key = digest("k")
    assert c.get("svg", key) is None
    c.put("svg", key, b"<svg>1</svg>")
    assert c.get("svg", key) == b"<svg>1</svg>"
    path = tmp_path / "c" / "svg" / key[:2] / key
    # A flipped byte, a truncation and a foreign file are all rejected and deleted.
    for damage in (
        lambda raw: raw[:-2] + b"X" + raw[-1:],
        lambda raw: raw[:-3],
        lambda raw: b"garbage",
        lambda raw: b"",
    ):
        c.put("svg", key, b"<svg>1</svg>")
        path.write_bytes(damage(path.read_bytes()))
        assert c.get("svg", key) is None
        assert not path.exists()
    assert c.stats.corrupt == 4
    assert [p.name for p in path.parent.iterdir()] == []  # no temporary files left behind


def test_bad_addresses_and_unwritable_cache_do_not_fail(tmp_path: Path) -> None:
    c = Cache(tmp_path / "c")
    with pytest.raises(ValueError):
        c.get("svg", "../../etc/passwd")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    c = Cache(blocker)  # the cache folder is a file: nothing can be written
    c.put("svg", digest("k"), b"data")
    assert c.stats.write_errors == 1
    assert c.get("svg", digest("k")) is None


def test_digest_parts_cannot_run_together() -> None:
    assert digest("ab", "c") != digest("a", "bc")
    assert digest("a") == digest(b"a")


def test_entries_unused_for_a_month_are_evicted_once_a_day(tmp_path: Path) -> None:
    import os
    import time

    c = Cache(tmp_path / "c")
    keys = [digest(str(i)) for i in range(3)]
    long_ago = time.time() - 40 * 86400
    for key in keys:
        c.put("svg", key, b"x" * 100)
        path = tmp_path / "c" / "svg" / key[:2] / key
        os.utime(path, (long_ago, long_ago))
    assert c.get("svg", keys[0]) is not None  # a hit marks the entry as used
    assert c.evict() == 2
    assert [c.get("svg", k) is not None for k in keys] == [True, False, False]
    c.put("svg", keys[1], b"y")
    os.utime(tmp_path / "c" / "svg" / keys[1][:2] / keys[1], (long_ago, long_ago))
    assert c.evict() == 0  # already walked today
    assert c.evict(force=True) == 1


def test_tree_digest_sees_every_input_and_ignores_vcs_and_skipped(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    base = tree_digest(root)
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref")
    (root / "output").mkdir()
    (root / "output" / "index.html").write_text("site")
    (root / ".output.sitegen-tmp-x1y2").mkdir()  # the writer's folder mid-swap
    (root / ".output.sitegen-tmp-x1y2" / "index.html").write_text("half a site")
    assert tree_digest(root, skip=[root / "output"]) == base
    # A hidden page is still a page (pages/*.md matches it), so it counts.
    (root / "pages" / ".draft.md").write_text("# Draft\n", encoding="utf-8")
    with_draft = tree_digest(root, skip=[root / "output"])
    assert with_draft != base
    (root / "pages" / "about.md").write_text("# About\n\nHello!\n", encoding="utf-8")
    assert tree_digest(root, skip=[root / "output"]) not in (base, with_draft)


def test_stamp_changes_with_any_input_but_not_with_the_output(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    c = Cache(tmp_path / "c")
    target = root / "site"  # an output folder inside the project is not an input

    def inputs() -> str:
        return project_stamp(c, root, target, single=True, strict=False).inputs

    first = inputs()
    target.mkdir()
    (target / "index.html").write_text("x")
    assert inputs() == first
    (root / "assets").mkdir()
    (root / "assets" / "logo.svg").write_text("<svg/>")
    assert inputs() != first
    other = project_stamp(c, root, target, single=True, strict=True)
    assert other.key != project_stamp(c, root, target, single=True, strict=False).key


def test_chart_keys_depend_on_spec_and_locale() -> None:
    k = cache_mod.chart_key('{"a":1}', None, None)
    assert k == cache_mod.chart_key('{"a":1}', None, None)
    assert k != cache_mod.chart_key('{"a":2}', None, None)
    assert k != cache_mod.chart_key('{"a":1}', {"decimal": ","}, None)


# -- whole builds ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cold(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A project and its site built with no cache at all: the reference."""
    root = tmp_path_factory.mktemp("cold")
    project = make_project(root / "p")
    reference_build(project, root / "site")
    return project, root / "site"


def test_cached_builds_are_byte_identical_to_a_cold_build(
    tmp_path: Path, cold: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    project, reference = cold
    c = Cache(tmp_path / "cache")
    build_project(project, tmp_path / "a", cache=c)  # fills the cache
    assert_same_site(reference, tmp_path / "a")
    rec = Recorder(monkeypatch)
    build_project(project, tmp_path / "b", cache=Cache(tmp_path / "cache"))
    assert rec.specs == []  # every chart came from the cache ...
    assert_same_site(reference, tmp_path / "b")  # ... and the site is the same, byte for byte


def test_corrupt_chart_entries_are_rebuilt_not_trusted(
    tmp_path: Path, cold: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    project, reference = cold
    build_project(project, tmp_path / "a", cache=Cache(tmp_path / "cache"))
    entries = sorted((tmp_path / "cache" / "svg").rglob("*"))
    entries = [p for p in entries if p.is_file()]
    for p in entries[::2]:
        raw = bytearray(p.read_bytes())
        raw[-10] ^= 0x20  # one flipped bit inside the SVG text
        p.write_bytes(bytes(raw))
    rec = Recorder(monkeypatch)
    c = Cache(tmp_path / "cache")
    build_project(project, tmp_path / "b", cache=c)
    assert len(rec.specs) == len(entries[::2]) == c.stats.corrupt
    assert_same_site(reference, tmp_path / "b")


def test_changed_csv_rerenders_exactly_the_charts_whose_data_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "p")
    c = Cache(tmp_path / "cache")
    build_project(project, tmp_path / "site", cache=c)
    before = all_specs(project)
    bump_comments(project)
    after = all_specs(project)
    rec = Recorder(monkeypatch)
    build_project(project, tmp_path / "site", cache=Cache(tmp_path / "cache"))
    changed = after - before
    # Comments feed the engagement KPIs only: impressions, clicks and CTR charts stay cached.
    assert 0 < len(changed) < len(after)
    assert set(rec.specs) == changed
    assert len(rec.specs) == len(changed)
    reference_build(project, tmp_path / "cold-site")
    assert_same_site(tmp_path / "cold-site", tmp_path / "site")


def test_unchanged_project_is_skipped_while_its_site_is_intact(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    out = tmp_path / "site"
    c = Cache(tmp_path / "cache")
    task = Task(project, out_dir=out)
    [first] = build_projects([task], cache=c)
    assert "unchanged" not in first.timings
    reference = site_files(out)
    assert_fresh(c, task)
    [again] = build_projects([task], cache=c)
    assert list(again.timings) == ["unchanged"]
    assert (again.name, again.pages, again.charts, again.files) == (
        first.name,
        first.pages,
        first.charts,
        first.files,
    )
    assert again.summary == first.summary
    # Any damage to the site, or to the manifest, makes the next build rebuild it.
    for damage in (
        lambda: (out / "index.html").write_bytes(b"edited"),
        lambda: (out / "data" / "kpis.csv").unlink(),
        lambda: (out / "extra.html").write_text("stray"),
        lambda: [
            p.write_bytes(p.read_bytes()[:-1] + b"!")
            for p in (tmp_path / "cache" / "site").rglob("*")
            if p.is_file()
        ],
    ):
        damage()
        [result] = build_projects([task], cache=c)
        assert "unchanged" not in result.timings
        if (out / "extra.html").exists():
            pytest.fail("a stray file survived the rebuild")
        assert site_files(out) == reference


def test_warnings_are_replayed_and_strict_still_fails(tmp_path: Path) -> None:
    from sitegen.pipeline.run import StrictError

    project = make_project(tmp_path / "p")
    toml = project / "sitegen.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + 'unknown_key = "x"\n', encoding="utf-8")
    c = Cache(tmp_path / "cache")
    task = Task(project, out_dir=tmp_path / "site")
    [first] = build_projects([task], cache=c)
    [again] = build_projects([task], cache=c)
    assert list(again.timings) == ["unchanged"]
    assert [str(w) for w in again.warnings] == [str(w) for w in first.warnings] != []
    with pytest.raises(StrictError):
        list(build_projects([Task(project, out_dir=tmp_path / "site", strict=True)], cache=c))


def test_one_changed_client_rebuilds_that_client_only(tmp_path: Path) -> None:
    a = make_project(tmp_path / "folio" / "a", "A", seed=1)
    b = make_project(tmp_path / "folio" / "b", "B", seed=2)
    c = Cache(tmp_path / "cache")
    tasks = [Task(p, out_root=tmp_path / "out") for p in (a, b)]
    list(build_projects(tasks, cache=c))
    bump_comments(a)
    assert_fresh(c, tasks[1])
    ra, rb = build_projects(tasks, cache=c)
    assert "unchanged" not in ra.timings
    assert list(rb.timings) == ["unchanged"]
    reference_build(a, tmp_path / "cold-a")
    assert_same_site(tmp_path / "cold-a", tmp_path / "out" / "a")


def test_compiled_templates_are_keyed_by_source_and_settings_and_never_on_disk(
    tmp_path: Path,
) -> None:
    import jinja2

    cache_mod._templates.clear()

    def render(src: str, **settings: bool) -> str:
        env = jinja2.Environment(loader=jinja2.DictLoader({"t.html": src}), **settings)
        env.bytecode_cache = cache_mod.template_cache()
        return env.get_template("t.html").render(x=1)

    src = "<p>\n  {% if x %}\n  a\n  {% endif %}\n</p>\n"
    plain = render(src)
    trimmed = render(src, trim_blocks=True, lstrip_blocks=True)
    assert trimmed != plain  # the same template, other settings: not the first's bytecode
    assert render(src.replace("a", "b")) == plain.replace("a", "b")  # a new source recompiles
    assert len(cache_mod._templates) == 2  # per name and settings; the source is checked
    assert render(src) == plain  # from memory


def test_a_planted_template_entry_is_never_loaded(tmp_path: Path) -> None:
    # A CI cache with a crafted "template" entry (valid checksum) must not run: no such
    # entries are read any more, and a build writes none.
    project = make_project(tmp_path / "p")
    c = Cache(tmp_path / "c")
    cache_mod._templates.clear()
    for name in ("base.html", "kpi.html", "index.html"):
        for key in {digest("template", "1", name), "0" * 64}:
            c.put("template", key, b"\x00" * 64)
    build_project(project, tmp_path / "site", cache=c)
    entries = {p.parent.parent.name for p in (tmp_path / "c").rglob("*") if p.is_file()}
    assert "template" in entries  # the planted ones are still there, never opened
    planted = {p for p in (tmp_path / "c" / "template").rglob("*") if p.is_file()}
    assert len(planted) == 4


# -- what the project hash reads ---------------------------------------------------------------


def test_max_hashed_bytes_is_the_readers_limit() -> None:
    from sitegen.readers.sniff import MAX_FILE_BYTES

    assert cache_mod.MAX_HASHED_BYTES == MAX_FILE_BYTES


def test_project_hash_never_follows_links_out(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    c = Cache(tmp_path / "c")

    def inputs() -> dict[str, str]:
        return project_stamp(c, root, tmp_path / "site", single=True, strict=False).inputs

    first = inputs()["project"]
    # At the top, in data/ and in assets/: /usr would take minutes, /proc/self would fail.
    for where in ("x", "data/usr", "assets/self"):
        (root / where).parent.mkdir(parents=True, exist_ok=True)
    (root / "x").symlink_to("/usr")
    (root / "data" / "usr").symlink_to("/usr")
    (root / "assets" / "self").symlink_to("/proc/self")
    (root / "data" / "passwd.csv").symlink_to("/etc/passwd")
    opened: list[str] = []
    real_open = os.open

    def spy(path: object, *args: object, **kwargs: object) -> int:
        opened.append(str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    t0 = time.perf_counter()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cache_mod.os, "open", spy)
        second = inputs()["project"]
    assert time.perf_counter() - t0 < 5
    assert second != first  # the links count, by their text
    ours = (str(root), str(cache_mod.PACKAGE_DIR), str(cache_mod.themes_dir()))
    assert all(p.startswith(ours) for p in opened), opened
    # A link inside the project is followed (the build reads it).
    (root / "data" / "again.csv").symlink_to(root / "data" / "ads.csv")
    assert inputs()["project"] != second


def test_project_hash_reads_only_what_a_build_reads(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    c = Cache(tmp_path / "c")

    def inputs() -> str:
        return project_stamp(c, root, tmp_path / "site", single=True, strict=False).inputs[
            "project"
        ]

    first = inputs()
    (root / "notes.txt").write_text("meeting notes")
    (root / "exports-to-file").mkdir()
    (root / "exports-to-file" / "huge.csv").write_text("x\n" * 1000)
    assert inputs() == first
    os.mkfifo(root / "data" / "pipe.csv")  # counts by its kind, never opened: it would block
    assert inputs() != first
    os.unlink(root / "data" / "pipe.csv")
    assert inputs() == first
    for rel in ("goals.toml", "templates/base.html", "pages/about.md"):
        (root / rel).parent.mkdir(exist_ok=True)
        (root / rel).write_text("# changed\n")
        now = inputs()
        assert now != first, rel
        first = now


def test_a_local_theme_counts(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    (root / "brand" / "templates").mkdir(parents=True)
    (root / "brand" / "templates" / "base.html").write_text("one")
    with (root / "sitegen.toml").open("a") as fh:
        fh.write('theme = "brand"\n')  # make_project's [project] table is the last one
    c = Cache(tmp_path / "c")

    def inputs() -> str:
        return project_stamp(c, root, tmp_path / "site", single=True, strict=False).inputs[
            "project"
        ]

    first = inputs()
    (root / "brand" / "templates" / "base.html").write_text("two")
    assert inputs() != first


def test_files_over_the_readers_limit_are_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path / "p")
    big = root / "data" / "big.csv"
    with big.open("wb") as fh:
        fh.truncate(3 * 1024**3)  # sparse: no disk used, and far too slow to hash
    c = Cache(tmp_path / "c")
    t0 = time.perf_counter()
    first = project_stamp(c, root, tmp_path / "site", single=True, strict=False).inputs
    assert time.perf_counter() - t0 < 5
    os.utime(big, ns=(1, 1))  # its size and time stand in for its bytes
    assert project_stamp(c, root, tmp_path / "site", single=True, strict=False).inputs != first


# -- the vendored Vega bundle ------------------------------------------------------------------


def test_vendored_bundle_is_what_the_installed_vl_convert_makes() -> None:
    # A stale copy would ship a Vega that differs from the one drawing the static SVGs:
    # scripts/vendor_vega.py must be rerun whenever vl-convert-python is upgraded.
    import importlib.metadata
    import json

    import vl_convert as vlc

    manifest = json.loads((cache_mod.VENDOR_DIR / "vega.json").read_text())
    installed = importlib.metadata.version("vl-convert-python")
    if manifest["vl_convert"] != installed:
        # A newer vl-convert than the vendored copy's: builds make the bundle themselves
        # (tested below), so this is a missed speed-up, not a wrong site.
        pytest.skip(
            f"bundle vendored from vl-convert {manifest['vl_convert']}, {installed} "
            "installed: run scripts/vendor_vega.py"
        )
    shipped = cache_mod.vendored_bundle()
    assert shipped is not None
    assert shipped == vlc.javascript_bundle().encode("utf-8")  # type: ignore[call-arg]


def _copy_vendor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    vendor = tmp_path / "_vendor"
    vendor.mkdir()
    for name in ("vega.json", "vega.js.gz"):
        (vendor / name).write_bytes((cache_mod.VENDOR_DIR / name).read_bytes())
    monkeypatch.setattr(cache_mod, "VENDOR_DIR", vendor)
    monkeypatch.setattr(cache_mod, "_bundles", {})
    return vendor


def test_vendored_bundle_ignored_for_another_vl_convert_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    vendor = _copy_vendor(tmp_path, monkeypatch)
    shipped = cache_mod.vendored_bundle()
    assert shipped is not None
    manifest = json.loads((vendor / "vega.json").read_text())
    manifest["vl_convert"] = "0.0.1"
    (vendor / "vega.json").write_text(json.dumps(manifest))
    assert cache_mod.vendored_bundle() is None
    # The build then makes the bundle itself (and caches it), whatever the vendored file says.
    (vendor / "vega.js.gz").write_bytes(b"not gzip")
    cache = Cache(tmp_path / "cache")
    made = cache_mod.cached_bundle(cache)
    assert made == shipped  # made by vl-convert: the damaged vendored copy was not read
    assert cache.get("bundle", cache_mod.bundle_key()) == made


@pytest.mark.parametrize("damage", ["truncate", "edit", "manifest"])
def test_damaged_vendored_bundle_is_never_shipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    import gzip

    vendor = _copy_vendor(tmp_path, monkeypatch)
    gz = vendor / "vega.js.gz"
    if damage == "truncate":
        gz.write_bytes(gz.read_bytes()[:1000])
    elif damage == "edit":
        gz.write_bytes(gzip.compress(gzip.decompress(gz.read_bytes()) + b"//x", mtime=0))
    else:
        (vendor / "vega.json").write_text("{not json")
    assert cache_mod.vendored_bundle() is None
