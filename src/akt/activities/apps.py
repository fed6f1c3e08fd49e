from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "akt.activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from akt.activities.models import Activity
        from akt.evidence.registry import attachable

        attachable(Activity)  # the signed sign-in sheet, photos, the minutes
