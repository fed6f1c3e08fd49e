"""Forms for capacity development plans, their actions and capacity assessments, built for one
viewer's scope. The rules live in the services; a form puts a problem beside its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from akt.accounts.scope import Scope
from akt.capacity.models import (
    CapacityArea,
    CapacityAssessment,
    CapacityDevelopmentPlan,
    PlanAction,
    PlanStatus,
)
from akt.capacity.progress import HIGHEST_SCORE, LOWEST_SCORE
from akt.capacity.services import action_date_problems, evidence_missing, score_missing
from akt.forms import DateInput, ScopedFilterForm, form_field, limit_to_scope
from akt.places.models import Municipality
from akt.void_pages import VoidedFilterMixin
from akt.web import ChangeReasonMixin


class PlanForm(ChangeReasonMixin, forms.ModelForm):
    """A plan's municipality, title and period; once adopted, its adoption date and decision
    too (a draft is adopted on its own page, :class:`PlanAdoptForm`)."""

    class Meta:
        model = CapacityDevelopmentPlan
        fields = [
            "municipality",
            "title",
            "period_start",
            "period_end",
            "adopted_on",
            "decision_reference",
        ]
        widgets = {
            "adopted_on": DateInput(),
            "period_start": DateInput(),
            "period_end": DateInput(),
        }

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_to_scope(self, scope)
        if self.instance.status != PlanStatus.ADOPTED:
            del self.fields["adopted_on"]
            del self.fields["decision_reference"]
        else:
            self.fields["adopted_on"].required = True

    def clean(self) -> dict[str, Any]:
        """The model's own checks, each reported on the field a person would correct."""
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period end must not be before its start."))
        municipality = cleaned.get("municipality")
        if municipality and start:
            same = CapacityDevelopmentPlan.objects.filter(
                municipality=municipality, period_start=start
            )
            if self.instance.pk:
                same = same.exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error(
                    "period_start",
                    _("This municipality already has a plan starting on this date."),
                )
        return cleaned


class PlanAdoptForm(ChangeReasonMixin, forms.Form):
    adopted_on = forms.DateField(
        label=_("Adopted on"),
        widget=DateInput(),
        help_text=_("The day the municipal assembly adopted the plan."),
    )
    decision_reference = forms.CharField(
        label=_("Assembly decision"),
        max_length=100,
        help_text=_("The number of the municipal assembly's decision adopting the plan."),
    )


class PlanFilterForm(VoidedFilterMixin, ScopedFilterForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *PlanStatus.choices], required=False
    )

    field_order = ["municipality", "status", "voided"]

    def filter(self, plans: QuerySet[CapacityDevelopmentPlan]) -> QuerySet[CapacityDevelopmentPlan]:
        if not self.is_valid():
            return plans
        for name in ("municipality", "status"):
            if self.cleaned_data[name]:
                plans = plans.filter(**{name: self.cleaned_data[name]})
        return plans


class PlanActionForm(ChangeReasonMixin, forms.ModelForm):
    class Meta:
        model = PlanAction
        fields = ["title", "capacity_area", "owner", "due_date", "status", "completed_on"]
        widgets = {"due_date": DateInput(), "completed_on": DateInput()}
        help_texts = {"completed_on": _("Needed when the action is done.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = form_field(self, "capacity_area", forms.ModelChoiceField)
        area.queryset = CapacityArea.objects.all()
        area.required = True

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if "status" in cleaned and "completed_on" in cleaned:
            for field, problem in action_date_problems(
                cleaned["status"], cleaned["completed_on"]
            ).items():
                self.add_error(field, problem)
        return cleaned


def score_field(area: CapacityArea) -> forms.IntegerField:
    """An area's score: a whole number on the scale (the service says so, naming the area)."""
    return forms.IntegerField(
        label=pgettext_lazy("capacity assessment", "Score"),
        help_text=_("From 1 (absent) to 5 (advanced)."),
        widget=forms.NumberInput(attrs={"min": LOWEST_SCORE, "max": HIGHEST_SCORE, "step": 1}),
        error_messages={"required": score_missing(area), "invalid": score_missing(area)},
    )


def evidence_field(area: CapacityArea) -> forms.CharField:
    return forms.CharField(
        label=_("Evidence"),
        help_text=_("What the score rests on: documents, practice seen, figures."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": evidence_missing(area)},
    )


class AssessmentForm(ChangeReasonMixin, forms.Form):
    """An assessment of one municipality: when, by whom, how, for which plan, and every capacity
    area's score with its evidence (fields ``score_<code>`` and ``evidence_<code>``)."""

    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput())
    assessed_by = forms.CharField(
        label=_("Assessed by"),
        max_length=200,
        help_text=_("Who carried out the assessment: the team, the people or the organization."),
    )
    method = forms.CharField(
        label=_("Method"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "How the assessment was made: interviews, documents reviewed, a self-assessment "
            "workshop, ..."
        ),
    )
    plan = forms.ModelChoiceField(
        label=_("Plan"),
        queryset=CapacityDevelopmentPlan.objects.none(),
        required=False,
        empty_label=_("No plan"),
        help_text=_("The capacity development plan this assessment informs or reviews, if any."),
    )

    def __init__(
        self,
        *args: Any,
        municipality: Municipality,
        areas: list[CapacityArea],
        assessment: CapacityAssessment | None = None,
        **kwargs: Any,
    ) -> None:
        if assessment is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_of(assessment)
        super().__init__(*args, **kwargs)
        self.areas = areas
        form_field(
            self, "plan", forms.ModelChoiceField
        ).queryset = CapacityDevelopmentPlan.objects.counted().filter(municipality=municipality)
        for area in areas:
            self.fields[f"score_{area.code}"] = score_field(area)
            self.fields[f"evidence_{area.code}"] = evidence_field(area)

    @staticmethod
    def initial_of(assessment: CapacityAssessment) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "assessed_on": assessment.assessed_on,
            "assessed_by": assessment.assessed_by,
            "method": assessment.method,
            "plan": assessment.plan_id,
        }
        for row in assessment.scores.select_related("area"):
            initial[f"score_{row.area.code}"] = row.score
            initial[f"evidence_{row.area.code}"] = row.evidence
        return initial

    def header_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("assessed_on", "assessed_by", "method", "plan")]

    def area_fields(self) -> list[tuple[CapacityArea, forms.BoundField, forms.BoundField]]:
        return [
            (area, self[f"score_{area.code}"], self[f"evidence_{area.code}"]) for area in self.areas
        ]

    def values(self) -> dict[str, Any]:
        """The cleaned data as the assessment services take it: the fields, then ``scores``
        and ``evidence`` by area code."""
        cleaned = self.cleaned_data
        return {
            "assessed_on": cleaned["assessed_on"],
            "assessed_by": cleaned["assessed_by"],
            "method": cleaned["method"],
            "plan": cleaned["plan"],
            "scores": {area.code: cleaned[f"score_{area.code}"] for area in self.areas},
            "evidence": {area.code: cleaned[f"evidence_{area.code}"] for area in self.areas},
        }
