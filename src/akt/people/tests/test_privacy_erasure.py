"""Erasing a person at their request: the name is nowhere in the database afterwards, and no
figure changes, neither the approved quarter's nor the live ones."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import reverse

from akt.accounts.models import AuditEntry, User
from akt.activities.models import Activity, Attendance
from akt.indicators.selectors import results_compute
from akt.intake.models import PurgeCause
from akt.intake.services import import_check, import_commit, import_receive
from akt.linkage.services import person_merge
from akt.people import services
from akt.people.erasure import coarsened_birth
from akt.people.models import Person
from akt.reports.services import period_approve, period_differences, period_submit
from akt.testing.factories import (
    ActivityFactory,
    AttendanceFactory,
    PersonFactory,
    community,
    municipality,
)

pytestmark = pytest.mark.django_db

# A Gjilan clerk's sign-in sheet: Albanian headers, "Shqiptar" for the community, the birth date
# written the local way. Drilona was 14 on the day of the training (1 September 2015; born in
# November 2000), so the year alone (1 July assumed) would make her 15: the erasure must not
# move her age band.
SHEET = (
    "Emri,Mbiemri,Gjinia,Datëlindja,Komuniteti,Komuna\n"
    "Drilona,Zeqiri-Hasani,F,03.11.2000,Shqiptar,Gjilan\n"
    "Besnik,Hoxha,M,1979,Shqiptar,Gjilan\n"
).encode()

NAMES = ("Drilona", "Zeqiri-Hasani", "Zeqiri", "Hasani", "Дрилона", "Зећири")


@pytest.fixture
def training(reference: None) -> Activity:
    return ActivityFactory(
        title="Trajnim për bizneset e reja",
        municipality=municipality("gjilan"),
        start_date=dt.date(2015, 9, 1),
    )


def live_figures() -> list[tuple[str, object]]:
    return [
        (value.indicator.code, value.figures.value, repr(value.figures.breakdowns))
        for value in results_compute()
    ]


def text_holding(needles: tuple[str, ...]) -> list[str]:
    """Every text, JSON and binary value in every table that holds one of ``needles``."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        fields = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
            or isinstance(field, models.BinaryField)
        ]
        if not fields or not model._meta.managed:
            continue
        for row in model._default_manager.values_list("pk", *(field.attname for field in fields)):
            for field, value in zip(fields, row[1:], strict=True):
                if value is None:
                    continue
                if isinstance(value, bytes | memoryview):
                    text = bytes(value).decode("utf-8", "replace")
                elif isinstance(value, str):
                    text = value
                else:
                    text = json.dumps(value, ensure_ascii=False)
                hits = [needle for needle in needles if needle.casefold() in text.casefold()]
                if hits:
                    found.append(f"{model._meta.label}.{field.name}#{row[0]}: {hits}")
    return found


