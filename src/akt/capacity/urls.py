from __future__ import annotations

from django.urls import path

from akt.capacity import views

app_name = "capacity"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_update, name="update"),
    path("<int:pk>/adopt/", views.plan_adopt, name="adopt"),
    path("<int:pk>/void/", views.plan_void, name="void"),
    path("<int:pk>/restore/", views.plan_restore, name="restore"),
    path("<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/edit/", views.action_update, name="action_update"),
    path("assessments/", views.assessment_overview, name="assessment_overview"),
    path("assessments/<slug:code>/", views.assessment_municipality, name="assessments"),
    path("assessments/<slug:code>/new/", views.assessment_create, name="assessment_create"),
    path("assessment/<int:pk>/edit/", views.assessment_update, name="assessment_update"),
]
