"""The admin: every model has a working changelist, search and form; the audit log is read-only."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from akt.accounts.models import AuditEntry
from akt.testing.factories import (
    ActivityFactory,
    GrantFactory,
    PersonFactory,
    UserFactory,
    community,
    municipality,
)
from akt.testing.two_municipalities import two_municipalities

APPS = {
    "places",
    "program",
    "people",
    "activities",
    "grants",
    "capacity",
    "infrastructure",
    "indicators",
    "accounts",
}


@pytest.fixture
def world(personas):
    return two_municipalities()


def registered() -> list[type]:
    return [model for model in admin.site._registry if model._meta.app_label in APPS]


def test_every_model_of_these_apps_is_in_the_admin() -> None:
    from django.apps import apps

    missing = [
        model._meta.label
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if model not in admin.site._registry
    ]
    assert missing == []


def test_every_changelist_search_and_form_opens(client_for, world) -> None:
    client = client_for("admin")
    for model in registered():
        info = (model._meta.app_label, model._meta.model_name)
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        assert client.get(changelist).status_code == 200, changelist
        if admin.site._registry[model].search_fields:
            assert client.get(changelist, {"q": "Gračanica"}).status_code == 200, changelist
        first = model._default_manager.first()
        if first is not None:
            change = reverse("admin:{}_{}_change".format(*info), args=[first.pk])
            assert client.get(change).status_code == 200, change


def test_the_changelists_cost_the_same_queries_however_many_rows(
    client_for,
    world,
    django_assert_max_num_queries,
) -> None:
    place = municipality("gracanice")
    PersonFactory.create_batch(
        20,
        municipality=place,
        community=community("roma"),
        organization=world.gracanica.organization,
    )
    ActivityFactory.create_batch(20, municipality=place)
    GrantFactory.create_batch(20, recipient=world.gracanica.organization)
    UserFactory.create_batch(20, role="focal_point", municipality=place)
    client = client_for("admin")
    for name in ("people_person", "activities_activity", "grants_grant", "accounts_user"):
        with django_assert_max_num_queries(12):
            assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_the_audit_log_can_be_read_but_not_changed(client_for, world) -> None:
    client = client_for("admin")
    entry = AuditEntry.objects.create(
        action="activity_create", target_type="activities.activity", target_id="1"
    )
    assert client.get(reverse("admin:accounts_auditentry_changelist")).status_code == 200
    change = reverse("admin:accounts_auditentry_change", args=[entry.pk])
    assert client.get(change).status_code == 200
    assert client.get(reverse("admin:accounts_auditentry_add")).status_code == 403
    client.post(change, {"action": "tampered"})
    entry.refresh_from_db()
    assert entry.action == "activity_create"
    delete = reverse("admin:accounts_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_user_admin_edits_role_and_scope(client_for, personas) -> None:
    client = client_for("admin")
    html = client.get(
        reverse("admin:accounts_user_change", args=[personas["focal_gracanica"].pk])
    ).content.decode()
    for field in ("role", "municipality", "component"):
        assert f'name="{field}"' in html
