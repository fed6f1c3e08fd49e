"""A unique-person figure shows its range while pairs of records behind it await review.

Management trainings in Gjilan and Gračanica, their sign-in sheets written as clerks write
them: one attendee in Cyrillic on one sheet and without diacritics on the next, another with
the sex ticked wrong the second time, a name family-first, one person at trainings in both
municipalities. The linkage model has put four pairs in the review queue.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from akt.accounts.models import User
from akt.activities.models import Activity, ActivityKind
from akt.linkage.models import ReviewPair
from akt.linkage.services import review_decide, review_pair_propose
from akt.people.models import Affiliation, Person
from akt.reports.tests.records import text_of
from akt.testing.factories import (
    ActivityFactory,
    AttendanceFactory,
    PersonFactory,
    community,
    municipality,
    topic,
)

pytestmark = pytest.mark.django_db

CODE = "management-trainees"
URL = reverse("reports:indicator", args=[CODE])


def training(place: str, day: dt.date) -> Activity:
    activity = ActivityFactory(
        kind=ActivityKind.TRAINING, municipality=municipality(place), start_date=day
    )
    activity.topics.add(topic("management"))
    return activity


def employee(given: str, family: str, sex: str, nation: str, **extra: object) -> Person:
    return PersonFactory(
        given_name=given,
        family_name=family,
        sex=sex,
        community=community(nation),
        affiliation=Affiliation.MUNICIPAL_EMPLOYEE,
        **extra,
    )


def propose(a: Person, b: Person, probability: float) -> ReviewPair:
    return review_pair_propose(
        a=a,
        b=b,
        probability=probability,
        match_weight=1.5,
        evidence=[{"field": "family_name", "level": "Same after transliteration", "weight": 6.0}],
        model_version="test-1",
    )


@pytest.fixture
def sheets(reference: None) -> dict[str, Person]:
    """Eight roster rows that may be six people: 8 municipal employees trained, as it stands."""
    people = {
        "jovan": employee("Јован", "Петровић", "male", "serb"),
        "arber": employee("Arbër", "Gashi", "male", "albanian"),
        "vesna": employee("Vesna", "Ilić", "female", "serb"),
        "jovan_latin": employee("Jovan", "Petrovic", "male", "serb"),
        "arber_typo": employee("Arber", "Gashi", "female", "albanian", birth_year=None),
        "dragana": employee("Dragana", "Jovanović", "female", "serb"),
        "vesna_cyrillic": employee("Весна", "Илић", "female", "serb"),
        "dragana_reversed": employee("Jovanovic", "Dragana", "female", "serb"),
    }
    first = training("gjilan", dt.date(2015, 2, 3))
    second = training("gjilan", dt.date(2015, 11, 17))
    third = training("gracanice", dt.date(2016, 3, 8))
    fourth = training("gracanice", dt.date(2016, 6, 14))
    for activity, names in (
        (first, ["jovan", "arber", "vesna"]),
        (second, ["jovan_latin", "arber_typo"]),
        (third, ["dragana", "vesna_cyrillic"]),
        (fourth, ["dragana_reversed"]),
    ):
        for name in names:
            AttendanceFactory(activity=activity, person=people[name])
    return people


@pytest.fixture
def queue(sheets: dict[str, Person]) -> dict[str, ReviewPair]:
    """Four pairs behind the figure, and one whose other record attended no such training."""
    outsider = employee("Jovan", "Petrović", "male", "serb")
    propose(sheets["jovan_latin"], outsider, 0.7)
    return {
        "jovan": propose(sheets["jovan"], sheets["jovan_latin"], 0.87),
        "arber": propose(sheets["arber"], sheets["arber_typo"], 0.6),
        "dragana": propose(sheets["dragana"], sheets["dragana_reversed"], 0.9),
        "vesna": propose(sheets["vesna"], sheets["vesna_cyrillic"], 0.3),
    }


def results_json(*args: str) -> dict[str, dict]:
    out = io.StringIO()
    call_command("results", "--format", "json", *args, stdout=out)
    return {item["code"]: item for item in json.loads(out.getvalue())}


def results_output(*args: str) -> str:
    out = io.StringIO()
    call_command("results", *args, stdout=out)
    return out.getvalue()


FULL_NOTE = (
    "While 4 pairs of records behind this figure await review, the figure lies between 4 "
    "(if every pair is one person) and 8 (if none is); 5.3 is expected from the pairs' match "
    "probabilities."
)


def test_the_figure_shows_its_range_on_the_pages_while_pairs_wait(
    client_for, queue: dict[str, ReviewPair]
) -> None:
    dashboard = text_of(client_for("me").get(reverse("reports:dashboard")))
    assert "8 municipal employees trained on management" in dashboard
    assert FULL_NOTE in dashboard

    page = client_for("me").get(URL)
    text = text_of(page)
    assert FULL_NOTE in text
    assert reverse("linkage:review_list") in page.content.decode()
    # Each split shows what its categories could be: once linked, Arbër counts once, by his
    # first sheet (male, born 1980), so the second sheet's "female" and its missing birth year
    # lose him; Vesna counts in Gjilan, where she came first, and leaves Gračanica.
    assert "While pairs await review" in text
    assert "Female 5 62% 2 to 5, 3.2 expected Male 3 38% 2 to 3, 2.1 expected" in text
    assert "30 and over 7 88% 4 to 7, 4.9 expected Unknown 1 12% 0 to 1, 0.4 expected" in text
    assert "Gjilan/Gnjilane 5 62% 3 to 5, 3.5 expected" in text
    assert "Gračanica/Graçanicë 3 38% 1 to 3, 1.8 expected" in text
    assert "Total 8 4 to 8, 5.3 expected" in text
    # Read with small categories together, the ranges add up as the categories do.
    merged = text_of(client_for("me").get(URL + "?small=10"))
    assert "Other (small categories together) 8 100% 4 to 8, 5.3 expected" in merged


def test_akt_results_gives_the_range_of_each_persons_figure(queue: dict[str, ReviewPair]) -> None:
    figure = results_json()[CODE]
    assert figure["value"] == 8
    assert figure["pending"]["pairs"] == 4
    assert figure["pending"]["if_all_linked"] == 4
    assert figure["pending"]["expected"] == 5.3
    assert figure["pending"]["expected_is_exact"] is True
    cells = figure["pending"]["disaggregations"]
    assert cells["sex"] == {
        "male": {"if_all_linked": 2, "expected": 2.1},
        "female": {"if_all_linked": 2, "expected": 3.2},
    }
    assert cells["municipality"] == {
        municipality("gjilan").code: {"if_all_linked": 3, "expected": 3.5},
        municipality("gracanice").code: {"if_all_linked": 1, "expected": 1.8},
    }
    # Figures that count no person, or whose pairs are not among their persons, say nothing.
    assert all("pending" not in item for code, item in results_json().items() if code != CODE)
    text = results_output()
    assert "8 municipal employees trained on management (4 to 8 while 4 pairs" in text


def test_the_range_goes_once_the_pairs_are_decided(
    client_for, personas: dict[str, User], queue: dict[str, ReviewPair]
) -> None:
    me = personas["me"]
    review_decide(actor=me, pair=queue["jovan"], decision="link", reason="same ID card")
    after_one = results_json()[CODE]
    assert after_one["value"] == 7
    assert after_one["pending"]["pairs"] == 3
    assert after_one["pending"]["if_all_linked"] == 4

    review_decide(actor=me, pair=queue["arber"], decision="keep_apart", reason="father and son")
    review_decide(actor=me, pair=queue["dragana"], decision="link", reason="name order")
    review_decide(actor=me, pair=queue["vesna"], decision="keep_apart", reason="two Vesnas")
    figure = results_json()[CODE]
    assert figure["value"] == 6
    assert "pending" not in figure
    for url in (reverse("reports:dashboard"), URL):
        text = text_of(client_for("me").get(url))
        assert "await review" not in text
        assert "While pairs await review" not in text


def test_the_output_is_unchanged_when_no_pair_waits(
    personas: dict[str, User], sheets: dict[str, Person]
) -> None:
    before = (results_json(), results_output(), results_output("--format", "json"))
    pair = propose(sheets["jovan"], sheets["jovan_latin"], 0.87)
    assert "awaits review" in results_output()
    review_decide(actor=personas["me"], pair=pair, decision="keep_apart", reason="two Jovans")
    assert (results_json(), results_output(), results_output("--format", "json")) == before


def test_a_focal_point_weighs_only_pairs_among_what_they_see(
    client_for, queue: dict[str, ReviewPair]
) -> None:
    """In Gračanica: Dragana twice and Vesna once; Vesna's other record is in Gjilan."""
    text = text_of(client_for("focal_gracanica").get(URL))
    assert (
        "While 1 pair of records behind this figure awaits review, the figure lies between 2 "
        "(if the pair is one person) and 3 (if it is not); 2.1 is expected"
    ) in text
    assert "4 pairs" not in text
    gracanica = results_json("--municipality", "Gračanica")[CODE]
    assert (gracanica["value"], gracanica["pending"]["pairs"]) == (3, 1)
    assert gracanica["pending"]["expected"] == 2.1
    # Zvečan has no such training: nothing counted, nothing pending.
    assert "await" not in text_of(client_for("focal_zvecan").get(URL))


