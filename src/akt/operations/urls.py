from __future__ import annotations

from django.urls import path

from akt.operations import views

app_name = "operations"
urlpatterns = [
    path("", views.health, name="health"),
]
