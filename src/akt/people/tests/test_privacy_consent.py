"""Consent per person: the basis for holding their data and its date, from the person form and
from a sign-in sheet as a hurried clerk fills it in; a community only with the consent to state
it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from akt.accounts.models import AuditEntry, User
from akt.activities.models import Activity
from akt.intake.services import import_check, import_choose, import_commit, import_receive
from akt.intake.validation import read_consent
from akt.people.models import ConsentBasis, Person, ProcessingBasis
from akt.testing.factories import ActivityFactory, PersonFactory, community, municipality

pytestmark = pytest.mark.django_db

# Albanian and Serbian headers mixed on one sheet, answers as they come: "po", a tick, "Da",
# "ne", "x", blank; "Shqiptar" for "Shqiptare".
SHEET = (
    "Emri,Mbiemri,Gjinia,Viti i lindjes,Pëlqimi,Pëlqimi për komunitetin,Komuniteti,Komuna\n"
    "Arta,Krasniqi,F,1985,po,po,Shqiptar,Gjilan\n"
    "Milica,Petrović,F,1990,✓,Ne,Srbi,Gnjilane\n"
    "Bekim,Sadiku,M,1978,Da,,Shqiptar,Gjilan\n"
    "Dejan,Стојковић,M,1982,ne,x,Serb,Gjilan\n"
).encode()


@pytest.fixture
def hearing(reference: None) -> Activity:
    return ActivityFactory(
        title="Dëgjim buxhetor",
        municipality=municipality("gjilan"),
        start_date=dt.date(2015, 11, 20),
    )


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("po", True),
        ("Po", True),
        ("PO ", True),
        ("Da", True),
        ("да", True),
        ("Yes", True),
        ("✓", True),
        ("x", True),
        ("1", True),
        ("jo", False),
        ("Ne", False),
        ("не", False),
        ("no", False),
        ("0", False),
        ("", None),
    ],
)
def test_a_consent_cell_is_read_however_the_clerk_wrote_it(text: str, answer: bool) -> None:
    assert read_consent(text) is answer


def test_an_unreadable_consent_is_a_problem_of_its_row(
    personas: dict[str, User], hearing: Activity
) -> None:
    sheet = "Emri,Mbiemri,Pëlqimi\nArta,Krasniqi,ndoshta\n".encode()
    batch = import_receive(actor=personas["me"], data=sheet, file_name="l.csv", activity=hearing)
    batch = import_check(actor=personas["me"], batch=batch)
    assert batch.problem_count == 1
    assert batch.rows[0]["problems"][0]["code"] == "consent"


def test_an_import_records_consent_and_leaves_out_a_community_stated_without_it(
    client_for, personas: dict[str, User], hearing: Activity
) -> None:
    me = personas["me"]
    batch = import_receive(actor=me, data=SHEET, file_name="lista.csv", activity=hearing)
    batch = import_check(actor=me, batch=batch)
    assert batch.problem_count == 0, batch.rows
    preview = client_for("me").get(reverse("intake:batch_detail", args=[batch.pk]))
    assert (
        escape(
            "A community is written, but not the person's consent to state it: the community "
            "is not recorded."
        )
        in preview.content.decode()
    )

    batch = import_commit(actor=me, batch=batch)

    persons = {person.given_name: person for person in Person.objects.filter(import_batch=batch)}
    arta, milica, bekim, dejan = (persons[name] for name in ("Arta", "Milica", "Bekim", "Dejan"))
    assert (arta.consent_basis, arta.consent_date) == (ProcessingBasis.CONSENT, hearing.start_date)
    assert (arta.community, arta.community_consent) == (community("albanian"), ConsentBasis.CONSENT)
    assert milica.consent_basis == ProcessingBasis.CONSENT
    assert milica.community is None  # "Ne": she did not agree to state it
    assert bekim.community is None  # consent left blank
    assert (dejan.consent_basis, dejan.consent_date) == (ProcessingBasis.NOT_RECORDED, None)
    assert dejan.community == community("serb")
    assert batch.summary["communities_left_out"] == 2
    page = client_for("me").get(reverse("intake:batch_detail", args=[batch.pk]))
    assert "2 communities not recorded, for want of the persons' consent" in (page.content.decode())


def test_a_sheet_without_a_community_consent_column_keeps_the_community(
    personas: dict[str, User], hearing: Activity
) -> None:
    sheet = b"Emri,Mbiemri,Komuniteti\nArta,Krasniqi,Shqiptar\n"
    me = personas["me"]
    batch = import_receive(actor=me, data=sheet, file_name="l.csv", activity=hearing)
    import_commit(actor=me, batch=import_check(actor=me, batch=batch))
    arta = Person.objects.get(given_name="Arta")
    assert (arta.community, arta.community_consent) == (
        community("albanian"),
        ConsentBasis.NOT_RECORDED,
    )


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "given_name": "Dragana",
        "family_name": "Ilić",
        "sex": "female",
        "birth_year": "1990",
        "community": community("serb").pk,
        "community_consent": "consent",
        "consent_basis": "consent",
        "consent_date": "2016-03-04",
        "municipality": municipality("gracanice").pk,
    }
    data.update(overrides)
    return data


def test_the_person_form_records_the_basis_and_refuses_a_community_without_consent(
    client_for, personas: dict[str, User]
) -> None:
    client = client_for("focal_gracanica")
    refused = client.post(
        reverse("people:person_create"), form_data(community_consent="not_recorded")
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors["community"] == [
        "A community is recorded only when the person agreed to state it: record their "
        "consent, or leave the community empty."
    ]
    assert not Person.objects.exists()

    saved = client.post(reverse("people:person_create"), form_data())
    assert saved.status_code == 302
    person = Person.objects.get()
    assert (person.consent_basis, person.consent_date) == (
        ProcessingBasis.CONSENT,
        dt.date(2016, 3, 4),
    )
    page = client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert "Consent given by the person" in page
    # Without a community, no consent to state one is needed.
    client.post(
        reverse("people:person_create"),
        form_data(given_name="Nikola", community="", community_consent="not_recorded"),
    )
    assert Person.objects.filter(given_name="Nikola", community=None).exists()


def test_a_returning_person_who_agrees_on_a_later_sheet_has_the_consent_recorded(
    personas: dict[str, User], hearing: Activity
) -> None:
    me = personas["me"]
    arta = PersonFactory(given_name="Arta", family_name="Krasniqi", birth_year=1985)
    public = PersonFactory(
        given_name="Bekim",
        family_name="Sadiku",
        birth_year=1978,
        affiliation="municipal_employee",
        consent_basis=ProcessingBasis.PUBLIC_TASK,
    )
    sheet = "Emri,Mbiemri,Viti i lindjes,Pëlqimi\nArta,Krasniqi,1985,PO\nBekim,Sadiku,1978,po\n"
    batch = import_receive(actor=me, data=sheet.encode(), file_name="l.csv", activity=hearing)
    batch = import_check(actor=me, batch=batch)
    batch = import_choose(actor=me, batch=batch, choices={2: arta.pk, 3: public.pk})

    import_commit(actor=me, batch=batch)

    arta.refresh_from_db()
    public.refresh_from_db()
    assert (arta.consent_basis, arta.consent_date) == (ProcessingBasis.CONSENT, hearing.start_date)
    assert public.consent_basis == ProcessingBasis.PUBLIC_TASK  # left as it was
    entry = AuditEntry.objects.get(action="person_update", target_id=str(arta.pk))
    assert entry.changes["consent_basis"] == ["not_recorded", "consent"]
