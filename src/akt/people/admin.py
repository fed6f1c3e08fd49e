"""Admin for persons and organizations (searchable, so other admins can autocomplete them)."""

from __future__ import annotations

from django.contrib import admin

from akt.imported_admin import ImportedRecordAdminMixin
from akt.people.models import Organization, Person
from akt.places.admin import MunicipalityChoicesMixin, MunicipalityFilter, ReadOnlyAdminMixin


@admin.register(Person)
class PersonAdmin(
    ReadOnlyAdminMixin, ImportedRecordAdminMixin, MunicipalityChoicesMixin, admin.ModelAdmin
):
    batch_field = "import_batch"
    list_display = [
        "family_name",
        "given_name",
        "sex",
        "birth_year",
        "community",
        "municipality",
        "affiliation",
        "organization",
    ]
    list_filter = [
        "sex",
        "community",
        ("municipality", MunicipalityFilter),
        "affiliation",
        "community_consent",
    ]
    list_select_related = ["community", "municipality__majority_community", "organization"]
    search_fields = ["family_name", "given_name", "=uid"]
    autocomplete_fields = ["organization"]
    readonly_fields = ["uid", "created_at", "updated_at"]


@admin.register(Organization)
class OrganizationAdmin(
    ReadOnlyAdminMixin, ImportedRecordAdminMixin, MunicipalityChoicesMixin, admin.ModelAdmin
):
    list_display = ["name", "kind", "sector", "municipality", "registration_number"]
    list_filter = ["kind", "sector", ("municipality", MunicipalityFilter)]
    list_select_related = ["municipality__majority_community"]
    search_fields = ["name", "registration_number"]
