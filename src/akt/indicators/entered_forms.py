"""Forms of the entered values page: which values to list, and a value to enter or correct.

The forms only offer and type the input: the periods of the indicator's entry kind, the
municipalities the viewer may enter for, a menu per dimension. ``services.outcome_value_record``
validates the value against the model and says what is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from akt.counting import engine
from akt.counting.periods import Period
from akt.indicators.entry import dimension_cells, entry_periods
from akt.indicators.models import Indicator, OutcomeValue
from akt.indicators.sheets import dimension_titles
from akt.places.models import Municipality
from akt.translation import period_label
from akt.void_pages import VoidedFilterMixin
from akt.web import ChangeReasonMixin

CELL_PREFIX = "cell_"
"""The name of a dimension's menu: ``cell_sex``."""


def _period_choices(indicator: Indicator, lop: engine.Window) -> list[tuple[str, str]]:
    """The periods of the indicator's kind, the latest first: the one usually entered."""
    return [
        (period.key, period_label(period, months=True))
        for period in reversed(entry_periods(indicator.entry_period, lop))
    ]


def _choice(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """A menu of the form, to give its choices."""
    return cast(forms.ChoiceField, form.fields[name])


class OutcomeValueForm(ChangeReasonMixin, forms.Form):
    """One value: its period, place, category, the figure and the document it comes from.

    Entering a value for a period, place and category that already has one corrects it.
    """

    period_key = forms.ChoiceField(label=_("Period"))
    municipality = forms.TypedChoiceField(
        label=_("Municipality"), coerce=int, empty_value=None, required=False
    )
    value = forms.DecimalField(
        label=_("Value"),
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    source_document = forms.CharField(
        label=_("Source document"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Where the figure comes from, so that anyone can check it: for example “Municipal "
            "finance department, annual report 2016, table 3”."
        ),
        error_messages={
            "required": _("Name the document the figure comes from, so that it can be checked.")
        },
    )

    def __init__(
        self,
        *args: Any,
        indicator: Indicator,
        lop: engine.Window,
        municipalities: Sequence[Municipality],
        program_wide: bool,
        **kwargs: Any,
    ) -> None:
        """``municipalities``: those the viewer may enter for; ``program_wide``: whether they
        may also enter a value of the whole program (the municipality left empty)."""
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        _choice(self, "period_key").choices = _period_choices(indicator, lop)
        places = [(place.pk, place.name) for place in municipalities]
        if program_wide:
            _choice(self, "municipality").choices = [("", _("The whole program")), *places]
        else:
            _choice(self, "municipality").choices = places
            self.fields["municipality"].required = True
        self.fields["value"].help_text = indicator.unit_of_measure
        titles = dimension_titles()
        for name in indicator.entry_dimensions:
            self.fields[CELL_PREFIX + name] = forms.ChoiceField(
                label=titles.get(name, name),
                choices=[("", _("Unknown")), *dimension_cells(name)],
                required=False,
            )
        # The reason comes last, after what it explains.
        self.fields["reason"] = self.fields.pop("reason")

    @classmethod
    def initial_of(cls, value: OutcomeValue) -> dict[str, Any]:
        """The form filled with a stored value, to correct it."""
        initial: dict[str, Any] = {
            "period_key": value.period_key,
            "municipality": value.municipality_id,
            "value": value.value,
            "source_document": value.source_document,
        }
        for name, code in (value.cell or {}).items():
            initial[CELL_PREFIX + name] = code
        return initial

    def entry(self) -> dict[str, Any]:
        """The cleaned input as ``outcome_value_record``'s keyword arguments (without the
        actor and the indicator)."""
        data = self.cleaned_data
        value: Decimal = data["value"]
        return {
            "period": Period.from_key(data["period_key"]),
            "municipality_id": data["municipality"],
            "cell": {
                name: data[CELL_PREFIX + name]
                for name in self.indicator.entry_dimensions
                if data.get(CELL_PREFIX + name)
            },
            "value": value,
            "source_document": data["source_document"],
            "reason": data.get("reason", ""),
        }


class OutcomeValueFilterForm(VoidedFilterMixin, forms.Form):
    """Which entered values the page lists: a period, a municipality, voided ones or not."""

    period = forms.ChoiceField(label=_("Period"), required=False)
    municipality = forms.TypedChoiceField(
        label=_("Municipality"), coerce=int, empty_value=None, required=False
    )

    def __init__(
        self,
        *args: Any,
        indicator: Indicator,
        lop: engine.Window,
        municipalities: Sequence[Municipality] | None,
        **kwargs: Any,
    ) -> None:
        """``municipalities`` is None for a viewer whose scope fixes the place."""
        super().__init__(*args, **kwargs)
        _choice(self, "period").choices = [("", _("All periods")), *_period_choices(indicator, lop)]
        if municipalities is None:
            del self.fields["municipality"]
            return
        _choice(self, "municipality").choices = [
            ("", _("All municipalities")),
            *((place.pk, place.name) for place in municipalities),
        ]
