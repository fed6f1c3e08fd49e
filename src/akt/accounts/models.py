"""Users, their roles and scopes, and the audit log."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    ME_OFFICER = "me_officer", _("M&E officer")
    COMPONENT_STAFF = "component_staff", _("Component staff")
    FOCAL_POINT = "focal_point", _("Municipal focal point")
    DONOR = "donor", _("Donor viewer")


class User(AbstractUser):
    """A person who signs in. What they may see follows from ``role`` (see ``scope.py``)."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.DONOR)
    municipality = models.ForeignKey(
        "places.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("The municipality a focal point works for."),
    )
    component = models.ForeignKey(
        "program.Component",
        verbose_name=_("component"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("The component a staff member works in."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="focal_point") | models.Q(municipality__isnull=False),
                name="focal_point_has_municipality",
                violation_error_message=_("A municipal focal point needs a municipality."),
            ),
            models.CheckConstraint(
                condition=~models.Q(role="component_staff") | models.Q(component__isnull=False),
                name="component_staff_has_component",
                violation_error_message=_("Component staff need a component."),
            ),
        ]


class AuditEntry(models.Model):
    """Who did what to which record, when, and why. Written by service functions only."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("who"), on_delete=models.SET_NULL, null=True, blank=True
    )
    action = models.CharField(_("action"), max_length=64)
    target_type = models.CharField(_("record type"), max_length=64)
    target_id = models.CharField(_("record"), max_length=64)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"
