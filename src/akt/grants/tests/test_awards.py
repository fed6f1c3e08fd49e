"""Award and rejection decisions, the grant they create, and its amount in US dollars."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from akt.accounts.models import AuditEntry
from akt.grants import services
from akt.grants.call_services import award_decide
from akt.grants.models import Application, ApplicationStatus, ExchangeRate, Grant
from akt.grants.scoring_services import application_conflict_declare
from akt.grants.selectors import grants_lacking_rate
from akt.grants.tests.test_scoring import score
from akt.intake.services import import_check, import_commit, import_receive
from akt.testing.factories import GrantFactory, OrganizationFactory, component, municipality

AWARD_DAY = dt.date(2016, 3, 25)


@pytest.fixture
def scored(workflow, personas) -> Application:
    """The Gračanica application, scored by the staff member."""
    score(personas["staff"], workflow.gracanica, [8, 4, 15])
    workflow.gracanica.refresh_from_db()
    return workflow.gracanica


@pytest.fixture
def euro_rates() -> None:
    for day, rate in ((dt.date(2016, 3, 1), "1.0900"), (dt.date(2016, 3, 20), "1.1100")):
        ExchangeRate.objects.create(
            currency="EUR", on=day, usd_per_unit=Decimal(rate), source="ECB reference rate"
        )
    # After the award: never taken for it.
    ExchangeRate.objects.create(
        currency="EUR", on=dt.date(2016, 4, 5), usd_per_unit=Decimal("1.1300"), source="ECB"
    )


def decision(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "decision": "award",
        "reason": "Ranked first; the committee cut the extractor from the budget.",
        "decided_on": AWARD_DAY.isoformat(),
        "reference": "BG-2016-01-07",
        "amount": "6500.00",
        "currency": "USD",
        "usd_rate": "",
        "rate_source": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_an_award_in_dollars_creates_the_grant_for_another_amount(
    client_for, scored, personas
) -> None:
    before = AuditEntry.objects.count()
    response = client_for("staff").post(
        reverse("grants:application_decision", args=[scored.pk]), decision()
    )
    assert response.status_code == 302
    scored.refresh_from_db()
    grant = scored.grant
    assert scored.status == ApplicationStatus.AWARDED
    assert (grant.reference, grant.amount, grant.currency, grant.amount_usd) == (
        "BG-2016-01-07",
        Decimal("6500.00"),
        "USD",
        Decimal("6500.00"),  # asked for 8,000; awarded 6,500
    )
    assert (grant.recipient, grant.municipality, grant.sector, grant.award_date) == (
        scored.applicant,
        municipality("gracanice"),
        "beekeeping",
        AWARD_DAY,
    )
    assert grant.component == component("economic")
    entries = AuditEntry.objects.order_by("id")[before:]
    assert [entry.action for entry in entries] == ["grant_create", "award_decide"]
    assert all(entry.reason.startswith("Ranked first") for entry in entries)
    assert entries[1].changes["award"]["amount_usd"] == "6500.00"
    # The grant's page leads back to its application, and the application's to its grant.
    page = client_for("me").get(reverse("grants:detail", args=[grant.pk])).content.decode()
    assert reverse("grants:application_detail", args=[scored.pk]) in page


@pytest.mark.django_db
def test_an_award_in_euros_keeps_the_rate_of_the_award_date(scored, personas, euro_rates) -> None:
    award_decide(
        actor=personas["me"],
        application=scored,
        award=True,
        reason="Ranked first.",
        decided_on=AWARD_DAY,
        amount=Decimal("6000.00"),
        currency="EUR",
        reference="BG-2016-01-07",
    )
    grant = Grant.objects.get(reference="BG-2016-01-07")
    # The latest rate on or before 25 March: 20 March's, not 1 March's nor 5 April's.
    assert (grant.usd_rate, grant.rate_date, grant.rate_source) == (
        Decimal("1.110000"),
        dt.date(2016, 3, 20),
        "ECB reference rate",
    )
    assert grant.amount_usd == Decimal("6660.00")
    # Correcting the table later changes no grant already converted.
    rate = ExchangeRate.objects.get(on=dt.date(2016, 3, 20))
    services.rate_update(actor=personas["me"], rate=rate, data={"usd_per_unit": Decimal("1.2")})
    grant.refresh_from_db()
    assert grant.amount_usd == Decimal("6660.00")


@pytest.mark.django_db
def test_a_rate_given_with_the_award_needs_its_source_and_is_kept(scored, personas) -> None:
    with pytest.raises(ValidationError) as refused:
        award_decide(
            actor=personas["me"],
            application=scored,
            award=True,
            reason="Ranked first.",
            decided_on=AWARD_DAY,
            amount=Decimal("6000.00"),
            currency="EUR",
            reference="BG-2016-01-07",
            usd_rate=Decimal("1.1"),
        )
    assert refused.value.message_dict == {"rate_source": ["Say where the rate comes from."]}
    award_decide(
        actor=personas["me"],
        application=scored,
        award=True,
        reason="Ranked first.",
        decided_on=AWARD_DAY,
        amount=Decimal("6000.00"),
        currency="EUR",
        reference="BG-2016-01-07",
        usd_rate=Decimal("1.105"),
        rate_source="Bank statement of the transfer",
    )
    grant = Grant.objects.get(reference="BG-2016-01-07")
    assert (grant.amount_usd, grant.rate_source) == (
        Decimal("6630.00"),
        "Bank statement of the transfer",
    )


@pytest.mark.django_db
def test_a_euro_award_without_a_rate_is_refused_naming_the_currency_and_date(
    client_for, scored, personas
) -> None:
    ExchangeRate.objects.create(  # after the award date: no help
        currency="EUR", on=dt.date(2016, 4, 5), usd_per_unit=Decimal("1.13"), source="ECB"
    )
    before = AuditEntry.objects.count()
    response = client_for("me").post(
        reverse("grants:application_decision", args=[scored.pk]), decision(currency="EUR")
    )
    assert response.status_code == 200
    message = (
        "There is no exchange rate for EUR on or before March 25, 2016. Add it on the exchange "
        "rates page, or give the rate and its source here."
    )
    assert response.context["form"].errors["currency"] == [message]
    assert message in response.content.decode()
    scored.refresh_from_db()
    assert scored.status == ApplicationStatus.SCORED and scored.grant is None
    assert not Grant.objects.filter(reference="BG-2016-01-07").exists()
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_a_grant_entered_in_euros_without_a_rate_is_refused_too(client_for, workflow) -> None:
    response = client_for("me").post(
        reverse("grants:create"),
        {
            "reference": "GR-EUR-1",
            "recipient": workflow.gracanica.applicant.pk,
            "component": component("economic").pk,
            "municipality": municipality("gracanice").pk,
            "sector": "beekeeping",
            "amount": "4000",
            "currency": "EUR",
            "award_date": "2016-05-02",
        },
    )
    assert response.context["form"].errors["currency"] == [
        "There is no exchange rate for EUR on or before May 2, 2016. Add it on the exchange "
        "rates page, or give the rate and its source here."
    ]
    assert not Grant.objects.filter(reference="GR-EUR-1").exists()


@pytest.mark.django_db
def test_bad_decisions_are_refused_and_change_nothing(
    client_for, workflow, scored, personas
) -> None:
    url = reverse("grants:application_decision", args=[scored.pk])
    client = client_for("me")
    before = AuditEntry.objects.count()
    cases = [
        (decision(reason=""), "reason", "This field is required."),
        (decision(amount="0"), "amount", "The amount must be more than zero."),
        (
            decision(reference=""),
            "reference",
            "Give the grant's reference, as on the grant agreement.",
        ),
        (
            decision(decided_on="2016-01-02"),
            "decided_on",
            "The decision cannot come before the application was received.",
        ),
        (decision(decided_on="soon"), "decided_on", "Enter a valid date."),
    ]
    for data, field, message in cases:
        response = client.post(url, data)
        assert response.status_code == 200, data
        assert response.context["form"].errors[field] == [message], data
    # An application nobody scored is not awarded (it may be rejected).
    with pytest.raises(ValidationError, match="Only a scored application is awarded"):
        award_decide(
            actor=personas["me"],
            application=workflow.zvecan,
            award=True,
            reason="x",
            decided_on=AWARD_DAY,
            amount=Decimal(1),
            reference="X-1",
        )
    assert not Grant.objects.filter(reference__startswith="BG-2016-01").exists()
    assert AuditEntry.objects.count() == before
    scored.refresh_from_db()
    assert scored.status == ApplicationStatus.SCORED


@pytest.mark.django_db
def test_a_rejection_needs_its_reason_and_is_final(client_for, workflow, personas) -> None:
    url = reverse("grants:application_decision", args=[workflow.zvecan.pk])
    response = client_for("me").post(
        url, decision(decision="reject", reason="Below the threshold of 50 points.")
    )
    assert response.status_code == 302
    workflow.zvecan.refresh_from_db()
    assert workflow.zvecan.status == ApplicationStatus.REJECTED
    assert workflow.zvecan.grant is None
    entry = AuditEntry.objects.filter(action="award_decide").get()
    assert entry.changes["status"] == ["eligible", "rejected"]
    with pytest.raises(ValidationError, match="decided already: “Rejected”"):
        award_decide(
            actor=personas["me"],
            application=workflow.zvecan,
            award=False,
            reason="Again",
            decided_on=AWARD_DAY,
        )


@pytest.mark.django_db
def test_a_member_who_declared_a_conflict_does_not_decide(scored, personas) -> None:
    application_conflict_declare(
        actor=personas["me"], application=scored, has_conflict=True, note="Neighbour."
    )
    with pytest.raises(ValidationError, match="someone else decides it"):
        award_decide(
            actor=personas["me"],
            application=scored,
            award=False,
            reason="x",
            decided_on=AWARD_DAY,
        )


@pytest.mark.django_db
def test_an_award_may_link_a_grant_already_recorded(scored, personas) -> None:
    earlier = GrantFactory(
        reference="GR-PAPER-9",
        recipient=scored.applicant,
        amount=Decimal("7000.00"),
        award_date=AWARD_DAY,
    )
    other = GrantFactory(reference="GR-OTHER")
    with pytest.raises(ValidationError, match="another recipient"):
        award_decide(
            actor=personas["me"],
            application=scored,
            award=True,
            reason="Signed on paper first.",
            decided_on=AWARD_DAY,
            grant=other,
        )
    award_decide(
        actor=personas["me"],
        application=scored,
        award=True,
        reason="Signed on paper first.",
        decided_on=AWARD_DAY,
        grant=earlier,
    )
    scored.refresh_from_db()
    assert scored.grant == earlier
    earlier.refresh_from_db()
    assert earlier.amount_usd == Decimal("7000.00")  # it lacked one: a factory-made grant


@pytest.mark.django_db
def test_who_may_decide(client_for, workflow, scored) -> None:
    url = reverse("grants:application_decision", args=[scored.pk])
    expected = {
        "admin": 200,
        "me": 200,
        "staff": 200,
        "focal_gracanica": 403,
        "focal_zvecan": 404,
        "donor": 403,
    }
    assert {persona: client_for(persona).get(url).status_code for persona in expected} == expected


# -- the exchange rates page and the grants lacking a rate --------------------------------------


@pytest.mark.django_db
def test_officers_keep_the_rates_and_give_them_to_grants_lacking_one(client_for, personas) -> None:
    euros = GrantFactory(reference="GR-EUR-OLD", currency="EUR", amount=Decimal("3000.00"))
    dollars = GrantFactory(reference="GR-USD-OLD")  # written without its amount in dollars
    assert set(grants_lacking_rate()) == {euros, dollars}

    for persona, status in (("staff", 403), ("focal_gracanica", 403), ("donor", 403)):
        assert client_for(persona).get(reverse("grants:rate_create")).status_code == status
        assert client_for(persona).get(reverse("grants:rate_list")).status_code == 200
    client = client_for("me")
    listed = client.get(reverse("grants:rate_list"))
    assert "GR-EUR-OLD" in listed.content.decode()
    response = client.post(
        reverse("grants:rate_create"),
        {"currency": "EUR", "on": "2015-08-31", "usd_per_unit": "1.1215", "source": "ECB"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("grants:rate_create"),
        {"currency": "EUR", "on": "2015-08-31", "usd_per_unit": "1.2", "source": "ECB"},
    )
    assert response.context["form"].errors["__all__"] == [
        "This currency already has a rate on this date."
    ]
    response = client.post(reverse("grants:rates_apply"), {"reason": ""})
    assert response.status_code == 302
    euros.refresh_from_db()
    dollars.refresh_from_db()
    assert (euros.amount_usd, euros.usd_rate, euros.rate_date) == (
        Decimal("3364.50"),
        Decimal("1.121500"),
        dt.date(2015, 8, 31),
    )
    assert dollars.amount_usd == Decimal("5000.00")
    assert not grants_lacking_rate().exists()
    assert AuditEntry.objects.filter(action="grant_rate_apply").count() == 2
    assert AuditEntry.objects.filter(action="rate_create").count() == 1
    assert client_for("staff").post(reverse("grants:rates_apply")).status_code == 403


@pytest.mark.django_db
def test_the_migration_fills_dollar_grants_and_leaves_euro_grants_without_a_rate(reference) -> None:
    dollars = GrantFactory(reference="OLD-USD", amount=Decimal("4500.00"))
    euros = GrantFactory(reference="OLD-EUR", currency="EUR", amount=Decimal("2000.00"))
    Grant.objects.update(amount_usd=None)
    migration = importlib.import_module("akt.grants.migrations.0005_grant_amount_usd_filled")
    migration.fill_amount_usd(apps, None)
    dollars.refresh_from_db()
    euros.refresh_from_db()
    assert dollars.amount_usd == Decimal("4500.00")
    assert euros.amount_usd is None
    assert list(grants_lacking_rate()) == [euros]


@pytest.mark.django_db
def test_imported_grants_carry_their_dollar_amount_or_are_listed_as_lacking_a_rate(
    personas,
) -> None:
    """The intake writes grants itself (not through the grant services): the model's own rule
    still gives a grant in dollars its dollar amount, and leaves one in euros without."""
    recipient = OrganizationFactory(name="Bletaria Gashi", municipality=municipality("gjilan"))
    rows = [
        ("Nr. i grantit", "Përfituesi", "Komponenti", "Shuma", "Monedha", "Data", "Sektori"),
        ("G-2015-01", recipient.name, "2", "5.000,00", "EUR", "03.02.2015", "Bletaria"),
        ("G-2015-02", recipient.name, "2", "$ 12,500", "", "2015-06-30", "Bletaria"),
    ]
    data = "\r\n".join(",".join(f'"{cell}"' for cell in row) for row in rows).encode()
    me = personas["me"]
    batch = import_receive(actor=me, data=data, file_name="grantet.csv", kind="grants")
    batch = import_check(actor=me, batch=batch)
    assert batch.problem_count == 0
    import_commit(actor=me, batch=batch)
    euros, dollars = Grant.objects.order_by("reference")
    assert (euros.currency, euros.amount_usd) == ("EUR", None)
    assert (dollars.currency, dollars.amount_usd) == ("USD", Decimal("12500.00"))
    assert list(grants_lacking_rate()) == [euros]
