from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "akt.linkage"
    verbose_name = _("Identity resolution")

    def ready(self) -> None:
        from akt.linkage import batch  # noqa: F401 - registers the registry job kind
        from akt.linkage.suggestions import existing_person_suggestions
        from akt.people.likely import register_finder

        register_finder(existing_person_suggestions)
