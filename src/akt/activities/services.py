"""Writes to activities, their rosters and their tallies.

Every function here is the one way its action happens, whoever asks (a page, the API, an
import): it checks the actor's scope, validates the record with ``full_clean()``, saves it and
writes the audit entry, all in one transaction. A refused or invalid write leaves nothing behind.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from datetime import date
from importlib import resources
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Sum
from django.utils.translation import gettext_lazy as _

from akt.accounts.models import User
from akt.accounts.scope import Scope
from akt.accounts.services import (
    audit_record,
    audit_values,
    changed_values,
    record_update,
    require_editor,
    require_writable,
)
from akt.accounts.voiding import record_restore, record_void
from akt.activities.models import Activity, Attendance, AttendanceRole, Tally, Topic
from akt.capacity.models import PlanAction
from akt.infrastructure.models import InfrastructureProject
from akt.people.models import Organization, Person
from akt.people.services import PERSON_FIELDS
from akt.places.models import Community, Municipality
from akt.program.models import Component

ACTIVITY_FIELDS = (
    "title",
    "kind",
    "component",
    "municipality",
    "start_date",
    "end_date",
    "venue",
    "description",
    "project",
    "organizer",
    "attendance_form",
)
TALLY_FIELDS = ("sex", "community", "age_band", "headcount")

M = TypeVar("M", bound=Model)

# The same message as the model's unique constraint, here tied to the field it is about.
ALREADY_ON_ROSTER = _("This person is already on the activity's roster.")


def _topic_codes(activity: Activity) -> list[str]:
    return sorted(activity.topics.values_list("code", flat=True))


# -- activities ------------------------------------------------------------------------------


@transaction.atomic
def activity_create(
    *,
    actor: User,
    title: str,
    kind: str,
    component: Component,
    municipality: Municipality,
    start_date: date,
    end_date: date,
    venue: str = "",
    description: str = "",
    project: InfrastructureProject | None = None,
    topics: Iterable[Topic] = (),
    organizer: Organization | None = None,
    attendance_form: str = "",
    plan_actions: Iterable[PlanAction] = (),
) -> Activity:
    """Records a new activity in the actor's municipality or component, with the actions of
    the municipality's capacity plan it serves."""
    require_editor(actor)
    activity = Activity(
        title=title,
        kind=kind,
        component=component,
        municipality=municipality,
        start_date=start_date,
        end_date=end_date,
        venue=venue,
        description=description,
        project=project,
        organizer=organizer,
        attendance_form=attendance_form,
    )
    activity.full_clean()
    activity.save()
    activity.topics.set(topics)
    activity.plan_actions.set(_served(activity, plan_actions))
    require_writable(actor, activity)
    changes = audit_values(activity, ACTIVITY_FIELDS)
    changes["topics"] = _topic_codes(activity)
    changes["plan_actions"] = _action_ids(activity)
    audit_record(
        actor=actor,
        action="activity_create",
        target=activity,
        summary=activity.title,
        changes=changes,
    )
    return activity


@transaction.atomic
def activity_update(*, actor: User, activity: Activity, data: Mapping[str, Any]) -> Activity:
    """Changes an activity's fields (any of ``ACTIVITY_FIELDS`` and ``topics``).

    Only the fields in ``data`` change; the audit entry lists each changed field's old and new
    value (topics by code). An update that changes nothing writes no audit entry.
    """
    fields = {name: value for name, value in data.items() if name not in ("topics", "plan_actions")}
    activity, changes = record_update(
        actor=actor, record=activity, data=fields, fields=ACTIVITY_FIELDS
    )
    if "topics" in data:
        topics_before = _topic_codes(activity)
        activity.topics.set(data["topics"])
        topics_after = _topic_codes(activity)
        if topics_after != topics_before:
            changes["topics"] = [topics_before, topics_after]
    if "plan_actions" in data:
        actions_before = _action_ids(activity)
        activity.plan_actions.set(_served(activity, data["plan_actions"]))
        actions_after = _action_ids(activity)
        if actions_after != actions_before:
            changes["plan_actions"] = [actions_before, actions_after]
    if changes:
        audit_record(
            actor=actor,
            action="activity_update",
            target=activity,
            summary=activity.title,
            changes=changes,
        )
    return activity


