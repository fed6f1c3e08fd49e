"""Targets and how an actual compares with them: the arithmetic of the indicator tracking table.

The tracking table (domain reference 1.3) shows, per indicator, the target of a period, the
actual, the actual as a percentage of the target and an "on target" flag. This module holds those
comparisons and the periods targets are set for (life of project, a fiscal year, a fiscal
quarter). Pure: plain values in, plain values out, no database, so every edge case is tested
without one.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from akt.counting import engine
from akt.counting.periods import Period

Number = int | Decimal

ON_TRACK_SHARE = Decimal("0.90")
"""The share of its target an actual must reach to be "on track": 90%.

Performance monitoring commonly asks for an explanation when a result misses its target by more
than about ten percent; a result within that margin is on track, one below it is flagged. One
named constant so the tracking table, the sheet and the tests agree, and a mission that uses
another margin changes it here.
"""


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


def target_label(period: Period, dimension: str = "", cell: str = "") -> str:
    """How the audit log names a target: its period key, and its cell when it has one
    (``fy2016``, ``lop sex=female``). A key, not prose: the change log translates it."""
    return f"{period.key} {dimension}={cell}" if dimension else period.key
