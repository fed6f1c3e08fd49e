"""Forms of the review and merge pages: the reason a person gives for a decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DecisionForm(forms.Form):
    """Linking or keeping apart a pair under review; the reason is needed only when the records
    attended activities of an approved reporting quarter (the service says so)."""

    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Needed when the records attended activities of an approved reporting quarter; kept "
            "in the audit log."
        ),
    )


class SplitForm(forms.Form):
    """Splitting a merge: the reason is required, since it undoes someone's decision."""

    reason = forms.CharField(
        label=_("Why are these records different people?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ClusterDecisionForm(DecisionForm):
    """Linking or keeping apart a whole cluster: the pairs shown travel with the answer, so a
    cluster that changed meanwhile is refused rather than decided unseen."""

    pairs = forms.CharField(widget=forms.HiddenInput, max_length=20000)

    def clean_pairs(self) -> list[int]:
        text = self.cleaned_data["pairs"]
        try:
            return sorted({int(item) for item in text.split(",") if item.strip()})
        except ValueError:
            raise forms.ValidationError(
                _("This group of pairs changed since it was shown; look at it again.")
            ) from None
