"""``akt demo-users``: one sign-in per role, so a demonstration can show what each user sees.

For demonstrations and development only: every account gets the same, printed password.
"""

from __future__ import annotations

from argparse import ArgumentParser
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from akt.accounts.models import Role, User
from akt.accounts.services import audit_record
from akt.accounts.two_factor import DEVICE_NAME, REQUIRED_ROLES
from akt.demo.grants_workflow import grants_committee_populate
from akt.demo.stories import stories_populate
from akt.places.models import Municipality
from akt.program.models import Component

DEFAULT_PASSWORD = "akt-demo-2014"

# The authenticator key of the demo users who must use a second factor (the administrator and
# the M&E officer): fixed, so `akt demo-code USERNAME` can print their current code. Never a
# real user's key.
DEMO_TOTP_KEY = "616b742d64656d6f2d746f74702d6b65792d3230"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    municipality: str | None = None  # municipality code, for a focal point
    component: str | None = None  # component code, for component staff
    is_staff: bool = False
    is_superuser: bool = False


DEMO_USERS = (
    DemoUser("admin", Role.ADMINISTRATOR, is_staff=True, is_superuser=True),
    DemoUser("me", Role.ME_OFFICER),
    DemoUser("staff-economic", Role.COMPONENT_STAFF, component="economic"),
    DemoUser("focal-gracanica", Role.FOCAL_POINT, municipality="gracanice"),
    DemoUser("focal-zvecan", Role.FOCAL_POINT, municipality="zvecan"),
    DemoUser("donor", Role.DONOR),
)
"""The personas of architecture and tests: one per role, two focal points to compare scopes."""


class Command(BaseCommand):
    help = (
        "DEMO USE ONLY. Create or reset one user per role (admin, me, staff-economic, "
        "focal-gracanica, focal-zvecan, donor), all with the same password, and print them. "
        "Never run this on a database that real people sign in to."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"The password every demo user gets (default {DEFAULT_PASSWORD!r}).",
        )

    def handle(self, *args: object, **options: object) -> None:
        password = str(options["password"])
        if not password:
            raise CommandError(_("The password must not be empty."))
        municipalities = {m.code: m for m in Municipality.objects.all()}
        components = {c.code: c for c in Component.objects.all()}
        needed_places = {u.municipality for u in DEMO_USERS if u.municipality}
        needed_components = {u.component for u in DEMO_USERS if u.component}
        if not needed_places <= set(municipalities) or not needed_components <= set(components):
            raise CommandError(
                _("Reference data is missing. Run `akt load-reference` first, then try again.")
            )
        rows = []
        with_device: list[str] = []
        with transaction.atomic():
            for spec in DEMO_USERS:
                user, created = User.objects.get_or_create(username=spec.username)
                user.role = spec.role
                user.municipality = municipalities[spec.municipality] if spec.municipality else None
                user.component = components[spec.component] if spec.component else None
                user.is_staff = spec.is_staff
                user.is_superuser = spec.is_superuser
                user.is_active = True
                user.set_password(password)
                user.full_clean()
                user.save()
                audit_record(
                    actor=None,
                    action="demo_users.create" if created else "demo_users.reset",
                    target=user,
                    summary=f"Demo user {user.username} ({spec.role})",
                )
                if (
                    user.role in REQUIRED_ROLES
                    and not TOTPDevice.objects.filter(user=user).exists()
                ):
                    TOTPDevice.objects.create(
                        user=user, name=DEVICE_NAME, key=DEMO_TOTP_KEY, confirmed=True
                    )
                if TOTPDevice.objects.filter(user=user, key=DEMO_TOTP_KEY).exists():
                    with_device.append(user.username)
                rows.append((user.username, user.get_role_display(), self._scope(user), password))
            # The demo's grant calls get their committee: the officers score the applications;
            # and the officers write the quarters' success stories, with their photos.
            grants_committee_populate()
            stories_populate()
        headers = (_("username"), _("role"), _("scope"), _("password"))
        widths = [max(len(str(row[i])) for row in (headers, *rows)) for i in range(4)]
        for row in (headers, *rows):
            self.stdout.write(
                "  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )
        for username in with_device:
            self.stdout.write(
                _(
                    "%(username)s signs in with a second factor: "
                    "`akt demo-code %(username)s` prints the current code."
                )
                % {"username": username}
            )
        self.stdout.write(
            self.style.WARNING(_("Demo accounts only: do not keep them on a real system."))
        )

    @staticmethod
    def _scope(user: User) -> str:
        if user.municipality is not None:
            return user.municipality.name
        if user.component is not None:
            return user.component.name
        if user.role == Role.DONOR:
            return _("all municipalities, aggregates only")
        return _("all municipalities")
