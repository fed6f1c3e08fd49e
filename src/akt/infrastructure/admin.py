"""Admin for small infrastructure projects, their payments and milestones.

Payments and milestones are shown, not written here: they change on the project's pages,
through the services that audit them.
"""

from __future__ import annotations

from django.contrib import admin

from akt.imported_admin import ImportedRecordAdminMixin
from akt.infrastructure.models import InfrastructureProject, ProjectMilestone, ProjectSpending
from akt.places.admin import MunicipalityChoicesMixin, MunicipalityFilter, ReadOnlyAdminMixin
from akt.void_pages import VoidableAdmin


class SpendingInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProjectSpending
    extra = 0
    fields = ["spent_on", "amount", "category", "paid_by", "note"]


class MilestoneInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProjectMilestone
    extra = 0
    fields = ["kind", "planned_date", "actual_date", "note"]


@admin.register(InfrastructureProject)
class ProjectAdmin(
    ReadOnlyAdminMixin, ImportedRecordAdminMixin, MunicipalityChoicesMixin, VoidableAdmin
):
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
        "community_contribution",
        "currency",
    ]
    list_filter = ["status", "component", "currency", ("municipality", MunicipalityFilter)]
    list_select_related = ["municipality__majority_community", "component"]
    search_fields = ["code", "title"]
    date_hierarchy = "start_date"
    filter_horizontal = ["communities"]
    inlines = [MilestoneInline, SpendingInline]


@admin.register(ProjectSpending)
class SpendingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["project", "spent_on", "amount", "category", "paid_by"]
    list_filter = ["category", "paid_by"]
    list_select_related = ["project"]
    search_fields = ["project__code", "project__title", "note"]
    date_hierarchy = "spent_on"


@admin.register(ProjectMilestone)
class MilestoneAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["project", "kind", "planned_date", "actual_date"]
    list_filter = ["kind"]
    list_select_related = ["project"]
    search_fields = ["project__code", "project__title", "note"]
