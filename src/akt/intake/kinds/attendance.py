"""Roster and tally: the kinds that go into one activity.

Their steps (validating, matching attendees against the registry, writing attendances and
headcounts, rolling them back) live in :mod:`akt.intake.services` beside the matching they
share; these classes put them behind the same :class:`~akt.intake.kinds.base.Kind` contract as
the lists of records, so the path through receive, check, commit and rollback is one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from akt.accounts.models import User
from akt.intake.fields import KOBO_FIELDS, ROSTER_FIELDS, TALLY_FIELDS, Field
from akt.intake.kinds.base import Kind, Report
from akt.intake.models import ImportKind, ImportSource


class _AttendanceKind(Kind):
    needs_activity = True
    columns: tuple[Field, ...] = ()

    def fields(self, source: str) -> tuple[Field, ...]:
        return self.columns + KOBO_FIELDS if source == ImportSource.KOBO else self.columns

    def rollback(self, *, actor: User, batch: Any) -> dict[str, int]:
        from akt.intake.services import attendance_rollback  # services dispatch to the kinds

        return attendance_rollback(batch)


class RosterKind(_AttendanceKind):
    """One row per attendee; rows are matched against the registry of persons."""

    code = ImportKind.ROSTER
    columns = ROSTER_FIELDS

    def check(
        self,
        *,
        actor: User,
        batch: Any,
        rows: Sequence[tuple[int, Sequence[str]]],
        mapping: Mapping[int, str],
        report: Report,
    ) -> list[dict[str, Any]]:
        from akt.intake.services import roster_rows_check

        return roster_rows_check(actor, batch, list(rows), dict(mapping), report)

    def commit(self, *, actor: User, batch: Any, report: Report) -> dict[str, int]:
        from akt.intake.services import _commit_roster

        return _commit_roster(batch, report, actor=actor)


class TallyKind(_AttendanceKind):
    """One row per sex x community x age band headcount, for events too large for names."""

    code = ImportKind.TALLY
    columns = TALLY_FIELDS

    def check(
        self,
        *,
        actor: User,
        batch: Any,
        rows: Sequence[tuple[int, Sequence[str]]],
        mapping: Mapping[int, str],
        report: Report,
    ) -> list[dict[str, Any]]:
        from akt.intake.services import tally_rows_check

        return tally_rows_check(batch, list(rows), dict(mapping), report)

    def commit(self, *, actor: User, batch: Any, report: Report) -> dict[str, int]:
        from akt.intake.services import _commit_tally

        return _commit_tally(batch)
