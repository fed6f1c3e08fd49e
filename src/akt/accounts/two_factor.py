"""Two-factor authentication: an authenticator app (TOTP, django-otp) and backup codes.

Administrators and M&E officers must use it (``settings.AKT_REQUIRE_TWO_FACTOR``); anyone else
may turn it on. Once a user has it, every session of theirs is verified with a code after the
password (``middleware.TwoFactorMiddleware`` sends an unverified session to the verify page).

The secret of a device being set up lives in the session until the user proves, with a code
from their app, that the app holds it; only then is the device written, with its audit entry.
"""

from __future__ import annotations

import base64
import binascii

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import devices_for_user, match_token
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from akt.accounts.models import Role, User
from akt.accounts.services import audit_record

REQUIRED_ROLES = frozenset({Role.ADMINISTRATOR, Role.ME_OFFICER})
BACKUP_CODE_COUNT = 10
DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup"
_PENDING_KEY = "akt_two_factor_pending_key"


def two_factor_required(user: User) -> bool:
    """Whether this user may not work without a second factor."""
    return bool(settings.AKT_REQUIRE_TWO_FACTOR) and user.role in REQUIRED_ROLES


def two_factor_enabled(user: User) -> bool:
    """Whether the user has a confirmed authenticator or backup codes: one query, asked on every
    request of a signed-in user (django-otp's own check asks each kind of device in turn)."""
    totp = TOTPDevice.objects.filter(user=user, confirmed=True).values("pk")
    static = StaticDevice.objects.filter(user=user, confirmed=True).values("pk")
    return bool(list(totp.union(static, all=True)[:1]))


def pending_key(request: HttpRequest) -> str:
    """The secret (hex) of the authenticator being set up in this session, made on first ask."""
    key = request.session.get(_PENDING_KEY)
    if not key:
        key = default_key()
        request.session[_PENDING_KEY] = key
    return str(key)


def key_as_text(key: str) -> str:
    """The secret as an authenticator app asks for it when typed: base32, in groups of four."""
    encoded = base64.b32encode(binascii.unhexlify(key)).decode("ascii").rstrip("=")
    return " ".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))


def setup_qr_svg(user: User, key: str) -> str:
    """The QR code an authenticator app scans, as inline SVG (no request leaves the page)."""
    url = TOTPDevice(user=user, key=key, name=DEVICE_NAME).config_url
    return segno.make(url, error="m").svg_inline(scale=4, dark="#1a1a1a", light="#ffffff")


def _token_matches_key(key: str, token: str) -> bool:
    token = token.strip().replace(" ", "")
    if not token.isdigit() or len(token) != 6:
        return False
    totp = TOTP(binascii.unhexlify(key), step=30, t0=0, digits=6, drift=0)
    return totp.verify(int(token), tolerance=1)


def _new_backup_codes(device: StaticDevice) -> list[str]:
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def two_factor_enable(*, request: HttpRequest, user: User, token: str) -> list[str] | None:
    """Turns two-factor on once ``token`` proves the app holds the session's pending secret.

    Returns the backup codes (shown once), or ``None`` if the code does not match. The session
    counts as verified with the new device.
    """
    key = request.session.get(_PENDING_KEY)
    if not key or not _token_matches_key(str(key), token):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice(user=user, key=str(key), name=DEVICE_NAME, confirmed=True)
        device.full_clean()
        device.save()
        backup, _ = StaticDevice.objects.get_or_create(
            user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
        )
        codes = _new_backup_codes(backup)
        audit_record(
            actor=user,
            action="user.two_factor_enable",
            target=user,
            summary=f"Two-factor authentication turned on for {user.username}",
        )
    del request.session[_PENDING_KEY]
    _verified(request, device)
    return codes


def two_factor_backup_codes_renew(*, user: User) -> list[str]:
    """New backup codes for a user with two-factor on; the old ones stop working."""
    with transaction.atomic():
        backup, _ = StaticDevice.objects.get_or_create(
            user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
        )
        codes = _new_backup_codes(backup)
        audit_record(
            actor=user,
            action="user.two_factor_backup_codes",
            target=user,
            summary=f"New backup codes for {user.username}",
        )
    return codes


def two_factor_disable(*, user: User) -> None:
    """Turns two-factor off, for a user whose role does not require it."""
    if two_factor_required(user):
        raise PermissionError("two-factor authentication is required for this role")
    with transaction.atomic():
        for device in list(devices_for_user(user, confirmed=None)):
            device.delete()
        audit_record(
            actor=user,
            action="user.two_factor_disable",
            target=user,
            summary=f"Two-factor authentication turned off for {user.username}",
        )


def two_factor_verify(*, request: HttpRequest, user: User, token: str) -> bool:
    """Verifies this session with a code from the app or a backup code (used up)."""
    device = match_token(user, token.strip().replace(" ", ""))
    if device is None:
        return False
    _verified(request, device)
    return True


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _verified(request: HttpRequest, device: Device) -> None:
    from django_otp import login as otp_login

    otp_login(request, device)
