"""Capacity development plans agreed with each partner municipality, and their actions."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from akt.accounts.provenance import external_ref_field, import_batch_field, source_row_field
from akt.accounts.voidable import Voidable


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")


class CapacityDevelopmentPlan(Voidable):
    municipality = models.ForeignKey(
        "places.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="capacity_plans",
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    external_ref = external_ref_field(
        _("The plan's number in the list it was imported from; unique where set.")
    )
    batch = import_batch_field("plans")
    source_row = source_row_field()

    class Meta:
        ordering = ["municipality__name_sq", "period_start"]
        verbose_name = _("capacity development plan")
        verbose_name_plural = _("capacity development plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="plan_period_ends_after_start",
                violation_error_message=_("The period end must not be before its start."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="adopted") | models.Q(adopted_on__isnull=False),
                name="plan_adopted_has_date",
                violation_error_message=_("An adopted plan needs its adoption date."),
            ),
            models.UniqueConstraint(
                fields=["municipality", "period_start"],
                name="plan_unique_per_municipality_period",
                violation_error_message=_(
                    "This municipality already has a plan starting on this date."
                ),
            ),
            models.UniqueConstraint(
                fields=["external_ref"],
                condition=~models.Q(external_ref=""),
                name="plan_external_ref_unique",
                violation_error_message=_("Another plan has this external reference."),
            ),
        ]

    @property
    def counts_on(self) -> date:
        """A plan counts on its adoption; a draft on the start of its period."""
        return self.adopted_on or self.period_start

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class PlanAction(models.Model):
    plan = models.ForeignKey(
        CapacityDevelopmentPlan,
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    title = models.CharField(_("title"), max_length=200)
    area = models.CharField(_("capacity area"), max_length=100)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    external_ref = external_ref_field(
        _("The action's number in the list it was imported from; unique where set.")
    )
    batch = import_batch_field("plan_actions")
    source_row = source_row_field()

    class Meta:
        ordering = ["plan", "due_date", "id"]
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        constraints = [
            models.UniqueConstraint(
                fields=["external_ref"],
                condition=~models.Q(external_ref=""),
                name="plan_action_external_ref_unique",
                violation_error_message=_("Another plan action has this external reference."),
            ),
        ]

    def __str__(self) -> str:
        return self.title
