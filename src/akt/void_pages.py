"""The pages that void and restore a record, shared by activities, grants, plans and projects.

One endpoint per action and record type (``/activities/<pk>/void/``, ``.../restore/``); each
view fetches its record through :mod:`akt.access`, and hands the page here: a GET asks for the
reason and says what the action changes, a POST calls the record's service through
:func:`akt.web.submit_form`. Who may is :func:`akt.accounts.voiding.may_void`; anyone else
gets 403 (404 outside their scope, from the access helper).

:class:`VoidedFilterForm` is the list filter the four lists share: voided records are hidden
unless the viewer asks to see them (marked) or only them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from akt.accounts.periods import approved_period_on
from akt.accounts.voidable import Voidable
from akt.accounts.voiding import may_void
from akt.web import submit_form

HIDE, SHOW, ONLY = "", "shown", "only"

Records = TypeVar("Records", bound=QuerySet[Any])


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Kept in the audit log with your name and the time."),
    )


class VoidedFilterMixin(forms.Form):
    """Adds the "voided records" choice to a list's filter form; call :meth:`without_voided`."""

    voided = forms.ChoiceField(
        label=gettext_lazy("Voided records"),
        choices=[
            (HIDE, gettext_lazy("Hidden")),
            (SHOW, gettext_lazy("Shown, marked")),
            (ONLY, gettext_lazy("Only voided records")),
        ],
        required=False,
    )

    def without_voided(self, records: Records) -> Records:
        """The records the choice keeps: by default those that count (not voided)."""
        choice = self.cleaned_data.get("voided", HIDE) if self.is_valid() else HIDE
        if choice == SHOW:
            return records
        if choice == ONLY:
            return records.filter(voided_at__isnull=False)
        return records.filter(voided_at__isnull=True)


def void_page(
    request: HttpRequest,
    record: Voidable,
    *,
    restore: bool,
    save: Callable[[str], Voidable],
    detail_url: str,
    title: str,
    consequences: Sequence[str | Promise] = (),
) -> HttpResponse:
    """Asks for the reason (GET) or voids or restores ``record`` through ``save(reason)``
    (POST), then returns to its page at ``detail_url`` (a URL name taking ``pk``)."""
    if not may_void(request.user, record):
        raise PermissionDenied
    form = VoidForm(request.POST if request.method == "POST" else None)
    day = record.counts_on
    return submit_form(
        request,
        form,
        lambda data: save(data["reason"]),
        saved_message=_("The record was restored.") if restore else _("The record was voided."),
        success_url=detail_url,
        template="void_form.html",
        context={
            "record": record,
            "restore": restore,
            "title": title,
            "detail_url": detail_url,
            "consequences": consequences,
            "approved_quarter": approved_period_on(day) if day else None,
        },
    )


def voiding_context(request: HttpRequest, record: Voidable, app: str) -> dict[str, Any]:
    """What a record's page needs for :file:`_voiding.html`: whether the viewer may void or
    restore it, and the two URL names."""
    return {
        "may_void": may_void(request.user, record),
        "void_url": f"{app}:void",
        "restore_url": f"{app}:restore",
    }


class VoidedListFilter(admin.SimpleListFilter):
    title = gettext_lazy("voided")
    parameter_name = "voided"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", gettext_lazy("Voided")), ("no", gettext_lazy("Counted"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(voided_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(voided_at__isnull=True)
        return queryset


class VoidableAdmin(admin.ModelAdmin):
    """The admin of a voidable record: the voiding shown, never edited here (the record's page
    voids and restores it, audited), and a delete the records that depend on it refuse (an
    import's rows, a roster) pointing to voiding instead of leaving the user stuck."""

    void_url = ""
    """The URL name of the record's void page (``activities:void``)."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*super().get_readonly_fields(request, obj), "voided_at", "voided_by", "void_reason"]

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        return [*super().get_list_filter(request), VoidedListFilter]

    def render_delete_form(self, request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
        if context.get("protected") and context.get("object") is not None:
            record = context["object"]
            messages.warning(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _(
                        "Other records depend on this one, so it cannot be deleted. To take a "
                        "mistaken record out of every figure, void it: it stays on record and "
                        "can be restored."
                    ),
                    reverse(self.void_url, args=[record.pk]),
                    _("Void it on its page"),
                ),
            )
        return super().render_delete_form(request, context)
