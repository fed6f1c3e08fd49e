from __future__ import annotations

from django.urls import path

from akt.grants import call_views, followup_views, scoring_views, views

app_name = "grants"
urlpatterns = [
    path("", views.grant_list, name="list"),
    path("new/", views.grant_create, name="create"),
    path("<int:pk>/", views.grant_detail, name="detail"),
    path("<int:pk>/edit/", views.grant_update, name="update"),
    path("<int:pk>/void/", views.grant_void, name="void"),
    path("<int:pk>/restore/", views.grant_restore, name="restore"),
    # after the award
    path("<int:pk>/tranches/new/", followup_views.tranche_create, name="tranche_create"),
    path(
        "<int:pk>/tranches/<int:tranche_pk>/edit/",
        followup_views.tranche_update,
        name="tranche_update",
    ),
    path("<int:pk>/tranches/<int:tranche_pk>/pay/", followup_views.tranche_pay, name="tranche_pay"),
    path("<int:pk>/visits/new/", followup_views.visit_create, name="visit_create"),
    path("<int:pk>/visits/<int:visit_pk>/edit/", followup_views.visit_update, name="visit_update"),
    path("<int:pk>/outcomes/new/", followup_views.outcome_create, name="outcome_create"),
    path(
        "<int:pk>/outcomes/<int:outcome_pk>/edit/",
        followup_views.outcome_update,
        name="outcome_update",
    ),
    # calls for applications and applications
    path("calls/", call_views.call_list, name="call_list"),
    path("calls/new/", call_views.call_create, name="call_create"),
    path("calls/<int:pk>/", call_views.call_detail, name="call_detail"),
    path("calls/<int:pk>/edit/", call_views.call_update, name="call_update"),
    path("calls/<int:pk>/applications/", call_views.application_list, name="application_list"),
    path(
        "calls/<int:pk>/applications/new/",
        call_views.application_create,
        name="application_create",
    ),
    path("applications/<int:pk>/", call_views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", call_views.application_update, name="application_update"),
    path(
        "applications/<int:pk>/eligibility/",
        call_views.application_eligibility,
        name="application_eligibility",
    ),
    path(
        "applications/<int:pk>/decision/",
        call_views.application_decision,
        name="application_decision",
    ),
    # the committee
    path("scoring/", scoring_views.scoring_list, name="scoring_list"),
    path("applications/<int:pk>/score/", scoring_views.application_score, name="application_score"),
    path(
        "applications/<int:pk>/conflict/",
        scoring_views.application_conflict,
        name="application_conflict",
    ),
    # exchange rates
    path("rates/", views.rate_list, name="rate_list"),
    path("rates/new/", views.rate_create, name="rate_create"),
    path("rates/<int:pk>/edit/", views.rate_update, name="rate_update"),
    path("rates/apply/", views.rates_apply, name="rates_apply"),
]
