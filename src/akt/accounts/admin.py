"""Admin for users (with their role and scope) and the read-only audit log."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from akt.accounts.models import AuditEntry, User
from akt.places.admin import MunicipalityChoicesMixin, MunicipalityFilter

SCOPE_FIELDS = ("role", "municipality", "component")


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
