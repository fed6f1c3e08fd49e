"""Template filters about the people who use the system."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def user_name(user: object) -> str:
    """A user's full name, else their username; "" when there is nobody.

    Pages name who did something (merged, approved, changed a record) through a foreign key
    that is empty when the system did it itself (a batch run) or when that user was deleted
    since. ``user.get_full_name|default:user.username`` fails on an empty one (a filter's
    argument must resolve), which took the page down with it; this does not.
    """
    if user is None:
        return ""
    full_name = getattr(user, "get_full_name", None)
    name = full_name() if callable(full_name) else ""
    return name or getattr(user, "username", "") or ""
