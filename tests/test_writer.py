"""The atomic writer: a failed write leaves the old site; leftovers are repaired."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.errors import UsageError
from sitegen.pipeline import writer
from sitegen.pipeline.writer import check_target, recover, write_file_atomic, write_site


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_write_then_replace(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {"index.html": b"one", "kpis/a.html": b"a", "old.html": b"x"})
    write_site(out, {"index.html": b"two", "kpis/b.html": b"b"})
    assert tree(out) == {"index.html": b"two", "kpis/b.html": b"b"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert oct(out.stat().st_mode & 0o777) == "0o755"


def test_failed_write_leaves_previous_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {"index.html": b"old"})
    with pytest.raises(ValueError, match="unsafe output path"):
        write_site(out, {"index.html": b"new", "../escape.html": b"x"})
    assert tree(out) == {"index.html": b"old"}
    assert not (tmp_path / "escape.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_fallback_swap_without_renameat2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "_exchange", lambda a, b: False)
    out = tmp_path / "site"
    write_site(out, {"index.html": b"old"})
    write_site(out, {"index.html": b"new"})
    assert tree(out) == {"index.html": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


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
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


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
    with pytest.raises(UsageError, match="not written by sitegen"):
        check_target(foreign, [])
    check_target(tmp_path / "new-folder", [])  # a new folder is fine


def test_write_file_atomic(tmp_path: Path) -> None:
    target = tmp_path / "out" / "index.html"
    write_file_atomic(target, b"1")
    write_file_atomic(target, b"2")
    assert target.read_bytes() == b"2"
    assert [p.name for p in target.parent.iterdir()] == ["index.html"]
