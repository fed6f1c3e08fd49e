"""Middleware of signing in: the second factor, and pages that no cache may keep."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

from akt.accounts.two_factor import two_factor_enabled, two_factor_required

# Pages a signed-in user reaches before their second factor: setting it up, giving a code,
# leaving, choosing a language, and the health check.
_OPEN_VIEWS = frozenset(
    {
        "accounts:two_factor_setup",
        "accounts:two_factor_verify",
        "accounts:logout",
        "set_language",
    }
)
_OPEN_NAMESPACES = frozenset({"operations"})


class TwoFactorMiddleware:
    """Sends a signed-in user who owes a second factor where they can give it.

    A user with two-factor on goes to the verify page until this session is verified; an
    administrator or M&E officer without it (when required) goes to the setup page. Every page
    is covered, the admin site included.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or getattr(user, "is_verified", lambda: False)():
            return None
        match = request.resolver_match
        if match is not None and (
            match.view_name in _OPEN_VIEWS or set(match.namespaces) & _OPEN_NAMESPACES
        ):
            return None
        if two_factor_enabled(user):
            target = "accounts:two_factor_verify"
        elif two_factor_required(user):
            target = "accounts:two_factor_setup"
        else:
            return None
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(target)}?{query}")


class PrivatePagesMiddleware:
    """``Cache-Control: no-store, private`` on every response to a signed-in user: any page may
    show a person, and neither a shared cache nor the browser's history may keep it. Static
    files are served before this (WhiteNoise) and stay cacheable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


SESSION_TOUCHED = "akt_touched"
"""When this session was last moved on (seconds since the epoch)."""

TOUCH_EVERY = 60
"""A session is moved on at most once a minute, not on every request."""


class IdleSessionMiddleware:
    """Ends a session after ``SESSION_COOKIE_AGE`` seconds without a request.

    A signed-in user's session (and its cookie) is moved on by a request that comes more than a
    minute after the last move: the idle limit holds to within that minute, and most requests
    write nothing to the session store (Django's ``SESSION_SAVE_EVERY_REQUEST`` writes on every
    one)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - int(request.session.get(SESSION_TOUCHED, 0)) >= TOUCH_EVERY:
                request.session[SESSION_TOUCHED] = now
        return self.get_response(request)


def session_signed_in(sender: object, request: HttpRequest | None, **kwargs: Any) -> None:
    """A session's idle time starts at sign-in."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_TOUCHED] = int(time.time())
