"""Signing in and out, the password and the second factor.

Signing in, out and the password pages are Django's own views: their checks (CSRF, safe
redirects, session rotation, single-use reset links) are better tested than anything written
again here; only the templates and the audit entries are ours. The second factor's pages call
the services of ``two_factor.py``.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from akt.accounts import two_factor as factors
from akt.accounts.forms import AuthenticatorCodeForm, TwoFactorCodeForm
from akt.accounts.models import User
from akt.accounts.services import audit_record

login = auth_views.LoginView.as_view(
    template_name="accounts/login.html",
    redirect_authenticated_user=True,
)

# Signing out is a POST (Django refuses GET since 5.0), so a link prefetched by a browser or
# mail scanner cannot end a session; the header's "Log out" button is a small form.
logout = auth_views.LogoutView.as_view()


class _PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            audit_record(
                actor=form.user,
                action="user.password_change",
                target=form.user,
                summary=f"Password changed by {form.user.username}",
            )
        return response


class _PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            audit_record(
                actor=None,
                action="user.password_reset",
                target=form.user,
                summary=f"Password of {form.user.username} reset by e-mail",
            )
        return response


password_change = _PasswordChangeView.as_view()
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html"
)
password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="registration/akt_password_reset_email.txt",
    subject_template_name="registration/akt_password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = _PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


def _signed_in(request: HttpRequest) -> User:
    """The user of a view behind ``login_required``."""
    return cast(User, request.user)


def _is_verified(request: HttpRequest) -> bool:
    """Whether this session has given its second factor (set by django-otp's middleware)."""
    return bool(getattr(request.user, "is_verified", lambda: False)())


def _next_or(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Whether two-factor is on, with the ways to set it up, renew codes or turn it off."""
    return render(
        request,
        "accounts/two_factor.html",
        {
            "enabled": factors.two_factor_enabled(_signed_in(request)),
            "required": factors.two_factor_required(_signed_in(request)),
            "codes_left": factors.backup_codes_left(_signed_in(request)),
        },
    )


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the code (or type the key), then give a code from it."""
    user = _signed_in(request)
    if factors.two_factor_enabled(user) and not _is_verified(request):
        # A second authenticator is added only from a verified session.
        return HttpResponseRedirect(reverse("accounts:two_factor_verify"))
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = factors.two_factor_enable(
            request=request,
            user=user,
            token=form.cleaned_data["token"],
        )
        if codes is not None:
            messages.success(request, _("Two-factor authentication is on."))
            return render(
                request,
                "accounts/two_factor_codes.html",
                {"codes": codes, "next": _next_or(request, reverse("reports:home"))},
            )
        form.add_error(
            "token", _("That code does not match. Check the clock of your phone and try again.")
        )
    key = factors.pending_key(request)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": factors.setup_qr_svg(user, key),
            "key_text": factors.key_as_text(key),
            "required": factors.two_factor_required(user),
            "next": _next_or(request, ""),
        },
    )


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a backup code."""
    user = _signed_in(request)
    if not factors.two_factor_enabled(user):
        return HttpResponseRedirect(reverse("accounts:two_factor_setup"))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if factors.two_factor_verify(request=request, user=user, token=form.cleaned_data["token"]):
            return HttpResponseRedirect(_next_or(request, reverse("reports:home")))
        form.add_error("token", _("That code is not valid. Try the next code your app shows."))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next_or(request, "")}
    )


@require_POST
@login_required
def two_factor_backup_codes(request: HttpRequest) -> HttpResponse:
    """New backup codes, shown once; the old ones stop working."""
    if not factors.two_factor_enabled(_signed_in(request)) or not _is_verified(request):
        return HttpResponseForbidden()
    codes = factors.two_factor_backup_codes_renew(user=_signed_in(request))
    return render(
        request, "accounts/two_factor_codes.html", {"codes": codes, "next": reverse("reports:home")}
    )


@require_POST
@login_required
def two_factor_off(request: HttpRequest) -> HttpResponse:
    """Turns two-factor off, for a role that does not require it, from a verified session."""
    user = _signed_in(request)
    if factors.two_factor_required(user) or not _is_verified(request):
        return HttpResponseForbidden()
    factors.two_factor_disable(user=user)
    messages.success(request, _("Two-factor authentication is off."))
    return HttpResponseRedirect(reverse("accounts:two_factor"))
