"""Config loading and validation: messages name the file, line or key, expected and found."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.config.project import load_project, parse_config
from sitegen.config.slug import slugify
from sitegen.errors import ConfigError, MultipleErrors


def make(tmp_path: Path, toml: str, name: str = "client-x") -> Path:
    root = tmp_path / name
    (root / "data").mkdir(parents=True)
    (root / "sitegen.toml").write_text(toml, encoding="utf-8")
    return root


def test_minimal_project_loads_with_defaults(tmp_path: Path) -> None:
    root = make(tmp_path, '[project]\nname = "Acme Coffee"\n', "Acme Café")
    p = load_project(root)
    assert p.config.name == "Acme Coffee"
    assert p.config.slug == "acme-cafe"
    assert p.config.locale == "en"
    assert p.config.currency == "USD"
    assert p.config.period is None
    assert p.warnings == []


def test_toml_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    root = make(tmp_path, '[project]\nname = "Acme"\nlocale = en\n')
    with pytest.raises(ConfigError) as info:
        load_project(root)
    e = info.value
    assert (e.file, e.line, e.column) == ("sitegen.toml", 3, 10)
    assert str(e).startswith("sitegen.toml:3:10: TOML syntax error: Invalid value")
    assert "found:    locale = en" in str(e)


def test_wrong_values_are_all_reported_with_keys(tmp_path: Path) -> None:
    root = make(
        tmp_path,
        """
[project]
name = "Acme"
locale = "xx"
currency = "EURO"
timezone = "Mars/Base"
brand_color = "blue"

[period]
start = 2025-12-31
end = 2025-01-01
""",
    )
    with pytest.raises(MultipleErrors) as info:
        load_project(root)
    keys = [e.key for e in info.value.errors]
    assert keys == [
        "project.locale",
        "project.currency",
        "project.timezone",
        "project.brand_color",
        "period.end",
    ]
    text = str(info.value)
    assert "sitegen.toml [project.currency]: unknown currency code" in text
    assert "found:    'EURO'" in text
    assert "sitegen.toml [period.end]: the period ends before it starts" in text


def test_missing_name_and_wrong_type(tmp_path: Path) -> None:
    with pytest.raises(MultipleErrors) as info:
        parse_config({"project": {"locale": 5}, "period": {"start": "2025-01-01"}}, tmp_path)
    text = str(info.value)
    assert "[project.name]: 'name' is required" in text
    assert "[project.locale]: wrong type" in text
    assert "found:    5 (int)" in text
    assert "[period.start]: wrong type" in text
    assert "a date such as 2025-01-01 (no quotes)" in text
    assert "[period.end]: 'end' is required" in text


def test_unknown_keys_warn_with_suggestion(tmp_path: Path) -> None:
    cfg, warnings = parse_config({"project": {"name": "A", "locael": "ru"}, "perod": {}}, tmp_path)
    msgs = [str(w) for w in warnings]
    assert (
        "sitegen.toml [perod]: unknown key 'perod' is ignored (hint: did you mean 'period'?)"
        in msgs
    )
    assert (
        "sitegen.toml [project.locael]: unknown key 'locael' is ignored (hint: did you mean 'locale'?)"
        in msgs
    )
    assert cfg.locale == "en"


def test_logo_outside_project_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.svg").write_text("<svg/>")
    root = make(tmp_path, '[project]\nname = "A"\nlogo = "../secret.svg"\n')
    with pytest.raises(ConfigError) as info:
        load_project(root)
    assert info.value.key == "project.logo"
    assert "outside the project folder" in str(info.value)
    root2 = make(tmp_path, '[project]\nname = "A"\nlogo = "/etc/passwd"\n', "b")
    with pytest.raises(ConfigError, match="absolute path is not allowed"):
        load_project(root2)


def test_logo_symlink_out_of_project_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.svg").write_text("<svg/>")
    root = make(tmp_path, '[project]\nname = "A"\nlogo = "assets/logo.svg"\n')
    (root / "assets").mkdir()
    (root / "assets" / "logo.svg").symlink_to(tmp_path / "secret.svg")
    with pytest.raises(ConfigError, match="outside the project folder"):
        load_project(root)


def test_data_columns_must_name_metrics(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(
            {"project": {"name": "A"}, "data": {"columns": {"Link Clicks": "clickz"}}}, tmp_path
        )
    assert info.value.key == "data.columns.'Link Clicks'"
    assert "did you mean 'clicks'?" in str(info.value)


def test_custom_kpi_formula_error_shows_caret(tmp_path: Path) -> None:
    root = make(
        tmp_path,
        """
[project]
name = "A"

[[kpis]]
id = "cost_per_save"
label = "Cost per save"
formula = "spend / (saves"
unit = "currency"
better = "lower"
""",
    )
    with pytest.raises(Exception) as info:
        load_project(root)
    text = str(info.value)
    assert text.startswith("sitegen.toml [kpis[0] (cost_per_save).formula]: expected ')'")
    assert "spend / (saves\n                ^" in text


def test_no_data_folder(tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "sitegen.toml").write_text('[project]\nname = "A"\n')
    with pytest.raises(ConfigError, match="no data/ folder"):
        load_project(root)


def test_slugify() -> None:
    assert slugify("Кухни Мастер") == "kukhni-master"
    assert slugify("!!!") == "project"
    assert slugify("Café Rīga 2025!") == "cafe-riga-2025"


def test_data_columns_take_week_month_and_ignore(tmp_path: Path) -> None:
    doc = {
        "project": {"name": "A"},
        "data": {"columns": {"Wk": "week", "Mo": "month", "Notes": "ignore", "Klik": "clicks"}},
    }
    config, _ = parse_config(doc, tmp_path)
    assert dict(config.columns) == {
        "Wk": "week",
        "Mo": "month",
        "Notes": "ignore",
        "Klik": "clicks",
    }
