"""The audit log page: every change by everyone, for administrators to browse and filter.

One page (``/audit/``, URL name ``audit:log``), filtered by who, action, record type, record,
dates and text, fifty entries a page. Each entry shows its before and after values in words:
field names as the model names them, a related record by its name, a choice by its label; the
record type by the model's name, linked to the record's page where it has one and still exists.
Administrators only (:func:`akt.accounts.scope.may_read_audit_log`); anyone else gets 403.

The log also answers "what happened to this record": ``?record_type=people.person&record_id=7``
is that record's history.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from akt.accounts.models import AuditEntry, User
from akt.accounts.scope import may_read_audit_log

PAGE_SIZE = 50

RECORD_PAGES: dict[str, tuple[str, str]] = {
    "people.person": ("people:person_detail", "pk"),
    "people.organization": ("people:organization_detail", "pk"),
    "activities.activity": ("activities:detail", "pk"),
    "activities.attendance": ("activities:detail", "activity_id"),
    "activities.tally": ("activities:detail", "activity_id"),
    "grants.grant": ("grants:detail", "pk"),
    "grants.tranche": ("grants:detail", "grant_id"),
    "grants.monitoringvisit": ("grants:detail", "grant_id"),
    "grants.grantoutcome": ("grants:detail", "grant_id"),
    "grants.call": ("grants:call_detail", "pk"),
    "grants.application": ("grants:application_detail", "pk"),
    "capacity.capacitydevelopmentplan": ("capacity:detail", "pk"),
    "capacity.planaction": ("capacity:detail", "plan_id"),
    "infrastructure.infrastructureproject": ("infrastructure:detail", "pk"),
    "infrastructure.projectspending": ("infrastructure:detail", "project_id"),
    "infrastructure.projectmilestone": ("infrastructure:detail", "project_id"),
    "reports.successstory": ("reports:story", "pk"),
    "intake.importbatch": ("intake:batch_detail", "pk"),
    "accounts.user": ("admin:accounts_user_change", "pk"),
}
"""Record types with a page: the URL name and the field holding the key it takes (a roster row
opens on its activity's page). Named by label: the apps sit above this one."""

ACTION_VERBS = {
    "create": pgettext_lazy("audit action", "created"),
    "update": pgettext_lazy("audit action", "changed"),
    "delete": pgettext_lazy("audit action", "deleted"),
    "void": pgettext_lazy("audit action", "voided"),
    "restore": pgettext_lazy("audit action", "restored"),
    "add": pgettext_lazy("audit action", "added"),
    "remove": pgettext_lazy("audit action", "removed"),
    "merge": pgettext_lazy("audit action", "merged"),
    "split": pgettext_lazy("audit action", "split"),
    "decide": pgettext_lazy("audit action", "decided"),
    "import": pgettext_lazy("audit action", "imported"),
    "commit": pgettext_lazy("audit action", "imported"),
    "rollback": pgettext_lazy("audit action", "rolled back"),
    "approve": pgettext_lazy("audit action", "approved"),
    "submit": pgettext_lazy("audit action", "submitted"),
    "return": pgettext_lazy("audit action", "returned"),
    "export": pgettext_lazy("audit action", "exported"),
    "erase": pgettext_lazy("audit action", "erased"),
    "purge": pgettext_lazy("audit action", "purged"),
    "record": pgettext_lazy("audit action", "recorded"),
    "set": pgettext_lazy("audit action", "set"),
    "cancel": pgettext_lazy("audit action", "cancelled"),
    "abandon": pgettext_lazy("audit action", "abandoned"),
    "pay": pgettext_lazy("audit action", "paid"),
    "write": pgettext_lazy("audit action", "written"),
    "adopt": pgettext_lazy("audit action", "adopted"),
}
"""How an action reads, by the verb its name ends with (``person_update``: changed)."""


def action_shown(action: str) -> str:
    verb = ACTION_VERBS.get(action.rsplit("_", 1)[-1])
    return str(verb) if verb is not None else action.replace("_", " ")


def model_of(target_type: str) -> type[Model] | None:
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


def type_shown(target_type: str) -> str:
    model = model_of(target_type)
    return capfirst(str(model._meta.verbose_name)) if model is not None else target_type


class DayInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    """The log's filters; every one optional, each narrowing the entries."""

    who = forms.ModelChoiceField(
        label=_("Who"), queryset=User.objects.order_by("username"), required=False
    )
    action = forms.ChoiceField(label=_("Action"), required=False)
    record_type = forms.ChoiceField(label=_("Record type"), required=False)
    record_id = forms.CharField(label=_("Record number"), required=False, max_length=64)
    date_from = forms.DateField(label=_("From"), required=False, widget=DayInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DayInput())
    text = forms.CharField(label=_("Text"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actions = AuditEntry.objects.order_by("action").values_list("action", flat=True)
        self.fields["action"].choices = [("", _("Any action"))] + [  # type: ignore[attr-defined]
            (action, f"{action_shown(action)} ({action})") for action in actions.distinct()
        ]
        types = AuditEntry.objects.order_by("target_type").values_list("target_type", flat=True)
        self.fields["record_type"].choices = [("", _("Any record type"))] + sorted(  # type: ignore[attr-defined]
            ((kind, type_shown(kind)) for kind in types.distinct()), key=lambda item: item[1]
        )

    def filter(self, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        if not self.is_valid():
            return entries.none()
        data = self.cleaned_data
        if data["who"] is not None:
            entries = entries.filter(actor=data["who"])
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["record_type"]:
            entries = entries.filter(target_type=data["record_type"])
        if data["record_id"]:
            entries = entries.filter(target_id=data["record_id"].strip())
        zone = timezone.get_current_timezone()
        if data["date_from"] is not None:
            start = dt.datetime.combine(data["date_from"], dt.time.min, tzinfo=zone)
            entries = entries.filter(at__gte=start)
        if data["date_to"] is not None:
            end = dt.datetime.combine(data["date_to"] + dt.timedelta(days=1), dt.time.min, zone)
            entries = entries.filter(at__lt=end)
        if data["text"]:
            text = data["text"].strip()
            entries = entries.filter(
                Q(summary__icontains=text)
                | Q(reason__icontains=text)
                | Q(action__icontains=text)
                | Q(target_id=text)
                | Q(actor__username__icontains=text)
            )
        return entries


@dataclass
class Change:
    field: str
    before: str | None
    after: str
    both: bool
    """Whether this is a change (before and after) rather than a value recorded."""


@dataclass
class EntryShown:
    entry: AuditEntry
    action: str
    record_type: str
    url: str | None
    changes: list[Change] = field(default_factory=list)
    approved_periods: list[str] = field(default_factory=list)


def _is_change(action: str, value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and not action.endswith(("_create", "_add", "_import", "_commit"))
    )


def _plain(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


class _Names:
    """Related records named in a page of entries, fetched once per model."""

    def __init__(self) -> None:
        self.wanted: dict[type[Model], set[Any]] = defaultdict(set)
        self.found: dict[type[Model], dict[Any, Model]] = {}

    def want(self, model: type[Model], value: Any) -> None:
        # Only what can be the model's key: an entry may hold other values beside an id (a
        # merge names its survivor by id and identifier).
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, int | str) and item != "":
                try:
                    self.wanted[model].add(model._meta.pk.to_python(item))
                except ValidationError:
                    continue

    def fetch(self) -> None:
        for model, keys in self.wanted.items():
            self.found[model] = model._default_manager.in_bulk(list(keys))

    def name(self, model: type[Model], value: Any) -> str:
        if isinstance(value, list):
            return ", ".join(self.name(model, item) for item in value) or "—"
        try:
            key = model._meta.pk.to_python(value)
        except ValidationError:
            return _plain(value)
        record = self.found.get(model, {}).get(key)
        return str(record) if record is not None else _plain(value)


def _field(model: type[Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _value_shown(model_field: Any, value: Any, names: _Names) -> str:
    if model_field is None:
        return _plain(value)
    if model_field.is_relation and model_field.related_model is not None:
        if isinstance(value, int | str | list) and value not in ("", None):
            return names.name(model_field.related_model, value)
        return _plain(value)
    if getattr(model_field, "choices", None):
        labels = {str(key): label for key, label in model_field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    return _plain(value)


def _links(entries: Iterable[AuditEntry]) -> dict[tuple[str, str], str]:
    """The page of each entry's record where it has one and the record still exists."""
    keys: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        if entry.target_type in RECORD_PAGES:
            keys[entry.target_type].add(entry.target_id)
    links: dict[tuple[str, str], str] = {}
    for target_type, ids in keys.items():
        model = model_of(target_type)
        url_name, key = RECORD_PAGES[target_type]
        if model is None:
            continue
        wanted = [int(pk) for pk in ids if pk.isdigit()]
        for pk, page_key in model._default_manager.filter(pk__in=wanted).values_list("pk", key):
            try:
                links[(target_type, str(pk))] = reverse(url_name, args=[page_key])
            except NoReverseMatch:
                continue
    return links


def entries_shown(entries: list[AuditEntry]) -> list[EntryShown]:
    """The entries of one page, readable: a few queries for the page, not one per entry."""
    names = _Names()
    for entry in entries:
        model = model_of(entry.target_type)
        for name, value in (entry.changes or {}).items():
            model_field = _field(model, name)
            if model_field is not None and model_field.is_relation and model_field.related_model:
                if _is_change(entry.action, value):
                    for side in value:
                        names.want(model_field.related_model, side)
                else:
                    names.want(model_field.related_model, value)
    names.fetch()
    links = _links(entries)
    shown = []
    for entry in entries:
        model = model_of(entry.target_type)
        row = EntryShown(
            entry=entry,
            action=action_shown(entry.action),
            record_type=type_shown(entry.target_type),
            url=links.get((entry.target_type, entry.target_id)),
        )
        for name, value in (entry.changes or {}).items():
            if name == "approved_periods" and isinstance(value, list):
                row.approved_periods = [str(key) for key in value]
                continue
            model_field = _field(model, name)
            label = (
                capfirst(str(model_field.verbose_name))
                if model_field is not None and hasattr(model_field, "verbose_name")
                else capfirst(name.replace("_", " "))
            )
            if _is_change(entry.action, value):
                before, after = value
                row.changes.append(
                    Change(
                        label,
                        _value_shown(model_field, before, names),
                        _value_shown(model_field, after, names),
                        both=True,
                    )
                )
            else:
                row.changes.append(
                    Change(label, None, _value_shown(model_field, value, names), both=False)
                )
        shown.append(row)
    return shown


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    if not may_read_audit_log(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    entries = AuditEntry.objects.select_related("actor").order_by("-at", "-pk")
    if form.is_bound:
        entries = form.filter(entries)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "rows": entries_shown(list(page.object_list))},
    )
