"""Admin for the program and its components: read-only, like every record's admin (see
``akt.places.admin.ReadOnlyAdminMixin``; places sits in this layer, so it is not imported here).
They come from the reference files (``akt load-reference``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from akt.program.models import Component, Program


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Program)
class ProgramAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "contract_number", "implementer", "start_date", "end_date"]
    search_fields = ["code", "name", "contract_number"]


@admin.register(Component)
class ComponentAdmin(ReadOnlyAdmin):
    list_display = ["number", "code", "name_en", "name_sq", "name_sr_latn", "program"]
    list_filter = ["program"]
    list_select_related = ["program"]
    search_fields = ["code", "name_en", "name_sq", "name_sr_latn"]
