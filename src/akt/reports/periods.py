"""The reporting periods a reader can choose: life of project, fiscal years and quarters, years.

A period travels in the address as its key (``lop``, ``fy2016``, ``fy2016q1``, ``cy2016``; see
:mod:`akt.counting.periods`) so a page can be bookmarked and shared; this module offers the
choices that make sense for the program, from its start to its end, grouped for a menu, and finds
the one an address names. Labels are written when a page asks for them, in the reader's language
(:func:`akt.translation.period_label`).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from akt.counting import engine
from akt.counting.periods import Period, calendar_years, program_periods

LIFE_OF_PROJECT = Period.life_of_project()


def period_groups(lop: engine.Window) -> list[tuple[str, list[Period]]]:
    """The periods of the program's life ``lop``, grouped for a menu.

    Life of project first; then each fiscal year the program touches, followed by those of its
    quarters in which the program ran (AKT starts in FY2014 Q3 and ends in FY2017 Q3); then the
    calendar years, Kosovo's budget years.
    """
    groups: list[tuple[str, list[Period]]] = [(_("Whole program"), [LIFE_OF_PROJECT])]
    for period in program_periods(lop)[1:]:
        if period.quarter:
            groups[-1][1].append(period)
        else:
            groups.append((_("FY %(year)s") % {"year": period.year}, [period]))
    groups.append((_("Calendar years"), calendar_years(lop)))
    return groups


def period_for(key: str, lop: engine.Window) -> Period | None:
    """The period a key names, or None when no period of the program's life has that key."""
    try:
        period = Period.from_key(key)
    except ValueError:
        return None
    offered = (period for _group, periods in period_groups(lop) for period in periods)
    return period if period in offered else None