def test_a_donor_reads_the_range_and_nothing_about_the_persons(
    client_for, queue: dict[str, ReviewPair]
) -> None:
    page = client_for("donor").get(URL)
    html = page.content.decode()
    assert FULL_NOTE in text_of(page)
    assert reverse("linkage:review_list") not in html
    for name in ("Petrović", "Petrovic", "Петровић", "Gashi", "Ilić", "Илић", "Jovanović"):
        assert name not in html


@pytest.mark.parametrize("url", [reverse("reports:dashboard"), URL])
def test_the_range_costs_one_query_however_many_pairs_wait(
    client_for, sheets: dict[str, Person], url: str
) -> None:
    client = client_for("me")
    with CaptureQueriesContext(connection) as none_waiting:
        assert client.get(url).status_code == 200
    propose(sheets["jovan"], sheets["jovan_latin"], 0.87)
    with CaptureQueriesContext(connection) as one_waiting:
        assert client.get(url).status_code == 200
    propose(sheets["arber"], sheets["arber_typo"], 0.6)
    propose(sheets["dragana"], sheets["dragana_reversed"], 0.9)
    propose(sheets["vesna"], sheets["vesna_cyrillic"], 0.3)
    with CaptureQueriesContext(connection) as four_waiting:
        assert client.get(url).status_code == 200
    assert len(none_waiting) == len(one_waiting) == len(four_waiting)
