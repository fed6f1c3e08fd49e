"""``akt demo-code USERNAME``: the current code of a demo user's authenticator.

The demo's administrator and M&E officer sign in with a second factor whose key is fixed
(``akt demo-users``); this prints the code an authenticator app holding that key shows now. For
development only: refused unless ``AKT_DEBUG`` is on.
"""

from __future__ import annotations

from argparse import ArgumentParser

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from akt.demo.management.commands.demo_users import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "DEMO USE ONLY. Print the current two-factor code of a demo user (AKT_DEBUG only)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username", help="A demo user with a second factor (admin, me).")

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError(_("Demo codes are shown only when AKT_DEBUG is true."))
        username = str(options["username"])
        device = (
            TOTPDevice.objects.filter(user__username=username, confirmed=True, key=DEMO_TOTP_KEY)
            .order_by("pk")
            .first()
        )
        if device is None:
            raise CommandError(
                _("%(username)s has no demo authenticator. Run `akt demo-users` first.")
                % {"username": username}
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
