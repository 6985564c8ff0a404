"""The everyday commands through the CLI: new, check, kpis, --version, colours, build output.

Exit codes and exact message text, as users see them. Most tests run the typer app in
process (CliRunner, fast); the ones about terminals and whole builds run a subprocess.
"""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from sitegen import __version__
from sitegen.cli import app
from sitegen.config.project import load_project

runner = CliRunner()

CSV = """date,impressions,clicks,Mood
2025-01-01,100,5,x
2025-01-02,120,6,y
2025-01-05,130,7,z
"""


def run(*args: str | Path, cwd: Path | None = None) -> tuple[int, str, str]:
    """Run sitegen in process; return (exit code, stdout, stderr)."""
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        res = runner.invoke(app, [str(a) for a in args], env={"NO_COLOR": "1"})
    finally:
        os.chdir(old)
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    return res.exit_code, res.stdout, res.stderr


SHARED: dict[str, str] = {}


@pytest.fixture(autouse=True, scope="session")
def _shared_chart_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    # One build cache for the session's builds: charts and the Vega bundle are made once.
    # The cache is verified and content-addressed, so sharing it changes no output.
    SHARED["SITEGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


def run_process(
    *args: str | Path, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run sitegen in a fresh process, as a user or CI does."""
    base = {"PATH": os.environ["PATH"], "HOME": str(cwd), "NO_COLOR": "1", **SHARED}
    return subprocess.run(
        [sys.executable, "-m", "sitegen.cli", *[str(a) for a in args]],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        timeout=300,
        check=False,
    )


def _invalid(option: str, message: str, err: str) -> bool:
    """Return True when err is typer's usage error for option (its wording varies a little)."""
    return (
        re.search(
            rf"Error: Invalid value for '{option}': (Value error, )?{re.escape(message)}\n", err
        )
        is not None
    )


def tiny(tmp_path: Path, name: str = "Acme", extra: str = "") -> Path:
    """Write a one-file project: a gap of two days and one column the reader ignores."""
    root = tmp_path / name.lower()
    (root / "data").mkdir(parents=True)
    (root / "sitegen.toml").write_text(f'[project]\nname = "{name}"\n{extra}', encoding="utf-8")
    (root / "data" / "ads.csv").write_text(CSV, encoding="utf-8")
    return root


# -- --version ------------------------------------------------------------------------------


def test_version() -> None:
    assert run("--version") == (0, f"sitegen {__version__}\n", "")


def test_no_command_shows_help_with_every_command() -> None:
    code, out, err = run()
    assert code == 2
    for cmd in ("build", "new", "check", "serve", "kpis"):
        assert re.search(rf"^  {cmd}\s", out + err, re.MULTILINE), cmd


# -- new ------------------------------------------------------------------------------------


def test_new_lists_the_files_and_the_next_step(tmp_path: Path) -> None:
    code, out, err = run("new", "client-x", cwd=tmp_path)
    assert (code, err) == (0, "")
    assert out == (
        "Created client-x (en):\n"
        "  sitegen.toml\n"
        "  goals.toml\n"
        "  pages/intro.md\n"
        "  .gitignore\n"
        "  data/instagram.csv\n"
        "  data/meta-ads.csv\n"
        "Next: put the client's exports into data/, then run 'sitegen serve client-x' to see "
        "the report as you edit it.\n"
    )
    project = load_project(tmp_path / "client-x")
    assert project.config.name == "Client X"
    assert project.config.slug == "client-x"
    assert (project.config.locale, project.config.currency) == ("en", "USD")


@pytest.mark.parametrize(
    ("locale", "currency", "header"),
    [("en", "USD", "Date,"), ("ru", "RUB", "Дата;"), ("lv", "EUR", "Datums;")],
)
def test_new_in_each_locale_passes_check_strict(
    tmp_path: Path, locale: str, currency: str, header: str
) -> None:
    assert run("new", "shop", "--locale", locale, cwd=tmp_path)[0] == 0
    root = tmp_path / "shop"
    cfg = load_project(root).config
    assert (cfg.locale, cfg.currency) == (locale, currency)
    # The sample export is written the way that language's platforms write it.
    assert (root / "data" / "instagram.csv").read_text("utf-8").startswith(header)
    code, out, err = run("check", "--strict", "shop", cwd=tmp_path)
    assert (code, err) == (0, "")
    assert out == (
        "Shop (shop)\n"
        "  data: 2 files, 2 channels, 2025-01-01..2025-06-30\n"
        "  files:\n"
        "    data/instagram.csv: platform —; channel instagram; 2025-01-01..2025-06-30; "
        "8 metrics: impressions, reach, followers, likes, comments, shares, saves, clicks\n"
        "    data/meta-ads.csv: platform —; channel meta-ads; 2025-01-01..2025-06-30; "
        "4 metrics: impressions, clicks, leads, spend\n"
        "    instagram: daily 2025-01-01..2025-06-30, 8 metrics: impressions, reach, "
        "followers, likes, comments, shares, saves, clicks\n"
        "    meta-ads: daily 2025-01-01..2025-06-30, 4 metrics: impressions, clicks, leads, "
        "spend\n"
        "  report: 2025-01-01..2025-06-30, 8 KPIs, 1 goal, 0 plans, 0 cases\n"
        "Shop: OK, 0 errors, 0 warnings\n"
    )


def test_new_goal_examples_are_valid_once_uncommented(tmp_path: Path) -> None:
    run("new", "shop", cwd=tmp_path)
    goals = tmp_path / "shop" / "goals.toml"
    text = goals.read_text("utf-8")
    uncommented = re.sub(r"^# (?=\[|[a-z_]+ = )", "", text, flags=re.MULTILINE)
    assert uncommented.count("[[goals]]") == 4 and "[[plans]]" in uncommented
    goals.write_text(uncommented, encoding="utf-8")
    code, out, err = run("check", "--strict", "shop", cwd=tmp_path)
    assert (code, err) == (0, "")
    assert "  report: 2025-01-01..2025-06-30, 8 KPIs, 4 goals, 1 plan, 0 cases\n" in out


def test_new_name_is_written_as_valid_toml(tmp_path: Path) -> None:
    name = 'Kafejnīca "Pūce" \\ Rīga'
    assert run("new", "puce", "--name", name, "--locale", "lv", cwd=tmp_path)[0] == 0
    assert load_project(tmp_path / "puce").config.name == name
    assert 'Kafejnīca "Pūce" \\ Rīga' in (tmp_path / "puce" / "pages" / "intro.md").read_text(
        "utf-8"
    )


def test_new_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    run("new", "a", cwd=tmp_path)
    run("new", "b", "--name", "A", cwd=tmp_path)

    def files(root: Path) -> dict[Path, bytes]:
        return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    assert files(tmp_path / "a") == files(tmp_path / "b")


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "client").mkdir()
    (tmp_path / "client" / "notes.txt").write_text("mine", encoding="utf-8")
    code, out, err = run("new", "client", cwd=tmp_path)
    assert (code, out) == (2, "")
    assert err == (
        "Error: client is not empty\n"
        "  hint: choose a new folder; 'sitegen new' never overwrites files\n"
    )
    assert [p.name for p in (tmp_path / "client").iterdir()] == ["notes.txt"]


def test_new_accepts_an_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "client").mkdir()
    assert run("new", "client", cwd=tmp_path)[0] == 0
    assert (tmp_path / "client" / "sitegen.toml").is_file()


