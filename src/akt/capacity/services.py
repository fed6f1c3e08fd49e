"""Writes to capacity development plans: one function per action, each audited."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
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
from akt.capacity.models import CapacityDevelopmentPlan, PlanStatus
from akt.places.models import Municipality

PLAN_FIELDS = ("municipality", "title", "status", "adopted_on", "period_start", "period_end")


@transaction.atomic
def plan_create(
    *,
    actor: User,
    municipality: Municipality,
    title: str,
    period_start: date,
    period_end: date,
    status: str = PlanStatus.DRAFT,
    adopted_on: date | None = None,
) -> CapacityDevelopmentPlan:
    """Records a municipality's capacity development plan (a focal point: their own only)."""
    require_editor(actor)
    plan = CapacityDevelopmentPlan(
        municipality=municipality,
        title=title,
        status=status,
        adopted_on=adopted_on,
        period_start=period_start,
        period_end=period_end,
    )
    return record_create(
        actor=actor, record=plan, fields=PLAN_FIELDS, action="plan_create", summary=plan.title
    )


@transaction.atomic
def plan_update(
    *, actor: User, plan: CapacityDevelopmentPlan, data: Mapping[str, Any]
) -> CapacityDevelopmentPlan:
    """Changes a plan's fields (any of ``PLAN_FIELDS``); audits old and new values."""
    plan, changes = record_update(actor=actor, record=plan, data=data, fields=PLAN_FIELDS)
    if changes:
        audit_record(
            actor=actor,
            action="plan_update",
            target=plan,
            summary=plan.title,
            changes=changes,
        )
    return plan


@transaction.atomic
def plan_void(
    *, actor: User, plan: CapacityDevelopmentPlan, reason: str
) -> CapacityDevelopmentPlan:
    """Takes a mistaken plan out of every figure, its actions with it; it stays on record,
    marked voided, until :func:`plan_restore`. Who may: see :mod:`akt.accounts.voiding`
    (plans belong to a municipality, so administrators and M&E officers)."""
    return record_void(
        actor=actor,
        record=plan,
        reason=reason,
        action="plan_void",
        summary=_("Voided: %(title)s") % {"title": plan.title},
        consequences={"actions": plan.actions.count()},
    )


@transaction.atomic
def plan_restore(
    *, actor: User, plan: CapacityDevelopmentPlan, reason: str
) -> CapacityDevelopmentPlan:
    """Brings a voided plan back into the figures."""
    return record_restore(
        actor=actor,
        record=plan,
        reason=reason,
        action="plan_restore",
        summary=_("Restored: %(title)s") % {"title": plan.title},
    )
