from __future__ import annotations

from django.urls import path

from akt.jobs import views

app_name = "jobs"
urlpatterns = [path("<int:pk>/", views.job_detail, name="detail")]
