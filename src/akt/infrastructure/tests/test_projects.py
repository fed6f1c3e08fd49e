"""Infrastructure project pages and services, for every persona, and bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import resolve_url
from django.urls import reverse

from akt.accounts.models import AuditEntry
from akt.infrastructure import services
from akt.infrastructure.models import InfrastructureProject
from akt.testing.factories import ActivityFactory, ProjectFactory, component, municipality
from akt.testing.two_municipalities import two_municipalities


@pytest.fixture
def world(personas):
    return two_municipalities()


def urls(world) -> dict[str, str]:
    project = world.gracanica.project
    return {
        "list": reverse("infrastructure:list"),
        "detail": reverse("infrastructure:detail", args=[project.pk]),
        "create": reverse("infrastructure:create"),
        "update": reverse("infrastructure:update", args=[project.pk]),
    }


def payload(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "code": "INF-GRA-2",
        "title": "Gračanica youth centre roof",
        "component": component("communication").pk,
        "municipality": municipality("gracanice").pk,
        "status": "under_way",
        "start_date": "2016-05-01",
        "completion_date": "",
        "currency": "USD",
        "program_contribution": "30000.00",
        "municipal_contribution": "6000.00",
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


def test_the_list_follows_the_scope_and_costs_few_queries(
    client_for,
    world,
    django_assert_max_num_queries,
) -> None:
    ProjectFactory.create_batch(30, municipality=municipality("gracanice"))
    client = client_for("focal_gracanica")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("infrastructure:list"))
    assert len(response.context["page"].object_list) == 25
    codes = {project.code for project in response.context["page"].paginator.object_list}
    assert "INF-GRA-1" in codes
    assert "INF-ZVE-SECRET" not in codes
    response = client.get(reverse("infrastructure:list"), {"q": "playground"})
    assert [project.code for project in response.context["page"]] == ["INF-GRA-1"]


def test_the_detail_lists_the_joint_activities(client_for, world) -> None:
    project = world.gracanica.project
    ActivityFactory(
        title="Opening ceremony",
        kind="joint_activity",
        project=project,
        municipality=municipality("gracanice"),
    )
    html = (
        client_for("donor")
        .get(reverse("infrastructure:detail", args=[project.pk]))
        .content.decode()
    )
    assert "Opening ceremony" in html
    assert "Gračanica public debate" in html


def test_a_focal_point_records_and_completes_a_project(client_for, world) -> None:
    client = client_for("focal_gracanica")
    response = client.post(reverse("infrastructure:create"), payload())
    project = InfrastructureProject.objects.get(code="INF-GRA-2")
    assert response["Location"] == reverse("infrastructure:detail", args=[project.pk])
    assert project.total_budget == Decimal("36000.00")
    # Completed only once the works are: the "works completed" milestone done first.
    client.post(
        reverse("infrastructure:milestone_add", args=[project.pk]),
        {"kind": "works_completed", "planned_date": "2016-11-15", "actual_date": "2016-11-28"},
    )
    response = client.post(
        reverse("infrastructure:update", args=[project.pk]),
        payload(status="completed", completion_date="2016-11-30"),
    )
    assert response.status_code == 302
    assert AuditEntry.objects.latest("id").changes == {
        "status": ["under_way", "completed"],
        "completion_date": [None, "2016-11-30"],
    }


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"completion_date": "2016-04-30"},
            "completion_date",
            "The completion date must not be before the start.",
        ),
        (
            {"status": "completed"},
            "completion_date",
            "A completed project needs its completion date.",
        ),
        (
            {"program_contribution": "-1"},
            "program_contribution",
            "Contributions cannot be negative.",
        ),
        (
            {"municipal_contribution": "-0.01"},
            "municipal_contribution",
            "Contributions cannot be negative.",
        ),
        ({"code": "INF-GRA-1"}, "code", None),
        ({"municipality": "zvecan"}, "municipality", None),
        ({"start_date": ""}, "start_date", "This field is required."),
    ],
)
def test_bad_project_input_is_refused_beside_its_field(
    client_for,
    world,
    overrides: dict,
    field: str,
    message: str | None,
) -> None:
    if overrides.get("municipality") == "zvecan":
        overrides = {"municipality": municipality("zvecan").pk}
    before = InfrastructureProject.objects.count()
    response = client_for("focal_gracanica").post(
        reverse("infrastructure:create"), payload(**overrides)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors.as_data()
    if message:
        assert errors[field] == [message]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert InfrastructureProject.objects.count() == before
    assert not AuditEntry.objects.exists()


def test_the_services_refuse_other_municipalities_and_donors(world, personas) -> None:
    for persona in ("donor", "focal_zvecan"):
        with pytest.raises(PermissionDenied):
            services.project_create(
                actor=personas[persona],
                code="INF-X",
                title="Not theirs",
                component=component("communication"),
                municipality=municipality("gracanice"),
                start_date=dt.date(2016, 1, 1),
                program_contribution=Decimal("1000"),
            )
    with pytest.raises(PermissionDenied):
        services.project_update(
            actor=personas["staff"], project=world.gracanica.project, data={"title": "Mine"}
        )
    world.gracanica.project.refresh_from_db()
    assert world.gracanica.project.title == "Gračanica playground"
    assert not InfrastructureProject.objects.filter(code="INF-X").exists()
    assert not AuditEntry.objects.exists()
