"""The demo's grants workflow (``akt.demo.grants_workflow``) on a small demo-like set of grants:
what it writes is consistent with the rules the services hold, leaves the dollar total as it
was, and is the same every time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum

from akt.accounts.models import Role
from akt.demo.grants_workflow import (
    DEMO_RATE_SOURCE,
    grants_committee_populate,
    grants_workflow_populate,
    grants_workflow_wipe,
)
from akt.grants.models import (
    Application,
    ApplicationStatus,
    Call,
    CriterionScore,
    ExchangeRate,
    Grant,
    GrantOutcome,
    JobsCreated,
    MonitoringVisit,
    ScoreSheet,
    Tranche,
)
from akt.grants.selectors import grants_lacking_rate, ranking
from akt.testing.factories import (
    GrantFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
    community,
    component,
    municipality,
)

pytestmark = pytest.mark.django_db

PLACES = ("gracanice", "gjilan", "zvecan", "peje", "shterpce", "vushtrri")
SECTORS = ("agriculture", "beekeeping", "furniture", "wood_processing")


@pytest.fixture
def demo_grants(reference) -> list[Grant]:
    grants = []
    for index in range(20):
        place = municipality(PLACES[index % len(PLACES)])
        sector = SECTORS[index % len(SECTORS)]
        organization = OrganizationFactory(
            name=f"Biznesi {index:02d}",
            kind="farm" if sector in ("agriculture", "beekeeping") else "business",
            sector=sector,
            municipality=place,
            registration_number=f"DEMO-ORG-{index:03d}",
        )
        PersonFactory(
            organization=organization,
            municipality=place,
            sex="female" if index % 3 == 0 else "male",
            birth_year=1965 + index,
            community=community("serb" if index % 2 else "albanian"),
        )
        if index < 8:
            year = 2015 if index < 4 else 2016
            grants.append(
                GrantFactory(
                    reference=f"DEMO-BG-{year}-{index:02d}",
                    recipient=organization,
                    municipality=place,
                    sector=sector,
                    component=component("economic"),
                    amount=Decimal(5000 + 500 * index),
                    award_date=dt.date(year, 9, 1) + dt.timedelta(days=7 * index),
                )
            )
    return grants


def fingerprint() -> list[tuple]:
    """What the workflow wrote, without ids or timestamps of the run."""
    return sorted(
        [
            tuple(map(str, row))
            for row in Application.objects.values_list(
                "call__reference", "applicant__name", "status", "received_on", "amount_requested",
                "cofinancing", "description", "owner_sex", "owner_birth_year",
                "owner_community__code", "decision_reason", "ineligibility_reason",
                "grant__reference",
            )
        ]
        + [
            tuple(map(str, row))
            for row in CriterionScore.objects.values_list(
                "sheet__application__applicant__name", "sheet__member__username",
                "criterion__name", "points", "comment",
            )
        ]
        + [tuple(map(str, row)) for row in Tranche.objects.values_list(
            "grant__reference", "number", "milestone", "planned_amount", "paid_amount")]
        + [tuple(map(str, row)) for row in JobsCreated.objects.values_list(
            "outcome__grant__reference", "outcome__reported_on", "sex", "community__code", "count")]
        + [tuple(map(str, row)) for row in Grant.objects.values_list(
            "reference", "amount", "currency", "usd_rate", "amount_usd")]
    )  # fmt: skip


def test_the_workflow_surrounds_the_grants_without_changing_their_dollar_total(
    demo_grants,
) -> None:
    UserFactory(username="me", role=Role.ME_OFFICER)
    UserFactory(
        username="staff-economic", role=Role.COMPONENT_STAFF, component=component("economic")
    )
    dollars = sum(grant.amount for grant in demo_grants)
    counts = grants_workflow_populate(seed=7, eur_awards=2)

    assert Grant.objects.aggregate(total=Sum("amount_usd"))["total"] == dollars
    assert not grants_lacking_rate().exists()
    euro_grants = list(Grant.objects.filter(currency="EUR"))
    assert len(euro_grants) == 2 == counts["eur_awards"]
    for grant in euro_grants:
        assert grant.amount % 10 == 0  # a round amount in euros
        rate = ExchangeRate.objects.on_or_before("EUR", grant.award_date)
        assert (rate.usd_per_unit, rate.source) == (grant.usd_rate, DEMO_RATE_SOURCE)

    # One call a year with grants, and the one still being scored.
    calls = {call.reference: call for call in Call.objects.all()}
    assert set(calls) == {"DEMO-BG-2015", "DEMO-BG-2016", "DEMO-BG-2017"}
    for grant in demo_grants:
        application = Application.objects.get(grant=grant)
        call = application.call
        assert call.reference == f"DEMO-BG-{grant.award_date.year}"
        assert call.opens_on <= application.received_on <= call.deadline < grant.award_date
        assert application.status == ApplicationStatus.AWARDED
        assert application.amount_requested >= application.grant.amount_usd
        assert application.municipality.pk in set(call.municipalities.values_list("pk", flat=True))
    for status in (ApplicationStatus.REJECTED, ApplicationStatus.INELIGIBLE):
        assert Application.objects.filter(status=status).exists()
    assert not Application.objects.filter(
        status=ApplicationStatus.INELIGIBLE, ineligibility_reason=""
    ).exists()

    # The committee scored the decided calls; the awards rank above the rejections.
    call = calls["DEMO-BG-2016"]
    ranked = ranking(call, None, call.applications.all())
    statuses = [row.application.status for row in ranked if row.rank is not None]
    assert statuses == sorted(statuses, key=lambda status: status != ApplicationStatus.AWARDED)
    assert not ScoreSheet.objects.filter(has_conflict=True, submitted_at__isnull=False).exists()

    # After the award: tranches within it, visits and follow-ups after it.
    for grant in Grant.objects.all():
        planned = grant.tranches.aggregate(total=Sum("planned_amount"))["total"]
        assert planned == grant.amount
        assert all(visit.visited_on > grant.award_date for visit in grant.visits.all())
    assert MonitoringVisit.objects.exists() and GrantOutcome.objects.exists()


def test_the_same_seed_gives_the_same_workflow_whenever_the_users_come(demo_grants) -> None:
    def users() -> None:
        UserFactory(username="me", role=Role.ME_OFFICER)
        UserFactory(username="admin", role=Role.ADMINISTRATOR)

    start = transaction.savepoint()
    users()
    grants_workflow_populate(seed=3)
    with_users = fingerprint()
    transaction.savepoint_rollback(start)

    # A fresh demo has no users yet: their declarations and scores come once they exist.
    assert grants_workflow_populate(seed=3)["score_sheets"] == 0
    users()
    assert grants_committee_populate(seed=3)["score_sheets"] > 0
    assert fingerprint() == with_users
    assert grants_committee_populate(seed=3)["score_sheets"] == 0  # nothing twice

    wiped = grants_workflow_wipe()
    assert wiped["calls"] == 3
    assert not Call.objects.exists() and not Application.objects.exists()
    assert Grant.objects.count() == len(demo_grants)
