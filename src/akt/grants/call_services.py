"""Writes to calls for applications, applications, eligibility and award decisions.

One function per action, each owning its transaction, its permission check (:mod:`rules`) and
its audit entry. A refused or invalid write leaves nothing behind.

The path of an application: received (entered while the call is open or closed, dated within
it) -> eligible or ineligible (with the reason) -> scored (once a committee member submits,
:mod:`akt.grants.scoring_services`) -> awarded (a :class:`Grant` created or linked) or rejected,
each decision with its reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from akt.accounts.models import User
from akt.accounts.scope import Scope
from akt.accounts.services import (
    audit_record,
    audit_values,
    change_reason,
    changed_values,
    require_writable,
)
from akt.grants.models import (
    WAITING_STATUSES,
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    Criterion,
    Currency,
    Grant,
    ScoreSheet,
)
from akt.grants.rules import (
    manages_call,
    manages_component,
    may_create_calls,
    may_enter_application,
)
from akt.grants.services import conversion_for, grant_convert, grant_create
from akt.people.models import Organization, OrganizationKind
from akt.places.models import Community, Municipality
from akt.program.models import Component

CALL_FIELDS = (
    "reference",
    "title",
    "component",
    "description",
    "sectors",
    "budget",
    "currency",
    "opens_on",
    "deadline",
    "status",
)
APPLICATION_FIELDS = (
    "applicant",
    "municipality",
    "sector",
    "received_on",
    "amount_requested",
    "cofinancing",
    "description",
    "owner_sex",
    "owner_birth_year",
    "owner_community",
)
OWNER_FIELDS = ("owner_sex", "owner_birth_year", "owner_community")
"""What may still be corrected on an application once it is scored or decided."""

DECISION_FIELDS = ("status", "decided_on", "decision_reason", "grant")

APPLYING_KINDS = frozenset({OrganizationKind.BUSINESS, OrganizationKind.FARM})


@dataclass(frozen=True)
class CriterionInput:
    name: str
    weight: Decimal
    max_score: int


# -- calls -------------------------------------------------------------------------------------


def _criteria_of(call: Call) -> list[CriterionInput]:
    return [
        CriterionInput(name=c.name, weight=c.weight, max_score=c.max_score)
        for c in call.criteria.order_by("position", "id")
    ]


def _criteria_save(call: Call, criteria: Sequence[CriterionInput]) -> None:
    call.criteria.all().delete()
    rows = [
        Criterion(
            call=call, position=index, name=item.name, weight=item.weight, max_score=item.max_score
        )
        for index, item in enumerate(criteria, start=1)
    ]
    for row in rows:
        row.full_clean()
    Criterion.objects.bulk_create(rows)


def _check_call(call: Call, criteria: Sequence[CriterionInput], municipalities: list[Any]) -> None:
    errors: dict[str, Any] = {}
    if not municipalities:
        errors["municipalities"] = _("Choose at least one municipality.")
    if call.status != CallStatus.DRAFT and not criteria:
        errors["status"] = _("Give the evaluation criteria before opening the call.")
    names = [item.name.strip().casefold() for item in criteria]
    if len(names) != len(set(names)):
        errors["criteria"] = _("Two criteria have the same name.")
    if call.status == CallStatus.DECIDED and call.pk:
        waiting = call.applications.filter(status__in=WAITING_STATUSES).count()
        if waiting:
            errors["status"] = ngettext(
                "%(count)s application still waits for a decision.",
                "%(count)s applications still wait for a decision.",
                waiting,
            ) % {"count": waiting}
    if errors:
        raise ValidationError(errors)


def _call_audit(call: Call) -> dict[str, Any]:
    return {
        **audit_values(call, CALL_FIELDS),
        "municipalities": sorted(call.municipalities.values_list("pk", flat=True)),
        "committee": sorted(call.committee.values_list("pk", flat=True)),
        "criteria": [[item.name, str(item.weight), item.max_score] for item in _criteria_of(call)],
    }


@transaction.atomic
def call_create(
    *,
    actor: User,
    reference: str,
    title: str,
    component: Component,
    sectors: Sequence[str],
    municipalities: Iterable[Municipality],
    budget: Decimal,
    opens_on: date,
    deadline: date,
    currency: str = Currency.USD,
    description: str = "",
    status: str = CallStatus.DRAFT,
    committee: Iterable[User] = (),
    criteria: Sequence[CriterionInput] = (),
) -> Call:
    """Publishes (or drafts) a call of the actor's component, with its criteria and committee."""
    if not may_create_calls(actor) or not manages_component(actor, component.pk):
        raise PermissionDenied
    call = Call(
        reference=reference,
        title=title,
        component=component,
        description=description,
        sectors=list(sectors),
        budget=budget,
        currency=currency,
        opens_on=opens_on,
        deadline=deadline,
        status=status,
    )
    places = list(municipalities)
    call.full_clean()
    _check_call(call, criteria, places)
    call.save()
    call.municipalities.set(places)
    call.committee.set(list(committee))
    _criteria_save(call, criteria)
    audit_record(
        actor=actor, action="call_create", target=call, summary=str(call), changes=_call_audit(call)
    )
    return call


