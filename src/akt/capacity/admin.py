"""Admin for capacity development plans (with their actions inline), the capacity areas and the
assessments, to look at: all are recorded and corrected on their pages, audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from akt.capacity.models import (
    AssessmentScore,
    CapacityArea,
    CapacityAssessment,
    CapacityDevelopmentPlan,
    PlanAction,
)
from akt.imported_admin import ImportedRecordAdminMixin
from akt.places.admin import MunicipalityChoicesMixin, MunicipalityFilter, ReadOnlyAdminMixin
from akt.void_pages import VoidableAdmin


class PlanActionInline(ReadOnlyAdminMixin, ImportedRecordAdminMixin, admin.TabularInline):
    model = PlanAction
    extra = 0


@admin.register(CapacityDevelopmentPlan)
class PlanAdmin(
    ReadOnlyAdminMixin, ImportedRecordAdminMixin, MunicipalityChoicesMixin, VoidableAdmin
):
    void_url = "capacity:void"
    list_display = ["title", "municipality", "status", "adopted_on", "period_start", "period_end"]
    list_filter = ["status", ("municipality", MunicipalityFilter)]
    list_select_related = ["municipality__majority_community"]
    search_fields = ["title", "municipality__name_sq", "municipality__name_sr_latn"]
    inlines = [PlanActionInline]


@admin.register(PlanAction)
class PlanActionAdmin(ReadOnlyAdminMixin, ImportedRecordAdminMixin, admin.ModelAdmin):
    list_display = ["title", "plan", "capacity_area", "owner", "status", "due_date", "completed_on"]
    list_filter = ["status", "capacity_area"]
    list_select_related = ["plan", "capacity_area"]
    search_fields = ["title", "area", "owner", "plan__title"]
    autocomplete_fields = ["plan"]


@admin.register(CapacityArea)
class CapacityAreaAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name_en", "name_sq", "name_sr_latn", "sort_order"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The code is what the selectors and the data file name the area by.
        return ["code"] if obj is not None else []


class AssessmentScoreInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AssessmentScore
    extra = 0
    fields = ("area", "score", "evidence")
    readonly_fields = ("area", "score", "evidence")


@admin.register(CapacityAssessment)
class CapacityAssessmentAdmin(ReadOnlyAdminMixin, MunicipalityChoicesMixin, admin.ModelAdmin):
    list_display = ["municipality", "assessed_on", "assessed_by", "plan"]
    list_filter = [("municipality", MunicipalityFilter)]
    list_select_related = ["municipality__majority_community", "plan"]
    search_fields = ["assessed_by", "municipality__name_sq", "municipality__name_sr_latn"]
    inlines = [AssessmentScoreInline]


@admin.register(AssessmentScore)
class AssessmentScoreAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["assessment", "area", "score"]
    list_filter = ["area", "score"]
    list_select_related = ["assessment__municipality__majority_community", "area"]
    search_fields = ["evidence", "assessment__municipality__name_sq"]
