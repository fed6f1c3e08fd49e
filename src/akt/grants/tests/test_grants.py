"""Grant pages and services, for every persona, and what bad input does."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import resolve_url
from django.urls import reverse

from akt.accounts.models import AuditEntry
from akt.grants import services
from akt.grants.models import Grant
from akt.testing.factories import GrantFactory, OrganizationFactory, component, municipality
from akt.testing.two_municipalities import two_municipalities


@pytest.fixture
def world(personas):
    return two_municipalities()


def urls(world) -> dict[str, str]:
    grant = world.gracanica.grant
    return {
        "list": reverse("grants:list"),
        "detail": reverse("grants:detail", args=[grant.pk]),
        "create": reverse("grants:create"),
        "update": reverse("grants:update", args=[grant.pk]),
    }


def payload(world, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "reference": "GR-GRA-2",
        "recipient": world.gracanica.organization.pk,
        "component": component("economic").pk,
        "municipality": municipality("gracanice").pk,
        "sector": "beekeeping",
        "amount": "7500.00",
        "currency": "USD",
        "award_date": "2016-04-15",
        "purpose": "Hives and extraction equipment",
    }
    data.update(overrides)
    return data


def test_anonymous_visitors_are_sent_to_sign_in(client_for, world) -> None:
    for name, url in urls(world).items():
        response = client_for(None).get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", {"list": 200, "detail": 200, "create": 200, "update": 200}),
        ("me", {"list": 200, "detail": 200, "create": 200, "update": 200}),
        ("staff", {"list": 200, "detail": 200, "create": 200, "update": 200}),
        ("focal_gracanica", {"list": 200, "detail": 200, "create": 200, "update": 200}),
        ("focal_zvecan", {"list": 200, "detail": 404, "create": 200, "update": 404}),
        ("donor", {"list": 200, "detail": 200, "create": 403, "update": 403}),
    ],
)
def test_who_may_open_which_page(client_for, world, persona: str, expected: dict) -> None:
    client = client_for(persona)
    for name, url in urls(world).items():
        assert client.get(url).status_code == expected[name], name


def test_each_focal_point_lists_their_own_grants(client_for, world) -> None:
    def references(persona: str) -> set[str]:
        response = client_for(persona).get(reverse("grants:list"))
        return {grant.reference for grant in response.context["page"]}

    assert references("focal_gracanica") == {"GR-GRA-1"}
    assert references("focal_zvecan") == {"ZV-SECRET-1"}
    assert references("donor") == {"GR-GRA-1", "ZV-SECRET-1"}
    response = client_for("focal_gracanica").get(reverse("grants:list"))
    assert reverse("grants:create") in response.content.decode()
    response = client_for("donor").get(reverse("grants:list"))
    assert reverse("grants:create") not in response.content.decode()


def test_the_list_filters_and_costs_the_same_queries_however_many_rows(
    client_for,
    world,
    django_assert_max_num_queries,
) -> None:
    for _index in range(30):
        GrantFactory(recipient=OrganizationFactory(municipality=municipality("gracanice")))
    client = client_for("focal_gracanica")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("grants:list"))
    assert len(response.context["page"].object_list) == 25
    response = client.get(reverse("grants:list"), {"q": "honey"})
    assert [grant.reference for grant in response.context["page"]] == ["GR-GRA-1"]


def test_a_focal_point_records_and_changes_a_grant(client_for, world) -> None:
    client = client_for("focal_gracanica")
    response = client.post(reverse("grants:create"), payload(world))
    grant = Grant.objects.get(reference="GR-GRA-2")
    assert response["Location"] == reverse("grants:detail", args=[grant.pk])
    assert AuditEntry.objects.get().changes["amount"] == "7500.00"
    response = client.post(
        reverse("grants:update", args=[grant.pk]), payload(world, amount="8000.00")
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.amount == Decimal("8000.00")
    # The amount in US dollars follows the amount, and the audit says so.
    assert AuditEntry.objects.latest("id").changes == {
        "amount": ["7500.00", "8000.00"],
        "amount_usd": ["7500.00", "8000.00"],
    }
    assert grant.amount_usd == Decimal("8000.00")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"amount": "-50"}, "amount", "The amount must be more than zero."),
        ({"amount": "0"}, "amount", "The amount must be more than zero."),
        ({"amount": ""}, "amount", "This field is required."),
        ({"reference": "GR-GRA-1"}, "reference", "Grant with this Reference already exists."),
        ({"municipality": "zvecan"}, "municipality", None),
        ({"recipient": "zvecan"}, "recipient", None),
        ({"award_date": "someday"}, "award_date", "Enter a valid date."),
    ],
)
def test_bad_grant_input_is_refused_beside_its_field(
    client_for,
    world,
    overrides: dict,
    field: str,
    message: str | None,
) -> None:
    if overrides.get("municipality") == "zvecan":
        overrides = {"municipality": municipality("zvecan").pk}
    if overrides.get("recipient") == "zvecan":
        overrides = {"recipient": world.zvecan.organization.pk}
    before = Grant.objects.count()
    response = client_for("focal_gracanica").post(
        reverse("grants:create"), payload(world, **overrides)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors.as_data()
    if message:
        assert errors[field] == [message]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert Grant.objects.count() == before
    assert not AuditEntry.objects.exists()


def test_a_bad_update_leaves_the_stored_grant_as_it_was(client_for, world) -> None:
    grant = world.gracanica.grant
    response = client_for("focal_gracanica").post(
        reverse("grants:update", args=[grant.pk]),
        payload(world, reference=grant.reference, amount="-1", purpose="Changed"),
    )
    assert "amount" in response.context["form"].errors
    grant.refresh_from_db()
    assert (grant.amount, grant.purpose) == (Decimal("5000.00"), "")
    assert not AuditEntry.objects.exists()


def test_the_services_refuse_other_municipalities_and_donors(world, personas) -> None:
    fields = {
        "reference": "GR-X",
        "recipient": world.gracanica.organization,
        "component": component("economic"),
        "municipality": municipality("gracanice"),
        "sector": "dairy",
        "amount": Decimal("100"),
        "award_date": world.gracanica.grant.award_date,
    }
    for persona in ("donor", "focal_zvecan"):
        with pytest.raises(PermissionDenied):
            services.grant_create(actor=personas[persona], **fields)
    with pytest.raises(PermissionDenied):
        services.grant_update(
            actor=personas["focal_gracanica"],
            grant=world.gracanica.grant,
            data={"municipality": municipality("zvecan")},
        )
    assert not Grant.objects.filter(reference="GR-X").exists()
    assert not AuditEntry.objects.exists()
