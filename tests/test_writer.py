"""The atomic writer: a failed write leaves the old site; leftovers are repaired."""

from __future__ import annotations

import errno
import multiprocessing
import os
import threading
from pathlib import Path

import pytest

from sitegen.errors import UsageError
from sitegen.pipeline import writer
from sitegen.pipeline.writer import (
    MARKER_TEXT,
    PORTFOLIO_MARKER,
    SITE_MARKER,
    LockTimeout,
    WriteError,
    check_root,
    check_target,
    mark_root,
    output_lock,
    recover,
    write_file_atomic,
    write_site,
)


def tree(root: Path) -> dict[str, bytes]:
    """Return the site's files, its marker left out (checked by test_every_site_is_marked)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and p.name != SITE_MARKER
    }


def beside(out: Path) -> list[str]:
    """Return what is beside the site in its folder (no lock file, no temporary folder)."""
    return sorted(p.name for p in out.parent.iterdir())


def test_write_then_replace(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {"index.html": b"one", "kpis/a.html": b"a", "old.html": b"x"})
    write_site(out, {"index.html": b"two", "kpis/b.html": b"b"})
    assert tree(out) == {"index.html": b"two", "kpis/b.html": b"b"}
    assert beside(out) == ["site"]
    assert oct(out.stat().st_mode & 0o777) == "0o755"


def test_failed_write_leaves_previous_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {"index.html": b"old"})
    with pytest.raises(ValueError, match="unsafe output path"):
        write_site(out, {"index.html": b"new", "../escape.html": b"x"})
    assert tree(out) == {"index.html": b"old"}
    assert not (tmp_path / "escape.html").exists()
    assert beside(out) == ["site"]


def test_fallback_swap_without_renameat2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "_exchange", lambda a, b: False)
    out = tmp_path / "site"
    write_site(out, {"index.html": b"old"})
    write_site(out, {"index.html": b"new"})
    assert tree(out) == {"index.html": b"new"}
    assert beside(out) == ["site"]


def test_recover_restores_old_site_after_a_kill_between_renames(tmp_path: Path) -> None:
    # State after a kill between "site -> old" and "tmp -> site": no site, an old and a tmp.
    old = tmp_path / ".site.sitegen-old-abc"
    old.mkdir()
    (old / "index.html").write_bytes(b"old")
    tmp = tmp_path / ".site.sitegen-tmp-def"
    tmp.mkdir()
    (tmp / "index.html").write_bytes(b"half")
    recover(tmp_path / "site")
    assert tree(tmp_path / "site") == {"index.html": b"old"}
    assert beside(tmp_path / "site") == ["site"]


def test_recover_deletes_stale_temporary_folders(tmp_path: Path) -> None:
    write_site(tmp_path / "site", {"index.html": b"ok"})
    stale = tmp_path / ".site.sitegen-tmp-xyz"
    stale.mkdir()
    (stale / "junk").write_bytes(b"j")
    write_site(tmp_path / "site", {"index.html": b"ok2"})
    assert not stale.exists()


def test_refuses_to_replace_a_folder_holding_the_project(tmp_path: Path) -> None:
    project = tmp_path / "client"
    project.mkdir()
    with pytest.raises(UsageError, match="it holds"):
        check_target(tmp_path, [project])
    with pytest.raises(UsageError, match="it holds"):
        check_target(project, [project])


def test_refuses_to_replace_a_foreign_folder(tmp_path: Path) -> None:
    foreign = tmp_path / "docs"
    foreign.mkdir()
    (foreign / "thesis.docx").write_bytes(b"precious")
    with pytest.raises(UsageError, match="sitegen did not write it") as info:
        check_target(foreign, [])
    assert "--force" in str(info.value)
    check_target(foreign, [], force=True)  # --force: the user says it may go
    check_target(tmp_path / "new-folder", [])  # a new folder is fine
    (tmp_path / "empty").mkdir()
    check_target(tmp_path / "empty", [])  # so is an empty one


def test_every_site_is_marked_and_a_marked_site_is_replaced(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {"index.html": b"one", "data/kpis.json": b"{}"})
    assert (out / SITE_MARKER).read_bytes() == MARKER_TEXT
    check_target(out, [])
    (out / SITE_MARKER).unlink()
    # A folder that merely looks like a site (data/kpis.json) is no longer enough.
    with pytest.raises(UsageError, match=r"no \.sitegen-site marker"):
        check_target(out, [])


def test_victim_project_is_refused_even_with_force(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    (victim / "data").mkdir(parents=True)
    (victim / "sitegen.toml").write_text('[project]\nname = "Other"\n')
    (victim / "data" / "kpis.json").write_text("{}")
    (victim / SITE_MARKER).write_bytes(MARKER_TEXT)  # even a planted marker does not help
    for force in (False, True):
        with pytest.raises(UsageError, match="it is a sitegen project"):
            check_target(victim, [tmp_path / "base"], force=force)


@pytest.mark.parametrize("inside", ["data", "pages/site", "assets/site", "templates/x/y"])
def test_output_inside_an_input_folder_is_refused(tmp_path: Path, inside: str) -> None:
    project = tmp_path / "p"
    (project / "assets").mkdir(parents=True)
    for force in (False, True):
        with pytest.raises(UsageError, match="input folder"):
            check_target(project / inside, [project], force=force)
    check_target(project / "site", [project])  # beside the inputs is fine


def test_a_file_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(UsageError, match="is a file"):
        check_target(tmp_path / "notes.txt", [], force=True)


def test_folder_of_sites_needs_its_marker(tmp_path: Path) -> None:
    root = tmp_path / "out"
    root.mkdir()
    (root / "index.html").write_text("someone's page")
    with pytest.raises(UsageError, match=PORTFOLIO_MARKER):
        check_root(root, [])
    check_root(root, [], force=True)
    mark_root(root)
    check_root(root, [])
    fresh = tmp_path / "fresh"
    mark_root(fresh)
    assert (fresh / PORTFOLIO_MARKER).is_file()


# -- the lock: one writer at a time ------------------------------------------------------------


def test_lock_is_reentrant_in_a_thread_and_exclusive_across_threads(tmp_path: Path) -> None:
    out = tmp_path / "site"
    waited = threading.Event()
    entered = threading.Event()

    def other() -> None:
        with output_lock(out, on_wait=lambda lock: waited.set()):
            entered.set()

    with output_lock(out):
        with output_lock(out):  # the same thread again: no deadlock
            write_site(out, {"index.html": b"x"})  # write_site takes it a third time
        t = threading.Thread(target=other)
        t.start()
        assert waited.wait(10)
        assert not entered.is_set()
    assert entered.wait(10)
    t.join(10)


def test_lock_wait_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    monkeypatch.setenv("SITEGEN_LOCK_TIMEOUT", "0.2")
    failed: list[BaseException] = []

    def other() -> None:
        try:
            with output_lock(out):
                pass
        except LockTimeout as exc:
            failed.append(exc)

    with output_lock(out):
        t = threading.Thread(target=other)
        t.start()
        t.join(30)
    assert failed and "another build" in str(failed[0])


def _complete(out: Path, files: int) -> bool:
    """Return True when out holds every file of one and the same write (and the marker)."""
    site = tree(out)
    stamp = site.get("index.html", b"?").decode()
    return (
        len(site) == files + 1
        and all(v.decode().startswith(stamp + "-") for k, v in site.items() if k != "index.html")
        and (out / SITE_MARKER).is_file()
    )


def _writer_process(out: Path, marker: str, rounds: int, files: int) -> None:
    incomplete = 0
    for r in range(rounds):
        site = {f"p{i % 7}/f{i}.html": f"{marker}-{r}-{i}".encode() for i in range(files)}
        site["index.html"] = f"{marker}-{r}".encode()
        with output_lock(out):
            # What the previous writer (any process) published, then what this one did.
            incomplete += out.exists() and not _complete(out, files)
            write_site(out, site)
            incomplete += not _complete(out, files)
    os._exit(min(incomplete, 100))


def test_concurrent_writers_always_publish_a_complete_site(tmp_path: Path) -> None:
    # Several processes write one output at once, round after round. At every hand-over
    # (under the lock) the published site is whole: every file of one and the same write.
    out = tmp_path / "site"
    files, rounds = 60, 6
    ctx = multiprocessing.get_context("fork")
    procs = [
        ctx.Process(target=_writer_process, args=(out, f"w{n}", rounds, files)) for n in range(4)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    assert _complete(out, files)
    assert beside(out) == ["site"]  # no temporary folder, no lock file left behind


# -- disks that refuse: full, read-only ----------------------------------------------------------


def test_full_disk_is_a_message_and_the_old_site_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    write_site(out, {"index.html": b"old", "a/b.html": b"b"})
    real = Path.write_bytes

    def full(self: Path, data: bytes) -> int:
        if self.name == "b.html":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(WriteError) as info:
        write_site(out, {"index.html": b"new", "a/b.html": b"b2"})
    msg = str(info.value)
    assert "No space left on device" in msg and "writing the files" in msg
    assert str(out / "a" / "b.html") in msg  # the site's path, not the temporary folder's
    assert "disk" in msg and "unchanged" in msg
    assert tree(out) == {"index.html": b"old", "a/b.html": b"b"}
    assert beside(out) == ["site"]


def test_read_only_parent_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    write_site(out, {"index.html": b"old"})

    def read_only(*args: object, **kwargs: object) -> str:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(tmp_path))

    monkeypatch.setattr(writer.tempfile, "mkdtemp", read_only)
    with pytest.raises(WriteError, match="creating the temporary folder failed: Read-only"):
        write_site(out, {"index.html": b"new"})
    assert tree(out) == {"index.html": b"old"}


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_really_read_only_parent(tmp_path: Path) -> None:
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        with pytest.raises(WriteError, match="Permission denied"):
            write_site(parent / "site", {"index.html": b"x"})
    finally:
        parent.chmod(0o755)


def test_write_file_atomic(tmp_path: Path) -> None:
    target = tmp_path / "out" / "index.html"
    write_file_atomic(target, b"1")
    write_file_atomic(target, b"2")
    assert target.read_bytes() == b"2"
    assert [p.name for p in target.parent.iterdir()] == ["index.html"]


def test_a_folder_of_sites_holding_only_placeholders_is_empty(tmp_path: Path) -> None:
    # A repository keeps its output/ folder with a .gitkeep: the first build may use it.
    root = tmp_path / "output"
    root.mkdir()
    (root / ".gitkeep").write_text("")
    check_root(root, [])
    (root / "notes.txt").write_text("someone's notes")
    with pytest.raises(UsageError, match=PORTFOLIO_MARKER):
        check_root(root, [])
