"""Person and organization services: scope checks, validation and audit entries."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from akt.accounts.models import AuditEntry
from akt.people import services
from akt.people.models import Organization, Person
from akt.testing.factories import PersonFactory, municipality


def test_person_create_audits_the_new_record(personas) -> None:
    person = services.person_create(
        actor=personas["focal_gracanica"],
        given_name="Ana",
        family_name="Marković",
        birth_year=1985,
        municipality=municipality("gracanice"),
    )
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.target_id) == ("person_create", str(person.pk))
    assert entry.changes["family_name"] == "Marković"


@pytest.mark.parametrize(
    ("persona", "place"),
    [("donor", "gracanice"), ("focal_zvecan", "gracanice"), ("focal_gracanica", None)],
)
def test_person_create_refuses_records_outside_the_scope(
    personas,
    persona: str,
    place: str | None,
) -> None:
    with pytest.raises(PermissionDenied):
        services.person_create(
            actor=personas[persona],
            given_name="Ana",
            family_name="Marković",
            municipality=municipality(place) if place else None,
        )
    assert not Person.objects.exists()
    assert not AuditEntry.objects.exists()


def test_person_update_validates_before_saving(personas) -> None:
    person = PersonFactory(municipality=municipality("gracanice"), birth_year=1980)
    with pytest.raises(ValidationError) as error:
        services.person_update(actor=personas["me"], person=person, data={"birth_year": 2999})
    assert "birth_year" in error.value.message_dict
    person.refresh_from_db()
    assert person.birth_year == 1980
    assert not AuditEntry.objects.exists()


def test_person_update_refuses_unknown_fields(personas) -> None:
    person = PersonFactory(municipality=municipality("gracanice"))
    with pytest.raises(TypeError):
        services.person_update(actor=personas["me"], person=person, data={"uid": "x"})


def test_organization_services_audit_and_respect_the_scope(personas) -> None:
    organization = services.organization_create(
        actor=personas["focal_gracanica"],
        name="Bee-keepers of Gračanica",
        kind="farm",
        municipality=municipality("gracanice"),
    )
    services.organization_update(
        actor=personas["focal_gracanica"],
        organization=organization,
        data={"sector": "beekeeping"},
    )
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "organization_create",
        "organization_update",
    ]
    with pytest.raises(PermissionDenied):
        services.organization_update(
            actor=personas["focal_gracanica"],
            organization=organization,
            data={"municipality": municipality("zvecan")},
        )
    organization.refresh_from_db()
    assert organization.municipality == municipality("gracanice")
    with pytest.raises(PermissionDenied):
        services.organization_create(
            actor=personas["focal_zvecan"],
            name="Elsewhere",
            kind="farm",
            municipality=municipality("gracanice"),
        )
    assert Organization.objects.count() == 1
