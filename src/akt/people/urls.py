from __future__ import annotations

from django.urls import path

from akt.people import privacy_views, views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/edit/", views.person_update, name="person_update"),
    path("<int:pk>/erase/", privacy_views.person_erase, name="person_erase"),
    path(
        "<int:pk>/data.json",
        privacy_views.person_export,
        {"file_format": "json"},
        name="person_export_json",
    ),
    path(
        "<int:pk>/data.xlsx",
        privacy_views.person_export,
        {"file_format": "xlsx"},
        name="person_export_xlsx",
    ),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/edit/", views.organization_update, name="organization_update"),
]
