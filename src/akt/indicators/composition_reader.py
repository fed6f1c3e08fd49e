"""Feeding the composition functions: activities, roster rows, tally cells and population figures.

The thin layer between the database and :mod:`akt.counting.composition` (which is pure). It
reads only the columns composition needs, narrowed in the database to the window (by the
activity's start date, both ends inclusive, as the indicator engine does) and to the viewer's
municipalities (the engine's :class:`~akt.counting.engine.Coverage`), in a fixed number of
queries however many records there are. A roster row carries the canonical person
(``Coalesce(person__identity_id, person_id)``), so a person recorded twice and linked counts once.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from akt.activities.models import Activity, Attendance, Tally
from akt.counting import engine
from akt.counting.composition import ActivityRow, AttendanceRow, PopulationShare
from akt.places.models import Community, CommunityPopulation, Municipality


@dataclass(frozen=True)
class CompositionInput:
    """Everything the composition functions read for one window and scope.

    ``undeclared`` are the community codes that declare no community ("prefer not to say"),
    read from the reference data rather than assumed.
    """

    activities: list[ActivityRow]
    attendance: list[AttendanceRow]
    undeclared: frozenset[str]


def _within(qs: QuerySet, prefix: str, window: engine.Window, scope: engine.Coverage) -> QuerySet:
    """Rows of activities held in the window, in scope and not voided (a voided activity, its
    roster and its tallies count nowhere)."""
    qs = qs.filter(
        **{
            f"{prefix}start_date__gte": window.start,
            f"{prefix}start_date__lte": window.end,
            f"{prefix}voided_at__isnull": True,
        }
    )
    if scope.municipalities is not None:
        qs = qs.filter(**{f"{prefix}municipality_id__in": scope.municipalities})
    return qs.order_by()


def composition_input(window: engine.Window, scope: engine.Coverage) -> CompositionInput:
    """The activities held in ``window`` within ``scope``, their roster rows and tally cells.

    Four queries: activities, roster rows, tally cells, and the undeclared community codes.
    """
    activities = [
        ActivityRow(id=pk, municipality=municipality, kind=kind, date=start)
        for pk, municipality, kind, start in _within(
            Activity.objects.all(), "", window, scope
        ).values_list("id", "municipality_id", "kind", "start_date")
    ]
    attendance = [
        AttendanceRow(
            record_id=pk,
            activity=activity,
            community=community,
            person=person,
            role=role,
        )
        for pk, activity, community, person, role in _within(
            Attendance.objects.all(), "activity__", window, scope
        )
        .values_list(
            "id",
            "activity_id",
            "person__community__code",
            Coalesce("person__identity_id", "person_id"),
            "role",
        )
        .iterator(chunk_size=5000)
    ]
    attendance += [
        AttendanceRow(
            record_id=pk,
            activity=activity,
            community=community,
            headcount=headcount,
            is_tally=True,
        )
        for pk, activity, community, headcount in _within(
            Tally.objects.all(), "activity__", window, scope
        ).values_list("id", "activity_id", "community__code", "headcount")
    ]
    undeclared = frozenset(
        Community.objects.filter(is_declared=False).values_list("code", flat=True)
    )
    return CompositionInput(activities, attendance, undeclared)


def population_shares(scope: engine.Coverage) -> list[PopulationShare]:
    """The published community populations of the municipalities in ``scope`` (one query), each
    figure's note in the reader's language."""
    qs = (
        CommunityPopulation.objects.for_municipalities(scope.municipalities)
        .order_by()
        .select_related("community")
        .only(
            "municipality_id",
            "community__code",
            "share",
            "population",
            "source",
            "reference_year",
            "citation",
            "note_en",
            "note_sq",
            "note_sr_latn",
        )
    )
    return [
        PopulationShare(
            municipality=figure.municipality_id,
            community=figure.community.code,
            share=None if figure.share is None else Fraction(figure.share),
            population=figure.population,
            source=figure.source,
            year=figure.reference_year,
            citation=figure.citation,
            note=figure.note,
        )
        for figure in qs
    ]


def majority_communities(municipalities: dict[int, Municipality]) -> dict[int, str | None]:
    """Each municipality's majority community code, from municipalities already read with
    ``select_related("majority_community")`` (no query)."""
    return {
        pk: (m.majority_community.code if m.majority_community_id is not None else None)
        for pk, m in municipalities.items()
    }
