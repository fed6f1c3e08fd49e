from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "akt.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from akt.accounts.middleware import session_signed_in

        # A new session starts its idle time at sign-in (see IdleSessionMiddleware).
        user_logged_in.connect(session_signed_in, dispatch_uid="akt_session_signed_in")
