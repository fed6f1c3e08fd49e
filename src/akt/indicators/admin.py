"""Admin for the results framework, its indicators, their reference sheets and targets.

Read-only, like every record's admin (:class:`akt.places.admin.ReadOnlyAdminMixin`): officers
edit sheets and targets on the indicator pages, whose services keep the change log and the audit
log; the framework and the indicators come from the reference files (``akt load-reference``).
"""

from __future__ import annotations

from django.contrib import admin

from akt.indicators.models import (
    DisaggregationScheme,
    FrameworkResult,
    Indicator,
    OutcomeValue,
    ReferenceSheet,
    Target,
)
from akt.places.admin import ReadOnlyAdminMixin


@admin.register(FrameworkResult)
class FrameworkResultAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "level", "parent", "statement_en", "sort_order"]
    list_filter = ["level"]
    list_select_related = ["parent"]
    search_fields = ["code", "statement_en", "statement_sq", "statement_sr_latn"]
    ordering = ["sort_order", "code"]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "code",
        "program_code",
        "result_measured",
        "name_en",
        "indicator_type",
        "is_standard",
        "fa_code",
        "unit",
        "period_rule",
        "is_active",
    ]
    list_filter = [
        "is_active",
        "indicator_type",
        "is_standard",
        "is_ppr",
        "source",
        "unit",
        "period_rule",
        "result_line",
    ]
    list_select_related = ["result_measured"]
    search_fields = ["code", "program_code", "fa_code", "name_en", "name_sq", "name_sr_latn"]
    ordering = ["result_line", "sort_order", "code"]
    raw_id_fields = ["numerator", "denominator"]


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Shows what the services wrote; changes go through the indicator pages (and their log)."""


@admin.register(ReferenceSheet)
class ReferenceSheetAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "collection_frequency", "dqa_last_date", "dqa_next_date"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__code", "indicator__name_en"]


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = [
        "indicator",
        "period_kind",
        "fiscal_year",
        "quarter",
        "dimension",
        "cell",
        "value",
    ]
    list_filter = ["period_kind", "fiscal_year", "dimension"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__code", "cell"]


@admin.register(DisaggregationScheme)
class DisaggregationSchemeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "dimension", "name_en"]
    list_filter = ["dimension"]
    search_fields = ["code", "name_en", "name_sq", "name_sr_latn"]


@admin.register(OutcomeValue)
class OutcomeValueAdmin(ReadOnlyAdmin):
    """Entered values are entered, corrected and voided on the indicator's values page, whose
    services keep the audit log (and ask for a reason in an approved quarter)."""

    list_display = [
        "indicator",
        "period_key",
        "municipality",
        "cell_key",
        "value",
        "source_document",
        "entered_at",
        "voided_at",
    ]
    list_filter = ["indicator", "period_key", "municipality"]
    list_select_related = ["indicator", "municipality"]
    search_fields = ["indicator__code", "source_document"]
