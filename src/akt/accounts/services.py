"""Writes that every other service shares: the audit entry."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from akt.accounts.models import AuditEntry, User


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: Model,
    summary: str = "",
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Appends one entry to the audit log. Call inside the service's transaction."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        summary=summary[:300],
        changes=changes or {},
        reason=reason,
    )
