"""Template filters of the capacity pages: a change in score written with its sign."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def signed(value: int | Decimal | None) -> str:
    """A change as the reader's locale writes numbers, with "+" before a rise ("+1", "+0,40",
    "-1", "0"); empty for None (the template says "not comparable")."""
    if value is None:
        return ""
    places = 2 if isinstance(value, Decimal) else None
    text = number_format(value, decimal_pos=places)
    return f"+{text}" if value > 0 else text


@register.filter
def trend(value: int | Decimal | None) -> str:
    """The class of a change: "up", "down", "same" or "" (not comparable)."""
    if value is None:
        return ""
    return "up" if value > 0 else "down" if value < 0 else "same"
