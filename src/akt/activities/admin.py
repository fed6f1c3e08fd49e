"""Admin for activities, with their roster and headcounts inline, and topics."""

from __future__ import annotations

from django.contrib import admin

from akt.activities.models import Activity, Attendance, PlannedActivity, Tally, Topic
from akt.imported_admin import ImportedRecordAdminMixin
from akt.places.admin import MunicipalityChoicesMixin, MunicipalityFilter, ReadOnlyAdminMixin
from akt.void_pages import VoidableAdmin


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name_en", "name_sq", "name_sr_latn"]
    search_fields = ["code", "name_en", "name_sq", "name_sr_latn"]


class AttendanceInline(ReadOnlyAdminMixin, ImportedRecordAdminMixin, admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["person", "organization"]


class TallyInline(ReadOnlyAdminMixin, ImportedRecordAdminMixin, admin.TabularInline):
    model = Tally
    extra = 0


@admin.register(Activity)
class ActivityAdmin(
    ReadOnlyAdminMixin, ImportedRecordAdminMixin, MunicipalityChoicesMixin, VoidableAdmin
):
    void_url = "activities:void"
    list_display = ["title", "kind", "municipality", "component", "start_date", "end_date"]
    list_filter = ["kind", "component", ("municipality", MunicipalityFilter), "topics"]
    list_select_related = ["municipality__majority_community", "component"]
    search_fields = ["title", "venue"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["project"]
    filter_horizontal = ["topics"]
    inlines = [AttendanceInline, TallyInline]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdminMixin, ImportedRecordAdminMixin, admin.ModelAdmin):
    list_display = ["person", "activity", "role", "organization"]
    list_filter = ["role", "activity__kind"]
    list_select_related = ["person", "activity", "organization"]
    search_fields = ["person__family_name", "person__given_name", "activity__title"]
    autocomplete_fields = ["activity", "person", "organization"]


@admin.register(Tally)
class TallyAdmin(ReadOnlyAdminMixin, ImportedRecordAdminMixin, admin.ModelAdmin):
    list_display = ["activity", "sex", "community", "age_band", "headcount"]
    list_filter = ["sex", "age_band", "community"]
    list_select_related = ["activity", "community"]
    search_fields = ["activity__title"]
    autocomplete_fields = ["activity"]


@admin.register(PlannedActivity)
class PlannedActivityAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: a work plan changes on its pages, through services that keep the audit log."""

    list_display = ["title", "kind", "municipality", "planned_date", "held_as", "cancelled_on"]
    list_filter = ["kind", "component", ("municipality", MunicipalityFilter)]
    list_select_related = ["municipality__majority_community", "held_as"]
    search_fields = ["title"]
    date_hierarchy = "planned_date"
