"""A person's rights over their data, exercised by an M&E officer at their request: their data
exported for them (right of access), and erased (right to erasure). One endpoint per action."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from akt.access import get_visible_or_404, scope_of, signed_in_user
from akt.people import services
from akt.people.access_export import person_data_json, person_data_xlsx
from akt.people.models import Person

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PersonEraseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "The person's request: when and how they asked. Kept in the audit log."
        ),
    )


def _person_for_officer(request: HttpRequest, pk: int) -> Person:
    """The person, for an M&E officer or administrator; 403 for anyone else."""
    if not scope_of(request).may_resolve_identities:
        raise PermissionDenied
    return get_visible_or_404(request, Person.objects.all(), pk)


@login_required
@require_GET
def person_export(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    """The person's data as JSON or as a workbook, to give to them."""
    person = _person_for_officer(request, pk)
    data = services.person_access_export(actor=signed_in_user(request), person=person)
    stem = _("personal-data-%(uid)s") % {"uid": person.uid}
    if file_format == "json":
        content, content_type, name = person_data_json(data), "application/json", f"{stem}.json"
    else:
        content, content_type, name = person_data_xlsx(data), XLSX, f"{stem}.xlsx"
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, name)},
    )


@login_required
def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks for the reason, then erases the person's data; the counts remain."""
    person = _person_for_officer(request, pk)
    form = PersonEraseForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            erased = services.person_erase(
                actor=signed_in_user(request), person=person, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The person's data was erased; their attendances are still counted.")
            )
            return redirect("people:person_detail", pk=erased.pk)
    return render(request, "people/person_erase.html", {"person": person, "form": form})
