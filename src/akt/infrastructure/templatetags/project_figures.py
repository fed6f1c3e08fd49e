"""Template filters for the project pages: percentages as the reader's language writes them."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_percent
from django import template
from django.utils import translation

from akt.infrastructure.models import shown_coordinate
from akt.text.locales import babel_locale

register = template.Library()


@register.filter
def percent(value: Decimal | None) -> str:
    """``{{ share.percent_of_budget|percent }}``: 12.5 written "12.5%" in English, "12,5%" in
    Albanian and Serbian, to one decimal at most; "" for none (a budget of zero)."""
    if value is None or value == "":
        return ""
    language = translation.get_language() or "en"
    return format_percent(Decimal(value) / 100, format="#,##0.#%", locale=babel_locale(language))


@register.filter
def coordinate(value: Decimal | None) -> str:
    """``{{ project.latitude|coordinate }}``: degrees as written, "42.6629" (a point in any
    language, as maps and GPS devices read it); "" for none."""
    if value is None or value == "":
        return ""
    return shown_coordinate(Decimal(value))