def test_an_erased_person_is_nowhere_and_no_figure_changes(
    personas: dict[str, User], training: Activity
) -> None:
    me = personas["me"]
    batch = import_receive(actor=me, data=SHEET, file_name="trajnimi.csv", activity=training)
    batch = import_commit(actor=me, batch=import_check(actor=me, batch=batch))
    drilona = Person.objects.get(given_name="Drilona")
    assert drilona.birth_date == dt.date(2000, 11, 3)
    # She came to a second activity, written in Cyrillic by a Serbian-speaking clerk; an officer
    # merged the two records, naming her in the reason; her record was edited once.
    second = ActivityFactory(municipality=municipality("gjilan"), start_date=dt.date(2015, 6, 2))
    cyrillic = PersonFactory(
        given_name="Дрилона",
        family_name="Зећири",
        sex="female",
        birth_date=dt.date(2000, 11, 3),
        birth_year=None,
        community=community("albanian"),
        municipality=municipality("gjilan"),
    )
    AttendanceFactory(activity=second, person=cyrillic)
    person_merge(
        actor=me,
        survivor=drilona,
        others=[cyrillic],
        reason="Drilona Zeqiri-Hasani signed in Cyrillic at the second training.",
    )
    services.person_update(actor=me, person=drilona, data={"affiliation": "entrepreneur"})
    period = period_submit(actor=me, fiscal_year=2015, quarter=4, note="All sheets in.")
    snapshot = period_approve(actor=personas["admin"], period=period)
    before = live_figures()
    assert text_holding(NAMES)  # the check can see her before the erasure
    besnik_before = Person.objects.get(given_name="Besnik")

    services.person_erase(actor=me, person=cyrillic, reason="Her written request of 3 March 2016.")

    assert text_holding(NAMES) == []
    assert text_holding(("2000-11-03", "03.11.2000")) == []
    assert live_figures() == before
    assert period_differences(snapshot) == []
    # Her roster rows stay, as an anonymous person of the same sex, community and municipality.
    rows = Attendance.objects.filter(person__in=[drilona.pk, cyrillic.pk])
    assert rows.count() == 2
    drilona.refresh_from_db()
    cyrillic.refresh_from_db()
    assert drilona.erased_at is not None
    # Placeholders that never look alike, so identity resolution pairs no two erased records.
    assert drilona.given_name == cyrillic.given_name == "[erased]"
    assert drilona.family_name != cyrillic.family_name
    assert (drilona.sex, drilona.community, drilona.municipality) == (
        "female",
        community("albanian"),
        municipality("gjilan"),
    )
    # The least precise birth giving her the same age on both days: 2 September 2000.
    assert (drilona.birth_date, drilona.birth_year) == (dt.date(2000, 9, 2), None)
    # The file she came in by is gone; the other attendee keeps his record and provenance.
    batch.refresh_from_db()
    assert batch.purge_cause == PurgeCause.ERASURE and bytes(batch.content) == b""
    besnik = Person.objects.get(pk=besnik_before.pk)
    assert (besnik.given_name, besnik.import_batch_id) == ("Besnik", batch.pk)
    erase = AuditEntry.objects.get(action="person_erase")
    assert erase.reason == "Her written request of 3 March 2016."
    assert erase.target_id == str(drilona.pk)


def test_the_erasure_page_asks_a_reason_and_only_officers_erase(
    client_for, personas: dict[str, User], training: Activity
) -> None:
    person = PersonFactory(given_name="Valdete", family_name="Krasniqi")
    AttendanceFactory(activity=training, person=person)
    url = reverse("people:person_erase", args=[person.pk])
    for persona in ("focal_gracanica", "staff", "donor"):
        assert client_for(persona).post(url, {"reason": "asked"}).status_code in (403, 404)
    with pytest.raises(PermissionDenied):
        services.person_erase(actor=personas["focal_gracanica"], person=person, reason="x")
    officer = client_for("me")
    page = officer.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert url in page
    refused = officer.post(url, {"reason": "  "})
    assert refused.status_code == 200 and Person.objects.get(pk=person.pk).erased_at is None
    response = officer.post(url, {"reason": "Asked by phone on 2 May 2016."})
    assert response.status_code == 302
    page = officer.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert "Valdete" not in page and "Erased person" in page
    assert Attendance.objects.filter(person=person).count() == 1
    with pytest.raises(ValidationError):
        services.person_erase(actor=personas["me"], person=person, reason="again")


@pytest.mark.parametrize(
    ("born", "days", "expected"),
    [
        # The year alone (1 July assumed) gives the same age on every day: day and month go.
        (dt.date(1979, 3, 2), [dt.date(2015, 9, 1)], (None, 1979)),
        (dt.date(2000, 11, 3), [dt.date(2015, 5, 12), dt.date(2015, 12, 1)], (None, 2000)),
        # 36 on 12 May 2015, 35 with 1 July assumed: the earliest day giving 36 is 1 January.
        (dt.date(1979, 3, 2), [dt.date(2015, 5, 12)], (dt.date(1979, 1, 1), None)),
        # 14 on 1 September 2015, 15 with 1 July assumed; the earliest day of 2000 that still
        # gives 14 on that day is 2 September.
        (dt.date(2000, 11, 3), [dt.date(2015, 9, 1)], (dt.date(2000, 9, 2), None)),
        (None, [dt.date(2015, 9, 1)], (None, None)),
    ],
)
def test_the_birth_kept_is_the_least_precise_giving_the_same_ages(
    born: dt.date | None, days: list[dt.date], expected: tuple[dt.date | None, int | None]
) -> None:
    assert coarsened_birth(birth_date=born, birth_year=None, counted_on=days) == expected
