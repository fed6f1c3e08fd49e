"""Admin for grants."""

from __future__ import annotations

from django.contrib import admin

from akt.grants.models import Grant
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
        "award_date",
    ]
    list_filter = ["component", "sector", "currency", ("municipality", MunicipalityFilter)]
    list_select_related = ["recipient", "municipality__majority_community", "component"]
    search_fields = ["reference", "recipient__name"]
    date_hierarchy = "award_date"
    autocomplete_fields = ["recipient"]