def _served(activity: Activity, actions: Iterable[PlanAction]) -> list[PlanAction]:
    """The plan actions an activity may serve: its own municipality's (refused otherwise)."""
    chosen = list(actions)
    foreign = [
        action.title for action in chosen if action.plan.municipality_id != activity.municipality_id
    ]
    if foreign:
        raise ValidationError(
            {
                "plan_actions": _(
                    "These actions belong to another municipality's plan: %(actions)s."
                )
                % {"actions": ", ".join(foreign)}
            }
        )
    return chosen


def _action_ids(activity: Activity) -> list[int]:
    return sorted(activity.plan_actions.values_list("pk", flat=True))


def _what_hangs_on(activity: Activity) -> dict[str, Any]:
    """What leaves (or comes back to) the figures with an activity, for the audit entry."""
    return {
        "roster_rows": Attendance.objects.filter(activity=activity).count(),
        "headcount": Tally.objects.filter(activity=activity).aggregate(n=Sum("headcount"))["n"]
        or 0,
        "import_batches": sorted(
            {
                *Attendance.objects.filter(activity=activity, batch__isnull=False).values_list(
                    "batch_id", flat=True
                ),
                *Tally.objects.filter(activity=activity, batch__isnull=False).values_list(
                    "batch_id", flat=True
                ),
            }
        ),
    }


@transaction.atomic
def activity_void(*, actor: User, activity: Activity, reason: str) -> Activity:
    """Takes a mistaken activity out of every figure, with its roster and its headcounts.

    Nothing is deleted: the activity, its roster rows and tally cells (imported ones keep their
    batch and row) stay on record, marked voided, and :func:`activity_restore` brings them all
    back. Who may: see :mod:`akt.accounts.voiding`. The audit entry counts what left the
    figures. An activity of an approved quarter is voided like any change to it: with the
    reason, its quarter named in the entry and the differences shown on the quarter's page.
    """
    return record_void(
        actor=actor,
        record=activity,
        reason=reason,
        action="activity_void",
        summary=_("Voided: %(title)s") % {"title": activity.title},
        consequences=_what_hangs_on(activity),
    )


@transaction.atomic
def activity_restore(*, actor: User, activity: Activity, reason: str) -> Activity:
    """Brings a voided activity back into the figures, with its roster and headcounts."""
    return record_restore(
        actor=actor,
        record=activity,
        reason=reason,
        action="activity_restore",
        summary=_("Restored: %(title)s") % {"title": activity.title},
        consequences=_what_hangs_on(activity),
    )


# -- rosters ---------------------------------------------------------------------------------

ATTENDANCE_FIELDS = ("activity", "person", "role", "organization", "affiliation")


def _attendance_save(
    *,
    actor: User,
    activity: Activity,
    person: Person,
    role: str,
    organization: Organization | None,
    affiliation: str | None,
) -> Attendance:
    """``affiliation`` None or empty: the person's, as it is today (``Attendance.save``)."""
    attendance = Attendance(
        activity=activity,
        person=person,
        role=role,
        organization=organization,
        affiliation=affiliation or "",
    )
    attendance.full_clean()
    attendance.save()
    audit_record(
        actor=actor,
        action="attendance_add",
        target=attendance,
        summary=f"{person.full_name} @ {activity.title}",
        changes=audit_values(attendance, ATTENDANCE_FIELDS),
    )
    return attendance


@transaction.atomic
def attendance_add(
    *,
    actor: User,
    activity: Activity,
    person: Person,
    role: str = AttendanceRole.PARTICIPANT,
    organization: Organization | None = None,
    affiliation: str | None = None,
) -> Attendance:
    """Puts a person the actor may see on the roster of an activity the actor may edit, with
    what they were when they attended (``affiliation``; None: the person's own).

    A person already on the roster is refused (``ValidationError`` on ``person``), so a sheet
    entered twice does not count anyone twice.
    """
    require_writable(actor, activity)
    scope = Scope.for_user(actor)
    if not scope.may_see(person):
        raise PermissionDenied
    if organization is not None and not scope.may_see(organization):
        raise PermissionDenied
    if Attendance.objects.filter(activity=activity, person=person).exists():
        raise ValidationError({"person": ALREADY_ON_ROSTER})
    return _attendance_save(
        actor=actor,
        activity=activity,
        person=person,
        role=role,
        organization=organization,
        affiliation=affiliation,
    )


