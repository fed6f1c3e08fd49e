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
    path("<int:pk>/handover/", views.project_hand_over, name="hand_over"),
    path("<int:pk>/spending/add/", views.spending_add, name="spending_add"),
    path(
        "<int:pk>/spending/<int:spending_pk>/edit/",
        views.spending_update,
        name="spending_update",
    ),
    path("<int:pk>/milestones/add/", views.milestone_add, name="milestone_add"),
    path(
        "<int:pk>/milestones/<int:milestone_pk>/edit/",
        views.milestone_update,
        name="milestone_update",
    ),
]
