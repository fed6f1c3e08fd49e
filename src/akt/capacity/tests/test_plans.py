"""Capacity development plan pages and services, for every persona, and bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import resolve_url
from django.urls import reverse

from akt.accounts.models import AuditEntry
from akt.capacity import services
from akt.capacity.models import CapacityDevelopmentPlan, PlanAction
from akt.testing.factories import PlanFactory, municipality
from akt.testing.two_municipalities import two_municipalities


@pytest.fixture
def world(personas):
    return two_municipalities()


def urls(world) -> dict[str, str]:
    plan = world.gracanica.plan
    return {
        "list": reverse("capacity:list"),
        "detail": reverse("capacity:detail", args=[plan.pk]),
        "create": reverse("capacity:create"),
        "update": reverse("capacity:update", args=[plan.pk]),
    }


def payload(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "municipality": municipality("gracanice").pk,
        "title": "Capacity development plan 2018-2019",
        "period_start": "2018-01-01",
        "period_end": "2019-12-31",
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
        # Plans belong to a municipality; component staff's scope has none.
        ("staff", {"list": 200, "detail": 404, "create": 200, "update": 404}),
        ("focal_gracanica", {"list": 200, "detail": 200, "create": 200, "update": 200}),
        ("focal_zvecan", {"list": 200, "detail": 404, "create": 200, "update": 404}),
        ("donor", {"list": 200, "detail": 200, "create": 403, "update": 403}),
    ],
)
def test_who_may_open_which_page(client_for, world, persona: str, expected: dict) -> None:
    client = client_for(persona)
    for name, url in urls(world).items():
        assert client.get(url).status_code == expected[name], name


def test_lists_and_details_follow_the_scope(
    client_for, world, django_assert_max_num_queries
) -> None:
    for year in range(1980, 2010):
        PlanFactory(municipality=municipality("gracanice"), period_start=dt.date(year, 1, 1))
    client = client_for("focal_gracanica")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("capacity:list"))
    titles = {plan.title for plan in response.context["page"]}
    assert "Zvečan secret plan" not in titles
    assert len(titles) == 25
    response = client.get(reverse("capacity:list"), {"page": 2})
    assert "Gračanica capacity plan" in {plan.title for plan in response.context["page"]}
    detail = client.get(reverse("capacity:detail", args=[world.gracanica.plan.pk]))
    assert "Train the MOCR staff" in detail.content.decode()
    assert "1 of 1" not in detail.content.decode()


def test_a_focal_point_records_and_adopts_a_plan(client_for, world) -> None:
    client = client_for("focal_gracanica")
    response = client.post(reverse("capacity:create"), payload())
    plan = CapacityDevelopmentPlan.objects.get(title="Capacity development plan 2018-2019")
    assert response["Location"] == reverse("capacity:detail", args=[plan.pk])
    assert plan.status == "draft"
    detail = client.get(response["Location"]).content.decode()
    assert reverse("capacity:adopt", args=[plan.pk]) in detail
    response = client.post(
        reverse("capacity:adopt", args=[plan.pk]),
        {"adopted_on": "2018-02-20", "decision_reference": "01-016/18-123"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.adopted_on, plan.decision_reference) == (
        "adopted",
        dt.date(2018, 2, 20),
        "01-016/18-123",
    )
    entry = AuditEntry.objects.latest("id")
    assert entry.action == "plan_adopt"
    assert entry.changes == {
        "status": ["draft", "adopted"],
        "adopted_on": [None, "2018-02-20"],
        "decision_reference": ["", "01-016/18-123"],
    }
    detail = client.get(reverse("capacity:detail", args=[plan.pk])).content.decode()
    assert "01-016/18-123" in detail
    assert reverse("capacity:adopt", args=[plan.pk]) not in detail
    # Adopted once: a second adoption is refused, and the edit form corrects the date.
    response = client.post(
        reverse("capacity:adopt", args=[plan.pk]),
        {"adopted_on": "2018-03-01", "decision_reference": "again"},
    )
    assert response.context["form"].non_field_errors() == ["This plan is already adopted."]
    response = client.post(
        reverse("capacity:update", args=[plan.pk]),
        payload(adopted_on="2018-02-21", decision_reference="01-016/18-123"),
    )
    assert response.status_code == 302
    assert AuditEntry.objects.latest("id").changes == {"adopted_on": ["2018-02-20", "2018-02-21"]}


def draft_plan() -> CapacityDevelopmentPlan:
    return PlanFactory(
        municipality=municipality("gracanice"),
        status="draft",
        adopted_on=None,
        period_start=dt.date(2018, 1, 1),
        period_end=dt.date(2019, 12, 31),
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"adopted_on": "", "decision_reference": "12/2018"},
            "adopted_on",
            "This field is required.",
        ),
        (
            {"adopted_on": "2018-02-20", "decision_reference": ""},
            "decision_reference",
            "This field is required.",
        ),
        (
            {"adopted_on": "2999-01-01", "decision_reference": "12/2018"},
            "adopted_on",
            "The adoption date cannot be in the future.",
        ),
    ],
)
def test_an_adoption_needs_its_day_and_decision(
    client_for, world, data: dict, field: str, message: str
) -> None:
    plan = draft_plan()
    response = client_for("focal_gracanica").post(reverse("capacity:adopt", args=[plan.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    plan.refresh_from_db()
    assert plan.status == "draft"
    assert not AuditEntry.objects.exists()


def test_who_may_adopt(client_for, world, personas) -> None:
    plan = draft_plan()
    url = reverse("capacity:adopt", args=[plan.pk])
    data = {"adopted_on": "2018-02-20", "decision_reference": "12/2018"}
    assert client_for("focal_zvecan").post(url, data).status_code == 404
    assert client_for("staff").post(url, data).status_code == 404
    assert client_for("donor").get(url).status_code == 403
    assert client_for("donor").post(url, data).status_code == 403
    with pytest.raises(PermissionDenied):
        services.plan_adopt(
            actor=personas["donor"],
            plan=plan,
            adopted_on=dt.date(2018, 2, 20),
            decision_reference="12/2018",
        )
    plan.refresh_from_db()
    assert plan.status == "draft"
    assert client_for("me").post(url, data).status_code == 302


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"period_end": "2017-12-31"},
            "period_end",
            "The period end must not be before its start.",
        ),
        (
            {"period_start": "2015-01-01"},
            "period_start",
            "This municipality already has a plan starting on this date.",
        ),
        ({"title": ""}, "title", "This field is required."),
        ({"municipality": "zvecan"}, "municipality", None),
    ],
)
def test_bad_plan_input_is_refused_beside_its_field(
    client_for,
    world,
    overrides: dict,
    field: str,
    message: str | None,
) -> None:
    if overrides.get("municipality") == "zvecan":
        overrides = {"municipality": municipality("zvecan").pk}
    before = CapacityDevelopmentPlan.objects.count()
    response = client_for("focal_gracanica").post(reverse("capacity:create"), payload(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors.as_data()
    if message:
        assert errors[field] == [message]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert CapacityDevelopmentPlan.objects.count() == before
    assert not AuditEntry.objects.exists()


def test_component_staff_are_told_plans_are_not_theirs(client_for, world) -> None:
    before = CapacityDevelopmentPlan.objects.count()
    response = client_for("staff").post(reverse("capacity:create"), payload())
    assert response.status_code == 200
    assert "your role does not cover this one" in response.content.decode()
    assert CapacityDevelopmentPlan.objects.count() == before


def test_the_services_refuse_other_municipalities_and_donors(world, personas) -> None:
    for persona in ("donor", "focal_zvecan", "staff"):
        with pytest.raises(PermissionDenied):
            services.plan_create(
                actor=personas[persona],
                municipality=municipality("gracanice"),
                title="Not theirs",
                period_start=dt.date(2020, 1, 1),
                period_end=dt.date(2020, 12, 31),
            )
    with pytest.raises(PermissionDenied):
        services.plan_update(
            actor=personas["focal_zvecan"], plan=world.gracanica.plan, data={"title": "Mine"}
        )
    assert not CapacityDevelopmentPlan.objects.filter(title__in=["Not theirs", "Mine"]).exists()
    assert PlanAction.objects.count() == 2
    assert not AuditEntry.objects.exists()
