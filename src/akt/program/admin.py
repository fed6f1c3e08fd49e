"""Admin for the program and its components."""

from __future__ import annotations

from django.contrib import admin

from akt.program.models import Component, Program


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "contract_number", "implementer", "start_date", "end_date"]
    search_fields = ["code", "name", "contract_number"]


@admin.register(Component)
class ComponentAdmin(admin.ModelAdmin):
    list_display = ["number", "code", "name_en", "name_sq", "name_sr_latn", "program"]
    list_filter = ["program"]
    list_select_related = ["program"]
    search_fields = ["code", "name_en", "name_sq", "name_sr_latn"]
