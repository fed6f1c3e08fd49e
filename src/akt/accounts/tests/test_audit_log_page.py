"""The audit log page: administrators browse and filter every change; nobody else opens it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from akt.accounts.models import AuditEntry, User
from akt.accounts.services import change_reason
from akt.people import services as people_services
from akt.testing.factories import PersonFactory, municipality

pytestmark = pytest.mark.django_db

URL = "/audit/"


@pytest.fixture
def changes(personas: dict[str, User]) -> dict[str, object]:
    """Two persons changed by two people, one entry dated a year back."""
    arber = PersonFactory(
        given_name="Arbër", family_name="Hoxha", municipality=municipality("gjilan")
    )
    drita = PersonFactory(given_name="Drita", family_name="Berisha")
    with change_reason("Misspelt on the sheet."):
        people_services.person_update(
            actor=personas["me"],
            person=arber,
            data={"family_name": "Hoxhaj", "municipality": municipality("zvecan")},
        )
    people_services.person_update(actor=personas["admin"], person=drita, data={"sex": "male"})
    old = AuditEntry.objects.get(actor=personas["admin"], action="person_update")
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=365))
    return {"arber": arber, "drita": drita}


def test_the_url_name_is_audit_log() -> None:
    assert reverse("audit:log") == URL


@pytest.mark.parametrize("persona", ["me", "staff", "focal_gracanica", "focal_zvecan", "donor"])
def test_only_administrators_open_the_log(client_for, persona: str) -> None:
    assert client_for(persona).get(URL).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client_for) -> None:
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_an_entry_shows_who_what_before_and_after_and_why(client_for, changes) -> None:
    page = client_for("admin").get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    row = next(
        row for row in page.context["rows"] if row.entry.target_id == str(changes["arber"].pk)
    )
    assert row.record_type == "Person"
    assert row.action == "changed"
    assert row.url == reverse("people:person_detail", args=[changes["arber"].pk])
    shown = {change.field: (change.before, change.after) for change in row.changes}
    assert shown["Family name"] == ("Hoxha", "Hoxhaj")
    # A related record by its name, not its number.
    assert shown["Municipality of residence"] == (
        str(municipality("gjilan")),
        str(municipality("zvecan")),
    )
    assert "Misspelt on the sheet." in text
    assert "Hoxhaj" in text


def test_the_log_filters_by_who_dates_record_and_text(client_for, personas, changes) -> None:
    client = client_for("admin")

    def targets(**query: object) -> set[str]:
        page = client.get(URL, query)
        assert page.status_code == 200
        return {row.entry.target_id for row in page.context["rows"]}

    arber, drita = str(changes["arber"].pk), str(changes["drita"].pk)
    assert targets(who=personas["me"].pk) == {arber}
    assert targets(who=personas["admin"].pk) == {drita}
    assert targets(action="person_update") == {arber, drita}
    assert targets(record_type="people.person", record_id=drita) == {drita}
    today = timezone.localdate()
    assert targets(date_from=today.isoformat(), action="person_update") == {arber}
    assert targets(date_to=(today - dt.timedelta(days=300)).isoformat()) == {drita}
    assert targets(text="misspelt") == {arber}
    assert targets(text="nothing like this") == set()


def test_the_log_is_paginated(client_for, personas) -> None:
    person = PersonFactory()
    AuditEntry.objects.bulk_create(
        AuditEntry(actor=personas["me"], action="person_update", target_type="people.person",
                   target_id=str(person.pk), summary=f"change {number}")
        for number in range(60)
    )  # fmt: skip
    client = client_for("admin")
    first = client.get(URL)
    assert len(first.context["rows"]) == 50
    second = client.get(URL, {"page": 2})
    assert len(second.context["rows"]) == 10


def test_a_merge_entry_opens_and_names_the_survivor(client_for, personas) -> None:
    """A merge names its survivor by id and identifier; the log reads the id and shows the
    person, and the identifier stays as written."""
    from akt.linkage.services import person_merge

    kept = PersonFactory(given_name="Blerim", family_name="Krasniqi")
    other = PersonFactory(given_name="Blerimi", family_name="Krasniqi")
    person_merge(actor=personas["me"], survivor=kept, others=[other], reason="Same person.")
    page = client_for("admin").get(URL)
    assert page.status_code == 200
    assert "Blerim Krasniqi" in page.content.decode()
