"""Forms for small infrastructure projects, built for one viewer's scope."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from akt.accounts.scope import Scope
from akt.forms import DateInput, ScopedFilterForm, form_field, limit_to_scope
from akt.infrastructure.models import (
    COORDINATE_PLACES,
    InfrastructureProject,
    MilestoneKind,
    ProjectMilestone,
    ProjectSpending,
    ProjectStatus,
)
from akt.places.models import Community
from akt.program.models import Component
from akt.text.locales import currency_symbol
from akt.void_pages import VoidedFilterMixin
from akt.web import ChangeReasonMixin

COORDINATE_STEP = Decimal(1).scaleb(-COORDINATE_PLACES)
CENT = Decimal("0.01")


class ProjectForm(ChangeReasonMixin, forms.ModelForm):
    class Meta:
        model = InfrastructureProject
        fields = [
            "code",
            "title",
            "component",
            "municipality",
            "communities",
            "selection_date",
            "selection_justification",
            "status",
            "start_date",
            "completion_date",
            "latitude",
            "longitude",
            "currency",
            "program_contribution",
            "municipal_contribution",
            "community_contribution",
            "community_contribution_kind",
        ]
        widgets = {
            "start_date": DateInput(),
            "completion_date": DateInput(),
            "selection_date": DateInput(),
            "communities": forms.CheckboxSelectMultiple(),
            "selection_justification": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_to_scope(self, scope)
        form_field(
            self, "communities", forms.ModelMultipleChoiceField
        ).queryset = Community.objects.filter(is_declared=True)
        for name in ("program_contribution", "municipal_contribution", "community_contribution"):
            self.fields[name].widget.attrs["min"] = 0
        # Blank is no community contribution (forms that predate it send none).
        self.fields["community_contribution"].required = False
        # A coordinate as a GPS gives it, however many decimals: rounded when saved.
        for name in ("latitude", "longitude"):
            modelled = self.fields[name]
            self.fields[name] = forms.DecimalField(
                label=modelled.label,
                help_text=modelled.help_text,
                required=False,
                widget=forms.NumberInput(attrs={"step": "any"}),
            )

    def clean_program_contribution(self) -> Decimal | None:
        return _not_negative(self.cleaned_data["program_contribution"])

    def clean_municipal_contribution(self) -> Decimal | None:
        return _not_negative(self.cleaned_data["municipal_contribution"])

    def clean_community_contribution(self) -> Decimal:
        value = _not_negative(self.cleaned_data["community_contribution"])
        return Decimal("0.00") if value is None else value

    def clean_latitude(self) -> Decimal | None:
        return _coordinate(self.cleaned_data["latitude"])

    def clean_longitude(self) -> Decimal | None:
        return _coordinate(self.cleaned_data["longitude"])

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
        selected = cleaned.get("selection_date")
        if start and selected and selected > start:
            self.add_error("selection_date", _("The selection date must not be after the start."))
        return cleaned


def _not_negative(value: Decimal | None) -> Decimal | None:
    """A contribution, not negative, in cents as it is stored (so "6000" and the stored
    "6000.00" are the same value, not a change)."""
    if value is None:
        return None
    if value < 0:
        raise forms.ValidationError(_("Contributions cannot be negative."), code="min_value")
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _coordinate(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(COORDINATE_STEP, rounding=ROUND_HALF_UP)


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


class SpendingForm(ChangeReasonMixin, forms.ModelForm):
    """A payment against the budget of ``instance.project``, in its currency."""

    class Meta:
        model = ProjectSpending
        fields = ["spent_on", "amount", "category", "paid_by", "note"]
        widgets = {"spent_on": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        amount = self.fields["amount"]
        amount.widget.attrs["min"] = "0.01"
        amount.label = _("Amount (%(currency)s)") % {
            "currency": currency_symbol(
                self.instance.project.currency, translation.get_language() or "en"
            )
        }

    def clean_amount(self) -> Decimal | None:
        value = self.cleaned_data["amount"]
        if value is not None and value <= 0:
            raise forms.ValidationError(_("The amount must be more than zero."), code="min_value")
        return value


class MilestoneForm(ChangeReasonMixin, forms.ModelForm):
    """One milestone of ``instance.project``: the kinds it does not have yet are offered."""

    class Meta:
        model = ProjectMilestone
        fields = ["kind", "planned_date", "actual_date", "note"]
        widgets = {
            "planned_date": DateInput(),
            "actual_date": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        milestone = self.instance
        taken = set(
            ProjectMilestone.objects.filter(project_id=milestone.project_id)
            .exclude(pk=milestone.pk)
            .values_list("kind", flat=True)
        )
        form_field(self, "kind", forms.ChoiceField).choices = [
            (value, label) for value, label in MilestoneKind.choices if value not in taken
        ]


class HandoverForm(ChangeReasonMixin, forms.ModelForm):
    """The handover of a completed project to a municipal department."""

    class Meta:
        model = InfrastructureProject
        fields = ["handover_date", "handed_over_to", "completion_certificate"]
        widgets = {"handover_date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handover_date"].required = True
        self.fields["handed_over_to"].required = True

    def clean(self) -> dict[str, Any]:
        super().clean()
        day, completed = self.cleaned_data.get("handover_date"), self.instance.completion_date
        if day and completed and day < completed:
            self.add_error(
                "handover_date", _("The handover date must not be before the completion date.")
            )
        return self.cleaned_data
