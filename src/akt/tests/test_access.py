"""Fetching a record for a page: one query, the viewer's scope applied in it."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import RequestFactory

from akt.access import get_editable_or_403, get_visible_or_404
from akt.accounts.models import User
from akt.activities.models import Activity
from akt.testing.factories import ActivityFactory, municipality

pytestmark = pytest.mark.django_db


def request_of(user: User):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_a_record_with_its_relations_comes_in_one_query(
    personas: dict[str, User], django_assert_num_queries
) -> None:
    activity = ActivityFactory(municipality=municipality("gracanice"))
    wanted = Activity.objects.select_related("municipality__majority_community", "component")
    with django_assert_num_queries(1):
        found = get_visible_or_404(request_of(personas["focal_gracanica"]), wanted, activity.pk)
        assert found.municipality.majority_community is not None  # already fetched
        assert found.component.code


def test_out_of_scope_is_not_found_whether_given_a_model_or_a_queryset(
    personas: dict[str, User],
) -> None:
    activity = ActivityFactory(municipality=municipality("gracanice"))
    zvecan = request_of(personas["focal_zvecan"])
    for source in (Activity, Activity.objects.select_related("component")):
        with pytest.raises(Http404):
            get_visible_or_404(zvecan, source, activity.pk)
    assert get_visible_or_404(request_of(personas["donor"]), Activity, activity.pk) == activity


def test_a_reader_may_see_but_not_edit(personas: dict[str, User]) -> None:
    from django.core.exceptions import PermissionDenied

    activity = ActivityFactory()
    with pytest.raises(PermissionDenied):
        get_editable_or_403(request_of(personas["donor"]), Activity, activity.pk)
    assert get_editable_or_403(request_of(personas["me"]), Activity, activity.pk) == activity
