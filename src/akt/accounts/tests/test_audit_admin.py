"""The admin site writes nothing unaudited: domain records are read-only there, and every
change of a user (role, scope, state, groups, password, addition, deletion) is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse

from akt.accounts.models import AuditEntry, Role, User
from akt.activities.models import Activity
from akt.reports.services import period_approve, period_submit
from akt.testing.factories import (
    ActivityFactory,
    AttendanceFactory,
    PersonFactory,
    UserFactory,
    municipality,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved_activity(personas: dict[str, User]) -> Activity:
    """An activity of FY 2015 Q3 (April to June 2015), a quarter that is approved."""
    activity = ActivityFactory(title="Debate in Zvečan", start_date=dt.date(2015, 5, 12))
    AttendanceFactory(activity=activity, person=PersonFactory())
    period = period_submit(actor=personas["me"], fiscal_year=2015, quarter=3)
    period_approve(
        actor=UserFactory(username="second-officer", role=Role.ME_OFFICER), period=period
    )
    return activity


def test_an_approved_quarters_activity_cannot_be_changed_or_deleted_in_the_admin(
    client_for, personas: dict[str, User], approved_activity: Activity
) -> None:
    client = client_for("admin")
    change = reverse("admin:activities_activity_change", args=[approved_activity.pk])
    delete = reverse("admin:activities_activity_delete", args=[approved_activity.pk])
    entries = AuditEntry.objects.count()

    page = client.get(change)
    assert page.status_code == 200  # shown, read-only
    assert b'name="title"' not in page.content

    posted = client.post(
        change,
        {"title": "Renamed in the admin", "start_date": "2015-05-12", "kind": "public_debate"},
    )
    assert posted.status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    listing = reverse("admin:activities_activity_changelist")
    bulk = client.post(
        listing,
        {"action": "delete_selected", "_selected_action": [approved_activity.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)

    approved_activity.refresh_from_db()
    assert approved_activity.title == "Debate in Zvečan"
    assert Activity.objects.filter(pk=approved_activity.pk).exists()
    assert AuditEntry.objects.count() == entries
    # The quarter's page has nothing to hide: nothing changed.
    assert "Renamed" not in client.get(reverse("reports:period", args=[2015, 3])).content.decode()


THIRD_PARTY = {"auth", "django_tasks_database", "axes", "otp_totp", "otp_static"}
"""Apps whose admins are not the program's records (sign-in attempts, devices, task results)."""


def test_no_domain_record_can_be_written_in_the_admin(personas: dict[str, User]) -> None:
    """Every model of the system the admin shows, but users, is read-only there, inlines too."""
    request = RequestFactory().get("/admin/")
    request.user = personas["admin"]
    writable = []
    for model, model_admin in admin.site._registry.items():
        if model is User or model._meta.app_label in THIRD_PARTY:
            continue
        inlines = model_admin.get_inline_instances(request)
        if (
            model_admin.has_add_permission(request)
            or model_admin.has_change_permission(request)
            or model_admin.has_delete_permission(request)
            or any(inline.has_add_permission(request, None) for inline in inlines)
            or any(inline.has_change_permission(request) for inline in inlines)
            or any(inline.has_delete_permission(request) for inline in inlines)
        ):
            writable.append(model._meta.label)
    assert writable == []


def _user_form(user: User, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "role": user.role,
        "municipality": user.municipality_id or "",
        "component": user.component_id or "",
        "date_joined_0": "2015-01-01",
        "date_joined_1": "10:00:00",
        "groups": [],
        "user_permissions": [],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value != ""}


def test_a_users_role_scope_and_groups_changed_in_the_admin_are_audited(
    client_for, personas: dict[str, User]
) -> None:
    client = client_for("admin")
    focal = personas["focal_zvecan"]
    group = Group.objects.create(name="Reviewers")
    response = client.post(
        reverse("admin:accounts_user_change", args=[focal.pk]),
        _user_form(
            focal,
            role=Role.ME_OFFICER,
            municipality=municipality("gracanice").pk,
            groups=[group.pk],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    entry = AuditEntry.objects.get(action="user_update", target_id=str(focal.pk))
    assert entry.actor == personas["admin"]
    assert entry.target_type == "accounts.user"
    assert entry.changes["role"] == [Role.FOCAL_POINT, Role.ME_OFFICER]
    assert entry.changes["municipality"] == [
        municipality("zvecan").pk,
        municipality("gracanice").pk,
    ]
    assert entry.changes["groups"] == [[], ["Reviewers"]]
    assert "password" not in entry.changes


def test_a_password_set_in_the_admin_is_audited_without_its_hash(
    client_for, personas: dict[str, User]
) -> None:
    donor = personas["donor"]
    response = client_for("admin").post(
        reverse("admin:auth_user_password_change", args=[donor.pk]),
        {
            "password1": "a-new-long-passphrase-9",
            "password2": "a-new-long-passphrase-9",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    donor.refresh_from_db()
    entry = AuditEntry.objects.get(action="user_update", target_id=str(donor.pk))
    assert entry.changes == {"password": "changed"}
    assert donor.password not in str(entry.changes)


def test_users_added_and_deleted_in_the_admin_are_audited(
    client_for, personas: dict[str, User]
) -> None:
    client = client_for("admin")
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "new-officer",
            "password1": "a-new-long-passphrase-9",
            "password2": "a-new-long-passphrase-9",
            "usable_password": "true",
            "role": Role.DONOR,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    created = User.objects.get(username="new-officer")
    entry = AuditEntry.objects.get(action="user_create", target_id=str(created.pk))
    assert entry.changes["role"] == Role.DONOR
    assert entry.changes["password"] == "set"
    assert created.password not in str(entry.changes)

    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [created.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not User.objects.filter(username="new-officer").exists()
    deleted = AuditEntry.objects.get(action="user_delete", target_id=str(created.pk))
    assert deleted.actor == personas["admin"]
    assert deleted.changes["username"] == ["new-officer", None]
