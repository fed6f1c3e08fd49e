from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("akt.accounts.urls")),
    path("audit/", include("akt.accounts.audit_urls")),
    path("health/", include("akt.operations.urls")),
    path("activities/", include("akt.activities.urls")),
    path("people/", include("akt.people.urls")),
    path("linkage/", include("akt.linkage.urls")),
    path("grants/", include("akt.grants.urls")),
    path("plans/", include("akt.capacity.urls")),
    path("projects/", include("akt.infrastructure.urls")),
    path("jobs/", include("akt.jobs.urls")),
    path("evidence/", include("akt.evidence.urls")),
    path("imports/", include("akt.intake.urls")),
    path("framework/", include("akt.indicators.urls")),
    path("", include("akt.reports.urls")),
]
