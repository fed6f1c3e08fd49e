"""Counts follow the current linkage state, and a figure says how many pairs behind it are open."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from akt.accounts.models import User
from akt.activities.models import Activity, ActivityKind
from akt.counting import engine
from akt.indicators.fact_reader import attendance_facts
from akt.indicators.models import Indicator
from akt.indicators.selectors import IndicatorValue, indicator_value, pending_for
from akt.linkage.models import ReviewPair
from akt.linkage.services import person_merge, person_split, review_decide, review_pair_propose
from akt.people.models import Affiliation, Person
from akt.testing.factories import ActivityFactory, AttendanceFactory, PersonFactory, topic

pytestmark = pytest.mark.django_db

CODE = "management-trainees"


def management_training(day: dt.date) -> Activity:
    activity = ActivityFactory(kind=ActivityKind.TRAINING, start_date=day)
    activity.topics.add(topic("management"))
    return activity


def employee(given: str, family: str, sex: str = "male") -> Person:
    return PersonFactory(
        given_name=given,
        family_name=family,
        sex=sex,
        affiliation=Affiliation.MUNICIPAL_EMPLOYEE,
    )


def trainees() -> IndicatorValue:
    return indicator_value(Indicator.objects.get(code=CODE))


def pairs_under_review(value: IndicatorValue) -> int:
    """How many pending pairs lie between two persons the figure counts (0 for other units)."""
    pending = pending_for([value]).get(value.indicator.code)
    return 0 if pending is None else pending.pairs


def propose(a: Person, b: Person) -> ReviewPair:
    return review_pair_propose(
        a=a,
        b=b,
        probability=0.87,
        match_weight=2.7,
        evidence=[{"field": "family_name", "level": "Same after transliteration", "weight": 7.0}],
        model_version="test-1",
    )


@pytest.fixture
def jovan(reference: None) -> dict[str, Person]:
    """Јован Петровић on one management training's sheet, Jovan Petrović on another's."""
    cyrillic = employee("Јован", "Петровић")
    latin = employee("Jovan", "Petrović")
    AttendanceFactory(activity=management_training(dt.date(2015, 2, 3)), person=cyrillic)
    AttendanceFactory(activity=management_training(dt.date(2015, 11, 17)), person=latin)
    return {"cyrillic": cyrillic, "latin": latin}


def test_a_cyrillic_and_a_latin_spelling_of_one_attendee_count_once(
    personas: dict[str, User], jovan: dict[str, Person]
) -> None:
    before = trainees()
    assert before.figures.value == 2
    assert pairs_under_review(before) == 0

    pair = propose(jovan["latin"], jovan["cyrillic"])
    assert pairs_under_review(trainees()) == 1

    decided = review_decide(actor=personas["me"], pair=pair, decision="link", reason="same ID")
    after = trainees()
    assert after.figures.value == 1
    assert pairs_under_review(after) == 0
    # Every breakdown still adds up to the figure.
    for cells in after.figures.breakdowns.values():
        assert sum(cells.values()) == 1
    # Both roster rows are still behind the figure: the drill-down loses no record.
    assert after.behind().record_ids == before.behind().record_ids

    # And split again, they count twice.
    person_split(actor=personas["me"], merge=decided.merge, reason="two employees")
    assert trainees().figures.value == 2


def test_attendance_facts_carry_the_canonical_person(
    personas: dict[str, User], jovan: dict[str, Person]
) -> None:
    cyrillic, latin = jovan["cyrillic"], jovan["latin"]
    person_merge(actor=personas["me"], survivor=cyrillic, others=[latin], reason="")
    with CaptureQueriesContext(connection) as captured:
        people = {fact.person for fact in attendance_facts() if not fact.is_tally}
    assert people == {cyrillic.pk}
    assert len(captured) == 3  # topics, roster rows, tallies: no query per person


def test_pairs_under_review_count_only_pairs_that_could_change_the_figure(
    personas: dict[str, User], jovan: dict[str, Person]
) -> None:
    cyrillic, latin = jovan["cyrillic"], jovan["latin"]
    outsider = employee("Jovan", "Petrovic")  # on no management training
    propose(latin, outsider)
    assert pairs_under_review(trainees()) == 0

    # A pair counts through the persons its records resolve to.
    third = employee("Jovan", "Petrović")
    person_merge(actor=personas["me"], survivor=cyrillic, others=[outsider], reason="")
    assert pairs_under_review(trainees()) == 1
    propose(third, cyrillic)  # third is behind no figure
    assert pairs_under_review(trainees()) == 1

    # A pending pair whose records were resolved to one person meanwhile changes nothing.
    person_merge(actor=personas["me"], survivor=latin, others=[cyrillic], reason="")
    assert pairs_under_review(trainees()) == 0


def test_pairs_under_review_is_one_query_and_zero_for_other_units(
    jovan: dict[str, Person],
) -> None:
    propose(jovan["latin"], jovan["cyrillic"])
    result = trainees()
    with CaptureQueriesContext(connection) as captured:
        assert pairs_under_review(result) == 1
    assert len(captured) == 1  # the pending pairs; the figure names the persons it counts
    debates = indicator_value(Indicator.objects.get(code="lul-debates"))
    assert debates.figures.unit is engine.Unit.ACTIVITIES
    assert pairs_under_review(debates) == 0


def test_the_drill_down_says_how_many_pairs_are_under_review(
    client_for, jovan: dict[str, Person]
) -> None:
    url = reverse("reports:indicator", args=[CODE])
    page = client_for("me").get(url).content.decode()
    assert "awaits review" not in page

    propose(jovan["latin"], jovan["cyrillic"])
    note = (
        "While 1 pair of records behind this figure awaits review, the figure lies between 1 "
        "(if the pair is one person) and 2 (if it is not); 1.1 is expected"
    )
    page = client_for("me").get(url).content.decode()
    assert note in page
    assert reverse("linkage:review_list") in page
    # A donor reads the same note, without a way into the queue.
    page = client_for("donor").get(url).content.decode()
    assert note in page
    assert reverse("linkage:review_list") not in page

    attendances = reverse("reports:indicator", args=["lul-debate-participants"])
    assert "awaits review" not in client_for("me").get(attendances).content.decode()
