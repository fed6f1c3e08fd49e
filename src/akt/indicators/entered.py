"""Reading entered values: which a viewer may see, and how a page writes them.

An entered value is a municipality's aggregate (the property tax it collected in a year), not a
person's record: every signed-in viewer whose scope covers the municipality reads it, as they
read the figures it makes (a focal point their municipality's, the other roles every
municipality's and the program-wide values). Who may enter, correct and void them is
``services.may_enter_values``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from akt.accounts.scope import Scope
from akt.counting import engine
from akt.indicators.entry import dimension_cells
from akt.indicators.models import Indicator, OutcomeValue
from akt.indicators.sentences import format_value
from akt.places.models import Municipality
from akt.translation import period_label


def visible_values(viewer: Scope, values: QuerySet[OutcomeValue]) -> QuerySet[OutcomeValue]:
    """The entered values among ``values`` whose municipality the viewer's scope covers (a
    program-wide value: only a viewer of the whole program)."""
    if not viewer.authenticated:
        return values.none()
    places = viewer.municipality_ids()
    if places is None:
        return values
    return values.filter(municipality_id__in=places)


def cell_labels(dimensions: Iterable[str]) -> dict[str, dict[str, str]]:
    """For each dimension, its categories' codes in the reader's words."""
    return {name: dict(dimension_cells(name)) for name in set(dimensions)}


def cell_label(
    cell: Mapping[str, str],
    dimensions: Sequence[str],
    labels: Mapping[str, Mapping[str, str]],
) -> str:
    """A value's category in the reader's words, one part per dimension of the indicator
    ("Female × 15-29"); a dimension the cell leaves out is unknown. "" without dimensions."""
    parts = []
    for name in dimensions:
        code = cell.get(name)
        if code is None or code == engine.UNKNOWN:
            parts.append(_("Unknown"))
        else:
            parts.append(labels.get(name, {}).get(code, code))
    return " × ".join(parts)


@dataclass(frozen=True)
class ValueRow:
    """One entered value as a list shows it."""

    value: OutcomeValue
    period: str
    municipality: str  # "" for a program-wide value
    category: str
    shown: str


def value_rows(
    values: Iterable[OutcomeValue],
    indicator: Indicator,
    *,
    language: str,
    municipalities: Mapping[int, Municipality],
) -> list[ValueRow]:
    """The values written for a page: period, place, category and the value with its
    currency, as the reader writes them."""
    dimensions = indicator.entry_dimensions
    labels = cell_labels(dimensions)
    rows = []
    for value in values:
        place = municipalities.get(value.municipality_id) if value.municipality_id else None
        rows.append(
            ValueRow(
                value=value,
                period=period_label(value.period),
                municipality=place.name if place is not None else "",
                category=cell_label(value.cell or {}, dimensions, labels),
                shown=format_value(value.value, language, indicator.currency),
            )
        )
    return rows
