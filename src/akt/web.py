"""The one way a page saves a form: through its service, the same way on every page.

A bound, valid form's data goes to the service. A ``ValidationError`` the service raises lands on
the form's fields (or above them, when it names none), nothing is stored, and the page renders
again with the message beside the field; a saved record leads to its page with a "saved" message.
Kept here once so the create and update views stay a form, a service call and this.

A form with :class:`ChangeReasonMixin` carries the reason a person gives for a change; it goes
to the service's audit entry (:func:`akt.accounts.services.change_reason`). A record of an
approved reporting quarter changes only with one.

No lost update: a form that edits a stored record carries, in a hidden field, the record's
values as they were when the page was drawn. The save locks the row and compares; when someone
else saved the record meanwhile, nothing is stored and the page says which fields changed, what
they saved and what you entered (still on the form), with a way to start again from the
current record. Every edit page that saves through :func:`submit_form` gets this.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import ForeignObjectRel, Model
from django.forms import BaseForm, BaseModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from akt.accounts.models import AuditEntry
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


DRAWN_FIELD = "record_as_drawn"
"""The hidden field of an edit form: the record's values when the page was drawn (JSON)."""


class _Encoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        try:
            return super().default(o)
        except TypeError:
            return str(o)  # a file field's name, and the like


def edited_record(form: BaseForm) -> Model | None:
    """The stored record ``form`` edits, or None for a form that creates one (or no model)."""
    instance = getattr(form, "instance", None)
    if isinstance(form, BaseModelForm) and instance is not None and instance.pk is not None:
        return None if instance._state.adding else instance
    return None


def record_values(record: Model, names: Iterable[str]) -> dict[str, Any]:
    """``record``'s values of the named fields as JSON-ready values: related records by id,
    many-to-many ones as a sorted list of ids. Names that are no field of it are left out."""
    values: dict[str, Any] = {}
    for name in names:
        try:
            field = record._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if isinstance(field, ForeignObjectRel):
            continue
        if field.many_to_many:
            values[name] = sorted(getattr(record, name).values_list("pk", flat=True))
        else:
            values[name] = field.value_from_object(record)  # type: ignore[union-attr]
    return json.loads(json.dumps(values, cls=_Encoder))


def _draw_fingerprint(form: BaseForm, record: Model) -> None:
    """Adds the hidden field with the record's values as drawn (an unbound form's: now)."""
    form.fields[DRAWN_FIELD] = forms.CharField(
        widget=forms.HiddenInput,
        required=False,
        initial=json.dumps(record_values(record, form.fields), sort_keys=True),
    )


def _drawn(form: BaseForm) -> dict[str, Any] | None:
    text = form.data.get(form.add_prefix(DRAWN_FIELD)) if form.is_bound else None
    try:
        drawn = json.loads(text) if text else None
    except ValueError:
        return None
    return drawn if isinstance(drawn, dict) else None


@dataclass
class EditConflict(Exception):
    """The record changed since the edit page was drawn: nothing was saved."""

    current: Model
    fields: list[str]


def _refuse_stale(form: BaseForm, record: Model) -> None:
    """Locks ``record``'s row and raises :class:`EditConflict` when a field the form shows was
    saved differently since the page was drawn. Call inside the save's transaction."""
    drawn = _drawn(form)
    if drawn is None:
        return
    current = type(record)._default_manager.select_for_update().filter(pk=record.pk).first()
    if current is None:
        return  # gone: the service says so
    now = record_values(current, [name for name in form.fields if name in drawn])
    changed = [name for name, value in now.items() if drawn[name] != value]
    if changed:
        raise EditConflict(current=current, fields=changed)


