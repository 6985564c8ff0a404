"""The user docs show the alias table as it is, and the table itself is consistent."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.readers.aliases import (
    DOC_END,
    DOC_START,
    alias_table,
    alias_table_markdown,
    build_table,
    normalise,
    render_doc,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-import.md"
REFRESH = "python -c \"from sitegen.readers.aliases import main; main(['docs/data-import.md'])\""


def test_doc_shows_the_current_alias_table():
    text = DOC.read_text("utf-8")
    assert DOC_START in text and DOC_END in text
    assert render_doc(text) == text, f"docs/data-import.md is stale: run {REFRESH}"


def test_every_kpis_md_alias_is_known(kinds):
    # The aliases kpis.md requires (first names of each row of its table).
    required = {
        "impressions": ["Impressions", "Показы", "Просмотры", "Parādījumi", "Seansi"],
        "reach": ["Reach", "Accounts reached", "Охват", "Sasniedzamība"],
        "followers": ["Followers", "Page likes", "Подписчики", "Участники", "Sekotāji"],
        "new_followers": [
            "New followers",
            "Follows",
            "Подписались",
            "Новые подписчики",
            "Jauni sekotāji",
        ],
        "unfollows": ["Unfollows", "Отписались", "Отписки", "Atsekošana"],
        "likes": ["Likes", "Reactions", "Лайки", "Нравится", "Реакции", "Patīk"],
        "shares": ["Shares", "Reposts", "Retweets", "Репосты", "Поделились", "Dalīšanās"],
        "clicks": ["Clicks", "Link clicks", "Клики", "Переходы", "Klikšķi"],
        "sessions": ["Sessions", "Visits", "Визиты", "Сеансы", "Apmeklējumi"],
        "conversions": ["Conversions", "Results", "Конверсии", "Целевые действия", "Reklāmguvumi"],
        "spend": ["Spend", "Cost", "Amount spent", "Расход", "Затраты", "Izmaksas", "Tēriņi"],
        "responses": ["Responses", "Replies", "Ответы", "Atbildes"],
        "response_time": ["Response time", "Avg response time", "Время ответа", "Atbildes laiks"],
        "leads": ["Leads", "Заявки", "Лиды", "Potenciālie klienti"],
        "revenue": ["Revenue", "Purchase value", "Доход", "Выручка", "Ieņēmumi"],
    }
    table = alias_table()
    for metric, headers in required.items():
        for header in headers:
            role = table.lookup(header, metric_kinds=kinds)
            assert role is not None and (role.kind, role.name) == ("metric", metric), header
    for metric in kinds:
        role = table.lookup(metric, metric_kinds=kinds)
        assert role is not None and role.name == metric


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Расход, ₽", "расход"),
        ("Amount spent (USD)", "amount spent"),
        ("Impr.", "impr"),
        ("  Link  Clicks (All) ", "link clicks all"),
        ("Sekotāji", "sekotaji"),
        ("new_followers", "new followers"),
        ("Ё-моё", "е мое"),
    ],
)
def test_normalise(header, key):
    assert normalise(header) == key


def test_a_clash_in_the_table_is_refused():
    with pytest.raises(ValueError, match="clashes"):
        build_table({"metrics": {"likes": ["Likes"], "shares": ["likes"]}})


def test_markdown_lists_every_metric():
    text = alias_table_markdown()
    for metric in alias_table().metric_aliases():
        assert f"| `{metric}` |" in text
