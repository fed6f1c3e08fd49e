from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "akt.linkage"
    verbose_name = _("Identity resolution")