def _shown(form: BaseForm, name: str, value: Any) -> str:
    """A value as a person reads it on the form: a choice's label, a record's name."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, Model):
        return str(value)
    if hasattr(value, "all") or isinstance(value, list | tuple | set):
        items = value.all() if hasattr(value, "all") else value
        return ", ".join(_shown(form, name, item) for item in items) or "—"
    choices = getattr(form.fields.get(name), "choices", None)
    if choices is not None and not hasattr(choices, "queryset"):
        labels: dict[str, Any] = {}
        for key, label in choices:
            if isinstance(label, list | tuple):
                labels.update({str(inner): text for inner, text in label})
            else:
                labels[str(key)] = label
        if str(value) in labels:
            return str(labels[str(value)])
    return str(formats.localize(value))


def _stored_value(record: Model, name: str) -> Any:
    if record._meta.get_field(name).many_to_many:
        return list(getattr(record, name).all())
    return getattr(record, name)


def _conflict_page(
    request: HttpRequest, form: BaseForm, conflict: EditConflict
) -> list[dict[str, str]]:
    """Puts the conflict on the form, above its fields, and returns its rows: each changed
    field with what the other person saved and what this one entered. The form keeps what was
    entered and now carries the record as it is, so saving again replaces the other person's
    values knowingly."""
    current = conflict.current
    rows = []
    for name in conflict.fields:
        field = form.fields[name]
        rows.append(
            {
                "field": str(field.label or name),
                "theirs": _shown(form, name, _stored_value(current, name)),
                "yours": _shown(form, name, form.cleaned_data.get(name)),
            }
        )
    last = (
        AuditEntry.objects.filter(target_type=current._meta.label_lower, target_id=str(current.pk))
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
    if last is not None and last.actor is not None:
        who = gettext("%(who)s saved this record on %(when)s, after you opened this page.") % {
            "who": conditional_escape(last.actor.get_full_name() or last.actor.get_username()),
            "when": conditional_escape(
                formats.date_format(timezone.localtime(last.at), "DATETIME_FORMAT")
            ),
        }
    else:
        who = conditional_escape(
            gettext("Someone else saved this record after you opened this page.")
        )
    nothing_saved = gettext(
        "Nothing of yours was saved. What you entered is still below; saving again replaces "
        "their values with yours."
    )
    # Every value put into these messages is escaped; the messages are shown as written.
    shown = [mark_safe(f"{who} {conditional_escape(nothing_saved)}")]
    for row in rows:
        shown.append(
            mark_safe(
                gettext("%(field)s: they saved “%(theirs)s”; you entered “%(yours)s”.")
                % {key: conditional_escape(value) for key, value in row.items()}
            )
        )
    shown.append(
        format_html(
            '<a href="{}">{}</a>', request.path, gettext("Start again from the current record")
        )
    )
    form.add_error(None, ValidationError(shown, code="conflict"))
    data = form.data.copy()  # type: ignore[attr-defined]  # a bound form's QueryDict
    data[form.add_prefix(DRAWN_FIELD)] = json.dumps(
        record_values(current, form.fields), sort_keys=True
    )
    form.data = data
    return rows


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
    edited = edited_record(form)
    if edited is not None:
        _draw_fingerprint(form, edited)
    conflict_rows: list[dict[str, str]] = []
    if form.is_bound and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop(DRAWN_FIELD, None)
        # A form's own "reason" field (a review decision's) is its service's argument; the
        # mixin's is the reason for a change, for the audit log.
        reason = data.pop("reason", "") if isinstance(form, ChangeReasonMixin) else ""
        try:
            # An edit checks and saves in one transaction, the row locked in between.
            with transaction.atomic() if edited is not None else nullcontext():
                if edited is not None:
                    _refuse_stale(form, edited)
                with change_reason(reason):
                    record = save(data)
        except EditConflict as conflict:
            conflict_rows = _conflict_page(request, form, conflict)
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
    response = render(
        request, template, {"form": form, "conflict": conflict_rows, **(context or {})}
    )
    if conflict_rows:
        response.status_code = 409  # the record changed meanwhile: a conflict, not an error
    return response
