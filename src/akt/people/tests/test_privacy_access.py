"""A person's data exported for them (right of access), and the person page naming no one a
focal point may not see (a record merged with a resident of another municipality)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from akt.accounts.models import AuditEntry, User
from akt.linkage.services import person_merge
from akt.people import services
from akt.people.models import Person
from akt.testing.factories import (
    ActivityFactory,
    AttendanceFactory,
    GrantFactory,
    OrganizationFactory,
    PersonFactory,
    municipality,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(personas: dict[str, User]) -> tuple[Person, Person]:
    """The same woman registered in Gračanica (Serbian spelling) and in Zvečan (Cyrillic), the
    Zvečan record the one kept."""
    zvecan = PersonFactory(
        given_name="Јелена",
        family_name="Марковић",
        birth_date=dt.date(1987, 4, 9),
        birth_year=None,
        municipality=municipality("zvecan"),
    )
    gracanica = PersonFactory(
        given_name="Jelena",
        family_name="Markovic",
        birth_year=1987,
        municipality=municipality("gracanice"),
    )
    person_merge(actor=personas["me"], survivor=zvecan, others=[gracanica], reason="Same person.")
    return zvecan, gracanica


def test_a_focal_point_is_not_told_whom_their_resident_was_merged_with(
    client_for, merged: tuple[Person, Person]
) -> None:
    zvecan, gracanica = merged
    html = (
        client_for("focal_gracanica")
        .get(reverse("people:person_detail", args=[gracanica.pk]))
        .content.decode()
    )
    assert "Jelena" in html
    assert "Марковић" not in html
    assert reverse("people:person_detail", args=[zvecan.pk]) not in html
    assert "a resident of another municipality" in html
    officer = client_for("me").get(reverse("people:person_detail", args=[gracanica.pk]))
    assert "Марковић" in officer.content.decode()


def test_an_officer_exports_everything_held_about_a_person_and_it_is_audited(
    client_for, personas: dict[str, User], merged: tuple[Person, Person]
) -> None:
    zvecan, gracanica = merged
    farm = OrganizationFactory(
        name="Ferma familjare Jelena Marković",
        kind="farm",
        natural_person=True,
        municipality=municipality("zvecan"),
    )
    Person.objects.filter(pk=zvecan.pk).update(organization=farm)
    GrantFactory(reference="BG-077", recipient=farm)
    AttendanceFactory(
        person=gracanica,
        activity=ActivityFactory(
            title="Sajam poljoprivrede", municipality=municipality("gracanice")
        ),
    )
    services.person_update(actor=personas["me"], person=gracanica, data={"affiliation": "farmer"})
    client = client_for("me")

    response = client.get(reverse("people:person_export_json", args=[gracanica.pk]))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["Person"][0]["Given name"] == "Јелена"
    assert data["Person"][0]["Birth date"] == "1987-04-09"
    assert [record["Given name"] for record in data["Other records of the person"]] == ["Jelena"]
    assert [row["Activity"] for row in data["Activities attended"]] == ["Sajam poljoprivrede"]
    assert [grant["Reference"] for grant in data["Grants"]] == ["BG-077"]
    assert [entry["Action"] for entry in data["Audit log"]] == ["person_update"]
    assert data["Audit log"][0]["Changes"] == '{"affiliation": ["", "farmer"]}'
    assert AuditEntry.objects.filter(
        action="person_access_export", target_id=str(zvecan.pk)
    ).exists()

    workbook = client.get(reverse("people:person_export_xlsx", args=[zvecan.pk]))
    book = load_workbook(io.BytesIO(workbook.content))
    assert book["Person"]["B2"].value == "Јелена"
    assert book["Activities attended"]["A2"].value == "Sajam poljoprivrede"


@pytest.mark.parametrize("persona", ["focal_zvecan", "staff", "donor", None])
def test_only_officers_export_a_persons_data(client_for, persona, merged) -> None:
    zvecan, _gracanica = merged
    response = client_for(persona).get(reverse("people:person_export_json", args=[zvecan.pk]))
    assert response.status_code in (302, 403, 404)
    assert not AuditEntry.objects.filter(action="person_access_export").exists()
