"""``{% evidence_panel record %}``: the files attached to a record, as its viewer may see them,
with a way to attach one for those who may change the record."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model

from akt.accounts.scope import Scope
from akt.evidence.models import Attachment
from akt.evidence.registry import governing
from akt.evidence.services import may_open

register = template.Library()


@register.inclusion_tag("evidence/_panel.html", takes_context=True)
def evidence_panel(context: Any, record: Model, heading: str = "") -> dict[str, Any]:
    request = context["request"]
    scope = Scope.for_user(request.user)
    found = list(Attachment.objects.kept().of(record).select_related("uploaded_by"))
    for attachment in found:
        attachment.target = record  # known: no query per file
    shown = [attachment for attachment in found if may_open(scope, attachment)]
    editable = scope.may_edit and not getattr(governing(record), "is_voided", False)
    return {
        "attachments": shown,
        "hidden": len(found) - len(shown),
        "record": record,
        "label": record._meta.label_lower,
        "may_add": editable,
        "may_remove": {
            attachment.pk
            for attachment in shown
            if editable and (attachment.uploaded_by_id == request.user.pk or scope.manages_program)
        },
        "heading": heading,
        "here": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("evidence/_inline.html", takes_context=True)
def evidence_inline(context: Any, record: Model) -> dict[str, Any]:
    """The same, in a table cell: the files' links and "attach" (a milestone's photos)."""
    panel = evidence_panel(context, record)
    return {**panel, "may_remove": set()}
