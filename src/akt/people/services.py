"""Writes to persons and organizations.

Each function checks the actor's scope, validates with ``full_clean()``, saves and writes the
audit entry in one transaction. A focal point writes only records of their municipality;
component staff register persons through the roster of an activity of their component
(``akt.activities.services.attendance_add_new_person``), since a person on no roster of theirs
is outside their scope.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from akt.accounts.models import User
from akt.accounts.scope import Scope
from akt.accounts.services import (
    audit_record,
    record_create,
    record_update,
    require_editor,
)
from akt.people import access_export, erasure
from akt.people.models import ConsentBasis, Organization, Person, ProcessingBasis
from akt.people.natural import looks_like_natural_person
from akt.places.models import Community, Municipality
from akt.text.invisible import clean_name

ORGANIZATION_FIELDS = (
    "name",
    "kind",
    "sector",
    "municipality",
    "registration_number",
    "natural_person",
)

PERSON_FIELDS = (
    "given_name",
    "family_name",
    "sex",
    "birth_date",
    "birth_year",
    "community",
    "community_consent",
    "consent_basis",
    "consent_date",
    "municipality",
    "affiliation",
    "organization",
)


def _require_visible_organization(actor: User, organization: Organization | None) -> None:
    """A person may be linked only to an organization the actor can see."""
    if organization is not None and not Scope.for_user(actor).may_see(organization):
        raise PermissionDenied


@transaction.atomic
def person_create(
    *,
    actor: User,
    given_name: str,
    family_name: str,
    sex: str = "",
    birth_date: date | None = None,
    birth_year: int | None = None,
    community: Community | None = None,
    community_consent: str = ConsentBasis.NOT_RECORDED,
    consent_basis: str = ProcessingBasis.NOT_RECORDED,
    consent_date: date | None = None,
    municipality: Municipality | None = None,
    affiliation: str = "",
    organization: Organization | None = None,
) -> Person:
    """Registers a person. The actor must be able to see the new record (their municipality)."""
    require_editor(actor)
    _require_visible_organization(actor, organization)
    person = Person(
        given_name=clean_name(given_name),  # as Person.clean stores it, for the audit summary
        family_name=clean_name(family_name),
        sex=sex,
        birth_date=birth_date,
        birth_year=birth_year,
        community=community,
        community_consent=community_consent,
        consent_basis=consent_basis,
        consent_date=consent_date,
        municipality=municipality,
        affiliation=affiliation,
        organization=organization,
    )
    return record_create(
        actor=actor,
        record=person,
        fields=PERSON_FIELDS,
        action="person_create",
        summary=person.full_name,
    )


@transaction.atomic
def person_update(*, actor: User, person: Person, data: Mapping[str, Any]) -> Person:
    """Changes a person's fields (any of ``PERSON_FIELDS``); audits old and new values."""
    _require_visible_organization(actor, data.get("organization"))
    person, changes = record_update(actor=actor, record=person, data=data, fields=PERSON_FIELDS)
    if changes:
        audit_record(
            actor=actor,
            action="person_update",
            target=person,
            summary=person.full_name,
            changes=changes,
        )
    return person


@transaction.atomic
def organization_create(
    *,
    actor: User,
    name: str,
    kind: str,
    municipality: Municipality,
    sector: str = "",
    registration_number: str = "",
    natural_person: bool | None = None,
) -> Organization:
    """Registers a business, farm, office or association in the actor's municipality. Whether
    it is a natural person (a family farm, a sole proprietor) follows from its name and kind
    (:func:`akt.people.natural.looks_like_natural_person`) unless ``natural_person`` says."""
    require_editor(actor)
    if natural_person is None:
        natural_person = looks_like_natural_person(name, kind)
    organization = Organization(
        name=name,
        kind=kind,
        sector=sector,
        municipality=municipality,
        registration_number=registration_number,
        natural_person=natural_person,
    )
    return record_create(
        actor=actor,
        record=organization,
        fields=ORGANIZATION_FIELDS,
        action="organization_create",
        summary=organization.name,
    )


