"""Which approved reporting quarter a record's day falls in: asked by the record pages, answered
by reports.

A page of an activity or an import says when its record belongs to an approved quarter (a change
then needs a reason, see :func:`akt.accounts.services.register_write_guard`). Reporting periods
live in :mod:`akt.reports`, above the record apps; it registers its answer here when the app
starts (``ReportsConfig.ready``), so the pages ask without importing it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

Lookup = Callable[[date], Any]
_lookup: Lookup | None = None


def register_approved_period_lookup(lookup: Lookup) -> None:
    """``lookup(day)`` returns the approved reporting period of ``day``, or None."""
    global _lookup
    _lookup = lookup


def approved_period_on(day: date | None) -> Any:
    """The approved reporting quarter ``day`` belongs to, if any (None without reports)."""
    if day is None or _lookup is None:
        return None
    return _lookup(day)
