"""Where a record came from, when it came in through an import: the fields every imported kind
of record carries (attendance rows, headcounts, activities, organizations, grants, plans and
their actions, projects).

Field builders rather than an abstract model: each model keeps its own name for its records
on the batch (``batch.activities``, ``batch.plans``, ...) and its own wording of the reference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Imported(Protocol):
    """What a record of a model declaring these fields carries (for code that imports records
    of several models, which the type checker sees only as models)."""

    batch: models.Model | None
    source_row: int | None


def import_batch_field(related_name: str) -> models.ForeignKey:
    """The import batch that wrote the record (none for a record entered on a page)."""
    return models.ForeignKey(
        "intake.ImportBatch",
        verbose_name=_("import batch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
    )


def source_row_field() -> models.PositiveIntegerField:
    """The record's row number in the imported file."""
    return models.PositiveIntegerField(_("row in the file"), null=True, blank=True)


def external_ref_field(help_text: StrOrPromise) -> models.CharField:
    """The record's own number in the list it was imported from (unique where set: each model
    declares the constraint), by which importing the list again finds it."""
    return models.CharField(_("external reference"), max_length=64, blank=True, help_text=help_text)
