"""Writes to small infrastructure projects: one function per action, each audited.

Every function here owns its transaction, checks that the actor may write the project (the
read rule of :class:`akt.accounts.scope.Scope`: administrators and M&E officers every project,
component staff their component's, a focal point their municipality's, a donor none), validates
before it saves and writes an audit entry. A project's spending and milestones are written
through their project: whoever may change the project may change them, nobody else.

The rule of completion lives here (:func:`require_works_completed`): a project becomes
completed only when its "works completed" milestone is done.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from akt.accounts.models import User
from akt.accounts.services import (
    audit_record,
    audit_values,
    changed_values,
    record_update,
    require_editor,
    require_writable,
)
from akt.accounts.voiding import record_restore, record_void
from akt.grants.models import Currency
from akt.infrastructure.models import (
    InfrastructureProject,
    MilestoneKind,
    ProjectMilestone,
    ProjectSpending,
    ProjectStatus,
)
from akt.places.models import Community, Municipality
from akt.program.models import Component

PROJECT_FIELDS = (
    "code",
    "title",
    "component",
    "municipality",
    "status",
    "start_date",
    "completion_date",
    "currency",
    "program_contribution",
    "municipal_contribution",
)
"""The fields a list of projects sets; an import compares a row of a known project with them."""

PROJECT_DETAIL_FIELDS = (
    "selection_date",
    "selection_justification",
    "latitude",
    "longitude",
    "community_contribution",
    "community_contribution_kind",
)
"""The fields entered on the project's own page: its selection, its point, the community's
share. (The communities involved are a many-to-many relation, written beside them.)"""

HANDOVER_FIELDS = ("handover_date", "handed_over_to", "completion_certificate")
"""Written by :func:`project_hand_over` only."""

SPENDING_FIELDS = ("spent_on", "amount", "category", "paid_by", "note")
MILESTONE_FIELDS = ("kind", "planned_date", "actual_date", "note")

R = TypeVar("R", bound=models.Model)


# -- the rule of completion -----------------------------------------------------------------


def works_completed(project: InfrastructureProject) -> bool:
    """Whether the project's "works completed" milestone is done (has its actual date)."""
    return project.milestones.filter(
        kind=MilestoneKind.WORKS_COMPLETED, actual_date__isnull=False
    ).exists()


def require_works_completed(project: InfrastructureProject) -> None:
    """The rule of completion: **a project is completed only when its "works completed"
    milestone is done**, that is, when the day the works were completed is recorded on it.

    Refuses (``ValidationError`` on ``status``) otherwise. Checked whenever a project's status
    becomes completed; a new project has no milestones yet, so it is never created completed
    (imports of past projects, which carry no milestones, go through the intake path)."""
    if not works_completed(project):
        raise ValidationError(
            {
                "status": _(
                    "A project is completed only when its “works completed” milestone is "
                    "done: record the day the works were completed on that milestone first."
                )
            },
            code="works_not_completed",
        )


# -- projects -------------------------------------------------------------------------------


def _community_ids(communities: Iterable[Community]) -> list[int]:
    return sorted(community.pk for community in communities)


@transaction.atomic
def project_create(
    *,
    actor: User,
    code: str,
    title: str,
    component: Component,
    municipality: Municipality,
    start_date: date,
    program_contribution: Decimal,
    municipal_contribution: Decimal = Decimal("0"),
    status: str = ProjectStatus.PLANNED,
    completion_date: date | None = None,
    currency: str = Currency.USD,
    communities: Iterable[Community] = (),
    selection_date: date | None = None,
    selection_justification: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    community_contribution: Decimal = Decimal("0"),
    community_contribution_kind: str = "",
) -> InfrastructureProject:
    """Records a small infrastructure project in the actor's municipality or component, with
    the communities it brings together. It is never created completed: see
    :func:`require_works_completed`."""
    require_editor(actor)
    project = InfrastructureProject(
        code=code,
        title=title,
        component=component,
        municipality=municipality,
        status=status,
        start_date=start_date,
        completion_date=completion_date,
        currency=currency,
        program_contribution=program_contribution,
        municipal_contribution=municipal_contribution,
        selection_date=selection_date,
        selection_justification=selection_justification,
        latitude=latitude,
        longitude=longitude,
        community_contribution=community_contribution,
        community_contribution_kind=community_contribution_kind,
    )
    project.full_clean()
    if status == ProjectStatus.COMPLETED:
        # A new project has no milestones, so its "works completed" one is not done.
        raise ValidationError(
            {
                "status": _(
                    "A new project cannot be completed yet: a project is completed only when "
                    "its “works completed” milestone is done. Save it as under way, record "
                    "that milestone, then complete it."
                )
            },
            code="works_not_completed",
        )
    project.save()
    require_writable(actor, project)
    chosen = list(communities)
    project.communities.set(chosen)
    audit_record(
        actor=actor,
        action="project_create",
        target=project,
        summary=str(project),
        changes={
            **audit_values(project, (*PROJECT_FIELDS, *PROJECT_DETAIL_FIELDS)),
            "communities": _community_ids(chosen),
        },
    )
    return project


