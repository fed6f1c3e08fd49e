from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InfrastructureConfig(AppConfig):
    name = "akt.infrastructure"
    verbose_name = _("Infrastructure")

    def ready(self) -> None:
        from akt.evidence.registry import attachable
        from akt.infrastructure.models import InfrastructureProject, ProjectMilestone

        attachable(InfrastructureProject)  # the site's photos, the contract, the handover
        attachable(ProjectMilestone, governed_by=lambda milestone: milestone.project)
