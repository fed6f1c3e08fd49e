"""Admin views of merges and review pairs: read-only, since every change goes through
``akt.linkage.services`` (which checks, audits and keeps merges reversible)."""

from __future__ import annotations

from django.contrib import admin

from akt.linkage.models import PersonMerge, ReviewPair
from akt.places.admin import ReadOnlyAdminMixin


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Shown here, written through the services."""


@admin.register(PersonMerge)
class PersonMergeAdmin(ReadOnlyAdmin):
    list_display = ["at", "survivor", "source", "probability", "actor", "undone_at"]
    list_filter = ["source", ("undone_at", admin.EmptyFieldListFilter)]
    list_select_related = ["survivor", "actor"]
    search_fields = ["survivor__family_name", "survivor__given_name", "=survivor__uid"]


@admin.register(ReviewPair)
class ReviewPairAdmin(ReadOnlyAdmin):
    list_display = ["person_a", "person_b", "probability", "status", "decided_by", "decided_at"]
    list_filter = ["status", "model_version"]
    list_select_related = ["person_a", "person_b", "decided_by"]
    search_fields = ["person_a__family_name", "person_b__family_name"]
