from __future__ import annotations

from django.urls import path

from akt.evidence import views

app_name = "evidence"
urlpatterns = [
    path("<int:pk>/", views.attachment_open, name="open"),
    path("<int:pk>/remove/", views.attachment_remove, name="remove"),
    path("<str:label>/<int:pk>/add/", views.attachment_add, name="add"),
]
