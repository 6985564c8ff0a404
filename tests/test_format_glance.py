"""Numbers at a glance: whole money on cards from 1,000 up, percentages told apart, and a
currency code kept apart from its digits. Expected strings come from babel's own patterns
for the locale (the CLDR data are not pinned here), with the fraction digits we ask for."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from babel import Locale, numbers
from cldr import spaced

from sitegen.present.i18n.format import WHOLE_MONEY_FROM, digits_apart, formatter


def babel_money(amount: str, currency: str, locale: str, digits: int) -> str:
    """Return babel's own text for amount in the locale's standard currency pattern."""
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    # The locale's pattern with exactly `digits` decimals ("#,##0.00 ¤" -> "#,##0 ¤").
    pattern = re.sub(r"\.0+", "." + "0" * digits if digits else "", pattern)
    return numbers.format_currency(
        Decimal(amount), currency, format=pattern, locale=locale, currency_digits=False
    )


@pytest.mark.parametrize(
    ("locale", "currency"), [("en", "USD"), ("ru", "RUB"), ("lv", "EUR"), ("en", "EUR")]
)
def test_cards_show_money_from_a_thousand_in_whole_units(locale: str, currency: str) -> None:
    fmt = formatter(locale, currency)
    # 1,264,310.61 rounds half up to 1,264,311 whole units.
    assert fmt.glance(1264310.61, "currency") == babel_money("1264311", currency, locale, 0)
    # 9,082,500.00 has no cents to lose.
    assert fmt.glance(9082500.0, "currency") == babel_money("9082500", currency, locale, 0)
    # Exactly the threshold is whole too; just under it keeps the cents.
    assert fmt.glance(float(WHOLE_MONEY_FROM), "currency") == babel_money(
        "1000", currency, locale, 0
    )
    assert fmt.glance(999.5, "currency") == babel_money("999.50", currency, locale, 2)
    # Tables and kpis.json keep the exact amount (value() is what they use).
    assert fmt.value(1264310.61, "currency") == babel_money("1264310.61", currency, locale, 2)


def test_a_currency_code_is_kept_apart_from_the_number() -> None:
    # English has no symbol for the rouble: CLDR's currencySpacing puts a space after "RUB".
    fmt = formatter("en", "RUB")
    symbol = numbers.get_currency_symbol("RUB", "en")
    assert symbol.isalpha()
    # "_": a no-break space, whichever CLDR uses (cldr.spaced).
    assert spaced(fmt.currency(448.72)) == symbol + "_448.72"
    assert spaced(fmt.glance(9082500.0, "currency")) == symbol + "_9,082,500"
    assert spaced(fmt.currency(-448.72)).endswith(symbol + "_448.72")
    # A symbol that is no letter stays as babel writes it: "$448.72".
    assert formatter("en", "USD").currency(448.72) == numbers.format_currency(
        Decimal("448.72"), "USD", locale="en"
    )


@pytest.mark.parametrize(
    ("values", "digits"),
    [
        ([12.34, 56.78], 1),  # 12.3 and 56.8 already differ
        ([0.114, 0.111], 3),  # 0.1 = 0.1 and 0.11 = 0.11; 0.114 and 0.111 differ
        ([0.11, 0.12], 2),  # 0.1 = 0.1; 0.11 and 0.12 differ
        ([3.0, 3.0], 1),  # equal values need nothing more
        ([None, 5.0], 1),  # no previous value: one decimal
        ([1.00001, 1.00002], 3),  # never more than three: 1.000 both
    ],
)
def test_percentages_take_more_decimals_only_to_tell_values_apart(
    values: list[float | None], digits: int
) -> None:
    assert digits_apart(values) == digits


def test_card_percent_uses_the_previous_value() -> None:
    fmt = formatter("ru", "RUB")
    # 0.114 % against 0.111 % would both read "0,1 %": three decimals tell them apart.
    assert fmt.glance(0.114, "percent", 0.111) == fmt.percent(0.114, 3)
    assert fmt.glance(29.4, "percent", 29.7) == fmt.percent(29.4, 1)
