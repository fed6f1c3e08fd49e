"""The demo's administrator and M&E officer sign in with a second factor, and the demo prints
their codes (`akt demo-code`), only in development."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_users(reference: None, settings) -> str:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = io.StringIO()
    call_command("demo_users", stdout=out)
    return out.getvalue()


def test_demo_users_give_the_required_roles_an_authenticator(demo_users: str) -> None:
    assert set(TOTPDevice.objects.values_list("user__username", flat=True)) == {"admin", "me"}
    assert "`akt demo-code admin` prints the current code" in demo_users
    # Run again, the existing users keep their one device, and the way to its codes is shown.
    again = io.StringIO()
    call_command("demo_users", stdout=again)
    assert TOTPDevice.objects.count() == 2
    assert "`akt demo-code me` prints the current code" in again.getvalue()


@override_settings(DEBUG=True, AKT_REQUIRE_TWO_FACTOR=True)
def test_the_printed_code_signs_the_demo_administrator_in(demo_users: str) -> None:
    client = Client()
    client.post(reverse("accounts:login"), {"username": "admin", "password": "akt-demo-2014"})
    dashboard = reverse("reports:dashboard")
    assert client.get(dashboard)["Location"].startswith(reverse("accounts:two_factor_verify"))
    out = io.StringIO()
    call_command("demo_code", "admin", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    client.post(reverse("accounts:two_factor_verify"), {"token": code})
    assert client.get(dashboard).status_code == 200


def test_demo_codes_are_refused_without_debug(demo_users: str) -> None:
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="only when AKT_DEBUG"):
        call_command("demo_code", "admin", stdout=io.StringIO())


@override_settings(DEBUG=True)
def test_a_user_without_a_demo_authenticator_has_no_code(demo_users: str) -> None:
    with pytest.raises(CommandError, match="no demo authenticator"):
        call_command("demo_code", "donor", stdout=io.StringIO())
