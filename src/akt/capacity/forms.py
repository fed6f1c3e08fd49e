"""Forms for capacity development plans, built for one viewer's scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from akt.accounts.scope import Scope
from akt.capacity.models import CapacityDevelopmentPlan, PlanStatus
from akt.forms import DateInput, ScopedFilterForm, limit_to_scope
from akt.void_pages import VoidedFilterMixin
from akt.web import ChangeReasonMixin


class PlanForm(ChangeReasonMixin, forms.ModelForm):
    class Meta:
        model = CapacityDevelopmentPlan
        fields = ["municipality", "title", "status", "adopted_on", "period_start", "period_end"]
        widgets = {
            "adopted_on": DateInput(),
            "period_start": DateInput(),
            "period_end": DateInput(),
        }

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_to_scope(self, scope)

    def clean(self) -> dict[str, Any]:
        """The model's own checks, each reported on the field a person would correct."""
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period end must not be before its start."))
        if cleaned.get("status") == PlanStatus.ADOPTED and not cleaned.get("adopted_on"):
            self.add_error("adopted_on", _("An adopted plan needs its adoption date."))
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
