"""Results sentences in the reader's language: numbers formatted and plurals chosen by CLDR."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal

from akt.indicators.models import Indicator
from akt.text.locales import babel_locale, format_money
from akt.text.script import latin_to_cyrillic


def format_value(value: int | Decimal, language: str, currency: str = "") -> str:
    """A figure as a reader of ``language`` writes it: 1,244 in English, 1.244 in Serbian."""
    if currency:  # whole amounts without cents, in the locale's own pattern
        text = format_money(value, currency, language)
    else:
        text = format_decimal(value, locale=babel_locale(language))
    return latin_to_cyrillic(text) if language == "sr" else text


def format_expected(value: float, language: str) -> str:
    """An expected count (a figure's while pairs await review), to one decimal place and
    none when whole, as a reader of ``language`` writes it: 1,241.3 in English."""
    text = format_decimal(round(value, 1), format="#,##0.#", locale=babel_locale(language))
    return latin_to_cyrillic(text) if language == "sr" else text


def sentence(indicator: Indicator, value: int | Decimal, language: str) -> str:
    """The indicator's results sentence for ``value``, in ``language``.

    Serbian Cyrillic sentences are the Serbian Latin ones converted, so the two never drift.
    """
    source_language = "sr-latn" if language == "sr" else language
    forms = indicator.sentence.get(source_language) or indicator.sentence["en"]
    if source_language not in indicator.sentence:
        source_language = "en"
    category = babel_locale(source_language).plural_form(abs(value))
    template = forms.get(category) or forms["other"]
    text = template % {"value": format_value(value, source_language, indicator.currency)}
    return latin_to_cyrillic(text) if language == "sr" else text
