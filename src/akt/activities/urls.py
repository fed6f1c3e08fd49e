from __future__ import annotations

from django.urls import path

from akt.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_create, name="create"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_update, name="update"),
    path("<int:pk>/void/", views.activity_void, name="void"),
    path("<int:pk>/restore/", views.activity_restore, name="restore"),
    path("<int:pk>/roster/add/", views.attendance_add, name="attendance_add"),
    path(
        "<int:pk>/roster/<int:attendance_pk>/remove/",
        views.attendance_remove,
        name="attendance_remove",
    ),
    path("<int:pk>/headcounts/", views.tally_set, name="tally_set"),
]
