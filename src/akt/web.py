"""The one way a page saves a form: through its service, the same way on every page.

A bound, valid form's data goes to the service. A ``ValidationError`` the service raises lands on
the form's fields (or above them, when it names none), nothing is stored, and the page renders
again with the message beside the field; a saved record leads to its page with a "saved" message.
Kept here once so the create and update views stay a form, a service call and this.

A form with :class:`ChangeReasonMixin` carries the reason a person gives for a change; it goes
to the service's audit entry (:func:`akt.accounts.services.change_reason`). A record of an
approved reporting quarter changes only with one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from akt.accounts.services import change_reason

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ChangeReasonMixin(forms.BaseForm):
    """Adds the optional "reason for the change" a form's save passes to the audit log."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"] = forms.CharField(
            label=_("Reason for the change"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_(
                "Needed when the record belongs to an approved reporting quarter; kept in the "
                "audit log."
            ),
        )


def add_service_error(form: BaseForm, error: ValidationError) -> None:
    """A service's refusal on the form: on the fields it names that the form has, else above
    them (a service may name a field this form does not show)."""
    if hasattr(error, "error_dict") and not set(error.error_dict) <= set(form.fields):
        form.add_error(None, ValidationError(error.messages))
    else:
        form.add_error(None, error)


def submit_form(
    request: HttpRequest,
    form: BaseForm,
    save: Callable[[dict[str, Any]], Model],
    *,
    saved_message: str,
    success_url: str | Callable[[Model], str],
    template: str,
    context: Mapping[str, Any] | None = None,
    refused_message: StrOrPromise | None = None,
) -> HttpResponse:
    """Saves a bound, valid ``form`` through ``save`` and redirects; otherwise renders the form.

    ``save`` gets the form's cleaned data and returns the saved record. ``success_url`` is a URL
    name taking the record's ``pk``, or a callable giving the URL for the record. ``template`` is
    rendered with ``form`` and ``context``. When ``refused_message`` is given, a
    ``PermissionDenied`` from the service becomes that error on the form instead of a 403: the
    viewer may edit, just not a record that would fall outside what they may see.
    """
    if form.is_bound and form.is_valid():
        data = dict(form.cleaned_data)
        # A form's own "reason" field (a review decision's) is its service's argument; the
        # mixin's is the reason for a change, for the audit log.
        reason = data.pop("reason", "") if isinstance(form, ChangeReasonMixin) else ""
        try:
            with change_reason(reason):
                record = save(data)
        except ValidationError as error:
            add_service_error(form, error)
        except PermissionDenied:
            if refused_message is None:
                raise
            form.add_error(None, refused_message)
        else:
            messages.success(request, saved_message)
            if callable(success_url):
                return redirect(success_url(record))
            return redirect(success_url, pk=record.pk)
    return render(request, template, {"form": form, **(context or {})})
