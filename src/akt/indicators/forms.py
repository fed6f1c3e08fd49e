"""Forms for editing an indicator's reference sheet and its targets.

The forms only collect and type the input; the services validate it against the models (their
``full_clean`` and constraints) and the views put any error they raise beside its field.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from akt.counting.periods import TARGET_KINDS, Period
from akt.forms import DateInput
from akt.indicators.entry import dimension_cells
from akt.indicators.loading import SHEET_FIELDS, plain_value
from akt.indicators.models import SHEET_PROSE, FrameworkResult, Indicator, ReferenceSheet
from akt.indicators.services import SHEET_INDICATOR_FIELDS
from akt.indicators.sheets import dimension_titles

# Where each language's text goes, and the language attribute its box gets (spell-checking).
LANGUAGE_SUFFIXES = (("en", "en"), ("sq", "sq"), ("sr_latn", "sr-Latn"))

REASON_HELP = _("Why the change is made; it is kept in the sheet's change log.")


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Reason for the change"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REASON_HELP,
    )


class ReferenceSheetForm(forms.Form):
    """Every editable field of a reference sheet, grouped as the printed sheet groups them."""

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        sheet = indicator.sheet if _has_sheet(indicator) else None
        initial = {name: getattr(indicator, name) for name in SHEET_INDICATOR_FIELDS}
        initial.update(
            {name: getattr(sheet, name) for name in SHEET_FIELDS} if sheet is not None else {}
        )
        initial["result_measured"] = indicator.result_measured_id
        initial["numerator"] = indicator.numerator_id
        initial["denominator"] = indicator.denominator_id
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(Indicator, SHEET_INDICATOR_FIELDS))
        self.fields.update(
            fields_for_model(
                ReferenceSheet,
                SHEET_FIELDS,
                widgets={
                    "dqa_last_date": DateInput(),
                    "dqa_next_date": DateInput(),
                    "baseline_date": DateInput(),
                },
            )
        )
        self.fields["result_measured"].queryset = FrameworkResult.objects.order_by(
            "sort_order", "code"
        )
        others = Indicator.objects.exclude(pk=indicator.pk)
        self.fields["numerator"].queryset = others
        self.fields["denominator"].queryset = others
        for name in ("definition", *SHEET_PROSE, "dqa_reviewer"):
            for suffix, lang in LANGUAGE_SUFFIXES:
                field = self.fields[f"{name}_{suffix}"]
                if isinstance(field.widget, forms.Textarea):
                    field.widget.attrs["rows"] = 3
                field.widget.attrs["lang"] = lang
        self.fields["reason"] = _reason_field()

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields in the printed sheet's sections, for the template to lay out."""

        def prose(name: str) -> list[str]:
            return [f"{name}_{suffix}" for suffix, _lang in LANGUAGE_SUFFIXES]

        layout: list[tuple[Any, list[str]]] = [
            (
                _("Description"),
                [
                    "result_measured",
                    "indicator_type",
                    "is_standard",
                    "fa_code",
                    "program_code",
                    "is_ppr",
                    "period_rule",
                    "numerator",
                    "denominator",
                    *prose("definition"),
                    *prose("rationale"),
                ],
            ),
            (
                _("Plan for data collection"),
                [
                    *prose("data_source"),
                    *prose("collection_method"),
                    "collection_frequency",
                    *prose("collection_timing"),
                    *prose("responsible"),
                    *prose("data_storage"),
                ],
            ),
            (
                _("Data quality"),
                [
                    "dqa_last_date",
                    *prose("dqa_reviewer"),
                    "dqa_next_date",
                    *prose("data_limitations"),
                ],
            ),
            (_("Data analysis, review and reporting"), prose("analysis_plan")),
            (_("Baseline"), ["baseline_value", "baseline_date"]),
            (_("Change log"), ["reason"]),
        ]
        return [(str(title), [self[name] for name in names]) for title, names in layout]

    def changes(self) -> dict[str, Any]:
        """The sheet's fields as cleaned, for ``reference_sheet_update`` (without the reason)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "reason"}


def _has_sheet(indicator: Indicator) -> bool:
    try:
        indicator.sheet  # noqa: B018 - reading the reverse one-to-one is the test
    except ReferenceSheet.DoesNotExist:
        return False
    return True


class TargetGridForm(forms.Form):
    """The indicator's total targets, one box per period of the program (empty: no target)."""

    def __init__(
        self,
        *args: Any,
        periods: list[tuple[Period, str]],
        stored: Mapping[Period, Decimal],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault(
            "initial", {period.key: plain_value(stored.get(period)) for period, _label in periods}
        )
        super().__init__(*args, **kwargs)
        self.periods = periods
        for period, label in periods:
            self.fields[period.key] = forms.DecimalField(
                label=label,
                required=False,
                min_value=Decimal(0),
                max_digits=14,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            )
        self.fields["reason"] = _reason_field()

    def rows(self) -> list[tuple[Period, forms.BoundField]]:
        return [(period, self[period.key]) for period, _label in self.periods]

    def changed_targets(self) -> dict[Period, Decimal | None]:
        """The periods whose box changed, with their new value (None: the target is removed)."""
        return {
            period: self.cleaned_data[period.key]
            for period, _label in self.periods
            if period.key in self.changed_data
        }


def cell_choices(indicator: Indicator) -> list[tuple[str, list[tuple[str, str]]]]:
    """The cells a target can be set for, grouped by the indicator's disaggregations.

    Values are ``dimension:cell`` with the cell's code as the results use it (municipality
    and community codes, the sex and age band values). Cross-tabulations are left out: a target
    is set for one dimension's cell.
    """
    titles = dimension_titles()
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for dimension in indicator.disaggregations or []:
        if not isinstance(dimension, str):
            continue
        cells = dimension_cells(dimension)
        if cells:
            groups.append(
                (
                    titles.get(dimension, dimension),
                    [(f"{dimension}:{code}", label) for code, label in cells],
                )
            )
    return groups


class CellTargetForm(forms.Form):
    """A target for one disaggregation cell (for example women, or one municipality)."""

    period = forms.ChoiceField(label=_("Period"))
    cell = forms.ChoiceField(label=_("Cell"))
    value = forms.DecimalField(
        label=_("Target"),
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        help_text=_("Leave empty to remove the target of this cell."),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )

    def __init__(
        self,
        *args: Any,
        indicator: Indicator,
        periods: list[tuple[Period, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(period.key, label) for period, label in periods]
        self.fields["cell"].choices = cell_choices(indicator)
        self.fields["reason"] = _reason_field()

    def target(self) -> dict[str, Any]:
        """The cleaned input as ``target_set``'s keyword arguments (without actor and indicator)."""
        dimension, _colon, cell = self.cleaned_data["cell"].partition(":")
        return {
            "period": Period.from_key(self.cleaned_data["period"], TARGET_KINDS),
            "dimension": dimension,
            "cell": cell,
            "value": self.cleaned_data["value"],
            "reason": self.cleaned_data["reason"],
        }