@transaction.atomic
def project_update(
    *, actor: User, project: InfrastructureProject, data: Mapping[str, Any]
) -> InfrastructureProject:
    """Changes a project's fields (any of ``PROJECT_FIELDS`` and ``PROJECT_DETAIL_FIELDS``, and
    ``communities``); audits old and new values. Completing it follows
    :func:`require_works_completed`."""
    values = dict(data)
    communities = values.pop("communities", None)
    project, changes = record_update(
        actor=actor,
        record=project,
        data=values,
        fields=(*PROJECT_FIELDS, *PROJECT_DETAIL_FIELDS),
    )
    if "status" in changes and project.status == ProjectStatus.COMPLETED:
        require_works_completed(project)
    if communities is not None:
        before = sorted(project.communities.values_list("pk", flat=True))
        after = _community_ids(communities)
        if before != after:
            project.communities.set(list(communities))
            changes["communities"] = [before, after]
    if changes:
        audit_record(
            actor=actor,
            action="project_update",
            target=project,
            summary=str(project),
            changes=changes,
        )
    return project


@transaction.atomic
def project_hand_over(
    *,
    actor: User,
    project: InfrastructureProject,
    handover_date: date,
    handed_over_to: str,
    completion_certificate: str = "",
) -> InfrastructureProject:
    """Records that a completed project was handed over to a municipal department, on a day and
    with its completion certificate; its "handover" milestone is done on that day (added if the
    project had none). Refused for a project that is not completed."""
    stored = InfrastructureProject.objects.select_for_update().get(pk=project.pk)
    require_writable(actor, stored)
    if stored.status != ProjectStatus.COMPLETED:
        raise ValidationError(
            _(
                "Only a completed project is handed over. Complete it first: its “works "
                "completed” milestone done, its status completed."
            ),
            code="not_completed",
        )
    errors = {}
    if not (handed_over_to or "").strip():
        errors["handed_over_to"] = _("Name the municipal department that takes the project over.")
    if handover_date > timezone.localdate():
        errors["handover_date"] = _("The handover date cannot be in the future.")
    if errors:
        raise ValidationError(errors, code="invalid")
    before = audit_values(stored, HANDOVER_FIELDS)
    stored.handover_date = handover_date
    stored.handed_over_to = handed_over_to.strip()
    stored.completion_certificate = (completion_certificate or "").strip()
    stored.full_clean()
    changes = changed_values(before, audit_values(stored, HANDOVER_FIELDS))
    if changes:
        stored.save(update_fields=list(changes))
        audit_record(
            actor=actor,
            action="project_hand_over",
            target=stored,
            summary=str(stored),
            changes=changes,
        )
    _handover_milestone_done(actor=actor, project=stored, day=handover_date)
    return stored


def _handover_milestone_done(*, actor: User, project: InfrastructureProject, day: date) -> None:
    """The project's "handover" milestone done on ``day``: the plan meets the record."""
    milestone = (
        ProjectMilestone.objects.select_for_update()
        .filter(project=project, kind=MilestoneKind.HANDOVER)
        .first()
    )
    if milestone is None:
        milestone = ProjectMilestone(
            project=project, kind=MilestoneKind.HANDOVER, planned_date=day, actual_date=day
        )
        milestone.full_clean()
        milestone.save()
        audit_record(
            actor=actor,
            action="milestone_add",
            target=milestone,
            summary=str(milestone),
            changes=audit_values(milestone, MILESTONE_FIELDS),
        )
    elif milestone.actual_date != day:
        _save_changes(
            actor=actor,
            record=milestone,
            data={"actual_date": day},
            fields=MILESTONE_FIELDS,
            action="milestone_update",
        )


@transaction.atomic
def project_void(
    *, actor: User, project: InfrastructureProject, reason: str
) -> InfrastructureProject:
    """Takes a mistaken project out of every figure (projects, contributions, spending); it
    stays on record, marked voided, until :func:`project_restore`. Who may: see
    :mod:`akt.accounts.voiding`.

    Its joint activities are records of their own, with their own rosters, and may well have
    happened even when the project was entered wrongly (twice, say): they keep counting, and
    are voided from their own pages if they too were a mistake. The audit entry lists them.
    """
    return record_void(
        actor=actor,
        record=project,
        reason=reason,
        action="project_void",
        summary=_("Voided: %(project)s") % {"project": str(project)},
        consequences={
            "joint_activities_still_counted": sorted(
                project.joint_activities.filter(voided_at__isnull=True).values_list("pk", flat=True)
            )
        },
    )


