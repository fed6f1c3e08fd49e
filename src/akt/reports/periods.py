"""The reporting periods a reader can choose: life of project, fiscal years and quarters, years.

A period travels in the address as a short key (``lop``, ``fy2016``, ``fy2016q1``, ``cy2016``) so a
page can be bookmarked and shared; this module turns the key into the engine's window and offers
the choices that make sense for the program, from its start to its end. Labels are built when a
page asks for them, in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from akt.counting import engine

LIFE_OF_PROJECT = "lop"


@dataclass(frozen=True)
class Period:
    """One choosable period: its key in the address, its label and its window."""

    key: str
    label: str
    window: engine.Window


def _life_of_project(lop: engine.Window) -> Period:
    return Period(LIFE_OF_PROJECT, _("Life of project"), lop)


def _fiscal_year(fy: int) -> Period:
    return Period(f"fy{fy}", _("FY %(year)s") % {"year": fy}, engine.fiscal_year(fy))


def _fiscal_quarter(fy: int, quarter: int) -> Period:
    window = engine.fiscal_quarter(fy, quarter)
    label = _("FY %(year)s, Q%(quarter)s (%(first_month)s to %(last_month)s)") % {
        "year": fy,
        "quarter": quarter,
        "first_month": date_format(window.start, "F"),
        "last_month": date_format(window.end, "F Y"),
    }
    return Period(f"fy{fy}q{quarter}", label, window)


def _calendar_year(year: int) -> Period:
    label = _("Calendar year %(year)s") % {"year": year}
    return Period(f"cy{year}", label, engine.calendar_year(year))


def period_groups(lop: engine.Window) -> list[tuple[str, list[Period]]]:
    """The periods of the program's life ``lop``, grouped for a menu.

    Life of project first; then each fiscal year the program touches, followed by those of its
    quarters in which the program ran (AKT starts in FY2014 Q3 and ends in FY2017 Q3); then the
    calendar years, Kosovo's budget years. Fiscal years and quarters keep their full bounds: a
    quarter is the same three months whichever program it is read for.
    """
    groups: list[tuple[str, list[Period]]] = [(_("Whole program"), [_life_of_project(lop)])]
    for fy_window in engine.fiscal_years(lop):
        fy = engine.fiscal_year_of(fy_window.end)
        quarters = [
            _fiscal_quarter(*engine.fiscal_quarter_of(quarter.start))
            for quarter in engine.fiscal_quarters(fy_window)
        ]
        groups.append((_("FY %(year)s") % {"year": fy}, [_fiscal_year(fy), *quarters]))
    years = range(lop.start.year, lop.end.year + 1)
    groups.append((_("Calendar years"), [_calendar_year(year) for year in years]))
    return groups


def period_for(key: str, lop: engine.Window) -> Period | None:
    """The period a key names, or None when no period of the program's life has that key."""
    for _group, periods in period_groups(lop):
        for period in periods:
            if period.key == key:
                return period
    return None


def default_period(lop: engine.Window) -> Period:
    """Results to date: the life of project."""
    return _life_of_project(lop)
