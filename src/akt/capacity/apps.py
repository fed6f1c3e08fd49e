from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CapacityConfig(AppConfig):
    name = "akt.capacity"
    verbose_name = _("Capacity development")
