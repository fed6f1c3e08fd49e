from __future__ import annotations

from django.urls import path

from akt.reports import (
    composition_views,
    narrative_views,
    period_views,
    profile_views,
    property_tax_views,
    report_views,
    story_views,
    tracking_views,
    views,
)

app_name = "reports"
urlpatterns = [
    path("tracking/", tracking_views.tracking, name="tracking"),
    path("tracking.xlsx", tracking_views.tracking_download, name="tracking_download"),
    path("periods/", period_views.period_list, name="periods"),
    path("periods/<int:fiscal_year>/q<int:quarter>/", period_views.period_detail, name="period"),
    path(
        "periods/<int:fiscal_year>/q<int:quarter>/submit/",
        period_views.period_submit,
        name="period_submit",
    ),
    path(
        "periods/<int:fiscal_year>/q<int:quarter>/return/",
        period_views.period_return,
        name="period_return",
    ),
    path(
        "periods/<int:fiscal_year>/q<int:quarter>/approve/",
        period_views.period_approve,
        name="period_approve",
    ),
    path(
        "periods/<int:fiscal_year>/q<int:quarter>/figures/<slug:code>/<slug:window>/",
        period_views.period_figure,
        name="period_figure",
    ),
    path(
        "periods/<int:fiscal_year>/q<int:quarter>/approved.csv",
        period_views.period_report,
        name="period_report",
    ),
    path(
        "periods/<int:fiscal_year>/q<int:quarter>/narratives/",
        narrative_views.narrative_list,
        name="narratives",
    ),
    path(
        "periods/<int:fiscal_year>/q<int:quarter>/narratives/<slug:code>/",
        narrative_views.narrative_edit,
        name="narrative",
    ),
    path(
        "periods/<int:fiscal_year>/q<int:quarter>/stories/",
        story_views.story_list,
        name="stories",
    ),
    path(
        "periods/<int:fiscal_year>/q<int:quarter>/stories/new/",
        story_views.story_create,
        name="story_create",
    ),
    path("stories/<int:pk>/", story_views.story_detail, name="story"),
    path("stories/<int:pk>/edit/", story_views.story_update, name="story_update"),
    path("reports/<slug:kind>/", report_views.report_page, name="report"),
    path("reports/<slug:kind>/file/", report_views.report_file, name="report_file"),
    path("reports/files/<int:pk>/", report_views.report_download, name="report_download"),
    path("", views.dashboard, name="dashboard"),
    path("home/", views.home, name="home"),
    path("indicators/<slug:code>/", views.indicator_detail, name="indicator"),
    path("composition/", composition_views.composition, name="composition"),
    path(
        "composition/activities/",
        composition_views.composition_activities,
        name="composition_activities",
    ),
    path("map/", profile_views.municipality_map, name="map"),
    path("property-tax/", property_tax_views.property_tax, name="property_tax"),
    path(
        "municipalities/<slug:code>/",
        profile_views.municipality_profile_page,
        name="municipality",
    ),
]
