"""Affiliation at the time: each roster row keeps what the person was when they attended, so a
promotion does not rewrite three years of figures; affiliation is a split of the indicators
that filter by it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from akt.accounts.models import User
from akt.activities import services as activity_services
from akt.activities.models import ActivityKind, Attendance
from akt.counting import engine
from akt.indicators.selectors import reference_results, results_compute
from akt.people.models import Affiliation
from akt.people.services import person_update
from akt.testing.factories import ActivityFactory, PersonFactory, municipality, topic

pytestmark = pytest.mark.django_db

WINDOW = engine.date_range(dt.date(2014, 10, 1), dt.date(2017, 9, 30))


def training(day: dt.date, subject: str) -> object:
    activity = ActivityFactory(
        kind=ActivityKind.TRAINING, start_date=day, municipality=municipality("gjilan")
    )
    activity.topics.add(topic(subject))
    return activity


def figures(code: str) -> engine.Result:
    computed = {item.indicator.code: item.figures for item in results_compute(window=WINDOW)}
    oracle = reference_results(window=WINDOW)
    assert computed[code].value == oracle[code].value  # the one path agrees with the oracle
    assert computed[code].breakdowns == oracle[code].breakdowns
    return computed[code]


def test_a_promotion_does_not_change_earlier_figures(
    reference: None, personas: dict[str, User]
) -> None:
    """Drita was a municipal employee at the 2015 management training; in 2016 she became the
    finance officer and attended the property-tax training. Recording the promotion on her
    record leaves 2015 counted as a municipal employee, and she counts for property tax only
    from the training she attended as finance officer."""
    me = personas["me"]
    drita = PersonFactory(
        given_name="Drita",
        family_name="Krasniqi",
        municipality=municipality("gjilan"),
        affiliation=Affiliation.MUNICIPAL_EMPLOYEE,
    )
    management = training(dt.date(2015, 3, 4), "management")
    activity_services.attendance_add(actor=me, activity=management, person=drita)
    person_update(actor=me, person=drita, data={"affiliation": Affiliation.FINANCE_OFFICER})
    drita.refresh_from_db()
    tax = training(dt.date(2016, 5, 11), "property-tax")
    activity_services.attendance_add(actor=me, activity=tax, person=drita)
    # A 2014 property-tax training she attended before her promotion: entered late, from a
    # sheet that says "municipal employee" in its affiliation column.
    late = training(dt.date(2014, 11, 20), "property-tax")
    activity_services.attendance_add(
        actor=me, activity=late, person=drita, affiliation=Affiliation.MUNICIPAL_EMPLOYEE
    )

    rows = dict(Attendance.objects.values_list("activity_id", "affiliation"))
    assert rows == {
        management.pk: Affiliation.MUNICIPAL_EMPLOYEE,
        tax.pk: Affiliation.FINANCE_OFFICER,
        late.pk: Affiliation.MUNICIPAL_EMPLOYEE,
    }
    trainees = figures("management-trainees")
    assert trainees.value == 1
    split = {cell: value for cell, value in trainees.breakdowns["affiliation"].items() if value}
    assert split == {"municipal_employee": 1}
    # Property tax: only the 2016 training, where she was the finance officer; the 2014 one
    # (as a municipal employee) is outside the indicator's filter.
    assert figures("property-tax-trainees").value == 1


def test_the_roster_page_keeps_the_affiliation_given_or_the_persons(
    reference: None, client_for
) -> None:
    activity = training(dt.date(2016, 2, 3), "management")
    first = PersonFactory(municipality=municipality("gjilan"), affiliation=Affiliation.CITIZEN)
    second = PersonFactory(
        municipality=municipality("gjilan"), affiliation=Affiliation.FINANCE_OFFICER
    )
    client = client_for("me")
    url = reverse("activities:attendance_add", args=[activity.pk])
    for person, given in ((first, Affiliation.MUNICIPAL_EMPLOYEE), (second, "")):
        answer = client.post(
            url,
            {
                "how": "existing",
                "person": person.pk,
                "role": "participant",
                "affiliation": given,
            },
        )
        assert answer.status_code == 302
    kept = dict(Attendance.objects.values_list("person_id", "affiliation"))
    assert kept == {
        first.pk: Affiliation.MUNICIPAL_EMPLOYEE,  # as given on the sheet
        second.pk: Affiliation.FINANCE_OFFICER,  # left empty: the person's own
    }
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "Municipal employee" in page and "Municipal finance officer" in page
