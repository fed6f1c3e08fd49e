"""The committee member's forms: the declaration of a conflict of interest, then the scores."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from akt.grants.models import Criterion
from akt.grants.scoring_services import ScoreInput

NO_CONFLICT, CONFLICT = "no", "yes"


class ConflictForm(forms.Form):
    declaration = forms.ChoiceField(
        label=_("Conflict of interest"),
        choices=[
            (NO_CONFLICT, _("I have no conflict of interest with this applicant.")),
            (CONFLICT, _("I have a conflict of interest with this applicant.")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("What the conflict is"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A relative, a business partner, a competitor: say which."),
    )


class ScoreForm(forms.Form):
    """A points field and a comment field per criterion of the call."""

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"points_{criterion.pk}"] = forms.IntegerField(
                label=criterion.name,
                min_value=0,
                max_value=criterion.max_score,
                help_text=_("From 0 to %(max)s; weight %(weight)s.")
                % {"max": criterion.max_score, "weight": format(criterion.weight.normalize(), "f")},
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": criterion.name},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple[Criterion, forms.BoundField, forms.BoundField]]:
        return [
            (criterion, self[f"points_{criterion.pk}"], self[f"comment_{criterion.pk}"])
            for criterion in self.criteria
        ]

    def scores(self) -> list[ScoreInput]:
        return [
            ScoreInput(
                criterion=criterion,
                points=self.cleaned_data[f"points_{criterion.pk}"],
                comment=self.cleaned_data.get(f"comment_{criterion.pk}", ""),
            )
            for criterion in self.criteria
        ]
