"""Login throttling: django-axes counts wrong passwords per user name and address and, past the
limit (``AKT_LOGIN_FAILURE_LIMIT``), refuses that pair for a cool-off
(``AKT_LOGIN_COOLOFF_MINUTES``), the right password included."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' check, for sign-ins that come with a request.

    A sign-in without a request (a management command, the test client's ``login``) has no
    address to count by and no person guessing at a form; it goes straight to the password
    check, as it would without the throttle.
    """

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
