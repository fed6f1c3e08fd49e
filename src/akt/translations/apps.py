from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationsConfig(AppConfig):
    name = "akt.translations"
    verbose_name = _("Translations")
