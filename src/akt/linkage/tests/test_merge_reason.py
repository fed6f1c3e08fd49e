"""A merge or split that changes an approved quarter's figures needs a reason, like any other
change to an approved quarter, and the quarter's page lists it among the changes since."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from akt.accounts.models import AuditEntry, Role, User
from akt.linkage.models import PersonMerge, ReviewPair, ReviewStatus
from akt.linkage.services import person_merge, person_split, review_pair_propose
from akt.people.models import Person
from akt.reports.services import period_approve, period_submit
from akt.testing.factories import ActivityFactory, AttendanceFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

IN_APPROVED = dt.date(2015, 5, 12)  # FY 2015 Q3, approved below
LATER = dt.date(2016, 1, 20)  # FY 2016 Q2, not approved


def attended(person: Person, day: dt.date) -> Person:
    AttendanceFactory(person=person, activity=ActivityFactory(start_date=day))
    return person


def approve_fy2015_q3(personas: dict[str, User]) -> None:
    period = period_submit(actor=personas["me"], fiscal_year=2015, quarter=3)
    period_approve(actor=UserFactory(username="me2", role=Role.ME_OFFICER), period=period)


@pytest.fixture
def pair_in_approved_quarter(personas: dict[str, User]) -> tuple[Person, Person]:
    latin = attended(PersonFactory(given_name="Dževdet", family_name="Krasnići"), IN_APPROVED)
    albanian = attended(PersonFactory(given_name="Xhevdet", family_name="Krasniqi"), LATER)
    approve_fy2015_q3(personas)
    return latin, albanian


def test_a_merge_touching_an_approved_quarter_is_refused_without_a_reason(
    client_for, personas: dict[str, User], pair_in_approved_quarter: tuple[Person, Person]
) -> None:
    latin, albanian = pair_in_approved_quarter
    with pytest.raises(ValidationError) as refused:
        person_merge(actor=personas["me"], survivor=latin, others=[albanian], reason="  ")
    assert "FY 2015, Q3, which is approved" in " ".join(refused.value.messages)
    assert "reason" in refused.value.message_dict
    assert not PersonMerge.objects.exists()
    assert Person.objects.get(pk=albanian.pk).identity_id is None

    merge = person_merge(
        actor=personas["me"], survivor=latin, others=[albanian], reason="Same ID card number."
    )
    entry = AuditEntry.objects.get(action="person_merge")
    assert entry.reason == "Same ID card number."
    assert entry.changes["approved_periods"] == ["fy2015q3"]

    page = client_for("me").get(reverse("reports:period", args=[2015, 3]))
    assert "Same ID card number." in page.content.decode()

    # Splitting it changes the quarter again: its entry names the quarter too.
    person_split(actor=personas["me"], merge=merge, reason="Two brothers after all.")
    split = AuditEntry.objects.get(action="person_split")
    assert split.changes["approved_periods"] == ["fy2015q3"]


def test_a_merge_of_quarters_not_approved_needs_no_reason(personas: dict[str, User]) -> None:
    approve_fy2015_q3(personas)
    first = attended(PersonFactory(family_name="Berisha"), LATER)
    second = attended(PersonFactory(family_name="Berishaj"), dt.date(2016, 2, 3))
    person_merge(actor=personas["me"], survivor=first, others=[second], reason="")
    entry = AuditEntry.objects.get(action="person_merge")
    assert "approved_periods" not in entry.changes


def test_linking_a_pair_on_the_review_page_asks_for_the_reason(
    client_for, personas: dict[str, User], pair_in_approved_quarter: tuple[Person, Person]
) -> None:
    latin, albanian = pair_in_approved_quarter
    pair = review_pair_propose(
        a=latin, b=albanian, probability=0.8, match_weight=2.0, evidence=[], model_version="t"
    )
    client = client_for("me")
    link = reverse("linkage:review_link", args=[pair.pk])

    refused = client.post(link, {"reason": ""})
    assert refused.status_code == 200
    assert "which is approved: say why" in refused.content.decode()
    assert ReviewPair.objects.get(pk=pair.pk).status == ReviewStatus.PENDING
    assert Person.objects.get(pk=albanian.pk).identity_id is None

    assert client.post(link, {"reason": "Same father's name."}).status_code == 302
    assert Person.objects.get(pk=albanian.pk).identity_id == latin.pk
    assert AuditEntry.objects.get(action="person_merge").reason == "Same father's name."


def test_keeping_a_pair_apart_changes_no_figure_and_needs_no_reason(
    client_for, pair_in_approved_quarter: tuple[Person, Person]
) -> None:
    latin, albanian = pair_in_approved_quarter
    pair = review_pair_propose(
        a=latin, b=albanian, probability=0.8, match_weight=2.0, evidence=[], model_version="t"
    )
    response = client_for("me").post(reverse("linkage:review_keep_apart", args=[pair.pk]))
    assert response.status_code == 302
    assert ReviewPair.objects.get(pk=pair.pk).status == ReviewStatus.KEPT_APART
