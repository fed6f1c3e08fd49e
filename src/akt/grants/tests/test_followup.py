"""After the award: tranches within the award, monitoring visits, follow-up outcomes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from akt.accounts.models import AuditEntry
from akt.grants import followup_services as services
from akt.grants import services as grant_services
from akt.grants.models import GrantOutcome, JobsCreated, MonitoringVisit, Tranche
from akt.testing.factories import GrantFactory, OrganizationFactory, community, municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant(personas):
    """A $5,000 grant in Gračanica, awarded on 1 September 2015."""
    recipient = OrganizationFactory(
        name="Mlekara Gračanica", municipality=municipality("gracanice")
    )
    return GrantFactory(reference="GR-GRA-9", recipient=recipient)


def test_the_tranches_cannot_add_up_to_more_than_the_award(client_for, grant, personas) -> None:
    me = personas["me"]
    services.tranche_create(
        actor=me,
        grant=grant,
        milestone="Contract signed",
        planned_amount=Decimal("3000"),
        due_on=dt.date(2015, 9, 15),
    )
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.tranche_create(
            actor=me,
            grant=grant,
            milestone="Equipment installed",
            planned_amount=Decimal("2500"),
            due_on=dt.date(2015, 12, 1),
        )
    assert refused.value.message_dict == {
        "planned_amount": ["The tranches would add up to $5,500, more than the award of $5,000."]
    }
    # The page says so beside the amount, and stores nothing.
    response = client_for("staff").post(
        reverse("grants:tranche_create", args=[grant.pk]),
        {"milestone": "Equipment installed", "planned_amount": "2500", "due_on": "2015-12-01"},
    )
    assert response.context["form"].errors["planned_amount"] == [
        "The tranches would add up to $5,500, more than the award of $5,000."
    ]
    assert grant.tranches.count() == 1
    assert AuditEntry.objects.count() == before
    # Up to the award is fine; and the award cannot then be cut below its tranches.
    second = services.tranche_create(
        actor=me,
        grant=grant,
        milestone="Equipment installed",
        planned_amount=Decimal("2000"),
        due_on=dt.date(2015, 12, 1),
    )
    assert second.number == 2
    with pytest.raises(ValidationError) as cut:
        grant_services.grant_update(actor=me, grant=grant, data={"amount": Decimal("4000")})
    assert cut.value.message_dict == {
        "amount": ["Its tranches already plan $5,000; the award cannot be less."]
    }


def test_a_payment_is_recorded_within_the_award(client_for, grant, personas) -> None:
    me = personas["me"]
    first = services.tranche_create(
        actor=me,
        grant=grant,
        milestone="Contract signed",
        planned_amount=Decimal("3000"),
        due_on=dt.date(2015, 9, 15),
    )
    url = reverse("grants:tranche_pay", args=[grant.pk, first.pk])
    client = client_for("staff")
    response = client.post(url, {"paid_on": "2015-08-01", "paid_amount": ""})
    assert response.context["form"].errors["paid_on"] == [
        "A tranche cannot be paid before the award (Sept. 1, 2015)."
    ]
    response = client.post(url, {"paid_on": "2015-09-20", "paid_amount": "5200"})
    assert response.context["form"].errors["paid_amount"] == [
        "The payments would add up to $5,200, more than the award of $5,000."
    ]
    response = client.post(url, {"paid_on": "2015-09-20", "paid_amount": ""})
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.paid_on, first.paid_amount) == (dt.date(2015, 9, 20), Decimal("3000.00"))
    entry = AuditEntry.objects.filter(action="tranche_pay").get()
    assert entry.changes["paid_amount"] == [None, "3000.00"]
    page = client.get(reverse("grants:detail", args=[grant.pk])).content.decode()
    assert "Contract signed" in page and "Correct the payment" in page


def test_focal_points_record_visits_and_follow_ups_but_not_tranches(
    client_for, grant, personas
) -> None:
    client = client_for("focal_gracanica")
    assert client.get(reverse("grants:tranche_create", args=[grant.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.tranche_create(
            actor=personas["focal_gracanica"],
            grant=grant,
            milestone="x",
            planned_amount=Decimal(1),
            due_on=dt.date(2015, 10, 1),
        )
    assert (
        client_for("focal_zvecan").get(reverse("grants:visit_create", args=[grant.pk])).status_code
        == 404
    )
    assert (
        client_for("donor").get(reverse("grants:visit_create", args=[grant.pk])).status_code == 403
    )
    response = client.post(
        reverse("grants:visit_create", args=[grant.pk]),
        {
            "visited_on": "2016-03-14",
            "visitor": "Dragana Marković",
            "findings": "Oprema je instalirana; mlekara radi u dve smene.",
            "follow_up_needed": "on",
            "follow_up": "",
        },
    )
    assert response.context["form"].errors["follow_up"] == ["Say what follow-up is needed."]
    assert not MonitoringVisit.objects.exists()
    response = client.post(
        reverse("grants:visit_create", args=[grant.pk]),
        {
            "visited_on": "2016-03-14",
            "visitor": "Dragana Marković",
            "findings": "Oprema je instalirana; mlekara radi u dve smene.",
            "follow_up_needed": "on",
            "follow_up": "Proveriti knjigu prijema mleka u junu.",
        },
    )
    assert response.status_code == 302
    assert MonitoringVisit.objects.get().visitor == "Dragana Marković"


def test_a_follow_up_records_jobs_by_sex_and_community(client_for, grant, personas) -> None:
    serb, roma = community("serb"), community("roma")
    client = client_for("focal_gracanica")
    url = reverse("grants:outcome_create", args=[grant.pk])
    form = client.get(url).context["form"]
    field = form._name("female", serb)
    data = {
        "reported_on": "2016-09-30",
        "sales_amount": "18400",
        "sales_currency": "EUR",
        "new_products": "Kajmak u teglama od 250 g",
        form._name("female", serb): "2",
        form._name("male", serb): "1",
        form._name("male", roma): "1",
        form._name("", None): "1",
    }
    response = client.post(url, {**data, field: "-1"})
    assert (
        "Ensure this value is greater than or equal to 0." in response.context["form"].errors[field]
    )
    assert not GrantOutcome.objects.exists()
    response = client.post(url, data)
    assert response.status_code == 302
    outcome = GrantOutcome.objects.get()
    cells = {(c.sex, c.community_id): c.count for c in JobsCreated.objects.all()}
    assert cells == {
        ("female", serb.pk): 2,
        ("male", serb.pk): 1,
        ("male", roma.pk): 1,
        ("", None): 1,
    }
    assert (outcome.sales_amount, outcome.sales_currency) == (Decimal("18400.00"), "EUR")
    entry = AuditEntry.objects.get(action="outcome_create")
    assert len(entry.changes["jobs"]) == 4
    # Changing a follow-up replaces its cells.
    response = client.post(
        reverse("grants:outcome_update", args=[grant.pk, outcome.pk]),
        {**data, form._name("male", roma): "", form._name("female", serb): "3"},
    )
    assert response.status_code == 302
    cells = {(c.sex, c.community_id): c.count for c in JobsCreated.objects.all()}
    assert cells == {("female", serb.pk): 3, ("male", serb.pk): 1, ("", None): 1}
    # Sales without a currency are refused; a second follow-up on one day too.
    with pytest.raises(ValidationError) as refused:
        services.outcome_create(
            actor=personas["me"],
            grant=grant,
            reported_on=dt.date(2016, 12, 1),
            jobs={},
            sales_amount=Decimal(100),
        )
    assert refused.value.message_dict == {"sales_currency": ["Give the currency of the sales."]}
    with pytest.raises(ValidationError):
        services.outcome_create(
            actor=personas["me"], grant=grant, reported_on=dt.date(2016, 9, 30), jobs={}
        )
    assert GrantOutcome.objects.count() == 1


def test_nothing_is_added_to_a_voided_grant(grant, personas) -> None:
    grant_services.grant_void(actor=personas["me"], grant=grant, reason="Entered twice.")
    grant.refresh_from_db()
    with pytest.raises(ValidationError, match="is voided"):
        services.visit_create(
            actor=personas["me"],
            grant=grant,
            visited_on=dt.date(2016, 1, 5),
            visitor="x",
            findings="y",
        )
    assert not Tranche.objects.exists()


def test_the_grant_page_costs_no_more_queries_with_more_follow_ups(client_for, grant) -> None:
    url = reverse("grants:detail", args=[grant.pk])
    client = client_for("me")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def follow_up(day: dt.date, number: int) -> None:
        outcome = GrantOutcome.objects.create(grant=grant, reported_on=day)
        JobsCreated.objects.create(
            outcome=outcome, sex="male", community=community("serb"), count=1
        )
        MonitoringVisit.objects.create(grant=grant, visited_on=day, visitor="Besnik", findings="Ok")
        Tranche.objects.create(
            grant=grant, number=number, milestone="m", planned_amount=Decimal(10), due_on=day
        )

    follow_up(dt.date(2016, 1, 4), 1)
    before = queries()
    for number in range(2, 5):
        follow_up(dt.date(2016, number, 4), number)
    assert queries() == before
