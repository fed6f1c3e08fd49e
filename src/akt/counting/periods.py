"""The program's reporting periods: one type for every period a page, a target or a report names.

A :class:`Period` is the life of project, a US fiscal year, one of its quarters, or a calendar
year (Kosovo's budget year). It is a name, not dates: :meth:`Period.window` gives the engine's
:class:`~akt.counting.engine.Window` (the life of project needs the program's own dates). Every
period has one short key, written in addresses, target files and audit entries, and read back
by :meth:`Period.from_key`, the only parser of it:

- ``lop``: the life of project;
- ``fy2016``: fiscal year 2016 (October 2015 to September 2016);
- ``fy2016q1``: its first quarter (October to December 2015);
- ``cy2016``: calendar year 2016.

Targets are set for the life of project, fiscal years and quarters (:data:`TARGET_KINDS`);
reporting quarters are approved one fiscal quarter at a time. Pure: no database, no Django.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cached_property

from akt.counting import engine

FIRST_YEAR = 2000
LAST_YEAR = 2100


class PeriodKind(StrEnum):
    LIFE_OF_PROJECT = "lop"
    FISCAL_YEAR = "fy"
    QUARTER = "quarter"
    CALENDAR_YEAR = "cy"


TARGET_KINDS = frozenset({PeriodKind.LIFE_OF_PROJECT, PeriodKind.FISCAL_YEAR, PeriodKind.QUARTER})
"""The periods a target is set for (the tracking table's columns)."""

_KEY = re.compile(r"^(?:(?P<lop>lop)|fy(?P<fy>\d{4})(?:q(?P<q>[1-4]))?|cy(?P<cy>\d{4}))$")


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period, stored as (year, quarter, kind) with 0 for "not applicable".

    ``year`` is the fiscal year of a fiscal year or quarter, the calendar year of a calendar
    year, and 0 for the life of project; ``quarter`` is 1 to 4 for a quarter and 0 otherwise.
    Never NULL, so that a database's unique constraint sees two life-of-project rows as equal.
    Raises ValueError on a combination that names no period.
    """

    year: int = 0
    quarter: int = 0
    kind: PeriodKind = PeriodKind.LIFE_OF_PROJECT

    def __post_init__(self) -> None:
        kind = PeriodKind(self.kind)
        object.__setattr__(self, "kind", kind)
        if kind == PeriodKind.LIFE_OF_PROJECT:
            valid = self.year == 0 and self.quarter == 0
        else:
            in_range = FIRST_YEAR <= self.year <= LAST_YEAR
            quarter_ok = 1 <= self.quarter <= 4 if kind == PeriodKind.QUARTER else not self.quarter
            valid = in_range and quarter_ok
        if not valid:
            raise ValueError(f"not a period: {kind} {self.year} Q{self.quarter}")

    @classmethod
    def life_of_project(cls) -> Period:
        return cls()

    @classmethod
    def fiscal_year(cls, year: int) -> Period:
        return cls(year, 0, PeriodKind.FISCAL_YEAR)

    @classmethod
    def fiscal_quarter(cls, year: int, quarter: int) -> Period:
        return cls(year, quarter, PeriodKind.QUARTER)

    @classmethod
    def calendar_year(cls, year: int) -> Period:
        return cls(year, 0, PeriodKind.CALENDAR_YEAR)

    @classmethod
    def from_key(cls, key: str, kinds: Collection[PeriodKind] = tuple(PeriodKind)) -> Period:
        """The period a key names (``lop``, ``fy2016``, ``fy2016q1``, ``cy2016``) among
        ``kinds``; ValueError otherwise."""
        match = _KEY.match(key)
        if match is None:
            raise ValueError(f"not a period key: {key!r}")
        if match["lop"]:
            period = cls.life_of_project()
        elif match["cy"]:
            period = cls.calendar_year(int(match["cy"]))
        elif match["q"]:
            period = cls.fiscal_quarter(int(match["fy"]), int(match["q"]))
        else:
            period = cls.fiscal_year(int(match["fy"]))
        if period.kind not in kinds:
            raise ValueError(f"not a period key here: {key!r}")
        return period

    @cached_property
    def key(self) -> str:
        """The period's key (``lop``, ``fy2016``, ``fy2016q1``, ``cy2016``), made once: a
        tracking table asks it for every cell."""
        if self.kind == PeriodKind.LIFE_OF_PROJECT:
            return "lop"
        if self.kind == PeriodKind.FISCAL_YEAR:
            return f"fy{self.year}"
        if self.kind == PeriodKind.QUARTER:
            return f"fy{self.year}q{self.quarter}"
        return f"cy{self.year}"

    def window(self, lop: engine.Window) -> engine.Window:
        """The dates the period covers; the life of project is the program's own ``lop``.

        Fiscal years and quarters keep their full bounds: a quarter is the same three months
        whichever program it is read for.
        """
        if self.kind == PeriodKind.LIFE_OF_PROJECT:
            return lop
        if self.kind == PeriodKind.FISCAL_YEAR:
            return engine.fiscal_year(self.year)
        if self.kind == PeriodKind.QUARTER:
            return engine.fiscal_quarter(self.year, self.quarter)
        return engine.calendar_year(self.year)

    def year_to_date(self) -> engine.Window:
        """A quarter's fiscal year from its start to the quarter's end: the cumulative column
        of a quarterly report. ValueError for any other period."""
        if self.kind != PeriodKind.QUARTER:
            raise ValueError(f"only a quarter has a year to date, not {self.key}")
        year = engine.fiscal_year(self.year)
        end = engine.fiscal_quarter(self.year, self.quarter).end
        return engine.date_range(year.start, end, label=f"FY{self.year}-YTD")


def quarter_of(day: date) -> Period:
    """The fiscal quarter a day falls in."""
    return Period.fiscal_quarter(*engine.fiscal_quarter_of(day))


def program_periods(lop: engine.Window) -> list[Period]:
    """The periods of a program's targets and tracking table, in the tracking table's order.

    The life of project, then each fiscal year the program touches followed by those of its
    quarters in which the program ran (AKT: FY2014 Q3 and Q4, FY2015 and FY2016 whole, FY2017
    Q1 to Q3).
    """
    periods = [Period.life_of_project()]
    for year_window in engine.fiscal_years(lop):
        periods.append(Period.fiscal_year(engine.fiscal_year_of(year_window.end)))
        periods.extend(quarter_of(quarter.start) for quarter in engine.fiscal_quarters(year_window))
    return periods


def calendar_years(lop: engine.Window) -> list[Period]:
    """The calendar years a program touches, in order."""
    return [Period.calendar_year(year) for year in range(lop.start.year, lop.end.year + 1)]
