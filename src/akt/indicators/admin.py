"""Admin for the results framework's indicators."""

from __future__ import annotations

from django.contrib import admin

from akt.indicators.models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "result_line", "sort_order", "name_en", "source", "unit", "is_active"]
    list_filter = ["is_active", "source", "unit", "result_line"]
    search_fields = ["code", "name_en", "name_sq", "name_sr_latn"]
    ordering = ["result_line", "sort_order", "code"]
