"""Small-scale infrastructure projects, each bringing communities together in joint activities."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from akt.accounts.provenance import import_batch_field, source_row_field
from akt.accounts.voidable import Voidable
from akt.grants.models import Currency


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    COMPLETED = "completed", _("Completed")


class InfrastructureProject(Voidable):
    code = models.CharField(_("code"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    component = models.ForeignKey(
        "program.Component", verbose_name=_("component"), on_delete=models.PROTECT
    )
    municipality = models.ForeignKey(
        "places.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="infrastructure_projects",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    start_date = models.DateField(_("start date"))
    completion_date = models.DateField(_("completion date"), null=True, blank=True)
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.USD
    )
    program_contribution = models.DecimalField(
        _("program contribution"), max_digits=12, decimal_places=2
    )
    municipal_contribution = models.DecimalField(
        _("municipal co-financing"), max_digits=12, decimal_places=2, default=0
    )
    batch = import_batch_field("projects")
    source_row = source_row_field()

    class Meta:
        ordering = ["-start_date", "code"]
        verbose_name = _("infrastructure project")
        verbose_name_plural = _("infrastructure projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(completion_date__isnull=True)
                | models.Q(completion_date__gte=models.F("start_date")),
                name="project_completes_after_start",
                violation_error_message=_("The completion date must not be before the start."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="completed") | models.Q(completion_date__isnull=False),
                name="project_completed_has_date",
                violation_error_message=_("A completed project needs its completion date."),
            ),
            models.CheckConstraint(
                condition=models.Q(program_contribution__gte=0)
                & models.Q(municipal_contribution__gte=0),
                name="project_contributions_not_negative",
                violation_error_message=_("Contributions cannot be negative."),
            ),
        ]

    @property
    def counts_on(self) -> date:
        """A project counts on its completion; an unfinished one on its start."""
        return self.completion_date or self.start_date

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def total_budget(self):  # a Decimal
        return self.program_contribution + self.municipal_contribution
