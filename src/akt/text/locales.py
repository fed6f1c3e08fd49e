"""The interface's languages as Babel locales, for numbers, dates and percentages."""

from __future__ import annotations

from babel import Locale

BABEL_LOCALE = {"en": "en", "sq": "sq", "sr-latn": "sr_Latn", "sr": "sr_Cyrl"}
"""Django language code -> Babel locale (Serbian without a script is Cyrillic)."""


def babel_locale(language: str) -> Locale:
    """The Babel locale of a Django language code (English for one it does not know)."""
    return Locale.parse(BABEL_LOCALE.get(language, "en"))
