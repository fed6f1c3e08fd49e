"""The property tax follow-up page on a small hand-made case: which municipalities' finance
officers were trained and when, and their property tax billed, collected and collection rate per
calendar year, with the mean rate before and after the training year; for each viewer the
municipalities their scope covers, in English, Albanian and Serbian (Cyrillic)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from akt.accounts.models import User
from akt.activities.models import ActivityKind
from akt.counting.periods import Period
from akt.indicators.models import Indicator
from akt.indicators.services import outcome_value_record
from akt.reports.property_tax import property_tax_follow_up
from akt.reports.selectors import municipalities_by_id
from akt.reports.tests.records import text_of
from akt.testing.factories import (
    ActivityFactory,
    AttendanceFactory,
    OrganizationFactory,
    PersonFactory,
    municipality,
    topic,
)

pytestmark = pytest.mark.django_db

PAGE = reverse("reports:property_tax")
OFFICER_NAME = "Arbenita"


def training(place: str, day: dt.date, topic_code: str = "property-tax"):
    activity = ActivityFactory(
        kind=ActivityKind.TRAINING, municipality=municipality(place), start_date=day, end_date=day
    )
    activity.topics.add(topic(topic_code))
    return activity


def officer(place: str, **fields: object):
    office = OrganizationFactory(kind="municipal_office", municipality=municipality(place))
    return PersonFactory(
        municipality=municipality(place), organization=office, given_name=OFFICER_NAME, **fields
    )


@pytest.fixture
def follow_up(personas: dict[str, User]) -> None:
    """Gjilan's finance officers trained in 2015 (the first session held in Zvečan, a regional
    one) and again in 2016; Zvečan's in 2016. A Gračanica employee at the same training, and a
    Gračanica finance officer at a training on another topic, make Gračanica no trained place.

    Gjilan's rates: 2013 50%, 2014 60% (before: 55%); 2015 70% (the training year); 2016 80%,
    2017 billed only (after: 80%): +25 points. Zvečan: 2015 10%, 2017 30%.
    """
    first = training("zvecan", dt.date(2015, 3, 10))
    later = training("gjilan", dt.date(2016, 5, 4))
    gjilan = [officer("gjilan", affiliation="finance_officer") for _repeat in range(3)]
    for person in gjilan:
        AttendanceFactory(activity=first, person=person)
    AttendanceFactory(activity=later, person=gjilan[0])
    # The row keeps what the person was then: a later promotion does not count here.
    employee = officer("gracanice", affiliation="municipal_employee")
    AttendanceFactory(activity=first, person=employee, affiliation="municipal_employee")
    employee.affiliation = "finance_officer"
    employee.save()
    AttendanceFactory(
        activity=training("gracanice", dt.date(2015, 6, 1), "management"),
        person=officer("gracanice", affiliation="finance_officer"),
    )
    zvecan = training("zvecan", dt.date(2016, 9, 1))
    AttendanceFactory(activity=zvecan, person=officer("zvecan", affiliation="finance_officer"))
    AttendanceFactory(
        activity=zvecan, person=officer("zvecan", affiliation="finance_officer"), role="trainer"
    )

    def enter(code: str, place: str, year: int, value: str) -> None:
        outcome_value_record(
            actor=personas["me"],
            indicator=Indicator.objects.get(code=code),
            period=Period.calendar_year(year),
            municipality_id=municipality(place).pk,
            cell={},
            value=Decimal(value),
            source_document=f"Financial report {year}",
        )

    for year, billed, collected in (
        (2013, "1000", "500"),
        (2014, "1000", "600"),
        (2015, "1000", "700"),
        (2016, "2000", "1600"),
        (2017, "1000", None),
    ):
        enter("property-tax-billed", "gjilan", year, billed)
        if collected:
            enter("property-tax-collected", "gjilan", year, collected)
    enter("property-tax-billed", "zvecan", 2015, "50000")
    enter("property-tax-collected", "zvecan", 2015, "5000")
    enter("property-tax-billed", "zvecan", 2017, "40000")
    enter("property-tax-collected", "zvecan", 2017, "12000")
    enter("property-tax-billed", "gracanice", 2015, "9999")


def test_the_numbers_of_the_follow_up(follow_up: None) -> None:
    found = {item.municipality.code: item for item in property_tax_follow_up(
        None, municipalities_by_id())}  # fmt: skip
    assert set(found) == {"gjilan", "zvecan"}
    gjilan = found["gjilan"]
    assert (gjilan.trained_in, gjilan.officers) == (2015, 3)
    assert [year.year for year in gjilan.years] == [2013, 2014, 2015, 2016, 2017]
    assert [year.rate for year in gjilan.years] == [
        Decimal(50),
        Decimal(60),
        Decimal(70),
        Decimal(80),
        None,
    ]
    assert (gjilan.before, gjilan.after, gjilan.change) == (Decimal(55), Decimal(80), Decimal(25))
    zvecan = found["zvecan"]
    assert (zvecan.trained_in, zvecan.officers) == (2016, 1)  # the trainer is not trained
    assert (zvecan.before, zvecan.after) == (Decimal(10), Decimal(30))
    assert [year.billed for year in zvecan.years][:2] == [None, None]  # no value in 2013, 2014


def test_the_page_for_the_whole_program(client_for, follow_up: None) -> None:
    for persona in ("me", "donor"):
        page = text_of(client_for(persona).get(PAGE))
        assert "Gjilan/Gnjilane 2015 3 55% 80% +25.0" in page
        assert "2013 €1,000 €500 50%" in page
        assert "2015 (training year) €1,000 €700 70%" in page
        assert "2017 €1,000 – –" in page
        assert "Zvečan/Zveçan 2016 1 10% 30% +20.0" in page
        assert "Gračanica" not in page
        assert OFFICER_NAME not in page  # municipal aggregates only: nobody is named
    html = client_for("me").get(PAGE).content.decode()
    assert 'aria-describedby="municipality-gjilan-years"' in html  # the chart and its table
    assert reverse("indicators:values", args=["property-tax-billed"]) in html


def test_a_focal_point_sees_their_own_municipality(client_for, follow_up: None) -> None:
    page = text_of(client_for("focal_zvecan").get(PAGE))
    assert "Zvečan/Zveçan 2016 1 10% 30% +20.0" in page
    assert "Gjilan" not in page
    page = text_of(client_for("focal_gracanica").get(PAGE))
    assert "No finance officer of a municipality you may see" in page
    assert client_for(None).get(PAGE).status_code == 302


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sq", ["Gjilan 2015 3 55% 80% +25,0", "2013 1 000 € 500 € 50%", "viti i trajnimit"]),
        ("sr", ["Гњилане 2015 3 55% 80% +25,0", "2013 1.000 € 500 € 50%"]),
    ],
)
def test_the_page_in_albanian_and_serbian_cyrillic(
    client_for, follow_up: None, language: str, expected: list[str]
) -> None:
    client = client_for("me")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = text_of(client.get(PAGE)).replace("\xa0", " ").replace("\u202f", " ")
    for text in expected:
        assert text in page, text
    if language == "sr":
        assert "година обуке" in page
        assert "Property" not in page and "Collection" not in page


def test_the_page_reads_as_many_queries_however_many_values(
    client_for, follow_up: None, personas
) -> None:
    client = client_for("me")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PAGE).status_code == 200
        return len(captured)

    few = queries()
    AttendanceFactory(
        activity=training("peje", dt.date(2014, 11, 3)),
        person=officer("peje", affiliation="finance_officer"),
    )
    for year in range(2012, 2018):
        for code in ("property-tax-billed", "property-tax-collected"):
            outcome_value_record(
                actor=personas["me"],
                indicator=Indicator.objects.get(code=code),
                period=Period.calendar_year(year),
                municipality_id=municipality("peje").pk,
                cell={},
                value=Decimal(1000 * year),
                source_document="Raporti vjetor",
            )
    assert "Pejë/Peć 2014" in text_of(client.get(PAGE))
    assert queries() == few
