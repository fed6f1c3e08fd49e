"""Forms for what follows an award: tranches, their payment, monitoring visits and follow-ups."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from akt.forms import DateInput
from akt.grants.models import GrantOutcome, MonitoringVisit, Tranche
from akt.people.models import Sex
from akt.places.models import Community
from akt.web import ChangeReasonMixin


class TrancheForm(forms.ModelForm):
    class Meta:
        model = Tranche
        fields = ["milestone", "planned_amount", "due_on"]
        widgets = {"due_on": DateInput()}
        help_texts = {"milestone": _("What the recipient must have reached for this payment.")}


class TranchePayForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput(), initial=date.today)
    paid_amount = forms.DecimalField(
        label=_("Amount paid"),
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=0,
        help_text=_("Empty: the planned amount."),
    )


class VisitForm(forms.ModelForm):
    class Meta:
        model = MonitoringVisit
        fields = ["visited_on", "visitor", "findings", "follow_up_needed", "follow_up"]
        widgets = {
            "visited_on": DateInput(),
            "findings": forms.Textarea(attrs={"rows": 4}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"visitor": _("Who visited: a name, or several.")}


UNKNOWN = "unknown"


class OutcomeForm(ChangeReasonMixin, forms.ModelForm):
    """A follow-up, with its jobs created as a grid of sex (columns) by community (rows)."""

    class Meta:
        model = GrantOutcome
        fields = ["reported_on", "sales_amount", "sales_currency", "new_products"]
        widgets = {
            "reported_on": DateInput(),
            "new_products": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sexes: list[tuple[str, Any]] = [*Sex.choices, ("", _("Sex unknown"))]
        self.communities: list[Community | None] = [
            *Community.objects.order_by("sort_order", "code"),
            None,
        ]
        stored = (
            {(cell.sex, cell.community_id): cell.count for cell in self.instance.jobs.all()}
            if self.instance.pk
            else {}
        )
        for community in self.communities:
            for sex, _label in self.sexes:
                key = (sex, community.pk if community is not None else None)
                self.fields[self._name(sex, community)] = forms.IntegerField(
                    required=False,
                    min_value=0,
                    max_value=100000,
                    initial=stored.get(key),
                    widget=forms.NumberInput(attrs={"class": "count"}),
                )

    @staticmethod
    def _name(sex: str, community: Community | None) -> str:
        return f"jobs_{sex or UNKNOWN}_{community.pk if community is not None else UNKNOWN}"

    def grid(self) -> list[tuple[str, list[tuple[str, forms.BoundField]]]]:
        """Rows of (community label, [(sex label, field)] per sex) for the page."""
        return [
            (
                str(community.name) if community is not None else str(_("Community unknown")),
                [(str(label), self[self._name(sex, community)]) for sex, label in self.sexes],
            )
            for community in self.communities
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["jobs"] = {
            (sex, community): cleaned.get(self._name(sex, community)) or 0
            for community in self.communities
            for sex, _label in self.sexes
        }
        return cleaned

    def service_data(self) -> dict[str, Any]:
        """What the outcome services take: the model fields and ``jobs``."""
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        data["sales_currency"] = data["sales_currency"] or ""
        data["new_products"] = data["new_products"] or ""
        data["jobs"] = self.cleaned_data["jobs"]
        return data
