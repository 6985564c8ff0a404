"""The docs follow the code: generated parts are current, links resolve, keys are documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitegen import docgen
from sitegen.cli import app
from sitegen.config.fields import PROJECT_KEYS, TOP_KEYS
from sitegen.dev.scaffold import project_files
from sitegen.model.catalogue import builtin

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
# The pages this test owns; the other pages have tests of their own.
PAGES = (
    "index",
    "getting-started",
    "project-format",
    "config-keys",
    "ci",
    "troubleshooting",
    "kpis",
    "cli",
)
REGENERATE = "stale: run `python -m sitegen.docgen` and commit the result"


@pytest.mark.parametrize("rel", sorted(docgen.generated()))
def test_generated_docs_are_current(rel: str) -> None:
    path = ROOT / rel
    assert path.is_file(), f"{rel} is missing: run `python -m sitegen.docgen`"
    assert path.read_text(encoding="utf-8") == docgen.generated()[rel], f"{rel} is {REGENERATE}"


def test_docgen_writes_only_what_changed(tmp_path: Path) -> None:
    first = docgen.write(tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in first) == sorted(docgen.generated())
    assert docgen.write(tmp_path) == []
    (tmp_path / "docs" / "kpis.md").write_text("old", encoding="utf-8")
    assert docgen.write(tmp_path) == [tmp_path / "docs" / "kpis.md"]


def test_kpi_docs_list_every_kpi_and_metric() -> None:
    text = (DOCS / "kpis.md").read_text(encoding="utf-8")
    cat = builtin()
    for k in cat.kpis.values():
        assert f"| `{k.id}` | {k.label('en')} | `{k.formula.text}` |" in text
    for m in cat.metrics:
        assert f"| `{m}` |" in text


def test_cli_docs_cover_every_command_and_option() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    for name in ("build", "new", "check", "serve", "kpis"):
        assert f"## sitegen {name}\n" in text
    for option in ("--strict", "--format", "--locale", "--ci", "--port", "--quiet", "--verbose"):
        assert option in text


def _links(page: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    text = re.sub(r"`[^`\n]*`", "", text)  # code spans show Markdown, they are not links
    return re.findall(r"\]\(([^)\s]+)\)", text)


def _anchors(page: Path) -> set[str]:
    heads = re.findall(r"^#+ (.+)$", page.read_text(encoding="utf-8"), flags=re.M)
    # GitHub's rule: lower case, drop punctuation but - and _, spaces to dashes.
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in heads}


@pytest.mark.parametrize("name", PAGES)
def test_links_resolve(name: str) -> None:
    page = DOCS / f"{name}.md"
    for link in _links(page):
        if re.match(r"^[a-z]+:", link):
            continue
        target, _, anchor = link.partition("#")
        path = (page.parent / target).resolve() if target else page
        assert path.exists(), f"{page.name}: broken link {link}"
        if anchor and path.suffix == ".md":
            assert anchor in _anchors(path), f"{page.name}: no heading for {link}"


def test_config_keys_documents_every_key() -> None:
    text = (DOCS / "config-keys.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.M))
    kpi_keys = {"id", "label", "formula", "unit", "better", "definition"}
    assert set(PROJECT_KEYS) | {"start", "end", "date_format", "columns"} | kpi_keys <= rows
    guide = (DOCS / "project-format.md").read_text(encoding="utf-8")
    for table in TOP_KEYS:
        assert f"[{table}]" in guide or f"[[{table}]]" in guide
        assert f"[{table}]" in text or f"[[{table}]]" in text


def _block_after(text: str, marker: str) -> str:
    """Return the first fenced block after the line `marker`."""
    rest = text[text.index(marker) :]
    return rest.split("```\n", 2)[1] if rest.startswith("```") else rest.split("```\n")[1]


def test_getting_started_shows_what_new_and_check_print(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (DOCS / "getting-started.md").read_text(encoding="utf-8")
    tree = text.split("creates a project that builds at once:\n\n```\n", 1)[1].split("```", 1)[0]
    listed = {line.split()[0] for line in tree.splitlines()[1:]}
    assert listed == set(project_files("acme-coffee"))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(app, ["new", "acme-coffee", "--name", "Acme Coffee"]).exit_code == 0
    res = runner.invoke(app, ["check", "acme-coffee"], env={"NO_COLOR": "1"})
    shown = text.split("```\nsitegen check acme-coffee\n```\n\n```\n", 1)[1].split("```", 1)[0]
    assert res.stdout == shown
