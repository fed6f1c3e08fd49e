"""Signing in and out, with Django's own views: their checks (CSRF, safe redirects, session
rotation) are better tested than anything written again here; only the templates are ours."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

login = auth_views.LoginView.as_view(
    template_name="accounts/login.html",
    redirect_authenticated_user=True,
)

# Signing out is a POST (Django refuses GET since 5.0), so a link prefetched by a browser or
# mail scanner cannot end a session; the header's "Log out" button is a small form.
logout = auth_views.LogoutView.as_view()
