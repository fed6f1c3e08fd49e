"""Two-factor authentication: required of administrators and M&E officers before any page,
the admin site included; set up with an authenticator app; asked after the password; open to
other roles by choice.

The suite runs with the requirement off (its personas sign in by the thousand with
``force_login``); these tests turn it on as production has it.
"""

from __future__ import annotations

import base64
import binascii
import re
import time

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from akt.accounts.models import AuditEntry, User
from akt.conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor_required")]

DASHBOARD = reverse("reports:dashboard")
SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:two_factor_verify")


@pytest.fixture
def two_factor_required():
    with override_settings(AKT_REQUIRE_TWO_FACTOR=True):
        yield


def _code(key_hex: str, *, steps_ahead: int = 0) -> str:
    totp = TOTP(binascii.unhexlify(key_hex), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def _device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def _signed_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("username", ["admin", "me"])
@pytest.mark.parametrize("path", [DASHBOARD, "/admin/", reverse("people:person_list")])
def test_a_required_role_without_two_factor_reaches_no_page(
    personas, username: str, path: str
) -> None:
    response = _signed_in(username).get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next={path.replace('/', '%2F')}"


@pytest.mark.parametrize("username", ["staff", "focal-gracanica", "donor"])
def test_other_roles_work_without_it(personas, username: str) -> None:
    assert _signed_in(username).get(reverse("reports:home")).status_code == 302
    assert _signed_in(username).get(reverse("accounts:two_factor")).status_code == 200


def test_no_requirement_when_the_setting_is_off(personas) -> None:
    with override_settings(AKT_REQUIRE_TWO_FACTOR=False):
        assert _signed_in("admin").get(DASHBOARD).status_code == 200


def test_setup_shows_a_qr_code_and_the_key_and_turns_on_with_a_code(personas) -> None:
    client = _signed_in("me")
    page = client.get(f"{SETUP}?next={DASHBOARD}")
    assert page.status_code == 200
    html = page.content.decode()
    svg = html.split('<div class="two-factor-qr">', 1)[1].split("</svg>", 1)[0]
    assert svg.lstrip().startswith("<svg") and "href" not in svg and "<image" not in svg
    key_text = re.search(r'<code class="two-factor-key">([A-Z2-7 ]+)</code>', html).group(1)
    key_hex = client.session["akt_two_factor_pending_key"]
    key_base32 = key_text.replace(" ", "")
    padded = key_base32 + "=" * (-len(key_base32) % 8)
    assert base64.b32decode(padded) == binascii.unhexlify(key_hex)
    # A wrong code turns nothing on.
    wrong = client.post(SETUP, {"token": "000000" if _code(key_hex) != "000000" else "111111"})
    assert "That code does not match" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=personas["me"]).exists()
    done = client.post(SETUP, {"token": _code(key_hex), "next": DASHBOARD})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=personas["me"], confirmed=True).key == key_hex
    assert AuditEntry.objects.filter(action="user.two_factor_enable", actor=personas["me"]).exists()
    # This session is verified: the pages open.
    assert client.get(DASHBOARD).status_code == 200


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)  # no pause after the wrong code, in this test
def test_after_the_password_a_code_is_asked_and_checked(personas) -> None:
    device = _device(personas["admin"])
    client = _signed_in("admin")
    response = client.get(DASHBOARD)
    assert response["Location"] == f"{VERIFY}?next={DASHBOARD.replace('/', '%2F')}"
    assert client.get("/admin/")["Location"].startswith(VERIFY)
    wrong = client.post(VERIFY, {"token": "12345", "next": DASHBOARD})
    assert wrong.status_code == 200 and "That code is not valid" in wrong.content.decode()
    assert client.get(DASHBOARD).status_code == 302
    right = client.post(VERIFY, {"token": _code(device.key), "next": DASHBOARD})
    assert right["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200
    assert client.get("/admin/").status_code == 200


def test_a_backup_code_verifies_once(personas) -> None:
    client = _signed_in("me")
    client.get(SETUP)
    key_hex = client.session["akt_two_factor_pending_key"]
    done = client.post(SETUP, {"token": _code(key_hex)})
    first = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())[0]
    other = _signed_in("me")
    assert other.get(DASHBOARD)["Location"].startswith(VERIFY)
    assert other.post(VERIFY, {"token": first})["Location"] == reverse("reports:home")
    assert other.get(DASHBOARD).status_code == 200
    third = _signed_in("me")
    assert third.post(VERIFY, {"token": first}).status_code == 200
    assert third.get(DASHBOARD).status_code == 302
    assert StaticToken.objects.filter(device__user=personas["me"]).count() == 9


def test_a_foreign_next_is_not_followed_after_the_code(personas) -> None:
    device = _device(personas["me"])
    client = _signed_in("me")
    response = client.post(VERIFY, {"token": _code(device.key), "next": "https://evil.example/"})
    assert response["Location"] == reverse("reports:home")


def test_logout_and_language_stay_open_before_the_second_factor(personas) -> None:
    client = _signed_in("admin")
    assert (
        client.post(reverse("set_language"), {"language": "sq", "next": SETUP}).status_code == 302
    )
    assert client.post(reverse("accounts:logout"))["Location"] == reverse("accounts:login")


def test_a_donor_may_turn_it_on_and_off(personas) -> None:
    client = _signed_in("donor")
    client.get(SETUP)
    key_hex = client.session["akt_two_factor_pending_key"]
    client.post(SETUP, {"token": _code(key_hex)})
    assert TOTPDevice.objects.filter(user=personas["donor"]).exists()
    # From now on the donor too gives a code after the password.
    later = _signed_in("donor")
    assert later.get(reverse("reports:home"))["Location"].startswith(VERIFY)
    assert later.post(VERIFY, {"token": _code(key_hex, steps_ahead=1)}).status_code == 302
    assert later.post(reverse("accounts:two_factor_off")).status_code == 302
    assert not TOTPDevice.objects.filter(user=personas["donor"]).exists()
    assert AuditEntry.objects.filter(action="user.two_factor_disable").exists()


def test_a_required_role_cannot_turn_it_off(personas) -> None:
    device = _device(personas["me"])
    client = _signed_in("me")
    client.post(VERIFY, {"token": _code(device.key)})
    assert client.post(reverse("accounts:two_factor_off")).status_code == 403
    assert TOTPDevice.objects.filter(user=personas["me"]).exists()
