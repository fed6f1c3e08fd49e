"""Forms for calls for applications, applications, eligibility and award decisions, each built
for one viewer's scope (and one call)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from akt.accounts.models import User
from akt.accounts.scope import Scope
from akt.forms import DateInput, form_field, limit_to_scope, municipalities
from akt.grants.call_services import APPLYING_KINDS, CriterionInput
from akt.grants.models import Application, Call, Currency, Grant
from akt.people.models import Organization, Sector, Sex
from akt.places.models import Community
from akt.web import ChangeReasonMixin


class CommitteeField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.username})" if name else obj.username


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=200)
    weight = forms.DecimalField(
        label=_("Weight"), max_digits=5, decimal_places=2, min_value=Decimal("0.01")
    )
    max_score = forms.IntegerField(label=_("Maximum score"), min_value=1, max_value=1000)


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2, can_delete=True)


class CallForm(forms.ModelForm):
    """A call and, below it, its evaluation criteria (a formset validated with the form, so one
    save writes both)."""

    sectors = forms.MultipleChoiceField(
        label=_("Sectors"), choices=Sector.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Call
        fields = [
            "reference",
            "title",
            "component",
            "description",
            "sectors",
            "municipalities",
            "budget",
            "currency",
            "opens_on",
            "deadline",
            "status",
            "committee",
        ]
        widgets = {
            "opens_on": DateInput(),
            "deadline": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "municipalities": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_to_scope(self, scope)
        places = form_field(self, "municipalities", forms.ModelMultipleChoiceField)
        places.queryset = municipalities().filter(is_partner=True)
        self.fields["committee"] = CommitteeField(
            label=_("Evaluation committee"),
            queryset=User.objects.filter(is_active=True).order_by("username"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("The members who score the applications."),
        )
        initial = [
            {"name": c.name, "weight": c.weight, "max_score": c.max_score}
            for c in (self.instance.criteria.all() if self.instance.pk else [])
        ]
        self.criteria = CriterionFormSet(
            self.data if self.is_bound else None,
            prefix="criteria",
            initial=initial or None,
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.criteria.is_valid():
            raise forms.ValidationError(_("Correct the evaluation criteria below."))
        cleaned["criteria"] = [
            CriterionInput(
                name=row["name"].strip(), weight=row["weight"], max_score=row["max_score"]
            )
            for row in self.criteria.cleaned_data
            if row and not row.get("DELETE")
        ]
        return cleaned


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = [
            "applicant",
            "municipality",
            "sector",
            "received_on",
            "amount_requested",
            "cofinancing",
            "description",
            "owner_sex",
            "owner_birth_year",
            "owner_community",
        ]
        widgets = {
            "received_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        }
        help_texts = {
            "description": _("What the grant would pay for and what it would change; a few lines."),
            "owner_sex": _("Ask the owner; leave empty if not answered."),
            "owner_birth_year": _("Ask the owner; leave empty if not answered."),
        }

    def __init__(self, *args: Any, scope: Scope, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.call = call
        limit_to_scope(self, scope)
        place = form_field(self, "municipality", forms.ModelChoiceField)
        places = municipalities().filter(pk__in=call.municipalities.all())
        if scope.municipality_id is not None:
            places = places.filter(pk=scope.municipality_id)
        place.queryset = places
        applicants = scope.organizations(
            Organization.objects.filter(kind__in=sorted(APPLYING_KINDS))
        ).filter(Q(municipality__in=call.municipalities.all()))
        form_field(self, "applicant", forms.ModelChoiceField).queryset = applicants.order_by(
            "name", "id"
        )
        labels = dict(Sector.choices)
        form_field(self, "sector", forms.ChoiceField).choices = [
            ("", "---------"),
            *[(value, labels[value]) for value in call.sectors if value in labels],
        ]
        form_field(self, "owner_sex", forms.ChoiceField).choices = [
            ("", _("Not answered")),
            *Sex.choices,
        ]
        community = form_field(self, "owner_community", forms.ModelChoiceField)
        community.queryset = Community.objects.order_by("sort_order", "code")
        community.empty_label = _("Not answered")
        self.fields["amount_requested"].help_text = _("In %(currency)s, the call's currency.") % {
            "currency": call.currency
        }

    def clean_description(self) -> str:
        text = (self.cleaned_data.get("description") or "").strip()
        if len(text) > 2000:
            raise forms.ValidationError(_("Keep the description under 2,000 characters."))
        return text


class ApplicationUpdateForm(ChangeReasonMixin, ApplicationForm):
    """Correcting an application: an awarded one counts in the grant shares of its award's
    quarter, which changes only with a reason once approved."""


ELIGIBLE, INELIGIBLE = "eligible", "ineligible"


class EligibilityForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ELIGIBLE, _("Eligible")), (INELIGIBLE, _("Ineligible"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why it is ineligible"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed for an ineligible application; the applicant may be told."),
    )


AWARD, REJECT = "award", "reject"


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(AWARD, _("Award a grant")), (REJECT, _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for the decision"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DateInput())
    reference = forms.CharField(
        label=_("Grant reference"),
        required=False,
        max_length=32,
        help_text=_("As on the grant agreement."),
    )
    amount = forms.DecimalField(
        label=_("Amount awarded"),
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text=_("May differ from the amount requested."),
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    usd_rate = forms.DecimalField(
        label=_("Exchange rate, US dollars per unit"),
        required=False,
        max_digits=12,
        decimal_places=6,
        help_text=_(
            "Only for an award in another currency whose rate is not the table's. Empty: the "
            "latest rate on or before the award date is taken from the exchange rates."
        ),
    )
    rate_source = forms.CharField(label=_("Source of the rate"), required=False, max_length=120)
    grant = forms.ModelChoiceField(
        label=_("Or link a grant already recorded"),
        queryset=Grant.objects.none(),
        required=False,
        help_text=_("An award to this applicant entered before this decision."),
    )

    def __init__(self, *args: Any, application: Application, scope: Scope, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "decided_on": date.today(),
                "amount": application.amount_requested,
                "currency": application.call.currency,
                "reference": f"{application.call.reference}-{application.pk:03d}",
            },
        )
        super().__init__(*args, **kwargs)
        unlinked = scope.grants(
            Grant.objects.counted().filter(
                recipient_id=application.applicant_id, application__isnull=True
            )
        ).order_by("-award_date", "reference")
        field = form_field(self, "grant", forms.ModelChoiceField)
        field.queryset = unlinked
        if not unlinked.exists():
            del self.fields["grant"]
