from __future__ import annotations

from django.urls import path

from akt.indicators import entered_views, views

app_name = "indicators"
urlpatterns = [
    path("", views.framework, name="framework"),
    path("indicators/<slug:code>/", views.sheet, name="sheet"),
    path("indicators/<slug:code>/edit/", views.sheet_edit, name="sheet_edit"),
    path("indicators/<slug:code>/targets/", views.targets, name="targets"),
    path("indicators/<slug:code>/targets/cell/", views.target_cell, name="target_cell"),
    path("indicators/<slug:code>/values/", entered_views.values, name="values"),
    path("indicators/<slug:code>/values/enter/", entered_views.value_enter, name="value_enter"),
    path(
        "indicators/<slug:code>/values/<int:pk>/void/",
        entered_views.value_void,
        name="value_void",
    ),
]
