"""Signing in and out: the way into every page, for each persona and for a mistyped password."""

from __future__ import annotations

import pytest
from django.urls import reverse

from akt.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
DASHBOARD = reverse("reports:dashboard")
HOME = reverse("reports:home")  # the dashboard, or a focal point's municipality profile


def test_login_page_is_translatable_and_offers_the_languages(client) -> None:
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Log in</h1>" in html
    for name in ("English", "Shqip", "Srpski", "Српски"):
        assert f">{name}</button>" in html
    client.post(reverse("set_language"), {"language": "sq", "next": LOGIN})
    assert '<html lang="sq">' in client.get(LOGIN).content.decode()


@pytest.mark.parametrize(
    ("username", "landing"),
    [("admin", DASHBOARD), ("me", DASHBOARD), ("staff", DASHBOARD), ("donor", DASHBOARD),
     ("focal-gracanica", "/municipalities/gracanice/"),
     ("focal-zvecan", "/municipalities/zvecan/")],
)  # fmt: skip
def test_each_persona_logs_in_to_their_home(
    client, personas, reference: None, username: str, landing: str
) -> None:
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == HOME
    home = client.get(HOME)
    assert home.status_code == 302 and home["Location"] == landing
    assert client.get(landing).status_code == 200


def test_login_returns_to_the_page_asked_for(client, personas) -> None:
    target = reverse("reports:indicator", args=["lul-debates"])
    response = client.post(
        f"{LOGIN}?next={target}", {"username": "me", "password": PASSWORD, "next": target}
    )
    assert response["Location"] == target


def test_login_does_not_follow_a_foreign_next(client, personas) -> None:
    response = client.post(
        LOGIN, {"username": "me", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == HOME


def test_wrong_password_says_what_is_wrong(client, personas) -> None:
    response = client.post(LOGIN, {"username": "me", "password": "not-the-password"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please enter a correct username and password" in html
    assert 'role="alert"' in html
    assert not response.wsgi_request.user.is_authenticated


def test_inactive_user_cannot_log_in(client, personas) -> None:
    personas["donor"].is_active = False
    personas["donor"].save(update_fields=["is_active"])
    response = client.post(LOGIN, {"username": "donor", "password": PASSWORD})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_logged_in_user_is_sent_on_from_the_login_page(client_for) -> None:
    response = client_for("me").get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == HOME


def test_logout_is_a_post_and_ends_the_session(client_for) -> None:
    client = client_for("focal_gracanica")
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(DASHBOARD).status_code == 200

    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert client.get(DASHBOARD).status_code == 302


def test_header_names_the_user_and_offers_log_out(client_for) -> None:
    html = client_for("focal_gracanica").get(DASHBOARD).content.decode()
    assert "focal-gracanica" in html
    assert "Municipal focal point" in html
    assert f'action="{reverse("accounts:logout")}"' in html
