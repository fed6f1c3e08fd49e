from __future__ import annotations

app_name = "operations"
urlpatterns: list = []
