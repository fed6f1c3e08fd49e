from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "akt.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from akt.accounts.periods import register_approved_period_lookup
        from akt.accounts.services import register_write_guard
        from akt.evidence.registry import attachable

        # Registers the "reports.file" job kind in every process, the worker's included.
        from akt.reports import report_files  # noqa: F401
        from akt.reports.models import SuccessStory
        from akt.reports.selectors import approved_period_on
        from akt.reports.services import approved_period_guard
        from akt.reports.stories import story_governor, story_may_see

        register_write_guard(approved_period_guard)
        register_approved_period_lookup(approved_period_on)
        # The story's photo: opened by those who may read the story (all its records).
        attachable(SuccessStory, governed_by=story_governor, seen_by=story_may_see)