def test_new_unknown_locale_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("new", "client", "--locale", "de", cwd=tmp_path)
    assert code == 2
    assert _invalid("--locale", "'de' is not one of 'en', 'ru', 'lv'.", err)
    assert not (tmp_path / "client").exists()


def test_new_ci_github_writes_a_pages_workflow(tmp_path: Path) -> None:
    code, out, _ = run("new", "client", "--ci", "github", cwd=tmp_path)
    assert code == 0
    assert "  .github/workflows/sitegen.yml\n" in out
    wf = yaml.safe_load((tmp_path / "client" / ".github/workflows/sitegen.yml").read_text())
    steps = [s.get("run") or s.get("uses") for s in wf["jobs"]["build"]["steps"]]
    assert steps == [
        "actions/checkout@v4",
        "actions/setup-python@v5",
        f'pip install "sitegen=={__version__}"',
        "actions/cache@v4",
        "sitegen check --strict .",
        "sitegen build . -o output",
        "actions/upload-pages-artifact@v3",
    ]
    assert wf["jobs"]["build"]["steps"][-1]["with"] == {"path": "output"}
    assert wf["jobs"]["deploy"]["steps"][0]["uses"] == "actions/deploy-pages@v4"
    # "on" is YAML 1.1's True: the triggers are a push of the project's files.
    assert "data/**" in wf[True]["push"]["paths"]


