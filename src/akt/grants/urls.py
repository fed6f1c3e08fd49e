from __future__ import annotations

from django.urls import path

from akt.grants import views

app_name = "grants"
urlpatterns = [
    path("", views.grant_list, name="list"),
    path("new/", views.grant_create, name="create"),
    path("<int:pk>/", views.grant_detail, name="detail"),
    path("<int:pk>/edit/", views.grant_update, name="update"),
    path("<int:pk>/void/", views.grant_void, name="void"),
    path("<int:pk>/restore/", views.grant_restore, name="restore"),
]
