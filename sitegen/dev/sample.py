"""What a new project says in each locale, and its sample exports (``sitegen new``).

The sample numbers are computed here (no randomness), so two scaffolds are byte-identical.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

LOCALES = ("en", "ru", "lv")
# The sample export: 26 weeks of daily rows, so the report has a previous period to compare.
SAMPLE_START = dt.date(2025, 1, 1)
SAMPLE_DAYS = 181  # 2025-01-01 .. 2025-06-30


def _page(title: str, body: str) -> str:
    """Return a pages/*.md text: the front matter, the title as a heading, the body."""
    return f"---\ntitle: {title}\norder: 1\n---\n\n# {title}\n\n{body}"


@dataclass(frozen=True)
class Texts:
    """What a new project says in one locale."""

    currency: str
    timezone: str
    name: str
    goal: str
    leads_goal: str
    cpl_goal: str
    er_goal: str
    plan: str
    intro: str
    # The export headers as the platforms write them in this language.
    social: tuple[str, ...]
    ads: tuple[str, ...]
    delimiter: str
    decimal: str
    date_format: str


_EN = Texts(
    currency="USD",
    timezone="America/New_York",
    name="{name}",
    goal="Bring the ads' click-through rate to 1.6% by the end of September",
    leads_goal="1000 leads from ads in July to December",
    cpl_goal="Cut the cost per lead by 15% in the second half of the year",
    er_goal="Raise Instagram's engagement rate by 10% by the end of September",
    plan="Sales from social media: 24 000 a month",
    intro=_page(
        "About this report",
        """This report shows {name}'s social media and advertising results: reach, engagement,
clicks, leads and their cost, with the goals we agreed on.

Edit this page in `pages/intro.md`. Every Markdown file in `pages/` becomes a page of the
report, in file-name order.
""",
    ),
    social=(
        "Date",
        "Impressions",
        "Reach",
        "Likes",
        "Comments",
        "Shares",
        "Saves",
        "Followers",
        "Link clicks",
    ),
    ads=("Day", "Amount spent (USD)", "Impressions", "Link clicks", "Leads"),
    delimiter=",",
    decimal=".",
    date_format="%Y-%m-%d",
)

_RU = Texts(
    currency="RUB",
    timezone="Europe/Moscow",
    name="{name}",
    goal="Поднять CTR рекламы до 1,6% к концу сентября",
    leads_goal="1000 заявок из рекламы с июля по декабрь",
    cpl_goal="Снизить стоимость заявки на 15% во втором полугодии",
    er_goal="Поднять ER в Instagram на 10% к концу сентября",
    plan="Продажи из соцсетей: 24 000 в месяц",
    intro=_page(
        "Об отчёте",
        """Здесь собраны результаты {name} в соцсетях и рекламе: охват, вовлечённость, переходы,
заявки и их стоимость, а также согласованные цели.

Эта страница лежит в `pages/intro.md`. Каждый файл Markdown в папке `pages/` становится
страницей отчёта, по порядку имён файлов.
""",
    ),
    social=(
        "Дата",
        "Показы",
        "Охват",
        "Лайки",
        "Комментарии",
        "Репосты",
        "Сохранения",
        "Подписчики",
        "Переходы",
    ),
    ads=("Дата", "Расход", "Показы", "Клики", "Заявки"),
    delimiter=";",
    decimal=",",
    date_format="%d.%m.%Y",
)

_LV = Texts(
    currency="EUR",
    timezone="Europe/Riga",
    name="{name}",
    goal="Paaugstināt reklāmas CTR līdz 1,6% līdz septembra beigām",
    leads_goal="1000 potenciālo klientu no reklāmas no jūlija līdz decembrim",
    cpl_goal="Samazināt potenciālā klienta cenu par 15% gada otrajā pusē",
    er_goal="Paaugstināt Instagram iesaistes rādītāju par 10% līdz septembra beigām",
    plan="Pārdošana no sociālajiem tīkliem: 24 000 mēnesī",
    intro=_page(
        "Par pārskatu",
        """Šeit apkopoti {name} rezultāti sociālajos tīklos un reklāmā: sasniedzamība, iesaiste,
klikšķi, potenciālie klienti un to cena, kā arī saskaņotie mērķi.

Šī lapa ir `pages/intro.md`. Katrs Markdown fails mapē `pages/` kļūst par pārskata lapu,
failu nosaukumu secībā.
""",
    ),
    social=(
        "Datums",
        "Parādījumi",
        "Sasniedzamība",
        "Patīk",
        "Komentāri",
        "Dalīšanās",
        "Saglabāšanas",
        "Sekotāji",
        "Klikšķi",
    ),
    ads=("Datums", "Izmaksas", "Parādījumi", "Klikšķi", "Potenciālie klienti"),
    delimiter=";",
    decimal=",",
    date_format="%d.%m.%Y",
)

TEXTS = {"en": _EN, "ru": _RU, "lv": _LV}


def _wave(i: int, period: int, amplitude: int) -> int:
    # A triangle wave: seasonality without floats, so every platform writes the same digits.
    phase = i % period
    half = period // 2
    return amplitude * (phase if phase <= half else period - phase) // half


def _number(value: int, cents: bool, decimal: str) -> str:
    if not cents:
        return str(value)
    whole, frac = divmod(value, 100)
    return f"{whole}{decimal}{frac:02d}"


def sample_data(locale: str) -> dict[str, str]:
    """Return the sample exports (file name -> text): Instagram insights and Meta ads."""
    t = TEXTS[locale]
    sep = t.delimiter
    social = [sep.join(t.social)]
    ads = [sep.join(t.ads)]
    followers = 2400
    for i in range(SAMPLE_DAYS):
        day = SAMPLE_START + dt.timedelta(days=i)
        date = day.strftime(t.date_format)
        weekend = day.weekday() >= 5
        impressions = 1800 + 9 * i + _wave(i, 7, 600) + (400 if weekend else 0)
        reach = impressions * 62 // 100
        likes = reach * (40 + _wave(i, 30, 12)) // 1000
        comments = likes // 12 + i % 3
        shares = likes // 20 + i % 2
        saves = likes // 9
        followers += 3 + _wave(i, 14, 6) - (1 if i % 5 == 0 else 0)
        clicks = reach * 11 // 1000 + i % 4
        social.append(
            sep.join(
                str(v)
                for v in (
                    date,
                    impressions,
                    reach,
                    likes,
                    comments,
                    shares,
                    saves,
                    followers,
                    clicks,
                )
            )
        )
        spend_cents = 4000 + 11 * i + _wave(i, 7, 1500)
        ad_impressions = 5200 + 15 * i + _wave(i, 10, 900)
        ad_clicks = ad_impressions * (12 + _wave(i, 28, 5)) // 1000
        leads = ad_clicks // 20 + (1 if i % 3 == 0 else 0)
        ads.append(
            sep.join(
                (
                    date,
                    _number(spend_cents, True, t.decimal),
                    str(ad_impressions),
                    str(ad_clicks),
                    str(leads),
                )
            )
        )
    return {
        "instagram.csv": "\n".join(social) + "\n",
        "meta-ads.csv": "\n".join(ads) + "\n",
    }
