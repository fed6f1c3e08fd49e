"""Writes to small infrastructure projects: one function per action, each audited."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from akt.accounts.models import User
from akt.accounts.services import (
    audit_record,
    record_create,
    record_update,
    require_editor,
)
from akt.accounts.voiding import record_restore, record_void
from akt.grants.models import Currency
from akt.infrastructure.models import InfrastructureProject, ProjectStatus
from akt.places.models import Municipality
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
) -> InfrastructureProject:
    """Records a small infrastructure project in the actor's municipality or component."""
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
    )
    return record_create(
        actor=actor,
        record=project,
        fields=PROJECT_FIELDS,
        action="project_create",
        summary=str(project),
    )


@transaction.atomic
def project_update(
    *, actor: User, project: InfrastructureProject, data: Mapping[str, Any]
) -> InfrastructureProject:
    """Changes a project's fields (any of ``PROJECT_FIELDS``); audits old and new values."""
    project, changes = record_update(actor=actor, record=project, data=data, fields=PROJECT_FIELDS)
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
def project_void(
    *, actor: User, project: InfrastructureProject, reason: str
) -> InfrastructureProject:
    """Takes a mistaken project out of every figure (projects, contributions); it stays on
    record, marked voided, until :func:`project_restore`. Who may: see
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
