"""Admin for users (with their role and scope) and the read-only audit log.

Users are the one kind of record administrators change here; every change (role, scope, state,
groups, permissions, a password set) and every addition and deletion is audited like a change
made through a service (:func:`akt.accounts.services.user_audit_change`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from akt.accounts.models import AuditEntry, User
from akt.accounts.services import user_audit_change, user_audit_delete, user_audit_values
from akt.places.admin import MunicipalityChoicesMixin, MunicipalityFilter

SCOPE_FIELDS = ("role", "municipality", "component")

_BEFORE = "_akt_user_before"
"""Where a request keeps the user as it was, from ``save_model`` to ``save_related``."""


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@admin.register(User)
class AktUserAdmin(MunicipalityChoicesMixin, UserAdmin):
    fieldsets = (
        *(UserAdmin.fieldsets or ()),  # Django's own, never None (the type allows it)
        (_("Role and scope"), {"fields": SCOPE_FIELDS}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("Role and scope"), {"fields": SCOPE_FIELDS}),
    )
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "role",
        "municipality",
        "component",
        "is_active",
    ]
    list_filter = [
        "role",
        ("municipality", MunicipalityFilter),
        "component",
        "is_active",
        "is_staff",
    ]
    list_select_related = ["municipality__majority_community", "component"]

    def save_model(self, request: HttpRequest, obj: User, form: ModelForm, change: bool) -> None:
        before = user_audit_values(User.objects.get(pk=obj.pk)) if change else None
        setattr(request, _BEFORE, before)
        super().save_model(request, obj, form, change)

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        # Groups and permissions are saved here, after the user: the entry is written once both
        # are (in the admin's transaction).
        super().save_related(request, form, formsets, change)
        user_audit_change(
            actor=_actor(request), user=form.instance, before=getattr(request, _BEFORE, None)
        )

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        if request.method != "POST":
            return super().user_change_password(request, id, form_url)
        with transaction.atomic():
            user = self.get_object(request, id)
            before = user_audit_values(user) if user is not None else None
            response = super().user_change_password(request, id, form_url)
            if user is not None:
                user.refresh_from_db()
                user_audit_change(actor=_actor(request), user=user, before=before)
        return response

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        with transaction.atomic():
            user_audit_delete(actor=_actor(request), user=obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        with transaction.atomic():
            for user in queryset:
                user_audit_delete(actor=_actor(request), user=user)
            super().delete_queryset(request, queryset)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log is written by services only; here it can be read, never changed."""

    list_display = ["at", "actor", "action", "target_type", "target_id", "summary"]
    list_filter = ["action", "target_type"]
    list_select_related = ["actor"]
    search_fields = ["summary", "target_id", "actor__username", "reason"]
    date_hierarchy = "at"
    readonly_fields = [
        "at",
        "actor",
        "action",
        "target_type",
        "target_id",
        "summary",
        "changes",
        "reason",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False
