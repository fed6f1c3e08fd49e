"""Admin for grants, their calls and applications, and the exchange rates.

The admin is the administrators' tool of last resort; the pages and their services are where
the workflow happens (the scores, above all, are read there, where blind scoring holds).
"""

from __future__ import annotations

from django.contrib import admin

from akt.grants.models import Application, Call, Criterion, ExchangeRate, Grant
from akt.imported_admin import ImportedRecordAdminMixin
from akt.places.admin import MunicipalityChoicesMixin, MunicipalityFilter
from akt.void_pages import VoidableAdmin


@admin.register(Grant)
class GrantAdmin(ImportedRecordAdminMixin, MunicipalityChoicesMixin, VoidableAdmin):
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
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["on", "currency", "usd_per_unit", "source"]
    list_filter = ["currency"]
    date_hierarchy = "on"


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "status", "opens_on", "deadline", "budget", "currency"]
    list_filter = ["status", "component"]
    search_fields = ["reference", "title"]
    filter_horizontal = ["municipalities", "committee"]
    inlines = [CriterionInline]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["applicant", "call", "municipality", "sector", "status", "amount_requested"]
    list_filter = ["status", "call"]
    list_select_related = ["applicant", "call", "municipality__majority_community"]
    search_fields = ["applicant__name", "call__reference"]
    autocomplete_fields = ["applicant"]
    raw_id_fields = ["grant"]
