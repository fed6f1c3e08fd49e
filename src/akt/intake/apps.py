from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "akt.intake"
    verbose_name = _("Intake")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the "intake.check" job kind in every process, the worker's included,
        # whether or not anything there imports the intake pages.
        from akt.intake import jobs  # noqa: F401
        from akt.intake.privacy import scrub_identity_resolution, scrub_imports
        from akt.people.erasure import register_erasure_step

        # What an erased person left in imports and in identity resolution is scrubbed with them.
        register_erasure_step(scrub_imports)
        register_erasure_step(scrub_identity_resolution)
