from __future__ import annotations

from django.urls import path

from akt.infrastructure import views

app_name = "infrastructure"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_update, name="update"),
    path("<int:pk>/void/", views.project_void, name="void"),
    path("<int:pk>/restore/", views.project_restore, name="restore"),
]
