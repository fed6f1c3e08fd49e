"""Forms of the account pages: a code from an authenticator app or a backup code."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TwoFactorCodeForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_(
            "The six-digit code your authenticator app shows, or one of your backup codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class AuthenticatorCodeForm(forms.Form):
    """The first code of a new authenticator, which proves the app holds the key."""

    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The six-digit code your authenticator app shows."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
