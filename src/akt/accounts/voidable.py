"""Records that can be voided: taken out of every figure without being deleted.

An activity, grant, capacity plan or infrastructure project entered by mistake (twice, in the
wrong municipality, imported from the wrong file) is *voided*, not deleted: it leaves every
figure, stays on record with who voided it, when and why, and can be restored exactly as it
was. Deleting would lose the audit trail and the import rows that point to it; the indicator
readers (:mod:`akt.indicators.fact_reader`, :mod:`akt.indicators.column_reader`,
:mod:`akt.indicators.composition_reader`) leave voided records out instead.

The writes live in :mod:`akt.accounts.voiding`; this module holds only the fields and the
querysets, so the record models can use it without importing any service.
"""

from __future__ import annotations

from datetime import date
from typing import Self, TypeVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

V = TypeVar("V", bound="Voidable", covariant=True)


class VoidableQuerySet(models.QuerySet[V]):
    def counted(self) -> Self:
        """The records figures count: those not voided."""
        return self.filter(voided_at__isnull=True)

    def voided(self) -> Self:
        return self.filter(voided_at__isnull=False)


class Voidable(models.Model):
    """The three fields of a voiding: when, by whom and why (all empty while it counts).

    Not editable through forms: only :func:`akt.accounts.voiding.record_void` and
    :func:`akt.accounts.voiding.record_restore` set them, each with its audit entry.
    """

    voided_at = models.DateTimeField(
        _("voided"), null=True, blank=True, editable=False, db_index=True
    )
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    void_reason = models.TextField(_("reason for voiding"), blank=True, editable=False)

    objects = VoidableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None

    @property
    def counts_on(self) -> date | None:
        """The day the record counts on in the figures (each kind of record says which)."""
        raise NotImplementedError
