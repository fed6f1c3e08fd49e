"""Admin for capacity development plans, with their actions inline."""

from __future__ import annotations

from django.contrib import admin

from akt.capacity.models import CapacityDevelopmentPlan, PlanAction
from akt.imported_admin import ImportedRecordAdminMixin
from akt.places.admin import MunicipalityChoicesMixin, MunicipalityFilter
from akt.void_pages import VoidableAdmin


class PlanActionInline(ImportedRecordAdminMixin, admin.TabularInline):
    model = PlanAction
    extra = 0


@admin.register(CapacityDevelopmentPlan)
class PlanAdmin(ImportedRecordAdminMixin, MunicipalityChoicesMixin, VoidableAdmin):
    void_url = "capacity:void"
    list_display = ["title", "municipality", "status", "adopted_on", "period_start", "period_end"]
    list_filter = ["status", ("municipality", MunicipalityFilter)]
    list_select_related = ["municipality__majority_community"]
    search_fields = ["title", "municipality__name_sq", "municipality__name_sr_latn"]
    inlines = [PlanActionInline]


@admin.register(PlanAction)
class PlanActionAdmin(ImportedRecordAdminMixin, admin.ModelAdmin):
    list_display = ["title", "plan", "area", "status", "due_date"]
    list_filter = ["status", "area"]
    list_select_related = ["plan"]
    search_fields = ["title", "area", "plan__title"]
    autocomplete_fields = ["plan"]
