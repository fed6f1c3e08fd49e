"""The program and its components: what every activity, grant and project belongs to."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from akt.translation import LocalizedNameMixin


class Program(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    contract_number = models.CharField(_("contract number"), max_length=64, blank=True)
    implementer = models.CharField(_("implementer"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="program_ends_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Component(LocalizedNameMixin, models.Model):
    """One of the program's objectives, under which its work is organised and staffed."""

    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.PROTECT)
    code = models.SlugField(_("code"), max_length=32, unique=True)
    number = models.PositiveSmallIntegerField(_("number"))
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_sq = models.CharField(_("name (Albanian)"), max_length=200)
    name_sr_latn = models.CharField(_("name (Serbian, Latin)"), max_length=200)

    class Meta:
        ordering = ["number"]
        verbose_name = _("component")
        verbose_name_plural = _("components")
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="component_number_unique")
        ]
