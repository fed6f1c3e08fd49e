"""Admin for small infrastructure projects."""

from __future__ import annotations

from django.contrib import admin

from akt.infrastructure.models import InfrastructureProject
from akt.places.admin import MunicipalityChoicesMixin, MunicipalityFilter


@admin.register(InfrastructureProject)
class ProjectAdmin(MunicipalityChoicesMixin, admin.ModelAdmin):
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
