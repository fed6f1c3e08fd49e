"""Targets and how an actual compares with them: the arithmetic of the indicator tracking table.

The tracking table (domain reference 1.3) shows, per indicator, the target of a period, the
actual, the actual as a percentage of the target and an "on target" flag. This module holds those
comparisons and the periods targets are set for (life of project, a fiscal year, a fiscal
quarter). Pure: plain values in, plain values out, no database, so every edge case is tested
without one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from akt.counting import engine

Number = int | Decimal

ON_TRACK_SHARE = Decimal("0.90")
"""The share of its target an actual must reach to be "on track": 90%.

Performance monitoring commonly asks for an explanation when a result misses its target by more
than about ten percent; a result within that margin is on track, one below it is flagged. One
named constant so the tracking table, the sheet and the tests agree, and a mission that uses
another margin changes it here.
"""

FIRST_FISCAL_YEAR = 2000
LAST_FISCAL_YEAR = 2100


def percent_of_target(actual: Number | None, target: Number | None) -> Decimal | None:
    """The actual as a percentage of the target (actual ÷ target × 100), unrounded.

    None when there is nothing to compare: no actual, no target, or a target of 0 (a period in
    which nothing was planned has no meaningful percentage).
    """
    if actual is None or target is None or target == 0:
        return None
    return Decimal(actual) * 100 / Decimal(target)


def elapsed_share(window: engine.Window, today: date) -> Decimal:
    """How much of the window has passed by the end of ``today``, from 0 to 1 (days counted)."""
    if today < window.start:
        return Decimal(0)
    if today >= window.end:
        return Decimal(1)
    total = (window.end - window.start).days + 1
    return Decimal((today - window.start).days + 1) / Decimal(total)


def on_track(
    actual: Number | None,
    target: Number | None,
    window: engine.Window,
    today: date,
    *,
    prorate: bool = True,
) -> bool | None:
    """Whether an actual is on track for its target in ``window``, as of ``today``.

    - A closed period (``today`` after its end): on track when the actual reaches
      ``ON_TRACK_SHARE`` (90%) of the target.
    - The current period: the target is pro-rated by the share of the period elapsed, so a
      fiscal year half gone is on track with 45% of its target. Pass ``prorate=False`` for a
      level or a percentage (the latest and ratio rules), which is compared with the whole
      target at any time.
    - A future period (``today`` before its start): None, nothing is due yet.
    - No actual, no target or a target of 0: None, there is nothing to compare.
    """
    if actual is None or target is None or target == 0:
        return None
    if today < window.start:
        return None
    due = Decimal(target)
    if prorate:
        due *= elapsed_share(window, today)
    return Decimal(actual) >= ON_TRACK_SHARE * due


# -- the periods a target is set for ------------------------------------------------------------


class PeriodKind(StrEnum):
    LIFE_OF_PROJECT = "lop"
    FISCAL_YEAR = "fy"
    QUARTER = "quarter"


_KEY = re.compile(r"^(?:(?P<lop>lop)|fy(?P<fy>\d{4})(?:q(?P<q>[1-4]))?)$")


@dataclass(frozen=True, order=True)
class TargetPeriod:
    """The period of a target: the life of project, a US fiscal year, or one of its quarters.

    Stored on a target as kind, fiscal year and quarter, with 0 for "not applicable" (never
    NULL, so the database's unique constraint sees two life-of-project targets as equal). Its
    ``key`` is the one the results pages use in their addresses (``lop``, ``fy2016``,
    ``fy2016q1``).
    """

    fiscal_year: int = 0
    quarter: int = 0
    kind: PeriodKind = PeriodKind.LIFE_OF_PROJECT

    def __post_init__(self) -> None:
        kind = PeriodKind(self.kind)
        object.__setattr__(self, "kind", kind)
        if kind == PeriodKind.LIFE_OF_PROJECT:
            valid = self.fiscal_year == 0 and self.quarter == 0
        else:
            valid = FIRST_FISCAL_YEAR <= self.fiscal_year <= LAST_FISCAL_YEAR and (
                self.quarter == 0 if kind == PeriodKind.FISCAL_YEAR else 1 <= self.quarter <= 4
            )
        if not valid:
            raise ValueError(f"not a target period: {kind} {self.fiscal_year} Q{self.quarter}")

    @classmethod
    def life_of_project(cls) -> TargetPeriod:
        return cls()

    @classmethod
    def year(cls, fiscal_year: int) -> TargetPeriod:
        return cls(fiscal_year, 0, PeriodKind.FISCAL_YEAR)

    @classmethod
    def of_quarter(cls, fiscal_year: int, quarter: int) -> TargetPeriod:
        return cls(fiscal_year, quarter, PeriodKind.QUARTER)

    @classmethod
    def from_key(cls, key: str) -> TargetPeriod:
        """The period a key names (``lop``, ``fy2016``, ``fy2016q1``); ValueError otherwise."""
        match = _KEY.match(key)
        if match is None:
            raise ValueError(f"not a target period key: {key!r}")
        if match["lop"]:
            return cls.life_of_project()
        if match["q"]:
            return cls.of_quarter(int(match["fy"]), int(match["q"]))
        return cls.year(int(match["fy"]))

    @property
    def key(self) -> str:
        if self.kind == PeriodKind.LIFE_OF_PROJECT:
            return "lop"
        if self.kind == PeriodKind.FISCAL_YEAR:
            return f"fy{self.fiscal_year}"
        return f"fy{self.fiscal_year}q{self.quarter}"

    def window(self, lop: engine.Window) -> engine.Window:
        """The dates the period covers; the life of project is the program's own ``lop``."""
        if self.kind == PeriodKind.LIFE_OF_PROJECT:
            return lop
        if self.kind == PeriodKind.FISCAL_YEAR:
            return engine.fiscal_year(self.fiscal_year)
        return engine.fiscal_quarter(self.fiscal_year, self.quarter)


def target_label(period: TargetPeriod, dimension: str = "", cell: str = "") -> str:
    """How the audit log names a target: its period key, and its cell when it has one
    (``fy2016``, ``lop sex=female``). A key, not prose: the change log translates it."""
    return f"{period.key} {dimension}={cell}" if dimension else period.key


def program_periods(lop: engine.Window) -> list[TargetPeriod]:
    """The periods a program's targets are set for, in the tracking table's order.

    The life of project, then each fiscal year the program touches followed by those of its
    quarters in which the program ran (AKT: FY2014 Q3 and Q4, FY2015 and FY2016 whole, FY2017
    Q1 to Q3).
    """
    periods = [TargetPeriod.life_of_project()]
    for year_window in engine.fiscal_years(lop):
        fiscal_year = engine.fiscal_year_of(year_window.end)
        periods.append(TargetPeriod.year(fiscal_year))
        for quarter_window in engine.fiscal_quarters(year_window):
            periods.append(TargetPeriod.of_quarter(*engine.fiscal_quarter_of(quarter_window.start)))
    return periods
