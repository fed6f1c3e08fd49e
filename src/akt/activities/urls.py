from __future__ import annotations

from django.urls import path

from akt.activities import planning_views, views

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
    path("plan/", planning_views.plan_current, name="plan_current"),
    path("plan/fy<int:fiscal_year>/q<int:quarter>/", planning_views.plan_quarter, name="plan"),
    path("plan/new/", planning_views.planned_create, name="planned_create"),
    path("plan/<int:pk>/", planning_views.planned_update, name="planned_update"),
    path("plan/<int:pk>/held/", planning_views.planned_hold, name="planned_hold"),
    path("plan/<int:pk>/cancel/", planning_views.planned_cancel, name="planned_cancel"),
    path("calendar/", planning_views.plan_calendar, name="calendar"),
]
