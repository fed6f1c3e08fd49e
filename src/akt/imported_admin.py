"""The import a record came from, shown in the admin as a link rather than edited.

Activities, organizations, grants, plans, plan actions, projects and attendances keep the
import batch and file row they came from (``batch``, ``source_row``). In the admin the batch is
not offered as a select of every batch ever uploaded (thousands of options, each carrying its
file) and it is not editable: it is where the record came from, which an edit cannot change.
:class:`ImportedRecordAdminMixin` leaves the field out of the form and shows the batch's number
as a link to its import page, read from ``batch_id`` alone, so a changelist or an inline of a
thousand roster rows costs no extra query for it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


class ImportedRecordAdminMixin:
    """For a ModelAdmin or inline of a model with ``batch`` and ``source_row`` fields."""

    batch_field = "batch"

    def get_exclude(self, request: Any, obj: Any = None) -> list[str]:
        excluded = list(super().get_exclude(request, obj) or [])  # type: ignore[misc]
        return [*excluded, self.batch_field, "source_row"]

    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        return [*fields, "imported_from"]

    @admin.display(description=_("imported from"))
    def imported_from(self, obj: Any) -> str:
        batch_id = getattr(obj, f"{self.batch_field}_id", None) if obj is not None else None
        if batch_id is None:
            return "-"
        row = getattr(obj, "source_row", None)
        label = (
            _("import %(number)s, row %(row)s") % {"number": batch_id, "row": row}
            if row
            else _("import %(number)s") % {"number": batch_id}
        )
        return format_html(
            '<a href="{}">{}</a>', reverse("intake:batch_detail", args=[batch_id]), label
        )
