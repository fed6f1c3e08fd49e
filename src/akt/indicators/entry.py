"""The rules of entered values: which periods an entered indicator takes, and which cells.

Some results no record counts: the property tax a municipality billed and collected in a year,
its own-source revenue, a survey's result. They are entered, one value per indicator, period,
municipality (or program-wide) and disaggregation cell, from the document that reports them
(:class:`akt.indicators.models.OutcomeValue`), and counted by the engine as facts of
:attr:`akt.counting.engine.Source.ENTERED`, dated on the last day of the period they cover.

- **The period** is of the indicator's entry kind (calendar year, fiscal year or fiscal quarter)
  and overlaps the years the program reports on: its life, and the two calendar years before
  it, whose values are the baseline an outcome is compared with (:func:`entry_window`).
- **The cell** names one category for each of the indicator's own single-dimension
  disaggregations other than municipality (the place is the value's municipality); a
  dimension left out is unknown. :func:`cell_key` writes a cell the one way the unique
  constraint compares it.

Nothing here reads the indicators' own tables, so the models can use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from akt.activities.models import AgeBand
from akt.counting import engine
from akt.counting.periods import Period, PeriodKind
from akt.people.models import Affiliation, OrganizationKind, Sector, Sex
from akt.places.models import Community, Municipality
from akt.program.models import Program


class EntryPeriod(models.TextChoices):
    """What period each value of an entered indicator covers."""

    CALENDAR_YEAR = "calendar_year", _("Calendar year")
    FISCAL_YEAR = "fiscal_year", _("Fiscal year")
    QUARTER = "quarter", _("Fiscal quarter")


PERIOD_KIND: Mapping[str, PeriodKind] = {
    EntryPeriod.CALENDAR_YEAR.value: PeriodKind.CALENDAR_YEAR,
    EntryPeriod.FISCAL_YEAR.value: PeriodKind.FISCAL_YEAR,
    EntryPeriod.QUARTER.value: PeriodKind.QUARTER,
}

BASELINE_YEARS = 2
"""Calendar years before the program's start for which values may be entered: the baseline an
outcome (a collection rate) is compared with once the program's work has had its effect."""


def program_window() -> engine.Window | None:
    """The program's life, or None before the program is loaded."""
    program = Program.objects.order_by("start_date").first()
    if program is None:
        return None
    return engine.date_range(program.start_date, program.end_date, label="LOP")


def entry_window(lop: engine.Window) -> engine.Window:
    """The days an entered value's period must touch: from 1 January two years before the
    program started (the baseline years) to the program's last day."""
    return engine.date_range(date(lop.start.year - BASELINE_YEARS, 1, 1), lop.end)


def entry_periods(entry_period: str, lop: engine.Window) -> list[Period]:
    """The periods an indicator entered per ``entry_period`` takes, in order."""
    kind = PERIOD_KIND[entry_period]
    window = entry_window(lop)
    years = range(window.start.year, window.end.year + 2)
    if kind == PeriodKind.CALENDAR_YEAR:
        candidates = [Period.calendar_year(year) for year in years]
    elif kind == PeriodKind.FISCAL_YEAR:
        candidates = [Period.fiscal_year(year) for year in years]
    else:
        candidates = [Period.fiscal_quarter(year, q) for year in years for q in (1, 2, 3, 4)]
    return [period for period in candidates if overlaps(period, window)]


def overlaps(period: Period, window: engine.Window) -> bool:
    covered = period.window(window)
    return covered.start <= window.end and covered.end >= window.start


def entry_dimensions(disaggregations: Iterable[object]) -> list[str]:
    """The dimensions a value's cell names: the indicator's own single-dimension
    disaggregations other than municipality (a cross-tabulation is read from them)."""
    return [name for name in disaggregations if isinstance(name, str) and name != "municipality"]


def dimension_cells(dimension: str) -> list[tuple[str, str]]:
    """The categories of a dimension as ``(code, label)``, codes as the results name them:
    the models' choices, communities and municipalities by code; [] for a dimension without
    a fixed list."""
    choices = {
        "sex": Sex.choices,
        "age_band": AgeBand.choices,
        "sector": Sector.choices,
        "organization_kind": OrganizationKind.choices,
        "affiliation": Affiliation.choices,
    }
    if dimension in choices:
        return [(str(code), str(label)) for code, label in choices[dimension]]
    if dimension == "community":
        return [(c.code, c.name) for c in Community.objects.all()]
    if dimension == "municipality":
        places = Municipality.objects.select_related("majority_community")
        return sorted(((m.code, m.name) for m in places), key=lambda item: item[1])
    return []


def cell_key(cell: Mapping[str, str]) -> str:
    """A cell written one way: ``age_band=15-29&sex=female``, dimensions in name order; ""
    for a value with no category (the whole place, or every dimension unknown)."""
    return "&".join(f"{name}={cell[name]}" for name in sorted(cell))


def known_cell(cell: Mapping[str, object] | None) -> dict[str, str]:
    """A cell without its unknown dimensions: a missing, empty or "unknown" category is not
    written down, so "unknown" has one spelling in the stored cells (none)."""
    return {
        str(name): str(code)
        for name, code in (cell or {}).items()
        if code not in (None, "", engine.UNKNOWN)
    }