def test_new_ci_gitlab_writes_a_pages_job(tmp_path: Path) -> None:
    assert run("new", "client", "--ci", "gitlab", cwd=tmp_path)[0] == 0
    ci = yaml.safe_load((tmp_path / "client" / ".gitlab-ci.yml").read_text())
    assert ci["pages"]["script"] == [
        f'pip install "sitegen=={__version__}"',
        "sitegen check --strict .",
        "sitegen build . -o public",
    ]
    assert ci["pages"]["artifacts"] == {"paths": ["public"]}


def test_new_unknown_ci_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("new", "client", "--ci", "jenkins", cwd=tmp_path)
    assert code == 2
    assert _invalid("--ci", "'jenkins' is not one of 'github', 'gitlab'.", err)


def test_new_then_build_in_a_fresh_process(tmp_path: Path) -> None:
    assert run_process("new", "client-x", "--ci", "github", cwd=tmp_path).returncode == 0
    res = run_process("build", "client-x", "-o", "site", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert res.stderr == ""
    assert re.search(
        r"^Built Client X -> site \(\d+ pages, \d+ charts, 0 warnings\)$", res.stdout, re.M
    )
    doc = json.loads((tmp_path / "site" / "data" / "kpis.json").read_text("utf-8"))
    assert doc["project"]["channels"] == ["instagram", "meta-ads"]
    assert [g["kpi"] for g in doc["goals"]] == ["ctr"]
    index = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert "Client X" in index
    # The live-reload script belongs to `sitegen serve` only, never to a built site.
    assert "__sitegen" not in index
    intro = (tmp_path / "site" / "pages" / "intro.html").read_text("utf-8")
    assert "About this report" in intro


# -- check ----------------------------------------------------------------------------------


def test_check_summarises_the_data(tmp_path: Path) -> None:
    tiny(tmp_path)
    code, out, err = run("check", "acme", cwd=tmp_path)
    assert code == 0
    assert out == (
        "Acme (acme)\n"
        "  data: 1 file, 1 channel, 2025-01-01..2025-01-05\n"
        "  files:\n"
        "    data/ads.csv: platform —; channel ads; 2025-01-01..2025-01-05; "
        "2 metrics: impressions, clicks; 1 column ignored\n"
        "    ads: daily 2025-01-01..2025-01-05, 2 metrics: impressions, clicks\n"
        "      gaps: 2025-01-03..2025-01-04\n"
        "  ignored columns in data/ads.csv: Mood\n"
        "  report: 2025-01-01..2025-01-05, 1 KPI, 0 goals, 0 plans, 0 cases\n"
        "Acme: OK, 0 errors, 1 warning\n"
    )
    assert err == (
        "Warning: data/ads.csv:1: ignored 1 unknown column(s): 'Mood' (hint: to read one, map "
        "it to a metric under [data.columns] in sitegen.toml ('sitegen kpis' lists them); "
        'to silence this, map it to "ignore")\n'
    )


def test_check_strict_fails_on_warnings(tmp_path: Path) -> None:
    tiny(tmp_path)
    code, out, _ = run("check", "--strict", "acme", cwd=tmp_path)
    assert code == 1
    assert out.endswith("Acme: FAILED, 0 errors, 1 warning (--strict: warnings fail)\n")


def test_check_strict_lets_notes_pass(tmp_path: Path) -> None:
    root = tiny(tmp_path)
    (root / "data" / "ads.csv").write_text(
        "date,impressions,clicks\n2025-01-01,100,5\n2025-01-02,120,6\nTotal,220,11\n",
        encoding="utf-8",
    )
    code, out, err = run("check", "--strict", "acme", cwd=tmp_path)
    assert code == 0
    assert out.endswith("Acme: OK, 0 errors, 0 warnings, 1 note\n")
    assert err.startswith("Note: data/ads.csv:4: dropped 1 total row(s)")


def test_check_reports_every_error_at_once(tmp_path: Path) -> None:
    root = tiny(tmp_path, extra='currency = "XYZ"\ncolour = "red"\n')
    (root / "data" / "bad.csv").write_text("date,clicks\n2025-01-01,abc\n", encoding="utf-8")
    (root / "data" / "worse.csv").write_text("date,likes\n2025-13-01,5\n", encoding="utf-8")
    (root / "goals.toml").write_text(
        '[[goals]]\ntitle = "No deadline"\nkpi = "clicks"\ntarget = 5\nstart = 2025-01-01\n',
        encoding="utf-8",
    )
    code, out, err = run("check", "acme", cwd=tmp_path)
    assert code == 1
    assert out == "Acme (acme)\nAcme: FAILED, 4 errors, 1 warning\n"
    assert err == (
        "Warning: sitegen.toml [project.colour]: unknown key 'colour' is ignored (hint: known "
        "keys: name, slug, locale, currency, timezone, theme, logo, base_url, brand_color, "
        "trust_templates)\n"
        "Error: sitegen.toml [project.currency]: unknown currency code\n"
        "  expected: an ISO 4217 code such as 'EUR', 'USD', 'RUB'\n"
        "  found:    'XYZ'\n"
        "Error: data/bad.csv:2:2 [clicks]: text in a number column\n"
        "  expected: a number such as 1234, 1 234,5, 12.5%, $1,234.50 or empty\n"
        "  found:    'abc'\n"
        "  hint: fix the cell, or leave it empty (-, N/A and empty mean no value)\n"
        "Error: data/worse.csv:2:1 [date]: not a real date\n"
        + _date_error_tail(err)
        + "Error: goals.toml [goals[0] (no-deadline).deadline]: 'deadline' is required\n"
        "  expected: a date such as 2025-04-30\n"
        "  hint: a SMART goal is time-bound: say by when, e.g. deadline = 2025-04-30\n"
    )


def _date_error_tail(err: str) -> str:
    """Return the detail lines of the reader's date error (its wording is the reader's)."""
    start = err.index("Error: data/worse.csv:2:1 [date]: not a real date\n")
    rest = err[start:].split("\n", 1)[1]
    tail = rest[: rest.index("Error: goals.toml")]
    assert "'2025-13-01'" in tail
    return tail


def test_check_broken_toml_still_checks_data_and_goals(tmp_path: Path) -> None:
    root = tiny(tmp_path)
    (root / "sitegen.toml").write_text('[project]\nname = "Acme\n', encoding="utf-8")
    (root / "goals.toml").write_text("[[goals]\n", encoding="utf-8")
    code, out, err = run("check", "acme", cwd=tmp_path)
    assert code == 1
    assert "  ignored columns in data/ads.csv: Mood\n" in out
    assert out.endswith("acme: FAILED, 2 errors, 1 warning\n")
    assert err.endswith(
        "Error: sitegen.toml:2:13: TOML syntax error: Illegal character '\\n'\n"
        '  found:    name = "Acme\n'
        "  hint: check quotes, '=' signs and brackets on this line (https://toml.io)\n"
        "Error: goals.toml:1:8: TOML syntax error: Expected ']]' at the end of an array "
        "declaration\n"
        "  found:    [[goals]\n"
        "  hint: check quotes, '=' signs and brackets on this line (https://toml.io)\n"
    )


def test_check_goal_on_custom_kpi_is_known_when_the_config_fails(tmp_path: Path) -> None:
    root = tiny(
        tmp_path,
        extra='currency = "XYZ"\n[[kpis]]\nid = "cost_per_click"\nformula = "clicks / 2"\n',
    )
    (root / "goals.toml").write_text(
        '[[goals]]\ntitle = "t"\nkpi = "cost_per_click"\ntarget = 5\n'
        "start = 2025-01-01\ndeadline = 2025-02-01\n",
        encoding="utf-8",
    )
    code, _, err = run("check", "acme", cwd=tmp_path)
    assert code == 1
    assert err.count("Error: ") == 1 and "project.currency" in err


def test_check_goal_the_data_cannot_give(tmp_path: Path) -> None:
    root = tiny(tmp_path)
    (root / "data" / "ads.csv").write_text(
        CSV.replace(",Mood", "").replace(",x", "").replace(",y", "").replace(",z", ""),
        encoding="utf-8",
    )
    (root / "goals.toml").write_text(
        '[[goals]]\ntitle = "ROI"\nkpi = "roi"\ntarget = 50\n'
        "start = 2025-01-01\ndeadline = 2025-02-01\n",
        encoding="utf-8",
    )
    code, out, err = run("check", "acme", cwd=tmp_path)
    assert code == 1
    assert out.endswith("Acme: FAILED, 1 error, 0 warnings\n")
    assert err.startswith("Error: goals.toml [goals[0] (roi).kpi]:")
    assert "revenue" in err and "spend" in err


def test_check_json(tmp_path: Path) -> None:
    tiny(tmp_path)
    code, out, err = run("check", "--format", "json", "acme", cwd=tmp_path)
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert doc["ok"] is True and doc["strict"] is False
    (p,) = doc["projects"]
    assert (p["name"], p["slug"], p["path"], p["ok"], p["errors"]) == (
        "Acme",
        "acme",
        "acme",
        True,
        [],
    )
    assert [w["code"] for w in p["warnings"]] == ["unknown_columns"]
    assert p["summary"]["channels"] == [
        {
            "channel": "ads",
            "grain": "day",
            "span": {"start": "2025-01-01", "end": "2025-01-05"},
            "rows": 3,
            "metrics": ["impressions", "clicks"],
            "gaps": [{"start": "2025-01-03", "end": "2025-01-04"}],
        }
    ]
    assert p["summary"]["unknown_columns"] == {"data/ads.csv": ["Mood"]}
    assert p["summary"]["kpis"] == ["ctr"]


def test_check_json_strict_and_errors(tmp_path: Path) -> None:
    tiny(tmp_path, extra='locale = "xx"\n')
    code, out, err = run("check", "--format", "json", "--strict", "acme", cwd=tmp_path)
    assert (code, err) == (1, "")
    (p,) = json.loads(out)["projects"]
    (e,) = p["errors"]
    assert {k: e[k] for k in ("type", "file", "key", "message", "found")} == {
        "type": "ConfigError",
        "file": "sitegen.toml",
        "key": "project.locale",
        "message": "unknown locale",
        "found": "'xx'",
    }
    assert e["text"].startswith("sitegen.toml [project.locale]: unknown locale\n")


def test_check_quiet_prints_nothing_for_a_good_project(tmp_path: Path) -> None:
    tiny(tmp_path)
    (tmp_path / "acme" / "data" / "ads.csv").write_text(
        "date,impressions,clicks\n2025-01-01,100,5\n", encoding="utf-8"
    )
    assert run("check", "-q", "acme", cwd=tmp_path) == (0, "", "")


def test_check_quiet_still_prints_failures(tmp_path: Path) -> None:
    tiny(tmp_path, extra='currency = "XYZ"\n')
    code, out, err = run("check", "-q", "acme", cwd=tmp_path)
    assert code == 1
    assert out == "Acme: FAILED, 1 error, 1 warning\n"
    assert "Error: sitegen.toml [project.currency]" in err


def test_check_verbose_lists_the_kpis(tmp_path: Path) -> None:
    tiny(tmp_path)
    code, out, _ = run("check", "-v", "acme", cwd=tmp_path)
    assert code == 0
    assert "  KPIs: ctr\n" in out


def test_check_several_projects_and_a_portfolio(tmp_path: Path) -> None:
    clients = tmp_path / "clients"
    tiny(clients, "Alpha")
    tiny(clients, "Beta", extra='currency = "XYZ"\n')
    code, out, _ = run("check", "clients", cwd=tmp_path)
    assert code == 1
    assert "Alpha: OK, 0 errors, 1 warning\n" in out
    assert "Beta: FAILED, 1 error, 1 warning\n" in out
    assert out.endswith("Checked 2 projects: 1 failed.\n")


def test_check_defaults_to_content(tmp_path: Path) -> None:
    tiny(tmp_path / "content")
    code, out, _ = run("check", cwd=tmp_path)
    assert code == 0
    assert out.startswith("Acme (content/acme)\n")


def test_check_usage_errors(tmp_path: Path) -> None:
    code, _, err = run("check", cwd=tmp_path)
    assert code == 2
    assert err == (
        "Error: no project given and no content/ folder here\n"
        "  hint: run 'sitegen build PROJECT' or run from a folder that has content/\n"
    )
    code, _, err = run("check", "missing", cwd=tmp_path)
    assert code == 2
    assert err == "Error: missing is not a folder\n  hint: give a project folder\n"
    code, _, err = run("check", "--format", "xml", cwd=tmp_path)
    assert code == 2
    assert _invalid("--format", "'xml' is not one of 'text', 'json'.", err)


# -- kpis -----------------------------------------------------------------------------------


def test_kpis_lists_the_catalogue() -> None:
    code, out, err = run("kpis")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "KPIs (29):"
    assert re.match(r"^  id +unit +better +formula$", lines[1])
    assert any(
        re.match(r"^  ctr +percent +higher +clicks / impressions \* 100$", ln) for ln in lines
    )
    assert any(re.match(r"^  cpl +currency +lower +spend / leads$", ln) for ln in lines)
    assert "Metrics, the columns of the data (35):" in lines  # 34 + interactions
    assert any(re.match(r"^  followers +stock +count$", ln) for ln in lines)


def test_kpis_for_a_project_says_what_is_missing(tmp_path: Path) -> None:
    tiny(tmp_path, extra='[[kpis]]\nid = "cost_per_save"\nformula = "spend / saves"\n')
    code, out, _ = run("kpis", "acme", cwd=tmp_path)
    assert code == 0
    lines = out.splitlines()
    assert lines[:4] == [
        "Acme: 1 of 30 KPIs available from the data",
        "  metrics in the data: impressions, clicks",
        "",
        "Available (1):",
    ]
    assert re.match(r"^  ctr +percent +higher +clicks / impressions \* 100$", lines[5])
    assert "Not available (29):" in lines
    assert any(
        re.match(r"^  roi +revenue, spend +\(revenue - spend\) / spend \* 100$", ln) for ln in lines
    )
    assert any(re.match(r"^  cost_per_save +saves, spend +spend / saves$", ln) for ln in lines)


def test_kpis_json(tmp_path: Path) -> None:
    code, out, _ = run("kpis", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["project"] is None
    ctr = next(k for k in doc["kpis"] if k["id"] == "ctr")
    assert ctr == {
        "id": "ctr",
        "label": "Click-through rate",
        "formula": "clicks / impressions * 100",
        "unit": "percent",
        "better": "higher",
        "family": ctr["family"],
        "builtin": True,
    }
    tiny(tmp_path)
    doc = json.loads(run("kpis", "--format", "json", "acme", cwd=tmp_path)[1])
    by_id = {k["id"]: k for k in doc["kpis"]}
    assert (by_id["ctr"]["available"], by_id["ctr"]["missing"]) == (True, [])
    assert (by_id["cpc"]["available"], by_id["cpc"]["missing"]) == (False, ["spend"])
    present = {m["id"] for m in doc["metrics"] if m["present"]}
    assert present == {"impressions", "clicks"}


def test_kpis_on_a_broken_project_exits_1(tmp_path: Path) -> None:
    tiny(tmp_path, extra='currency = "XYZ"\n')
    code, out, err = run("kpis", "acme", cwd=tmp_path)
    assert (code, out) == (1, "")
    assert err.startswith("Error: sitegen.toml [project.currency]: unknown currency code\n")
    assert "Traceback" not in err


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    tiny(tmp_path, extra='currency = "XYZ"\n')
    code, _, err = run("--debug", "kpis", "acme", cwd=tmp_path)
    assert code == 1
    assert "Traceback (most recent call last)" in err


# -- colours --------------------------------------------------------------------------------


def _in_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run sitegen with a pseudo-terminal as stdout and stderr; return what it printed."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sitegen.cli", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        env={"PATH": os.environ["PATH"], "HOME": str(cwd), "TERM": "xterm-256color", **env},
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the other end closed: the process is done
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_colours_on_a_terminal_unless_no_color(tmp_path: Path) -> None:
    coloured = _in_terminal(["new", "a"], tmp_path, {})
    assert "\x1b[32mCreated" in coloured
    plain = _in_terminal(["new", "b"], tmp_path, {"NO_COLOR": "1"})
    assert "Created b (en):" in plain
    assert "\x1b[" not in plain


def test_no_colours_when_not_a_terminal(tmp_path: Path) -> None:
    res = subprocess.run(
        [sys.executable, "-m", "sitegen.cli", "new", "a"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path), "TERM": "xterm-256color"},
        check=False,
    )
    assert res.returncode == 0
    assert res.stdout.startswith("Created a (en):\n")
    assert "\x1b[" not in res.stdout


# -- build: progress, summary, -v, -q -------------------------------------------------------


def test_build_progress_summary_verbose_and_quiet(tmp_path: Path) -> None:
    tiny(tmp_path)
    shown = _in_terminal(["build", "acme", "-o", "site", "-v", "--no-cache"], tmp_path, {})
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown).replace("\r", "\n")
    # The bar is drawn on a terminal while the charts are rendered, then removed.
    assert re.search(r"Acme: drawing charts .* \d+/\d+", plain)
    # Lines printed while the bar is shown follow its last frame (cursor moves are stripped).
    assert re.search(r"Built Acme -> site \(\d+ pages, \d+ charts, 1 warnings\)\n", plain)
    assert re.search(r"  load \d+\.\d\ds, read \d+\.\d\ds, compute", plain)
    assert re.search(
        r"^Done in \d+\.\ds: 1 site, \d+ pages, \d+ charts, 1 warning -> site$", plain, re.M
    )
    # Not a terminal: no bar, the same lines.
    res = run_process("build", "acme", "-o", "site", cwd=tmp_path)
    assert res.returncode == 0
    assert "drawing charts" not in res.stderr
    assert re.fullmatch(
        r"Built Acme -> (\S*/)?site \(\d+ pages, \d+ charts, 1 warnings(; unchanged)?\)\n"
        r"  data/ads\.csv: platform —; channel ads; 2025-01-01\.\.2025-01-05; 2 metrics: "
        r"impressions, clicks; 1 column ignored\n"
        r"Done in \d+\.\ds: 1 site, \d+ pages, \d+ charts, 1 warning -> (\S*/)?site\n",
        res.stdout,
    )
    res = run_process("build", "acme", "-o", "site", "-q", cwd=tmp_path)
    assert (res.returncode, res.stdout, res.stderr) == (0, "", "")


