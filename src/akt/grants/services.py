"""Writes to grants and exchange rates: one function per action, each owning its transaction,
its permission check and its audit entry.

Every grant written here has its amount in US dollars (``amount_usd``): equal to the amount for
a grant in dollars; for another currency, the amount times the exchange rate of the award date,
the rate (and its date and source) kept on the grant. The rate is the one given with the grant,
or else the latest one on or before the award date in the :class:`ExchangeRate` table; a grant in
another currency with neither is refused, naming the currency and the date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from akt.accounts.models import User
from akt.accounts.services import (
    audit_record,
    audit_values,
    changed_values,
    record_create,
    record_update,
    require_editor,
    require_writable,
)
from akt.accounts.voiding import record_restore, record_void
from akt.grants.models import Currency, ExchangeRate, Grant, usd_value
from akt.grants.rules import manages_exchange_rates
from akt.people.models import Organization
from akt.places.models import Municipality
from akt.program.models import Component
from akt.text.locales import format_money

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
"""The fields a person enters (and an imported list compares)."""

CONVERSION_FIELDS = ("usd_rate", "rate_date", "rate_source", "amount_usd")
"""The fields that follow from the amount, the currency and the exchange rate."""

RATE_FIELDS = ("currency", "on", "usd_per_unit", "source")

MONEY_FIELDS = ("amount", "currency", "award_date")
"""A change to any of these converts the grant to US dollars again."""


# -- conversion to US dollars ------------------------------------------------------------------


@dataclass(frozen=True)
class Conversion:
    usd_rate: Decimal | None
    rate_date: date | None
    rate_source: str
    amount_usd: Decimal | None


def no_rate_message(currency: str, day: date) -> str:
    return _(
        "There is no exchange rate for %(currency)s on or before %(date)s. Add it on the "
        "exchange rates page, or give the rate and its source here."
    ) % {"currency": currency, "date": date_format(day, "DATE_FORMAT")}


def conversion_for(
    *,
    currency: str,
    amount: Decimal,
    on: date,
    usd_rate: Decimal | None = None,
    rate_source: str = "",
) -> Conversion:
    """How a grant of ``amount`` ``currency`` awarded ``on`` that day is worth in US dollars.

    ``usd_rate`` (with its ``rate_source``) is a rate given by hand; without one the table's
    latest rate on or before the day is taken. Raises ``ValidationError`` (on ``currency``,
    naming the currency and the date) when there is none.
    """
    if currency == Currency.USD:
        if usd_rate is not None:
            raise ValidationError(
                {"usd_rate": _("A grant in US dollars needs no exchange rate.")}, code="usd-rate"
            )
        return Conversion(None, None, "", usd_value(amount, currency, None))
    if usd_rate is not None:
        if usd_rate <= 0:
            raise ValidationError(
                {"usd_rate": _("The rate must be more than zero.")}, code="min_value"
            )
        if not rate_source.strip():
            raise ValidationError(
                {"rate_source": _("Say where the rate comes from.")}, code="required"
            )
        return Conversion(usd_rate, on, rate_source.strip(), usd_value(amount, currency, usd_rate))
    rate = ExchangeRate.objects.on_or_before(currency, on)
    if rate is None:
        raise ValidationError({"currency": no_rate_message(currency, on)}, code="no-rate")
    return Conversion(
        rate.usd_per_unit,
        rate.on,
        rate.source,
        usd_value(amount, currency, rate.usd_per_unit),
    )


def _convert(grant: Grant, conversion: Conversion) -> None:
    for name, value in asdict(conversion).items():
        setattr(grant, name, value)


def money_text(amount: Decimal, currency: str) -> str:
    """An amount as the reader's language writes it, for messages."""
    return format_money(amount, currency, get_language() or "en")


# -- grants ------------------------------------------------------------------------------------


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
    usd_rate: Decimal | None = None,
    rate_source: str = "",
) -> Grant:
    """Records an award to an organization the actor can see, in the actor's scope, with its
    amount in US dollars (see the module's docstring)."""
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
    if amount is not None and award_date is not None:
        _convert(
            grant,
            conversion_for(
                currency=currency,
                amount=amount,
                on=award_date,
                usd_rate=usd_rate,
                rate_source=rate_source,
            ),
        )
    return record_create(
        actor=actor,
        record=grant,
        fields=GRANT_FIELDS + CONVERSION_FIELDS,
        action="grant_create",
        summary=grant.reference,
    )


