"""Crash safety (threat T10 of docs/security.md): a killed build leaves the old or the new site.

A tiny project is built, then rebuilt alternately as two versions (the project name differs),
each build killed with SIGKILL after a random delay in [0, build time]. After every kill the
output folder must be, file for file and byte for byte, the complete old site or the complete
new one; the next build then runs on top of whatever the killed one left.

To fit 50 runs into CI, every build is ``build_project`` in a fork of a warm helper process
(sitegen imported; the Vega bundle and the chart SVGs in a build cache filled by a first
build in a separate process), so a build costs a fraction of a second instead of the ~5 s of
a cold ``sitegen build``. The helper itself never touches polars or vl-convert, so the
forked children start those fresh. Measured on 2 busy cores: ~0.5-1.5 s a build, the 50 runs
in under a minute. ``SITEGEN_KILL_RUNS`` sets the count (default 50).

A second test kills the writer alone while it writes a site of 400 files, since whole-build
kills land in the short write stage only now and then.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL")

RUNS = int(os.environ.get("SITEGEN_KILL_RUNS", "50"))

# The helper: reads one JSON command per line, forks a child per command, kills it after the
# given delay (or not, for a negative delay) and answers one JSON line.
HELPER = r"""
import json, os, signal, sys, time
from pathlib import Path

from sitegen.pipeline.run import build_project
from sitegen.pipeline.cache import Cache, cached_bundle, chart_environment
from sitegen.errors import SitegenError
from sitegen.pipeline.writer import write_site

cache = Cache(Path(sys.argv[1]))
cached_bundle(cache)  # from the cache the first build filled: no vl-convert here
chart_environment()
print(json.dumps({"ready": True}), flush=True)

for line in sys.stdin:
    cmd = json.loads(line)
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            if cmd["op"] == "build":
                build_project(Path(cmd["project"]), Path(cmd["out"]), cache=cache)
            else:
                files = {
                    f"p{i // 40}/f{i}.html": (cmd["marker"] * 50 + str(i)).encode()
                    for i in range(cmd["files"])
                }
                files["data/kpis.json"] = json.dumps({"marker": cmd["marker"]}).encode()
                write_site(Path(cmd["out"]), files)
        except SitegenError as exc:
            print(exc, file=sys.stderr)
            code = 1
        except BaseException as exc:
            print(repr(exc), file=sys.stderr)
            code = 2
        os._exit(code)
    killed = False
    if cmd["delay"] >= 0:
        time.sleep(cmd["delay"])
        try:
            os.kill(pid, signal.SIGKILL)
            killed = True
        except ProcessLookupError:
            pass
    _, status = os.waitpid(pid, 0)
    result = {
        "seconds": time.perf_counter() - t0,
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        "code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
    }
    print(json.dumps(result), flush=True)
"""

CSV = "date,impressions,clicks\n" + "".join(
    f"2025-01-{d:02d},{1000 + 10 * d},{20 + d}\n" for d in range(1, 29)
)


def tree(folder: Path) -> dict[str, str]:
    """Return {relative path: sha256} of every file under folder."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


class Helper:
    def __init__(self, cache: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HELPER, str(cache)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert json.loads(self.ask_line()) == {"ready": True}

    def ask_line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, "the helper died"
        return line

    def run(self, **cmd: object) -> dict[str, object]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        return dict(json.loads(self.ask_line()))

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


@pytest.fixture(scope="module")
def helper(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Helper]:
    tmp_path = tmp_path_factory.mktemp("kill")
    cache = tmp_path / "cache"
    warm = tmp_path / "warm"
    for name in ("Kill A", "Kill B"):  # fills the cache for both versions, out of the helper
        make_project(warm, name)
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from pathlib import Path; from sitegen.pipeline.run import build_project;"
                " from sitegen.pipeline.cache import Cache;"
                " build_project(Path(sys.argv[1]), Path(sys.argv[2]), cache=Cache(Path(sys.argv[3])))",
                str(warm),
                str(tmp_path / "warm-site"),
                str(cache),
            ],
            check=True,
            timeout=300,
        )
    h = Helper(cache)
    yield h
    h.close()


