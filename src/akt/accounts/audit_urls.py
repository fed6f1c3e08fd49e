"""The audit log pages, for administrators (``/audit/``)."""

from __future__ import annotations

from django.urls import path

from akt.accounts import audit_views

app_name = "audit"
urlpatterns = [
    path("", audit_views.audit_log, name="log"),
]