@transaction.atomic
def attendance_add_new_person(
    *,
    actor: User,
    activity: Activity,
    person_data: Mapping[str, Any],
    role: str = AttendanceRole.PARTICIPANT,
    organization: Organization | None = None,
) -> Attendance:
    """Registers a participant not yet in the system and puts them on the roster, at once.

    ``person_data`` holds the fields of ``PERSON_FIELDS``. This is how component staff register
    participants: the new person is within their scope because they are on the roster of an
    activity of their component. A focal point may only register residents of their
    municipality (otherwise the person would vanish from their view at once).
    """
    unknown = set(person_data) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"attendance_add_new_person() got unknown fields: {sorted(unknown)}")
    require_writable(actor, activity)
    scope = Scope.for_user(actor)
    if organization is not None and not scope.may_see(organization):
        raise PermissionDenied
    person = Person(**person_data)
    person.full_clean()
    person.save()
    audit_record(
        actor=actor,
        action="person_create",
        target=person,
        summary=person.full_name,
        changes=audit_values(person, PERSON_FIELDS),
    )
    attendance = _attendance_save(
        actor=actor,
        activity=activity,
        person=person,
        role=role,
        organization=organization,
        affiliation=None,
    )
    if not scope.may_see(person):
        raise PermissionDenied
    return attendance


@transaction.atomic
def attendance_remove(*, actor: User, attendance: Attendance) -> None:
    """Takes a person off a roster. The person's record stays; only this attendance goes."""
    activity = attendance.activity
    require_writable(actor, activity)
    if not Scope.for_user(actor).attendances(Attendance.objects.filter(pk=attendance.pk)).exists():
        raise PermissionDenied
    audit_record(
        actor=actor,
        action="attendance_remove",
        target=attendance,
        summary=f"{attendance.person.full_name} @ {activity.title}",
        changes=audit_values(attendance, ATTENDANCE_FIELDS),
    )
    attendance.delete()


# -- tallies ---------------------------------------------------------------------------------


@transaction.atomic
def tally_set(
    *,
    actor: User,
    activity: Activity,
    sex: str,
    community: Community | None,
    age_band: str,
    headcount: int,
    tally: Tally | None = None,
) -> Tally:
    """Creates a headcount cell of an activity, or changes the one given as ``tally``.

    An empty ``sex``, ``community`` or ``age_band`` is that split's "unknown" cell. A cell that
    already exists is refused rather than overwritten: entering the same sheet twice should be
    noticed, and a cell is changed by opening it.
    """
    require_writable(actor, activity)
    if tally is None:
        tally = Tally(activity=activity)
        before: dict[str, Any] | None = None
    else:
        # The stored cell, not the caller's copy (which a form may already have changed).
        tally = Tally.objects.select_for_update().get(pk=tally.pk)
        if tally.activity_id != activity.pk:
            raise PermissionDenied
        before = audit_values(tally, TALLY_FIELDS)
    tally.sex = sex
    tally.community = community
    tally.age_band = age_band
    tally.headcount = headcount
    tally.full_clean()
    after = audit_values(tally, TALLY_FIELDS)
    changes = after if before is None else changed_values(before, after)
    if changes:
        tally.save()
        audit_record(
            actor=actor,
            action="tally_set",
            target=tally,
            summary=activity.title,
            changes=changes,
        )
    return tally


@transaction.atomic
def topics_load() -> int:
    """Creates or updates the activity topics from the list that ships with the system."""
    text = resources.files("akt.activities").joinpath("data", "topics.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    for row in rows:
        Topic.objects.update_or_create(
            code=row["code"], defaults={k: v for k, v in row.items() if k != "code"}
        )
    return len(rows)