def make_project(root: Path, name: str) -> Path:
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "sitegen.toml").write_text(
        f'[project]\nname = "{name}"\nslug = "kill"\n', encoding="utf-8"
    )
    (root / "data" / "instagram.csv").write_text(CSV, encoding="utf-8")
    return root


def test_killed_builds_leave_the_old_or_the_new_site(tmp_path: Path, helper: Helper) -> None:
    project = tmp_path / "proj"
    out = tmp_path / "out" / "site"
    rng = random.Random(os.environ.get("SITEGEN_KILL_SEED", "10"))

    sites: dict[str, dict[str, str]] = {}
    times = []
    for name in ("Kill A", "Kill B"):  # reference sites, and the build time
        make_project(project, name)
        r = helper.run(op="build", project=str(project), out=str(out), delay=-1)
        assert r["code"] == 0, r
        times.append(float(r["seconds"]))  # type: ignore[arg-type]
        sites[name] = tree(out)
    assert sites["Kill A"] != sites["Kill B"]
    assert sites["Kill A"].keys() == sites["Kill B"].keys()
    build_time = max(times)

    current = "Kill B"
    outcomes = {"old": 0, "new": 0, "finished": 0}
    for run in range(RUNS):
        new = "Kill A" if current == "Kill B" else "Kill B"
        make_project(project, new)
        delay = rng.uniform(0, build_time)
        r = helper.run(op="build", project=str(project), out=str(out), delay=delay)
        assert r["code"] in (0, None), (run, r)
        now = tree(out)
        assert now in (sites[current], sites[new]), (
            f"run {run}: killed after {delay:.3f}s, the output is a mix: "
            f"{sorted(set(now.items()) ^ set(sites[current].items()))[:5]}"
        )
        index = (out / "index.html").read_text(encoding="utf-8")
        kept = new if now == sites[new] else current
        assert (
            kept in index
            and json.loads((out / "data" / "kpis.json").read_text(encoding="utf-8"))["project"][
                "name"
            ]
            == kept
        )
        if r["signal"] is None:
            outcomes["finished"] += 1
        else:
            outcomes["new" if kept == new else "old"] += 1
        current = kept
        assert len(leftovers(out)) <= 3, leftovers(out)

    # The next complete build cleans up whatever the killed ones left.
    make_project(project, current)
    r = helper.run(op="build", project=str(project), out=str(out), delay=-1)
    assert r["code"] == 0
    assert tree(out) == sites[current]
    assert leftovers(out) == []
    print(f"kill test: {RUNS} runs, build {build_time:.2f}s, outcomes {outcomes}")


def test_killed_writes_leave_the_old_or_the_new_site(tmp_path: Path, helper: Helper) -> None:
    out = tmp_path / "out" / "site"
    rng = random.Random(11)
    trees: dict[str, dict[str, str]] = {}
    times = []
    for marker in ("A", "B"):
        r = helper.run(op="write", out=str(out), marker=marker, files=400, delay=-1)
        assert r["code"] == 0, r
        times.append(float(r["seconds"]))  # type: ignore[arg-type]
        trees[marker] = tree(out)
    write_time = max(times)
    current = "B"
    outcomes = {"old": 0, "new": 0, "finished": 0}
    for run in range(RUNS):
        new = "A" if current == "B" else "B"
        # Every other kill aims at the end, where the swap and the clean-up happen.
        delay = rng.uniform(0, write_time) if run % 2 else rng.uniform(0.5, 1.0) * write_time
        r = helper.run(op="write", out=str(out), marker=new, files=400, delay=delay)
        now = tree(out)
        assert now in (trees[current], trees[new]), f"run {run}: a mix after {delay:.3f}s"
        kept = new if now == trees[new] else current
        outcomes["finished" if r["signal"] is None else ("new" if kept == new else "old")] += 1
        current = kept
    r = helper.run(op="write", out=str(out), marker=current, files=400, delay=-1)
    assert r["code"] == 0
    assert leftovers(out) == []
    print(f"write kill test: {RUNS} runs, write {write_time:.2f}s, outcomes {outcomes}")
