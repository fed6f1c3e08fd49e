from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "akt.indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        # The review queue weighs a cluster of pending pairs by the figures it would move;
        # the linkage app sits below this one, so this app hands it the function.
        from akt.indicators.merge_weight import figures_moved
        from akt.linkage.clusters import register_consequence

        register_consequence(figures_moved)