@transaction.atomic
def call_update(*, actor: User, call: Call, data: Mapping[str, Any]) -> Call:
    """Changes a call: any of ``CALL_FIELDS``, ``municipalities``, ``committee`` and
    ``criteria`` (a list of :class:`CriterionInput`). The criteria no longer change once a
    member has submitted scores; a call is decided only when every application is."""
    values = dict(data)
    municipalities = values.pop("municipalities", None)
    committee = values.pop("committee", None)
    criteria = values.pop("criteria", None)
    unknown = set(values) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    stored = Call.objects.select_for_update().get(pk=call.pk)
    if not manages_call(actor, stored):
        raise PermissionDenied
    before = _call_audit(stored)
    for name, value in values.items():
        setattr(stored, name, value)
    if "sectors" in values:
        stored.sectors = list(values["sectors"])
    stored.full_clean()
    if not manages_call(actor, stored):  # not moved to a component the actor does not manage
        raise PermissionDenied
    places = (
        list(municipalities) if municipalities is not None else list(stored.municipalities.all())
    )
    wanted = list(criteria) if criteria is not None else _criteria_of(stored)
    _check_call(stored, wanted, places)
    if criteria is not None and wanted != _criteria_of(stored):
        if ScoreSheet.objects.filter(application__call=stored, submitted_at__isnull=False).exists():
            raise ValidationError(
                {"criteria": _("The criteria no longer change: members have submitted scores.")},
                code="scored",
            )
        _criteria_save(stored, wanted)
    stored.save(update_fields=list(CALL_FIELDS))
    if municipalities is not None:
        stored.municipalities.set(places)
    if committee is not None:
        stored.committee.set(list(committee))
    after = _call_audit(stored)
    changes = {
        name: [before[name], value] for name, value in after.items() if before[name] != value
    }
    if changes:
        audit_record(
            actor=actor, action="call_update", target=stored, summary=str(stored), changes=changes
        )
    return stored


# -- applications ------------------------------------------------------------------------------


def _check_against_call(application: Application, *, entering: bool) -> None:
    """The call's own rules: open to the sector and municipality, dated within the call, from
    a business or farm; ``entering``: the call takes applications now."""
    call = application.call
    errors: dict[str, Any] = {}
    if entering and call.status not in (CallStatus.OPEN, CallStatus.CLOSED):
        raise ValidationError(
            _(
                "The call's status is “%(status)s”; applications are entered while it is open "
                "or closed."
            )
            % {"status": call.get_status_display()},
            code="call-status",
        )
    if application.sector and application.sector not in call.sectors:
        errors["sector"] = _("The call is not open to this sector.")
    if (
        application.municipality_id
        and not call.municipalities.filter(pk=application.municipality_id).exists()
    ):
        errors["municipality"] = _("The call is not open to this municipality.")
    day = application.received_on
    if day and not call.opens_on <= day <= call.deadline:
        errors["received_on"] = _(
            "The call took applications from %(opens)s to %(deadline)s; this date is outside it."
        ) % {
            "opens": date_format(call.opens_on, "DATE_FORMAT"),
            "deadline": date_format(call.deadline, "DATE_FORMAT"),
        }
    if application.applicant_id and application.applicant.kind not in APPLYING_KINDS:
        errors["applicant"] = _("Only businesses and farms apply for business grants.")
    if errors:
        raise ValidationError(errors)


def _require_may_enter(actor: User, application: Application) -> None:
    if not may_enter_application(actor, application.call, application.municipality_id):
        raise PermissionDenied
    if application.applicant_id and not Scope.for_user(actor).may_see(application.applicant):
        raise PermissionDenied


@transaction.atomic
def application_create(
    *,
    actor: User,
    call: Call,
    applicant: Organization,
    municipality: Municipality,
    sector: str,
    received_on: date,
    amount_requested: Decimal,
    description: str,
    cofinancing: Decimal = Decimal("0"),
    owner_sex: str = "",
    owner_birth_year: int | None = None,
    owner_community: Community | None = None,
) -> Application:
    """Enters an application received for ``call``."""
    application = Application(
        call=call,
        applicant=applicant,
        municipality=municipality,
        sector=sector,
        received_on=received_on,
        amount_requested=amount_requested,
        cofinancing=cofinancing if cofinancing is not None else Decimal("0"),
        description=description,
        owner_sex=owner_sex,
        owner_birth_year=owner_birth_year,
        owner_community=owner_community,
    )
    _require_may_enter(actor, application)
    application.full_clean()
    _check_against_call(application, entering=True)
    application.save()
    audit_record(
        actor=actor,
        action="application_create",
        target=application,
        summary=str(application),
        changes=audit_values(application, ("call", *APPLICATION_FIELDS)),
    )
    return application