def test_build_summary_for_a_portfolio(tmp_path: Path) -> None:
    clients = tmp_path / "clients"
    tiny(clients, "Alpha")
    tiny(clients, "Beta")
    res = run_process("build", "clients", "-o", "out", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines()[-2:] == [
        f"Portfolio -> {Path('out') / 'index.html'}",
        res.stdout.splitlines()[-1],
    ]
    assert re.fullmatch(
        r"Done in \d+\.\ds: 2 sites, \d+ pages, \d+ charts, 2 warnings -> out",
        res.stdout.splitlines()[-1],
    )


# -- the docs' CI examples are what `new --ci` writes ----------------------------------------


def test_ci_example_files_parse() -> None:
    root = Path(__file__).resolve().parent.parent / "docs" / "examples"
    for name in ("github-pages.yml", "github-pages-portfolio.yml"):
        wf = yaml.safe_load((root / name).read_text("utf-8"))
        runs = [s.get("run") for s in wf["jobs"]["build"]["steps"] if "run" in s]
        assert runs[1].startswith("sitegen check --strict") and runs[2].startswith("sitegen build")
    for name in ("gitlab-ci.yml", "gitlab-ci-portfolio.yml"):
        ci = yaml.safe_load((root / name).read_text("utf-8"))
        assert ci["pages"]["artifacts"] == {"paths": ["public"]}


def test_new_writes_valid_toml(tmp_path: Path) -> None:
    run("new", "x", "--locale", "ru", cwd=tmp_path)
    for name in ("sitegen.toml", "goals.toml"):
        tomllib.loads((tmp_path / "x" / name).read_text("utf-8"))


# -- what each data file was read as ([[data.files]]) ----------------------------------------

TWEETS = "Date,impressions,likes\n"
ENTRY = '\n[[data.files]]\nmatch = "tweet_activity_*"\nchannel = "x"\nplatform = "x"\n'


def _two_monthly_exports(root: Path) -> None:
    data = root / "data"
    (data / "tweet_activity_metrics_acme_20250101_20250201_en.csv").write_text(
        TWEETS + "2025-01-30,40,2\n2025-02-01,50,3\n", encoding="utf-8"
    )
    (data / "tweet_activity_metrics_acme_20250201_20250301_en.csv").write_text(
        TWEETS + "2025-02-01,50,3\n2025-02-03,60,4\n", encoding="utf-8"
    )


def test_build_lists_each_file_with_platform_channel_dates_and_metrics(tmp_path: Path) -> None:
    root = tiny(tmp_path, extra=ENTRY)
    _two_monthly_exports(root)
    code, out, _ = run("build", "acme", "-o", "site", "--no-cache", cwd=tmp_path)
    assert code == 0
    lines = out.splitlines()
    assert lines[1:4] == [
        "  data/ads.csv: platform —; channel ads; 2025-01-01..2025-01-05; "
        "2 metrics: impressions, clicks; 1 column ignored",
        "  data/tweet_activity_metrics_acme_20250101_20250201_en.csv: platform x; channel x; "
        "2025-01-30..2025-02-01; 2 metrics: impressions, likes",
        "  data/tweet_activity_metrics_acme_20250201_20250301_en.csv: platform x; channel x; "
        "2025-02-01..2025-02-03; 2 metrics: impressions, likes",
    ]
    # One channel x from both exports (the values on the shared day: tests/readers).
    check_code, check_out, _ = run("check", "acme", cwd=tmp_path)
    assert check_code == 0
    assert "    x: daily 2025-01-30..2025-02-03, 2 metrics: impressions, likes" in check_out


def test_check_lists_each_file_and_a_skipped_one(tmp_path: Path) -> None:
    root = tiny(tmp_path, extra=ENTRY + '\n[[data.files]]\nmatch = "old*"\nskip = true\n')
    _two_monthly_exports(root)
    (root / "data" / "old-export.csv").write_text("garbage\n", encoding="utf-8")
    code, out, _ = run("check", "acme", cwd=tmp_path)
    assert code == 0
    assert out.splitlines()[1:7] == [
        "  data: 3 files, 2 channels, 2025-01-01..2025-02-03",
        "  files:",
        "    data/ads.csv: platform —; channel ads; 2025-01-01..2025-01-05; "
        "2 metrics: impressions, clicks; 1 column ignored",
        "    data/old-export.csv: skipped ([[data.files]] skip = true)",
        "    data/tweet_activity_metrics_acme_20250101_20250201_en.csv: platform x; channel x; "
        "2025-01-30..2025-02-01; 2 metrics: impressions, likes",
        "    data/tweet_activity_metrics_acme_20250201_20250301_en.csv: platform x; channel x; "
        "2025-02-01..2025-02-03; 2 metrics: impressions, likes",
    ]


def test_check_and_build_refuse_an_entry_that_matches_no_file(tmp_path: Path) -> None:
    tiny(tmp_path, extra='\n[[data.files]]\nmatch = "adz.csv"\nchannel = "ads"\n')
    code, _, err = run("check", "acme", cwd=tmp_path)
    assert code == 1
    assert err == (
        "Error: sitegen.toml [data.files[0].match]: no file in data/ matches this "
        "[[data.files]] entry\n"
        "  expected: a file name or glob (*, ?) of a file in data/\n"
        "  found:    'adz.csv'; data/ holds ads.csv\n"
        "  hint: did you mean 'ads.csv'?\n"
    )
    code, _, err = run("build", "acme", "-o", "site", cwd=tmp_path)
    assert code == 1
    assert "[data.files[0].match]: no file in data/ matches" in err
    assert "Traceback" not in err