@transaction.atomic
def project_restore(
    *, actor: User, project: InfrastructureProject, reason: str
) -> InfrastructureProject:
    """Brings a voided project back into the figures."""
    return record_restore(
        actor=actor,
        record=project,
        reason=reason,
        action="project_restore",
        summary=_("Restored: %(project)s") % {"project": str(project)},
    )


# -- a project's records: spending and milestones -------------------------------------------


def _writable_project(actor: User, project_id: int) -> InfrastructureProject:
    """The stored project, if ``actor`` may change it (its spending and milestones with it)."""
    project = InfrastructureProject.objects.get(pk=project_id)
    require_writable(actor, project)
    return project


def _save_changes(
    *,
    actor: User,
    record: R,
    data: Mapping[str, Any],
    fields: Sequence[str],
    action: str,
) -> tuple[R, dict[str, list[Any]]]:
    """Sets ``data`` on the stored, locked row of ``record``, validates, saves the changed fields
    and audits them; the caller has checked the actor may. Returns the row and its changes."""
    unknown = set(data) - set(fields)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    stored = type(record)._default_manager.select_for_update().get(pk=record.pk)
    before = audit_values(stored, fields)
    for name, value in data.items():
        setattr(stored, name, value)
    stored.full_clean()
    changes = changed_values(before, audit_values(stored, fields))
    if changes:
        stored.save(update_fields=list(changes))
        audit_record(
            actor=actor, action=action, target=stored, summary=str(stored), changes=changes
        )
    return stored, changes


@transaction.atomic
def spending_add(
    *,
    actor: User,
    project: InfrastructureProject,
    spent_on: date,
    amount: Decimal,
    category: str,
    paid_by: str,
    note: str = "",
) -> ProjectSpending:
    """Records a payment against the project's budget, in the project's currency. A payment
    that takes the spending above the budget is recorded too: the project's page flags it."""
    project = _writable_project(actor, project.pk)
    spending = ProjectSpending(
        project=project,
        spent_on=spent_on,
        amount=amount,
        category=category,
        paid_by=paid_by,
        note=note,
    )
    spending.full_clean()
    spending.save()
    audit_record(
        actor=actor,
        action="spending_add",
        target=spending,
        summary=str(spending),
        changes=audit_values(spending, SPENDING_FIELDS),
    )
    return spending


@transaction.atomic
def spending_update(
    *, actor: User, spending: ProjectSpending, data: Mapping[str, Any]
) -> ProjectSpending:
    """Changes a payment (any of ``SPENDING_FIELDS``); audits old and new values."""
    _writable_project(actor, spending.project_id)
    stored, _changes = _save_changes(
        actor=actor, record=spending, data=data, fields=SPENDING_FIELDS, action="spending_update"
    )
    return stored


@transaction.atomic
def milestone_add(
    *,
    actor: User,
    project: InfrastructureProject,
    kind: str,
    planned_date: date,
    actual_date: date | None = None,
    note: str = "",
) -> ProjectMilestone:
    """Adds one of the project's procurement or construction milestones (each kind once)."""
    project = _writable_project(actor, project.pk)
    milestone = ProjectMilestone(
        project=project, kind=kind, planned_date=planned_date, actual_date=actual_date, note=note
    )
    milestone.full_clean()
    milestone.save()
    audit_record(
        actor=actor,
        action="milestone_add",
        target=milestone,
        summary=str(milestone),
        changes=audit_values(milestone, MILESTONE_FIELDS),
    )
    return milestone


@transaction.atomic
def milestone_update(
    *, actor: User, milestone: ProjectMilestone, data: Mapping[str, Any]
) -> ProjectMilestone:
    """Changes a milestone (any of ``MILESTONE_FIELDS``); audits old and new values.

    A completed project keeps its "works completed" milestone done (the rule of
    :func:`require_works_completed` holds after the change too): to undo it, change the
    project's status first."""
    project = _writable_project(actor, milestone.project_id)
    stored, changes = _save_changes(
        actor=actor,
        record=milestone,
        data=data,
        fields=MILESTONE_FIELDS,
        action="milestone_update",
    )
    if changes and project.status == ProjectStatus.COMPLETED and not works_completed(project):
        raise ValidationError(
            {
                "actual_date": _(
                    "The project is completed, so its “works completed” milestone stays done. "
                    "To undo it, change the project's status first."
                )
            },
            code="completed_project",
        )
    return stored
