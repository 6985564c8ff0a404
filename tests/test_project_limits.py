"""The [limits] table of sitegen.toml (issue 18): every budget is a setting its refusal names."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.check import check_project
from sitegen.config.fields import LIMITS
from sitegen.config.limits import DEFAULT_LIMITS, Limits
from sitegen.config.project import load_project
from sitegen.errors import ConfigError, DataError, MultipleErrors, SitegenError
from sitegen.pipeline import cache
from sitegen.pipeline.run import build_project
from sitegen.readers import limits, sniff
from sitegen.theme import markdown

CSV = "Date,Likes\n2025-01-01,1\n2025-01-02,2\n"


def make(tmp_path: Path, limits_table: str = "", csv: str = CSV) -> Path:
    root = tmp_path / "client"
    (root / "data").mkdir(parents=True)
    (root / "data" / "fb.csv").write_text(csv, encoding="utf-8")
    toml = '[project]\nname = "Acme"\n' + (f"\n[limits]\n{limits_table}" if limits_table else "")
    (root / "sitegen.toml").write_text(toml, encoding="utf-8")
    return root


def wide_csv(columns: int) -> str:
    header = "Date,Likes," + ",".join(f"extra {i}" for i in range(columns - 2))
    return header + "\n2025-01-01,1" + "," * (columns - 2) + "\n"


def test_the_defaults_are_the_documented_constants() -> None:
    assert Limits() == DEFAULT_LIMITS
    assert DEFAULT_LIMITS.max_file_bytes == sniff.MAX_FILE_BYTES == cache.MAX_HASHED_BYTES
    assert DEFAULT_LIMITS.max_columns == sniff.MAX_COLUMNS == 10_000
    assert DEFAULT_LIMITS.max_sheet_cells == limits.MAX_SHEET_CELLS == 1_048_576
    assert DEFAULT_LIMITS.max_unzipped_bytes == limits.MAX_UNZIPPED_BYTES == 200 * 1024**2
    assert DEFAULT_LIMITS.max_zip_ratio == limits.MAX_ZIP_RATIO == 200
    assert DEFAULT_LIMITS.max_parquet_rows == limits.MAX_ROWS == 5_000_000
    assert DEFAULT_LIMITS.max_parquet_cells == limits.MAX_CELLS == 50_000_000
    assert DEFAULT_LIMITS.max_page_chars == markdown.MAX_PAGE_CHARS == 200_000
    assert (DEFAULT_LIMITS.max_goals, DEFAULT_LIMITS.max_cases) == (100, 100)
    # One field per Limits attribute, in the docs' key table.
    assert [f.key for f in LIMITS] == list(Limits.__dataclass_fields__)


def test_a_project_without_limits_gets_the_defaults(tmp_path: Path) -> None:
    assert load_project(make(tmp_path)).config.limits == DEFAULT_LIMITS


def test_the_table_sets_each_key(tmp_path: Path) -> None:
    table = "".join(f"{f.key} = {i + 7}\n" for i, f in enumerate(LIMITS))
    got = load_project(make(tmp_path, table)).config.limits
    assert got == Limits(*(i + 7 for i in range(len(LIMITS))))


def test_a_lower_max_file_bytes_refuses_the_file_naming_the_setting(tmp_path: Path) -> None:
    project = load_project(make(tmp_path, "max_file_bytes = 10\n"))
    with pytest.raises(DataError, match="too big") as info:
        project.read_data()
    text = str(info.value)
    assert info.value.file == "data/fb.csv"
    assert "[limits] max_file_bytes" in text
    assert "raise [limits] max_file_bytes in sitegen.toml if this file is legitimate" in text


def test_a_lower_max_columns_refuses_the_file_naming_the_setting(tmp_path: Path) -> None:
    project = load_project(make(tmp_path, "max_columns = 5\n", wide_csv(6)))
    with pytest.raises(DataError, match="too many columns") as info:
        project.read_data()
    assert "raise [limits] max_columns in sitegen.toml" in str(info.value)


def test_a_higher_max_columns_lets_a_wide_file_through(tmp_path: Path) -> None:
    csv = wide_csv(6)
    with pytest.raises(DataError, match=r"\[limits\] max_columns"):
        load_project(make(tmp_path / "a", "max_columns = 5\n", csv)).read_data()
    data = load_project(make(tmp_path / "b", "max_columns = 6\n", csv)).read_data()
    assert data.frame["likes"].to_list() == [1.0]


def test_a_higher_max_columns_lets_a_header_wider_than_the_default_through() -> None:
    # The sniffer is where a delimited file's width is checked; reading 10,001 columns
    # through the whole reader takes minutes, so the setting is checked at the sniffer.
    data = wide_csv(10_001).encode()
    with pytest.raises(DataError, match=r"\[limits\] max_columns"):
        sniff.find_layout(data, "data/wide.csv", ".csv", lambda cells: (0, False))
    layout = sniff.find_layout(
        data, "data/wide.csv", ".csv", lambda cells: (0, False), max_columns=20_000
    )
    assert len(layout.header) == 10_001


def test_sitegen_check_reads_with_the_projects_limits(tmp_path: Path) -> None:
    res = check_project(make(tmp_path, "max_columns = 5\n", wide_csv(6)))
    assert any("[limits] max_columns" in str(e) for e in res.errors)


def test_a_lower_max_page_chars_refuses_the_page_naming_the_setting(tmp_path: Path) -> None:
    root = make(tmp_path, "max_page_chars = 100\n")
    (root / "pages").mkdir()
    (root / "pages" / "about.md").write_text("# About\n\n" + "word " * 40, encoding="utf-8")
    with pytest.raises(ConfigError, match="too long") as info:
        build_project(root, tmp_path / "site")
    assert info.value.file == "pages/about.md"
    assert "raise [limits] max_page_chars in sitegen.toml if the page is legitimate" in str(
        info.value
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "not a whole number above zero"),
        ("-5", "not a whole number above zero"),
        ("2.5", "not a whole number above zero"),
        ('"2GB"', "wrong type"),
        ("true", "wrong type"),
        ("1e300", "too large"),
    ],
)
def test_a_bad_value_is_a_config_error_naming_the_key(
    tmp_path: Path, value: str, message: str
) -> None:
    with pytest.raises(SitegenError) as info:
        load_project(make(tmp_path, f"max_columns = {value}\n"))
    errors = info.value.errors if isinstance(info.value, MultipleErrors) else [info.value]
    assert [(e.file, e.key) for e in errors] == [("sitegen.toml", "limits.max_columns")]
    assert isinstance(errors[0], ConfigError) and message in errors[0].message


def test_a_whole_float_is_accepted(tmp_path: Path) -> None:
    assert load_project(make(tmp_path, "max_columns = 20000.0\n")).config.limits.max_columns == (
        20_000
    )


def test_an_unknown_limit_is_a_warning_with_the_nearest_key(tmp_path: Path) -> None:
    project = load_project(make(tmp_path, "max_colums = 5\n"))
    [warning] = project.warnings
    assert warning.key == "limits.max_colums" and "max_columns" in (warning.hint or "")
    assert project.config.limits == DEFAULT_LIMITS


def test_limits_must_be_a_table(tmp_path: Path) -> None:
    root = make(tmp_path)
    (root / "sitegen.toml").write_text('limits = 5\n[project]\nname = "A"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_project(root)
    assert info.value.key == "limits"


GOAL = (
    'title = "Leads {n}"\nkpi = "likes"\ntarget = {n}\nstart = 2025-01-01\ndeadline = 2025-12-31\n'
)


def goals_toml(goals: int, plans: int = 0) -> str:
    plan = 'title = "Plan {n}"\nrevenue_target = 1000\naverage_order = 50\nlead_to_customer = 0.1\n'
    return "".join(
        ["[[goals]]\n" + GOAL.format(n=i + 1) for i in range(goals)]
        + ["[[plans]]\n" + plan.format(n=i + 1) for i in range(plans)]
    )


def test_more_goals_and_plans_than_max_goals_are_refused_before_parsing(tmp_path: Path) -> None:
    # 10,000 goals took 8 minutes and 2 GB to build: a budget, not a wait (issue 18).
    root = make(tmp_path, "max_goals = 3\n")
    (root / "goals.toml").write_text(goals_toml(3, 1), encoding="utf-8")  # 3 + 1 = 4 > 3
    with pytest.raises(ConfigError) as info:
        build_project(root, tmp_path / "site")
    err = info.value
    assert err.file == "goals.toml" and err.key == "goals"
    assert "4 [[goals]] and [[plans]] tables: more than 3" in str(err)
    assert "[limits] max_goals" in str(err) and err.hint and "max_goals" in err.hint
    assert not (tmp_path / "site").exists()
    (root / "goals.toml").write_text(goals_toml(3), encoding="utf-8")  # 3 <= 3: built
    build_project(root, tmp_path / "site")
    assert (tmp_path / "site" / "goals" / "leads-3.html").is_file()


def test_the_default_goal_budget_refuses_ten_thousand_goals_at_once(tmp_path: Path) -> None:
    root = make(tmp_path)
    (root / "goals.toml").write_text(goals_toml(10_000), encoding="utf-8")
    res = check_project(root)
    assert any("10,000 [[goals]] and [[plans]] tables: more than 100" in str(e) for e in res.errors)


def test_more_cases_than_max_cases_are_refused(tmp_path: Path) -> None:
    root = make(tmp_path, "max_cases = 1\n")
    bench = '[[benchmarks]]\nkpi = "likes"\nvalue = {n}\nsource = "Survey {n}"\ndate = 2025-01-01\n'
    (root / "cases.toml").write_text(bench.format(n=1) + bench.format(n=2), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        build_project(root, tmp_path / "site")
    assert info.value.file == "cases.toml" and "[limits] max_cases" in str(info.value)
