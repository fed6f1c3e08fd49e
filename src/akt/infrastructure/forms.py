"""Forms for small infrastructure projects, built for one viewer's scope."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from akt.accounts.scope import Scope
from akt.forms import DateInput, ScopedFilterForm, limit_to_scope
from akt.infrastructure.models import InfrastructureProject, ProjectStatus
from akt.program.models import Component
from akt.void_pages import VoidedFilterMixin
from akt.web import ChangeReasonMixin


class ProjectForm(ChangeReasonMixin, forms.ModelForm):
    class Meta:
        model = InfrastructureProject
        fields = [
            "code",
            "title",
            "component",
            "municipality",
            "status",
            "start_date",
            "completion_date",
            "currency",
            "program_contribution",
            "municipal_contribution",
        ]
        widgets = {"start_date": DateInput(), "completion_date": DateInput()}

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_to_scope(self, scope)
        for name in ("program_contribution", "municipal_contribution"):
            self.fields[name].widget.attrs["min"] = 0

    def clean_program_contribution(self) -> Decimal | None:
        return _not_negative(self.cleaned_data["program_contribution"])

    def clean_municipal_contribution(self) -> Decimal | None:
        return _not_negative(self.cleaned_data["municipal_contribution"])

    def clean(self) -> dict[str, Any]:
        """The model's own checks, each reported on the field a person would correct."""
        super().clean()
        cleaned = self.cleaned_data
        start, completion = cleaned.get("start_date"), cleaned.get("completion_date")
        if start and completion and completion < start:
            self.add_error(
                "completion_date", _("The completion date must not be before the start.")
            )
        elif cleaned.get("status") == ProjectStatus.COMPLETED and not completion:
            self.add_error("completion_date", _("A completed project needs its completion date."))
        return cleaned


def _not_negative(value: Decimal | None) -> Decimal | None:
    if value is not None and value < 0:
        raise forms.ValidationError(_("Contributions cannot be negative."), code="min_value")
    return value


class ProjectFilterForm(VoidedFilterMixin, ScopedFilterForm):
    q = forms.CharField(label=_("Code or title"), required=False)
    component = forms.ModelChoiceField(
        label=_("Component"),
        queryset=Component.objects.all(),
        required=False,
        empty_label=_("All components"),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *ProjectStatus.choices], required=False
    )

    field_order = ["q", "municipality", "component", "status", "voided"]

    def filter(self, projects: QuerySet[InfrastructureProject]) -> QuerySet[InfrastructureProject]:
        if not self.is_valid():
            return projects
        data = self.cleaned_data
        if data["q"]:
            text = data["q"].strip()
            projects = projects.filter(Q(code__icontains=text) | Q(title__icontains=text))
        for name in ("municipality", "component", "status"):
            if data[name]:
                projects = projects.filter(**{name: data[name]})
        return projects
