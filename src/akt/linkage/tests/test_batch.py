"""Batch re-resolution of the registry: merges the same person written twice, keeps decisions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from akt.activities.models import ActivityKind
from akt.indicators.models import Indicator
from akt.indicators.selectors import results_compute
from akt.jobs.models import JobStatus
from akt.jobs.services import job_start
from akt.linkage.batch import JOB_KIND, registry_link
from akt.linkage.models import MergeSource, PersonMerge, ReviewPair, ReviewStatus
from akt.people.models import Affiliation, Person
from akt.testing.factories import (
    ActivityFactory,
    AttendanceFactory,
    PersonFactory,
    component,
    municipality,
    topic,
)

pytestmark = pytest.mark.django_db


def jovan_twice() -> tuple[Person, Person, Person]:
    gjilan = municipality("gjilan")
    latin = PersonFactory(
        given_name="Jovan",
        family_name="Petrović",
        sex="male",
        birth_date=dt.date(1979, 4, 12),
        birth_year=None,
        municipality=gjilan,
    )
    cyrillic = PersonFactory(
        given_name="Јован",
        family_name="Петровић",
        sex="male",
        birth_date=dt.date(1979, 4, 12),
        birth_year=None,
        municipality=gjilan,
    )
    other = PersonFactory(
        given_name="Arbër",
        family_name="Gashi",
        sex="male",
        birth_date=dt.date(1990, 1, 3),
        birth_year=None,
        municipality=gjilan,
    )
    return latin, cyrillic, other


def test_the_same_person_in_two_scripts_becomes_one(personas: dict) -> None:
    latin, cyrillic, other = jovan_twice()
    summary = registry_link(actor=personas["me"])
    assert summary["records"] == 3
    assert summary["merges"] == 1
    cyrillic.refresh_from_db()
    other.refresh_from_db()
    assert cyrillic.identity_id == latin.pk  # the older record keeps its identifier
    assert other.identity_id is None
    merge = PersonMerge.objects.get()
    assert merge.source == MergeSource.BATCH and merge.actor == personas["me"]
    assert merge.probability >= 0.9  # the weakest link that joined them, kept as evidence


def test_a_cyrillic_and_a_latin_spelling_of_one_attendee_count_once(personas: dict) -> None:
    """Jovan signed one management module's sheet in Latin and another's in Cyrillic."""
    latin, cyrillic, other = jovan_twice()
    for person in (latin, cyrillic, other):
        person.affiliation = Affiliation.MUNICIPAL_EMPLOYEE
        person.save()
    modules = [
        ActivityFactory(
            kind=ActivityKind.TRAINING, component=component("municipal"), start_date=day
        )
        for day in (dt.date(2015, 3, 2), dt.date(2015, 4, 6))
    ]
    for module in modules:
        module.topics.add(topic("management"))
    AttendanceFactory(activity=modules[0], person=latin)
    AttendanceFactory(activity=modules[1], person=cyrillic)
    AttendanceFactory(activity=modules[1], person=other)

    def trainees() -> int:
        (value,) = results_compute(indicators=[Indicator.objects.get(code="management-trainees")])
        return value.figures.value

    assert trainees() == 3  # before resolution: three records, three persons
    registry_link(actor=personas["me"])
    assert trainees() == 2  # Jovan counts once


def test_a_pair_kept_apart_is_never_merged_by_the_batch(personas: dict) -> None:
    latin, cyrillic, _ = jovan_twice()
    ReviewPair.objects.create(
        person_a=latin,
        person_b=cyrillic,
        probability=0.5,
        match_weight=1.0,
        evidence=[],
        status=ReviewStatus.KEPT_APART,
    )
    assert registry_link(actor=personas["me"])["merges"] == 0
    cyrillic.refresh_from_db()
    assert cyrillic.identity_id is None


def test_only_those_who_resolve_identities_may_run_it(personas: dict) -> None:
    jovan_twice()
    for name in ("focal_gracanica", "donor", "staff"):
        with pytest.raises(PermissionDenied):
            registry_link(actor=personas[name])
    assert not PersonMerge.objects.exists()


def test_as_a_job_it_reports_progress_and_result(personas: dict) -> None:
    jovan_twice()
    job = job_start(actor=personas["me"], kind=JOB_KIND)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.result["merges"] == 1 and job.percent == 100
    assert Person.objects.canonical().count() == 2


def test_the_review_page_starts_the_batch_for_officers_only(client_for, personas: dict) -> None:
    from django.urls import reverse

    jovan_twice()
    url = reverse("linkage:registry_link")
    for name in ("focal_gracanica", "donor", "staff"):
        assert client_for(name).post(url).status_code == 403
    response = client_for("me").post(url)
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    page = client_for("me").get(response["Location"])
    assert page.status_code == 200 and b'value="100"' in page.content


def test_akt_link_without_a_file_resolves_the_registry(personas: dict) -> None:
    import io

    from django.core.management import CommandError, call_command

    jovan_twice()
    with pytest.raises(CommandError, match="--user"):
        call_command("link", "--no-progress", stdout=io.StringIO())
    with pytest.raises(CommandError, match="may not merge persons"):
        call_command("link", "--no-progress", "--user", "donor", stdout=io.StringIO())
    out = io.StringIO()
    call_command("link", "--no-progress", "--user", "me", stdout=out)
    assert "3 records resolved to 2 persons: 1 merges" in out.getvalue()
