"""Benchmark sitegen's builds and print the table quoted in docs/performance.md.

Usage: .venv/bin/python bench/run.py [--clients N] [--rows N] [--repeat K] [--skip-portfolio]
                                     [--json FILE] [--readers-only]

Everything it needs is generated (seeded) under bench/_work/. Each measured build is a fresh
``python -m sitegen.cli build ... -v`` process, as a user or CI runs it: wall time from start
to exit, peak memory as the largest sum of the RSS of the process and its workers (sampled
every 20 ms), and the time per pipeline stage as the build reports it (summed over projects,
so with -j 2 the stages add up to more than the wall time). The floors are measured in the
same run, each in a fresh process: polars' bare read of the same CSV, and vl-convert alone
rendering the same charts one after another (its engine's warm-up shown apart). The quick
scenarios run --repeat times (3) and keep their fastest run; the portfolio runs once.

The reader rows time sitegen's reader alone (read and aggregate, in a fresh process) on the
2,760-column legacy Facebook page export and on the 1M-row post-level export, each next to
polars' bare ``pl.read_csv`` of the same file measured right after it, with the ratio;
``--readers-only`` runs just these.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / "_work"
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO))

import gen  # noqa: E402

STAGE_LINE = re.compile(r"^\s+([a-z][\w-]*) (\d+\.\d+)s(?:, |$)")
STAGE_ITEM = re.compile(r"([a-z][\w-]*) (\d+\.\d+)s")


@dataclass
class Row:
    """One line of the table."""

    name: str
    wall: float | None = None
    cpu: float | None = None
    rss_mb: float | None = None
    stages: dict[str, float] = field(default_factory=dict)
    note: str = ""


# -- measuring a child process ---------------------------------------------------------------


def _children(pid: int) -> list[int]:
    """Return pid's descendants (Linux /proc), or [] where that is not available."""
    out: list[int] = []
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    kids = [int(k) for k in fh.read().split()]
                out.extend(kids)
                todo.extend(kids)
        except OSError:
            continue
    return out


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            pages = int(fh.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024**2


def measure(cmd: list[str], cwd: Path = REPO) -> tuple[float, float, float, str]:
    """Run cmd; return (wall s, CPU s, peak MB of its process tree, stdout+stderr).

    CPU time (user + system, workers included) is the figure to compare on a busy machine:
    other processes stretch the wall time but not the work done.
    """
    log = WORK / "last-run.log"
    with open(log, "w+b") as fh:
        env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", "PYTHONDONTWRITEBYTECODE": "1"}
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=fh, stderr=subprocess.STDOUT, env=env)
        peak = [0.0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                total = sum(_rss_mb(p) for p in [proc.pid, *_children(proc.pid)])
                peak[0] = max(peak[0], total)
                done.wait(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        fh.seek(0)
        text = fh.read().decode("utf-8", "replace")
    # Where /proc cannot be sampled, fall back on ru_maxrss (KB on Linux): the largest single
    # process, and on Linux it also counts the benchmark's own memory at fork, so it is not
    # used when the sampled total is there.
    peak_mb = peak[0] or usage.ru_maxrss / 1024
    if proc.returncode != 0:
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n{text}")
    return wall, usage.ru_utime + usage.ru_stime, peak_mb, text


def stages(text: str) -> dict[str, float]:
    """Return the stage timings printed by `sitegen build -v`, summed over projects."""
    total: dict[str, float] = {}
    for line in text.splitlines():
        if STAGE_LINE.match(line):
            for name, secs in STAGE_ITEM.findall(line):
                total[name] = total.get(name, 0.0) + float(secs)
    return total


def count_svgs(cache: Path) -> int:
    """Return the number of chart SVGs in a cache folder."""
    folder = cache / "svg"
    return sum(len(files) for _, _, files in os.walk(folder)) if folder.is_dir() else 0


def build(
    name: str, args: list[str], cache: Path, *, fresh: bool, jobs: int = 1, note: str = ""
) -> Row:
    """Time one `sitegen build` with the given cache folder (emptied first when fresh)."""
    if fresh:
        shutil.rmtree(cache, ignore_errors=True)
    before = count_svgs(cache)
    cmd = [sys.executable, "-m", "sitegen.cli", "build", *args, "-v", "-j", str(jobs)]
    cmd += ["--cache-dir", str(cache)]
    print(f"  {name} ...", file=sys.stderr, flush=True)
    why = "" if fresh else stale_reason(args, cache)
    wall, cpu, rss, text = measure(cmd)
    rendered = count_svgs(cache) - before
    built = len(re.findall(r"^Built ", text, re.M))
    unchanged = len(re.findall(r"; unchanged\)|unchanged \d", text))
    parts = [note] if note else []
    parts.append(f"{rendered} charts rendered")
    if unchanged:
        parts.append(f"{unchanged}/{built} unchanged")
    if why:
        parts.append(f"rebuilt because {why}")
    return Row(name, wall, cpu, rss, stages(text), "; ".join(parts))


def stale_reason(args: list[str], cache: Path) -> str:
    """Return why the cache will not skip the single project in args ('' when it will)."""
    from sitegen.config.project import find_projects
    from sitegen.pipeline.cache import Cache
    from sitegen.pipeline.manifest import check, project_stamp

    project, out = Path(args[0]), Path(args[args.index("-o") + 1])
    if not (project / "sitegen.toml").is_file():
        reasons = []
        for p in find_projects(project):
            stamp = project_stamp(Cache(cache), p, out, single=False, strict=False)
            _, why = check(Cache(cache), stamp)
            if why:
                reasons.append(f"{p.name}: {why}")
        return f"{len(reasons)} clients changed ({reasons[0]})" if reasons else ""
    _, why = check(
        Cache(cache), project_stamp(Cache(cache), project, out, single=True, strict=False)
    )
    return why


# -- floors ----------------------------------------------------------------------------------


def child_polars(csv: str) -> None:
    """Time polars' bare read of a CSV in this (fresh) process; print JSON."""
    import resource

    import polars as pl

    t0, c0 = time.perf_counter(), time.process_time()
    frame = pl.read_csv(csv)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": secs, "cpu": cpu, "rows": frame.height, "rss_mb": rss}))


def child_reader(csv: str) -> None:
    """Time sitegen's reader (read, type, aggregate) of one CSV in this process; print JSON."""
    import resource

    from sitegen.model.catalogue import builtin
    from sitegen.readers import read_file

    kinds = builtin().metric_kinds
    t0, c0 = time.perf_counter(), time.process_time()
    data = read_file(Path(csv), metric_kinds=kinds)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": secs, "cpu": cpu, "rows": data.frame.height, "rss_mb": rss}))


def child_charts(projects: list[str]) -> None:
    """Render the projects' charts with vl-convert alone, one after another; print JSON."""
    import vl_convert as vlc

    from sitegen.config.project import load_project
    from sitegen.pipeline.run import compute, read
    from sitegen.present.i18n.d3 import d3_format_locale, d3_time_format_locale
    from sitegen.present.site.build import build_site

    jobs = []
    for p in projects:
        project = load_project(Path(p))
        site = build_site(compute(project, read(project)), project.config)
        locale = project.config.locale
        fmt, tfmt = d3_format_locale(locale), d3_time_format_locale(locale)
        # Sparklines are drawn by sitegen as plain SVG paths: vl-convert never sees them.
        jobs.extend((c.spec, fmt, tfmt) for c in site.charts.values() if c.spec)
    t0 = time.perf_counter()
    vlc.vegalite_to_svg({"mark": "point"}, allowed_base_urls=[])
    warm = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    for spec, fmt, tfmt in jobs:
        vlc.vegalite_to_svg(spec, format_locale=fmt, time_format_locale=tfmt, allowed_base_urls=[])
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({"charts": len(jobs), "warmup": warm, "seconds": secs, "cpu": cpu}))


def _child(mode: str, *args: str) -> dict[str, Any]:
    _, _, _, text = measure([sys.executable, __file__, mode, *args])
    result: dict[str, Any] = json.loads(text.strip().splitlines()[-1])
    return result


def floor_read(csv: Path) -> Row:
    """Return the row for polars' bare read of csv."""
    res = _child("--child-polars", str(csv))
    return Row(
        "  floor: polars read_csv of the same CSV",
        res["seconds"],
        res["cpu"],
        res["rss_mb"],
        note=f"{res['rows']:,} rows; import of polars not counted",
    )


def reader_rows(label: str, csv: Path) -> tuple[Row, Row]:
    """Return the rows of sitegen's reader on csv and of polars' bare read, measured in turn."""
    ours = _child("--child-reader", str(csv))
    bare = _child("--child-polars", str(csv))
    mb = csv.stat().st_size / 1024**2
    ratio = ours["seconds"] / bare["seconds"] if bare["seconds"] else float("inf")
    # CPU seconds too: on a busy machine the wall time of either read may stretch alone.
    cpu_ratio = ours["cpu"] / bare["cpu"] if bare["cpu"] else float("inf")
    row = Row(
        f"reader alone: {label} ({mb:.1f} MB), read + aggregate",
        ours["seconds"],
        ours["cpu"],
        ours["rss_mb"],
        note=f"{ours['rows']:,} rows out; {ratio:.2f}x polars' bare read (wall), "
        f"{cpu_ratio:.2f}x (CPU)",
    )
    floor = Row(
        "  floor: polars read_csv of the same file",
        bare["seconds"],
        bare["cpu"],
        bare["rss_mb"],
        note=f"{bare['rows']:,} rows; import of polars not counted",
    )
    return row, floor


def floor_charts(label: str, projects: list[Path], scale: float = 1.0) -> Row:
    """Return the row for vl-convert alone on the projects' charts (times scale)."""
    res = _child("--child-charts", *map(str, projects))
    secs = res["seconds"] * scale
    n = round(res["charts"] * scale)
    est = " (estimated from a sample)" if scale != 1 else ""
    note = (
        f"{n} charts, {secs / max(n, 1) * 1000:.0f} ms each, one process; "
        f"+{res['warmup']:.2f} s engine warm-up per process{est}"
    )
    row = Row(f"  floor: vl-convert alone, {label}", secs, res["cpu"] * scale, None)
    row.stages, row.note = {"charts": secs}, note
    return row


def floor_reader(rows: int) -> Row | None:
    """Return the row of the reader's own benchmark (bench/bench_reader.py), when present."""
    script = BENCH / "bench_reader.py"
    if not script.exists():
        return None
    _, _, _, text = measure([sys.executable, str(script), "--rows", str(rows), "--repeat", "1"])
    first = json.loads(text.strip().splitlines()[0])
    return Row(
        "  sitegen reader alone (bench_reader.py)",
        first["seconds"],
        None,
        first["peak_rss_mb"],
        note=f"{first['rows_out']:,} daily rows out",
    )


# -- the table -------------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    """Return the rows as a Markdown table."""
    order: list[str] = []
    for r in rows:
        order.extend(s for s in r.stages if s not in order)

    def num(v: float | None, fmt: str = "{:.2f}") -> str:
        return "" if v is None else fmt.format(v)

    head = ["scenario", "wall s", "CPU s", "peak MB", *order, "notes"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [r.name, num(r.wall), num(r.cpu), num(r.rss_mb, "{:.0f}")]
        cells += [num(r.stages.get(s)) for s in order]
        cells.append(r.note)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def targets(results: dict[str, Row], floor_csv: Row | None) -> list[str]:
    """Return the issue's targets with the measured figures, met or not."""
    out = []

    def line(text: str, value: float | None, limit: float, unit: str = "s") -> None:
        if value is None:
            return
        mark = "met" if value < limit else "NOT met"
        out.append(f"- {text}: {value:.2f} {unit} (target < {limit:g} {unit}): {mark}")

    for jobs in (1, 2):
        colds = [r.wall for k, r in results.items() if k.startswith(f"cold-j{jobs}:") and r.wall]
        if colds:
            line(f"example project, cold, -j {jobs} (fastest example)", min(colds), 2.0)
            line(f"example project, cold, -j {jobs} (slowest example)", max(colds), 2.0)
    nochange = [r.wall for k, r in results.items() if k.startswith("nochange:") and r.wall]
    if nochange:
        line("no-change rebuild (slowest example)", max(nochange), 0.3)
    wide, wide_floor = results.get("reader-wide"), results.get("floor-wide")
    if wide and wide.wall:
        line("2,760-column export, reader alone", wide.wall, 0.5)
        if wide_floor and wide_floor.wall:
            out.append(f"  (polars' bare read of it: {wide_floor.wall:.2f} s)")
    posts, posts_floor = results.get("reader-posts"), results.get("floor-reader-posts")
    if posts and posts.wall and posts_floor and posts_floor.wall:
        ratio = posts.wall / posts_floor.wall
        line("post-level export, reader (read + aggregate) / bare polars read", ratio, 3, "x")
    big = results.get("posts")
    if big and big.wall and floor_csv and floor_csv.wall:
        size = big.name.split(" post-level")[0]  # "1,000,000-row", or --rows N
        line(f"{size} project, whole build / bare polars read", big.wall / floor_csv.wall, 5, "x")
        data = big.stages.get("read", 0.0) + big.stages.get("compute", 0.0)
        line(f"{size} project, read + compute / bare polars read", data / floor_csv.wall, 5, "x")
        line(f"{size} project, peak memory", big.rss_mb, 1024, "MB")
    port = results.get("portfolio-j2")
    if port:
        line(f"portfolio of {port.name.split()[2]} clients, -j 2", port.wall, 60.0)
    return out


def main() -> int:
    """Generate the inputs, run every scenario, print the table and the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200, help="portfolio size (200)")
    parser.add_argument("--rows", type=int, default=1_000_000, help="post-level rows (1M)")
    parser.add_argument("--skip-portfolio", action="store_true")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each quick scenario; the fastest is kept"
    )
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument(
        "--readers-only", action="store_true", help="only the reader rows (wide and 1M-row files)"
    )
    parser.add_argument("--child-polars", help=argparse.SUPPRESS)
    parser.add_argument("--child-reader", help=argparse.SUPPRESS)
    parser.add_argument("--child-charts", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_polars:
        child_polars(args.child_polars)
        return 0
    if args.child_charts:
        child_charts(args.child_charts)
        return 0
    if args.child_reader:
        child_reader(args.child_reader)
        return 0

    WORK.mkdir(exist_ok=True)
    caches, outs = WORK / "cache", WORK / "out"
    shutil.rmtree(outs, ignore_errors=True)
    rows: list[Row] = []
    by: dict[str, Row] = {}

    def add(key: str, row: Row | None) -> None:
        # Repeated scenarios keep their fastest run: noise only ever adds time.
        if row is None:
            return
        if key not in by:
            rows.append(row)
        elif (by[key].wall or 0) <= (row.wall or 0):
            return
        else:
            rows[rows.index(by[key])] = row
        by[key] = row

    t_start = time.perf_counter()
    wide = gen.wide_csv(WORK / "wide" / "facebook.csv")
    posts_csv = gen.posts_project(WORK / f"project-posts-{args.rows}", args.rows)
    posts_csv = posts_csv / "data" / "facebook.csv"
    for _ in range(args.repeat):
        row, floor = reader_rows("2,760-column legacy Facebook page export", wide)
        add("reader-wide", row)
        add("floor-wide", floor)
        row, floor = reader_rows(f"{args.rows:,}-row post-level export", posts_csv)
        add("reader-posts", row)
        add("floor-reader-posts", floor)
    examples = sorted(p.parent for p in (REPO / "content").glob("*/sitegen.toml"))
    if args.readers_only:
        examples = []
    for src in examples * args.repeat:
        name = src.name
        proj = WORK / "examples" / name
        shutil.rmtree(proj, ignore_errors=True)
        shutil.copytree(src, proj)
        out, cache = outs / name, caches / name
        site = [str(proj), "-o", str(out)]
        add(f"cold-j1:{name}", build(f"{name}: cold, -j 1", site, cache, fresh=True))
        add(f"cold-j2:{name}", build(f"{name}: cold, -j 2", site, cache, fresh=True, jobs=2))
        add(f"nochange:{name}", build(f"{name}: no-change rebuild", site, cache, fresh=False))
        # CI restores the cache but not the site: every chart is cached, the pages are redone.
        shutil.rmtree(out)
        add(f"ci:{name}", build(f"{name}: cache restored, no site (CI)", site, cache, fresh=False))
        changed = gen.change_one_csv(proj)
        add(
            f"changed:{name}",
            build(
                f"{name}: one CSV changed",
                site,
                cache,
                fresh=False,
                jobs=2,
                note=f"data/{changed.name} edited",
            ),
        )
        add(f"floor-charts:{name}", floor_charts(name, [src]))

    posts = gen.posts_project(WORK / f"project-posts-{args.rows}", args.rows)
    mb = (posts / "data" / "facebook.csv").stat().st_size / 1024**2
    site = [str(posts), "-o", str(outs / "posts")]
    label = f"{args.rows:,}-row post-level CSV ({mb:.0f} MB): cold, -j 1"
    for _ in range(0 if args.readers_only else args.repeat):
        add("posts", build(label, site, caches / "posts", fresh=True))
        nochange = build("  same: no-change rebuild", site, caches / "posts", fresh=False)
        add("posts-nochange", nochange)
        add("floor-polars", floor_read(posts / "data" / "facebook.csv"))
        add("reader", floor_reader(args.rows))
    floor_csv = by.get("floor-polars")

    if not args.skip_portfolio and not args.readers_only:
        folder = gen.portfolio(WORK / f"portfolio-{args.clients}", args.clients)
        site = [str(folder), "-o", str(outs / "portfolio")]
        n = args.clients
        for jobs in (1, 2):
            key = f"portfolio-j{jobs}"
            add(
                key,
                build(
                    f"portfolio of {n} clients: cold, -j {jobs}",
                    site,
                    caches / key,
                    fresh=True,
                    jobs=jobs,
                ),
            )
        add(
            "portfolio-nochange",
            build(
                "  same: no-change rebuild, -j 2",
                site,
                caches / "portfolio-j2",
                fresh=False,
                jobs=2,
            ),
        )
        first_csv = sorted((folder / "client-001" / "data").glob("*.csv"))[0]
        original = first_csv.read_bytes()
        gen.change_one_csv(folder / "client-001")
        add(
            "portfolio-changed",
            build(
                "  same: one client's CSV changed, -j 2",
                site,
                caches / "portfolio-j2",
                fresh=False,
                jobs=2,
            ),
        )
        first_csv.write_bytes(original)  # leave the generated inputs as they were
        sample = sorted(folder.glob("client-*"))[:10]
        add("floor-portfolio", floor_charts(f"{n} clients", sample, n / len(sample)))

    print(f"\nsitegen benchmark, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(f"(whole run: {time.perf_counter() - t_start:.0f} s)\n")
    print(table(rows))
    print("\nTargets (figures from this run, not timed tests):")
    print("\n".join(targets(by, floor_csv)) or "- none measured")
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in rows], indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
