from __future__ import annotations

from django.urls import path

from akt.capacity import views

app_name = "capacity"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_update, name="update"),
    path("<int:pk>/void/", views.plan_void, name="void"),
    path("<int:pk>/restore/", views.plan_restore, name="restore"),
]
