"""Error audit (threat T11 of docs/security.md): every broken input gives a message, not a crash.

Each case is a project broken in one way, built through the CLI: exit status 1, a message on
stderr naming the file and the line or key, no traceback, and the previous site untouched.
``--debug`` adds the traceback for bug reports.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitegen.cli import app

GOOD_CSV = (
    "date,impressions,reach,likes,comments,shares,clicks,leads,spend,followers\n"
    "2025-01-01,1000,500,40,4,2,20,2,100,1000\n"
    "2025-01-02,2000,800,60,6,3,30,3,150,1010\n"
    "2025-02-01,1500,700,50,5,2,25,5,200,1030\n"
)
GOOD_TOML = '[project]\nname = "Acme"\n'

Breaker = Callable[[Path], None]


def write(root: Path, rel: str, text: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


GOAL = (
    '[[goals]]\ntitle = "Leads"\nkpi = "leads"\ntarget = 30\n'
    "start = 2025-01-01\ndeadline = 2025-03-31\n"
)

# (case id, files to write over a good project, text the message must contain)
CASES: list[tuple[str, dict[str, str | bytes], list[str]]] = [
    ("toml-syntax", {"sitegen.toml": '[project]\nname = "Acme\n'}, ["sitegen.toml:2"]),
    ("toml-not-utf8", {"sitegen.toml": b'[project]\nname = "Caf\xe9"\n'}, ["sitegen.toml:2"]),
    ("no-project", {"sitegen.toml": "[data]\n"}, ["sitegen.toml", "project"]),
    ("name-wrong-type", {"sitegen.toml": "[project]\nname = 5\n"}, ["[project.name]"]),
    ("bad-locale", {"sitegen.toml": GOOD_TOML + 'locale = "zz-bad"\n'}, ["[project.locale]"]),
    ("bad-currency", {"sitegen.toml": GOOD_TOML + 'currency = "XYZ1"\n'}, ["project.currency"]),
    (
        "bad-period",
        {"sitegen.toml": GOOD_TOML + "[period]\nstart = 2025-02-01\nend = 2025-01-01\n"},
        ["[period.end]"],
    ),
    ("bad-theme", {"sitegen.toml": GOOD_TOML + 'theme = "nope"\n'}, ["[project.theme]"]),
    (
        "missing-logo",
        {"sitegen.toml": GOOD_TOML + 'logo = "assets/none.svg"\n'},
        ["[project.logo]"],
    ),
    (
        "formula-unknown-name",
        {"sitegen.toml": GOOD_TOML + '[[kpis]]\nid = "x"\nformula = "spend / savez"\n'},
        ["kpis[0]", "savez"],
    ),
    (
        "formula-syntax",
        {"sitegen.toml": GOOD_TOML + '[[kpis]]\nid = "x"\nformula = "spend / (clicks"\n'},
        ["kpis[0]"],
    ),
    ("goals-syntax", {"goals.toml": "[[goals]\n"}, ["goals.toml:1"]),
    (
        "goal-no-deadline",
        {"goals.toml": GOAL.replace("deadline = 2025-03-31\n", "")},
        ["goals.toml", "deadline"],
    ),
    ("goal-unknown-kpi", {"goals.toml": GOAL.replace('"leads"', '"leedz"')}, ["goals.toml", "kpi"]),
    ("cases-syntax", {"cases.toml": "[[cases]]\ntitle = \n"}, ["cases.toml:2"]),
    (
        "csv-bad-date",
        {"data/instagram.csv": GOOD_CSV + "yesterday,1,1,1,1,1,1,1,1,1\n"},
        ["data/instagram.csv:5"],
    ),
    (
        "csv-ragged",
        {"data/instagram.csv": GOOD_CSV + "2025-02-02,1,1,1,1,1,1,1,1,1,1,1\n"},
        ["data/instagram.csv:5"],
    ),
    (
        "csv-duplicate-date",
        {"data/instagram.csv": GOOD_CSV + GOOD_CSV.splitlines()[1] + "\n"},
        ["data/instagram.csv", "2", "5"],
    ),
    ("csv-empty", {"data/instagram.csv": ""}, ["data/instagram.csv"]),
    ("csv-no-date", {"data/instagram.csv": "impressions,clicks\n1,2\n"}, ["data/instagram.csv"]),
    ("csv-binary", {"data/instagram.csv": b"\x00\x01\x02PK\x03\x04" * 50}, ["data/instagram.csv"]),
    (
        "json-broken",
        {"data/facebook.json": '[{"date": "2025-01-01", "impressions": 1'},
        ["data/facebook.json"],
    ),
    ("xlsx-broken", {"data/facebook.xlsx": b"PK\x03\x04 not a workbook"}, ["data/facebook.xlsx"]),
    ("parquet-broken", {"data/facebook.parquet": b"PAR1 nothing PAR1"}, ["data/facebook.parquet"]),
    (
        "template-syntax",
        {"templates/overview.html": "{% extends 'default:overview.html' %}{% if %}"},
        ["overview.html", ":1"],
    ),
]


def make(root: Path, files: dict[str, str | bytes]) -> Path:
    write(root, "sitegen.toml", GOOD_TOML)
    write(root, "data/instagram.csv", GOOD_CSV)
    for rel, text in files.items():
        write(root, rel, text)
    return root


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "200"}).invoke(app, list(args))
    text = result.output
    with contextlib.suppress(ValueError, AttributeError):  # older click mixes them
        text += result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"uncaught {result.exception!r}\n{text}") from result.exception
    return result.exit_code, text


@pytest.fixture(scope="module")
def previous_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A good site built once; each broken build must leave a copy of it untouched."""
    base = tmp_path_factory.mktemp("prev")
    root = make(base / "proj", {})
    out = base / "site"
    code, text = invoke("build", str(root), "-o", str(out))
    assert code == 0, text
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.mark.parametrize(("case", "files", "needles"), CASES, ids=[c[0] for c in CASES])
def test_error_names_the_place_and_exits_1(
    tmp_path: Path,
    previous_site: Path,
    case: str,
    files: dict[str, str | bytes],
    needles: list[str],
) -> None:
    import shutil

    root = make(tmp_path / "proj", files)
    out = tmp_path / "site"
    shutil.copytree(previous_site, out)
    before = snapshot(out)
    code, text = invoke("build", str(root), "-o", str(out))
    assert code == 1, text
    assert "Error:" in text
    assert "Traceback" not in text, text
    for needle in needles:
        assert needle in text, (needle, text)
    assert snapshot(out) == before


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    root = make(tmp_path / "proj", {"sitegen.toml": '[project]\nname = "Acme\n'})
    code, text = invoke("--debug", "build", str(root), "-o", str(tmp_path / "site"))
    assert code == 1
    assert "sitegen.toml:2" in text
    assert "Traceback" in text


def test_usage_error_exits_2(tmp_path: Path) -> None:
    code, text = invoke("build", str(tmp_path / "nowhere"), "-o", str(tmp_path / "site"))
    assert code == 2, text
    assert "Traceback" not in text
