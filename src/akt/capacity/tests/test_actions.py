"""Plan actions edited on pages: by whom, with which rules, audited, and shown overdue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from akt.accounts.models import AuditEntry
from akt.capacity import services
from akt.capacity.models import PlanAction
from akt.testing.two_municipalities import two_municipalities


@pytest.fixture
def world(personas, areas):
    return two_municipalities()


def action_data(area, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Publish the assembly's decisions on the website",
        "capacity_area": area.pk,
        "owner": "Kancelarija za informisanje",
        "due_date": "2016-06-30",
        "status": "planned",
        "completed_on": "",
    }
    data.update(overrides)
    return data


def gracanica_action(world) -> PlanAction:
    return world.gracanica.plan.actions.get()


def test_a_focal_point_adds_and_completes_an_action_on_the_page(client_for, world, areas) -> None:
    plan = world.gracanica.plan
    client = client_for("focal_gracanica")
    response = client.post(
        reverse("capacity:action_create", args=[plan.pk]), action_data(areas["transparency"])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("capacity:detail", args=[plan.pk])
    action = PlanAction.objects.get(title="Publish the assembly's decisions on the website")
    assert (action.plan, action.capacity_area.code, action.owner, action.status) == (
        plan,
        "transparency",
        "Kancelarija za informisanje",
        "planned",
    )
    created = AuditEntry.objects.get()
    assert (created.action, created.actor.username) == ("plan_action_create", "focal-gracanica")
    assert created.changes["capacity_area"] == areas["transparency"].pk

    url = reverse("capacity:action_update", args=[action.pk])
    response = client.post(url, action_data(areas["transparency"], status="done"))
    assert response.status_code == 200
    assert response.context["form"].errors["completed_on"] == [
        "A done action needs its completion date."
    ]
    action.refresh_from_db()
    assert action.status == "planned"

    response = client.post(
        url, action_data(areas["transparency"], status="done", completed_on="2016-06-20")
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.completed_on) == ("done", dt.date(2016, 6, 20))
    updated = AuditEntry.objects.latest("id")
    assert updated.action == "plan_action_update"
    assert updated.changes == {
        "status": ["planned", "done"],
        "completed_on": [None, "2016-06-20"],
    }
    html = client.get(reverse("capacity:detail", args=[plan.pk])).content.decode()
    assert "Transparency and participation" in html
    assert "Kancelarija za informisanje" in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"capacity_area": ""}, "capacity_area", "This field is required."),
        ({"status": "done"}, "completed_on", "A done action needs its completion date."),
        (
            {"status": "in_progress", "completed_on": "2016-05-01"},
            "completed_on",
            "Only a done action has a completion date.",
        ),
        (
            {"status": "done", "completed_on": "2999-01-01"},
            "completed_on",
            "The completion date cannot be in the future.",
        ),
        ({"status": "finished"}, "status", None),
        ({"due_date": "31.13.2016"}, "due_date", None),
    ],
)
def test_bad_action_input_is_refused_and_stores_nothing(
    client_for, world, areas, overrides: dict, field: str, message: str | None
) -> None:
    before = list(PlanAction.objects.values_list("pk", "title", "status", "completed_on"))
    client = client_for("focal_gracanica")
    plan = world.gracanica.plan
    for url in (
        reverse("capacity:action_create", args=[plan.pk]),
        reverse("capacity:action_update", args=[gracanica_action(world).pk]),
    ):
        response = client.post(url, action_data(areas["finance"], **overrides))
        assert response.status_code == 200, url
        errors = response.context["form"].errors
        assert field in errors, errors.as_data()
        if message:
            assert errors[field] == [message]
    assert list(PlanAction.objects.values_list("pk", "title", "status", "completed_on")) == before
    assert not AuditEntry.objects.exists()


def test_another_municipality_and_the_donor_may_not_write(client_for, world, areas) -> None:
    plan = world.gracanica.plan
    action = gracanica_action(world)
    create = reverse("capacity:action_create", args=[plan.pk])
    update = reverse("capacity:action_update", args=[action.pk])
    data = action_data(areas["finance"])
    for persona, status in (("focal_zvecan", 404), ("staff", 404), ("donor", 403)):
        client = client_for(persona)
        for url in (create, update):
            assert client.get(url).status_code == status, (persona, url)
            assert client.post(url, data).status_code == status, (persona, url)
    assert PlanAction.objects.count() == 2
    action.refresh_from_db()
    assert action.title == "Train the MOCR staff"
    assert not AuditEntry.objects.exists()
    # The donor reads the plan and its actions, with no way to change them.
    html = client_for("donor").get(reverse("capacity:detail", args=[plan.pk])).content.decode()
    assert "Train the MOCR staff" in html
    assert create not in html and update not in html
    # The focal point of the plan's municipality sees both links.
    html = client_for("focal_gracanica").get(reverse("capacity:detail", args=[plan.pk]))
    assert create in html.content.decode() and update in html.content.decode()


def test_the_services_refuse_outside_the_plans_scope(world, personas, areas) -> None:
    plan, action = world.gracanica.plan, gracanica_action(world)
    for persona in ("donor", "focal_zvecan", "staff"):
        with pytest.raises(PermissionDenied):
            services.plan_action_create(
                actor=personas[persona],
                plan=plan,
                title="Not theirs",
                capacity_area=areas["finance"],
            )
        with pytest.raises(PermissionDenied):
            services.plan_action_update(
                actor=personas[persona], action=action, data={"title": "Mine"}
            )
    assert not PlanAction.objects.filter(title__in=["Not theirs", "Mine"]).exists()
    assert not AuditEntry.objects.exists()


def test_a_voided_plans_actions_change_only_once_it_is_restored(world, personas, areas) -> None:
    me, plan = personas["me"], world.gracanica.plan
    services.plan_void(actor=me, plan=plan, reason="Entered twice.")
    with pytest.raises(ValidationError):
        services.plan_action_create(
            actor=me, plan=plan, title="Too late", capacity_area=areas["finance"]
        )
    with pytest.raises(ValidationError):
        services.plan_action_update(
            actor=me, action=gracanica_action(world), data={"status": "in_progress"}
        )
    assert not PlanAction.objects.filter(title="Too late").exists()


def test_overdue_actions_are_marked(client_for, world, areas, personas) -> None:
    plan = world.gracanica.plan
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    late = services.plan_action_create(
        actor=personas["me"],
        plan=plan,
        title="Late action",
        capacity_area=areas["finance"],
        status="in_progress",
        due_date=yesterday,
    )
    services.plan_action_create(
        actor=personas["me"],
        plan=plan,
        title="Done action",
        capacity_area=areas["finance"],
        status="done",
        due_date=yesterday - dt.timedelta(days=30),
        completed_on=yesterday,
    )
    assert late.is_overdue
    assert list(PlanAction.objects.overdue().values_list("title", flat=True)) == ["Late action"]
    html = client_for("donor").get(reverse("capacity:detail", args=[plan.pk])).content.decode()
    assert html.count('class="tag overdue"') == 1


def test_an_action_recorded_before_the_areas_keeps_its_words_until_one_is_chosen(
    client_for, world, areas
) -> None:
    action = gracanica_action(world)  # recorded with the words "Communities", no area
    assert action.capacity_area is None and action.area == "Communities"
    client = client_for("focal_gracanica")
    detail = client.get(reverse("capacity:detail", args=[world.gracanica.plan.pk]))
    assert "No area chosen; recorded as “Communities”" in detail.content.decode()
    url = reverse("capacity:action_update", args=[action.pk])
    assert "names none of the capacity areas" in client.get(url).content.decode()
    data = action_data(areas["community-rights"], title=action.title, owner="", due_date="")
    assert client.post(url, data).status_code == 302
    action.refresh_from_db()
    assert (action.capacity_area.code, action.area) == ("community-rights", "Communities")
    assert AuditEntry.objects.latest("id").changes == {
        "capacity_area": [None, areas["community-rights"].pk]
    }
