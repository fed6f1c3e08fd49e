"""Forms for grants, built for one viewer's scope."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from akt.accounts.scope import Scope
from akt.forms import DateInput, ScopedFilterForm, form_field, limit_to_scope
from akt.grants.models import Currency, ExchangeRate, Grant
from akt.people.models import Organization, Sector
from akt.people.natural import name_filter
from akt.program.models import Component
from akt.void_pages import VoidedFilterMixin
from akt.web import ChangeReasonMixin


class GrantForm(ChangeReasonMixin, forms.ModelForm):
    class Meta:
        model = Grant
        fields = [
            "reference",
            "recipient",
            "component",
            "municipality",
            "sector",
            "amount",
            "currency",
            "award_date",
            "purpose",
        ]
        widgets = {"award_date": DateInput(), "purpose": forms.Textarea(attrs={"rows": 3})}

    usd_rate = forms.DecimalField(
        label=_("Exchange rate, US dollars per unit"),
        required=False,
        max_digits=12,
        decimal_places=6,
        help_text=_(
            "Only for a grant in another currency whose rate is not the table's. Empty: the "
            "latest rate on or before the award date is taken from the exchange rates."
        ),
    )
    rate_source = forms.CharField(
        label=_("Source of the rate"),
        required=False,
        max_length=120,
        help_text=_("Needed with a rate given here."),
    )

    field_order = [
        "reference",
        "recipient",
        "component",
        "municipality",
        "sector",
        "amount",
        "currency",
        "usd_rate",
        "rate_source",
        "award_date",
        "purpose",
    ]

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_to_scope(self, scope)
        form_field(self, "recipient", forms.ModelChoiceField).queryset = scope.organizations(
            Organization.objects.all()
        ).order_by("name", "id")

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("The amount must be more than zero."), code="min_value")
        return amount


class GrantFilterForm(VoidedFilterMixin, ScopedFilterForm):
    q = forms.CharField(label=_("Reference or recipient"), required=False)
    component = forms.ModelChoiceField(
        label=_("Component"),
        queryset=Component.objects.all(),
        required=False,
        empty_label=_("All components"),
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("All sectors")), *Sector.choices], required=False
    )

    field_order = ["q", "municipality", "component", "sector", "voided"]

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, scope=scope, **kwargs)
        self.scope = scope

    def filter(self, grants: QuerySet[Grant]) -> QuerySet[Grant]:
        if not self.is_valid():
            return grants
        data = self.cleaned_data
        if data["q"]:
            text = data["q"].strip()
            # A natural person's name finds nothing for those who do not see persons.
            grants = grants.filter(
                Q(reference__icontains=text) | name_filter(text, self.scope, prefix="recipient__")
            )
        for name in ("municipality", "component", "sector"):
            if data[name]:
                grants = grants.filter(**{name: data[name]})
        return grants


class ExchangeRateForm(forms.ModelForm):
    class Meta:
        model = ExchangeRate
        fields = ["currency", "on", "usd_per_unit", "source"]
        widgets = {"on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        currency = form_field(self, "currency", forms.ChoiceField)
        currency.choices = [(value, label) for value, label in Currency.choices if value != "USD"]


class RatesApplyForm(ChangeReasonMixin, forms.Form):
    """Gives the grants lacking a rate the table's; a grant of an approved quarter changes only
    with the reason."""
