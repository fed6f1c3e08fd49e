"""Admin for grants, their calls and applications, and the exchange rates.

Read-only: the pages and their services are where the workflow happens and is audited (the
scores, above all, are read there, where blind scoring holds).
"""

from __future__ import annotations

from django.contrib import admin

from akt.grants.models import (
    Application,
    Call,
    Criterion,
    CriterionScore,
    ExchangeRate,
    Grant,
    GrantOutcome,
    JobsCreated,
    MonitoringVisit,
    ScoreSheet,
    Tranche,
)
from akt.imported_admin import ImportedRecordAdminMixin
from akt.places.admin import MunicipalityChoicesMixin, MunicipalityFilter, ReadOnlyAdminMixin
from akt.void_pages import VoidableAdmin


@admin.register(Grant)
class GrantAdmin(
    ReadOnlyAdminMixin, ImportedRecordAdminMixin, MunicipalityChoicesMixin, VoidableAdmin
):
    void_url = "grants:void"
    list_display = [
        "reference",
        "recipient",
        "municipality",
        "component",
        "sector",
        "amount",
        "currency",
        "amount_usd",
        "award_date",
    ]
    list_filter = ["component", "sector", "currency", ("municipality", MunicipalityFilter)]
    list_select_related = ["recipient", "municipality__majority_community", "component"]
    search_fields = ["reference", "recipient__name"]
    date_hierarchy = "award_date"
    autocomplete_fields = ["recipient"]
    readonly_fields = ["usd_rate", "rate_date", "rate_source", "amount_usd"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["on", "currency", "usd_per_unit", "source"]
    list_filter = ["currency"]
    date_hierarchy = "on"


class CriterionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Call)
class CallAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["reference", "title", "status", "opens_on", "deadline", "budget", "currency"]
    list_filter = ["status", "component"]
    search_fields = ["reference", "title"]
    filter_horizontal = ["municipalities", "committee"]
    inlines = [CriterionInline]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["applicant", "call", "municipality", "sector", "status", "amount_requested"]
    list_filter = ["status", "call"]
    list_select_related = ["applicant", "call", "municipality__majority_community"]
    search_fields = ["applicant__name", "call__reference"]
    autocomplete_fields = ["applicant"]
    raw_id_fields = ["grant"]


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read in the admin, written on the grants' pages: their services check who may and keep
    the audit log (a committee member's scores, a tranche's payment)."""


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    list_display = ["name", "call", "weight", "max_score"]
    list_select_related = ["call"]
    search_fields = ["name", "call__reference"]


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ReadOnlyAdmin):
    list_display = ["application", "member", "declared_at", "submitted_at"]
    list_select_related = ["application__applicant", "member"]
    search_fields = ["application__applicant__name", "member__username"]


@admin.register(CriterionScore)
class CriterionScoreAdmin(ReadOnlyAdmin):
    list_display = ["sheet", "criterion", "points"]
    list_select_related = ["sheet__application__applicant", "sheet__member", "criterion"]


@admin.register(Tranche)
class TrancheAdmin(ReadOnlyAdmin):
    list_display = ["grant", "number", "due_on", "planned_amount", "paid_on", "paid_amount"]
    list_select_related = ["grant"]
    search_fields = ["grant__reference"]


@admin.register(MonitoringVisit)
class MonitoringVisitAdmin(ReadOnlyAdmin):
    list_display = ["grant", "visited_on", "visitor", "follow_up_needed"]
    list_select_related = ["grant"]
    search_fields = ["grant__reference", "visitor"]


@admin.register(GrantOutcome)
class GrantOutcomeAdmin(ReadOnlyAdmin):
    list_display = ["grant", "reported_on", "sales_amount", "sales_currency"]
    list_select_related = ["grant"]
    search_fields = ["grant__reference"]


@admin.register(JobsCreated)
class JobsCreatedAdmin(ReadOnlyAdmin):
    list_display = ["outcome", "sex", "community", "count"]
    list_select_related = ["outcome__grant", "community"]
