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

from django.core.exceptions import PermissionDenied
from django.db import transaction

from akt.accounts.models import User
from akt.accounts.scope import Scope
from akt.accounts.services import (
    audit_record,
    record_create,
    record_update,
    require_editor,
)
from akt.people.models import ConsentBasis, Organization, Person
from akt.places.models import Community, Municipality
from akt.text.invisible import clean_name

ORGANIZATION_FIELDS = ("name", "kind", "sector", "municipality", "registration_number")

PERSON_FIELDS = (
    "given_name",
    "family_name",
    "sex",
    "birth_date",
    "birth_year",
    "community",
    "community_consent",
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
) -> Organization:
    """Registers a business, farm, office or association in the actor's municipality."""
    require_editor(actor)
    organization = Organization(
        name=name,
        kind=kind,
        sector=sector,
        municipality=municipality,
        registration_number=registration_number,
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
