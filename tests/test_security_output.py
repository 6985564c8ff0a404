"""Never overwrite what sitegen did not write; say why in a message (docs/security.md T12, T13).

Through the CLI, in process: an output onto another client's project, into a project's input
folders, onto a foreign folder, or a folder of sites without its marker, is refused with exit
status 2 and everything left as it was; ``--force`` replaces a foreign folder, never a project.
A disk that refuses the write is exit status 1 with the path, the old site intact. Control
characters in names reach the terminal escaped.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitegen.cli import app
from sitegen.pipeline import writer
from sitegen.pipeline.writer import PORTFOLIO_MARKER, SITE_MARKER

CSV = (
    "date,impressions,reach,likes,comments,shares,clicks,leads,spend,followers\n"
    "2025-01-01,1000,500,40,4,2,20,2,100,1000\n"
    "2025-01-02,2000,800,60,6,3,30,3,150,1010\n"
    "2025-02-01,1500,700,50,5,2,25,5,200,1030\n"
)


def project(root: Path, name: str = "Acme") -> Path:
    (root / "data").mkdir(parents=True)
    (root / "sitegen.toml").write_text(f'[project]\nname = "{name}"\n', encoding="utf-8")
    (root / "data" / "ads.csv").write_text(CSV, encoding="utf-8")
    return root


def invoke(*args: str | Path) -> tuple[int, str]:
    result = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "300"}).invoke(app, [str(a) for a in args])
    text = result.output
    with contextlib.suppress(ValueError, AttributeError):  # older click mixes them
        text += result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"uncaught {result.exception!r}\n{text}") from result.exception
    return result.exit_code, text


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_build_onto_another_clients_project_is_refused(tmp_path: Path) -> None:
    base = project(tmp_path / "base")
    victim = project(tmp_path / "victim", "Other")
    (victim / "data" / "kpis.json").write_text('{"export": "from a platform"}')
    (victim / "goals.toml").write_text("# the victim's goals\n")
    before = files(victim)
    for extra in ([], ["--force"]):
        code, text = invoke("build", base, "-o", victim, *extra)
        assert code == 2, text
        assert "it is a sitegen project" in text
        assert "Traceback" not in text
        assert files(victim) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base", "victim"]


@pytest.mark.parametrize("inside", ["assets/site", "data/site", "pages", "templates/out"])
def test_output_in_an_input_folder_is_refused(tmp_path: Path, inside: str) -> None:
    base = project(tmp_path / "p")
    before = files(base)
    code, text = invoke("build", base, "-o", base / inside, "--force")
    assert code == 2, text
    assert "input folder" in text and "Traceback" not in text
    assert files(base) == before


def test_output_that_is_or_holds_the_project_is_refused(tmp_path: Path) -> None:
    base = project(tmp_path / "p")
    before = files(base)
    for out in (base, tmp_path):
        code, text = invoke("build", base, "-o", out, "--force")
        assert code == 2, text
        assert "it holds" in text
    assert files(base) == before


def test_foreign_folder_is_refused_then_replaced_with_force(tmp_path: Path) -> None:
    base = project(tmp_path / "p")
    out = tmp_path / "docs"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"precious")
    code, text = invoke("build", base, "-o", out)
    assert code == 2, text
    assert "--force" in text and SITE_MARKER in text
    assert files(out) == {"thesis.docx": b"precious"}
    code, text = invoke("build", base, "-o", out, "--force")
    assert code == 0, text
    assert (out / SITE_MARKER).is_file() and not (out / "thesis.docx").exists()
    # Now marked: the next build needs no --force.
    (tmp_path / "p" / "data" / "more.csv").write_text(CSV.replace("2025-02-01", "2025-02-02"))
    code, text = invoke("build", base, "-o", out)
    assert code == 0, text


def test_folder_of_sites_without_its_marker_is_refused(tmp_path: Path) -> None:
    content = tmp_path / "content"
    project(content / "a", "A")
    project(content / "b", "B")
    out = tmp_path / "www"
    out.mkdir()
    (out / "index.html").write_text("the agency's own home page")
    code, text = invoke("build", content, "-o", out)
    assert code == 2, text
    assert PORTFOLIO_MARKER in text and "--force" in text
    assert files(out) == {"index.html": b"the agency's own home page"}


def test_full_disk_exits_1_with_the_path_and_the_old_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = project(tmp_path / "p")
    out = tmp_path / "site"
    assert invoke("build", base, "-o", out, "--no-cache")[0] == 0
    before = files(out)
    real = writer.write_tree

    def full(root: Path, site: dict[str, bytes]) -> None:
        real(root, dict(list(site.items())[:3]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(root / "index.html"))

    monkeypatch.setattr(writer, "write_tree", full)
    (base / "sitegen.toml").write_text('[project]\nname = "Acme 2"\n', encoding="utf-8")
    code, text = invoke("build", base, "-o", out, "--no-cache")
    assert code == 1, text
    assert "Traceback" not in text
    assert "No space left on device" in text and str(out / "index.html") in text
    assert files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p", "site"]


def test_control_characters_in_names_are_escaped(tmp_path: Path) -> None:
    evil = tmp_path / "client\x1b[2J\x1b]0;owned\x07\u202e"
    evil.mkdir()
    code, text = invoke("build", evil, "-o", tmp_path / "site")
    assert code == 2, text
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "client\\x1b[2J\\x1b]0;owned\\x07\\u202e" in text


def test_serve_output_onto_a_foreign_folder_is_refused_at_start(tmp_path: Path) -> None:
    from sitegen.dev.serve import ProjectServer
    from sitegen.errors import UsageError

    base = project(tmp_path / "p")
    victim = project(tmp_path / "victim", "Other")
    before = files(victim)
    with pytest.raises(UsageError, match="it is a sitegen project"):
        ProjectServer(base, output=victim, port=0, force=True)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("mine")
    with pytest.raises(UsageError, match="--force"):
        ProjectServer(base, output=docs, port=0)
    assert files(victim) == before and files(docs) == {"a.txt": b"mine"}