@transaction.atomic
def organization_update(
    *, actor: User, organization: Organization, data: Mapping[str, Any]
) -> Organization:
    """Changes an organization's fields (any of ``ORGANIZATION_FIELDS``)."""
    organization, changes = record_update(
        actor=actor, record=organization, data=data, fields=ORGANIZATION_FIELDS
    )
    if changes:
        audit_record(
            actor=actor,
            action="organization_update",
            target=organization,
            summary=organization.name,
            changes=changes,
        )
    return organization


@transaction.atomic
def person_erase(*, actor: User, person: Person, reason: str) -> Person:
    """Erases a person at their request: every record resolved to them is anonymized and the
    audit history about them scrubbed, while their roster rows stay, so that no approved or live
    figure changes (:mod:`akt.people.erasure`). M&E officers and administrators only; the reason
    (the person's request) is required and kept in the audit entry, which names nobody."""
    if not Scope.for_user(actor).may_resolve_identities:
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("Say why the person's data is erased (for example, the date of their request)."),
            code="reason",
        )
    stored = Person.objects.get(pk=person.pk)  # merged since the caller read it, perhaps
    canonical = Person.objects.select_for_update().get(pk=stored.resolved_id)
    if canonical.erased_at is not None:
        raise ValidationError(_("This person's data was already erased."), code="erased")
    records = list(
        Person.objects.select_for_update().filter(Q(pk=canonical.pk) | Q(identity=canonical))
    )
    ids = [record.pk for record in records]
    # Roster rows sit above persons: their model is reached through the relation.
    roster = canonical.attendances.model.objects.filter(person_id__in=ids)
    attendances = list(roster.values_list("pk", "activity__start_date"))
    counted_on = [day for _pk, day in attendances]
    scrubbing = erasure.Erasure(
        person_ids=frozenset(ids),
        attendance_ids=frozenset(pk for pk, _day in attendances),
        names=erasure.name_parts(
            *(
                name
                for record in records
                for name in (record.full_name, record.given_name, record.family_name)
            )
        ),
        birth_dates=tuple({record.birth_date for record in records if record.birth_date}),
    )
    now = timezone.now()
    for record in records:
        record.birth_date, record.birth_year = erasure.coarsened_birth(
            birth_date=record.birth_date, birth_year=record.birth_year, counted_on=counted_on
        )
        record.given_name = erasure.ERASED_NAME
        record.family_name = record.uid.hex[-12:]  # the random end: unique, meaningless
        record.erased_at = now
        record.full_clean(validate_unique=False, validate_constraints=False)
        record.save(
            update_fields=[
                "given_name",
                "family_name",
                "birth_date",
                "birth_year",
                "erased_at",
                "updated_at",
            ]
        )
    erasure.scrub_audit(scrubbing, erasure.PERSON_TYPE, ids)
    erasure.scrub_audit(scrubbing, erasure.ATTENDANCE_TYPE, scrubbing.attendance_ids)
    for step in erasure.erasure_steps():
        step(scrubbing)
    audit_record(
        actor=actor,
        action="person_erase",
        target=canonical,
        summary=_("Personal data erased at the person's request"),
        changes={"records": ids, "attendances": len(attendances)},
        reason=reason,
    )
    canonical.refresh_from_db()
    return canonical


@transaction.atomic
def person_access_export(*, actor: User, person: Person) -> dict[str, Any]:
    """Everything held about the individual ``person`` stands for, gathered for them at their
    request (:mod:`akt.people.access_export`); M&E officers and administrators only. The export
    is audited (without a name: the entry outlives an erasure)."""
    if not Scope.for_user(actor).may_resolve_identities:
        raise PermissionDenied
    canonical = Person.objects.get(pk=Person.objects.get(pk=person.pk).resolved_id)
    data = access_export.person_data(canonical)
    audit_record(
        actor=actor,
        action="person_access_export",
        target=canonical,
        summary=_("Personal data exported for the person"),
    )
    return data
