"""Template tags that bring identity resolution onto other apps' pages."""

from __future__ import annotations

from typing import Any

from django import template

from akt.indicators import engine
from akt.indicators.selectors import pairs_under_review
from akt.linkage.services import may_resolve_identities

register = template.Library()


@register.inclusion_tag("linkage/_pairs_under_review.html", takes_context=True)
def pairs_under_review_note(context: template.Context, result: engine.Result) -> dict[str, Any]:
    """Beside a persons figure: how many pairs of records behind it are still under review."""
    pairs = pairs_under_review(result) if result.unit is engine.Unit.PERSONS else 0
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"pairs": pairs, "may_review": bool(pairs) and may_resolve_identities(user)}
