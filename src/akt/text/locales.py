"""The interface's languages as Babel locales, for numbers, dates, percentages and money."""

from __future__ import annotations

import re
from decimal import Decimal

from babel import Locale
from babel.numbers import format_currency, get_currency_symbol

BABEL_LOCALE = {"en": "en", "sq": "sq", "sr-latn": "sr_Latn", "sr": "sr_Cyrl"}
"""Django language code -> Babel locale (Serbian without a script is Cyrillic)."""


def babel_locale(language: str) -> Locale:
    """The Babel locale of a Django language code (English for one it does not know)."""
    return Locale.parse(BABEL_LOCALE.get(language, "en"))


def format_money(value: int | Decimal | float, currency: str, language: str) -> str:
    """A sum of money as a reader of ``language`` writes it: the locale's CLDR currency format,
    "$12,500" in English, "12 500 US$" in Albanian, "12.500 US$" in Serbian; whole amounts
    without cents, others with them. The one way the system writes an amount, on every page,
    sentence, workbook and report (:func:`currency_symbol` where a heading names the currency
    of the amounts under it)."""
    locale = babel_locale(language)
    pattern = locale.currency_formats["standard"].pattern
    if value == int(value):
        pattern = re.sub(r"\.0+", "", pattern)
    return format_currency(value, currency, format=pattern, locale=locale, currency_digits=False)


def currency_symbol(currency: str, language: str) -> str:
    """The sign the locale writes amounts of ``currency`` with ("$" in English, "US$" in
    Albanian and Serbian), for a heading over amounts written by :func:`format_money`."""
    return get_currency_symbol(currency, locale=babel_locale(language))
