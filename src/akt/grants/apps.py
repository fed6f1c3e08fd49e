from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "akt.grants"
    verbose_name = _("Grants")

    def ready(self) -> None:
        from akt.evidence.registry import attachable
        from akt.grants.models import Application, Grant

        attachable(Grant)  # the grant agreement, the site visit's photos
        attachable(Application)  # the business plan
