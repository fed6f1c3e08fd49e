from __future__ import annotations

from django.urls import path

from akt.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("indicators/<slug:code>/", views.indicator_detail, name="indicator"),
]