@transaction.atomic
def application_update(
    *, actor: User, application: Application, data: Mapping[str, Any]
) -> Application:
    """Corrects an application (any of ``APPLICATION_FIELDS``). Once scored or decided, only
    the owner's details still change: the committee scored what was asked."""
    unknown = set(data) - set(APPLICATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    stored = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    _require_may_enter(actor, stored)
    before = audit_values(stored, APPLICATION_FIELDS)
    for name, value in data.items():
        setattr(stored, name, value)
    if stored.cofinancing is None:
        stored.cofinancing = Decimal("0")
    stored.full_clean()
    changes = changed_values(before, audit_values(stored, APPLICATION_FIELDS))
    request_changed = set(changes) - set(OWNER_FIELDS)
    if request_changed and stored.status not in (
        ApplicationStatus.RECEIVED,
        ApplicationStatus.ELIGIBLE,
        ApplicationStatus.INELIGIBLE,
    ):
        raise ValidationError(
            _(
                "The application's status is “%(status)s”; only its owner's details may still "
                "be corrected."
            )
            % {"status": stored.get_status_display()},
            code="locked",
        )
    if request_changed:
        _check_against_call(stored, entering=False)
    _require_may_enter(actor, stored)  # not moved out of the actor's municipality
    if changes:
        stored.save(update_fields=list(changes))
        audit_record(
            actor=actor,
            action="application_update",
            target=stored,
            summary=str(stored),
            changes=changes,
        )
    return stored


@transaction.atomic
def application_eligibility_decide(
    *, actor: User, application: Application, eligible: bool, reason: str = ""
) -> Application:
    """Finds an application eligible, or ineligible with the reason. Decided again as often as
    needed until a committee member submits scores for it."""
    stored = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    if not manages_call(actor, stored.call):
        raise PermissionDenied
    if (
        stored.status
        not in (
            ApplicationStatus.RECEIVED,
            ApplicationStatus.ELIGIBLE,
            ApplicationStatus.INELIGIBLE,
        )
        or stored.score_sheets.filter(submitted_at__isnull=False).exists()
    ):
        raise ValidationError(
            _("The application's status is “%(status)s”; its eligibility no longer changes.")
            % {"status": stored.get_status_display()},
            code="locked",
        )
    reason = (reason or "").strip()
    if not eligible and not reason:
        raise ValidationError(
            {"reason": _("Say why the application is ineligible.")}, code="required"
        )
    before = audit_values(stored, ("status", "ineligibility_reason"))
    stored.status = ApplicationStatus.ELIGIBLE if eligible else ApplicationStatus.INELIGIBLE
    stored.ineligibility_reason = "" if eligible else reason
    stored.full_clean()
    changes = changed_values(before, audit_values(stored, ("status", "ineligibility_reason")))
    if changes:
        stored.save(update_fields=list(changes))
        audit_record(
            actor=actor,
            action="application_eligibility_decide",
            target=stored,
            summary=str(stored),
            changes=changes,
            reason=reason,
        )
    return stored


# -- decisions ---------------------------------------------------------------------------------


def declared_conflict(user: User, application: Application) -> bool:
    return ScoreSheet.objects.filter(
        application=application, member=user, has_conflict=True
    ).exists()


@transaction.atomic
def award_decide(
    *,
    actor: User,
    application: Application,
    award: bool,
    reason: str,
    decided_on: date,
    amount: Decimal | None = None,
    currency: str | None = None,
    reference: str = "",
    usd_rate: Decimal | None = None,
    rate_source: str = "",
    grant: Grant | None = None,
) -> Application:
    """Awards a scored application, or rejects an eligible or scored one, with the reason.

    An award creates the :class:`Grant` (``reference``, ``amount`` and ``currency``, which may
    differ from what was asked; the award date is ``decided_on``), or links ``grant``, an award
    already recorded for the applicant. A grant in another currency than the dollar needs a rate
    (given, or in the table on or before the award date): without one the award is refused,
    naming the currency and the date, and nothing is stored. A member who declared a conflict of
    interest for the application does not decide it.
    """
    stored = (
        Application.objects.select_for_update()
        .select_related("call__component", "applicant")
        .get(pk=application.pk)
    )
    call = stored.call
    if not manages_call(actor, call):
        raise PermissionDenied
    if declared_conflict(actor, stored):
        raise ValidationError(
            _("You declared a conflict of interest for this application; someone else decides it."),
            code="conflict",
        )
    if stored.is_decided:
        raise ValidationError(
            _("The application is decided already: “%(status)s”.")
            % {"status": stored.get_status_display()},
            code="decided",
        )
    if call.status != CallStatus.CLOSED:
        raise ValidationError(
            _("The call's status is “%(status)s”; applications are decided while it is closed.")
            % {"status": call.get_status_display()},
            code="call-status",
        )
    reason = (reason or "").strip()
    errors: dict[str, Any] = {}
    if not reason:
        errors["reason"] = _("Give the reason for the decision.")
    if decided_on is not None and decided_on < stored.received_on:
        errors["decided_on"] = _("The decision cannot come before the application was received.")
    if errors:
        raise ValidationError(errors)
    before = audit_values(stored, DECISION_FIELDS)
    if award:
        if stored.status != ApplicationStatus.SCORED:
            raise ValidationError(
                _("Only a scored application is awarded; this one's status is “%(status)s”.")
                % {"status": stored.get_status_display()},
                code="not-scored",
            )
        stored.grant = _award_grant(
            actor=actor,
            application=stored,
            reason=reason,
            decided_on=decided_on,
            amount=amount,
            currency=currency or call.currency,
            reference=reference,
            usd_rate=usd_rate,
            rate_source=rate_source,
            grant=grant,
        )
        stored.status = ApplicationStatus.AWARDED
    else:
        if stored.status not in (ApplicationStatus.ELIGIBLE, ApplicationStatus.SCORED):
            raise ValidationError(
                _("Only an eligible application is rejected; this one's status is “%(status)s”.")
                % {"status": stored.get_status_display()},
                code="not-eligible",
            )
        stored.status = ApplicationStatus.REJECTED
    stored.decided_on = decided_on
    stored.decision_reason = reason
    stored.full_clean()
    stored.save(update_fields=list(DECISION_FIELDS))
    changes: dict[str, Any] = changed_values(before, audit_values(stored, DECISION_FIELDS))
    if stored.grant is not None:
        changes["award"] = {
            "reference": stored.grant.reference,
            "amount": str(stored.grant.amount),
            "currency": stored.grant.currency,
            "usd_rate": None if stored.grant.usd_rate is None else str(stored.grant.usd_rate),
            "amount_usd": (
                None if stored.grant.amount_usd is None else str(stored.grant.amount_usd)
            ),
        }
    audit_record(
        actor=actor,
        action="award_decide",
        target=stored,
        summary=str(stored),
        changes=changes,
        reason=reason,
    )
    return stored


def _award_grant(
    *,
    actor: User,
    application: Application,
    reason: str,
    decided_on: date,
    amount: Decimal | None,
    currency: str,
    reference: str,
    usd_rate: Decimal | None,
    rate_source: str,
    grant: Grant | None,
) -> Grant:
    if grant is not None:
        return _link_grant(
            actor=actor,
            application=application,
            grant=grant,
            usd_rate=usd_rate,
            rate_source=rate_source,
        )
    errors: dict[str, Any] = {}
    if amount is None or amount <= 0:
        errors["amount"] = _("The amount must be more than zero.")
    if not reference.strip():
        errors["reference"] = _("Give the grant's reference, as on the grant agreement.")
    elif Grant.objects.filter(reference=reference.strip()).exists():
        errors["reference"] = _("Another grant has this reference.")
    if errors:
        raise ValidationError(errors)
    assert amount is not None
    with change_reason(reason):  # the grant's audit entry gives the decision's reason
        return grant_create(
            actor=actor,
            reference=reference.strip(),
            recipient=application.applicant,
            component=application.call.component,
            municipality=application.municipality,
            sector=application.sector,
            amount=amount,
            currency=currency,
            award_date=decided_on,
            purpose=application.description,
            usd_rate=usd_rate,
            rate_source=rate_source,
        )


def _link_grant(
    *,
    actor: User,
    application: Application,
    grant: Grant,
    usd_rate: Decimal | None,
    rate_source: str,
) -> Grant:
    require_writable(actor, grant)
    if grant.recipient_id != application.applicant_id:
        raise ValidationError({"grant": _("This grant went to another recipient.")})
    if Application.objects.filter(grant=grant).exclude(pk=application.pk).exists():
        raise ValidationError(
            {"grant": _("This grant is already the award of another application.")}
        )
    if grant.amount_usd is None or usd_rate is not None:
        conversion = conversion_for(
            currency=grant.currency,
            amount=grant.amount,
            on=grant.award_date,
            usd_rate=usd_rate,
            rate_source=rate_source,
        )
        grant = grant_convert(actor=actor, grant=grant, conversion=conversion)
    return grant
