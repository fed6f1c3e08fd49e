"""Business grants: the award, its recipient and its sector."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from akt.accounts.provenance import import_batch_field, source_row_field
from akt.accounts.voidable import Voidable
from akt.people.models import Sector


class Currency(models.TextChoices):
    USD = "USD", _("US dollar")
    EUR = "EUR", _("Euro")


class Grant(Voidable):
    reference = models.CharField(_("reference"), max_length=32, unique=True)
    recipient = models.ForeignKey(
        "people.Organization",
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="grants",
    )
    component = models.ForeignKey(
        "program.Component", verbose_name=_("component"), on_delete=models.PROTECT
    )
    municipality = models.ForeignKey(
        "places.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="grants",
    )
    sector = models.CharField(_("sector"), max_length=24, choices=Sector.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.USD
    )
    award_date = models.DateField(_("award date"))
    purpose = models.TextField(_("purpose"), blank=True)
    batch = import_batch_field("grants")
    source_row = source_row_field()

    class Meta:
        ordering = ["-award_date", "reference"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0),
                name="grant_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            )
        ]

    DATED_BY = ("award_date",)
    """Fields whose change moves the day the grant counts on."""

    @property
    def counts_on(self) -> date:
        """A grant counts on its award."""
        return self.award_date

    def __str__(self) -> str:
        return self.reference
