"""End-to-end builds of small fixture projects: the JSON/CSV contract and failure safety."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.pipeline.run import build_project

CSV = """date,impressions,reach,likes,comments,shares,clicks,leads,spend,followers
2025-01-01,1000,500,40,4,2,20,2,100,1000
2025-01-02,2000,800,60,6,3,30,3,150,1010
2025-02-01,1500,700,50,5,2,25,5,200,1030
2025-02-02,2500,900,70,7,3,35,5,200,1050
2025-03-01,3000,1000,80,8,4,60,10,300,1100
"""


def project(tmp_path: Path, name: str = "Acme", extra: str = "") -> Path:
    root = tmp_path / "acme"
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "sitegen.toml").write_text(
        f'[project]\nname = "{name}"\nlocale = "en"\ncurrency = "USD"\n'
        f"[period]\nstart = 2025-02-01\nend = 2025-03-31\n{extra}",
        encoding="utf-8",
    )
    (root / "data" / "instagram.csv").write_text(CSV, encoding="utf-8")
    return root


def test_kpis_json_contract(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_project(project(tmp_path), out)
    doc = json.loads((out / "data" / "kpis.json").read_text(encoding="utf-8"))
    assert doc["schema"] == 1
    assert doc["project"] == {
        **doc["project"],
        "name": "Acme",
        "slug": "acme",
        "locale": "en",
        "currency": "USD",
        "period": {"start": "2025-02-01", "end": "2025-03-31"},
        "previous_period": {"start": "2024-12-01", "end": "2025-01-31"},
        "channels": ["instagram"],
    }
    for key in ("kpis", "goals", "plans", "cases", "references"):
        assert key in doc
    ctr = doc["kpis"]["ctr"]
    for field in ("label", "unit", "better", "value", "previous", "change", "channels", "series"):
        assert field in ctr
    # Feb-Mar: clicks 120 / impressions 7000; previous (Dec-Jan): 50 / 3000.
    assert ctr["value"] == pytest.approx(120 / 7000 * 100)
    assert ctr["previous"] == pytest.approx(50 / 3000 * 100)
    assert ctr["change"] == pytest.approx((120 / 7000 - 50 / 3000) / (50 / 3000))
    assert ctr["unit"] == "percent" and ctr["better"] == "higher"
    assert ctr["channels"] == {"instagram": pytest.approx(120 / 7000 * 100)}
    assert [p["period"] for p in ctr["series"]["month"]] == ["2025-02", "2025-03"]
    assert doc["kpis"]["cpl"]["value"] == pytest.approx(700 / 20)
    assert doc["kpis"]["follower_growth_rate"]["value"] == pytest.approx((1100 - 1010) / 1010 * 100)
    # No data in the year-ago period: null, not zero.
    assert doc["kpis"]["ctr"]["year_ago"] is None
    assert "roi" not in doc["kpis"]  # no revenue column: not in the report


def test_kpis_csv_rows_and_safe_cells(tmp_path: Path) -> None:
    out = tmp_path / "site"
    root = project(tmp_path)
    (root / "data" / "instagram.csv").rename(root / "data" / "=cmd.csv")
    build_project(root, out)
    rows = list(csv.DictReader(io.StringIO((out / "data" / "kpis.csv").read_text("utf-8"))))
    ctr = [r for r in rows if r["kpi"] == "ctr" and r["period_type"] == "report"]
    assert {r["channel"] for r in ctr} == {"all", "'=cmd"}
    assert float(ctr[0]["value"]) == pytest.approx(120 / 7000 * 100)
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values())


def test_build_is_byte_identical(tmp_path: Path) -> None:
    root = project(tmp_path)
    build_project(root, tmp_path / "a")
    build_project(root, tmp_path / "b")
    a = {
        p.relative_to(tmp_path / "a"): p.read_bytes()
        for p in (tmp_path / "a").rglob("*")
        if p.is_file()
    }
    b = {
        p.relative_to(tmp_path / "b"): p.read_bytes()
        for p in (tmp_path / "b").rglob("*")
        if p.is_file()
    }
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sitegen.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "HOME": str(cwd)},
        check=False,
    )


def test_cli_syntax_error_exit_1_and_previous_output_untouched(tmp_path: Path) -> None:
    root = project(tmp_path)
    out = tmp_path / "site"
    ok = run_cli("build", str(root), "-o", str(out), cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (root / "sitegen.toml").write_text('[project]\nname = "Acme\n', encoding="utf-8")
    bad = run_cli("build", str(root), "-o", str(out), cwd=tmp_path)
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    assert "sitegen.toml:2:" in bad.stderr
    assert "TOML syntax error" in bad.stderr
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    # No temporary or old site folders left beside the output (the build cache may be there).
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".sitegen-cache") == [
        "acme",
        "site",
    ]


def test_cli_data_error_names_file_and_line(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "data" / "instagram.csv").write_text(CSV + "2025-03-02,abc,1,1,1,1,1,1,1,1\n")
    res = run_cli("build", str(root), "-o", str(tmp_path / "site"), cwd=tmp_path)
    assert res.returncode == 1
    assert "data/instagram.csv:7" in res.stderr
    assert "Traceback" not in res.stderr


def test_cli_usage_error_exit_2(tmp_path: Path) -> None:
    res = run_cli("build", str(tmp_path / "missing"), cwd=tmp_path)
    assert res.returncode == 2
    res = run_cli("build", cwd=tmp_path)  # no content/ folder here
    assert res.returncode == 2
    assert "no project given and no content/ folder here" in res.stderr


def test_portfolio_build(tmp_path: Path) -> None:
    portfolio = tmp_path / "clients"
    for name in ("Beta", "Alpha"):
        root = portfolio / name.lower()
        (root / "data").mkdir(parents=True)
        (root / "sitegen.toml").write_text(f'[project]\nname = "{name}"\n', encoding="utf-8")
        (root / "data" / "vk.csv").write_text(CSV, encoding="utf-8")
    res = run_cli("build", str(portfolio), "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "out" / "alpha" / "data" / "kpis.json").is_file()
    assert (tmp_path / "out" / "beta" / "index.html").is_file()
    index = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert index.index("alpha/index.html") < index.index("beta/index.html")
