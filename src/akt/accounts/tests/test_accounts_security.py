"""Accounts hardened: a throttle on wrong passwords, the password changed and reset by e-mail,
sessions that end when idle, and the headers that keep pages out of caches and other origins'
scripts out of pages."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from akt.accounts.models import AuditEntry
from akt.conftest import PASSWORD
from akt.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
NEW_PASSWORD = "a-new-and-long-passphrase-2016"


def _sign_in(client: Client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


# Throttling -------------------------------------------------------------------------------


def test_thirty_wrong_passwords_lock_the_account_even_for_the_right_one(client, personas) -> None:
    for _ in range(30):
        _sign_in(client, "me", "not-the-password")
    response = _sign_in(client, "me")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Signing in is locked" in html
    assert "5 wrong passwords in a row" in html
    assert not response.wsgi_request.user.is_authenticated
    assert "_auth_user_id" not in client.session


def test_a_few_wrong_passwords_do_not_lock_and_the_right_one_works(client, personas) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, "me", "not-the-password").status_code == 200
    response = _sign_in(client, "me")
    assert response.status_code == 302
    assert response.wsgi_request.user.is_authenticated


def test_the_lock_is_per_user_name_and_address(client, personas) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "me", "not-the-password")
    assert _sign_in(client, "me").status_code == 429
    # Someone else at the same address, and the same user from another address, still sign in.
    assert _sign_in(Client(), "donor").status_code == 302
    assert _sign_in(Client(REMOTE_ADDR="10.0.0.7"), "me").status_code == 302


def test_a_forged_forwarded_address_does_not_escape_the_lock(client, personas) -> None:
    for attempt in range(settings.AXES_FAILURE_LIMIT + 3):
        client.post(
            LOGIN,
            {"username": "me", "password": "not-the-password"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}",
        )
    response = client.post(
        LOGIN, {"username": "me", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.99"
    )
    assert response.status_code == 429


def test_the_lockout_page_is_translated(client, personas) -> None:
    client.post(reverse("set_language"), {"language": "sq", "next": LOGIN})
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = _sign_in(client, "me", "not-the-password")
    assert response.status_code == 429
    with translation.override("sq"):
        assert translation.gettext("Signing in is locked") in response.content.decode()
    assert "Signing in is locked" not in response.content.decode()


# Password hashing -------------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2_and_old_hashes_upgrade_on_sign_in(
    client, personas
) -> None:
    # The suite runs with a fast hasher; the settings outside tests put Argon2 first.
    run = subprocess.run(
        [sys.executable, "-c", "import akt.settings as s; print(*s.PASSWORD_HASHERS)"],
        env={k: v for k, v in os.environ.items() if not k.startswith("AKT_")} | {"AKT_DEBUG": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    hashers = run.stdout.split()
    assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in hashers
    with override_settings(PASSWORD_HASHERS=hashers):
        user = personas["donor"]
        user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
        user.save(update_fields=["password"])
        assert _sign_in(client, "donor").status_code == 302
        user.refresh_from_db()
        assert identify_hasher(user.password).algorithm == "argon2"
        assert check_password(PASSWORD, user.password)


# Password change and reset ----------------------------------------------------------------


def test_a_signed_in_user_changes_their_password(client_for, personas) -> None:
    client = client_for("focal_gracanica")
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200
    assert "<h1>Change password</h1>" in page.content.decode()
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    # Still signed in on this session; the new password works and the old one does not.
    assert client.get(reverse("accounts:password_change_done")).status_code == 200
    user = personas["focal_gracanica"]
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and not user.check_password(PASSWORD)
    entry = AuditEntry.objects.get(action="user.password_change")
    assert entry.actor == user and entry.target_id == str(user.pk)
    assert NEW_PASSWORD not in str(entry.changes) + entry.summary


def test_the_wrong_current_password_changes_nothing(client_for, personas) -> None:
    response = client_for("donor").post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    personas["donor"].refresh_from_db()
    assert personas["donor"].check_password(PASSWORD)


def test_password_change_needs_a_signed_in_user(client) -> None:
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_the_login_page_offers_a_reset_and_the_header_an_account_menu(client, client_for) -> None:
    assert reverse("accounts:password_reset") in client.get(LOGIN).content.decode()
    html = client_for("donor").get(reverse("accounts:two_factor")).content.decode()
    assert f'href="{reverse("accounts:password_change")}"' in html
    assert f'href="{reverse("accounts:two_factor")}"' in html


def test_a_forgotten_password_is_reset_through_a_mailed_link(client, personas) -> None:
    user = personas["staff"]
    user.email = "staff@example.org"
    user.save(update_fields=["email"])
    response = client.post(reverse("accounts:password_reset"), {"email": "staff@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["staff@example.org"]
    assert message.subject == "Reset your password for the AKT results system"
    assert "staff" in message.body
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body)
    assert link is not None
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200 and "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done["Location"] == reverse("accounts:password_reset_complete")
    assert _sign_in(Client(), "staff", NEW_PASSWORD).status_code == 302
    assert AuditEntry.objects.filter(action="user.password_reset", target_id=str(user.pk)).exists()
    # The link works once.
    again = client.get(link.group(1), follow=True)
    assert "This link is not valid" in again.content.decode()


def test_the_reset_mail_is_in_the_readers_language(client, personas) -> None:
    personas["staff"].email = "staff@example.org"
    personas["staff"].save(update_fields=["email"])
    client.post(reverse("set_language"), {"language": "sq", "next": LOGIN})
    client.post(reverse("accounts:password_reset"), {"email": "staff@example.org"})
    with translation.override("sq"):
        subject = translation.gettext("Reset your password for the AKT results system")
    assert subject != "Reset your password for the AKT results system"
    assert mail.outbox[0].subject == subject


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, personas) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


# Sessions ----------------------------------------------------------------------------------


def test_a_session_ends_after_thirty_idle_minutes_and_every_request_moves_it_on(
    client_for, monkeypatch
) -> None:
    from akt.accounts import middleware

    clock = [1_800_000_000.0]
    monkeypatch.setattr(middleware.time, "time", lambda: clock[0])
    client = client_for("me")
    # A session lasts thirty minutes from sign-in (not fourteen days) ...
    assert client.session.get_expiry_age() == 30 * 60
    assert client.get(reverse("reports:dashboard")).status_code == 200
    # ... and a request more than a minute later moves it on for another thirty.
    clock[0] += 20 * 60
    again = client.get(reverse("reports:dashboard"))
    assert again.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60
    session = client.session
    remaining = (session.get_expiry_date() - timezone.now()).total_seconds()
    assert 29 * 60 < remaining <= 30 * 60
    # A session left idle past its thirty minutes is gone: the next page asks to sign in.
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get(reverse("reports:dashboard")).status_code == 302


# Headers -----------------------------------------------------------------------------------


def test_pages_carry_a_content_security_policy(client, client_for) -> None:
    for response in (client.get(LOGIN), client_for("me").get(reverse("reports:dashboard"))):
        policy = response["Content-Security-Policy"]
        directives = {
            part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()
        }
        assert directives["default-src"] == ["'self'"]
        assert "'unsafe-inline'" not in directives["script-src"]
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]


def test_a_person_page_is_not_kept_by_any_cache(client_for, personas) -> None:
    person = PersonFactory(municipality=personas["focal_gracanica"].municipality)
    response = client_for("me").get(reverse("people:person_detail", args=[person.pk]))
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


def test_static_files_stay_cacheable_for_a_signed_in_user(client_for) -> None:
    static = client_for("me").get("/static/akt/akt.css")
    assert static.status_code == 200
    assert "no-store" not in static["Cache-Control"]
