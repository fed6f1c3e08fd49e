"""Admin for the places reference data: municipalities, communities and community populations.

Also the pieces every app's admin shares (this is the lowest admin module): the municipality
select and filter in one query, and :class:`ReadOnlyAdminMixin`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey
from django.db.models.fields.related import RelatedField
from django.forms import ModelChoiceField
from django.http import HttpRequest

from akt.places.models import Community, CommunityPopulation, Municipality


class ReadOnlyAdminMixin:
    """For a ModelAdmin or inline of a domain or reference record: shown, never written here.

    Every change of a record goes through its service, which checks who may, refuses a record of
    an approved quarter changed without a reason and writes the audit entry; an admin form would
    bypass all three. Without add, change and delete permissions the admin shows the record
    read-only, refuses a POST (403) and offers no bulk "delete selected" action.
    """

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MunicipalityChoicesMixin(admin.ModelAdmin):
    """Loads a municipality select in one query: a municipality's name reads its majority."""

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.related_model is Municipality:
            kwargs.setdefault("queryset", Municipality.objects.select_related("majority_community"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MunicipalityFilter(admin.RelatedFieldListFilter):
    """The sidebar's municipality filter in one query (as ``MunicipalityChoicesMixin``)."""

    # The stubs type a choice's value as text; Django's own is the related record's key, as here.
    def field_choices(  # type: ignore[override]
        self, field: RelatedField[Any, Any], request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[int, str]]:
        return [
            (municipality.pk, municipality.name)
            for municipality in Municipality.objects.select_related("majority_community")
        ]


@admin.register(Community)
class CommunityAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name_en", "name_sq", "name_sr_latn", "is_declared", "sort_order"]
    list_filter = ["is_declared"]
    search_fields = ["code", "name_en", "name_sq", "name_sr_latn", "name_sr_cyrl"]
    ordering = ["sort_order", "code"]


@admin.register(Municipality)
class MunicipalityAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "code",
        "name_sq",
        "name_sr_latn",
        "name_sr_cyrl",
        "region",
        "is_partner",
        "majority_community",
    ]
    list_filter = ["is_partner", "region", "majority_community"]
    list_select_related = ["majority_community"]
    search_fields = ["code", "name_sq", "name_sr_latn", "name_sr_cyrl"]


@admin.register(CommunityPopulation)
class CommunityPopulationAdmin(ReadOnlyAdminMixin, MunicipalityChoicesMixin, admin.ModelAdmin):
    list_display = [
        "municipality",
        "community",
        "population",
        "share",
        "source",
        "reference_year",
    ]
    list_filter = ["source", "reference_year", "community"]
    list_select_related = ["municipality__majority_community", "community"]
    search_fields = ["municipality__name_sq", "municipality__name_sr_latn", "community__name_en"]
