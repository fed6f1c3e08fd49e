"""The page frame every screen shares: its stylesheet is found, its language buttons work."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_stylesheet_is_found_by_staticfiles() -> None:
    """``runserver`` and ``collectstatic`` can only serve what the finders find."""
    assert finders.find("akt/akt.css") is not None


def test_pages_link_the_stylesheet_and_say_their_language(client_for) -> None:
    html = client_for("me").get(reverse("reports:dashboard")).content.decode()
    assert f'<link rel="stylesheet" href="{static("akt/akt.css")}">' in html
    assert '<html lang="en">' in html
    assert '<a class="skip-link" href="#content">' in html and '<main id="content"' in html


def test_language_switch_returns_to_the_same_page(client_for) -> None:
    client = client_for("donor")
    url = reverse("reports:indicator", args=["lul-debates"]) + "?period=fy2016"
    html = client.get(url).content.decode()
    assert f'<input name="next" type="hidden" value="{url}">' in html
    response = client.post(reverse("set_language"), {"language": "sq", "next": url})
    assert response["Location"] == url
