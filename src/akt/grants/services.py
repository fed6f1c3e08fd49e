"""Writes to grants: one function per action, each owning its transaction and audit entry."""

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
    require_writable,
)
from akt.accounts.voiding import record_restore, record_void
from akt.grants.models import Currency, Grant
from akt.people.models import Organization
from akt.places.models import Municipality
from akt.program.models import Component

GRANT_FIELDS = (
    "reference",
    "recipient",
    "component",
    "municipality",
    "sector",
    "amount",
    "currency",
    "award_date",
    "purpose",
)


@transaction.atomic
def grant_create(
    *,
    actor: User,
    reference: str,
    recipient: Organization,
    component: Component,
    municipality: Municipality,
    sector: str,
    amount: Decimal,
    award_date: date,
    currency: str = Currency.USD,
    purpose: str = "",
) -> Grant:
    """Records an award to an organization the actor can see, in the actor's scope."""
    require_editor(actor)
    require_writable(actor, recipient)
    grant = Grant(
        reference=reference,
        recipient=recipient,
        component=component,
        municipality=municipality,
        sector=sector,
        amount=amount,
        currency=currency,
        award_date=award_date,
        purpose=purpose,
    )
    return record_create(
        actor=actor,
        record=grant,
        fields=GRANT_FIELDS,
        action="grant_create",
        summary=grant.reference,
    )


@transaction.atomic
def grant_update(*, actor: User, grant: Grant, data: Mapping[str, Any]) -> Grant:
    """Changes a grant's fields (any of ``GRANT_FIELDS``); audits old and new values."""
    stored_recipient = Grant.objects.values_list("recipient_id", flat=True).get(pk=grant.pk)
    if "recipient" in data and data["recipient"].pk != stored_recipient:
        require_writable(actor, data["recipient"])
    grant, changes = record_update(actor=actor, record=grant, data=data, fields=GRANT_FIELDS)
    if changes:
        audit_record(
            actor=actor,
            action="grant_update",
            target=grant,
            summary=grant.reference,
            changes=changes,
        )
    return grant


@transaction.atomic
def grant_void(*, actor: User, grant: Grant, reason: str) -> Grant:
    """Takes a mistaken grant out of every figure (amounts, organizations reached); it stays
    on record, marked voided, until :func:`grant_restore`. Who may: see
    :mod:`akt.accounts.voiding`."""
    return record_void(
        actor=actor,
        record=grant,
        reason=reason,
        action="grant_void",
        summary=_("Voided: %(reference)s") % {"reference": grant.reference},
        consequences={"amount": str(grant.amount), "currency": grant.currency},
    )


@transaction.atomic
def grant_restore(*, actor: User, grant: Grant, reason: str) -> Grant:
    """Brings a voided grant back into the figures."""
    return record_restore(
        actor=actor,
        record=grant,
        reason=reason,
        action="grant_restore",
        summary=_("Restored: %(reference)s") % {"reference": grant.reference},
    )
