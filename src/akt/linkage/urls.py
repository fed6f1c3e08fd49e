from __future__ import annotations

from django.urls import path

from akt.linkage import views

app_name = "linkage"
urlpatterns = [
    path("review/", views.review_list, name="review_list"),
    path("review/<int:pk>/", views.review_pair, name="review_pair"),
    path("review/<int:pk>/link/", views.review_link, name="review_link"),
    path("review/<int:pk>/keep-apart/", views.review_keep_apart, name="review_keep_apart"),
    path("clusters/<int:pk>/", views.review_cluster, name="review_cluster"),
    path("clusters/<int:pk>/link/", views.review_cluster_link, name="review_cluster_link"),
    path(
        "clusters/<int:pk>/keep-apart/",
        views.review_cluster_keep_apart,
        name="review_cluster_keep_apart",
    ),
    path("registry/link/", views.registry_link_start, name="registry_link"),
    path("merges/", views.merge_list, name="merge_list"),
    path("merges/<int:pk>/split/", views.merge_split, name="merge_split"),
]
