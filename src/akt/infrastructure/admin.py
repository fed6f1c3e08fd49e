"""Admin for small infrastructure projects."""

from __future__ import annotations

from django.contrib import admin

from akt.imported_admin import ImportedRecordAdminMixin
from akt.infrastructure.models import InfrastructureProject
from akt.places.admin import MunicipalityChoicesMixin, MunicipalityFilter
from akt.void_pages import VoidableAdmin


@admin.register(InfrastructureProject)
class ProjectAdmin(ImportedRecordAdminMixin, MunicipalityChoicesMixin, VoidableAdmin):
    void_url = "infrastructure:void"
    list_display = [
        "code",
        "title",
        "municipality",
        "component",
        "status",
        "start_date",
        "completion_date",
        "program_contribution",
        "municipal_contribution",
        "currency",
    ]
    list_filter = ["status", "component", "currency", ("municipality", MunicipalityFilter)]
    list_select_related = ["municipality__majority_community", "component"]
    search_fields = ["code", "title"]
    date_hierarchy = "start_date"
