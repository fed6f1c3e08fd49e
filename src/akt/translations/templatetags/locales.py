"""Template filters that write values as the reader's language does."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import translation

from akt.text.locales import format_money

register = template.Library()


@register.filter
def money(amount: int | Decimal | float | None, currency: str) -> str:
    """``{{ grant.amount|money:grant.currency }}``: the amount in the page's language, as every
    figure of the system writes money (:func:`akt.text.locales.format_money`); "" for none."""
    if amount is None or amount == "":
        return ""
    return format_money(amount, currency, translation.get_language() or "en")
