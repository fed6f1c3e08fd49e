"""Voiding and restoring a record: the shared body of ``activity_void``, ``grant_void``, ...

A voided record leaves every figure and stays on record (see :mod:`akt.accounts.voidable`).
Who may void or restore:

- administrators and M&E officers: any activity, grant, plan or project;
- component staff: the activities, grants and projects of their own component (they enter
  them, and they may already change every field of them); a capacity plan belongs to a
  municipality, not a component, so not plans;
- municipal focal points and donor viewers: never. A focal point corrects a record by editing
  it; taking a record out of the program's figures is for the program's own staff.

Both actions need a reason, which the audit entry keeps with the action. A record dated in an
approved quarter is voided or restored like any change to such a record: the audit entry names
the quarter (the approved-period guard registered by :mod:`akt.reports`), the quarter's page
lists it and shows the figures that differ from the approved ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from akt.accounts.models import User
from akt.accounts.scope import Scope
from akt.accounts.services import audit_record
from akt.accounts.voidable import Voidable

V = TypeVar("V", bound=Voidable)

VOID_FIELDS = ("voided_at", "voided_by", "void_reason")


def may_void(user: object, record: Voidable) -> bool:
    """Whether ``user`` may void or restore ``record`` (the rule in the module docstring)."""
    return Scope.for_user(user).may_void(record)


def _stored(actor: User, record: V, reason: str, missing: str) -> V:
    if not may_void(actor, record):
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError({"reason": missing}, code="no-reason")
    # The record's own model (the plugin types a model class's manager by the bound, Voidable).
    return cast(V, type(record)._default_manager.select_for_update().get(pk=record.pk))


def _save(record: Voidable) -> None:
    automatic = [f.name for f in record._meta.concrete_fields if getattr(f, "auto_now", False)]
    record.save(update_fields=[*VOID_FIELDS, *automatic])


def record_void(
    *,
    actor: User,
    record: V,
    reason: str,
    action: str,
    summary: str,
    consequences: Mapping[str, Any] | None = None,
) -> V:
    """Voids ``record``; call inside the entity service's transaction.

    ``consequences`` (what leaves the figures with it: roster rows, headcounts, ...) go into the
    audit entry beside the action. A record already voided is refused, not voided twice.
    """
    stored = _stored(
        actor, record, reason, _("Say why this record is voided; the reason is kept with it.")
    )
    if stored.is_voided:
        raise ValidationError(_("This record is already voided."), code="already-voided")
    stored.voided_at = timezone.now()
    stored.voided_by = actor
    stored.void_reason = reason.strip()
    _save(stored)
    audit_record(
        actor=actor,
        action=action,
        target=stored,
        summary=summary,
        changes={"voided": [False, True], **(consequences or {})},
        reason=stored.void_reason,
    )
    return stored


def record_restore(
    *,
    actor: User,
    record: V,
    reason: str,
    action: str,
    summary: str,
    consequences: Mapping[str, Any] | None = None,
) -> V:
    """Restores a voided ``record`` exactly as it was; call inside the entity service's
    transaction. The audit entry keeps the voiding it undoes (when, by whom, why)."""
    stored = _stored(actor, record, reason, _("Say why this record is restored."))
    if stored.voided_at is None:  # not stored.is_voided, which mypy cannot look into
        raise ValidationError(_("This record is not voided."), code="not-voided")
    undone = {
        "voided_at": stored.voided_at.isoformat(),
        "voided_by": stored.voided_by_id,
        "void_reason": stored.void_reason,
    }
    stored.voided_at, stored.voided_by, stored.void_reason = None, None, ""
    _save(stored)
    audit_record(
        actor=actor,
        action=action,
        target=stored,
        summary=summary,
        changes={"voided": [True, False], "voiding_undone": undone, **(consequences or {})},
        reason=reason.strip(),
    )
    return stored
