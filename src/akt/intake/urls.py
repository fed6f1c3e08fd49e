from __future__ import annotations

from django.urls import path

from akt.intake import folder_views, views

app_name = "intake"
urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("upload/", views.upload, name="upload"),
    path("folder/", folder_views.folder_upload, name="folder_upload"),
    path("folder/check/<int:pk>/", folder_views.folder_check_page, name="folder_check"),
    path("folder/commit/", folder_views.folder_commit, name="folder_commit"),
    path("templates/", views.template_download, name="template"),
    path("xlsform/<int:pk>/", views.xlsform_download, name="xlsform"),
    path("roster/<int:pk>/", views.roster_download, name="roster"),
    path("<int:pk>/", views.batch_detail, name="batch_detail"),
    path("<int:pk>/columns/", views.batch_map, name="batch_map"),
    path("<int:pk>/layout/", views.batch_layout, name="batch_layout"),
    path("<int:pk>/answers/", views.batch_choose, name="batch_choose"),
    path("<int:pk>/commit/", views.batch_commit, name="batch_commit"),
    path("<int:pk>/rollback/", views.batch_rollback, name="batch_rollback"),
    path("<int:pk>/resume/", views.batch_resume, name="batch_resume"),
    path("<int:pk>/abandon/", views.batch_abandon, name="batch_abandon"),
    path("<int:pk>/problems.xlsx", views.batch_problems, name="batch_problems"),
]
