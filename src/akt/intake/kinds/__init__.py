"""What a file can hold: one :class:`~akt.intake.kinds.base.Kind` per :class:`ImportKind`.

Roster and tally go into one activity (:mod:`.attendance`); the others are lists of records, one
module per kind, each declaring its columns (headers in every language), how a row is read, and
the model it creates (:class:`~akt.intake.kinds.base.RecordKind` does the rest).
"""

from __future__ import annotations

from django.apps import apps

from akt.intake.kinds.activities import ActivitiesKind
from akt.intake.kinds.attendance import RosterKind, TallyKind
from akt.intake.kinds.base import CHOICES, Kind, RecordKind, worded_choices
from akt.intake.kinds.grants import GrantsKind
from akt.intake.kinds.organizations import OrganizationsKind
from akt.intake.kinds.plans import PlanActionsKind, PlansKind
from akt.intake.kinds.projects import ProjectsKind
from akt.intake.models import ImportKind, ImportSource

__all__ = [
    "CHOICES",
    "KINDS",
    "LIST_ORDER",
    "Kind",
    "RecordKind",
    "field_labels",
    "import_kind",
    "worded_choices",
    "worded_record",
]

KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        RosterKind(),
        TallyKind(),
        OrganizationsKind(),
        ProjectsKind(),
        ActivitiesKind(),
        PlansKind(),
        PlanActionsKind(),
        GrantsKind(),
    )
}

LIST_ORDER: tuple[str, ...] = (
    ImportKind.ORGANIZATIONS,
    ImportKind.PROJECTS,
    ImportKind.ACTIVITIES,
    ImportKind.PLANS,
    ImportKind.PLAN_ACTIONS,
    ImportKind.GRANTS,
)
"""The order a folder's lists are committed in: each after the records its rows may name (a
grant's organization, an activity's project and organizer, an action's plan)."""


def import_kind(code: str) -> Kind:
    """The kind of that code; ValueError for a code no kind has."""
    try:
        return KINDS[code]
    except KeyError:
        raise ValueError(f"unknown import kind {code!r}") from None


def field_labels(kind: str | None = None) -> dict[str, object]:
    """Field code -> label of one kind (a problem names its field by the label), or of every
    kind, the first kind's label winning, when the problem does not say which."""
    kinds = [KINDS[kind]] if kind in KINDS else list(KINDS.values())
    labels: dict[str, object] = {}
    for spec in kinds:
        for item in spec.fields(ImportSource.KOBO):
            labels.setdefault(item.code, item.label)
    return labels


def worded_record(label: str) -> str:
    """A model's name ("people.organization") in the active language ("organization")."""
    return str(apps.get_model(label)._meta.verbose_name)
