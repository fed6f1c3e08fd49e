"""The form a success story is written in: its quarter, its texts in each language, the records
it tells of (chosen among the writer's own), the photo's consent and whether it is ready."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from akt.accounts.scope import Scope
from akt.activities.models import Activity
from akt.counting.periods import Period, PeriodKind
from akt.grants.models import Grant
from akt.reports import stories
from akt.reports.models import SuccessStory
from akt.translation import period_label


class RecordsField(forms.ModelMultipleChoiceField):
    """Records named so a writer finds the one the story tells of: with their municipality."""

    def label_from_instance(self, obj: Any) -> str:
        municipality = obj.municipality.name
        if isinstance(obj, Activity):  # when it was held
            return f"{obj.start_date:%Y-%m-%d} · {obj.title} · {municipality}"
        if isinstance(obj, Grant):  # its reference and recipient
            return f"{obj.reference} · {obj.recipient.name} · {municipality}"
        return f"{obj} · {municipality}"


RECORD_LABELS = {
    "activities": _("Activities"),
    "grants": _("Grants"),
    "projects": _("Infrastructure projects"),
    "plans": _("Capacity development plans"),
}


def _languages(code: str) -> dict[str, str]:
    return {"lang": code}


class StoryForm(forms.ModelForm):
    period = forms.ChoiceField(label=_("Reported in"))
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    class Meta:
        model = SuccessStory
        fields = [
            "title_en",
            "text_en",
            "title_sq",
            "text_sq",
            "title_sr_latn",
            "text_sr_latn",
            "activities",
            "grants",
            "projects",
            "plans",
            "status",
            "photo_consent",
        ]
        widgets = {
            "title_en": forms.TextInput(attrs=_languages("en")),
            "title_sq": forms.TextInput(attrs=_languages("sq")),
            "title_sr_latn": forms.TextInput(attrs=_languages("sr-Latn")),
            "text_en": forms.Textarea(attrs={"rows": 8, **_languages("en")}),
            "text_sq": forms.Textarea(attrs={"rows": 8, **_languages("sq")}),
            "text_sr_latn": forms.Textarea(attrs={"rows": 8, **_languages("sr-Latn")}),
        }
        help_texts = {
            "text_sr_latn": _("The Serbian Cyrillic text is written from it."),
            "status": _(
                "A ready story goes into the quarter's performance report: it is written in "
                "every language and tells of at least one record."
            ),
        }

    field_order = ["period", *Meta.fields]

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        story = self.instance
        period = self.fields["period"]
        assert isinstance(period, forms.ChoiceField)
        period.choices = [(item.key, period_label(item)) for item in stories.program_quarters()]
        if story.pk is not None:
            self.initial.setdefault("period", story.period.key)
            self.initial.setdefault("based_on", story.revision)
        for text in ("text_en", "text_sq", "text_sr_latn"):
            field = self.fields[text]
            assert isinstance(field, forms.CharField)
            field.max_length = stories.MAX_TEXT
            field.widget.attrs["maxlength"] = str(stories.MAX_TEXT)
        for name, label in RECORD_LABELS.items():
            linked = list(getattr(story, name).values_list("pk", flat=True)) if story.pk else []
            self.fields[name] = RecordsField(
                label=label,
                queryset=stories.record_choices(scope, name, linked),
                required=False,
                widget=forms.SelectMultiple(attrs={"size": 8}),
                help_text=_("The records you may see are offered; choose one or more."),
            )
            if linked:
                self.initial.setdefault(name, linked)

    def clean_period(self) -> Period:
        return Period.from_key(self.cleaned_data["period"], {PeriodKind.QUARTER})

    def service_data(self) -> dict[str, Any]:
        """The cleaned data as the story services take it."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        period = self.cleaned_data["period"]
        return {**data, "fiscal_year": period.year, "quarter": period.quarter}
