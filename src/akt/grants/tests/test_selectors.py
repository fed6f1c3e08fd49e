"""The selectors the indicators will read: grants awarded, dollars by sector, grants lacking a
rate, jobs created by cell, and the shares of women-, youth- and non-majority-owned grants."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from akt.grants.models import Application, GrantOutcome, JobsCreated
from akt.grants.selectors import (
    amounts_by_sector,
    grants_awarded,
    grants_lacking_rate,
    jobs_by_cell,
    jobs_created,
    owner_shares,
)
from akt.grants.tests.conftest import make_application
from akt.testing.factories import GrantFactory, OrganizationFactory, community, municipality

pytestmark = pytest.mark.django_db


def awarded(workflow, name: str, place: str, **owner: object):
    """A grant awarded to a new application in ``place`` with the given owner."""
    application = make_application(workflow.call, name, place, status="scored", **owner)
    grant = GrantFactory(
        recipient=application.applicant,
        municipality=municipality(place),
        award_date=dt.date(2016, 4, 1),
        amount_usd=Decimal("5000.00"),
    )
    Application.objects.filter(pk=application.pk).update(grant=grant, status="awarded")
    return grant


def test_dollar_amounts_by_sector_leave_out_and_count_the_grants_lacking_a_rate(reference) -> None:
    GrantFactory(sector="dairy", amount=Decimal("4000"), amount_usd=Decimal("4000"))
    GrantFactory(
        sector="dairy",
        amount=Decimal("3000"),
        currency="EUR",
        usd_rate=Decimal("1.1"),
        amount_usd=Decimal("3300"),
    )
    lacking = GrantFactory(sector="dairy", amount=Decimal("2000"), currency="EUR")
    GrantFactory(sector="furniture", amount=Decimal("6000"), amount_usd=Decimal("6000"))
    voided = GrantFactory(sector="furniture", amount_usd=Decimal("9000"), amount=Decimal("9000"))
    voided.voided_at = dt.datetime(2016, 1, 1, tzinfo=dt.UTC)
    voided.save()
    sums = amounts_by_sector()
    assert {
        sector: (row.amount_usd, row.grants, row.lacking_rate) for sector, row in sums.items()
    } == {
        "dairy": (Decimal("7300.00"), 3, 1),
        "furniture": (Decimal("6000.00"), 1, 0),
    }
    assert list(grants_lacking_rate()) == [lacking]
    in_2015 = grants_awarded(start=dt.date(2015, 1, 1), end=dt.date(2015, 12, 31))
    assert in_2015.count() == 4  # the factory awards on 1 September 2015; the voided one is out


def test_jobs_created_by_sex_and_community(reference) -> None:
    grant = GrantFactory()
    spring = GrantOutcome.objects.create(grant=grant, reported_on=dt.date(2016, 4, 1))
    autumn = GrantOutcome.objects.create(grant=grant, reported_on=dt.date(2016, 10, 1))
    serb = community("serb")
    JobsCreated.objects.create(outcome=spring, sex="female", community=serb, count=2)
    JobsCreated.objects.create(outcome=autumn, sex="female", community=serb, count=1)
    JobsCreated.objects.create(outcome=autumn, sex="", community=None, count=3)
    assert jobs_by_cell() == {("female", "serb"): 3, ("", None): 3}
    assert jobs_by_cell(jobs_created(start=dt.date(2016, 7, 1))) == {
        ("female", "serb"): 1,
        ("", None): 3,
    }


def test_shares_of_women_youth_and_non_majority_owned_grants(workflow) -> None:
    # Gračanica's majority is Serb, Gjilan's Albanian.
    awarded(
        workflow,
        "A",
        "gracanice",
        owner_sex="female",
        owner_birth_year=1990,
        owner_community=community("roma"),
    )  # 26 on 1 April 2016: youth; Roma in Gračanica: non-majority
    awarded(
        workflow,
        "B",
        "gracanice",
        owner_sex="male",
        owner_birth_year=1986,
        owner_community=community("serb"),
    )  # 29 (born 1 July assumed): youth; majority
    awarded(
        workflow,
        "C",
        "zvecan",
        owner_sex="female",
        owner_birth_year=1980,
        owner_community=community("prefer-not-to-say"),
    )  # 35; prefer not to say: unknown
    awarded(workflow, "D", "zvecan")  # nothing answered
    GrantFactory(recipient=OrganizationFactory())  # no application: owner unknown
    shares = owner_shares()
    assert (shares.women_owned.yes, shares.women_owned.no, shares.women_owned.unknown) == (2, 1, 2)
    assert (shares.youth_owned.yes, shares.youth_owned.no, shares.youth_owned.unknown) == (2, 1, 2)
    assert (
        shares.non_majority_owned.yes,
        shares.non_majority_owned.no,
        shares.non_majority_owned.unknown,
    ) == (1, 1, 3)
    assert shares.women_owned.total == 5
    assert shares.women_owned.share_of_known == Decimal(2) / Decimal(3)
