from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CapacityConfig(AppConfig):
    name = "akt.capacity"
    verbose_name = _("Capacity development")

    def ready(self) -> None:
        from akt.capacity.models import CapacityDevelopmentPlan, PlanAction
        from akt.evidence.registry import attachable

        attachable(CapacityDevelopmentPlan)  # the adopted plan, the assembly's decision
        attachable(PlanAction, governed_by=lambda action: action.plan)
