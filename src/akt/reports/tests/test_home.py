"""Where signing in lands: a focal point on their municipality's profile, others on the results."""

from __future__ import annotations

import pytest
from django.urls import reverse

from akt.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("username", "landing"),
    [
        ("focal-gracanica", "/municipalities/gracanice/"),
        ("focal-zvecan", "/municipalities/zvecan/"),
        ("me", "/"),
        ("donor", "/"),
    ],
)
def test_signing_in_lands_on_the_viewers_home(
    client, personas, reference: None, username: str, landing: str
) -> None:
    signed_in = client.post(
        reverse("accounts:login"), {"username": username, "password": PASSWORD}, follow=True
    )
    assert signed_in.redirect_chain[-1][0] == landing
    assert signed_in.status_code == 200
