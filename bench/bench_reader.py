"""Benchmark: read, type and aggregate a 1,000,000-row post-level CSV export.

Usage: .venv/bin/python bench/bench_reader.py [--rows N] [--repeat K]

The file (about 70 MB, shaped like a Facebook/Meta post export: one row per post with a
quoted title, an id, a publish time and the post's counts) is generated once into
bench/_work/ with a fixed seed. Each timed read runs in a fresh child process so that its
peak memory (ru_maxrss) is the reader's own; each run also times polars' bare
``pl.read_csv`` of the same file in another fresh child, right after, so that the two are
measured under the same load. Prints one JSON line per run and a summary with the best
of each (noise only adds time) and the ratio, on CPU seconds (all threads: the figure to
compare on a busy machine) and on wall seconds.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import polars as pl

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent
WORK = ROOT / "_work"
METRIC_KINDS = {
    "impressions": "flow",
    "reach": "flow",
    "likes": "flow",
    "comments": "flow",
    "shares": "flow",
    "clicks": "flow",
    "posts": "flow",
    "followers": "stock",
}


def make_csv(path: Path, rows: int, seed: int = 7) -> None:
    """Write a post-level export with `rows` rows (vectorised, a second or two)."""
    days = 730
    idx = pl.int_range(0, rows, dtype=pl.Int64, eager=True)
    frame = pl.DataFrame({"i": idx}).with_columns(
        h=(pl.col("i") * 2654435761 + seed) % 1_000_003,
    )
    types = pl.Series(["Photo", "Video", "Link", "Reel", "Status"])
    out = (
        frame.select(
            (pl.lit(1_000_000_000_000) + pl.col("i")).cast(pl.Utf8).alias("Post ID"),
            pl.col("h")
            .mod(5)
            .replace_strict(list(range(5)), types.to_list(), return_dtype=pl.Utf8)
            .alias("Post type"),
            (pl.date(2024, 1, 1) + pl.duration(days=pl.col("i") * days // rows))
            .dt.strftime("%Y-%m-%d")
            .alias("day"),
            pl.format(
                "{}:{}",
                (pl.col("h") % 24).cast(pl.Utf8).str.zfill(2),
                (pl.col("h") % 60).cast(pl.Utf8).str.zfill(2),
            ).alias("hm"),
            pl.when(pl.col("h") % 97 == 0)
            .then(pl.lit('Sale, "50%"\noff'))
            .otherwise(pl.format("Post {} of 2024", pl.col("h") % 1000))
            .alias("Title"),
            (pl.col("h") % 5000 + 100).alias("Impressions"),
            (pl.col("h") % 4000 + 80).alias("Reach"),
            (pl.col("h") % 300).alias("Reactions"),
            (pl.col("h") % 40).alias("Comments"),
            (pl.col("h") % 25).alias("Shares"),
            (pl.col("h") % 120).alias("Link clicks"),
        )
        .with_columns(pl.format("{} {}", pl.col("day"), pl.col("hm")).alias("Publish time"))
        .select(
            "Post ID",
            "Title",
            "Post type",
            "Publish time",
            "Impressions",
            "Reach",
            "Reactions",
            "Comments",
            "Shares",
            "Link clicks",
        )
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    out.write_csv(path)


def timed(work: Callable[[], T]) -> tuple[T, float, float, resource.struct_rusage]:
    """Run work; return its result, wall seconds, CPU seconds and the rusage after it."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    # CPU seconds (all threads) say how much work it was when the machine is busy.
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return result, seconds, cpu, after


def run_once(data_dir: Path) -> dict[str, float]:
    """Read data_dir in this process; return seconds, rows out and peak RSS in MB."""
    from sitegen.readers import read_data

    data, seconds, cpu, after = timed(lambda: read_data(data_dir, metric_kinds=METRIC_KINDS))
    return {
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "rows_out": data.frame.height,
        "peak_rss_mb": round(after.ru_maxrss / 1024, 1),
    }


def run_polars(path: Path) -> dict[str, float]:
    """Read the CSV with polars alone in this process (polars already imported)."""
    frame, seconds, cpu, after = timed(lambda: pl.read_csv(path))
    return {
        "polars_seconds": round(seconds, 3),
        "polars_cpu_seconds": round(cpu, 3),
        "polars_rows": frame.height,
        "polars_peak_rss_mb": round(after.ru_maxrss / 1024, 1),
    }


def _child(*args: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def main() -> int:
    """Generate the file when needed, then time K reads in child processes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--polars-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_once(args.child)))
        return 0
    if args.polars_child:
        print(json.dumps(run_polars(args.polars_child)))
        return 0
    data_dir = WORK / f"posts-{args.rows}" / "data"
    path = data_dir / "facebook.csv"
    if not path.exists():
        make_csv(path, args.rows)
    size_mb = path.stat().st_size / 1024**2
    results = []
    for _ in range(args.repeat):
        result = _child("--child", str(data_dir)) | _child("--polars-child", str(path))
        results.append(result)
        print(json.dumps({"rows": args.rows, "file_mb": round(size_mb, 1), **result}))

    def best(key: str) -> float:
        return min(r[key] for r in results)

    peak = max(r["peak_rss_mb"] for r in results)
    print(
        f"reader: {args.rows:,} rows, {size_mb:.0f} MB: best {best('seconds'):.2f} s "
        f"({best('cpu_seconds'):.2f} CPU s), peak RSS {peak:.0f} MB"
    )
    print(
        f"polars read_csv alone: best {best('polars_seconds'):.2f} s "
        f"({best('polars_cpu_seconds'):.2f} CPU s), peak RSS "
        f"{max(r['polars_peak_rss_mb'] for r in results):.0f} MB"
    )
    print(
        f"reader / polars: {best('cpu_seconds') / best('polars_cpu_seconds'):.2f}x CPU, "
        f"{best('seconds') / best('polars_seconds'):.2f}x wall"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