@transaction.atomic
def grant_update(*, actor: User, grant: Grant, data: Mapping[str, Any]) -> Grant:
    """Changes a grant's fields (any of ``GRANT_FIELDS``, and ``usd_rate`` with ``rate_source``
    for a rate given by hand); audits old and new values.

    A change of amount, currency or award date converts the grant to US dollars again (refused
    without a rate); a grant still lacking a rate gets one if the table now has it. The amount
    cannot fall below what its tranches plan.
    """
    values = dict(data)
    usd_rate = values.pop("usd_rate", None)
    rate_source = values.pop("rate_source", "") or ""
    stored = Grant.objects.select_for_update().get(pk=grant.pk)
    if "recipient" in values and values["recipient"].pk != stored.recipient_id:
        require_writable(actor, values["recipient"])
    after = {name: values.get(name, getattr(stored, name)) for name in MONEY_FIELDS}
    money_changed = any(after[name] != getattr(stored, name) for name in MONEY_FIELDS)
    conversion: Conversion | None = None
    if after["amount"] is not None and after["award_date"] is not None:
        wanted = {
            "currency": after["currency"],
            "amount": after["amount"],
            "on": after["award_date"],
            "usd_rate": usd_rate,
            "rate_source": rate_source,
        }
        if usd_rate is not None or money_changed:
            conversion = conversion_for(**wanted)
        elif stored.amount_usd is None:
            try:
                conversion = conversion_for(**wanted)
            except ValidationError:
                conversion = None  # it stays listed as lacking a rate
        planned = stored.tranches.aggregate(total=Sum("planned_amount"))["total"]
        if planned is not None and after["amount"] < planned:
            raise ValidationError(
                {
                    "amount": _("Its tranches already plan %(planned)s; the award cannot be less.")
                    % {"planned": money_text(planned, after["currency"])}
                },
                code="below-tranches",
            )
    if conversion is not None:
        values.update(asdict(conversion))
    grant, changes = record_update(
        actor=actor, record=stored, data=values, fields=GRANT_FIELDS + CONVERSION_FIELDS
    )
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


def grant_convert(*, actor: User, grant: Grant, conversion: Conversion) -> Grant:
    """Keeps ``conversion`` on a grant that lacked a rate (call inside a transaction)."""
    stored = Grant.objects.select_for_update().get(pk=grant.pk)
    require_writable(actor, stored)
    before = audit_values(stored, CONVERSION_FIELDS)
    _convert(stored, conversion)
    stored.full_clean()
    changes = changed_values(before, audit_values(stored, CONVERSION_FIELDS))
    if changes:
        stored.save(update_fields=list(changes))
        audit_record(
            actor=actor,
            action="grant_rate_apply",
            target=stored,
            summary=stored.reference,
            changes=changes,
        )
    return stored


@transaction.atomic
def grant_rates_apply(*, actor: User) -> int:
    """Gives every counted grant lacking a dollar amount the rate the table now has for its
    award date (an imported grant in euros, one entered before its rate); returns how many got
    one. Grants for which the table still has no rate stay listed as lacking one."""
    if not manages_exchange_rates(actor):
        raise PermissionDenied
    converted = 0
    for grant in Grant.objects.counted().filter(amount_usd__isnull=True).order_by("pk"):
        try:
            conversion = conversion_for(
                currency=grant.currency, amount=grant.amount, on=grant.award_date
            )
        except ValidationError:
            continue
        grant_convert(actor=actor, grant=grant, conversion=conversion)
        converted += 1
    return converted


# -- exchange rates ----------------------------------------------------------------------------


def _require_rate_keeper(actor: User) -> None:
    if not manages_exchange_rates(actor):
        raise PermissionDenied


@transaction.atomic
def rate_create(
    *, actor: User, currency: str, on: date, usd_per_unit: Decimal, source: str
) -> ExchangeRate:
    """Records what one unit of ``currency`` was worth in US dollars on a day. Grants already
    converted keep the rate they were converted at."""
    _require_rate_keeper(actor)
    rate = ExchangeRate(currency=currency, on=on, usd_per_unit=usd_per_unit, source=source.strip())
    rate.full_clean()
    rate.save()
    audit_record(
        actor=actor,
        action="rate_create",
        target=rate,
        summary=str(rate),
        changes=audit_values(rate, RATE_FIELDS),
    )
    return rate


@transaction.atomic
def rate_update(*, actor: User, rate: ExchangeRate, data: Mapping[str, Any]) -> ExchangeRate:
    """Corrects a rate; the grants converted with it keep the rate they were given."""
    _require_rate_keeper(actor)
    unknown = set(data) - set(RATE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    stored = ExchangeRate.objects.select_for_update().get(pk=rate.pk)
    before = audit_values(stored, RATE_FIELDS)
    for name, value in data.items():
        setattr(stored, name, value.strip() if name == "source" else value)
    stored.full_clean()
    changes = changed_values(before, audit_values(stored, RATE_FIELDS))
    if changes:
        stored.save(update_fields=list(changes))
        audit_record(
            actor=actor, action="rate_update", target=stored, summary=str(stored), changes=changes
        )
    return stored
